package smapi

import (
	"context"
	"crypto/tls"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy bounds retries of throttled (429) and failed (5xx) requests.
type RetryPolicy struct {
	// MaxAttempts counts the first try; 1 disables retries.
	MaxAttempts int
	// MinWait and MaxWait bound the exponential back-off (before jitter)
	// when the server gives no Retry-After.
	MinWait, MaxWait time.Duration
	// MaxRetryAfter is the longest Retry-After honoured; a longer one is
	// returned to the caller as an *Error at once instead of blocking.
	MaxRetryAfter time.Duration
}

// DefaultRetryPolicy is used for the zero RetryPolicy.
var DefaultRetryPolicy = RetryPolicy{MaxAttempts: 5, MinWait: 500 * time.Millisecond, MaxWait: 20 * time.Second, MaxRetryAfter: 2 * time.Minute}

func (p RetryPolicy) withDefaults() RetryPolicy {
	d := DefaultRetryPolicy
	if p.MaxAttempts > 0 {
		d.MaxAttempts = p.MaxAttempts
	}
	if p.MinWait > 0 {
		d.MinWait = p.MinWait
	}
	if p.MaxWait > 0 {
		d.MaxWait = p.MaxWait
	}
	if d.MaxWait < d.MinWait {
		d.MaxWait = d.MinWait
	}
	if p.MaxRetryAfter > 0 {
		d.MaxRetryAfter = p.MaxRetryAfter
	}
	return d
}

// checkRetry decides whether an attempt is tried again. 429 and
// 500/502/503/504 are; other 4xx never are. A POST is not idempotent (a
// second create-skill would make a second skill), so it is retried only
// where the server says it did not act: 429 and 503.
func (p RetryPolicy) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	idempotent := true
	if resp != nil && resp.Request != nil {
		idempotent = resp.Request.Method != http.MethodPost
	}
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return false, err
		}
		// A transport error leaves us not knowing whether a POST arrived.
		var m methodError
		if errors.As(err, &m) && m.method == http.MethodPost {
			return false, err
		}
		// A certificate problem will not go away by asking again.
		var cve *tls.CertificateVerificationError
		if errors.As(err, &cve) {
			return false, err
		}
		return true, nil
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok && d > p.MaxRetryAfter {
			return false, nil
		}
		return true, nil
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout:
		return idempotent, nil
	}
	return false, nil
}

// backoff honours Retry-After on 429 and 503 (seconds or an HTTP date);
// otherwise it doubles from min up to max, with jitter between half and the
// full value so that clients retrying together spread out.
func (p RetryPolicy) backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return d
		}
	}
	d := minWait
	for i := 0; i < attempt && d < maxWait; i++ {
		d *= 2
	}
	d = min(d, maxWait)
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + rand.N(half+1)
}

// parseRetryAfter reads a Retry-After value: delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s < 0 {
			return 0, false
		}
		if s > int64(24*time.Hour/time.Second) {
			s = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(s) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if d := t.Sub(now); d > 0 {
		return d, true
	}
	return 0, true
}

// methodError marks a transport error with the request method, so that
// checkRetry (which sees no response) knows whether it was a POST.
type methodError struct {
	method string
	err    error
}

func (e methodError) Error() string { return e.err.Error() }
func (e methodError) Unwrap() error { return e.err }
