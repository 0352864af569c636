package prcomment

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/go-github/v92/github"
)

// Comment is the sticky comment of a merged pull request, as the deploy's
// drift guard reads it back.
type Comment struct {
	PR    int    // the pull request's number
	PRURL string // the pull request's html_url
	ID    int64
	URL   string // the comment's html_url
	Body  string
}

// FindMerged finds the pull request merged as commit sha and, on it, the
// comment key identifies (the newest, written by the token's account). It
// returns (nil, nil) when sha belongs to no merged pull request or the pull
// request has no such comment: the deploy then says "no plan" and goes on.
// Among several merged pull requests it prefers the one whose
// merge_commit_sha is sha, then the most recently merged.
// Calls GET /repos/{owner}/{repo}/commits/{sha}/pulls, GET /user and
// GET /repos/{owner}/{repo}/issues/{number}/comments (every page).
func (c *Client) FindMerged(ctx context.Context, owner, repo, sha string, key Key) (*Comment, error) {
	if owner == "" || repo == "" || sha == "" {
		return nil, fmt.Errorf("finding the plan: repository %q/%q and commit %q are required: check GITHUB_REPOSITORY and GITHUB_SHA",
			owner, repo, sha)
	}
	if key == nil {
		return nil, fmt.Errorf("finding the plan of commit %s: no key to tell the comment apart", sha)
	}
	pr, err := c.mergedPR(ctx, owner, repo, sha)
	if err != nil || pr == nil {
		return nil, err
	}
	id, err := c.self(ctx)
	if err != nil {
		return nil, err
	}
	cm, err := c.findKeyed(ctx, id, owner, repo, pr.GetNumber(), key)
	if err != nil || cm == nil {
		return nil, err
	}
	return &Comment{
		PR:    pr.GetNumber(),
		PRURL: pr.GetHTMLURL(),
		ID:    cm.GetID(),
		URL:   cm.GetHTMLURL(),
		Body:  cm.GetBody(),
	}, nil
}

// mergedPR picks the merged pull request of sha, or nil.
func (c *Client) mergedPR(ctx context.Context, owner, repo, sha string) (*github.PullRequest, error) {
	var best *github.PullRequest
	better := func(p *github.PullRequest) bool {
		if best == nil {
			return true
		}
		pExact, bExact := p.GetMergeCommitSHA() == sha, best.GetMergeCommitSHA() == sha
		if pExact != bExact {
			return pExact
		}
		return p.GetMergedAt().After(best.GetMergedAt().Time)
	}
	opts := &github.ListOptions{PerPage: perPage}
	for {
		prs, resp, err := c.gh.pullsWithCommit(ctx, owner, repo, sha, opts)
		if err != nil {
			return nil, c.wrap(fmt.Sprintf("finding the pull request of commit %s in %s/%s", sha, owner, repo), false, err)
		}
		for _, p := range prs {
			if p.MergedAt != nil && better(p) {
				best = p
			}
		}
		if resp == nil || resp.NextPage == 0 || resp.NextPage <= opts.Page {
			return best, nil
		}
		opts.Page = resp.NextPage
	}
}

// AppendToComment adds line (the deploy result, say) to the end of comment
// commentID as its own paragraph. It is idempotent: a comment that already
// holds the line is left alone, with no edit sent, so a re-run deploy does
// not repeat itself. line must be one non-empty line.
// Calls GET and PATCH /repos/{owner}/{repo}/issues/comments/{id}.
func (c *Client) AppendToComment(ctx context.Context, owner, repo string, commentID int64, line string) error {
	line = strings.TrimSpace(line)
	if line == "" || strings.ContainsAny(line, "\r\n") {
		return fmt.Errorf("appending to comment %d: the line must be one non-empty line", commentID)
	}
	op := fmt.Sprintf("reading comment %d in %s/%s", commentID, owner, repo)
	cm, _, err := c.gh.getComment(ctx, owner, repo, commentID)
	if err != nil {
		return c.wrap(op, false, err)
	}
	body := cm.GetBody()
	for l := range strings.Lines(body) {
		if strings.TrimSpace(l) == line {
			return nil
		}
	}
	body = strings.TrimRight(body, " \t\r\n") + "\n\n" + line + "\n"
	if err := checkLength(body); err != nil {
		return fmt.Errorf("appending to comment %d in %s/%s: %w", commentID, owner, repo, err)
	}
	if _, _, err := c.gh.updateComment(ctx, owner, repo, commentID, github.IssueCommentRequest{Body: body}); err != nil {
		return c.wrap(fmt.Sprintf("editing comment %d in %s/%s", commentID, owner, repo), true, err)
	}
	return nil
}
