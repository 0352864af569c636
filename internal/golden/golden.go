// Package golden compares test output with golden files under testdata/,
// and rewrites them when the tests run with -update:
//
//	go test ./internal/diff/ -update
//
// Every package's golden tests go through Check, so the flag is spelled and
// behaves the same everywhere. It is imported by tests only.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/ with the output the tests produce")

// Updating reports whether the tests run with -update, for a test that
// writes golden files of its own shape.
func Updating() bool { return *update }

// Check compares got with the file at path. With -update it writes got to
// path instead (creating its folder), so the change shows in git diff for
// review.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("%s differs (-want +got); run go test -update if the change is intended:\n%s", path, d)
	}
}
