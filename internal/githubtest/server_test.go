package githubtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/skillgate/skillgate/internal/markdown"
)

type reply struct {
	status int
	header http.Header
	body   string
}

func do(t *testing.T, s *Server, method, path, token, body string) reply {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{resp.StatusCode, resp.Header, string(b)}
}

func decode[T any](t *testing.T, r reply) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(r.body), &v); err != nil {
		t.Fatalf("decoding %q: %v", r.body, err)
	}
	return v
}

func TestPaginationLinks(t *testing.T) {
	t.Parallel()
	s := NewServer(WithPathPrefix("/api/v3"))
	defer s.Close()
	s.AddComments("o", "r", 7, 35, User{Login: "alice"})

	tests := []struct {
		query     string
		wantFirst string
		wantLen   int
		wantRels  []string
		wantLast  string
	}{
		{"", "Comment 1 of 35", 30, []string{"next", "last"}, "page=2&per_page=30"},
		{"?per_page=10&page=1", "Comment 1 of 35", 10, []string{"next", "last"}, "page=4&per_page=10"},
		{"?per_page=10&page=3", "Comment 21 of 35", 10, []string{"prev", "next", "last", "first"}, "page=4&per_page=10"},
		{"?per_page=10&page=4", "Comment 31 of 35", 5, []string{"prev", "first"}, ""},
		{"?per_page=500", "Comment 1 of 35", 35, nil, ""},
		{"?per_page=10&page=9", "", 0, []string{"prev", "first"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := do(t, s, "GET", "/repos/o/r/issues/7/comments"+tt.query, "", "")
			if r.status != 200 {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			got := decode[[]struct{ Body string }](t, r)
			if len(got) != tt.wantLen {
				t.Fatalf("got %d comments, want %d", len(got), tt.wantLen)
			}
			if tt.wantLen > 0 && got[0].Body != tt.wantFirst {
				t.Errorf("first = %q, want %q", got[0].Body, tt.wantFirst)
			}
			links := parseLinks(r.header.Get("Link"))
			var rels []string
			for _, l := range links {
				rels = append(rels, l.rel)
				if !strings.HasPrefix(l.url, s.URL+"/repos/o/r/issues/7/comments?") {
					t.Errorf("link %q does not start with the prefixed API URL", l.url)
				}
				if l.rel == "last" && !strings.HasSuffix(l.url, tt.wantLast) {
					t.Errorf("last = %q, want suffix %q", l.url, tt.wantLast)
				}
			}
			if diff := cmp.Diff(tt.wantRels, rels); diff != "" {
				t.Errorf("rels (-want +got):\n%s", diff)
			}
		})
	}
}

type link struct{ url, rel string }

func parseLinks(h string) []link {
	var out []link
	for part := range strings.SplitSeq(h, ",") {
		u, rel, ok := strings.Cut(strings.TrimSpace(part), ">; rel=")
		if !ok {
			continue
		}
		out = append(out, link{strings.TrimPrefix(u, "<"), strings.Trim(rel, `"`)})
	}
	return out
}

func TestPageSizeOption(t *testing.T) {
	t.Parallel()
	s := NewServer(WithPageSize(4))
	defer s.Close()
	s.AddComments("o", "r", 1, 9, User{})
	r := do(t, s, "GET", "/repos/o/r/issues/1/comments?per_page=100", "", "")
	if got := decode[[]any](t, r); len(got) != 4 {
		t.Errorf("per_page=100 under WithPageSize(4): %d comments, want 4", len(got))
	}
	if !strings.Contains(r.header.Get("Link"), "page=3&per_page=4>; rel=\"last\"") {
		t.Errorf("Link = %q, want last page 3", r.header.Get("Link"))
	}
}

func TestAuthAndPrefix(t *testing.T) {
	t.Parallel()
	s := NewServer(WithToken("s3cret"), WithPathPrefix("api/v3/"))
	defer s.Close()
	if !strings.HasSuffix(s.URL, "/api/v3") {
		t.Fatalf("URL = %q, want the /api/v3 prefix", s.URL)
	}
	if r := do(t, s, "GET", "/user", "", ""); r.status != 401 || !strings.Contains(r.body, "Bad credentials") {
		t.Errorf("no token: %d %s, want 401 Bad credentials", r.status, r.body)
	}
	if r := do(t, s, "GET", "/user", "wrong", ""); r.status != 401 {
		t.Errorf("wrong token: %d, want 401", r.status)
	}
	r := do(t, s, "GET", "/user", "s3cret", "")
	if r.status != 200 {
		t.Fatalf("good token: %d %s", r.status, r.body)
	}
	if u := decode[struct{ Login, Type string }](t, r); u.Login != DefaultUserLogin || u.Type != "User" {
		t.Errorf("user = %+v", u)
	}
	// Outside the prefix: GitHub Enterprise Server has nothing there.
	resp, err := s.Client().Get(s.WebURL + "/user")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("GET /user without the prefix: %d, want 404", resp.StatusCode)
	}
	log := s.Requests()
	if len(log) != 4 || log[3].Path != "/user" || log[2].Path != "/user" {
		t.Errorf("request log = %+v", log)
	}
	for _, req := range log {
		if strings.Contains(fmt.Sprint(req), "s3cret") {
			t.Errorf("the request log holds the token: %+v", req)
		}
	}
}

