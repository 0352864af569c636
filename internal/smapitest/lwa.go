package smapitest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
)

// serveToken is the LWA token endpoint (POST /auth/o2/token, and
// /auth/O2/token as ask-cli spells it): the refresh-token grant with client
// credentials in the form or as HTTP Basic.
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form := tokenForm(r, body)
	clientID, clientSecret := form.Get("client_id"), form.Get("client_secret")
	if id, secret, ok := r.BasicAuth(); ok {
		// RFC 6749 §2.3.1: Basic credentials are form-encoded first.
		clientID, clientSecret = formUnescape(id), formUnescape(secret)
	}

	s.mu.Lock()
	now := s.now()
	var resp response
	switch {
	case s.initErr != nil:
		resp = errorResponse(http.StatusInternalServerError, "simulator misconfigured: "+s.initErr.Error())
	case form.Get("grant_type") != "refresh_token":
		resp = lwaError(http.StatusBadRequest, "unsupported_grant_type", "grant_type must be refresh_token")
	case form.Get("refresh_token") == "":
		resp = lwaError(http.StatusBadRequest, "invalid_request", "refresh_token is missing")
	case clientID == "" || clientSecret == "":
		resp = lwaError(http.StatusUnauthorized, "invalid_client", "client_id and client_secret are required, in the form or as HTTP Basic")
	case s.creds != nil && (clientID != s.creds.clientID || clientSecret != s.creds.clientSecret):
		resp = lwaError(http.StatusUnauthorized, "invalid_client", "Client authentication failed")
	case s.creds != nil && form.Get("refresh_token") != s.creds.refreshToken:
		resp = lwaError(http.StatusBadRequest, "invalid_grant", "The request has an invalid grant parameter : refresh_token")
	default:
		token := "Atza|sim." + randomHex(16)
		s.tokens[token] = now.Add(s.tokenTTL)
		resp = jsonResponse(http.StatusOK, struct {
			AccessToken  string `json:"access_token"`
			RefreshToken string `json:"refresh_token"`
			TokenType    string `json:"token_type"`
			ExpiresIn    int64  `json:"expires_in"`
		}{token, form.Get("refresh_token"), "bearer", int64(math.Max(1, math.Ceil(s.tokenTTL.Seconds())))})
		resp.header.Set("Cache-Control", "no-store")
	}
	s.mu.Unlock()
	writeResponse(w, resp)
}

// tokenForm reads the form; a JSON object is accepted too because LWA does.
func tokenForm(r *http.Request, body []byte) url.Values {
	if strings.HasPrefix(strings.TrimSpace(string(body)), "{") {
		var m map[string]any
		if json.Unmarshal(body, &m) == nil {
			v := url.Values{}
			for k, x := range m {
				if str, ok := x.(string); ok {
					v.Set(k, str)
				}
			}
			return v
		}
	}
	v, err := url.ParseQuery(string(body))
	if err != nil {
		return url.Values{}
	}
	return v
}

func formUnescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

func lwaError(status int, code, description string) response {
	return jsonResponse(status, struct {
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
	}{code, description})
}

// authenticate checks the access token of a SMAPI call. ask-cli sends the
// bare token, other clients "Bearer <token>"; both are accepted.
func (s *Server) authenticate(c *call) (response, bool) {
	h := c.r.Header.Get("Authorization")
	token := h
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		token = strings.TrimSpace(h[7:])
	}
	if token == "" {
		return unauthorized("the request has no Authorization header; get an access token from LWA first"), false
	}
	exp, ok := s.tokens[token]
	if !ok {
		return unauthorized("the access token is not valid for this simulator"), false
	}
	if !exp.IsZero() && !c.now.Before(exp) {
		return unauthorized("the access token has expired; refresh it"), false
	}
	return response{}, true
}

func unauthorized(msg string) response {
	r := errorResponse(http.StatusUnauthorized, msg)
	r.header.Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	return r
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails on supported platforms (Go 1.24+ crashes instead)
	return hex.EncodeToString(b)
}
