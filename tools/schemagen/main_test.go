package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestCommittedSchemasAreFresh fails when schemas/*.schema.json differ from
// what the generator makes of the committed model: either someone edited a
// schema by hand or forgot to run go generate ./schemas.
func TestCommittedSchemasAreFresh(t *testing.T) {
	raw, err := os.ReadFile("testdata/manifest-model.json")
	if err != nil {
		t.Fatal(err)
	}
	files, err := generate(raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 7 {
		t.Errorf("generated %d files, want 7 (one per concern)", len(files))
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join("..", "..", "schemas", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("schemas/%s is stale: run go generate ./schemas", name)
		}
	}
}

func TestGeneratedEnums(t *testing.T) {
	raw, err := os.ReadFile("testdata/manifest-model.json")
	if err != nil {
		t.Fatal(err)
	}
	files, err := generate(raw)
	if err != nil {
		t.Fatal(err)
	}
	count := func(file, def string) int {
		t.Helper()
		s := string(files[file])
		i := strings.Index(s, "\n    \""+def+"\": {")
		if i < 0 {
			t.Fatalf("%s has no $defs/%s", file, def)
		}
		rest := s[i:]
		j := strings.Index(rest, "\"enum\": [") + len("\"enum\": [")
		k := strings.Index(rest[j:], "]")
		return strings.Count(rest[j:j+k], "\"") / 2
	}
	for _, c := range []struct {
		file, def string
		want      int
	}{
		{"distribution.schema.json", "DistributionCountries", 241},
		{"publishing.schema.json", "locale", 17},
		{"publishing.schema.json", "category", 59},
		{"permissions.schema.json", "PermissionName", 40},
		{"events.schema.json", "EventNameType", 231},
		{"apis.schema.json", "InterfaceType", 18},
	} {
		if got := count(c.file, c.def); got != c.want {
			t.Errorf("%s $defs/%s: %d values, want %d", c.file, c.def, got, c.want)
		}
	}
}

func TestRunFlags(t *testing.T) {
	var stderr bytes.Buffer
	if code := run([]string{"-spec", filepath.Join(t.TempDir(), "missing.json")}, &stderr); code != 2 {
		t.Errorf("missing spec: exit %d, want 2", code)
	}
	dir := t.TempDir()
	if code := run([]string{"-spec", "testdata/manifest-model.json", "-out", dir}, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"apis.schema.json", "distribution.schema.json", "envelope.schema.json", "events.schema.json",
		"permissions.schema.json", "privacy.schema.json", "publishing.schema.json"}
	if !slices.Equal(names, want) {
		t.Errorf("wrote %v, want %v", names, want)
	}
	if _, err := generate([]byte(`{"definitions":{}}`)); err == nil {
		t.Error("an empty model: no error")
	}
}
