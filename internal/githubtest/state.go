package githubtest

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Comment is an issue or pull-request comment held by the server.
type Comment struct {
	ID        int64
	Issue     int
	Body      string
	User      User
	CreatedAt time.Time
	UpdatedAt time.Time
}

// PR is a pull request held by the server. GitHub answers
// GET /repos/{owner}/{repo}/commits/{sha}/pulls with every pull request whose
// HeadSHA, MergeCommitSHA or Commits hold sha.
type PR struct {
	Number  int
	Title   string
	State   string // "open" or "closed"; default "open", "closed" once merged
	HeadRef string
	BaseRef string
	HeadSHA string
	// Commits are the pull request's commits besides HeadSHA.
	Commits []string
	// MergedAt is zero while the pull request is not merged.
	MergedAt       time.Time
	MergeCommitSHA string
	User           User
}

func repoKey(owner, repo string) string {
	return strings.ToLower(owner) + "/" + strings.ToLower(repo)
}

// AddPR stores pr in owner/repo, replacing one with the same number, and
// returns it with defaults filled in. A zero Number takes the next free one.
func (s *Server) AddPR(owner, repo string, pr PR) PR {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := repoKey(owner, repo)
	if s.pulls[key] == nil {
		s.pulls[key] = map[int]*PR{}
	}
	if pr.Number <= 0 {
		pr.Number = 1
		for n := range s.pulls[key] {
			pr.Number = max(pr.Number, n+1)
		}
	}
	if pr.Title == "" {
		pr.Title = fmt.Sprintf("Pull request %d", pr.Number)
	}
	if pr.HeadRef == "" {
		pr.HeadRef = fmt.Sprintf("feature-%d", pr.Number)
	}
	if pr.BaseRef == "" {
		pr.BaseRef = "main"
	}
	if pr.User.Login == "" {
		pr.User = User{Login: "octocat", ID: 583231, Type: "User"}
	}
	if pr.State == "" {
		pr.State = "open"
		if !pr.MergedAt.IsZero() {
			pr.State = "closed"
		}
	}
	pr.Commits = slices.Clone(pr.Commits)
	s.pulls[key][pr.Number] = &pr
	return pr
}

// MergePR marks pull request number of owner/repo merged now as
// mergeCommitSHA, as a merge on GitHub does. It reports whether the pull
// request exists.
func (s *Server) MergePR(owner, repo string, number int, mergeCommitSHA string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	pr := s.pulls[repoKey(owner, repo)][number]
	if pr == nil {
		return false
	}
	pr.MergedAt = s.cfg.now()
	pr.MergeCommitSHA = mergeCommitSHA
	pr.State = "closed"
	return true
}

// PullRequest returns a copy of a stored pull request.
func (s *Server) PullRequest(owner, repo string, number int) (PR, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pr := s.pulls[repoKey(owner, repo)][number]
	if pr == nil {
		return PR{}, false
	}
	cp := *pr
	cp.Commits = slices.Clone(pr.Commits)
	return cp, true
}

// AddComment stores a comment by author on issue (a pull request number),
// as if it had been written earlier, and returns it. A pull request with that
// number is created when none exists, since GitHub only accepts comments on
// existing issues. An empty author means the token's own account.
func (s *Server) AddComment(owner, repo string, issue int, author User, body string) Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.addCommentLocked(owner, repo, issue, author, body)
}

// AddComments preloads n filler comments by author on issue ("Comment 1 of
// n"…), for pagination tests, and returns them.
func (s *Server) AddComments(owner, repo string, issue, n int, author User) []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Comment, 0, max(n, 0))
	for i := 1; i <= n; i++ {
		out = append(out, *s.addCommentLocked(owner, repo, issue, author, fmt.Sprintf("Comment %d of %d", i, n)))
	}
	return out
}

func (s *Server) addCommentLocked(owner, repo string, issue int, author User, body string) *Comment {
	if author.Login == "" {
		author = s.author()
	}
	if author.Type == "" {
		author.Type = "User"
		if strings.HasSuffix(author.Login, "[bot]") {
			author.Type = "Bot"
		}
	}
	key := repoKey(owner, repo)
	if s.pulls[key] == nil {
		s.pulls[key] = map[int]*PR{}
	}
	if s.pulls[key][issue] == nil {
		s.pulls[key][issue] = &PR{
			Number: issue, Title: fmt.Sprintf("Pull request %d", issue), State: "open",
			HeadRef: fmt.Sprintf("feature-%d", issue), BaseRef: "main",
			User: User{Login: "octocat", ID: 583231, Type: "User"},
		}
	}
	s.nextID++
	now := s.cfg.now()
	c := &Comment{ID: s.nextID, Issue: issue, Body: body, User: author, CreatedAt: now, UpdatedAt: now}
	s.comments[key] = append(s.comments[key], c)
	return c
}

// Comments returns copies of the comments on issue, oldest first.
func (s *Server) Comments(owner, repo string, issue int) []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Comment
	for _, c := range s.comments[repoKey(owner, repo)] {
		if c.Issue == issue {
			out = append(out, *c)
		}
	}
	return out
}

// Comment returns a copy of the comment with id in owner/repo.
func (s *Server) Comment(owner, repo string, id int64) (Comment, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.findCommentLocked(owner, repo, id); c != nil {
		return *c, true
	}
	return Comment{}, false
}

func (s *Server) findCommentLocked(owner, repo string, id int64) *Comment {
	for _, c := range s.comments[repoKey(owner, repo)] {
		if c.ID == id {
			return c
		}
	}
	return nil
}
