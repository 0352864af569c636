package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/skillgate/skillgate/internal/smapitest"
)

// TestStdinInterrupted: a put reading its FILE from stdin stops when
// interrupted (issue: "skillgate interaction-model put" with FILE forgotten
// waited on the terminal, and Ctrl-C or SIGTERM did nothing).
func TestStdinInterrupted(t *testing.T) {
	t.Parallel()
	srv := smapitest.NewServer(smapitest.WithSkill(cliSkill, []byte(cliManifest)))
	defer srv.Close()
	for _, args := range [][]string{
		{"interaction-model", "put", "--skill-id", cliSkill, "--locale", "en-US"},
		{"account-linking", "put", "--skill-id", cliSkill},
	} {
		t.Run(args[0], func(t *testing.T) {
			t.Parallel()
			stdin, w := io.Pipe() // nothing is ever written: a terminal nobody types in
			defer w.Close()
			ctx, cancel := context.WithCancel(context.Background())
			var out, errb bytes.Buffer
			done := make(chan int, 1)
			go func() {
				done <- Run(ctx, args, &Env{
					Stdin: stdin, Stdout: &out, Stderr: &errb, HTTPClient: srv.Client(),
					Getenv: func(k string) string {
						return map[string]string{"ASK_ACCESS_TOKEN": "t", "ASK_SMAPI_SERVER_BASE_URL": srv.URL}[k]
					},
				})
			}()
			time.Sleep(20 * time.Millisecond)
			cancel()
			select {
			case code := <-done:
				if code != ExitFailed || !strings.Contains(errb.String(), "interrupted while reading") || !strings.Contains(errb.String(), "nothing was sent") {
					t.Errorf("exit %d, stderr %q; want 1 and a message saying the read was interrupted", code, errb.String())
				}
			case <-time.After(10 * time.Second):
				t.Fatal("the command did not stop when interrupted")
			}
			for _, r := range srv.Requests() {
				if r.Method == "PUT" {
					t.Errorf("%s %s was sent", r.Method, r.Path)
				}
			}
		})
	}
}

// TestStdinTooLarge: stdin over the limit is refused as too large, not
// cut and then called invalid JSON.
func TestStdinTooLarge(t *testing.T) {
	t.Parallel()
	big := `{"a":"` + strings.Repeat("x", maxInputSize) + `"}`
	var errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(big), Stderr: &errb}
	if _, code, ok := readInput(context.Background(), env, "interaction-model put", nil, "interaction model"); ok || code != ExitUsage || !strings.Contains(errb.String(), "larger than 10 MiB") {
		t.Errorf("readInput = %d, %v, stderr %q; want exit 2 saying it is too large", code, ok, errb.String())
	}
}

// TestExportDirIsAFile: export into a DIR that is a file is a usage error,
// found before the skill is exported (it was exit 1, after the export).
func TestExportDirIsAFile(t *testing.T) {
	t.Parallel()
	srv := smapitest.NewServer(smapitest.WithSkill(cliSkill, []byte(cliManifest)))
	defer srv.Close()
	file := filepath.Join(t.TempDir(), "skill.json")
	if err := os.WriteFile(file, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runSMAPICLI(t, srv, nil, "", "export", "--skill-id", cliSkill, file)
	if code != ExitUsage || !strings.Contains(stderr, file) || !strings.Contains(stderr, "not a folder") {
		t.Errorf("exit %d, stderr %q; want %d saying %s is not a folder", code, stderr, ExitUsage, file)
	}
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/exports") {
			t.Errorf("%s %s was sent before the folder was checked", r.Method, r.Path)
		}
	}
}
