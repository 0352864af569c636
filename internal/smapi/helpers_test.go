package smapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/skillgate/skillgate/internal/jsoncanon"
)

// Test credentials: long and distinctive so a leak is easy to find.
const (
	testClientID     = "amzn1.application-oa2-client.testclientid"
	testClientSecret = "client-secret-0123456789abcdef"
	testRefreshToken = "Atzr|refresh-token-0123456789abcdef"
	testAccessToken  = "Atza|access-token-0123456789abcdef"
	testVendor       = "M1VENDOR"
	testSkill        = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"
	// apiPrefix and lwaPrefix put SMAPI and LWA under paths of their own,
	// so a request built from an absolute path instead of the base URL
	// misses.
	apiPrefix = "/smapi-prefix"
	lwaPrefix = "/lwa-prefix"
)

var testSecrets = []string{testClientSecret, testRefreshToken, testAccessToken}

// fixture is an httptest server with a token endpoint and a mux for SMAPI
// routes (patterns without the prefix).
type fixture struct {
	srv         *httptest.Server
	mux         *http.ServeMux
	tokenCalls  atomic.Int32
	tokenForms  chan url.Values
	expiresIn   int
	tokenStatus int
	debug       *syncBuffer
}

// setup serves SMAPI under apiPrefix and LWA under lwaPrefix, and returns a
// client with fast retries.
func setup(t testing.TB, opts ...func(*Config)) (*Client, *fixture) {
	t.Helper()
	f := &fixture{mux: http.NewServeMux(), tokenForms: make(chan url.Values, 100), expiresIn: 3600, debug: &syncBuffer{}}
	outer := http.NewServeMux()
	outer.HandleFunc("POST "+lwaPrefix+TokenPath, func(w http.ResponseWriter, r *http.Request) {
		f.tokenCalls.Add(1)
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		select {
		case f.tokenForms <- r.PostForm:
		default:
		}
		w.Header().Set("Content-Type", "application/json")
		if f.tokenStatus != 0 {
			w.WriteHeader(f.tokenStatus)
			fmt.Fprintf(w, `{"error":"invalid_grant","error_description":"The request has an invalid grant parameter : refresh_token %s"}`, r.PostForm.Get("refresh_token"))
			return
		}
		fmt.Fprintf(w, `{"access_token":%q,"refresh_token":%q,"token_type":"bearer","expires_in":%d}`, testAccessToken, testRefreshToken, f.expiresIn)
	})
	outer.Handle(apiPrefix+"/", http.StripPrefix(apiPrefix, f.mux))
	outer.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside the prefixes: %s %s", r.Method, r.URL)
		http.Error(w, "wrong prefix", http.StatusTeapot)
	})
	f.srv = httptest.NewServer(outer)
	t.Cleanup(f.srv.Close)
	cfg := Config{
		BaseURL:      f.srv.URL + apiPrefix,
		LWAURL:       f.srv.URL + lwaPrefix,
		ClientID:     testClientID,
		ClientSecret: testClientSecret,
		RefreshToken: testRefreshToken,
		VendorID:     testVendor,
		HTTPClient:   f.srv.Client(),
		Debug:        f.debug,
		Retry:        RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond},
		CreateWait:   300 * time.Millisecond,
	}
	for _, o := range opts {
		o(&cfg)
	}
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c, f
}

// testHeader and testJSONBody are small request checks.
func testHeader(t *testing.T, r *http.Request, name, want string) {
	t.Helper()
	if got := r.Header.Get(name); got != want {
		t.Errorf("header %s = %q, want %q", name, got, want)
	}
}

func testJSONBody(t *testing.T, r *http.Request, want string) {
	t.Helper()
	got, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	if !jsoncanon.Equal(got, []byte(want)) {
		t.Errorf("request body = %s, want %s", got, want)
	}
}

// assertNoSecrets fails when any test secret appears in s.
func assertNoSecrets(t *testing.T, what, s string) {
	t.Helper()
	for _, sec := range testSecrets {
		if strings.Contains(s, sec) || strings.Contains(s, url.QueryEscape(sec)) {
			t.Errorf("%s leaks secret %q:\n%s", what, sec, s)
		}
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
