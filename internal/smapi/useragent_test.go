package smapi

import (
	"context"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/skillgate/skillgate/internal/buildinfo"
)

// agents records the User-Agent of every request, keyed by path.
type agents struct {
	base http.RoundTripper
	mu   sync.Mutex
	ua   map[string][]string
}

func (a *agents) RoundTrip(r *http.Request) (*http.Response, error) {
	a.mu.Lock()
	a.ua[r.URL.Path] = append(a.ua[r.URL.Path], r.Header.Get("User-Agent"))
	a.mu.Unlock()
	return a.base.RoundTrip(r)
}

// TestUserAgentNamesVersion: both the LWA token request (which oauth2
// builds) and the SMAPI call carry skillgate's version.
func TestUserAgentNamesVersion(t *testing.T) {
	t.Parallel()
	rec := &agents{ua: map[string][]string{}}
	c, f := setup(t, func(cfg *Config) {
		rec.base = cfg.HTTPClient.Transport
		cfg.HTTPClient = &http.Client{Transport: rec}
	})
	f.mux.HandleFunc("GET /v1/skills/{id}/stages/development/manifest", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, manifestBody)
	})
	if _, err := c.GetManifest(context.Background(), testSkill, StageDevelopment); err != nil {
		t.Fatal(err)
	}
	want := buildinfo.UserAgent()
	for _, path := range []string{lwaPrefix + TokenPath, apiPrefix + "/v1/skills/" + testSkill + "/stages/development/manifest"} {
		got := rec.ua[path]
		if len(got) == 0 {
			t.Errorf("no request to %s seen (saw %v)", path, rec.ua)
		}
		for _, ua := range got {
			if ua != want {
				t.Errorf("%s: User-Agent %q, want %q", path, ua, want)
			}
		}
	}
}
