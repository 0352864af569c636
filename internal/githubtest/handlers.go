package githubtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/skillgate/skillgate/internal/markdown"
)

const (
	docsBase          = "https://docs.github.com/rest"
	primaryLimitDoc   = docsBase + "/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit"
	secondaryLimitDoc = docsBase + "/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
	rateLimitTotal    = 5000
	maxLoggedBody     = 1 << 20
)

func (s *Server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /user", s.getUser)
	// "issues/{number}/comments" and "issues/comments/{id}" overlap as
	// ServeMux patterns, so the former is matched with a wildcard.
	mux.HandleFunc("GET /repos/{owner}/{repo}/issues/{number}/{sub}", onlyComments(s.listComments))
	mux.HandleFunc("POST /repos/{owner}/{repo}/issues/{number}/{sub}", onlyComments(s.createComment))
	mux.HandleFunc("GET /repos/{owner}/{repo}/issues/comments/{id}", s.getComment)
	mux.HandleFunc("PATCH /repos/{owner}/{repo}/issues/comments/{id}", s.updateComment)
	mux.HandleFunc("DELETE /repos/{owner}/{repo}/issues/comments/{id}", s.deleteComment)
	mux.HandleFunc("GET /repos/{owner}/{repo}/commits/{sha}/pulls", s.pullsForCommit)
	mux.HandleFunc("GET /repos/{owner}/{repo}/pulls/{number}", s.getPull)
	// GitHub answers unknown routes and unsupported methods alike with 404.
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusNotFound, "Not Found", docsBase)
	})

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, maxLoggedBody+1))
		path := r.URL.Path
		inPrefix := true
		if p := s.cfg.prefix; p != "" {
			if path == p || strings.HasPrefix(path, p+"/") {
				path = strings.TrimPrefix(path, p)
			} else {
				inPrefix = false
			}
		}
		if path == "" {
			path = "/"
		}

		s.mu.Lock()
		s.requests = append(s.requests, Request{
			Method: r.Method, Path: path, RawQuery: r.URL.RawQuery,
			Body: string(body[:min(len(body), maxLoggedBody)]),
		})
		s.mu.Unlock()

		if !inPrefix {
			writeError(w, http.StatusNotFound, "Not Found", docsBase)
			return
		}
		if s.cfg.token != "" && !s.authorized(r.Header.Get("Authorization")) {
			writeError(w, http.StatusUnauthorized, "Bad credentials", docsBase)
			return
		}
		if s.rateLimited(w) {
			return
		}

		r2 := r.Clone(r.Context())
		r2.URL.Path = path
		r2.URL.RawPath = ""
		r2.Body = io.NopCloser(bytes.NewReader(body))
		mux.ServeHTTP(w, r2)
	})
}

func onlyComments(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("sub") != "comments" {
			writeError(w, http.StatusNotFound, "Not Found", docsBase)
			return
		}
		h(w, r)
	}
}

func (s *Server) authorized(header string) bool {
	scheme, tok, ok := strings.Cut(header, " ")
	if !ok {
		return false
	}
	switch strings.ToLower(scheme) {
	case "bearer", "token":
		return tok == s.cfg.token
	}
	return false
}

// rateLimited writes the rate-limit headers every GitHub response carries
// and, when the scripted limit applies, the limit's answer.
func (s *Server) rateLimited(w http.ResponseWriter) bool {
	s.mu.Lock()
	s.served++
	served := s.served
	rl := s.rateLimit
	now := s.cfg.now()
	s.mu.Unlock()

	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(rateLimitTotal))
	h.Set("X-RateLimit-Resource", "core")
	if rl == nil || served <= rl.After {
		h.Set("X-RateLimit-Remaining", strconv.Itoa(max(1, rateLimitTotal-served)))
		h.Set("X-RateLimit-Used", strconv.Itoa(min(served, rateLimitTotal-1)))
		h.Set("X-RateLimit-Reset", strconv.FormatInt(now.Add(time.Hour).Unix(), 10))
		return false
	}
	status := rl.Status
	if status == 0 {
		status = http.StatusForbidden
	}
	if rl.Secondary {
		h.Set("X-RateLimit-Remaining", strconv.Itoa(max(1, rateLimitTotal-served)))
		h.Set("X-RateLimit-Reset", strconv.FormatInt(now.Add(time.Hour).Unix(), 10))
		h.Set("Retry-After", strconv.FormatInt(int64(rl.RetryAfter.Round(time.Second)/time.Second), 10))
		writeError(w, status, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", secondaryLimitDoc)
		return true
	}
	reset := rl.Reset
	if reset.IsZero() {
		reset = now.Add(time.Hour)
	}
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("X-RateLimit-Used", strconv.Itoa(rateLimitTotal))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	writeError(w, status, fmt.Sprintf("API rate limit exceeded for user ID %d.", s.author().ID), primaryLimitDoc)
	return true
}

