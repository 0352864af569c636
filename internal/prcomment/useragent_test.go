package prcomment

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/skillgate/skillgate/internal/buildinfo"
	"github.com/skillgate/skillgate/internal/githubtest"
)

// agentLog records the User-Agent of every request that passes through it.
type agentLog struct {
	base http.RoundTripper
	mu   sync.Mutex
	seen []string
}

func (l *agentLog) RoundTrip(r *http.Request) (*http.Response, error) {
	l.mu.Lock()
	l.seen = append(l.seen, r.Method+" "+r.URL.Path+": "+r.Header.Get("User-Agent"))
	l.mu.Unlock()
	return l.base.RoundTrip(r)
}

// TestUserAgentNamesVersion: every GitHub request says which skillgate sent
// it, so that GitHub's logs and rate-limit support can tell releases apart.
func TestUserAgentNamesVersion(t *testing.T) {
	t.Parallel()
	srv := githubtest.NewServer(githubtest.WithToken(token))
	t.Cleanup(srv.Close)
	srv.AddPR(owner, repo, githubtest.PR{Number: 3})
	log := &agentLog{base: srv.Client().Transport}
	c, err := New(token, srv.URL, &http.Client{Transport: log})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.Upsert(ctx, owner, repo, 3, key, planBody(`"e1"`, "plan")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Upsert(ctx, owner, repo, 3, key, planBody(`"e2"`, "plan")); err != nil {
		t.Fatal(err)
	}
	want := buildinfo.UserAgent()
	if len(log.seen) < 3 {
		t.Fatalf("only %d requests seen: %q", len(log.seen), log.seen)
	}
	for _, s := range log.seen {
		if s[len(s)-len(want):] != want {
			t.Errorf("request %q: want User-Agent %q", s, want)
		}
	}
}
