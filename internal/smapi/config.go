package smapi

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Default endpoints, as ask-cli uses them.
const (
	DefaultBaseURL = "https://api.amazonalexa.com"
	DefaultLWAURL  = "https://api.amazon.com"
	// TokenPath is appended to the LWA host for the refresh-token grant.
	TokenPath = "/auth/o2/token"
)

// Environment variables read by ConfigFromEnv (the names ask-cli uses).
const (
	EnvClientID     = "ASK_CLIENT_ID"
	EnvClientSecret = "ASK_CLIENT_SECRET"
	EnvRefreshToken = "ASK_REFRESH_TOKEN"
	EnvAccessToken  = "ASK_ACCESS_TOKEN"
	EnvVendorID     = "ASK_VENDOR_ID"
	EnvBaseURL      = "ASK_SMAPI_SERVER_BASE_URL"
	EnvLWAURL       = "ASK_LWA_TOKEN_HOST"
	// EnvRequestTimeout is skillgate's own: the deadline of each request
	// to SMAPI or LWA, a Go duration such as 45s.
	EnvRequestTimeout = "SKILLGATE_REQUEST_TIMEOUT"
)

// DefaultRequestTimeout bounds each request when Config.RequestTimeout is
// zero. A SMAPI answer takes well under a second; 30 s leaves room for a
// slow network without letting a silent server hang a command.
const DefaultRequestTimeout = 30 * time.Second

// DefaultCreateWait bounds how long a 303 on GET manifest or a 404 on the
// status of a skill this client just created is waited out.
const DefaultCreateWait = 60 * time.Second

// Config says where SMAPI and LWA are and which credentials to use.
type Config struct {
	// BaseURL is the SMAPI endpoint; empty means DefaultBaseURL. A path
	// prefix is kept ("http://127.0.0.1:8080/smapi").
	BaseURL string
	// LWAURL is the Login with Amazon host; TokenPath is appended. Empty
	// means DefaultLWAURL.
	LWAURL string

	// ClientID, ClientSecret and RefreshToken drive the LWA refresh-token
	// grant; they must belong to the same security profile.
	ClientID, ClientSecret, RefreshToken string
	// AccessToken, when set, is used as is and the LWA grant is skipped.
	AccessToken string
	// VendorID is the default vendor for ListSkills and CreateSkill callers.
	VendorID string

	// HTTPClient is the base client; nil means a client with default
	// settings. Its Transport is wrapped (auth, retries, debug), never
	// modified; its Timeout is not used (RequestTimeout is).
	HTTPClient *http.Client
	// RequestTimeout bounds each attempt of each request, from sending it to
	// reading the last byte of the answer; zero means DefaultRequestTimeout.
	// An attempt that runs out of time is not retried: the call fails with
	// a *TimeoutError naming the operation and the host.
	RequestTimeout time.Duration
	// Debug, when not nil, receives every request and response with
	// secrets redacted.
	Debug io.Writer
	// Retry bounds the retries of 429 and 5xx answers; the zero value means
	// DefaultRetryPolicy.
	Retry RetryPolicy
	// CreateWait bounds the wait for a skill still being created (303 on
	// GET manifest, 404 on status after CreateSkill); zero means
	// DefaultCreateWait.
	CreateWait time.Duration

	// envErr is a malformed EnvRequestTimeout, reported by Check.
	envErr error
}

// ConfigFromEnv reads the ASK_* variables (the README's "Environment") and
// EnvRequestTimeout through getenv. A malformed timeout is reported by
// Check, with the other settings.
func ConfigFromEnv(getenv func(string) string) Config {
	get := func(k string) string { return strings.TrimSpace(getenv(k)) }
	timeout, err := ParseRequestTimeout(get(EnvRequestTimeout))
	if err != nil {
		err = fmt.Errorf("%s: %w", EnvRequestTimeout, err)
	}
	return Config{
		RequestTimeout: timeout,
		envErr:         err,
		BaseURL:        get(EnvBaseURL),
		LWAURL:         get(EnvLWAURL),
		ClientID:       get(EnvClientID),
		ClientSecret:   get(EnvClientSecret),
		RefreshToken:   get(EnvRefreshToken),
		AccessToken:    get(EnvAccessToken),
		VendorID:       get(EnvVendorID),
	}
}

