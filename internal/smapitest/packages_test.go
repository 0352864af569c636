package smapitest

import (
	"archive/zip"
	"bytes"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/skillgate/skillgate/internal/skillpkg"
)

// testPackage is an ask-cli v2 skill-package with file:// icons, two
// models, PNG assets and an APL document, as uploaded.
func testPackage() map[string][]byte {
	return map[string][]byte{
		"skill.json": []byte(`{
  "manifest": {
    "manifestVersion": "1.0",
    "publishingInformation": {
      "locales": {
        "en-US": {"name": "Sample", "smallIconUri": "file://assets/images/en-US_smallIconUri.png", "largeIconUri": "file://assets/images/en-US_largeIconUri.png"},
        "de-DE": {"name": "Beispiel", "smallIconUri": "file://assets/images/en-US_smallIconUri.png"}
      }
    },
    "apis": {"custom": {}}
  }
}
`),
		"interactionModels/custom/en-US.json":  []byte("{\n  \"interactionModel\": {\"languageModel\": {\"invocationName\": \"sample\", \"intents\": []}}\n}\n"),
		"interactionModels/custom/de-DE.json":  []byte("{\"interactionModel\": {\"languageModel\": {\"invocationName\": \"beispiel\", \"intents\": []}}}"),
		"assets/images/en-US_smallIconUri.png": []byte("\x89PNG small icon bytes"),
		"assets/images/en-US_largeIconUri.png": []byte("\x89PNG large icon bytes"),
		"response/display/doc.json":            []byte(`{"type": "APL"}`),
	}
}

func mustPack(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	b, err := skillpkg.Pack(files)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// upload gets an upload URL and PUTs data to it, returning the URL.
func (h *harness) upload(data []byte) string {
	h.t.Helper()
	m, _ := h.want(http.StatusCreated, "POST", "/v1/skills/uploads", "")
	u, _ := m["uploadUrl"].(string)
	if code, _, b := h.put(u, data); code != http.StatusOK {
		h.t.Fatalf("PUT upload: %d %s", code, b)
	}
	return u
}

// put sends data to a pre-signed URL, without a token.
func (h *harness) put(u string, data []byte) (int, http.Header, []byte) {
	h.t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		h.t.Fatal(err)
	}
	return h.raw("PUT", p.RequestURI(), string(data))
}

// importTo imports data into skillID (a new skill when empty) and returns
// the import's status once the request is accepted.
func (h *harness) importTo(skillID string, data []byte, header ...string) map[string]any {
	h.t.Helper()
	loc := h.upload(data)
	var hdr http.Header
	if skillID == "" {
		_, hdr = h.want(http.StatusAccepted, "POST", "/v1/skills/imports", `{"vendorId":"`+DefaultVendorID+`","location":"`+loc+`"}`)
	} else {
		_, hdr = h.want(http.StatusAccepted, "POST", "/v1/skills/"+skillID+"/imports", `{"location":"`+loc+`"}`, header...)
	}
	st, _ := h.want(http.StatusOK, "GET", hdr.Get("Location"), "")
	return st
}

// export exports the development stage and returns its files and eTag.
func (h *harness) export(skillID string) (map[string][]byte, string) {
	h.t.Helper()
	_, hdr := h.want(http.StatusAccepted, "POST", "/v1/skills/"+skillID+"/stages/development/exports", "")
	st, _ := h.want(http.StatusOK, "GET", hdr.Get("Location"), "")
	loc, _ := dig(st, "skill", "location").(string)
	p, _ := url.Parse(loc)
	code, _, b := h.raw("GET", p.RequestURI(), "")
	if code != http.StatusOK {
		h.t.Fatalf("download export: %d %s", code, b)
	}
	files, err := skillpkg.Unpack(b)
	if err != nil {
		h.t.Fatal(err)
	}
	etag, _ := dig(st, "skill", "eTag").(string)
	return files, etag
}