func TestActionsToken(t *testing.T) {
	t.Parallel()
	s := NewServer(WithActionsToken())
	defer s.Close()
	s.AddPR("o", "r", PR{Number: 3})
	if r := do(t, s, "GET", "/user", "", ""); r.status != 403 || !strings.Contains(r.body, "Resource not accessible by integration") {
		t.Errorf("GET /user: %d %s, want 403", r.status, r.body)
	}
	r := do(t, s, "POST", "/repos/o/r/issues/3/comments", "", `{"body":"hi"}`)
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	c := decode[struct {
		ID      int64
		HTMLURL string `json:"html_url"`
		User    struct{ Login, Type string }
	}](t, r)
	if c.User.Login != ActionsBotLogin || c.User.Type != "Bot" {
		t.Errorf("author = %+v, want github-actions[bot] Bot", c.User)
	}
	if want := fmt.Sprintf("%s/o/r/pull/3#issuecomment-%d", s.WebURL, c.ID); c.HTMLURL != want {
		t.Errorf("html_url = %q, want %q", c.HTMLURL, want)
	}
	if r.header.Get("Location") == "" {
		t.Error("no Location header on 201")
	}
}

func TestCommentWrites(t *testing.T) {
	t.Parallel()
	s := NewServer()
	defer s.Close()
	s.AddPR("o", "r", PR{Number: 5})

	tests := []struct {
		name, method, path, body string
		want                     int
	}{
		{"create", "POST", "/repos/o/r/issues/5/comments", `{"body":"one"}`, 201},
		{"create on a missing issue", "POST", "/repos/o/r/issues/6/comments", `{"body":"x"}`, 404},
		{"bad JSON", "POST", "/repos/o/r/issues/5/comments", `{"body":`, 400},
		{"no body field", "POST", "/repos/o/r/issues/5/comments", `{}`, 422},
		{"too long", "POST", "/repos/o/r/issues/5/comments", `{"body":"` + strings.Repeat("é", markdown.MaxCommentLength+1) + `"}`, 422},
		{"exactly the limit", "POST", "/repos/o/r/issues/5/comments", `{"body":"` + strings.Repeat("é", markdown.MaxCommentLength) + `"}`, 201},
		{"unknown route", "GET", "/repos/o/r/nothing", "", 404},
		{"unsupported method", "PUT", "/repos/o/r/issues/5/comments", `{"body":"x"}`, 404},
	}
	for _, tt := range tests {
		if r := do(t, s, tt.method, tt.path, "", tt.body); r.status != tt.want {
			t.Errorf("%s: status %d, want %d (%s)", tt.name, r.status, tt.want, r.body[:min(len(r.body), 200)])
		}
	}
	first := s.Comments("o", "r", 5)[0]
	r := do(t, s, "PATCH", fmt.Sprintf("/repos/o/r/issues/comments/%d", first.ID), "", `{"body":"two"}`)
	if r.status != 200 {
		t.Fatalf("update: %d %s", r.status, r.body)
	}
	if got, _ := s.Comment("o", "r", first.ID); got.Body != "two" {
		t.Errorf("after update body = %q", got.Body)
	}
	if r := do(t, s, "GET", fmt.Sprintf("/repos/o/r/issues/comments/%d", first.ID), "", ""); !strings.Contains(r.body, `"body":"two"`) {
		t.Errorf("get after update: %s", r.body)
	}
	if r := do(t, s, "DELETE", fmt.Sprintf("/repos/o/r/issues/comments/%d", first.ID), "", ""); r.status != 204 {
		t.Errorf("delete: %d", r.status)
	}
	if r := do(t, s, "GET", fmt.Sprintf("/repos/o/r/issues/comments/%d", first.ID), "", ""); r.status != 404 {
		t.Errorf("get after delete: %d, want 404", r.status)
	}

	s.SetForbidCommentWrites(true)
	for _, m := range []string{"POST /repos/o/r/issues/5/comments", "PATCH /repos/o/r/issues/comments/1"} {
		method, path, _ := strings.Cut(m, " ")
		if r := do(t, s, method, path, "", `{"body":"x"}`); r.status != 403 || !strings.Contains(r.body, "not accessible by integration") {
			t.Errorf("%s while forbidden: %d %s", m, r.status, r.body)
		}
	}
	if r := do(t, s, "GET", "/repos/o/r/issues/5/comments", "", ""); r.status != 200 {
		t.Errorf("reads stay allowed while writes are forbidden: %d", r.status)
	}
	log := s.Requests()
	if last := log[len(log)-2]; last.Method != "PATCH" || last.Body != `{"body":"x"}` {
		t.Errorf("log entry = %+v", last)
	}
}