func (s *Server) getUser(w http.ResponseWriter, _ *http.Request) {
	if s.cfg.integration {
		writeError(w, http.StatusForbidden, "Resource not accessible by integration",
			docsBase+"/users/users#get-the-authenticated-user")
		return
	}
	writeJSON(w, http.StatusOK, s.userJSON(s.cfg.user))
}

func (s *Server) listComments(w http.ResponseWriter, r *http.Request) {
	owner, repo := r.PathValue("owner"), r.PathValue("repo")
	issue, err := strconv.Atoi(r.PathValue("number"))
	if err != nil {
		writeError(w, http.StatusNotFound, "Not Found", docsBase)
		return
	}
	s.mu.Lock()
	if s.pulls[repoKey(owner, repo)][issue] == nil {
		s.mu.Unlock()
		writeError(w, http.StatusNotFound, "Not Found", docsBase+"/issues/comments#list-issue-comments")
		return
	}
	var all []Comment
	for _, c := range s.comments[repoKey(owner, repo)] {
		if c.Issue == issue {
			all = append(all, *c)
		}
	}
	s.mu.Unlock()

	lo, hi := s.paginate(w, r, len(all))
	out := make([]any, 0, hi-lo)
	for _, c := range all[lo:hi] {
		out = append(out, s.commentJSON(owner, repo, c))
	}
	writeJSON(w, http.StatusOK, out)
}

type commentRequest struct {
	Body *string `json:"body"`
}

// decodeCommentBody reads a comment write the way GitHub validates one.
func decodeCommentBody(w http.ResponseWriter, r *http.Request) (string, bool) {
	var req commentRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "Problems parsing JSON", docsBase)
		return "", false
	}
	if req.Body == nil {
		writeValidation(w, "missing_field", "body", "")
		return "", false
	}
	if n := utf8.RuneCountInString(*req.Body); n > markdown.MaxCommentLength {
		writeValidation(w, "custom", "body", fmt.Sprintf("body is too long (maximum is %d characters)", markdown.MaxCommentLength))
		return "", false
	}
	return *req.Body, true
}

func (s *Server) writesForbidden(w http.ResponseWriter) bool {
	s.mu.Lock()
	forbid := s.forbid
	s.mu.Unlock()
	if forbid {
		writeError(w, http.StatusForbidden, "Resource not accessible by integration",
			docsBase+"/issues/comments#create-an-issue-comment")
	}
	return forbid
}

// commentWrite admits a comment write, as GitHub checks it: the token may
// write (403 otherwise), then the body is valid (422 otherwise).
func (s *Server) commentWrite(w http.ResponseWriter, r *http.Request) (string, bool) {
	if s.writesForbidden(w) {
		return "", false
	}
	return decodeCommentBody(w, r)
}

func (s *Server) createComment(w http.ResponseWriter, r *http.Request) {
	owner, repo := r.PathValue("owner"), r.PathValue("repo")
	issue, err := strconv.Atoi(r.PathValue("number"))
	if err != nil {
		writeError(w, http.StatusNotFound, "Not Found", docsBase)
		return
	}
	body, ok := s.commentWrite(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	if s.pulls[repoKey(owner, repo)][issue] == nil {
		s.mu.Unlock()
		writeError(w, http.StatusNotFound, "Not Found", docsBase+"/issues/comments#create-an-issue-comment")
		return
	}
	c := *s.addCommentLocked(owner, repo, issue, User{}, body)
	s.mu.Unlock()
	js := s.commentJSON(owner, repo, c)
	w.Header().Set("Location", js["url"].(string))
	writeJSON(w, http.StatusCreated, js)
}

func (s *Server) commentByPath(w http.ResponseWriter, r *http.Request) (owner, repo string, id int64, ok bool) {
	owner, repo = r.PathValue("owner"), r.PathValue("repo")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeError(w, http.StatusNotFound, "Not Found", docsBase)
		return "", "", 0, false
	}
	return owner, repo, id, true
}

