package deploy

import (
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/skillgate/skillgate/internal/smapi"
)

// stripETag drops the ETag header from the answers to GET requests whose
// path ends in suffix, the first times times (negative: always), as a SMAPI
// that forgets the header would.
type stripETag struct {
	next   http.RoundTripper
	suffix string
	times  int32
	n      atomic.Int32
}

func (s *stripETag) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := s.next.RoundTrip(r)
	if err != nil || r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, s.suffix) {
		return resp, err
	}
	if n := s.n.Add(1); s.times < 0 || n <= s.times {
		resp.Header.Del("ETag")
	}
	return resp, nil
}

// withoutETag makes h's client read suffix without an ETag times times.
func (h *harness) withoutETag(suffix string, times int32) {
	h.t.Helper()
	hc := &http.Client{Transport: &stripETag{next: h.sim.Client().Transport, suffix: suffix, times: times}}
	c, err := smapi.NewClient(smapi.Config{
		BaseURL: h.sim.URL, LWAURL: h.sim.URL,
		ClientID: testClientID, ClientSecret: testClientSecret, RefreshToken: testRefreshToken,
		HTTPClient: hc, Debug: h,
		Retry: smapi.RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond},
	})
	if err != nil {
		h.t.Fatal(err)
	}
	h.client = c
}

// TestNoETagNoWrite: a live manifest read without an ETag is read once more;
// still without one, the deploy refuses and writes nothing (issue: the PUT
// went out without If-Match and overwrote whatever was live).
func TestNoETagNoWrite(t *testing.T) {
	t.Parallel()
	h := setup(t)
	h.withoutETag("/stages/development/manifest", -1)
	before, _ := h.live()
	out, err := h.run(Options{Manifest: edited(t, "Ours.")})
	var re *RefusedError
	if !errors.As(err, &re) || re.Reason != "no-etag" {
		t.Fatalf("err = %v, want a no-etag *RefusedError", err)
	}
	for _, want := range []string{"without an ETag", "nothing was written"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal lacks %q: %v", want, err)
		}
	}
	if n := h.count(http.MethodPut, manifestPath); n != 0 {
		t.Errorf("%d PUT requests, want none", n)
	}
	if n := h.count(http.MethodGet, manifestPath); n != 2 {
		t.Errorf("%d GET manifest requests, want 2 (the read and one re-read)", n)
	}
	if after, _ := h.live(); !sameManifest(t, before, after) {
		t.Error("the live manifest changed")
	}
	if out.Status != StatusFailed || out.Refused != "no-etag" {
		t.Errorf("Status, Refused = %s, %s", out.Status, out.Refused)
	}
}

// TestNoETagOnce: when the re-read brings the ETag, the write carries it.
func TestNoETagOnce(t *testing.T) {
	t.Parallel()
	h := setup(t)
	h.withoutETag("/stages/development/manifest", 1)
	_, etag := h.live()
	out, err := h.run(Options{Manifest: edited(t, "Ours.")})
	if err != nil || out.Status != StatusSucceeded {
		t.Fatalf("Run = %s, %v", out.Status, err)
	}
	puts := h.puts()
	if len(puts) != 1 || puts[0].Header.Get("If-Match") != etag {
		t.Errorf("PUTs %+v, want one with If-Match %s", puts, etag)
	}
}

// TestNoETagModel: the same holds for an interaction model the deploy would
// replace; a locale the live skill lacks is created without If-Match.
func TestNoETagModel(t *testing.T) {
	t.Parallel()
	h := setup(t, withModels(t)...)
	h.withoutETag("/locales/en-US", -1)
	out, err := h.run(Options{Manifest: readFile(t, "testdata/skill.json"), Models: map[string][]byte{
		"en-US": withSample(t, "en-US", "ring in ten minutes"),
		"de-DE": readFile(t, "testdata/model-de-DE.json"),
	}})
	var re *RefusedError
	if !errors.As(err, &re) || re.Reason != "no-etag" || !strings.Contains(err.Error(), "en-US interaction model") {
		t.Fatalf("err = %v, want a no-etag *RefusedError naming the en-US model", err)
	}
	if puts := h.puts(); len(puts) != 0 {
		t.Errorf("%d PUT requests, want none", len(puts))
	}
	if out.Status != StatusFailed {
		t.Errorf("Status = %s", out.Status)
	}
}
