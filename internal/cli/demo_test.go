package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoOutNotAFolder: --out naming a file is a usage error (exit 2),
// not exit 1, which the demo keeps for "the story did not run as
// expected, a bug".
func TestDemoOutNotAFolder(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "out")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb strings.Builder
	code := Run(context.Background(), []string{"demo", "--out", file}, &Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
	if code != ExitUsage || !strings.Contains(errb.String(), "--out "+file) || strings.Contains(errb.String(), "demo: demo:") {
		t.Errorf("exit %d, stderr %q; want %d naming --out", code, errb.String(), ExitUsage)
	}
	if out.Len() != 0 {
		t.Errorf("the story ran:\n%s", out.String())
	}
}
