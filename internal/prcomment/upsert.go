package prcomment

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/go-github/v92/github"

	"github.com/skillgate/skillgate/internal/markdown"
)

// Actions of a Result.
const (
	ActionCreated   = "created"
	ActionUpdated   = "updated"
	ActionUnchanged = "unchanged"
)

// Result says what Upsert did.
type Result struct {
	// URL is the comment's html_url, for the comment-url output.
	URL string
	ID  int64
	// Action is ActionCreated, ActionUpdated or ActionUnchanged.
	Action string
}

// Upsert keeps the one comment key identifies on pull request pr: it
// creates the comment the first time, edits it in place afterwards and
// sends nothing when the body is unchanged. key must identify body (the
// plan's marker line, first by convention) so that the next run finds it,
// and body must fit GitHub's markdown.MaxCommentLength characters: the caller
// truncates, Upsert only refuses.
//
// Where older runs left several marked comments, the newest is edited and
// the others are left as they are: deleting comments is not this tool's
// business, and the newest is the one FindMerged reads.
//
// A token that may not comment gets an error matching ErrForbidden; rate
// limits give a *RateLimitError with the reset time.
// Calls GET /user, GET /repos/{owner}/{repo}/issues/{pr}/comments (every
// page), then POST …/issues/{pr}/comments or PATCH …/issues/comments/{id}.
func (c *Client) Upsert(ctx context.Context, owner, repo string, pr int, key Key, body string) (Result, error) {
	if owner == "" || repo == "" || pr <= 0 {
		return Result{}, fmt.Errorf("plan comment: repository %q/%q and pull request %d are not valid: "+
			"check GITHUB_REPOSITORY and the event payload", owner, repo, pr)
	}
	if err := checkLength(body); err != nil {
		return Result{}, fmt.Errorf("plan comment on %s/%s#%d: %w", owner, repo, pr, err)
	}
	if key == nil || !key(body) {
		return Result{}, fmt.Errorf("plan comment on %s/%s#%d: the body does not carry the marker of its skill and stage, "+
			"so the next run could not find it: put the plan's Marker on its first line", owner, repo, pr)
	}

	id, err := c.self(ctx)
	if err != nil {
		return Result{}, err
	}
	existing, err := c.findKeyed(ctx, id, owner, repo, pr, key)
	if err != nil {
		return Result{}, err
	}

	if existing == nil {
		cm, _, err := c.gh.createComment(ctx, owner, repo, pr, github.IssueCommentRequest{Body: body})
		if err != nil {
			return Result{}, c.wrap(fmt.Sprintf("creating the plan comment on %s/%s#%d", owner, repo, pr), true, err)
		}
		return Result{URL: cm.GetHTMLURL(), ID: cm.GetID(), Action: ActionCreated}, nil
	}
	if sameBody(existing.GetBody(), body) {
		return Result{URL: existing.GetHTMLURL(), ID: existing.GetID(), Action: ActionUnchanged}, nil
	}
	cm, _, err := c.gh.updateComment(ctx, owner, repo, existing.GetID(), github.IssueCommentRequest{Body: body})
	if err != nil {
		return Result{}, c.wrap(fmt.Sprintf("editing the plan comment %d on %s/%s#%d", existing.GetID(), owner, repo, pr), true, err)
	}
	url := cm.GetHTMLURL()
	if url == "" {
		url = existing.GetHTMLURL()
	}
	return Result{URL: url, ID: existing.GetID(), Action: ActionUpdated}, nil
}

// checkLength refuses what GitHub would refuse with 422, before sending it.
func checkLength(body string) error {
	if n := utf8.RuneCountInString(body); n > markdown.MaxCommentLength {
		return fmt.Errorf("the comment body has %d characters, over GitHub's limit of %d: "+
			"truncate the diff (the full diff belongs in the diff-file output)", n, markdown.MaxCommentLength)
	}
	return nil
}

// sameBody compares bodies as GitHub may hand them back: line endings
// normalised and trailing blank space ignored.
func sameBody(a, b string) bool {
	norm := func(s string) string {
		return strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), " \t\r\n")
	}
	return norm(a) == norm(b)
}
