package smapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/skillgate/skillgate/internal/truncate"
)

// Error is a SMAPI (or LWA) answer outside 2xx. Callers inspect it with
// errors.As; its message says what the user should do next.
type Error struct {
	// Status is the HTTP status code.
	Status int
	// Code is SMAPI's machine-readable error code, when it sent one.
	Code string
	// Message is SMAPI's human-readable message, secrets redacted.
	Message string
	// Violations are the per-field messages of a 400 answer.
	Violations []string
	// Operation is the client method that failed, e.g. "GetManifest".
	Operation string
	// Path is the request path, without the base URL or query.
	Path string
	// RetryAfter is the server's Retry-After, for a 429 or 503 given up on.
	RetryAfter time.Duration
	// Attempts is how many times the request was sent; more than one means
	// the client's retries were used up.
	Attempts int
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "smapi %s", e.Operation)
	if e.Path != "" {
		fmt.Fprintf(&b, " %s", e.Path)
	}
	fmt.Fprintf(&b, ": %d %s", e.Status, statusText(e.Status))
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", strings.TrimSuffix(e.Message, "."))
	}
	if e.Code != "" {
		fmt.Fprintf(&b, " (code %s)", e.Code)
	}
	for _, v := range e.Violations {
		fmt.Fprintf(&b, "; %s", v)
	}
	if h := e.hint(); h != "" {
		fmt.Fprintf(&b, ". %s", h)
	}
	return b.String()
}

func statusText(code int) string {
	if code == http.StatusSeeOther {
		return "See Other"
	}
	if t := http.StatusText(code); t != "" {
		return t
	}
	return "HTTP status"
}

// hint is the next step for the user, by status.
func (e *Error) hint() string {
	switch e.Status {
	case http.StatusSeeOther:
		return "The skill is still being created; wait a little and run the command again"
	case http.StatusBadRequest:
		return "Fix the request as the message says and send it again"
	case http.StatusUnauthorized:
		return credentialsHint
	case http.StatusForbidden:
		return "The operation is not allowed for this stage or for the skill's current state (only development is writable; a skill that is live or in certification cannot be changed this way)"
	case http.StatusNotFound:
		return "This skill (or resource) is not visible to these credentials: check the skill id, stage and locale, and that the credentials belong to the vendor that owns the skill"
	case http.StatusConflict:
		return "Another update of this skill is in progress; wait for it to finish (skillgate status --wait) and try again"
	case http.StatusPreconditionFailed:
		return "The resource changed since it was read (stale ETag); read it again and reapply the change"
	case http.StatusTooManyRequests:
		if e.RetryAfter > 0 {
			return fmt.Sprintf("SMAPI is throttling these credentials and asks to wait %s; try again later", (e.RetryAfter + time.Second - 1).Truncate(time.Second))
		}
		return "SMAPI is throttling these credentials" + e.retried() + "; try again later"
	}
	if e.Status >= 500 {
		return "SMAPI failed on its side" + e.retried() + "; try again later"
	}
	return ""
}

// retried says that the retries were used up, only when they were.
func (e *Error) retried() string {
	if e.Attempts > 1 {
		return fmt.Sprintf(" (%d attempts, retries exhausted)", e.Attempts)
	}
	return ""
}

// errorBody covers SMAPI's error shapes (v1.Error, v1.BadRequestError,
// StandardizedError) and LWA's OAuth error body.
type errorBody struct {
	Code       string `json:"code"`
	Message    string `json:"message"`
	Violations []struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"violations"`
	OAuthError       string `json:"error"`
	OAuthDescription string `json:"error_description"`
}

// maxQuoted is how many characters of an unexpected body an error quotes:
// 200 of the body and the ellipsis that says it was cut.
const maxQuoted = 201

// newError builds an *Error from a response status, headers and body (the
// body already capped), redacting anything secret.
func newError(op, path string, resp *http.Response, body []byte, r *redactor) *Error {
	e := &Error{Status: resp.StatusCode, Operation: op, Path: path}
	var eb errorBody
	if len(body) > 0 && json.Unmarshal(body, &eb) == nil {
		e.Code = eb.Code
		e.Message = eb.Message
		if e.Message == "" && eb.OAuthDescription != "" {
			e.Message = eb.OAuthDescription
		}
		if e.Code == "" {
			e.Code = eb.OAuthError
		}
		for _, v := range eb.Violations {
			if v.Message != "" {
				e.Violations = append(e.Violations, r.String(v.Message))
			}
		}
	} else if len(body) > 0 {
		e.Message = strings.TrimSpace(truncate.Ellipsis(string(body), maxQuoted))
	}
	e.Message = r.String(e.Message)
	e.Code = r.String(e.Code)
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			e.RetryAfter = d
		}
	}
	return e
}
