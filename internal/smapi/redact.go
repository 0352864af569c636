package smapi

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
)

const redacted = "[REDACTED]"

// Structural redaction catches secrets the redactor was never told about,
// such as a freshly issued access token in an LWA answer.
var (
	jsonSecretField = regexp.MustCompile(`("(?:access_token|refresh_token|id_token|client_secret)"\s*:\s*)"(?:[^"\\]|\\.)*"`)
	formSecretField = regexp.MustCompile(`((?:^|[&?\s])(?:access_token|refresh_token|client_secret|code)=)[^&\s]*`)
	bearerValue     = regexp.MustCompile(`(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=|-]+`)
	// LWA access and refresh tokens start with Atza| and Atzr|.
	lwaToken = regexp.MustCompile(`\bAtz[ar]\|[A-Za-z0-9._~+/=|%-]+`)
	// Pre-signed S3 URLs (package upload and export locations) carry
	// their credential in the query; SMAPI's answers show them before the
	// client can learn them as secrets.
	presignedParam = regexp.MustCompile(`(?i)(X-Amz-(?:Signature|Credential|Security-Token)=)[^&\s"\\]*`)
)

// secretHeaders are shown with their value replaced.
var secretHeaders = map[string]bool{
	"Authorization": true, "Proxy-Authorization": true, "Cookie": true, "Set-Cookie": true,
	"X-Amz-Security-Token": true,
}

// redactor removes known secrets and secret-shaped fields from text.
type redactor struct {
	mu      sync.RWMutex
	secrets []string // longest first, so a secret containing another is replaced whole
}

// minSecretLen keeps very short values (a one-letter test id) from
// shredding every message; structural redaction still covers them.
const minSecretLen = 4

func newRedactor(secrets []string) *redactor {
	r := &redactor{}
	r.add(secrets...)
	return r
}

// add learns more secrets, such as an access token just issued.
func (r *redactor) add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, v := range secrets {
		if len(v) < minSecretLen || slices.Contains(r.secrets, v) {
			continue
		}
		r.secrets = append(r.secrets, v)
		if q := url.QueryEscape(v); q != v {
			r.secrets = append(r.secrets, q)
		}
	}
	sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
}

// String redacts s.
func (r *redactor) String(s string) string {
	if s == "" {
		return s
	}
	r.mu.RLock()
	for _, sec := range r.secrets {
		s = strings.ReplaceAll(s, sec, redacted)
	}
	r.mu.RUnlock()
	s = lwaToken.ReplaceAllString(s, redacted)
	s = presignedParam.ReplaceAllString(s, `${1}`+redacted)
	s = jsonSecretField.ReplaceAllString(s, `$1"`+redacted+`"`)
	s = formSecretField.ReplaceAllString(s, `${1}`+redacted)
	s = bearerValue.ReplaceAllString(s, `$1 `+redacted)
	return s
}

// Header renders h one "Name: value" line each, sorted, secrets redacted.
func (r *redactor) Header(h http.Header) string {
	var b strings.Builder
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			if secretHeaders[http.CanonicalHeaderKey(k)] {
				v = redacted
			}
			b.WriteString("  " + k + ": " + r.String(v) + "\n")
		}
	}
	return b.String()
}
