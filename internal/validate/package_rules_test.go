package validate

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegOf(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// iconManifest is a skill.json whose en-US icons are small and large.
func iconManifest(small, large string) string {
	return `{"manifest": {"manifestVersion": "1.0", "publishingInformation": {"locales": {"en-US": {
  "name": "Icons", "smallIconUri": "` + small + `", "largeIconUri": "` + large + `"}}},
  "apis": {"custom": {}}, "privacyAndCompliance": {"locales": {"en-US": {"termsOfUseUrl": "file://docs/terms.html"}}}}}`
}

// TestPackageRules checks the file:// references, the icons read from their
// headers and the package size, on package folders written for each case.
func TestPackageRules(t *testing.T) {
	t.Parallel()
	const small, large = "file://assets/images/small.png", "file://assets/images/large.png"
	const smallPtr = "/manifest/publishingInformation/locales/en-US/smallIconUri"
	const largePtr = "/manifest/publishingInformation/locales/en-US/largeIconUri"
	good := func(t *testing.T) map[string][]byte {
		return map[string][]byte{
			"skill.json":              []byte(iconManifest(small, large)),
			"assets/images/small.png": pngOf(t, 108, 108),
			"assets/images/large.png": pngOf(t, 512, 512),
			"docs/terms.html":         []byte("<p>terms</p>"),
		}
	}
	tests := []struct {
		name   string
		change func(t *testing.T, files map[string][]byte)
		sparse int64  // bytes of a sparse (zero) file added as assets/big.bin
		rule   string // "" for a valid package
		ptr    string
		msg    string
	}{
		{name: "valid: PNG icons of the right sizes, any file:// file"},
		{name: "valid: JPEG icons", change: func(t *testing.T, f map[string][]byte) {
			f["assets/images/small.png"], f["assets/images/large.png"] = jpegOf(t, 108, 108), jpegOf(t, 512, 512)
		}},
		{name: "missing file", change: func(t *testing.T, f map[string][]byte) { delete(f, "docs/terms.html") },
			rule: "file.reference", ptr: "/manifest/privacyAndCompliance/locales/en-US/termsOfUseUrl", msg: "there is no file docs/terms.html in the package"},
		{name: "outside the package", change: func(t *testing.T, f map[string][]byte) {
			f["skill.json"] = []byte(iconManifest("file://../small.png", large))
		}, rule: "file.reference", ptr: smallPtr, msg: "does not name a file inside the package"},
		{name: "absolute", change: func(t *testing.T, f map[string][]byte) {
			f["skill.json"] = []byte(iconManifest("file:///etc/small.png", large))
		}, rule: "file.reference", ptr: smallPtr, msg: "no leading /"},
		{name: "not an image", change: func(t *testing.T, f map[string][]byte) { f["assets/images/large.png"] = []byte("GIF89a...") },
			rule: "icon.format", ptr: largePtr, msg: "assets/images/large.png is not a PNG or JPEG image"},
		{name: "small icon too large", change: func(t *testing.T, f map[string][]byte) { f["assets/images/small.png"] = pngOf(t, 512, 512) },
			rule: "icon.size", ptr: smallPtr, msg: "assets/images/small.png is 512×512 pixels; smallIconUri must be 108×108"},
		{name: "large icon not square", change: func(t *testing.T, f map[string][]byte) { f["assets/images/large.png"] = jpegOf(t, 512, 511) },
			rule: "icon.size", ptr: largePtr, msg: "is 512×511 pixels; largeIconUri must be 512×512"},
		{name: "valid: 60 MiB of files that zip small", sparse: 60 << 20},
		{name: "over the size an import accepts", sparse: 101 << 20,
			rule: "package.size", msg: "holds 101.0 MiB of files, more than the 50 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			files := good(t)
			if tt.change != nil {
				tt.change(t, files)
			}
			for name, b := range files {
				p := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if tt.sparse > 0 {
				f, err := os.Create(filepath.Join(dir, "assets", "big.bin"))
				if err != nil {
					t.Fatal(err)
				}
				if err := f.Truncate(tt.sparse); err != nil {
					t.Fatal(err)
				}
				f.Close()
			}
			res, err := ValidatePath(dir)
			if err != nil {
				t.Fatal(err)
			}
			var hits []Finding
			for _, f := range res.Findings {
				switch f.Rule {
				case "file.reference", "icon.format", "icon.size", "package.size":
					hits = append(hits, f)
				}
			}
			if tt.rule == "" {
				if len(hits) > 0 {
					t.Fatalf("valid package, got %+v", hits)
				}
				return
			}
			if len(hits) != 1 || hits[0].Rule != tt.rule || hits[0].Pointer != tt.ptr || !strings.Contains(hits[0].Message, tt.msg) {
				t.Fatalf("got %+v, want one %s at %q containing %q", hits, tt.rule, tt.ptr, tt.msg)
			}
		})
	}
}
