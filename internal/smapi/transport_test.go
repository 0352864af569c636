package smapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestRetryAfterHTTPDate: a Retry-After given as an HTTP date is waited
// out, not only parsed: the retry arrives no earlier than that date,
// although MaxWait is milliseconds. (TestSimulatorRetryAfter covers the
// delay-seconds form.)
func TestRetryAfterHTTPDate(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	var mu sync.Mutex
	var arrivals []time.Time
	var until time.Time
	f.mux.HandleFunc("GET /v1/skills/{id}/stages/development/manifest", func(w http.ResponseWriter, r *http.Request) {
		now := time.Now()
		mu.Lock()
		arrivals = append(arrivals, now)
		first := len(arrivals) == 1
		if first {
			// HTTP dates have whole seconds: this one is 1 to 2 s ahead.
			until = now.Add(2 * time.Second).UTC().Truncate(time.Second)
		}
		mu.Unlock()
		if first {
			w.Header().Set("Retry-After", until.Format(http.TimeFormat))
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		io.WriteString(w, manifestBody)
	})
	if _, err := c.GetManifest(context.Background(), testSkill, StageDevelopment); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(arrivals) != 2 {
		t.Fatalf("server saw %d requests, want 2", len(arrivals))
	}
	if arrivals[1].Before(until) {
		t.Errorf("retried at %s, before the Retry-After date %s (%s after the first try)",
			arrivals[1].UTC().Format(time.StampMilli), until.Format(time.StampMilli), arrivals[1].Sub(arrivals[0]))
	}
}

// TestRetryAfterTooLong gives up at once when the server asks for longer
// than MaxRetryAfter, and says how long it asked for.
func TestRetryAfterTooLong(t *testing.T) {
	t.Parallel()
	c, f := setup(t, func(cfg *Config) { cfg.Retry.MaxRetryAfter = time.Second })
	var calls atomic.Int32
	f.mux.HandleFunc("GET /v1/skills/{id}/stages/development/manifest", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", time.Now().Add(61*time.Minute).UTC().Format(http.TimeFormat))
		w.WriteHeader(http.StatusTooManyRequests)
	})
	start := time.Now()
	_, err := c.GetManifest(context.Background(), testSkill, StageDevelopment)
	var se *Error
	if !errors.As(err, &se) || se.Status != http.StatusTooManyRequests {
		t.Fatalf("err = %v, want a 429 *Error", err)
	}
	if calls.Load() != 1 || time.Since(start) > 500*time.Millisecond {
		t.Errorf("%d calls in %s, want 1 at once", calls.Load(), time.Since(start))
	}
	if se.RetryAfter < 59*time.Minute || !strings.Contains(err.Error(), "asks to wait 1h") {
		t.Errorf("RetryAfter = %s, message %q", se.RetryAfter, err)
	}
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"2", 2 * time.Second, true},
		{" 0 ", 0, true},
		{"-1", 0, false},
		{"", 0, false},
		{"soon", 0, false},
		{"Wed, 01 Jan 2025 00:00:30 GMT", 30 * time.Second, true},
		{"Tuesday, 31-Dec-24 23:59:00 GMT", 0, true},    // RFC 850, in the past
		{"Wed Jan  1 00:01:00 2025", time.Minute, true}, // asctime
	}
	for _, tt := range tests {
		got, ok := parseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseRetryAfter(%q) = %s, %v; want %s, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestBackoffGrowsWithJitter(t *testing.T) {
	t.Parallel()
	p := RetryPolicy{}.withDefaults()
	for attempt := range 8 {
		full := min(p.MinWait<<attempt, p.MaxWait)
		for range 20 {
			d := p.backoff(p.MinWait, p.MaxWait, attempt, nil)
			if d < full/2 || d > full {
				t.Fatalf("attempt %d: backoff %s outside [%s, %s]", attempt, d, full/2, full)
			}
		}
	}
	resp := &http.Response{StatusCode: http.StatusServiceUnavailable, Header: http.Header{"Retry-After": {"7"}}}
	if d := p.backoff(p.MinWait, p.MaxWait, 0, resp); d != 7*time.Second {
		t.Errorf("503 with Retry-After 7: backoff %s", d)
	}
}

// TestContextBoundsRetries: a cancelled context ends the back-off wait.
func TestContextBoundsRetries(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	f.mux.HandleFunc("GET /v1/skills/{id}/stages/development/manifest", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetManifest(ctx, testSkill, StageDevelopment)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want DeadlineExceeded", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("took %s despite the 100ms deadline", el)
	}
}

// TestTokenFetchedOnce: many concurrent calls share one LWA token, fetched
// with the refresh-token grant and the client credentials in the form.
func TestTokenFetchedOnce(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	f.mux.HandleFunc("GET /v1/skills/{id}/stages/development/manifest", func(w http.ResponseWriter, r *http.Request) {
		testHeader(t, r, "Authorization", "Bearer "+testAccessToken)
		io.WriteString(w, manifestBody)
	})
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if _, err := c.GetManifest(context.Background(), testSkill, StageDevelopment); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := f.tokenCalls.Load(); n != 1 {
		t.Errorf("token fetched %d times, want 1", n)
	}
	form := <-f.tokenForms
	want := map[string]string{"grant_type": "refresh_token", "refresh_token": testRefreshToken, "client_id": testClientID, "client_secret": testClientSecret}
	for k, v := range want {
		if form.Get(k) != v {
			t.Errorf("token form %s = %q, want %q", k, form.Get(k), v)
		}
	}
}

// TestTokenRefreshedOnExpiry: a token past its expiry is replaced.
func TestTokenRefreshedOnExpiry(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	f.expiresIn = 1 // inside oauth2's 10 s safety margin: expired at once
	f.mux.HandleFunc("GET /v1/skills/{id}/stages/development/manifest", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, manifestBody)
	})
	for range 3 {
		if _, err := c.GetManifest(context.Background(), testSkill, StageDevelopment); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.tokenCalls.Load(); n != 3 {
		t.Errorf("token fetched %d times for 3 calls with an expired token, want 3", n)
	}
}

