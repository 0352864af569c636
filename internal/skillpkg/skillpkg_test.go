package skillpkg

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPackUnpack(t *testing.T) {
	t.Parallel()
	files := map[string][]byte{"skill.json": []byte("{}"), "assets/images/a.png": {0x89, 'P', 'N', 'G'}}
	z1, err := Pack(files)
	if err != nil {
		t.Fatal(err)
	}
	z2, _ := Pack(files)
	if string(z1) != string(z2) {
		t.Error("Pack is not deterministic")
	}
	got, err := Unpack(z1)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(files, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	// A package zipped with its folder reads as if at the root.
	nested, _ := Pack(map[string][]byte{"skill-package/skill.json": []byte("{}"), "skill-package/assets/a.png": {1}})
	got, err = Unpack(nested)
	if err != nil || got["skill.json"] == nil || got["assets/a.png"] == nil {
		t.Errorf("nested package = %v, %v", got, err)
	}
}

func TestReadDirSkipsDotFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"skill.json": "{}", ".DS_Store": "x", ".git/config": "x", "assets/.hidden": "x", "assets/a.png": "png"})
	got, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{"skill.json": []byte("{}"), "assets/a.png": []byte("png")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ReadDir (-want +got):\n%s", diff)
	}
}

func TestWriteDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string][]byte{"a/b.json": []byte("new"), "c.txt": []byte("new")}
	if err := os.WriteFile(filepath.Join(dir, "c.txt"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := WriteDir(dir, files, false)
	var ee *ExistsError
	if !errors.As(err, &ee) || !cmp.Equal(ee.Paths, []string{"c.txt"}) || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("err = %v, want an ExistsError for c.txt", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "a")); !os.IsNotExist(err) {
		t.Error("a refused write created a/")
	}
	if err := WriteDir(dir, files, true); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a", "b.json")); string(b) != "new" {
		t.Errorf("a/b.json = %q", b)
	}
	for _, bad := range []string{"../escape", "/abs", "a/../../x"} {
		if err := WriteDir(dir, map[string][]byte{bad: nil}, true); err == nil {
			t.Errorf("WriteDir(%q) wrote", bad)
		}
	}
	// A link inside the folder cannot lead a write outside it.
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "link")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	if err := WriteDir(dir, map[string][]byte{"link/x": []byte("x")}, true); err == nil {
		t.Error("wrote through a link to outside the folder")
	}
	if _, err := os.Stat(filepath.Join(outside, "x")); err == nil {
		t.Error("file written outside the folder")
	}
}

func TestCompare(t *testing.T) {
	t.Parallel()
	old := map[string][]byte{"skill.json": []byte("{}"), "assets/a.png": []byte("a"), "assets/gone.png": []byte("g")}
	new := map[string][]byte{"skill.json": []byte("{}"), "assets/a.png": []byte("A2"), "assets/new.png": []byte("n")}
	got := Compare(old, new)
	want := []Change{
		{Path: "assets/a.png", Kind: Changed, Size: 2, SHA256: digest([]byte("A2")), OldSize: 1, OldSHA256: digest([]byte("a"))},
		{Path: "assets/gone.png", Kind: Removed, Size: 1, SHA256: digest([]byte("g"))},
		{Path: "assets/new.png", Kind: Added, Size: 1, SHA256: digest([]byte("n"))},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Compare (-want +got):\n%s", diff)
	}
	if len(Compare(old, old)) != 0 {
		t.Error("a package differs from itself")
	}
	for name, want := range map[string]bool{"skill.json": true, "interactionModels/custom/en-US.json": true,
		"interactionModels/custom/x/en-US.json": false, "assets/images/a.png": false, "response/doc.json": false} {
		if IsResource(name) != want {
			t.Errorf("IsResource(%q) = %v", name, !want)
		}
	}
}

func TestImportReason(t *testing.T) {
	t.Parallel()
	resources := map[string][]byte{"skill.json": []byte(`{"manifest": {"publishingInformation": {"locales": {"en-US": {"smallIconUri": "https://cdn/x.png"}}}}}`),
		"interactionModels/custom/en-US.json": []byte("{}")}
	if why := ImportReason(resources, "amzn1.ask.skill.x"); why != "" {
		t.Errorf("manifest and models: %q, want the resource path", why)
	}
	assets := map[string][]byte{"skill.json": []byte("{}"), "assets/images/large.png": {1}, "assets/images/small.png": {2}}
	tests := []struct {
		name    string
		files   map[string][]byte
		skillID string
		want    string
	}{
		{"assets", assets, "amzn1.ask.skill.x", "the package holds files only an import carries (assets/images/large.png, assets/images/small.png)"},
		{"new skill", assets, "", "the skill does not exist yet"},
		{"file:// icons", map[string][]byte{"skill.json": []byte(`{"smallIconUri": "FILE://x.png"}`)}, "s", "file:// URIs"},
	}
	for _, tt := range tests {
		if why := ImportReason(tt.files, tt.skillID); !strings.Contains(why, tt.want) {
			t.Errorf("%s: %q, want it to contain %q", tt.name, why, tt.want)
		}
	}
}

func TestJSONPointers(t *testing.T) {
	t.Parallel()
	a := []byte(`{"type": "APL", "mainTemplate": {"items": [{"text": "hi"}, 1]}, "gone": true, "a/b": 1}`)
	b := []byte(`{"type": "APL", "mainTemplate": {"items": [{"text": "hello"}, 1]}, "new": 2, "a/b": 2}`)
	got, more, ok := JSONPointers(a, b, 10)
	want := []string{"/a~1b", "/gone", "/mainTemplate/items/0/text", "/new"}
	if !ok || more != 0 || !cmp.Equal(got, want) {
		t.Errorf("JSONPointers = %q, %d, %v; want %q", got, more, ok, want)
	}
	if got, more, _ := JSONPointers(a, b, 2); len(got) != 2 || more != 2 {
		t.Errorf("limited: %q, %d", got, more)
	}
	if _, _, ok := JSONPointers([]byte("{"), b, 1); ok {
		t.Error("not JSON but ok")
	}
}

// writeFiles writes files (path with / → content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
