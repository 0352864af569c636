//go:build unix

package skillpkg

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestReadDirOnlyRegularFilesInside: a package file that is a named pipe, a
// device or a link leading out of the package folder is refused, naming it,
// at once (issue: "skillgate deploy" of a folder holding a named pipe hung
// for ever, deaf to SIGTERM; a link to /dev/zero grew without bound; a link
// to /proc/self/environ would have uploaded the step's secrets with the
// package). A link to a file inside the package is read, as ask-cli does.
func TestReadDirOnlyRegularFilesInside(t *testing.T) {
	t.Parallel()
	outside := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(outside, []byte("token"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		make func(p string) error
		want string
	}{
		{"a named pipe", func(p string) error { return syscall.Mkfifo(p, 0o644) }, "not a regular file inside the package: it is a named pipe"},
		{"a link to a file outside", func(p string) error { return os.Symlink(outside, p) }, "leads outside the package folder"},
		{"a link to a device", func(p string) error { return os.Symlink(os.DevNull, p) }, "leads outside the package folder"},
		{"a link up and out", func(p string) error {
			return os.Symlink("../../"+filepath.Base(filepath.Dir(outside))+"/secret.txt", p)
		}, "leads outside the package folder"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{"skill.json": "{}"})
			bad := filepath.Join(dir, "assets", "x.bin")
			if err := os.MkdirAll(filepath.Dir(bad), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := tc.make(bad); err != nil {
				t.Skipf("cannot make %s here: %v", tc.name, err)
			}
			var err error
			done := make(chan struct{})
			go func() { defer close(done); _, err = ReadDir(dir) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("ReadDir did not return")
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "assets/x.bin") || !errors.Is(err, ErrNotInPackage) {
				t.Errorf("err = %v, want an ErrNotInPackage naming assets/x.bin and saying %q", err, tc.want)
			}
		})
	}
	t.Run("a link inside", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		writeFiles(t, dir, map[string]string{"skill.json": "{}", "assets/a.png": "png"})
		if err := os.Symlink("a.png", filepath.Join(dir, "assets", "b.png")); err != nil {
			t.Skip(err)
		}
		got, err := ReadDir(dir)
		want := map[string][]byte{"skill.json": []byte("{}"), "assets/a.png": []byte("png"), "assets/b.png": []byte("png")}
		if diff := cmp.Diff(want, got); err != nil || diff != "" {
			t.Errorf("ReadDir = %v (-want +got):\n%s", err, diff)
		}
	})
}
