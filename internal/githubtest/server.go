// Package githubtest is a fake of the slice of the GitHub REST API that
// skillgate drives — the authenticated user, issue and pull-request comments,
// the pull requests of a commit — served by net/http/httptest on loopback.
//
// It is shaped like httptest: NewServer(opts...) returns a running server
// with URL, Client() and Close(). All state sits behind one mutex, so tests,
// the Action's end-to-end scripts and `skillgate demo` can drive it from
// several goroutines. Options script what a real GitHub does to an Action: a
// GitHub Enterprise Server path prefix (/api/v3), a required token (401
// otherwise), a GITHUB_TOKEN that may not call /user, a token that may not
// write comments (403, as on pull requests from forks), and primary or
// secondary rate limits. Every request is logged (method, path, query, body)
// so tests can assert that no edit was sent.
package githubtest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// ActionsBotLogin is the login GitHub shows as the author of everything an
// Actions workflow's GITHUB_TOKEN writes.
const ActionsBotLogin = "github-actions[bot]"

// Defaults of a new server.
const (
	DefaultUserLogin = "skillgate-bot"
	defaultPerPage   = 30
	maxPerPage       = 100
)

// User is a GitHub account as the fake reports it.
type User struct {
	Login string
	ID    int64
	// Type is "User" or "Bot".
	Type string
}

// RateLimit scripts a rate limit. Primary limits answer Status (403 or 429)
// with X-RateLimit-Remaining: 0 and X-RateLimit-Reset; secondary limits answer
// Status with a Retry-After header and the "secondary rate limit"
// documentation URL, as GitHub does.
type RateLimit struct {
	// Status is 403 or 429; 0 means 403.
	Status int
	// Reset is when the primary limit resets (X-RateLimit-Reset).
	Reset time.Time
	// Secondary selects GitHub's secondary (abuse) rate limit.
	Secondary bool
	// RetryAfter is the Retry-After of a secondary limit, rounded to seconds.
	RetryAfter time.Duration
	// After lets this many requests through before the limit applies.
	After int
}

// Request is one logged request.
type Request struct {
	Method string
	// Path is the request path without the server's prefix, e.g.
	// "/repos/o/r/issues/1/comments".
	Path     string
	RawQuery string
	// Body is the request body, capped at 1 MiB.
	Body string
}

// Option configures a Server.
type Option func(*config)

type config struct {
	prefix       string
	token        string
	user         User
	integration  bool
	forbidWrites bool
	rateLimit    *RateLimit
	pageSize     int
	now          func() time.Time
}

// WithPathPrefix serves the API under prefix, as GitHub Enterprise Server
// serves it under /api/v3. Requests outside the prefix get 404, which catches
// clients that build absolute paths.
func WithPathPrefix(prefix string) Option {
	return func(c *config) {
		c.prefix = "/" + strings.Trim(prefix, "/")
		if c.prefix == "/" {
			c.prefix = ""
		}
	}
}

// WithToken makes the server require token ("Authorization: Bearer <token>"
// or "token <token>"); any other request gets 401 Bad credentials. Without
// this option every request is accepted.
func WithToken(token string) Option {
	return func(c *config) { c.token = token }
}

// WithUser sets the account the token belongs to: GET /user returns it and
// the comments the server creates are written by it. The default is
// DefaultUserLogin, of type "User".
func WithUser(login string) Option {
	return func(c *config) {
		c.user = User{Login: login, ID: c.user.ID, Type: "User"}
		c.integration = false
	}
}

// WithActionsToken makes the token behave like an Actions GITHUB_TOKEN:
// GET /user answers 403 "Resource not accessible by integration" and the
// comments the server creates are written by github-actions[bot] (type Bot).
func WithActionsToken() Option {
	return func(c *config) { c.integration = true }
}

// WithForbiddenCommentWrites makes creating and editing comments answer 403
// "Resource not accessible by integration", as GitHub does for a read-only
// GITHUB_TOKEN on a pull request from a fork.
func WithForbiddenCommentWrites() Option {
	return func(c *config) { c.forbidWrites = true }
}

// WithRateLimit scripts a rate limit (see RateLimit).
func WithRateLimit(rl RateLimit) Option {
	return func(c *config) { c.rateLimit = &rl }
}

// WithPageSize caps per_page at n (GitHub caps it at 100) and makes n the
// default when it is below GitHub's default of 30, so tests reach several
// pages with few items.
func WithPageSize(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.pageSize = n
		}
	}
}

// WithClock sets the clock used for created_at, updated_at and merged_at,
// for deterministic output.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}

// Server is a running fake GitHub API.
type Server struct {
	// URL is the API base URL, prefix included and without a trailing
	// slash: what GITHUB_API_URL holds on a runner.
	URL string
	// WebURL is the base of html_url links (the server's root URL).
	WebURL string

	srv *httptest.Server
	cfg config

	mu        sync.Mutex
	nextID    int64
	comments  map[string][]*Comment // by "owner/repo"
	pulls     map[string]map[int]*PR
	requests  []Request
	served    int
	rateLimit *RateLimit
	forbid    bool
}

// NewServer starts a fake GitHub API on loopback. Close it when done.
func NewServer(opts ...Option) *Server {
	cfg := config{
		user:     User{Login: DefaultUserLogin, ID: 1001, Type: "User"},
		pageSize: maxPerPage,
		now:      func() time.Time { return time.Now().UTC().Truncate(time.Second) },
	}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.pageSize > maxPerPage {
		cfg.pageSize = maxPerPage
	}
	s := &Server{
		cfg:       cfg,
		nextID:    1000000,
		comments:  map[string][]*Comment{},
		pulls:     map[string]map[int]*PR{},
		rateLimit: cfg.rateLimit,
		forbid:    cfg.forbidWrites,
	}
	s.srv = httptest.NewServer(s.handler())
	s.WebURL = s.srv.URL
	s.URL = s.srv.URL + cfg.prefix
	return s
}

// Client returns an HTTP client for the server. It does not add the token.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Close shuts the server down and blocks until all requests have finished.
func (s *Server) Close() { s.srv.Close() }

// Requests returns a copy of the request log, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// SetRateLimit changes the scripted rate limit at run time; nil lifts it.
// RateLimit.After counts from this call.
func (s *Server) SetRateLimit(rl *RateLimit) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rl != nil {
		cp := *rl
		cp.After += s.served
		rl = &cp
	}
	s.rateLimit = rl
}

// SetForbidCommentWrites switches the 403 on comment writes at run time.
func (s *Server) SetForbidCommentWrites(forbid bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forbid = forbid
}

// author is who the server's writes are attributed to.
func (s *Server) author() User {
	if s.cfg.integration {
		return User{Login: ActionsBotLogin, ID: 41898282, Type: "Bot"}
	}
	return s.cfg.user
}
