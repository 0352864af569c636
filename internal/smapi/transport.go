package smapi

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/oauth2"

	"github.com/skillgate/skillgate/internal/buildinfo"
)

// debugBodyLimit caps how much of each body the Debug output shows.
const debugBodyLimit = 4 << 10

// lwaTimeout bounds a token fetch, which oauth2 runs without the caller's
// context.
const lwaTimeout = 60 * time.Second

// attemptTransport sits below the retries, so it sees every attempt: it
// writes the Debug trace and records each attempt's outcome for the caller.
type attemptTransport struct {
	base   http.RoundTripper
	debug  io.Writer
	redact *redactor
	mu     sync.Mutex // serialises Debug writes from concurrent requests
}

func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	// Every request, SMAPI's and the LWA token requests oauth2 builds,
	// names skillgate's version; a RoundTripper must not change the
	// caller's request, so it changes a copy.
	if ua := buildinfo.UserAgent(); req.Header.Get("User-Agent") != ua {
		req = req.Clone(req.Context())
		req.Header.Set("User-Agent", ua)
	}
	if t.debug != nil {
		t.logRequest(req)
	}
	resp, err := t.base.RoundTrip(req)
	rec := attemptsFrom(req.Context())
	if err != nil {
		rec.add(0)
		if t.debug != nil {
			t.printf("<- %s %s: %s (%s)\n\n", req.Method, req.URL.Path, t.redact.String(err.Error()), time.Since(start).Round(time.Millisecond))
		}
		return nil, methodError{method: req.Method, err: err}
	}
	rec.add(resp.StatusCode)
	if t.debug != nil {
		t.logResponse(req, resp, time.Since(start))
	}
	return resp, nil
}

func (t *attemptTransport) printf(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintf(t.debug, format, args...)
}

func (t *attemptTransport) logRequest(req *http.Request) {
	var body []byte
	if req.GetBody != nil {
		if rc, err := req.GetBody(); err == nil {
			body, _ = io.ReadAll(io.LimitReader(rc, debugBodyLimit+1))
			rc.Close()
		}
	}
	t.printf("-> %s %s\n%s%s\n", req.Method, t.redact.String(req.URL.String()), t.redact.Header(req.Header), t.bodyText(body))
}

func (t *attemptTransport) logResponse(req *http.Request, resp *http.Response, took time.Duration) {
	// Read a prefix for the trace and hand the caller the whole body back.
	prefix, _ := io.ReadAll(io.LimitReader(resp.Body, debugBodyLimit+1))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(prefix), resp.Body), resp.Body}
	t.printf("<- %s %s: %s (%s)\n%s%s\n", req.Method, req.URL.Path, resp.Status, took.Round(time.Millisecond),
		t.redact.Header(resp.Header), t.bodyText(prefix))
}

func (t *attemptTransport) bodyText(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	more := ""
	if len(b) > debugBodyLimit {
		b = b[:debugBodyLimit]
		more = " …(truncated)"
	}
	return "  " + t.redact.String(string(bytes.ToValidUTF8(b, []byte("?")))) + more + "\n"
}

// attempts records the status of every attempt of one logical request
// (0 for a transport error), so a method can tell that its PUT was retried
// after a server failure.
type attempts struct {
	mu       sync.Mutex
	statuses []int
}

type attemptsKey struct{}

func withAttempts(ctx context.Context) (context.Context, *attempts) {
	a := &attempts{}
	return context.WithValue(ctx, attemptsKey{}, a), a
}

func attemptsFrom(ctx context.Context) *attempts {
	a, _ := ctx.Value(attemptsKey{}).(*attempts)
	return a
}

// count is the number of attempts so far; 0 for a nil recorder.
func (a *attempts) count() int {
	if a == nil {
		return 0
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.statuses)
}

func (a *attempts) add(status int) {
	if a == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.statuses = append(a.statuses, status)
}

