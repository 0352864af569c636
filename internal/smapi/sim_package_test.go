package smapi_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/skillgate/skillgate/internal/smapi"
	"github.com/skillgate/skillgate/internal/smapitest"
)

func zipFiles(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func unzipFiles(t testing.TB, data []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = string(b)
	}
	return out
}

// TestSimulatorPackageFlow drives the whole package path against the
// simulator: upload, create from the package, wait per resource, export the
// same bytes, import with If-Match, and a stale If-Match refused as a typed
// 412; the pre-signed requests carry no token.
func TestSimulatorPackageFlow(t *testing.T) {
	t.Parallel()
	s := smapitest.NewServer(smapitest.WithVendor("M1SIMVENDOR"), smapitest.WithBuildTime(20*time.Millisecond))
	defer s.Close()
	c := newSimClient(t, s, nil)
	ctx := context.Background()
	files := map[string]string{
		"skill.json":                          strings.Replace(simManifest, `"name":"Sim skill"`, `"name":"Sim skill","smallIconUri":"file://assets/small.png"`, 1),
		"interactionModels/custom/en-US.json": `{"interactionModel":{"languageModel":{"invocationName":"sim skill"}}}`,
		"assets/small.png":                    "\x89PNG small",
	}
	deploy := func(skillID, ifMatch string, files map[string]string) (*smapi.ImportStatus, error) {
		t.Helper()
		u, err := c.CreateUploadURL(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.UploadPackage(ctx, u, zipFiles(t, files)); err != nil {
			t.Fatal(err)
		}
		var acc *smapi.Accepted
		if skillID == "" {
			acc, err = c.CreateSkillFromPackage(ctx, c.VendorID(), u.URL)
		} else {
			acc, err = c.ImportPackage(ctx, skillID, u.URL, ifMatch)
		}
		if err != nil {
			return nil, err
		}
		id, _ := smapi.TrackingID(acc.Location, "imports")
		return smapi.WaitForImport(ctx, c, id, simWait)
	}
	st, err := deploy("", "", files)
	if err != nil {
		t.Fatal(err)
	}
	skillID := st.Skill.SkillID
	pkg, err := smapi.ExportPackage(ctx, c, skillID, smapi.StageDevelopment, simWait)
	if err != nil {
		t.Fatal(err)
	}
	if got := unzipFiles(t, pkg.Zip); !maps.Equal(got, files) {
		t.Errorf("export = %q, want %q", got, files)
	}
	if pkg.ETag != st.Skill.ETag {
		t.Errorf("export eTag %q, import eTag %q", pkg.ETag, st.Skill.ETag)
	}
	files["assets/small.png"] = "\x89PNG new small"
	if _, err := deploy(skillID, `"stale"`, files); !isStatus(err, http.StatusPreconditionFailed) {
		t.Errorf("stale If-Match: err = %v, want 412", err)
	}
	if st, err = deploy(skillID, pkg.ETag, files); err != nil || st.Skill.ETag == pkg.ETag {
		t.Fatalf("import: %v, %v", st, err)
	}
	if ok, err := c.GetEnablement(ctx, skillID, smapi.StageDevelopment); ok || err != nil {
		t.Errorf("enablement before: %v, %v", ok, err)
	}
	if err := c.EnableSkill(ctx, skillID, smapi.StageDevelopment); err != nil {
		t.Fatal(err)
	}
	for _, r := range s.Requests() {
		if strings.HasPrefix(r.Path, "/skillgate-sim/") && r.Header.Get("Authorization") != "" {
			t.Errorf("%s %s sent Authorization", r.Method, r.Path)
		}
	}
}

func isStatus(err error, status int) bool {
	var se *smapi.Error
	return errors.As(err, &se) && se.Status == status
}
