package smapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestScheduleNext(t *testing.T) {
	t.Parallel()
	var got []time.Duration
	var d time.Duration
	for range 8 {
		d = BuildSchedule.Next(d)
		got = append(got, d)
	}
	ms := time.Millisecond
	want := []time.Duration{1000 * ms, 1500 * ms, 2250 * ms, 3375 * ms, 5062500 * time.Microsecond, 7593750 * time.Microsecond, 10 * time.Second, 10 * time.Second}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("schedule (-want +got):\n%s", diff)
	}
}

// statusSequence serves the given status bodies in turn, repeating the last.
func statusSequence(t *testing.T, f *fixture, bodies ...string) *atomic.Int32 {
	var n atomic.Int32
	f.mux.HandleFunc("GET /v1/skills/{id}/status", func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		io.WriteString(w, bodies[min(i, len(bodies)-1)])
	})
	return &n
}

var fastWait = WaitOptions{Schedule: Schedule{Initial: time.Millisecond, Max: 2 * time.Millisecond, Factor: 1.5}}

func TestWaitForBuild(t *testing.T) {
	t.Parallel()
	const (
		inProgress = `{"manifest":{"lastUpdateRequest":{"status":"IN_PROGRESS"}},"interactionModel":{"en-US":{"lastUpdateRequest":{"status":"IN_PROGRESS","buildDetails":{"steps":[{"name":"DIALOG_MODEL_BUILD","status":"IN_PROGRESS"}]}}}}}`
		modelStep2 = `{"manifest":{"lastUpdateRequest":{"status":"SUCCEEDED"}},"interactionModel":{"en-US":{"lastUpdateRequest":{"status":"IN_PROGRESS","buildDetails":{"steps":[{"name":"DIALOG_MODEL_BUILD","status":"SUCCEEDED"},{"name":"LANGUAGE_MODEL_FULL_BUILD","status":"IN_PROGRESS"}]}}}}}`
		succeeded  = `{"manifest":{"lastUpdateRequest":{"status":"SUCCEEDED"}},"interactionModel":{"en-US":{"lastUpdateRequest":{"status":"SUCCEEDED"}}}}`
		failed     = `{"manifest":{"lastUpdateRequest":{"status":"FAILED","errors":[{"message":"Small icon size should be 108*108."}]}}}`
	)
	t.Run("succeeds with progress on each change", func(t *testing.T) {
		t.Parallel()
		c, f := setup(t)
		statusSequence(t, f, inProgress, inProgress, modelStep2, succeeded)
		var lines []string
		opts := fastWait
		opts.Schedule.Heartbeat = time.Hour
		opts.OnProgress = func(p Progress) {
			var s []string
			for _, st := range p.States {
				s = append(s, st.String())
			}
			lines = append(lines, strings.Join(s, "; "))
		}
		st, err := WaitForBuild(context.Background(), c, testSkill, []string{ResourceManifest, ResourceInteractionModel}, opts)
		if err != nil {
			t.Fatal(err)
		}
		if st.Manifest.LastUpdateRequest.Status != StatusSucceeded {
			t.Errorf("final status %+v", st.Manifest)
		}
		want := []string{
			"manifest: IN_PROGRESS; interactionModel en-US: IN_PROGRESS (DIALOG_MODEL_BUILD IN_PROGRESS)",
			"manifest: SUCCEEDED; interactionModel en-US: IN_PROGRESS (LANGUAGE_MODEL_FULL_BUILD IN_PROGRESS)",
			"manifest: SUCCEEDED; interactionModel en-US: SUCCEEDED",
		}
		if diff := cmp.Diff(want, lines); diff != "" {
			t.Errorf("progress (-want +got):\n%s", diff)
		}
	})
	t.Run("failed build carries the messages", func(t *testing.T) {
		t.Parallel()
		c, f := setup(t)
		statusSequence(t, f, inProgress, failed)
		_, err := WaitForBuild(context.Background(), c, testSkill, []string{ResourceManifest}, fastWait)
		var be *BuildFailedError
		if !errors.As(err, &be) || !strings.Contains(err.Error(), "Small icon size should be 108*108") {
			t.Fatalf("err = %v, want a BuildFailedError with the message", err)
		}
	})
	t.Run("timeout names what is pending", func(t *testing.T) {
		t.Parallel()
		c, f := setup(t)
		n := statusSequence(t, f, inProgress)
		opts := fastWait
		// 300 ms: time enough for the first answers on a loaded machine.
		opts.Timeout = 300 * time.Millisecond
		start := time.Now()
		_, err := WaitForBuild(context.Background(), c, testSkill, nil, opts)
		var te *WaitTimeoutError
		if !errors.As(err, &te) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want a WaitTimeoutError", err)
		}
		if !strings.Contains(err.Error(), "interactionModel en-US: IN_PROGRESS") || time.Since(start) > 2*time.Second {
			t.Errorf("err %q after %s", err, time.Since(start))
		}
		if n.Load() < 3 {
			t.Errorf("polled %d times in 300ms at 1-2ms intervals", n.Load())
		}
	})
	t.Run("locale not yet reported is pending", func(t *testing.T) {
		t.Parallel()
		c, f := setup(t)
		statusSequence(t, f, succeeded)
		opts := fastWait
		opts.Locales = []string{"de-DE"}
		opts.Timeout = 20 * time.Millisecond
		_, err := WaitForBuild(context.Background(), c, testSkill, []string{ResourceInteractionModel}, opts)
		if !IsTimeout(err) || !strings.Contains(err.Error(), "de-DE: not reported yet") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestConfig(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"ASK_CLIENT_ID": " id ", "ASK_CLIENT_SECRET": "sec", "ASK_REFRESH_TOKEN": "rt", "ASK_VENDOR_ID": "V",
		"ASK_SMAPI_SERVER_BASE_URL": "http://127.0.0.1:9/x/", "ASK_LWA_TOKEN_HOST": "http://127.0.0.1:9",
	}
	cfg := ConfigFromEnv(func(k string) string { return env[k] })
	want := Config{ClientID: "id", ClientSecret: "sec", RefreshToken: "rt", VendorID: "V", BaseURL: "http://127.0.0.1:9/x/", LWAURL: "http://127.0.0.1:9"}
	if diff := cmp.Diff(want, cfg, cmpopts.IgnoreUnexported(Config{})); diff != "" {
		t.Errorf("ConfigFromEnv (-want +got):\n%s", diff)
	}
	if err := cfg.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
	env[EnvRequestTimeout] = "45s"
	if got := ConfigFromEnv(func(k string) string { return env[k] }); got.RequestTimeout != 45*time.Second || got.Check() != nil {
		t.Errorf("%s=45s: RequestTimeout %s, Check %v", EnvRequestTimeout, got.RequestTimeout, got.Check())
	}
	env[EnvRequestTimeout] = "30"
	var ce *ConfigError
	if err := ConfigFromEnv(func(k string) string { return env[k] }).Check(); !errors.As(err, &ce) || !strings.Contains(err.Error(), EnvRequestTimeout+`: "30" is not a positive duration`) {
		t.Errorf("%s=30: Check = %v, want a *ConfigError naming it", EnvRequestTimeout, err)
	}
	if diff := cmp.Diff([]string{"sec", "rt", "id"}, cfg.Secrets()); diff != "" {
		t.Errorf("Secrets (-want +got):\n%s", diff)
	}

	tests := []struct {
		name    string
		cfg     Config
		missing []string
		problem string
	}{
		{name: "nothing", missing: []string{EnvClientID, EnvClientSecret, EnvRefreshToken}},
		{name: "no secret", cfg: Config{ClientID: "a", RefreshToken: "b"}, missing: []string{EnvClientSecret}},
		{name: "access token suffices", cfg: Config{AccessToken: "t"}},
		{name: "bad url", cfg: Config{AccessToken: "t", BaseURL: "api.amazonalexa.com"}, problem: EnvBaseURL},
		{name: "query in url", cfg: Config{AccessToken: "t", LWAURL: "https://x?y=1"}, problem: EnvLWAURL},
	}
	for _, tt := range tests {
		err := tt.cfg.Check()
		if tt.missing == nil && tt.problem == "" {
			if err != nil {
				t.Errorf("%s: Check = %v", tt.name, err)
			}
			continue
		}
		var ce *ConfigError
		if !errors.As(err, &ce) {
			t.Fatalf("%s: Check = %v, want *ConfigError", tt.name, err)
		}
		if diff := cmp.Diff(tt.missing, ce.Missing); diff != "" {
			t.Errorf("%s: Missing (-want +got):\n%s", tt.name, diff)
		}
		for _, m := range tt.missing {
			if !strings.Contains(err.Error(), m) {
				t.Errorf("%s: message %q does not name %s", tt.name, err, m)
			}
		}
		if !strings.Contains(ce.Problem, tt.problem) {
			t.Errorf("%s: Problem = %q, want it to name %s", tt.name, ce.Problem, tt.problem)
		}
	}
}

// TestConfigErrorMessage: an access token is offered in place of the LWA
// credentials only; it cannot stand in for the vendor id.
func TestConfigErrorMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  ConfigError
		want string
	}{
		{ConfigError{Missing: []string{EnvClientSecret, EnvRefreshToken}},
			"missing SMAPI credentials: set ASK_CLIENT_SECRET, ASK_REFRESH_TOKEN (or ASK_ACCESS_TOKEN with a ready access token)"},
		{ConfigError{Missing: []string{EnvVendorID}, Problem: "listing skills needs a vendor id"},
			"missing setting: set ASK_VENDOR_ID; listing skills needs a vendor id"},
		{ConfigError{Missing: []string{EnvClientID, EnvVendorID}},
			"missing SMAPI credentials: set ASK_CLIENT_ID (or ASK_ACCESS_TOKEN with a ready access token); missing setting: set ASK_VENDOR_ID"},
		{ConfigError{Problem: "ASK_LWA_TOKEN_HOST: bad"}, "ASK_LWA_TOKEN_HOST: bad"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q\nwant      %q", got, tt.want)
		}
	}

	// What the operations that need a vendor id say without one.
	c, f := setup(t, func(cfg *Config) { cfg.VendorID = "" })
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { t.Errorf("request sent without a vendor id: %s", r.URL) })
	_, listErr := c.ListSkills(context.Background(), c.VendorID(), ListOptions{})
	_, _, createErr := c.CreateSkill(context.Background(), c.VendorID(), []byte(manifestBody))
	for op, err := range map[string]error{"ListSkills": listErr, "CreateSkill": createErr} {
		var ce *ConfigError
		if !errors.As(err, &ce) || !slices.Equal(ce.Missing, []string{EnvVendorID}) {
			t.Fatalf("%s: err = %v, want a *ConfigError missing %s", op, err, EnvVendorID)
		}
		if msg := err.Error(); !strings.Contains(msg, "set ASK_VENDOR_ID") || strings.Contains(msg, EnvAccessToken) || !strings.Contains(msg, "GET /v1/vendors") {
			t.Errorf("%s: %q", op, msg)
		}
	}
}

// TestStatesErrorsOnce: SMAPI (and the simulator) repeat a failed step's
// errors in lastUpdateRequest.errors; each message is reported once.
func TestStatesErrorsOnce(t *testing.T) {
	var st SkillStatus
	raw := `{"interactionModel":{"en-US":{"lastUpdateRequest":{"status":"FAILED",
		"errors":[{"message":"Slot type X has no values"}],
		"buildDetails":{"steps":[{"name":"DIALOG_MODEL_BUILD","status":"SUCCEEDED"},
			{"name":"LANGUAGE_MODEL_QUICK_BUILD","status":"FAILED","errors":[{"code":"BUILD_FAILED","message":"Slot type X has no values"},{"message":"Sample \"a\" is repeated"}]}]}}}}}`
	if err := json.Unmarshal([]byte(raw), &st); err != nil {
		t.Fatal(err)
	}
	got := st.States([]string{ResourceInteractionModel}, []string{"en-US"})
	if len(got) != 1 || got[0].Step != "LANGUAGE_MODEL_QUICK_BUILD FAILED" ||
		strings.Join(got[0].Errors, "|") != `Slot type X has no values|Sample "a" is repeated` {
		t.Errorf("States = %+v", got)
	}
}