func TestStaticAccessToken(t *testing.T) {
	t.Parallel()
	c, f := setup(t, func(cfg *Config) {
		cfg.ClientID, cfg.ClientSecret, cfg.RefreshToken = "", "", ""
		cfg.AccessToken = "Atza|static-token-value"
	})
	f.mux.HandleFunc("GET /v1/skills/{id}/stages/development/manifest", func(w http.ResponseWriter, r *http.Request) {
		testHeader(t, r, "Authorization", "Bearer Atza|static-token-value")
		io.WriteString(w, manifestBody)
	})
	if _, err := c.GetManifest(context.Background(), testSkill, StageDevelopment); err != nil {
		t.Fatal(err)
	}
	if n := f.tokenCalls.Load(); n != 0 {
		t.Errorf("LWA called %d times with a static token", n)
	}
	if strings.Contains(f.debug.String(), "static-token-value") {
		t.Errorf("debug output shows the static token:\n%s", f.debug)
	}
}

// TestSecretsNeverShown drives the paths where a secret could escape: the
// token exchange in the debug trace, an LWA refusal that echoes the
// refresh token, and a SMAPI error that echoes the access token.
func TestSecretsNeverShown(t *testing.T) {
	t.Parallel()
	t.Run("debug and SMAPI error", func(t *testing.T) {
		t.Parallel()
		c, f := setup(t)
		f.mux.HandleFunc("GET /v1/skills/{id}/stages/development/manifest", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "token " + strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ") + " is expired"})
		})
		_, err := c.GetManifest(context.Background(), testSkill, StageDevelopment)
		if err == nil {
			t.Fatal("want an error")
		}
		dbg := f.debug.String()
		for _, want := range []string{"-> POST", TokenPath, "grant_type=refresh_token", "Authorization: [REDACTED]", `"access_token":"[REDACTED]"`, "<- GET"} {
			if !strings.Contains(dbg, want) {
				t.Errorf("debug output lacks %q:\n%s", want, dbg)
			}
		}
		assertNoSecrets(t, "debug output", dbg)
		assertNoSecrets(t, "error", err.Error())
		if strings.Contains(dbg, testClientID) {
			t.Errorf("debug output shows the client id:\n%s", dbg)
		}
	})
	t.Run("LWA refusal", func(t *testing.T) {
		t.Parallel()
		c, f := setup(t)
		f.tokenStatus = http.StatusBadRequest
		_, err := c.GetManifest(context.Background(), testSkill, StageDevelopment)
		// LWA's 400 invalid_grant is named as LWA's, with its own status,
		// not as SMAPI's 401 Unauthorized.
		var le *LWAError
		if !errors.As(err, &le) || le.Status != http.StatusBadRequest || le.Code != "invalid_grant" || !le.Refused() {
			t.Fatalf("err = %#v, want a refused 400 *LWAError with code invalid_grant", err)
		}
		for _, want := range []string{"Login with Amazon", "refused the token request: 400 Bad Request", "must belong together"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error lacks %q: %v", want, err)
			}
		}
		if strings.Contains(err.Error(), "401") || strings.Contains(err.Error(), "retries") {
			t.Errorf("error speaks of a 401 or of retries: %v", err)
		}
		assertNoSecrets(t, "error", err.Error())
		assertNoSecrets(t, "debug output", f.debug.String())
	})
}

