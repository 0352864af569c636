package validate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// loadWithin runs Load and fails the test when it does not return in time:
// a named pipe used to block it forever.
func loadWithin(t *testing.T, p string) ([]Finding, error) {
	t.Helper()
	type result struct {
		f   []Finding
		err error
	}
	done := make(chan result, 1)
	go func() {
		_, f, err := Load(p)
		done <- result{f, err}
	}()
	select {
	case r := <-done:
		return r.f, r.err
	case <-time.After(10 * time.Second):
		t.Fatalf("Load(%s) did not return", p)
		return nil, nil
	}
}

// TestLoadNotRegular: a named pipe, a device or a folder where a file of the
// package should be is an error naming it, at once.
func TestLoadNotRegular(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(t *testing.T, pkg string) (load, named string)
		want  string
	}{
		{"skill.json is a named pipe", func(t *testing.T, pkg string) (string, string) {
			p := filepath.Join(pkg, "skill.json")
			if err := mkfifo(p); err != nil {
				t.Skipf("no named pipes here: %v", err)
			}
			return pkg, "skill.json"
		}, "named pipe"},
		{"the skill.json given is a named pipe", func(t *testing.T, pkg string) (string, string) {
			p := filepath.Join(pkg, "fifo.json")
			if err := mkfifo(p); err != nil {
				t.Skipf("no named pipes here: %v", err)
			}
			return p, "fifo.json"
		}, "named pipe"},
		{"a model is a named pipe", func(t *testing.T, pkg string) (string, string) {
			writeFile(t, filepath.Join(pkg, "skill.json"), []byte(baseManifest))
			p := filepath.Join(pkg, "interactionModels", "custom", "en-US.json")
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := mkfifo(p); err != nil {
				t.Skipf("no named pipes here: %v", err)
			}
			return pkg, "interactionModels/custom/en-US.json"
		}, "named pipe"},
		{"a model is a folder", func(t *testing.T, pkg string) (string, string) {
			writeFile(t, filepath.Join(pkg, "skill.json"), []byte(baseManifest))
			if err := os.MkdirAll(filepath.Join(pkg, "interactionModels", "custom", "en-US.json"), 0o755); err != nil {
				t.Fatal(err)
			}
			return pkg, "interactionModels/custom/en-US.json"
		}, "a folder"},
		{"the skill.json given is a device", func(t *testing.T, pkg string) (string, string) {
			if _, err := os.Stat("/dev/zero"); err != nil {
				t.Skip("no /dev/zero here")
			}
			return "/dev/zero", "/dev/zero"
		}, "device"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pkg := t.TempDir()
			p, named := tt.setup(t, pkg)
			_, err := loadWithin(t, p)
			if err == nil || !strings.Contains(err.Error(), named) || !strings.Contains(err.Error(), "not a regular file") || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load() error = %v, want one naming %s as %s", err, named, tt.want)
			}
		})
	}
}

// TestLoadUnreadableModels: a models folder that cannot be listed used to be
// skipped ("0 errors"); it is an error naming the folder. Root reads any
// folder whatever its mode, so the permission case is skipped as root and
// the other cases provoke the same read error without permissions.
func TestLoadUnreadableModels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(t *testing.T, pkg string)
	}{
		{"no permission", func(t *testing.T, pkg string) {
			if os.Geteuid() == 0 {
				t.Skip("root reads folders whatever their permissions")
			}
			dir := filepath.Join(pkg, "interactionModels", "custom")
			writeFile(t, filepath.Join(dir, "en-US.json"), []byte(modelEnUS))
			if err := os.Chmod(dir, 0); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Chmod(dir, 0o755) })
		}},
		{"interactionModels is a file", func(t *testing.T, pkg string) {
			writeFile(t, filepath.Join(pkg, "interactionModels"), []byte("{}"))
		}},
		{"custom is a file", func(t *testing.T, pkg string) {
			writeFile(t, filepath.Join(pkg, "interactionModels", "custom"), []byte("{}"))
		}},
		{"custom is a symbolic link loop", func(t *testing.T, pkg string) {
			dir := filepath.Join(pkg, "interactionModels")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink("custom", filepath.Join(dir, "custom")); err != nil {
				t.Skipf("no symbolic links here: %v", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pkg := t.TempDir()
			writeFile(t, filepath.Join(pkg, "skill.json"), []byte(baseManifest))
			tt.setup(t, pkg)
			_, err := loadWithin(t, pkg)
			if err == nil || !strings.Contains(err.Error(), filepath.ToSlash(pkg)+"/interactionModels/custom") {
				t.Fatalf("Load() error = %v, want one naming the models folder", err)
			}
		})
	}
}

// TestLoadUnreadableModelFile: one model file that cannot be read stops the
// load, named.
func TestLoadUnreadableModelFile(t *testing.T) {
	t.Parallel()
	if os.Geteuid() == 0 {
		t.Skip("root reads files whatever their permissions")
	}
	pkg := t.TempDir()
	writeFile(t, filepath.Join(pkg, "skill.json"), []byte(baseManifest))
	p := filepath.Join(pkg, "interactionModels", "custom", "en-US.json")
	writeFile(t, p, []byte(modelEnUS))
	if err := os.Chmod(p, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := loadWithin(t, pkg); err == nil || !strings.Contains(err.Error(), "interactionModels/custom/en-US.json") {
		t.Fatalf("Load() error = %v", err)
	}
}

// TestModelFileMessages: the messages about a model file as a whole say it
// is an interaction model, not a skill.json.
func TestModelFileMessages(t *testing.T) {
	t.Parallel()
	deep := strings.Repeat("[", 10001) + strings.Repeat("]", 10001)
	tests := []struct {
		name, body, rule string
	}{
		{"empty", "", "json.empty"},
		{"not an object", "[]", "json.not-object"},
		{"null", "null", "json.not-object"},
		{"too deep", `{"interactionModel":` + deep + `}`, "json.too-deep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pkg := writeFiles(t, map[string]string{
				"skill.json":                          baseManifest,
				"interactionModels/custom/en-US.json": tt.body,
			})
			f, err := loadWithin(t, pkg)
			if err != nil {
				t.Fatal(err)
			}
			if len(f) != 1 || f[0].Rule != tt.rule || !strings.Contains(f[0].Message, "interaction model") || strings.Contains(f[0].Message, "skill.json") {
				t.Fatalf("findings = %+v, want one %s about an interaction model", f, tt.rule)
			}
		})
	}
	t.Run("too large", func(t *testing.T) {
		t.Parallel()
		pkg := writeFiles(t, map[string]string{"skill.json": baseManifest})
		p := filepath.Join(pkg, "interactionModels", "custom", "en-US.json")
		writeFile(t, p, nil)
		if err := os.Truncate(p, MaxFileSize+1); err != nil {
			t.Fatal(err)
		}
		f, err := loadWithin(t, pkg)
		if err != nil {
			t.Fatal(err)
		}
		if len(f) != 1 || f[0].Rule != "json.too-large" || !strings.Contains(f[0].Message, "an interaction model") {
			t.Fatalf("findings = %+v", f)
		}
	})
}

// TestTooDeepNotSyntax: nesting past encoding/json's own limit (10000) is
// still json.too-deep, at the first value past MaxDepth.
func TestTooDeepNotSyntax(t *testing.T) {
	t.Parallel()
	raw := `{"manifest":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`
	_, f := ParseDocument("skill.json", []byte(raw))
	if len(f) != 1 || f[0].Rule != "json.too-deep" || f[0].Column != 13+MaxDepth-1 {
		t.Fatalf("findings = %+v", f)
	}
}
