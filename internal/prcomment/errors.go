package prcomment

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/go-github/v92/github"
)

// ErrForbidden matches (errors.Is) every error for a request GitHub refused
// with 403 for want of permission, so the caller can warn instead of fail:
// a GITHUB_TOKEN on a pull request from a fork may not comment.
var ErrForbidden = errors.New("forbidden by GitHub")

// ErrRateLimited matches (errors.Is) every *RateLimitError.
var ErrRateLimited = errors.New("GitHub API rate limit exceeded")

// ForbiddenError is a 403 that is not a rate limit.
type ForbiddenError struct {
	// Op says what was refused, e.g. "creating the plan comment on o/r#7".
	Op string
	// Message is GitHub's own message, e.g. "Resource not accessible by
	// integration".
	Message string
	// Write is true when a comment write was refused.
	Write bool
	Err   error
}

func (e *ForbiddenError) Error() string {
	hint := "check that the token can read this repository's pull requests " +
		"(job permissions `pull-requests: read`, `contents: read`)"
	if e.Write {
		hint = "the token may not write comments: on pull requests from forks GITHUB_TOKEN is read-only; " +
			"otherwise grant the job `permissions: pull-requests: write`"
	}
	return fmt.Sprintf("GitHub refused %s (403 %s): %s", e.Op, e.Message, hint)
}

// Is makes errors.Is(err, ErrForbidden) true.
func (e *ForbiddenError) Is(target error) bool { return target == ErrForbidden }

func (e *ForbiddenError) Unwrap() error { return e.Err }

// RateLimitError is GitHub's primary or secondary rate limit.
type RateLimitError struct {
	Op string
	// Reset is when GitHub accepts requests again: X-RateLimit-Reset for the
	// primary limit, now plus Retry-After for the secondary one (zero when
	// GitHub gave neither).
	Reset     time.Time
	Secondary bool
	Err       error
}

func (e *RateLimitError) Error() string {
	kind := "rate limit"
	if e.Secondary {
		kind = "secondary rate limit"
	}
	if e.Reset.IsZero() {
		return fmt.Sprintf("GitHub API %s exceeded while %s: wait a few minutes and re-run the job", kind, e.Op)
	}
	return fmt.Sprintf("GitHub API %s exceeded while %s; it resets at %s: re-run the job after that",
		kind, e.Op, e.Reset.UTC().Format(time.RFC3339))
}

// Is makes errors.Is(err, ErrRateLimited) true.
func (e *RateLimitError) Is(target error) bool { return target == ErrRateLimited }

func (e *RateLimitError) Unwrap() error { return e.Err }

// redactedError hides the token in an error text while keeping the chain
// for errors.Is and errors.As.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// wrap turns a go-github error into one that says what failed and what to
// do next, and never shows the token.
func (c *Client) wrap(op string, write bool, err error) error {
	if err == nil {
		return nil
	}
	var out error
	var rl *github.RateLimitError
	var abuse *github.AbuseRateLimitError
	var er *github.ErrorResponse
	switch {
	case errors.As(err, &rl):
		out = &RateLimitError{Op: op, Reset: rl.Rate.Reset.Time, Err: err}
	case errors.As(err, &abuse):
		e := &RateLimitError{Op: op, Secondary: true, Err: err}
		if abuse.RetryAfter != nil {
			e.Reset = c.now().Add(*abuse.RetryAfter).Truncate(time.Second)
		}
		out = e
	case errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusForbidden:
		out = &ForbiddenError{Op: op, Message: er.Message, Write: write, Err: err}
	case errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusUnauthorized:
		out = fmt.Errorf("GitHub rejected the token (401 %s) while %s: check the github-token input: %w",
			er.Message, op, err)
	case errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusNotFound:
		out = fmt.Errorf("GitHub found nothing (404) while %s: check the repository, the pull request or commit, "+
			"and that the token can see the repository: %w", op, err)
	default:
		out = fmt.Errorf("GitHub API: %s: %w", op, err)
	}
	if c.token != "" && strings.Contains(out.Error(), c.token) {
		return &redactedError{msg: strings.ReplaceAll(out.Error(), c.token, "***"), err: out}
	}
	return out
}
