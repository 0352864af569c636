package action

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCheckFilesNotRegular: GITHUB_OUTPUT or GITHUB_STEP_SUMMARY naming a
// named pipe or a folder is refused at once, naming it (issue: a named pipe
// with no reader blocked the step for ever, deaf to SIGTERM, in the open of
// the up-front check). The runner's regular files and a character device
// such as /dev/null stay accepted.
func TestCheckFilesNotRegular(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ name, env, path, want string }{
		{"a folder", "GITHUB_STEP_SUMMARY", dir, "it is a folder"},
	}
	fifo := filepath.Join(dir, "out.fifo")
	if mkfifo(fifo) == nil {
		tests = append(tests, struct{ name, env, path, want string }{"a named pipe", "GITHUB_OUTPUT", fifo, "it is a named pipe"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			returns(t, "checkFiles with "+tt.env+"="+tt.path, func() {
				err = newWorkflow(envMap(map[string]string{tt.env: tt.path}), io.Discard).checkFiles()
			})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.env+": ") || !strings.Contains(err.Error(), tt.path) {
				t.Errorf("err = %v, want one naming %s, %s and %q", err, tt.env, tt.path, tt.want)
			}
		})
	}
	t.Run("regular files and /dev/null", func(t *testing.T) {
		env := map[string]string{"GITHUB_OUTPUT": filepath.Join(dir, "out.txt")}
		if _, err := os.Stat(os.DevNull); err == nil {
			env["GITHUB_STEP_SUMMARY"] = os.DevNull
		}
		if err := newWorkflow(envMap(env), io.Discard).checkFiles(); err != nil {
			t.Errorf("checkFiles: %v", err)
		}
	})
}

// returns runs f and fails the test when it has not returned within 10 s: a
// named pipe opened for reading or writing blocks until its other end comes.
func returns(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s did not return", what)
	}
}
