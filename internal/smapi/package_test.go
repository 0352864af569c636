package smapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const presignedQuery = "X-Amz-Signature=sig-0123456789abcdef&X-Amz-Credential=cred-abcdef"

// TestUploadPackage checks the two steps of an upload: the pre-signed URL
// from SMAPI, then a PUT to it without Authorization, retried after a 5xx
// with the same bytes, the signature never shown.
func TestUploadPackage(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	var (
		mu     sync.Mutex
		bodies [][]byte
		puts   atomic.Int32
	)
	f.mux.HandleFunc("POST /v1/skills/uploads", func(w http.ResponseWriter, r *http.Request) {
		testHeader(t, r, "Authorization", "Bearer "+testAccessToken)
		writeJSON(w, http.StatusCreated, map[string]string{
			"uploadUrl": f.srv.URL + apiPrefix + "/bucket/pkg.zip?" + presignedQuery,
			"expiresAt": time.Now().Add(time.Hour).UTC().Format(time.RFC3339),
		})
	})
	f.mux.HandleFunc("PUT /bucket/pkg.zip", func(w http.ResponseWriter, r *http.Request) {
		if a := r.Header.Get("Authorization"); a != "" {
			t.Errorf("upload sent Authorization %q", a)
		}
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, b)
		mu.Unlock()
		if puts.Add(1) == 1 {
			http.Error(w, "<Error>InternalError</Error>", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	ctx := context.Background()
	u, err := c.CreateUploadURL(ctx)
	if err != nil {
		t.Fatal(err)
	}
	zip := []byte("PK\x03\x04 package bytes")
	if err := c.UploadPackage(ctx, u, zip); err != nil {
		t.Fatal(err)
	}
	want := [][]byte{zip, zip}
	if diff := cmp.Diff(want, bodies); diff != "" {
		t.Errorf("bodies (-want +got):\n%s", diff)
	}
	if strings.Contains(f.debug.String(), "sig-0123456789abcdef") {
		t.Errorf("debug output shows the URL's signature:\n%s", f.debug.String())
	}
	assertNoSecrets(t, "debug output", f.debug.String())
}

func TestUploadPackageRefused(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	f.mux.HandleFunc("PUT /bucket/pkg.zip", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "Request has expired", http.StatusForbidden)
	})
	ctx := context.Background()
	tests := []struct {
		name string
		u    *UploadURL
		want string
	}{
		{"refused by the store", &UploadURL{URL: f.srv.URL + apiPrefix + "/bucket/pkg.zip?" + presignedQuery}, "403 Forbidden: Request has expired"},
		{"expired before sending", &UploadURL{URL: f.srv.URL + "/x?" + presignedQuery, ExpiresAt: time.Now().Add(-time.Minute)}, "the upload URL expired"},
		{"not a URL", &UploadURL{URL: "ftp://example.com/x"}, "not an http(s) URL"},
		{"none", nil, "call CreateUploadURL first"},
	}
	for _, tt := range tests {
		err := c.UploadPackage(ctx, tt.u, []byte("zip"))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want it to contain %q", tt.name, err, tt.want)
			continue
		}
		if strings.Contains(err.Error(), "sig-0123456789abcdef") {
			t.Errorf("%s: error shows the signature: %v", tt.name, err)
		}
	}
}

