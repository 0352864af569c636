package smapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Body size caps: a manifest or interaction model can be large, an error
// body never needs to be.
const (
	maxBodySize  = 10 << 20
	maxErrorSize = 64 << 10
)

// Client calls SMAPI v1. It is safe for concurrent use; create one per
// process so that one LWA token serves every call.
type Client struct {
	base   string // scheme://host/prefix, no trailing slash
	lwa    string // the LWA host URL, for messages
	http   *http.Client
	cfg    Config
	redact *redactor

	mu      sync.Mutex
	created map[string]time.Time // skills this client created, for the 404-after-create wait
}

// NewClient checks cfg and returns a client whose transport authenticates
// and retries.
func NewClient(cfg Config) (*Client, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	base, lwa := cfg.BaseURL, cfg.LWAURL
	if base == "" {
		base = DefaultBaseURL
	}
	if lwa == "" {
		lwa = DefaultLWAURL
	}
	bu, err := parseEndpoint(base)
	if err != nil {
		return nil, &ConfigError{Problem: EnvBaseURL + ": " + err.Error()}
	}
	lu, err := parseEndpoint(lwa)
	if err != nil {
		return nil, &ConfigError{Problem: EnvLWAURL + ": " + err.Error()}
	}
	r := newRedactor(cfg.Secrets())
	return &Client{
		base:    bu.String(),
		lwa:     lu.String(),
		http:    newHTTPClient(cfg, lu.String(), r),
		cfg:     cfg,
		redact:  r,
		created: map[string]time.Time{},
	}, nil
}

// VendorID is the configured default vendor.
func (c *Client) VendorID() string { return c.cfg.VendorID }

// Redact removes this client's secrets (and secret-shaped fields) from s,
// for callers that print text derived from SMAPI answers.
func (c *Client) Redact(s string) string { return c.redact.String(s) }

// call is one logical request.
type call struct {
	op      string // client method, for errors
	method  string
	path    string // escaped, starting with /v1
	query   url.Values
	body    []byte
	ifMatch string
	// pre is the precondition of a write; a PUT without one is refused
	// (checkPrecondition). When set, it supplies the If-Match.
	pre *Precondition
	// ok lists the success statuses; anything else is an *Error.
	ok []int
}

// result is a successful answer.
type result struct {
	status int
	header http.Header
	body   []byte
	tries  *attempts
}

// do sends c and reads the answer with a size cap; non-success statuses
// become *Error.
func (c *Client) do(ctx context.Context, k call) (*result, error) {
	u := c.base + k.path
	if len(k.query) > 0 {
		u += "?" + k.query.Encode()
	}
	var body io.Reader
	if k.body != nil {
		body = bytes.NewReader(k.body)
	}
	if err := checkPrecondition(k); err != nil {
		return nil, err
	}
	if k.pre != nil {
		k.ifMatch = k.pre.etag
	}
	tries := attemptsFrom(ctx)
	if tries == nil {
		ctx, tries = withAttempts(ctx)
	}
	req, err := http.NewRequestWithContext(ctx, k.method, u, body)
	if err != nil {
		return nil, fmt.Errorf("smapi %s: building the request: %w", k.op, err)
	}
	req.Header.Set("Accept", "application/json")
	// Amazon's model requires Accept-Language on the publication operations
	// and allows it on others; it picks the language of SMAPI's messages,
	// which skillgate shows to users, so it is sent on every request.
	req.Header.Set("Accept-Language", "en-US")
	if k.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if k.ifMatch != "" {
		req.Header.Set("If-Match", k.ifMatch)
	}
	before := tries.count()
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, c.transportError(ctx, k, err)
	}
	defer resp.Body.Close()
	success := false
	for _, s := range k.ok {
		success = success || resp.StatusCode == s
	}
	limit := int64(maxBodySize)
	if !success {
		limit = maxErrorSize
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil && ctx.Err() == nil && isTimeout(err) {
		return nil, &TimeoutError{Operation: k.op, Service: serviceSMAPI, Host: hostOf(c.base), Timeout: c.cfg.requestTimeout(), Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("smapi %s %s: reading the answer: %s", k.op, k.path, c.redact.String(err.Error()))
	}
	if int64(len(data)) > limit {
		if success {
			return nil, fmt.Errorf("smapi %s %s: the answer is larger than %d MiB; refusing to read it", k.op, k.path, limit>>20)
		}
		data = data[:limit]
	}
	if !success {
		e := newError(k.op, k.path, resp, data, c.redact)
		e.Attempts = tries.count() - before
		return nil, e
	}
	return &result{status: resp.StatusCode, header: resp.Header, body: data, tries: tries}, nil
}

// transportError explains a failure to get any answer: a failed token
// fetch is an *LWAError (or a *TimeoutError naming LWA), a silent SMAPI a
// *TimeoutError, anything else names the SMAPI setting to check. Nothing
// secret survives.
func (c *Client) transportError(ctx context.Context, k call, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("smapi %s %s: %w", k.op, k.path, ctxErr)
	}
	var te *tokenError
	if errors.As(err, &te) {
		return c.lwaError(k.op, te.err)
	}
	if isTimeout(err) {
		return &TimeoutError{Operation: k.op, Service: serviceSMAPI, Host: hostOf(c.base), Timeout: c.cfg.requestTimeout(), Err: err}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fmt.Errorf("smapi %s %s: no answer from SMAPI; check %s and the network: %w",
		k.op, k.path, EnvBaseURL, redactedError{msg: c.redact.String(err.Error()), err: err})
}

// redactedError shows a transport error's text redacted while keeping the
// original for errors.Is and errors.As.
type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }

// escape path-escapes one path segment (skill ids, stages, locales).
func escape(s string) string { return url.PathEscape(s) }

func skillPath(skillID string, rest ...string) string {
	var b strings.Builder
	b.WriteString("/v1/skills/")
	b.WriteString(escape(skillID))
	for _, r := range rest {
		b.WriteString("/")
		b.WriteString(r)
	}
	return b.String()
}

func stagePath(skillID, stage string, rest ...string) string {
	return skillPath(skillID, append([]string{"stages", escape(stage)}, rest...)...)
}

// Accepted is SMAPI's answer to an asynchronous write: 202 with a relative
// Location to follow the status.
type Accepted struct {
	// Location is the URL SMAPI gave to track the request, as sent
	// (usually relative, e.g. /v1/skills/{id}/status?resource=manifest).
	Location string
	// ETag is the new resource version when SMAPI sent one.
	ETag string
	// AlreadyApplied is true when a retried PUT got 412 but the live
	// resource already equals what was sent: the first attempt went
	// through although its answer was lost.
	AlreadyApplied bool
}

func accepted(r *result) *Accepted {
	return &Accepted{Location: r.header.Get("Location"), ETag: r.header.Get("ETag")}
}

// Sleep waits d or until ctx is done, whichever comes first; it returns
// ctx's error when ctx ended the wait. Every wait of skillgate's (polls,
// retries, the deploy's waits) goes through it, so none outlives its
// context.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
