package smapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// TestWritesNeedAPrecondition: a write whose read carried no ETag is refused
// before anything is sent; a create (IfAbsent) goes out without If-Match;
// and the rule sits in do, so a PUT of content that names no precondition
// at all cannot leave either.
func TestWritesNeedAPrecondition(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	var puts atomic.Int32
	var lastIfMatch atomic.Value
	f.mux.HandleFunc("PUT /", func(w http.ResponseWriter, r *http.Request) {
		puts.Add(1)
		lastIfMatch.Store(r.Header.Get("If-Match"))
		w.WriteHeader(http.StatusAccepted)
	})
	ctx := context.Background()
	refused := []struct {
		name string
		call func() error
	}{
		{"manifest, empty ETag", func() error {
			_, err := c.UpdateManifest(ctx, testSkill, StageDevelopment, []byte(manifestBody), IfMatch(""))
			return err
		}},
		{"manifest, zero Precondition", func() error {
			_, err := c.UpdateManifest(ctx, testSkill, StageDevelopment, []byte(manifestBody), Precondition{})
			return err
		}},
		{"manifest, IfAbsent (a manifest always exists)", func() error {
			_, err := c.UpdateManifest(ctx, testSkill, StageDevelopment, []byte(manifestBody), IfAbsent())
			return err
		}},
		{"model, empty ETag", func() error {
			_, err := c.PutInteractionModel(ctx, testSkill, StageDevelopment, "en-US", []byte(`{}`), IfMatch(""))
			return err
		}},
		{"account linking, empty ETag", func() error {
			_, err := c.PutAccountLinking(ctx, testSkill, StageDevelopment, []byte(`{"type":"AUTH_CODE"}`), IfMatch(""))
			return err
		}},
		{"import, empty ETag", func() error {
			_, err := c.ImportPackage(ctx, testSkill, "https://bucket/pkg.zip", "")
			return err
		}},
		{"a PUT of content naming no precondition", func() error {
			_, err := c.do(ctx, call{op: "FuturePut", method: http.MethodPut, path: "/v1/future", body: []byte(`{}`), ok: []int{http.StatusAccepted}})
			return err
		}},
	}
	for _, tt := range refused {
		// ImportPackage says so in its own words before do's rule would;
		// every refusal names the missing If-Match.
		err := tt.call()
		var ne *NoETagError
		if !errors.As(err, &ne) && (tt.name != "import, empty ETag" || err == nil) || !strings.Contains(err.Error(), "If-Match") {
			t.Errorf("%s: err = %v, want a refusal naming the missing If-Match", tt.name, err)
		}
	}
	if n := puts.Load(); n != 0 {
		t.Fatalf("%d PUTs reached the server, want none", n)
	}
	if _, err := c.PutInteractionModel(ctx, testSkill, StageDevelopment, "fr-FR", []byte(`{}`), IfAbsent()); err != nil {
		t.Fatalf("create of a new locale: %v", err)
	}
	if got := lastIfMatch.Load(); got != "" {
		t.Errorf("a create sent If-Match %q", got)
	}
	if _, err := c.PutInteractionModel(ctx, testSkill, StageDevelopment, "fr-FR", []byte(`{}`), IfMatch(`"m1"`)); err != nil {
		t.Fatal(err)
	}
	if got := lastIfMatch.Load(); got != `"m1"` {
		t.Errorf("If-Match %q, want \"m1\"", got)
	}
}