// TestImportPackage covers the import requests: If-Match required and sent,
// SMAPI's 412 and 409 typed, the Location checked.
func TestImportPackage(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	var status atomic.Int32
	status.Store(http.StatusAccepted)
	f.mux.HandleFunc("POST /v1/skills/{id}/imports", func(w http.ResponseWriter, r *http.Request) {
		testHeader(t, r, "If-Match", `"pkg-1"`)
		testJSONBody(t, r, `{"location":"https://bucket/pkg.zip"}`)
		if s := int(status.Load()); s != http.StatusAccepted {
			writeJSON(w, s, map[string]string{"code": "CONFLICT", "message": "the skill changed"})
			return
		}
		w.Header().Set("Location", "/v1/skills/imports/imp-1")
		w.WriteHeader(http.StatusAccepted)
	})
	f.mux.HandleFunc("POST /v1/skills/imports", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"vendorId":"`+testVendor+`","location":"https://bucket/pkg.zip"}`)
		w.Header().Set("Location", "/v1/skills/imports/imp-2")
		w.WriteHeader(http.StatusAccepted)
	})
	ctx := context.Background()
	if _, err := c.ImportPackage(ctx, testSkill, "https://bucket/pkg.zip", ""); err == nil || !strings.Contains(err.Error(), "If-Match") {
		t.Errorf("import without If-Match: err = %v", err)
	}
	acc, err := c.ImportPackage(ctx, testSkill, "https://bucket/pkg.zip", `"pkg-1"`)
	if err != nil {
		t.Fatal(err)
	}
	if id, _ := TrackingID(acc.Location, "imports"); id != "imp-1" {
		t.Errorf("import id = %q", id)
	}
	acc, err = c.CreateSkillFromPackage(ctx, testVendor, "https://bucket/pkg.zip")
	if err != nil || acc.Location != "/v1/skills/imports/imp-2" {
		t.Errorf("CreateSkillFromPackage = %+v, %v", acc, err)
	}
	for _, s := range []int{http.StatusPreconditionFailed, http.StatusConflict} {
		status.Store(int32(s))
		_, err := c.ImportPackage(ctx, testSkill, "https://bucket/pkg.zip", `"pkg-1"`)
		var se *Error
		if !errors.As(err, &se) || se.Status != s || se.Operation != "ImportPackage" {
			t.Errorf("status %d: err = %v", s, err)
		}
	}
}

func TestTrackingID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		loc, kind, want string
		ok              bool
	}{
		{"/v1/skills/imports/abc", "imports", "abc", true},
		{"https://api.amazonalexa.com/v1/skills/exports/e-1", "exports", "e-1", true},
		{"/v1/skills/imports/abc", "exports", "", false},
		{"", "imports", "", false},
		{"/v1/skills/imports/", "imports", "", false},
	}
	for _, tt := range tests {
		got, err := TrackingID(tt.loc, tt.kind)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("TrackingID(%q, %q) = %q, %v", tt.loc, tt.kind, got, err)
		}
	}
}

// TestWaitForImport reports each resource's status as it changes and ends
// with every error of a failed import.
func TestWaitForImport(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	bodies := []string{
		`{"status":"IN_PROGRESS","skill":{"skillId":"s","resources":[{"name":"manifest","action":"UPDATE","status":"IN_PROGRESS"}]}}`,
		`{"status":"IN_PROGRESS","skill":{"skillId":"s","resources":[{"name":"manifest","action":"UPDATE","status":"SUCCEEDED"},{"name":"interactionModels.de_DE","action":"UPDATE","status":"IN_PROGRESS"}]}}`,
		`{"status":"FAILED","errors":[{"message":"Skill package import failed."}],"skill":{"skillId":"s","eTag":"e2","resources":[{"name":"manifest","action":"UPDATE","status":"SUCCEEDED"},{"name":"interactionModels.de_DE","action":"UPDATE","status":"FAILED","errors":[{"code":"INVALID","message":"Sample utterance is invalid."},{"message":"Slot type unknown."}]}]}}`,
	}
	var n atomic.Int32
	f.mux.HandleFunc("GET /v1/skills/imports/{id}", func(w http.ResponseWriter, r *http.Request) {
		i := min(int(n.Add(1))-1, len(bodies)-1)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, bodies[i])
	})
	var progress []string
	st, err := WaitForImport(context.Background(), c, "imp-1", WaitOptions{
		Schedule:   Schedule{Initial: time.Millisecond, Max: time.Millisecond},
		OnProgress: func(p Progress) { progress = append(progress, fmt.Sprint(p.States)) },
	})
	var fe *ImportFailedError
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want *ImportFailedError", err)
	}
	if st.Skill.ETag != "e2" {
		t.Errorf("eTag = %q", st.Skill.ETag)
	}
	want := "import FAILED: Skill package import failed.; interactionModels.de_DE FAILED: Sample utterance is invalid.; Slot type unknown.. Fix the reported problems and deploy again"
	if err.Error() != want {
		t.Errorf("error:\n got %s\nwant %s", err, want)
	}
	wantProgress := []string{
		"[manifest: IN_PROGRESS (UPDATE)]",
		"[manifest: SUCCEEDED (UPDATE) interactionModels.de_DE: IN_PROGRESS (UPDATE)]",
		"[manifest: SUCCEEDED (UPDATE) interactionModels.de_DE: FAILED (UPDATE)]",
	}
	if diff := cmp.Diff(wantProgress, progress); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}
}

func TestWaitForImportTimeout(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	f.mux.HandleFunc("GET /v1/skills/imports/{id}", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"status":"IN_PROGRESS","skill":{"resources":[{"name":"manifest","status":"IN_PROGRESS"}]}}`)
	})
	_, err := WaitForImport(context.Background(), c, "imp-1", WaitOptions{
		Schedule: Schedule{Initial: 5 * time.Millisecond}, Timeout: 30 * time.Millisecond,
	})
	if !IsTimeout(err) || !strings.Contains(err.Error(), "manifest: IN_PROGRESS") {
		t.Errorf("err = %v, want a timeout naming the manifest", err)
	}
}