func TestRateLimits(t *testing.T) {
	t.Parallel()
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	reset := now.Add(17 * time.Minute)
	tests := []struct {
		name      string
		rl        RateLimit
		status    int
		remaining string
		retry     string
	}{
		{"primary 403", RateLimit{Reset: reset}, 403, "0", ""},
		{"primary 429", RateLimit{Status: 429, Reset: reset}, 429, "0", ""},
		{"secondary", RateLimit{Secondary: true, RetryAfter: 61 * time.Second}, 403, "", "61"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.rl.After = 1
			s := NewServer(WithRateLimit(tt.rl), WithClock(func() time.Time { return now }))
			defer s.Close()
			if r := do(t, s, "GET", "/user", "", ""); r.status != 200 || r.header.Get("X-RateLimit-Remaining") == "0" {
				t.Fatalf("first request (After=1): %d remaining=%s", r.status, r.header.Get("X-RateLimit-Remaining"))
			}
			r := do(t, s, "GET", "/user", "", "")
			if r.status != tt.status {
				t.Fatalf("status %d, want %d", r.status, tt.status)
			}
			if tt.remaining != "" {
				if got := r.header.Get("X-RateLimit-Remaining"); got != tt.remaining {
					t.Errorf("remaining = %q", got)
				}
				if got := r.header.Get("X-RateLimit-Reset"); got != fmt.Sprint(reset.Unix()) {
					t.Errorf("reset = %q, want %d", got, reset.Unix())
				}
			} else if r.header.Get("X-RateLimit-Remaining") == "0" {
				t.Error("a secondary limit must not look like a primary one")
			}
			if got := r.header.Get("Retry-After"); got != tt.retry {
				t.Errorf("Retry-After = %q, want %q", got, tt.retry)
			}
			s.SetRateLimit(nil)
			if r := do(t, s, "GET", "/user", "", ""); r.status != 200 {
				t.Errorf("after lifting the limit: %d", r.status)
			}
		})
	}
}

func TestPullsForCommit(t *testing.T) {
	t.Parallel()
	now := time.Date(2030, 5, 6, 7, 8, 9, 0, time.UTC)
	s := NewServer(WithClock(func() time.Time { return now }))
	defer s.Close()
	s.AddPR("o", "r", PR{Number: 1, HeadSHA: "aaa"})
	s.AddPR("o", "r", PR{Number: 2, HeadSHA: "bbb", Commits: []string{"aaa"}})
	s.AddPR("o", "r", PR{Number: 3, HeadSHA: "ccc"})
	if !s.MergePR("o", "r", 2, "mmm") {
		t.Fatal("MergePR(2) = false")
	}
	if s.MergePR("o", "r", 99, "x") {
		t.Error("MergePR of a missing PR = true")
	}
	type pr struct {
		Number         int
		State          string
		Merged         bool
		MergedAt       *string `json:"merged_at"`
		MergeCommitSHA *string `json:"merge_commit_sha"`
	}
	got := decode[[]pr](t, do(t, s, "GET", "/repos/o/r/commits/aaa/pulls", "", ""))
	if len(got) != 2 || got[0].Number != 1 || got[1].Number != 2 {
		t.Fatalf("pulls of aaa = %+v, want #1 and #2", got)
	}
	if got[0].Merged || got[0].MergedAt != nil || got[0].State != "open" {
		t.Errorf("#1 = %+v, want open and unmerged", got[0])
	}
	if !got[1].Merged || got[1].MergedAt == nil || *got[1].MergedAt != "2030-05-06T07:08:09Z" || *got[1].MergeCommitSHA != "mmm" || got[1].State != "closed" {
		t.Errorf("#2 = %+v, want merged as mmm", got[1])
	}
	if got := decode[[]pr](t, do(t, s, "GET", "/repos/o/r/commits/mmm/pulls", "", "")); len(got) != 1 || got[0].Number != 2 {
		t.Errorf("pulls of the merge commit = %+v", got)
	}
	if got := decode[[]pr](t, do(t, s, "GET", "/repos/o/r/commits/zzz/pulls", "", "")); len(got) != 0 {
		t.Errorf("pulls of an unknown commit = %+v", got)
	}
	if got := decode[pr](t, do(t, s, "GET", "/repos/O/R/pulls/3", "", "")); got.Number != 3 {
		t.Errorf("GET pulls/3 (owner case ignored) = %+v", got)
	}
}