// ConfigError is a missing or malformed setting; the CLI maps it to exit
// code 2.
type ConfigError struct {
	// Missing names the environment variables that must be set.
	Missing []string
	// Problem describes a malformed value; empty when only Missing applies.
	Problem string
}

func (e *ConfigError) Error() string {
	var creds, other []string
	for _, m := range e.Missing {
		switch m {
		case EnvClientID, EnvClientSecret, EnvRefreshToken:
			creds = append(creds, m)
		default:
			other = append(other, m)
		}
	}
	var parts []string
	// An access token stands in for the LWA credentials only: it carries no
	// vendor id, so offering it for ASK_VENDOR_ID would send the user round
	// in circles.
	if len(creds) > 0 {
		parts = append(parts, fmt.Sprintf("missing SMAPI credentials: set %s (or %s with a ready access token)",
			strings.Join(creds, ", "), EnvAccessToken))
	}
	if len(other) > 0 {
		parts = append(parts, "missing setting: set "+strings.Join(other, ", "))
	}
	if e.Problem != "" {
		parts = append(parts, e.Problem)
	}
	return strings.Join(parts, "; ")
}

// Check reports a *ConfigError naming every missing variable, or a malformed
// endpoint. It does not require VendorID: only some operations need one.
func (c Config) Check() error {
	e := &ConfigError{}
	if c.AccessToken == "" {
		for _, v := range []struct{ name, value string }{
			{EnvClientID, c.ClientID}, {EnvClientSecret, c.ClientSecret}, {EnvRefreshToken, c.RefreshToken},
		} {
			if v.value == "" {
				e.Missing = append(e.Missing, v.name)
			}
		}
	}
	var problems []string
	for _, v := range []struct{ name, value string }{{EnvBaseURL, c.BaseURL}, {EnvLWAURL, c.LWAURL}} {
		if v.value == "" {
			continue
		}
		if _, err := parseEndpoint(v.value); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", v.name, err))
		}
	}
	if c.envErr != nil {
		problems = append(problems, c.envErr.Error())
	}
	if c.RequestTimeout < 0 {
		problems = append(problems, fmt.Sprintf("request timeout %s: give a positive duration, e.g. 30s", c.RequestTimeout))
	}
	e.Problem = strings.Join(problems, "; ")
	if len(e.Missing) == 0 && e.Problem == "" {
		return nil
	}
	return e
}

// Secrets returns the configured values that must never be shown: the
// client id and secret, the refresh token and the access token. The Action
// masks them; the client redacts them from errors and debug output.
func (c Config) Secrets() []string {
	var out []string
	for _, s := range []string{c.ClientSecret, c.RefreshToken, c.AccessToken, c.ClientID} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func parseEndpoint(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%q is not a URL: %w", raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q is not an http(s) URL with a host, such as %s", raw, DefaultBaseURL)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%q must not carry a query or fragment", raw)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

func (c Config) createWait() time.Duration {
	if c.CreateWait > 0 {
		return c.CreateWait
	}
	return DefaultCreateWait
}

// ParseRequestTimeout reads a request timeout as given to
// EnvRequestTimeout or --request-timeout: a positive Go duration ("45s",
// "2m"); empty is zero, meaning DefaultRequestTimeout.
func ParseRequestTimeout(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a positive duration: write it like 30s or 2m", s)
	}
	return d, nil
}

func (c Config) requestTimeout() time.Duration {
	if c.RequestTimeout > 0 {
		return c.RequestTimeout
	}
	return DefaultRequestTimeout
}