// failedBeforeLast reports whether an attempt before the last one ended in
// a transport error or a 5xx, i.e. the server may have applied the request.
func (a *attempts) failedBeforeLast() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	for i := 0; i+1 < len(a.statuses); i++ {
		if s := a.statuses[i]; s == 0 || s >= 500 {
			return true
		}
	}
	return false
}

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// newHTTPClient layers the transports: oauth2 (one token source per client)
// over retryablehttp over the attempt recorder over the caller's transport.
// Redirects are never followed: a 303 on GET manifest means "still being
// created", not "look elsewhere".
func newHTTPClient(cfg Config, lwa string, r *redactor) *http.Client {
	base := cfg.HTTPClient
	if base == nil {
		base = &http.Client{}
	}
	rt := base.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	inner := &http.Client{
		Transport:     &attemptTransport{base: rt, debug: cfg.Debug, redact: r},
		CheckRedirect: noRedirect,
		Jar:           base.Jar,
		// The http.Client's Timeout, unlike a context, also covers reading
		// the body that Do hands back: a server dripping its answer a byte
		// at a time is cut off too.
		Timeout: cfg.requestTimeout(),
	}
	retrying := &retryablehttp.RoundTripper{Client: retryingClient(inner, cfg.Retry)}

	src := &lwaSource{redact: r}
	if cfg.AccessToken != "" {
		src.cur = oauth2.StaticTokenSource(&oauth2.Token{AccessToken: cfg.AccessToken, TokenType: "Bearer"})
	} else {
		oc := &oauth2.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			Endpoint:     oauth2.Endpoint{TokenURL: lwa + TokenPath, AuthStyle: oauth2.AuthStyleInParams},
		}
		lwaClient := &http.Client{Transport: retrying, CheckRedirect: noRedirect, Timeout: lwaTimeout}
		// The context lives as long as the token source: oauth2 uses it for
		// every refresh, only to find the HTTP client.
		ctx := context.WithValue(context.Background(), oauth2.HTTPClient, lwaClient)
		// Config.TokenSource is a ReuseTokenSource: one token per client,
		// refreshed by oauth2 when it expires.
		src.renewed = func() oauth2.TokenSource {
			return oc.TokenSource(ctx, &oauth2.Token{RefreshToken: cfg.RefreshToken})
		}
		src.cur = src.renewed()
	}
	return &http.Client{
		Transport:     &renewOn401{src: src, base: &oauth2.Transport{Source: src, Base: retrying}},
		CheckRedirect: noRedirect,
	}
}

// retryingClient retries inner's requests under policy p.
func retryingClient(inner *http.Client, p RetryPolicy) *retryablehttp.Client {
	p = p.withDefaults()
	return &retryablehttp.Client{
		HTTPClient:   inner,
		Logger:       nil, // silence retryablehttp's default logger
		RetryWaitMin: p.MinWait,
		RetryWaitMax: p.MaxWait,
		RetryMax:     p.MaxAttempts - 1,
		CheckRetry:   p.checkRetry,
		Backoff:      p.backoff,
		// Hand the last answer back instead of a "giving up" error, so the
		// caller maps it to an *Error with SMAPI's message.
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
}

var (
	_ oauth2.TokenSource = (*lwaSource)(nil)
	_ http.RoundTripper  = (*renewOn401)(nil)
)

// lwaSource is the client's token source: oauth2's own caching source,
// which it replaces with a fresh one when SMAPI refuses a token before its
// expiry (LWA revoked it, the security profile's secret was rotated).
// Every token it hands out is taught to the redactor, so an access token
// issued at run time is redacted like the configured secrets.
type lwaSource struct {
	redact  *redactor
	renewed func() oauth2.TokenSource // nil for a static ASK_ACCESS_TOKEN

	mu  sync.Mutex
	cur oauth2.TokenSource
}

func (l *lwaSource) Token() (*oauth2.Token, error) {
	l.mu.Lock()
	src := l.cur
	l.mu.Unlock()
	t, err := src.Token()
	if err != nil {
		return nil, &tokenError{err: err}
	}
	l.redact.add(t.AccessToken, t.RefreshToken)
	return t, nil
}

// renew drops the cached token when it is still refused, the one SMAPI
// answered 401 to, and reports whether asking again can bring a different
// one. A source another request already renewed is kept, so that many
// requests refused together cause one new grant, not one each.
func (l *lwaSource) renew(refused string) bool {
	if l.renewed == nil {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if t, err := l.cur.Token(); err != nil || t.AccessToken == refused {
		l.cur = l.renewed()
	}
	return true
}

// renewOn401 gives a request refused with 401 one fresh token and one more
// try. A second 401 is final: then the credentials themselves are wrong,
// and the caller reports it.
type renewOn401 struct {
	src  *lwaSource
	base http.RoundTripper // oauth2.Transport: sets the bearer token
}

func (t *renewOn401) RoundTrip(req *http.Request) (*http.Response, error) {
	body, rewindable := rewind(req)
	resp, err := t.base.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusUnauthorized || !rewindable {
		if body != nil {
			body.Close()
		}
		return resp, err
	}
	// oauth2.Transport sent a clone holding the token it used.
	used := strings.TrimPrefix(resp.Request.Header.Get("Authorization"), "Bearer ")
	if !t.src.renew(used) {
		if body != nil {
			body.Close()
		}
		return resp, nil
	}
	// Drain the refusal so its connection can carry the second try.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorSize))
	resp.Body.Close()
	again := req.Clone(req.Context())
	again.Body = body
	return t.base.RoundTrip(again)
}

// rewind returns a fresh copy of req's body for a second send; ok is false
// when the body cannot be read again.
func rewind(req *http.Request) (body io.ReadCloser, ok bool) {
	if req.Body == nil || req.Body == http.NoBody {
		return req.Body, true
	}
	if req.GetBody == nil {
		return nil, false
	}
	b, err := req.GetBody()
	return b, err == nil
}
