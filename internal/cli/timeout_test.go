package cli

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestRequestTimeout: a SMAPI that accepts the request and never answers
// ends a command within --request-timeout (or SKILLGATE_REQUEST_TIMEOUT),
// naming the operation and the host, for the CLI and the Action alike.
func TestRequestTimeout(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	base := map[string]string{"ASK_ACCESS_TOKEN": "Atza|timeout-test-token", "ASK_SMAPI_SERVER_BASE_URL": srv.URL}
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		wantCode int
		want     []string
	}{
		{name: "flag", args: []string{"skills", "get", "--skill-id", "amzn1.ask.skill.t", "--request-timeout", "200ms"}, wantCode: ExitFailed,
			want: []string{"GetManifest", "SMAPI at " + host + " did not answer within 200ms"}},
		{name: "variable", args: []string{"status", "--skill-id", "amzn1.ask.skill.t"}, env: map[string]string{"SKILLGATE_REQUEST_TIMEOUT": "200ms"}, wantCode: ExitFailed,
			want: []string{"GetStatus", "SMAPI at " + host + " did not answer within 200ms"}},
		{name: "flag wins over the variable", args: []string{"skills", "get", "--skill-id", "amzn1.ask.skill.t", "--request-timeout", "150ms"}, env: map[string]string{"SKILLGATE_REQUEST_TIMEOUT": "1h"}, wantCode: ExitFailed,
			want: []string{"did not answer within 150ms"}},
		{name: "malformed variable", args: []string{"skills", "get", "--skill-id", "amzn1.ask.skill.t"}, env: map[string]string{"SKILLGATE_REQUEST_TIMEOUT": "soon"}, wantCode: ExitUsage,
			want: []string{`SKILLGATE_REQUEST_TIMEOUT: "soon" is not a positive duration`}},
		{name: "Action", args: []string{"action"}, wantCode: ExitFailed, env: actionTimeoutVars(srv.URL, map[string]string{"SKILLGATE_REQUEST_TIMEOUT": "200ms"}), want: []string{"Login with Amazon at " + host + " did not answer within 200ms", "ASK_LWA_TOKEN_HOST"}},
		{name: "Action input wins", args: []string{"action"}, wantCode: ExitFailed, env: actionTimeoutVars(srv.URL, map[string]string{"INPUT_REQUEST-TIMEOUT": "150ms", "SKILLGATE_REQUEST_TIMEOUT": "1h"}),
			want: []string{"did not answer within 150ms"}},
		{name: "Action input malformed", args: []string{"action"}, wantCode: ExitUsage, env: actionTimeoutVars(srv.URL, map[string]string{"INPUT_REQUEST-TIMEOUT": "15"}),
			want: []string{`input request-timeout: "15" is not valid`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			vars := map[string]string{}
			for k, v := range base {
				vars[k] = v
			}
			for k, v := range tt.env {
				vars[k] = v
			}
			var out, errb bytes.Buffer
			start := time.Now()
			code := Run(context.Background(), tt.args, &Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return vars[k] }})
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.wantCode, out.String(), errb.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String()+errb.String(), w) {
					t.Errorf("output lacks %q:\n%s%s", w, out.String(), errb.String())
				}
			}
			if took := time.Since(start); took > 3*time.Second {
				t.Errorf("took %s", took)
			}
		})
	}
}

// actionTimeoutVars are the Action's inputs for a plan against url, with
// extra on top.
func actionTimeoutVars(url string, extra map[string]string) map[string]string {
	v := map[string]string{
		"ASK_ACCESS_TOKEN": "", "GITHUB_EVENT_NAME": "workflow_dispatch", "INPUT_MODE": "plan",
		"INPUT_SKILL-PACKAGE": "../../testdata/packages/valid", "INPUT_SKILL-ID": "amzn1.ask.skill.t",
		"INPUT_CLIENT-ID": "id", "INPUT_CLIENT-SECRET": "secret", "INPUT_REFRESH-TOKEN": "refresh", "INPUT_SMAPI-URL": url, "INPUT_LWA-URL": url,
	}
	for k, x := range extra {
		v[k] = x
	}
	return v
}
