package smapitest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestTokenEndpoint(t *testing.T) {
	t.Parallel()
	form := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v.Encode()
	}
	const ct = "application/x-www-form-urlencoded"
	good := form("grant_type", "refresh_token", "refresh_token", "Atzr|r", "client_id", "id", "client_secret", "sec")
	tests := []struct {
		name      string
		opts      []Option
		path      string
		body      string
		basic     [2]string
		wantCode  int
		wantError string
	}{
		{name: "form credentials", path: "/auth/o2/token", body: good, wantCode: 200},
		{name: "ask-cli spelling", path: "/auth/O2/token", body: good, wantCode: 200},
		{name: "basic credentials", path: "/auth/o2/token", body: form("grant_type", "refresh_token", "refresh_token", "r"),
			basic: [2]string{"amzn1.application-oa2-client.x", "s%2Bcret"}, wantCode: 200},
		{name: "json body", path: "/auth/o2/token", body: `{"grant_type":"refresh_token","refresh_token":"r","client_id":"c","client_secret":"s"}`, wantCode: 200},
		{name: "wrong grant", path: "/auth/o2/token", body: form("grant_type", "authorization_code", "refresh_token", "r", "client_id", "c", "client_secret", "s"),
			wantCode: 400, wantError: "unsupported_grant_type"},
		{name: "no refresh token", path: "/auth/o2/token", body: form("grant_type", "refresh_token", "client_id", "c", "client_secret", "s"),
			wantCode: 400, wantError: "invalid_request"},
		{name: "no client", path: "/auth/o2/token", body: form("grant_type", "refresh_token", "refresh_token", "r"),
			wantCode: 401, wantError: "invalid_client"},
		{name: "exact credentials", opts: []Option{WithCredentials("id", "sec", "Atzr|r")}, path: "/auth/o2/token", body: good, wantCode: 200},
		{name: "wrong client", opts: []Option{WithCredentials("other", "sec", "Atzr|r")}, path: "/auth/o2/token", body: good,
			wantCode: 401, wantError: "invalid_client"},
		{name: "wrong secret", opts: []Option{WithCredentials("id", "other", "Atzr|r")}, path: "/auth/o2/token", body: good,
			wantCode: 401, wantError: "invalid_client"},
		{name: "wrong refresh token", opts: []Option{WithCredentials("id", "sec", "other")}, path: "/auth/o2/token", body: good,
			wantCode: 400, wantError: "invalid_grant"},
		{name: "basic with exact credentials", opts: []Option{WithCredentials("id", "s+cret", "r")}, path: "/auth/o2/token",
			body: form("grant_type", "refresh_token", "refresh_token", "r"), basic: [2]string{"id", "s%2Bcret"}, wantCode: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, tt.opts...)
			req, _ := http.NewRequest("POST", h.s.URL+tt.path, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", ct)
			if tt.basic[0] != "" {
				req.SetBasicAuth(tt.basic[0], tt.basic[1])
			}
			resp, err := h.s.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.wantCode {
				t.Fatalf("status %d, want %d: %v", resp.StatusCode, tt.wantCode, body)
			}
			if tt.wantError != "" {
				if body["error"] != tt.wantError {
					t.Errorf("error = %v, want %s", body["error"], tt.wantError)
				}
				return
			}
			if body["token_type"] != "bearer" || body["expires_in"] != float64(3600) || body["access_token"] == "" || body["refresh_token"] == "" {
				t.Errorf("token body %v", body)
			}
			// The token works on SMAPI.
			h.token = body["access_token"].(string)
			h.want(200, "GET", "/v1/skills?vendorId="+DefaultVendorID, "")
		})
	}
}

func TestAuthentication(t *testing.T) {
	t.Parallel()
	h := newHarness(t, WithTokenTTL(1500*time.Millisecond), WithStaticToken("static-token"))
	h.token = h.newToken()
	list := "/v1/skills?vendorId=" + DefaultVendorID

	code, hdr, _ := h.raw("GET", list, "")
	if code != 401 || !strings.Contains(hdr.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("no token: %d %v", code, hdr)
	}
	if code, _, _ := h.raw("GET", list, "", "Authorization", "Bearer nope"); code != 401 {
		t.Errorf("unknown token: %d", code)
	}
	// ask-cli sends the bare token.
	if code, _, b := h.raw("GET", list, "", "Authorization", h.token); code != 200 {
		t.Errorf("bare token: %d %s", code, b)
	}
	if code, _, _ := h.raw("GET", list, "", "Authorization", "Bearer static-token"); code != 200 {
		t.Errorf("static token: %d", code)
	}

	// expires_in is rounded up to whole seconds.
	code, _, b := h.raw("POST", "/auth/o2/token", "grant_type=refresh_token&refresh_token=r&client_id=c&client_secret=s")
	if code != 200 || !strings.Contains(string(b), `"expires_in":2`) {
		t.Errorf("token with 1.5s TTL: %d %s", code, b)
	}

	h.clock.Add(1499 * time.Millisecond)
	h.want(200, "GET", list, "")
	h.clock.Add(time.Millisecond)
	m, _ := h.want(401, "GET", list, "")
	if !strings.Contains(m["message"].(string), "expired") {
		t.Errorf("expired token message %v", m)
	}

	h.s.ExpireTokens()
	if code, _, _ := h.raw("GET", list, "", "Authorization", "Bearer static-token"); code != 401 {
		t.Errorf("static token after ExpireTokens: %d", code)
	}
}
