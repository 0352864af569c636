// Package prcomment keeps skillgate's sticky plan comment on a pull request
// and reads it back at merge time for the drift guard. It knows GitHub, not
// plans: what the comment says and how its hidden marker line is written
// belong to internal/plan.
//
// There is one comment per pull request and Key (for skillgate: per skill
// and stage, told apart by the plan's marker). Upsert finds the comment by
// its Key across every page of comments and edits it in place, and
// FindMerged locates the merged pull request of a commit and returns the
// comment, whose marker the deploy compares with the live skill.
//
// Whose comments count: only those written by the token's own account, so
// a marker pasted by someone else can neither be overwritten nor steer the
// drift guard. The account is GET /user; an Actions GITHUB_TOKEN (and any
// GitHub App installation token) gets 403 "Resource not accessible by
// integration" there, and then the comments of github-actions[bot] (type
// Bot) are accepted instead. So the plan and the deploy jobs must use the
// same kind of token: a plan written with a personal token is not seen by a
// deploy running on GITHUB_TOKEN, which then reports "no plan".
package prcomment

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/google/go-github/v92/github"

	"github.com/skillgate/skillgate/internal/buildinfo"
)

const (
	defaultAPIURL   = "https://api.github.com"
	actionsBotLogin = "github-actions[bot]"
	perPage         = 100
	defaultTimeout  = 30 * time.Second
)

// Client talks to the GitHub REST API (github.com or GitHub Enterprise
// Server) for the plan comment. It is safe for concurrent use.
type Client struct {
	gh    *githubAPI
	token string
	now   func() time.Time

	mu sync.Mutex
	id *identity
}

// githubAPI is the part of go-github prcomment calls, as method values.
// Holding these instead of the *github.Client keeps the binary small: the
// Client reaches every service of the REST API through its fields, and
// because text/template looks methods up by name, the linker keeps every
// exported method of every type reachable from a value stored in an
// interface, which a *Client here is: 3.5 MB of a 16 MB binary.
type githubAPI struct {
	baseURL         string
	getUser         func(ctx context.Context, user string) (*github.User, *github.Response, error)
	listComments    func(ctx context.Context, owner, repo string, number int, opts *github.IssueListCommentsOptions) ([]*github.IssueComment, *github.Response, error)
	getComment      func(ctx context.Context, owner, repo string, id int64) (*github.IssueComment, *github.Response, error)
	createComment   func(ctx context.Context, owner, repo string, number int, body github.IssueCommentRequest) (*github.IssueComment, *github.Response, error)
	updateComment   func(ctx context.Context, owner, repo string, id int64, body github.IssueCommentRequest) (*github.IssueComment, *github.Response, error)
	pullsWithCommit func(ctx context.Context, owner, repo, sha string, opts *github.ListOptions) ([]*github.PullRequest, *github.Response, error)
}

func newGitHubAPI(gh *github.Client) *githubAPI {
	return &githubAPI{
		baseURL:         gh.BaseURL(),
		getUser:         gh.Users.Get,
		listComments:    gh.Issues.ListComments,
		getComment:      gh.Issues.GetComment,
		createComment:   gh.Issues.CreateComment,
		updateComment:   gh.Issues.UpdateComment,
		pullsWithCommit: gh.PullRequests.ListPullRequestsWithCommit,
	}
}

// identity is whose comments are ours.
type identity struct {
	login string
	bot   bool // the login of the Actions bot, found when /user was refused
}

func (id identity) owns(u *github.User) bool {
	if u == nil {
		return false
	}
	if id.bot {
		return u.GetLogin() == actionsBotLogin && u.GetType() == "Bot"
	}
	return strings.EqualFold(u.GetLogin(), id.login)
}

// New returns a client for the API at apiURL, the runner's GITHUB_API_URL:
// "" means https://api.github.com; a GitHub Enterprise Server URL such as
// https://ghe.example.com/api/v3 is used as given. The token is sent as a
// bearer token and never appears in errors. hc carries the timeouts and
// transport; nil means a client with a 30 s timeout.
func New(token, apiURL string, hc *http.Client) (*Client, error) {
	if apiURL == "" {
		apiURL = defaultAPIURL
	}
	u, err := url.Parse(apiURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("GitHub API URL %q is not an http(s) URL: set GITHUB_API_URL like https://api.github.com "+
			"or https://ghe.example.com/api/v3", apiURL)
	}
	if hc == nil {
		hc = &http.Client{Timeout: defaultTimeout}
	}
	base := strings.TrimRight(u.String(), "/") + "/"
	opts := []github.ClientOptionsFunc{
		github.WithHTTPClient(hc),
		github.WithURLs(&base, &base),
		github.WithUserAgent(buildinfo.UserAgent()),
	}
	if token != "" {
		opts = append(opts, github.WithAuthToken(token))
	}
	gh, err := github.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("GitHub client for %s: %w", apiURL, err)
	}
	return &Client{gh: newGitHubAPI(gh), token: token, now: time.Now}, nil
}

// self finds, once, whose comments are ours (see the package comment).
func (c *Client) self(ctx context.Context) (identity, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.id != nil {
		return *c.id, nil
	}
	u, _, err := c.gh.getUser(ctx, "")
	var id identity
	switch {
	case err == nil && u.GetLogin() != "":
		id = identity{login: u.GetLogin()}
	case err == nil:
		return identity{}, fmt.Errorf("GitHub API: GET /user returned no login: check GITHUB_API_URL")
	default:
		werr := c.wrap("reading the token's own account (GET /user)", false, err)
		if !errors.Is(werr, ErrForbidden) {
			return identity{}, werr
		}
		// An Actions GITHUB_TOKEN may not read /user; what it writes is
		// authored by github-actions[bot].
		id = identity{login: actionsBotLogin, bot: true}
	}
	c.id = &id
	return id, nil
}

// listComments calls fn for every comment on issue number, page after page.
func (c *Client) listComments(ctx context.Context, owner, repo string, number int, fn func(*github.IssueComment)) error {
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: perPage}}
	for {
		page, resp, err := c.gh.listComments(ctx, owner, repo, number, opts)
		if err != nil {
			return c.wrap(fmt.Sprintf("listing the comments of %s/%s#%d", owner, repo, number), false, err)
		}
		for _, cm := range page {
			fn(cm)
		}
		if resp == nil || resp.NextPage == 0 || resp.NextPage <= opts.Page {
			return nil
		}
		opts.Page = resp.NextPage
	}
}

// Key tells one sticky comment apart from every other comment of a pull
// request, from its body. skillgate's plan comment carries a hidden marker
// line; plan.Matches(skill, stage) is its Key.
type Key func(body string) bool

// findKeyed returns the newest comment on number that id wrote and that key
// identifies, or nil.
func (c *Client) findKeyed(ctx context.Context, id identity, owner, repo string, number int, key Key) (*github.IssueComment, error) {
	var best *github.IssueComment
	err := c.listComments(ctx, owner, repo, number, func(cm *github.IssueComment) {
		if !id.owns(cm.User) || !key(cm.GetBody()) {
			return
		}
		if best == nil || newer(cm, best) {
			best = cm
		}
	})
	return best, err
}

func newer(a, b *github.IssueComment) bool {
	ta, tb := a.GetCreatedAt().Time, b.GetCreatedAt().Time
	if !ta.Equal(tb) {
		return ta.After(tb)
	}
	return a.GetID() > b.GetID()
}
