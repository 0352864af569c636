package smapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestRequestDeadline: a server that accepts the request and never
// answers, or drips its answer a byte a second, ends the call within the
// per-request deadline with a *TimeoutError naming the operation and the
// host, and the attempt is not retried.
func TestRequestDeadline(t *testing.T) {
	t.Parallel()
	const timeout = 300 * time.Millisecond
	tests := []struct {
		name    string
		handler func(w http.ResponseWriter, r *http.Request)
	}{
		{"hung", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(3 * time.Second):
			}
		}},
		{"drip", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("ETag", `"e1"`)
			w.WriteHeader(http.StatusOK)
			for _, b := range []byte(`{"manifest":{}}`) {
				if _, err := w.Write([]byte{b}); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(time.Second):
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				tt.handler(w, r)
			}))
			defer srv.Close()
			c, err := NewClient(Config{BaseURL: srv.URL, AccessToken: testAccessToken, RequestTimeout: timeout,
				Retry: RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: time.Millisecond}})
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			_, err = c.GetManifest(context.Background(), testSkill, StageDevelopment)
			took := time.Since(start)
			var te *TimeoutError
			if !errors.As(err, &te) {
				t.Fatalf("err = %v, want a *TimeoutError", err)
			}
			host := strings.TrimPrefix(srv.URL, "http://")
			for _, want := range []string{"GetManifest", "SMAPI at " + host, "did not answer within 300ms", EnvBaseURL, EnvRequestTimeout} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error lacks %q: %v", want, err)
				}
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("errors.Is(err, context.DeadlineExceeded) = false for %v", err)
			}
			if took > 5*timeout {
				t.Errorf("the call took %s with a %s deadline", took, timeout)
			}
			if n := calls.Load(); n != 1 {
				t.Errorf("%d attempts, want 1: a request that timed out is not retried", n)
			}
		})
	}
}

// TestDefaultRequestTimeout: every client has a deadline, whatever its
// base http.Client says.
func TestDefaultRequestTimeout(t *testing.T) {
	t.Parallel()
	c, err := NewClient(Config{AccessToken: testAccessToken, HTTPClient: &http.Client{}})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.cfg.requestTimeout(); got != DefaultRequestTimeout || DefaultRequestTimeout != 30*time.Second {
		t.Errorf("request timeout %s, want 30s", got)
	}
}

// TestLWAProblems: problems of the token fetch are named as Login with
// Amazon's, with the LWA setting to check.
func TestLWAProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		token    func(w http.ResponseWriter, r *http.Request)
		wantType func(error) bool
		want     []string
		notWant  []string
	}{
		{
			name: "no access_token",
			token: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprint(w, `{"token_type":"bearer"}`)
			},
			wantType: func(err error) bool { var e *LWAError; return errors.As(err, &e) && !e.Refused() },
			want:     []string{"Login with Amazon", "answered without an access token", EnvLWAURL},
			notWant:  []string{EnvBaseURL, "401"},
		},
		{
			name: "hung",
			token: func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-r.Context().Done():
				case <-time.After(3 * time.Second):
				}
			},
			wantType: func(err error) bool { var e *TimeoutError; return errors.As(err, &e) && e.Service == serviceLWA },
			want:     []string{"Login with Amazon at", "did not answer within", EnvLWAURL},
			notWant:  []string{EnvBaseURL},
		},
		{
			name: "LWA 503 after retries",
			token: func(w http.ResponseWriter, r *http.Request) {
				http.Error(w, `{"error":"server_error"}`, http.StatusServiceUnavailable)
			},
			wantType: func(err error) bool { var e *LWAError; return errors.As(err, &e) && e.Status == 503 && !e.Refused() },
			want:     []string{"Login with Amazon", "failed on its side: 503"},
			notWant:  []string{EnvBaseURL},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mux := http.NewServeMux()
			mux.HandleFunc("POST "+TokenPath, tt.token)
			mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { t.Errorf("SMAPI reached without a token: %s", r.URL) })
			srv := httptest.NewServer(mux)
			defer srv.Close()
			c, err := NewClient(Config{BaseURL: srv.URL, LWAURL: srv.URL, ClientID: testClientID, ClientSecret: testClientSecret,
				RefreshToken: testRefreshToken, RequestTimeout: 300 * time.Millisecond,
				Retry: RetryPolicy{MaxAttempts: 2, MinWait: time.Millisecond, MaxWait: time.Millisecond}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.GetManifest(context.Background(), testSkill, StageDevelopment)
			if err == nil || !tt.wantType(err) {
				t.Fatalf("err = %#v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q: %v", w, err)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(err.Error(), w) {
					t.Errorf("error names %q: %v", w, err)
				}
			}
			assertNoSecrets(t, "error", err.Error())
		})
	}
}

// TestRetriesExhaustedOnlyAfterRetries: "retries exhausted" is said only
// when the request was in fact sent more than once.
func TestRetriesExhaustedOnlyAfterRetries(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	f.mux.HandleFunc("GET /v1/skills/{id}/stages/{stage}/manifest", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusBadGateway, map[string]string{"message": "upstream"})
	})
	f.mux.HandleFunc("POST /v1/skills", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "boom"})
	})
	_, err := c.GetManifest(context.Background(), testSkill, StageDevelopment)
	if err == nil || !strings.Contains(err.Error(), "3 attempts, retries exhausted") {
		t.Errorf("GET after 3 failed attempts: %v", err)
	}
	// A POST is not retried after a 500, so nothing was exhausted.
	_, _, err = c.CreateSkill(context.Background(), testVendor, []byte(`{"manifest":{}}`))
	if err == nil || strings.Contains(err.Error(), "retries") || !strings.Contains(err.Error(), "failed on its side") {
		t.Errorf("POST answered 500 once: %v", err)
	}
}

// TestWaitEndsBeforeFirstAnswer: a wait whose time runs out before the
// first status answer is a *WaitTimeoutError naming what it waited on, not
// the bare context error of the poll in flight.
func TestWaitEndsBeforeFirstAnswer(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	f.mux.HandleFunc("GET /v1/skills/{id}/status", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	})
	_, err := WaitForBuild(context.Background(), c, testSkill, []string{ResourceManifest, ResourceInteractionModel},
		WaitOptions{Locales: []string{"en-US"}, Timeout: 50 * time.Millisecond})
	var te *WaitTimeoutError
	if !errors.As(err, &te) || !strings.Contains(err.Error(), "manifest: not reported yet, interactionModel en-US: not reported yet") {
		t.Errorf("err = %v, want a WaitTimeoutError naming both resources", err)
	}
}