// TestExportPackage runs create, wait and download; the download carries no
// Authorization.
func TestExportPackage(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	var polls atomic.Int32
	f.mux.HandleFunc("POST /v1/skills/{id}/stages/{stage}/exports", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("stage") != "development" {
			t.Errorf("stage = %s", r.PathValue("stage"))
		}
		w.Header().Set("Location", "/v1/skills/exports/exp-1")
		w.WriteHeader(http.StatusAccepted)
	})
	f.mux.HandleFunc("GET /v1/skills/exports/exp-1", func(w http.ResponseWriter, r *http.Request) {
		if polls.Add(1) == 1 {
			io.WriteString(w, `{"status":"IN_PROGRESS"}`)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"status": "SUCCEEDED", "skill": map[string]string{
			"eTag": "pkg-7", "location": f.srv.URL + apiPrefix + "/bucket/export.zip?" + presignedQuery, "expiresAt": "1700000000000"}})
	})
	f.mux.HandleFunc("GET /bucket/export.zip", func(w http.ResponseWriter, r *http.Request) {
		if a := r.Header.Get("Authorization"); a != "" {
			t.Errorf("download sent Authorization %q", a)
		}
		io.WriteString(w, "PK zip")
	})
	pkg, err := ExportPackage(context.Background(), c, testSkill, StageDevelopment, WaitOptions{Schedule: Schedule{Initial: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pkg.Zip, []byte("PK zip")) || pkg.ETag != "pkg-7" {
		t.Errorf("package = %q, %q", pkg.Zip, pkg.ETag)
	}
}

func TestEnablement(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	var enabled atomic.Bool
	const p = "/v1/skills/{id}/stages/development/enablement"
	f.mux.HandleFunc("GET "+p, func(w http.ResponseWriter, r *http.Request) {
		if !enabled.Load() {
			writeJSON(w, http.StatusNotFound, map[string]string{"message": "not enabled"})
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	f.mux.HandleFunc("PUT "+p, func(w http.ResponseWriter, r *http.Request) {
		enabled.Store(true)
		w.WriteHeader(http.StatusNoContent)
	})
	f.mux.HandleFunc("DELETE "+p, func(w http.ResponseWriter, r *http.Request) {
		enabled.Store(false)
		w.WriteHeader(http.StatusNoContent)
	})
	ctx := context.Background()
	check := func(want bool) {
		t.Helper()
		got, err := c.GetEnablement(ctx, testSkill, StageDevelopment)
		if err != nil || got != want {
			t.Errorf("GetEnablement = %v, %v; want %v", got, err, want)
		}
	}
	check(false)
	if err := c.EnableSkill(ctx, testSkill, StageDevelopment); err != nil {
		t.Fatal(err)
	}
	check(true)
	if err := c.DisableSkill(ctx, testSkill, StageDevelopment); err != nil {
		t.Fatal(err)
	}
	check(false)
}