func TestRedactor(t *testing.T) {
	t.Parallel()
	r := newRedactor([]string{"s3cr3t-value", "abc"})
	tests := []struct{ in, want string }{
		{"x s3cr3t-value y", "x [REDACTED] y"},
		{"s3cr3t%2Dvalue", "s3cr3t%2Dvalue"}, // not the query escape of the secret
		{`{"access_token": "Atza|zzz", "x": 1}`, `{"access_token": "[REDACTED]", "x": 1}`},
		{"grant_type=refresh_token&refresh_token=Atzr%7Cq&client_secret=zz", "grant_type=refresh_token&refresh_token=[REDACTED]&client_secret=[REDACTED]"},
		{"Authorization: Bearer Atza|tok", "Authorization: Bearer [REDACTED]"},
		{"abc stays: too short to replace blindly", "abc stays: too short to replace blindly"},
	}
	for _, tt := range tests {
		if got := r.String(tt.in); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestPutRetriedAfter5xxThen412: the first PUT was applied but its answer
// was a 5xx or never came; the retry gets 412. The client rereads, finds
// what it sent, and reports success; for every conditional PUT it makes.
func TestPutRetriedAfter5xxThen412(t *testing.T) {
	t.Parallel()
	const (
		modelBody = `{"interactionModel":{"languageModel":{"invocationName":"test","intents":[]}}}`
		linking   = `{"type":"AUTH_CODE","clientId":"cid","clientSecret":"linking-secret","authorizationUrl":"https://example.com/a"}`
	)
	ctx := context.Background()
	ops := []struct {
		name     string
		path     string // of the PUT and of the GET that rereads
		same     string // the resource as GET shows it once the PUT was applied, keys reordered
		other    string // the resource after someone else's change
		put      func(*Client) (*Accepted, error)
		location string // in the Location of an already applied PUT
	}{
		{
			name: "manifest", path: "/v1/skills/{id}/stages/development/manifest",
			same:  `{"manifest":{"publishingInformation":{"locales":{"en-US":{"name":"Test"}}},"manifestVersion":"1.0"}}`,
			other: `{"manifest":{"manifestVersion":"1.0","x":2}}`,
			put: func(c *Client) (*Accepted, error) {
				return c.UpdateManifest(ctx, testSkill, StageDevelopment, []byte(manifestBody), IfMatch("e1"))
			},
			location: "/status?resource=manifest",
		},
		{
			name: "interaction model", path: "/v1/skills/{id}/stages/development/interactionModel/locales/en-US",
			same:  `{"interactionModel":{"languageModel":{"intents":[],"invocationName":"test"}}}`,
			other: `{"interactionModel":{"languageModel":{"invocationName":"other","intents":[]}}}`,
			put: func(c *Client) (*Accepted, error) {
				return c.PutInteractionModel(ctx, testSkill, StageDevelopment, "en-US", []byte(modelBody), IfMatch("e1"))
			},
			location: "/status?resource=interactionModel",
		},
		{
			// GET never shows the client secret that was sent.
			name: "account linking", path: "/v1/skills/{id}/stages/development/accountLinkingClient",
			same:  `{"authorizationUrl":"https://example.com/a","clientId":"cid","type":"AUTH_CODE"}`,
			other: `{"authorizationUrl":"https://example.com/a","clientId":"someone-else","type":"AUTH_CODE"}`,
			put: func(c *Client) (*Accepted, error) {
				return c.PutAccountLinking(ctx, testSkill, StageDevelopment, []byte(linking), IfMatch("e1"))
			},
		},
	}
	cases := []struct {
		name       string
		first      int  // status of the first PUT; 0 drops the connection unanswered
		other      bool // the reread finds someone else's change
		wantOK     bool
		wantGET    int
		wantStatus int
	}{
		{name: "applied", first: 500, wantOK: true, wantGET: 1},
		{name: "applied, 503", first: 503, wantOK: true, wantGET: 1},
		{name: "applied, no answer", first: 0, wantOK: true, wantGET: 1},
		{name: "someone else changed it", first: 500, other: true, wantGET: 1, wantStatus: 412},
		{name: "plain 412", first: 412, wantGET: 0, wantStatus: 412},
	}
	for _, op := range ops {
		for _, tt := range cases {
			t.Run(op.name+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				c, f := setup(t)
				var puts, gets atomic.Int32
				f.mux.HandleFunc("PUT "+op.path, func(w http.ResponseWriter, r *http.Request) {
					if puts.Add(1) > 1 {
						writeJSON(w, http.StatusPreconditionFailed, map[string]string{"message": "eTag mismatch"})
						return
					}
					if tt.first == 0 {
						conn, _, err := w.(http.Hijacker).Hijack()
						if err != nil {
							t.Error(err)
							return
						}
						conn.Close()
						return
					}
					w.WriteHeader(tt.first)
				})
				f.mux.HandleFunc("GET "+op.path, func(w http.ResponseWriter, r *http.Request) {
					gets.Add(1)
					w.Header().Set("ETag", "e2")
					if tt.other {
						io.WriteString(w, op.other)
						return
					}
					io.WriteString(w, op.same)
				})
				acc, err := op.put(c)
				if tt.wantOK {
					if err != nil {
						t.Fatalf("err = %v, want success", err)
					}
					if !acc.AlreadyApplied || acc.ETag != "e2" || !strings.Contains(acc.Location, op.location) {
						t.Errorf("Accepted = %+v, want AlreadyApplied with ETag e2 and Location with %q", acc, op.location)
					}
				} else {
					var se *Error
					if !errors.As(err, &se) || se.Status != tt.wantStatus {
						t.Fatalf("err = %v, want status %d", err, tt.wantStatus)
					}
				}
				if int(gets.Load()) != tt.wantGET {
					t.Errorf("GET %d times, want %d", gets.Load(), tt.wantGET)
				}
				if puts.Load() != 2 && tt.first != 412 {
					t.Errorf("PUT %d times, want 2 (the first, then its retry)", puts.Load())
				}
			})
		}
	}
}

// TestSeeOtherWaitedOut: a 303 while the skill is created is retried until
// the manifest is there.
func TestSeeOtherWaitedOut(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	var n atomic.Int32
	f.mux.HandleFunc("GET /v1/skills/{id}/stages/development/manifest", func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= 2 {
			w.Header().Set("Location", "/v1/skills/x/status")
			w.WriteHeader(http.StatusSeeOther)
			return
		}
		w.Header().Set("ETag", "e1")
		io.WriteString(w, manifestBody)
	})
	m, err := c.GetManifest(context.Background(), testSkill, StageDevelopment)
	if err != nil {
		t.Fatal(err)
	}
	if m.ETag != "e1" || n.Load() != 3 {
		t.Errorf("ETag %q after %d calls", m.ETag, n.Load())
	}
}