func (s *Server) getComment(w http.ResponseWriter, r *http.Request) {
	owner, repo, id, ok := s.commentByPath(w, r)
	if !ok {
		return
	}
	c, found := s.Comment(owner, repo, id)
	if !found {
		writeError(w, http.StatusNotFound, "Not Found", docsBase+"/issues/comments#get-an-issue-comment")
		return
	}
	writeJSON(w, http.StatusOK, s.commentJSON(owner, repo, c))
}

func (s *Server) updateComment(w http.ResponseWriter, r *http.Request) {
	owner, repo, id, ok := s.commentByPath(w, r)
	if !ok {
		return
	}
	body, ok := s.commentWrite(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	c := s.findCommentLocked(owner, repo, id)
	if c == nil {
		s.mu.Unlock()
		writeError(w, http.StatusNotFound, "Not Found", docsBase+"/issues/comments#update-an-issue-comment")
		return
	}
	c.Body = body
	c.UpdatedAt = s.cfg.now()
	cp := *c
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, s.commentJSON(owner, repo, cp))
}

func (s *Server) deleteComment(w http.ResponseWriter, r *http.Request) {
	owner, repo, id, ok := s.commentByPath(w, r)
	if !ok {
		return
	}
	if s.writesForbidden(w) {
		return
	}
	s.mu.Lock()
	key := repoKey(owner, repo)
	i := slices.IndexFunc(s.comments[key], func(c *Comment) bool { return c.ID == id })
	if i >= 0 {
		s.comments[key] = slices.Delete(s.comments[key], i, i+1)
	}
	s.mu.Unlock()
	if i < 0 {
		writeError(w, http.StatusNotFound, "Not Found", docsBase+"/issues/comments#delete-an-issue-comment")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) pullsForCommit(w http.ResponseWriter, r *http.Request) {
	owner, repo, sha := r.PathValue("owner"), r.PathValue("repo"), r.PathValue("sha")
	s.mu.Lock()
	var prs []PR
	for _, pr := range s.pulls[repoKey(owner, repo)] {
		if sha != "" && (pr.HeadSHA == sha || pr.MergeCommitSHA == sha || slices.Contains(pr.Commits, sha)) {
			prs = append(prs, *pr)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(prs, func(a, b PR) int { return a.Number - b.Number })

	lo, hi := s.paginate(w, r, len(prs))
	out := make([]any, 0, hi-lo)
	for _, pr := range prs[lo:hi] {
		out = append(out, s.prJSON(owner, repo, pr))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) getPull(w http.ResponseWriter, r *http.Request) {
	owner, repo := r.PathValue("owner"), r.PathValue("repo")
	n, err := strconv.Atoi(r.PathValue("number"))
	if err != nil {
		writeError(w, http.StatusNotFound, "Not Found", docsBase)
		return
	}
	pr, ok := s.PullRequest(owner, repo, n)
	if !ok {
		writeError(w, http.StatusNotFound, "Not Found", docsBase+"/pulls/pulls#get-a-pull-request")
		return
	}
	writeJSON(w, http.StatusOK, s.prJSON(owner, repo, pr))
}

// paginate picks the slice [lo, hi) of total items that page and per_page
// select, and sets the Link header GitHub sends (first, prev, next, last).
func (s *Server) paginate(w http.ResponseWriter, r *http.Request, total int) (lo, hi int) {
	q := r.URL.Query()
	per := min(defaultPerPage, s.cfg.pageSize)
	if v, err := strconv.Atoi(q.Get("per_page")); err == nil && v > 0 {
		per = min(v, s.cfg.pageSize)
	}
	page := 1
	if v, err := strconv.Atoi(q.Get("page")); err == nil && v > 0 {
		page = v
	}
	last := max(1, (total+per-1)/per)

	link := func(p int) string {
		q2 := url.Values{}
		for k, v := range q {
			q2[k] = v
		}
		q2.Set("page", strconv.Itoa(p))
		q2.Set("per_page", strconv.Itoa(per))
		return s.URL + r.URL.Path + "?" + q2.Encode()
	}
	var links []string
	if page > 1 {
		links = append(links, fmt.Sprintf("<%s>; rel=\"prev\"", link(min(page-1, last))))
	}
	if page < last {
		links = append(links, fmt.Sprintf("<%s>; rel=\"next\"", link(page+1)))
		links = append(links, fmt.Sprintf("<%s>; rel=\"last\"", link(last)))
	}
	if page > 1 {
		links = append(links, fmt.Sprintf("<%s>; rel=\"first\"", link(1)))
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}

	lo = min((page-1)*per, total)
	hi = min(lo+per, total)
	return lo, hi
}

func (s *Server) userJSON(u User) map[string]any {
	return map[string]any{
		"login":      u.Login,
		"id":         u.ID,
		"node_id":    fmt.Sprintf("U_%d", u.ID),
		"type":       u.Type,
		"site_admin": false,
		"url":        s.URL + "/users/" + url.PathEscape(u.Login),
		"html_url":   s.WebURL + "/" + url.PathEscape(u.Login),
	}
}

func (s *Server) commentJSON(owner, repo string, c Comment) map[string]any {
	assoc := "MEMBER"
	if c.User.Type == "Bot" {
		assoc = "NONE"
	}
	return map[string]any{
		"id":                 c.ID,
		"node_id":            fmt.Sprintf("IC_%d", c.ID),
		"url":                fmt.Sprintf("%s/repos/%s/%s/issues/comments/%d", s.URL, owner, repo, c.ID),
		"html_url":           fmt.Sprintf("%s/%s/%s/pull/%d#issuecomment-%d", s.WebURL, owner, repo, c.Issue, c.ID),
		"issue_url":          fmt.Sprintf("%s/repos/%s/%s/issues/%d", s.URL, owner, repo, c.Issue),
		"body":               c.Body,
		"user":               s.userJSON(c.User),
		"created_at":         c.CreatedAt.UTC().Format(time.RFC3339),
		"updated_at":         c.UpdatedAt.UTC().Format(time.RFC3339),
		"author_association": assoc,
	}
}

func (s *Server) prJSON(owner, repo string, pr PR) map[string]any {
	var mergedAt any
	if !pr.MergedAt.IsZero() {
		mergedAt = pr.MergedAt.UTC().Format(time.RFC3339)
	}
	var mergeSHA any
	if pr.MergeCommitSHA != "" {
		mergeSHA = pr.MergeCommitSHA
	}
	return map[string]any{
		"id":               int64(pr.Number) + 500000,
		"number":           pr.Number,
		"state":            pr.State,
		"title":            pr.Title,
		"url":              fmt.Sprintf("%s/repos/%s/%s/pulls/%d", s.URL, owner, repo, pr.Number),
		"html_url":         fmt.Sprintf("%s/%s/%s/pull/%d", s.WebURL, owner, repo, pr.Number),
		"issue_url":        fmt.Sprintf("%s/repos/%s/%s/issues/%d", s.URL, owner, repo, pr.Number),
		"user":             s.userJSON(pr.User),
		"merged":           !pr.MergedAt.IsZero(),
		"merged_at":        mergedAt,
		"merge_commit_sha": mergeSHA,
		"head":             map[string]any{"ref": pr.HeadRef, "sha": pr.HeadSHA},
		"base":             map[string]any{"ref": pr.BaseRef},
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, message, doc string) {
	writeJSON(w, status, map[string]any{"message": message, "documentation_url": doc, "status": strconv.Itoa(status)})
}

func writeValidation(w http.ResponseWriter, code, field, message string) {
	e := map[string]any{"resource": "IssueComment", "code": code, "field": field}
	if message != "" {
		e["message"] = message
	}
	writeJSON(w, http.StatusUnprocessableEntity, map[string]any{
		"message":           "Validation Failed",
		"errors":            []any{e},
		"documentation_url": docsBase + "/issues/comments#create-an-issue-comment",
		"status":            "422",
	})
}