// TestPackageRoundTrip creates a skill from a package, checks the live
// resources (icons hosted and served), exports it byte for byte and
// imports the export again with nothing to build.
func TestPackageRoundTrip(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	pkg := testPackage()
	st := h.importTo("", mustPack(t, pkg))
	if st["status"] != "SUCCEEDED" {
		t.Fatalf("import: %v", st)
	}
	id, _ := dig(st, "skill", "skillId").(string)
	wantRes := []any{
		map[string]any{"name": "manifest", "action": "CREATE", "status": "SUCCEEDED", "errors": []any{}, "warnings": []any{}},
		map[string]any{"name": "interactionModels.de_DE", "action": "CREATE", "status": "SUCCEEDED", "errors": []any{}, "warnings": []any{}},
		map[string]any{"name": "interactionModels.en_US", "action": "CREATE", "status": "SUCCEEDED", "errors": []any{}, "warnings": []any{}},
	}
	if diff := cmp.Diff(wantRes, dig(st, "skill", "resources")); diff != "" {
		t.Errorf("resources (-want +got):\n%s", diff)
	}

	man, _ := h.want(http.StatusOK, "GET", manifestPath(id, "development"), "")
	icon, _ := dig(man, "manifest", "publishingInformation", "locales", "en-US", "largeIconUri").(string)
	if !strings.HasPrefix(icon, h.s.URL+assetPrefix) {
		t.Fatalf("live icon URI = %q, want a hosted URL", icon)
	}
	code, hdr, b := h.raw("GET", strings.TrimPrefix(icon, h.s.URL), "")
	if code != http.StatusOK || !bytes.Equal(b, pkg["assets/images/en-US_largeIconUri.png"]) || hdr.Get("Content-Type") != "image/png" {
		t.Errorf("GET icon: %d %s %q", code, hdr.Get("Content-Type"), b)
	}
	if _, _, ok := h.s.InteractionModel(id, "development", "de-DE"); !ok {
		t.Error("de-DE model not stored")
	}

	files, etag := h.export(id)
	if diff := cmp.Diff(pkg, files); diff != "" {
		t.Errorf("export differs from the package (-want +got):\n%s", diff)
	}
	if got, _ := h.s.PackageETag(id); got != etag {
		t.Errorf("export eTag %q, PackageETag %q", etag, got)
	}

	again := h.importTo(id, mustPack(t, files), "If-Match", `"`+etag+`"`)
	if again["status"] != "SUCCEEDED" || dig(again, "skill", "eTag") != etag {
		t.Errorf("re-import of the export: %v, want SUCCEEDED with eTag %s", again, etag)
	}
}

// TestExportAfterResourceWrite: once the manifest is changed through its own
// API, the export renders it, hosted icons back to file:// URIs.
func TestExportAfterResourceWrite(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id, _ := dig(h.importTo("", mustPack(t, testPackage())), "skill", "skillId").(string)
	body, etag, _ := h.s.Manifest(id, "development")
	changed := strings.Replace(string(body), `"Sample"`, `"Renamed"`, 1)
	h.want(http.StatusAccepted, "PUT", manifestPath(id, "development"), changed, "If-Match", etag)
	files, _ := h.export(id)
	got := string(files["skill.json"])
	for _, want := range []string{`"name": "Renamed"`, `"largeIconUri": "file://assets/images/en-US_largeIconUri.png"`} {
		if !strings.Contains(got, want) {
			t.Errorf("exported skill.json lacks %s:\n%s", want, got)
		}
	}
}

// TestImportRefusesHostileZips: each hostile archive is a 400 and changes
// nothing.
func TestImportRefusesHostileZips(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id, _ := dig(h.importTo("", mustPack(t, testPackage())), "skill", "skillId").(string)
	before, _ := h.s.PackageETag(id)
	tests := []struct {
		name string
		zip  []byte
		want string
	}{
		{"zip bomb", zipOf(t, entry{name: "skill.json", data: bytes.Repeat([]byte{0}, skillpkg.MaxUnpackedBytes+1)}), "unpacked size over"},
		{"traversal", zipOf(t, entry{name: "skill.json", data: []byte("{}")}, entry{name: "assets/../../evil.png", data: []byte("x")}), "leaves the package"},
		{"absolute", zipOf(t, entry{name: "/etc/passwd", data: []byte("x")}), "absolute path"},
		{"backslash", zipOf(t, entry{name: `..\evil`, data: []byte("x")}), "backslash"},
		{"link", zipOf(t, entry{name: "assets/link", data: []byte("/etc/passwd"), mode: fs.ModeSymlink | 0o777}), "symbolic link"},
		{"too many entries", zipOf(t, manyEntries(skillpkg.MaxEntries+1)...), "more than the 1000 allowed"},
		{"not a zip", []byte("this is not a zip"), "not a zip file"},
	}
	for _, tt := range tests {
		loc := h.upload(tt.zip)
		m, _ := h.want(http.StatusBadRequest, "POST", "/v1/skills/"+id+"/imports", `{"location":"`+loc+`"}`)
		if msg, _ := m["message"].(string); !strings.Contains(msg, tt.want) {
			t.Errorf("%s: message %q, want it to contain %q", tt.name, msg, tt.want)
		}
		if after, _ := h.s.PackageETag(id); after != before {
			t.Errorf("%s: the package changed", tt.name)
		}
	}
}

