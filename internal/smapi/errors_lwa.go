package smapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// LWAError is a failure to get an access token from Login with Amazon, kept
// apart from SMAPI's own answers so that a refused refresh token is named as
// one (and not as SMAPI's "401 Unauthorized"), and so that the setting to
// check is the LWA host, not the SMAPI one.
type LWAError struct {
	// Operation is the client method that needed the token.
	Operation string
	// Host is the LWA host asked, e.g. api.amazon.com.
	Host string
	// Status is LWA's HTTP status; 0 when no usable answer came back.
	Status int
	// Code and Description are LWA's OAuth error and error_description
	// (invalid_grant, invalid_client...), secrets redacted.
	Code, Description string
	// Problem describes an answer that was not an error but held no
	// access token, or the transport failure; empty for a status answer.
	Problem string
	// Err is the underlying error, for errors.Is.
	Err error
}

// Refused reports whether LWA turned the credentials down (a 4xx answer),
// as opposed to failing on its side or not answering.
func (e *LWAError) Refused() bool { return e.Status >= 400 && e.Status < 500 }

func (e *LWAError) Unwrap() error { return e.Err }

func (e *LWAError) Error() string {
	var b strings.Builder
	// The host is named where it is what to check (no usable answer); an
	// answer with a status speaks for itself.
	fmt.Fprintf(&b, "smapi %s: Login with Amazon ", e.Operation)
	switch {
	case e.Refused():
		fmt.Fprintf(&b, "refused the token request: %d %s", e.Status, statusText(e.Status))
	case e.Status >= 500:
		fmt.Fprintf(&b, "failed on its side: %d %s", e.Status, statusText(e.Status))
	case e.Status != 0:
		fmt.Fprintf(&b, "answered the token request with %d %s", e.Status, statusText(e.Status))
	default:
		fmt.Fprintf(&b, "at %s %s", e.Host, e.Problem)
	}
	if e.Description != "" {
		fmt.Fprintf(&b, ": %s", strings.TrimSuffix(e.Description, "."))
	}
	if e.Code != "" {
		fmt.Fprintf(&b, " (code %s)", e.Code)
	}
	switch {
	case e.Refused():
		b.WriteString(". " + credentialsHint)
	case e.Status >= 500:
		b.WriteString("; try again later")
	default:
		fmt.Fprintf(&b, "; check that %s points at Login with Amazon (default %s) and the network", EnvLWAURL, DefaultLWAURL)
	}
	return b.String()
}

// credentialsHint is the next step for refused credentials, whether LWA or
// SMAPI refused them.
const credentialsHint = "Check the credentials: the refresh token, client id and client secret must belong together (" +
	EnvRefreshToken + ", " + EnvClientID + ", " + EnvClientSecret + "), or " + EnvAccessToken + " must be a current access token"

// TimeoutError is a request that got no complete answer within the
// per-request deadline (Config.RequestTimeout): a server that accepted the
// connection and then stayed silent, or sent its answer too slowly.
type TimeoutError struct {
	// Operation is the client method, e.g. "GetManifest".
	Operation string
	// Service is "SMAPI" or "Login with Amazon"; Host is the host asked.
	Service, Host string
	// Timeout is the deadline that passed.
	Timeout time.Duration
	// Err is the transport's error, for errors.Is(err, context.DeadlineExceeded).
	Err error
}

func (e *TimeoutError) Error() string {
	setting := EnvBaseURL
	if e.Service == serviceLWA {
		setting = EnvLWAURL
	}
	return fmt.Sprintf("smapi %s: %s at %s did not answer within %s; check %s and the network, or allow longer with %s (--request-timeout on the command line)",
		e.Operation, e.Service, e.Host, e.Timeout, setting, EnvRequestTimeout)
}

func (e *TimeoutError) Unwrap() error { return e.Err }

// Services named in errors.
const (
	serviceSMAPI = "SMAPI"
	serviceLWA   = "Login with Amazon"
)

// tokenError marks an error of the token source, so that the client can
// tell a failed token fetch from a failed SMAPI request: oauth2's transport
// hands both back the same way.
type tokenError struct{ err error }

func (e *tokenError) Error() string { return e.err.Error() }
func (e *tokenError) Unwrap() error { return e.err }

// isTimeout reports whether err is a deadline of the HTTP client's own
// (Config.RequestTimeout) rather than of the caller's context, which the
// caller checks first.
//
// The chain is walked by hand: *url.Error answers Timeout only for the
// error directly inside it, which here is the transport's wrapper.
func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	for ; err != nil; err = errors.Unwrap(err) {
		if t, ok := err.(interface{ Timeout() bool }); ok && t.Timeout() {
			return true
		}
	}
	return false
}

// lwaError explains a failed token fetch for operation op.
func (c *Client) lwaError(op string, err error) error {
	host := hostOf(c.lwa)
	var re *oauth2.RetrieveError
	switch {
	case isTimeout(err):
		return &TimeoutError{Operation: op, Service: serviceLWA, Host: host, Timeout: c.cfg.requestTimeout(), Err: err}
	case errors.As(err, &re):
		e := &LWAError{Operation: op, Host: host, Code: c.redact.String(re.ErrorCode),
			Description: c.redact.String(re.ErrorDescription), Err: redactedError{msg: c.redact.String(re.Error()), err: err}}
		if re.Response != nil {
			e.Status = re.Response.StatusCode
		}
		if e.Status == 0 {
			e.Status = http.StatusUnauthorized
		}
		return e
	}
	problem := "answered without an access token (" + c.redact.String(err.Error()) + ")"
	// oauth2 hands back the HTTP client's *url.Error when LWA could not be
	// reached; anything else is an answer it could not use.
	var ue *url.Error
	if errors.As(err, &ue) {
		problem = "did not answer (" + c.redact.String(err.Error()) + ")"
	}
	return &LWAError{Operation: op, Host: host, Problem: problem, Err: redactedError{msg: c.redact.String(err.Error()), err: err}}
}

// hostOf is the host of an endpoint URL, for messages.
func hostOf(endpoint string) string {
	if i := strings.Index(endpoint, "://"); i >= 0 {
		endpoint = endpoint[i+3:]
	}
	if i := strings.IndexByte(endpoint, '/'); i >= 0 {
		endpoint = endpoint[:i]
	}
	return endpoint
}
