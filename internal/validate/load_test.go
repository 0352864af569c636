package validate

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadFolder(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"skill-package/skill.json":                          baseManifest,
		"skill-package/interactionModels/custom/en-US.json": modelEnUS,
		"skill-package/interactionModels/custom/en-GB.json": "{\n  \"interactionModel\": {,}\n}",
		"skill-package/interactionModels/custom/en-UK.json": `{}`,
	})
	r, err := ValidatePath(filepath.Join(dir, "skill-package"))
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.ToSlash(filepath.Join(dir, "skill-package"))
	if r.Package.Root != root || r.Package.Manifest.Path != root+"/skill.json" {
		t.Errorf("paths: root %q, manifest %q", r.Package.Root, r.Package.Manifest.Path)
	}
	if len(r.Package.Models) != 3 || r.Package.Models["en-US"].Value == nil {
		t.Errorf("models: %v", r.Package.Models)
	}
	var got []string
	for _, f := range r.Findings {
		got = append(got, strings.TrimPrefix(f.File, root+"/")+":"+f.Rule+":"+itoa(f.Line)+":"+itoa(f.Column))
	}
	want := []string{
		"interactionModels/custom/en-GB.json:json.syntax:2:24",
		"interactionModels/custom/en-UK.json:locale.invalid:1:1",
		"interactionModels/custom/en-UK.json:model.language-model:1:1",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("findings %q, want %q", got, want)
	}
	if r.Errors != 3 || r.Warnings != 0 || !r.Failed(Error) || !r.Failed(Warning) {
		t.Errorf("counts %d/%d", r.Errors, r.Warnings)
	}
	if !strings.Contains(r.Findings[1].Message, "en-GB.json") {
		t.Errorf("no suggestion: %s", r.Findings[1].Message)
	}
	if src := r.Package.Source(root + "/interactionModels/custom/en-GB.json"); !bytes.Contains(src, []byte("{,}")) {
		t.Errorf("Source of a model = %q", src)
	}
	if src := r.Package.Source(root + "/skill.json"); string(src) != baseManifest {
		t.Error("Source of the manifest differs from the file")
	}
	if r.Package.Source("nope.json") != nil {
		t.Error("Source of an unknown file is not nil")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestLoadSkillJSONFile(t *testing.T) {
	dir := writeFiles(t, map[string]string{"skill.json": baseManifest})
	r, err := ValidatePath(filepath.Join(dir, "skill.json"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Package.Root != "" || len(r.Findings) != 0 || r.Failed(Warning) {
		t.Errorf("root %q, findings %+v", r.Package.Root, r.Findings)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := writeFiles(t, map[string]string{"empty/readme.txt": "x"})
	for _, p := range []string{filepath.Join(dir, "missing"), filepath.Join(dir, "empty")} {
		if _, _, err := Load(p); err == nil {
			t.Errorf("Load(%s): no error", p)
		} else if !strings.Contains(err.Error(), "skill.json") {
			t.Errorf("Load(%s): the error does not say what to give: %v", p, err)
		}
	}
}

func TestLoadTooLarge(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "skill.json")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	// A sparse file: Load must stop reading after MaxFileSize+1 bytes.
	if err := f.Truncate(1 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	r, err := ValidatePath(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) != 1 || r.Findings[0].Rule != "json.too-large" {
		t.Fatalf("findings %+v", r.Findings)
	}
	if r.Package.Manifest.Raw != nil {
		t.Error("the refused file's bytes were kept")
	}
}

func TestSortAndDedupe(t *testing.T) {
	f := []Finding{
		{File: "b", Line: 1, Column: 1, Rule: "x"},
		{File: "a", Line: 2, Column: 1, Rule: "x"},
		{File: "a", Line: 1, Column: 5, Rule: "y"},
		{File: "a", Line: 1, Column: 5, Rule: "x"},
		{File: "a", Line: 1, Column: 5, Rule: "x"},
	}
	f = dedupe(f)
	SortFindings(f)
	var got []string
	for _, x := range f {
		got = append(got, x.File+itoa(x.Line)+itoa(x.Column)+x.Rule)
	}
	if want := "a15x a15y a21x b11x"; strings.Join(got, " ") != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func mustRead(tb testing.TB, p string) []byte {
	tb.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func writeFile(tb testing.TB, p string, b []byte) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		tb.Fatal(err)
	}
}