// TestStatusNotFoundAfterCreate: 404 on status right after this client
// created the skill is waited out; for any other skill it is final.
func TestStatusNotFoundAfterCreate(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	f.mux.HandleFunc("POST /v1/skills", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusAccepted, map[string]string{"skillId": "amzn1.ask.skill.new"})
	})
	var newCalls, oldCalls atomic.Int32
	f.mux.HandleFunc("GET /v1/skills/amzn1.ask.skill.new/status", func(w http.ResponseWriter, r *http.Request) {
		if newCalls.Add(1) <= 2 {
			writeJSON(w, http.StatusNotFound, map[string]string{"message": "not found"})
			return
		}
		io.WriteString(w, `{"manifest":{"lastUpdateRequest":{"status":"SUCCEEDED"}}}`)
	})
	f.mux.HandleFunc("GET /v1/skills/amzn1.ask.skill.old/status", func(w http.ResponseWriter, r *http.Request) {
		oldCalls.Add(1)
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "not found"})
	})
	id, _, err := c.CreateSkill(context.Background(), testVendor, []byte(manifestBody))
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.GetStatus(context.Background(), id)
	if err != nil {
		t.Fatalf("status after create: %v", err)
	}
	if st.Manifest.LastUpdateRequest.Status != StatusSucceeded || newCalls.Load() != 3 {
		t.Errorf("status %+v after %d calls", st.Manifest, newCalls.Load())
	}
	_, err = c.GetStatus(context.Background(), "amzn1.ask.skill.old")
	var se *Error
	if !errors.As(err, &se) || se.Status != http.StatusNotFound || oldCalls.Load() != 1 {
		t.Errorf("unknown skill: err %v after %d calls, want one 404", err, oldCalls.Load())
	}
}

func TestCreateSkillRejectsV0(t *testing.T) {
	t.Parallel()
	c, _ := setup(t)
	_, _, err := c.CreateSkill(context.Background(), testVendor, []byte(`{"skillManifest":{}}`))
	if err == nil || !strings.Contains(err.Error(), "skillgate migrate") {
		t.Errorf("err = %v, want a hint to migrate", err)
	}
	_, _, err = c.CreateSkill(context.Background(), "", []byte(manifestBody))
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Missing[0] != EnvVendorID {
		t.Errorf("no vendor: err = %v", err)
	}
}

func TestListSkillsValidates(t *testing.T) {
	t.Parallel()
	c, _ := setup(t)
	for _, opts := range []ListOptions{
		{MaxResults: 51},
		{SkillIDs: make([]string, 11)},
		{SkillIDs: []string{"a"}, NextToken: "t"},
	} {
		if _, err := c.ListSkills(context.Background(), testVendor, opts); err == nil {
			t.Errorf("ListSkills(%+v) succeeded", opts)
		}
	}
}
