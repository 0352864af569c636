package prcomment

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/skillgate/skillgate/internal/githubtest"
	"github.com/skillgate/skillgate/internal/markdown"
	"github.com/skillgate/skillgate/internal/plan"
)

// key identifies the plan comment of skill and stage.
var key = plan.Matches(skill, stage)

const (
	token = "ghp_TopSecretToken1234567890"
	owner = "acme"
	repo  = "skills"
	skill = "amzn1.ask.skill.11111111-2222"
	stage = "development"
)

// setup serves the fake GitHub under the GHES prefix, so any absolute path
// a request builds by mistake gets 404.
func setup(t *testing.T, opts ...githubtest.Option) (*githubtest.Server, *Client) {
	t.Helper()
	opts = append([]githubtest.Option{githubtest.WithToken(token), githubtest.WithPathPrefix("/api/v3")}, opts...)
	srv := githubtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	c, err := New(token, srv.URL, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func planBody(etag, text string) string {
	return plan.Marker{Skill: skill, Stage: stage, ETag: etag, SHA256: strings.Repeat("0", 64)}.String() + "\n" + text
}

// writes returns the logged requests that change state.
func writes(srv *githubtest.Server) []githubtest.Request {
	var out []githubtest.Request
	for _, r := range srv.Requests() {
		if r.Method != http.MethodGet {
			out = append(out, r)
		}
	}
	return out
}

func TestUpsertCreatesThenEdits(t *testing.T) {
	t.Parallel()
	srv, c := setup(t)
	srv.AddPR(owner, repo, githubtest.PR{Number: 12})
	ctx := context.Background()

	first, err := c.Upsert(ctx, owner, repo, 12, key, planBody(`"e1"`, "first push"))
	if err != nil {
		t.Fatal(err)
	}
	if first.Action != ActionCreated || first.ID == 0 || !strings.Contains(first.URL, "/acme/skills/pull/12#issuecomment-") {
		t.Errorf("first = %+v", first)
	}
	second, err := c.Upsert(ctx, owner, repo, 12, key, planBody(`"e2"`, "second push"))
	if err != nil {
		t.Fatal(err)
	}
	if second.Action != ActionUpdated || second.ID != first.ID || second.URL != first.URL {
		t.Errorf("second = %+v, want an update of %d", second, first.ID)
	}
	comments := srv.Comments(owner, repo, 12)
	if len(comments) != 1 || !strings.HasSuffix(comments[0].Body, "second push") {
		t.Fatalf("comments = %+v, want one holding the second push", comments)
	}
	// Another stage of the same skill gets its own comment.
	other := plan.Marker{Skill: skill, Stage: "live"}.String() + "\nlive plan"
	r, err := c.Upsert(ctx, owner, repo, 12, plan.Matches(skill, "live"), other)
	if err != nil || r.Action != ActionCreated || r.ID == first.ID {
		t.Errorf("live stage: %+v, %v; want a second comment", r, err)
	}
	userCalls := 0
	for _, req := range srv.Requests() {
		if req.Path == "/user" {
			userCalls++
		}
	}
	if userCalls != 1 {
		t.Errorf("GET /user called %d times, want once (cached)", userCalls)
	}
}

func TestUpsertMarkerOnPage3Of4(t *testing.T) {
	t.Parallel()
	srv, c := setup(t)
	ctx := context.Background()
	srv.AddComments(owner, repo, 40, 250, githubtest.User{Login: "reviewer"})
	ours := srv.AddComment(owner, repo, 40, githubtest.User{}, planBody(`"old"`, "old plan"))
	srv.AddComments(owner, repo, 40, 99, githubtest.User{Login: "reviewer"})
	// A marker pasted by someone else is not ours to edit.
	srv.AddComment(owner, repo, 40, githubtest.User{Login: "mallory"}, planBody(`"forged"`, "forged"))
	srv.ResetRequests()

	res, err := c.Upsert(ctx, owner, repo, 40, key, planBody(`"new"`, "new plan"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Action != ActionUpdated || res.ID != ours.ID {
		t.Fatalf("result = %+v, want our comment %d updated", res, ours.ID)
	}
	var pages []string
	for _, r := range srv.Requests() {
		if r.Method == "GET" && strings.HasSuffix(r.Path, "/issues/40/comments") {
			pages = append(pages, r.RawQuery)
		}
	}
	want := []string{"per_page=100", "page=2&per_page=100", "page=3&per_page=100", "page=4&per_page=100"}
	if fmt.Sprint(pages) != fmt.Sprint(want) {
		t.Errorf("listed pages %q, want %q", pages, want)
	}
	w := writes(srv)
	if len(w) != 1 || w[0].Method != "PATCH" || w[0].Path != fmt.Sprintf("/repos/acme/skills/issues/comments/%d", ours.ID) {
		t.Errorf("writes = %+v, want one PATCH of %d", w, ours.ID)
	}
	if got, _ := srv.Comment(owner, repo, ours.ID); !strings.HasSuffix(got.Body, "new plan") {
		t.Errorf("our comment = %q", got.Body)
	}
	if n := len(srv.Comments(owner, repo, 40)); n != 351 {
		t.Errorf("%d comments, want 351 (no new one)", n)
	}
}

func TestUpsertUnchangedSendsNothing(t *testing.T) {
	t.Parallel()
	srv, c := setup(t)
	srv.AddPR(owner, repo, githubtest.PR{Number: 3})
	ctx := context.Background()
	body := planBody(`W/"same"`, "| pointer | before | after |\n")
	first, err := c.Upsert(ctx, owner, repo, 3, key, body)
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	again, err := c.Upsert(ctx, owner, repo, 3, key, strings.ReplaceAll(body, "\n", "\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if again.Action != ActionUnchanged || again.ID != first.ID || again.URL != first.URL {
		t.Errorf("again = %+v, want unchanged %d", again, first.ID)
	}
	if w := writes(srv); len(w) != 0 {
		t.Errorf("an unchanged body sent %+v", w)
	}
}

func TestUpsertEditsNewestOfSeveral(t *testing.T) {
	t.Parallel()
	srv, c := setup(t)
	older := srv.AddComment(owner, repo, 8, githubtest.User{}, planBody("1", "older run"))
	newer := srv.AddComment(owner, repo, 8, githubtest.User{}, planBody("2", "newer run"))
	res, err := c.Upsert(context.Background(), owner, repo, 8, key, planBody("3", "this run"))
	if err != nil {
		t.Fatal(err)
	}
	if res.ID != newer.ID {
		t.Errorf("edited %d, want the newest %d", res.ID, newer.ID)
	}
	if got, _ := srv.Comment(owner, repo, older.ID); got.Body != older.Body {
		t.Errorf("the older comment changed: %q", got.Body)
	}
}

func TestUpsertActionsToken(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, githubtest.WithActionsToken())
	srv.AddPR(owner, repo, githubtest.PR{Number: 9})
	// A person's comment with our marker is not the bot's.
	srv.AddComment(owner, repo, 9, githubtest.User{Login: "octocat"}, planBody("p", "pasted"))
	ctx := context.Background()
	first, err := c.Upsert(ctx, owner, repo, 9, key, planBody("1", "one"))
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.Upsert(ctx, owner, repo, 9, key, planBody("2", "two"))
	if err != nil {
		t.Fatal(err)
	}
	if first.Action != ActionCreated || second.Action != ActionUpdated || second.ID != first.ID {
		t.Errorf("first %+v, second %+v: want create then edit by github-actions[bot]", first, second)
	}
	if got, _ := srv.Comment(owner, repo, first.ID); got.User.Login != githubtest.ActionsBotLogin {
		t.Errorf("author = %+v", got.User)
	}
}

func TestUpsertForbidden(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, githubtest.WithActionsToken(), githubtest.WithForbiddenCommentWrites())
	srv.AddPR(owner, repo, githubtest.PR{Number: 4})
	_, err := c.Upsert(context.Background(), owner, repo, 4, key, planBody("e", "x"))
	if !errors.Is(err, ErrForbidden) {
		t.Fatalf("err = %v, want ErrForbidden", err)
	}
	var fe *ForbiddenError
	if !errors.As(err, &fe) || !fe.Write || fe.Message != "Resource not accessible by integration" {
		t.Errorf("ForbiddenError = %+v", fe)
	}
	for _, want := range []string{"acme/skills#4", "403", "forks", "pull-requests: write"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if errors.Is(err, ErrRateLimited) {
		t.Error("a 403 without rate-limit headers matched ErrRateLimited")
	}
}

func TestUpsertRateLimit(t *testing.T) {
	t.Parallel()
	reset := time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC)
	now := reset.Add(-10 * time.Minute)
	tests := []struct {
		name      string
		rl        githubtest.RateLimit
		wantReset time.Time
		wantText  string
	}{
		{"primary 403", githubtest.RateLimit{Reset: reset, After: 1}, reset, "rate limit exceeded while listing the comments of acme/skills#2; it resets at 2031-03-04T05:06:07Z"},
		{"primary 429", githubtest.RateLimit{Status: 429, Reset: reset, After: 1}, reset, "it resets at 2031-03-04T05:06:07Z"},
		{"secondary", githubtest.RateLimit{Secondary: true, RetryAfter: 90 * time.Second, After: 1}, now.Add(90 * time.Second), "secondary rate limit exceeded while listing the comments of acme/skills#2; it resets at 2031-03-04T04:57:37Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, c := setup(t, githubtest.WithRateLimit(tt.rl))
			c.now = func() time.Time { return now }
			srv.AddPR(owner, repo, githubtest.PR{Number: 2})
			_, err := c.Upsert(context.Background(), owner, repo, 2, key, planBody("e", "x"))
			var rl *RateLimitError
			if !errors.As(err, &rl) || !errors.Is(err, ErrRateLimited) {
				t.Fatalf("err = %v, want a *RateLimitError", err)
			}
			if !rl.Reset.Equal(tt.wantReset) {
				t.Errorf("Reset = %v, want %v", rl.Reset, tt.wantReset)
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("error %q lacks %q", err, tt.wantText)
			}
			if errors.Is(err, ErrForbidden) {
				t.Error("a rate limit matched ErrForbidden: the caller would only warn")
			}
		})
	}
}

func TestUpsertRefusesBadInput(t *testing.T) {
	t.Parallel()
	srv, c := setup(t)
	srv.AddPR(owner, repo, githubtest.PR{Number: 1})
	marker := plan.Marker{Skill: skill, Stage: stage}.String() + "\n"
	tests := []struct {
		name, skill, stage, body, want string
		pr                             int
	}{
		{"over the limit", skill, stage, marker + strings.Repeat("ü", markdown.MaxCommentLength), "limit of 65536", 1},
		{"no marker", skill, stage, "just text", "does not carry the marker", 1},
		{"marker of another stage", skill, stage, plan.Marker{Skill: skill, Stage: "live"}.String(), "does not carry the marker", 1},
		{"no skill", "", stage, marker, "does not carry the marker", 1},
		{"no PR", skill, stage, marker, "pull request 0 are not valid", 0},
	}
	for _, tt := range tests {
		_, err := c.Upsert(context.Background(), owner, repo, tt.pr, plan.Matches(tt.skill, tt.stage), tt.body)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("refused input still sent %d requests", n)
	}
	// Exactly the limit, counted in characters, is accepted.
	body := marker + strings.Repeat("ü", markdown.MaxCommentLength-len([]rune(marker)))
	if _, err := c.Upsert(context.Background(), owner, repo, 1, key, body); err != nil {
		t.Errorf("a body of exactly %d characters: %v", markdown.MaxCommentLength, err)
	}
}

func TestGHESBaseURL(t *testing.T) {
	t.Parallel()
	srv := githubtest.NewServer(githubtest.WithToken(token), githubtest.WithPathPrefix("/api/v3"))
	defer srv.Close()
	srv.AddPR(owner, repo, githubtest.PR{Number: 5})
	for _, base := range []string{srv.URL, srv.URL + "/"} {
		c, err := New(token, base, srv.Client())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Upsert(context.Background(), owner, repo, 5, key, planBody("e", base)); err != nil {
			t.Errorf("base %q: %v", base, err)
		}
	}
	for _, r := range srv.Requests() {
		if strings.Contains(r.Path, "api/v3") {
			t.Errorf("request %+v went outside the prefix", r)
		}
	}
	if n := len(srv.Comments(owner, repo, 5)); n != 1 {
		t.Errorf("%d comments, want 1", n)
	}
}

func TestNewRejectsBadURL(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"ftp://x", "not a url", "://", "https://"} {
		if _, err := New(token, u, nil); err == nil || !strings.Contains(err.Error(), "GITHUB_API_URL") {
			t.Errorf("New(%q) err = %v", u, err)
		}
	}
	c, err := New("", "", nil)
	if err != nil || c.gh.baseURL != "https://api.github.com/" {
		t.Errorf("default base: %v %v", c, err)
	}
}

func TestFindMerged(t *testing.T) {
	t.Parallel()
	srv, c := setup(t)
	ctx := context.Background()
	// #20 carries the plan on its second page and was merged as sha "m20".
	srv.AddPR(owner, repo, githubtest.PR{Number: 20, HeadSHA: "h20", Commits: []string{"c1"}})
	srv.AddComments(owner, repo, 20, 150, githubtest.User{Login: "reviewer"})
	want := plan.Marker{Skill: skill, Stage: stage, ETag: `W/"v7"`, SHA256: strings.Repeat("a", 64), Models: map[string]string{"en-US": "bb"}}
	posted := srv.AddComment(owner, repo, 20, githubtest.User{}, want.String()+"\nplan")
	srv.AddComment(owner, repo, 20, githubtest.User{}, plan.Marker{Skill: skill, Stage: "live", ETag: "other"}.String())
	srv.MergePR(owner, repo, 20, "m20")
	// #21 also holds c1 and was merged earlier under another sha; #22 is open.
	srv.AddPR(owner, repo, githubtest.PR{Number: 21, HeadSHA: "c1", MergedAt: time.Now().Add(-time.Hour), MergeCommitSHA: "m21"})
	srv.AddPR(owner, repo, githubtest.PR{Number: 22, Commits: []string{"c1", "m20"}})

	got, err := c.FindMerged(ctx, owner, repo, "m20", key)
	if err != nil {
		t.Fatal(err)
	}
	if got == nil {
		t.Fatal("FindMerged = nil")
	}
	if got.PR != 20 || got.ID != posted.ID || !strings.HasPrefix(got.Body, want.String()+"\n") ||
		!strings.HasSuffix(got.PRURL, "/acme/skills/pull/20") || !strings.Contains(got.URL, fmt.Sprint(posted.ID)) ||
		got.Body != posted.Body {
		t.Errorf("plan = %+v", got)
	}
	pages := 0
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/issues/20/comments") {
			pages++
		}
	}
	if pages != 2 {
		t.Errorf("listed %d pages of #20, want 2", pages)
	}

	// Commit c1 belongs to #20 (exact merge sha not matched) and #21: the
	// most recently merged wins.
	got, err = c.FindMerged(ctx, owner, repo, "c1", key)
	if err != nil || got == nil || got.PR != 20 {
		t.Errorf("FindMerged(c1) = %+v, %v; want #20", got, err)
	}
}