type entry struct {
	name string
	data []byte
	mode fs.FileMode
}

func zipOf(t *testing.T, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		fh := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.mode != 0 {
			fh.SetMode(e.mode)
		}
		w, err := zw.CreateHeader(fh)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func manyEntries(n int) []entry {
	out := make([]entry, n)
	for i := range out {
		out[i] = entry{name: "assets/f" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + "/" + itoa(i), data: []byte("x")}
	}
	return out
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

// TestImportPreconditions: a stale If-Match is 412, an import while a build
// runs is 409, and neither changes anything.
func TestImportPreconditions(t *testing.T) {
	t.Parallel()
	h := newHarness(t, WithBuildTime(time.Minute))
	id, _ := dig(h.importTo("", mustPack(t, testPackage())), "skill", "skillId").(string)
	before, _ := h.s.PackageETag(id)
	pkg := testPackage()
	pkg["assets/images/en-US_largeIconUri.png"] = []byte("\x89PNG new large icon")

	loc := h.upload(mustPack(t, pkg))
	h.want(http.StatusPreconditionFailed, "POST", "/v1/skills/"+id+"/imports", `{"location":"`+loc+`"}`, "If-Match", `"stale"`)
	h.want(http.StatusConflict, "POST", "/v1/skills/"+id+"/imports", `{"location":"`+loc+`"}`, "If-Match", `"`+before+`"`)
	if after, _ := h.s.PackageETag(id); after != before {
		t.Error("a refused import changed the package")
	}

	h.clock.Add(time.Minute)
	st := h.importTo(id, mustPack(t, pkg), "If-Match", `"`+before+`"`)
	// The icon's hosted URL changed, so the manifest builds again; the
	// models did not change and do not.
	if st["status"] != "IN_PROGRESS" || dig(st, "skill", "resources", "0", "status") != "IN_PROGRESS" ||
		dig(st, "skill", "resources", "1", "status") != "SUCCEEDED" {
		t.Fatalf("import after the builds: %v", st)
	}
	after, _ := h.s.PackageETag(id)
	if after == before || dig(st, "skill", "eTag") != after {
		t.Errorf("package eTag %q → %q, import says %v", before, after, dig(st, "skill", "eTag"))
	}
	if b, _ := h.s.PackageFile(id, "assets/images/en-US_largeIconUri.png"); string(b) != "\x89PNG new large icon" {
		t.Errorf("icon after import = %q", b)
	}
}

// TestImportFailsForOneLocale: a model whose build fails fails the import,
// naming the locale; a model that is not JSON fails it at once and nothing
// is changed.
func TestImportFailsForOneLocale(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.s.QueueBuildOutcomes(BuildOutcome{}, BuildOutcome{Errors: []string{"Sample utterance 'x' is invalid."}}, BuildOutcome{})
	st := h.importTo("", mustPack(t, testPackage()))
	if st["status"] != "FAILED" {
		t.Fatalf("import = %v, want FAILED", st)
	}
	if got := dig(st, "skill", "resources", "1", "status"); got != "FAILED" || dig(st, "skill", "resources", "1", "name") != "interactionModels.de_DE" {
		t.Errorf("de-DE resource = %v", dig(st, "skill", "resources", "1"))
	}
	if got := dig(st, "skill", "resources", "1", "errors", "0", "message"); got != "Sample utterance 'x' is invalid." {
		t.Errorf("de-DE error = %v", got)
	}
	if got := dig(st, "skill", "resources", "2", "status"); got != "SUCCEEDED" {
		t.Errorf("en-US = %v", got)
	}

	id, _ := dig(st, "skill", "skillId").(string)
	before, _ := h.s.PackageETag(id)
	pkg := testPackage()
	pkg["interactionModels/custom/de-DE.json"] = []byte("{not json")
	pkg["skill.json"] = bytes.Replace(pkg["skill.json"], []byte("en-US_largeIconUri.png"), []byte("missing.png"), 1)
	st = h.importTo(id, mustPack(t, pkg))
	want := map[string]string{"manifest": "FAILED", "interactionModels.de_DE": "FAILED", "interactionModels.en_US": "ROLLBACK_SUCCEEDED"}
	for i := range 3 {
		r, _ := dig(st, "skill", "resources", itoa(i)).(map[string]any)
		if name, _ := r["name"].(string); r["status"] != want[name] {
			t.Errorf("%s: %v, want %s", name, r["status"], want[name])
		}
	}
	if msg, _ := dig(st, "skill", "resources", "0", "errors", "0", "message").(string); !strings.Contains(msg, "file://assets/images/missing.png names no file") {
		t.Errorf("manifest error = %q", msg)
	}
	if after, _ := h.s.PackageETag(id); after != before || st["status"] != "FAILED" {
		t.Errorf("failed import: status %v, package changed %v", st["status"], after != before)
	}
}

// TestUploadURL: one PUT, before it expires, with its signature.
func TestUploadURL(t *testing.T) {
	t.Parallel()
	h := newHarness(t, WithPackageURLTTL(time.Minute))
	m, _ := h.want(http.StatusCreated, "POST", "/v1/skills/uploads", "")
	u, _ := m["uploadUrl"].(string)
	if exp, _ := m["expiresAt"].(string); exp != "2026-01-02T03:05:05.000Z" {
		t.Errorf("expiresAt = %q", exp)
	}
	if code, _, _ := h.put(strings.Replace(u, "X-Amz-Signature=", "X-Amz-Signature=x", 1), []byte("zip")); code != http.StatusForbidden {
		t.Errorf("wrong signature: %d", code)
	}
	h.clock.Add(time.Minute)
	code, _, b := h.put(u, []byte("zip"))
	if code != http.StatusForbidden || !strings.Contains(string(b), "expired") {
		t.Errorf("expired URL: %d %s", code, b)
	}
	u2 := h.upload([]byte("zip"))
	if code, _, _ := h.put(u2, []byte("other")); code != http.StatusForbidden {
		t.Errorf("second PUT: %d, want 403", code)
	}
	h.want(http.StatusBadRequest, "POST", "/v1/skills/imports", `{"vendorId":"`+DefaultVendorID+`","location":"`+u+`"}`)
	h.want(http.StatusBadRequest, "POST", "/v1/skills/imports", `{"vendorId":"`+DefaultVendorID+`","location":"https://example.com/pkg.zip"}`)
}

func TestEnablement(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := h.skill()
	p := "/v1/skills/" + id + "/stages/development/enablement"
	h.want(http.StatusNotFound, "GET", p, "")
	h.want(http.StatusNoContent, "PUT", p, "")
	h.want(http.StatusNoContent, "GET", p, "")
	h.want(http.StatusNoContent, "DELETE", p, "")
	h.want(http.StatusNotFound, "DELETE", p, "")
	h.want(http.StatusNotFound, "GET", "/v1/skills/"+id+"/stages/live/enablement", "")
}

func TestExportDownload(t *testing.T) {
	t.Parallel()
	h := newHarness(t, WithPackageURLTTL(time.Minute))
	id := h.skill()
	_, hdr := h.want(http.StatusAccepted, "POST", "/v1/skills/"+id+"/stages/development/exports", "")
	st, _ := h.want(http.StatusOK, "GET", hdr.Get("Location"), "")
	loc, _ := dig(st, "skill", "location").(string)
	p, _ := url.Parse(loc)
	code, _, b := h.raw("GET", p.RequestURI(), "")
	if code != http.StatusOK {
		t.Fatalf("download: %d", code)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil || len(zr.File) != 1 || zr.File[0].Name != "skill.json" {
		t.Fatalf("export of a skill with no package: %v", err)
	}
	rc, _ := zr.File[0].Open()
	got, _ := io.ReadAll(rc)
	if !strings.Contains(string(got), `"manifestVersion": "1.0"`) {
		t.Errorf("skill.json = %s", got)
	}
	h.clock.Add(time.Minute)
	if code, _, _ := h.raw("GET", p.RequestURI(), ""); code != http.StatusForbidden {
		t.Errorf("expired download: %d", code)
	}
	h.want(http.StatusNotFound, "GET", "/v1/skills/exports/nope", "")
	h.want(http.StatusNotFound, "GET", "/v1/skills/other/nope", "")
}
