package smapitest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

const testManifest = `{
  "manifest": {
    "manifestVersion": "1.0",
    "publishingInformation": {
      "locales": {"en-US": {"name": "Sample", "summary": "s", "description": "d"}},
      "distributionCountries": ["US"]
    },
    "apis": {"custom": {"endpoint": {"uri": "arn:aws:lambda:us-east-1:123456789012:function:f"}}}
  }
}`

const testModel = `{"interactionModel": {"languageModel": {"invocationName": "sample", "intents": []}}}`

type harness struct {
	t      *testing.T
	s      *Server
	clock  *Clock
	token  string
	client *http.Client // does not follow redirects, so tests see 303
}

func newHarness(t *testing.T, opts ...Option) *harness {
	t.Helper()
	clock := NewClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	s := NewServer(append([]Option{WithClock(clock.Now)}, opts...)...)
	t.Cleanup(s.Close)
	h := &harness{t: t, s: s, clock: clock, client: &http.Client{
		Transport:     s.Client().Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	h.token = "test-token"
	WithStaticToken(h.token)(s)
	return h
}

func (h *harness) newToken() string {
	h.t.Helper()
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"r"}, "client_id": {"c"}, "client_secret": {"s"}}
	code, _, body := h.raw("POST", "/auth/o2/token", form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	if code != http.StatusOK {
		h.t.Fatalf("token: %d %s", code, body)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(body, &tok); err != nil || tok.AccessToken == "" {
		h.t.Fatalf("token body %s: %v", body, err)
	}
	return tok.AccessToken
}

// raw sends a request without adding a token; header is name, value pairs.
func (h *harness) raw(method, path, body string, header ...string) (int, http.Header, []byte) {
	h.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, h.s.URL+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := h.client.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

// do sends an authenticated SMAPI request.
func (h *harness) do(method, path, body string, header ...string) (int, http.Header, []byte) {
	h.t.Helper()
	return h.raw(method, path, body, append([]string{"Authorization", "Bearer " + h.token, "Content-Type", "application/json"}, header...)...)
}

// want checks the status of a call and returns its body decoded.
func (h *harness) want(status int, method, path, body string, header ...string) (map[string]any, http.Header) {
	h.t.Helper()
	code, hdr, b := h.do(method, path, body, header...)
	if code != status {
		h.t.Fatalf("%s %s: status %d, want %d; body %s", method, path, code, status, b)
	}
	var m map[string]any
	if len(b) > 0 {
		if err := json.Unmarshal(b, &m); err != nil {
			h.t.Fatalf("%s %s: body %q is not a JSON object: %v", method, path, b, err)
		}
	}
	if status >= 400 && method != "HEAD" {
		if msg, _ := m["message"].(string); msg == "" {
			h.t.Fatalf("%s %s: error body %s has no message", method, path, b)
		}
	}
	return m, hdr
}

// skill adds a skill with testManifest and returns its id.
func (h *harness) skill() string {
	h.t.Helper()
	id, err := h.s.AddSkill("", []byte(testManifest))
	if err != nil {
		h.t.Fatal(err)
	}
	return id
}

func manifestPath(id, stage string) string {
	return "/v1/skills/" + id + "/stages/" + stage + "/manifest"
}

func modelPath(id, stage, locale string) string {
	return "/v1/skills/" + id + "/stages/" + stage + "/interactionModel/locales/" + locale
}

// stageEntry returns the list entry of stage from a list answer.
func stageEntry(list map[string]any, stage string) map[string]any {
	skills, _ := list["skills"].([]any)
	for _, s := range skills {
		if m, _ := s.(map[string]any); m["stage"] == stage {
			return m
		}
	}
	return nil
}

// dig walks a decoded JSON value by keys and indexes ("a", "0", "b").
func dig(v any, path ...string) any {
	for _, p := range path {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			i := 0
			for _, ch := range p {
				i = i*10 + int(ch-'0')
			}
			if i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}