func TestFindMergedNone(t *testing.T) {
	t.Parallel()
	srv, c := setup(t)
	ctx := context.Background()
	srv.AddPR(owner, repo, githubtest.PR{Number: 1, HeadSHA: "open1"})
	srv.AddPR(owner, repo, githubtest.PR{Number: 2, HeadSHA: "h2"})
	srv.MergePR(owner, repo, 2, "m2")
	srv.AddComment(owner, repo, 2, githubtest.User{Login: "mallory"}, planBody("forged", ""))
	srv.AddComment(owner, repo, 2, githubtest.User{}, plan.Marker{Skill: "amzn1.ask.skill.other", Stage: stage}.String())

	for _, sha := range []string{"unknown", "open1", "m2"} {
		got, err := c.FindMerged(ctx, owner, repo, sha, key)
		if err != nil || got != nil {
			t.Errorf("FindMerged(%s) = %+v, %v; want nil, nil", sha, got, err)
		}
	}
	if _, err := c.FindMerged(ctx, owner, repo, "", key); err == nil || !strings.Contains(err.Error(), "GITHUB_SHA") {
		t.Errorf("empty sha: %v", err)
	}
}

func TestAppendToComment(t *testing.T) {
	t.Parallel()
	srv, c := setup(t)
	ctx := context.Background()
	cm := srv.AddComment(owner, repo, 30, githubtest.User{}, planBody("e", "plan\n\n"))
	line := "Deployed abc1234: SUCCEEDED"
	if err := c.AppendToComment(ctx, owner, repo, cm.ID, line+"\n"); err != nil {
		t.Fatal(err)
	}
	got, _ := srv.Comment(owner, repo, cm.ID)
	if want := planBody("e", "plan") + "\n\n" + line + "\n"; got.Body != want {
		t.Errorf("body =\n%q\nwant\n%q", got.Body, want)
	}
	srv.ResetRequests()
	if err := c.AppendToComment(ctx, owner, repo, cm.ID, line); err != nil {
		t.Fatal(err)
	}
	if w := writes(srv); len(w) != 0 {
		t.Errorf("a second append of the same line sent %+v", w)
	}
	if err := c.AppendToComment(ctx, owner, repo, cm.ID, "two\nlines"); err == nil {
		t.Error("a two-line append was accepted")
	}
	if err := c.AppendToComment(ctx, owner, repo, 999, line); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("missing comment: %v", err)
	}
	srv.SetForbidCommentWrites(true)
	if err := c.AppendToComment(ctx, owner, repo, cm.ID, "another line"); !errors.Is(err, ErrForbidden) {
		t.Errorf("forbidden append: %v", err)
	}
}

func TestTokenNeverInErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var errs []error

	// A server that echoes the Authorization header in its error message.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, `{"message":"boom: %s"}`, r.Header.Get("Authorization"))
	}))
	defer echo.Close()
	c, err := New(token, echo.URL, echo.Client())
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Upsert(ctx, owner, repo, 1, key, planBody("e", "x"))
	errs = append(errs, err)
	_, err = c.FindMerged(ctx, owner, repo, "sha", key)
	errs = append(errs, err)
	errs = append(errs, c.AppendToComment(ctx, owner, repo, 1, "line"))

	// The fake's own refusals: a wrong token, forbidden writes, a rate limit.
	bad := githubtest.NewServer(githubtest.WithToken("something-else"))
	defer bad.Close()
	c, _ = New(token, bad.URL, bad.Client())
	_, err = c.Upsert(ctx, owner, repo, 1, key, planBody("e", "x"))
	errs = append(errs, err)
	if !strings.Contains(err.Error(), "401") || !strings.Contains(err.Error(), "github-token") {
		t.Errorf("401 error %q does not say what to check", err)
	}
	for _, opt := range []githubtest.Option{githubtest.WithForbiddenCommentWrites(), githubtest.WithRateLimit(githubtest.RateLimit{})} {
		srv, c := setup(t, opt)
		srv.AddPR(owner, repo, githubtest.PR{Number: 1})
		_, err := c.Upsert(ctx, owner, repo, 1, key, planBody("e", "x"))
		errs = append(errs, err)
	}

	for i, err := range errs {
		if err == nil {
			t.Errorf("case %d: no error", i)
			continue
		}
		if strings.Contains(err.Error(), token) || strings.Contains(fmt.Sprintf("%+v", err), token) {
			t.Errorf("case %d: the token leaked: %v", i, err)
		}
	}
	if !strings.Contains(errs[0].Error(), "boom: Bearer ***") {
		t.Errorf("redaction did not keep the rest of the message: %v", errs[0])
	}
}
