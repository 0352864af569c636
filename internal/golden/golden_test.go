package golden

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder stands in for a *testing.T to see whether Check fails.
type recorder struct {
	testing.TB
	failed bool
	msg    string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.failed = true
	r.msg = format
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = true
	r.msg = format
}

func TestCheck(t *testing.T) {
	if Updating() {
		t.Skip("with -update Check writes instead of comparing")
	}
	path := filepath.Join(t.TempDir(), "want.txt")
	if err := os.WriteFile(path, []byte("same\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &recorder{TB: t}
	Check(r, path, []byte("same\n"))
	if r.failed {
		t.Errorf("equal content failed: %s", r.msg)
	}
	r = &recorder{TB: t}
	Check(r, path, []byte("other\n"))
	if !r.failed || !strings.Contains(r.msg, "-update") {
		t.Errorf("different content: failed %v, message %q", r.failed, r.msg)
	}
	r = &recorder{TB: t}
	Check(r, filepath.Join(t.TempDir(), "missing.txt"), nil)
	if !r.failed || !strings.Contains(r.msg, "create it") {
		t.Errorf("missing file: failed %v, message %q", r.failed, r.msg)
	}
}

func TestCheckUpdate(t *testing.T) {
	old := *update
	*update = true
	t.Cleanup(func() { *update = old })
	path := filepath.Join(t.TempDir(), "new", "want.txt")
	Check(t, path, []byte("written\n"))
	if b, err := os.ReadFile(path); err != nil || string(b) != "written\n" {
		t.Errorf("with -update the file holds %q (%v)", b, err)
	}
}
