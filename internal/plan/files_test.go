package plan

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skillgate/skillgate/internal/skillpkg"
	"github.com/skillgate/skillgate/internal/validate"
)

func squarePNG(t *testing.T, n int, shade uint8) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, n, n))
	for i := range img.Pix {
		img.Pix[i] = shade
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func writeFiles(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for name, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestPlanFiles: a package with assets gets its other files planned
// against an export of the live package: an icon changed is named with its
// sizes and hashes, a re-indented JSON file is not a change, and the marker
// records the live package's ETag and each live file's hash.
func TestPlanFiles(t *testing.T) {
	t.Parallel()
	sim, c := setup(t)
	files := map[string][]byte{
		"skill.json": []byte(`{"manifest": {"manifestVersion": "1.0", "publishingInformation": {"locales": {"en-US": {"name": "Files",
  "smallIconUri": "file://assets/images/small.png", "largeIconUri": "file://assets/images/large.png"}}}, "apis": {"custom": {}}}}`),
		"assets/images/small.png":   squarePNG(t, 108, 1),
		"assets/images/large.png":   squarePNG(t, 512, 2),
		"response/display/doc.json": []byte(`{"type": "APL", "version": "2023.2"}`),
	}
	id, err := sim.AddPackage(files)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files["assets/images/large.png"] = squarePNG(t, 512, 200)
	files["response/display/doc.json"] = []byte("{\n  \"version\": \"2023.2\",\n  \"type\": \"APL\"\n}\n")
	writeFiles(t, dir, files)
	res, err := validate.ValidatePath(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, err := New(context.Background(), c, res, Options{SkillID: id, Stage: stage})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Files) != 1 || p.Files[0].Path != "assets/images/large.png" || p.Files[0].Kind != skillpkg.Changed {
		t.Fatalf("files = %+v, want the large icon changed", p.Files)
	}
	if !p.Changed() || p.Changes.Changed() {
		t.Errorf("Changed %v, manifest changed %v: want only the files", p.Changed(), p.Changes.Changed())
	}
	etag, _ := sim.PackageETag(id)
	if p.Marker.Package != etag || p.Marker.Files["assets/images/small.png"] == "" || len(p.Marker.Files) != 3 {
		t.Errorf("marker = %+v, want package %s and three file hashes", p.Marker, etag)
	}
	back, ok := ParseMarker(p.Marker.String())
	if !ok || back.Package != etag || back.Files["assets/images/large.png"] != p.Marker.Files["assets/images/large.png"] {
		t.Errorf("marker does not read back: %+v", back)
	}
	md := p.Markdown()
	for _, want := range []string{"**1 file changed** in the package", "#### Package files", "<code>assets/images/large.png</code> | changed |",
		"the package holds files only an import carries"} {
		if !strings.Contains(md, want) {
			t.Errorf("comment lacks %q:\n%s", want, md)
		}
	}

	// An APL document changed in one field: named by its pointer.
	writeFiles(t, dir, map[string][]byte{"response/display/doc.json": []byte(`{"type": "APL", "version": "2024.1"}`)})
	res, _ = validate.ValidatePath(dir)
	if p, err = New(context.Background(), c, res, Options{SkillID: id, Stage: stage}); err != nil {
		t.Fatal(err)
	}
	var doc *skillpkg.Change
	for i := range p.Files {
		if p.Files[i].Path == "response/display/doc.json" {
			doc = &p.Files[i]
		}
	}
	if doc == nil || len(doc.Fields) != 1 || doc.Fields[0] != "/version" {
		t.Fatalf("doc.json change = %+v, want /version", doc)
	}
	if md := p.Markdown(); !strings.Contains(md, "| changed at <code>/version</code> |") {
		t.Errorf("comment does not name the field:\n%s", md)
	}
	writeFiles(t, dir, map[string][]byte{"response/display/doc.json": []byte(`{"type": "APL", "version": "2023.2"}`)})

	// The same package as live: nothing to plan.
	writeFiles(t, dir, map[string][]byte{"assets/images/large.png": squarePNG(t, 512, 2)})
	res, _ = validate.ValidatePath(dir)
	if p, err = New(context.Background(), c, res, Options{SkillID: id, Stage: stage}); err != nil || p.Changed() {
		t.Errorf("unchanged package: changed %v, files %+v, err %v", p.Changed(), p.Files, err)
	}
}
