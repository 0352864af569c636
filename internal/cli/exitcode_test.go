package cli

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/skillgate/skillgate/internal/exitcode"
	"github.com/skillgate/skillgate/internal/smapi"
	"github.com/skillgate/skillgate/internal/smapitest"
)

// TestExitCodePolicy runs every command that talks to SMAPI, and the
// Action's plan and deploy modes, against the same failures on real
// loopback, and asserts that each ends with the code the one policy
// (exitcode.Of) gives that failure. It is the table of README's "Exit
// codes" section.
func TestExitCodePolicy(t *testing.T) {
	t.Parallel()
	const skill = "amzn1.ask.skill.exit-test"
	pkg, err := filepath.Abs(filepath.Join("..", "..", "testdata", "packages", "valid"))
	if err != nil {
		t.Fatal(err)
	}
	manifest, err := os.ReadFile(filepath.Join(pkg, "skill.json"))
	if err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(pkg, "interactionModels", "custom", "en-US.json")
	linking := filepath.Join(t.TempDir(), "linking.json")
	if err := os.WriteFile(linking, []byte(`{"accountLinkingRequest":{"type":"AUTH_CODE"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	// A port that was listening a moment ago and no longer is: nothing
	// answers there.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	unreachable := "http://" + l.Addr().String()
	l.Close()

	id := []string{"--skill-id", skill}
	commands := []struct {
		name string
		args []string
	}{
		{"diff", append([]string{"diff", pkg}, id...)},
		{"deploy", append([]string{"deploy", pkg, "--timeout", "5s"}, id...)},
		{"status", append([]string{"status"}, id...)},
		{"export", append([]string{"export", "--timeout", "5s", t.TempDir()}, id...)},
		{"skills list", []string{"skills", "list"}},
		{"skills get", append([]string{"skills", "get"}, id...)},
		{"skills create", []string{"skills", "create", pkg}},
		{"skills delete", append([]string{"skills", "delete"}, id...)},
		{"publication get", append([]string{"publication", "get"}, id...)},
		{"publication submit", append([]string{"publication", "submit"}, id...)},
		{"publication unpublish", append([]string{"publication", "unpublish", "--type", "HIDE", "--reason", smapi.UnpublishReasons[0]}, id...)},
		{"certification submit", append([]string{"certification", "submit"}, id...)},
		{"certification withdraw", append([]string{"certification", "withdraw", "--reason", smapi.WithdrawReasons[0], "--message", "m"}, id...)},
		{"interaction-model get", append([]string{"interaction-model", "get", "--locale", "en-US"}, id...)},
		{"interaction-model head", append([]string{"interaction-model", "head", "--locale", "en-US"}, id...)},
		{"interaction-model put", append([]string{"interaction-model", "put", "--locale", "en-US", model}, id...)},
		{"account-linking get", append([]string{"account-linking", "get"}, id...)},
		{"account-linking put", append([]string{"account-linking", "put", linking}, id...)},
		{"account-linking delete", append([]string{"account-linking", "delete"}, id...)},
		{"action plan", []string{"action"}},
		{"action deploy", []string{"action"}},
	}
	failures := []struct {
		name  string
		want  int
		env   map[string]string
		fault *smapitest.Fault
	}{
		{name: "refused credentials (LWA)", want: exitcode.Usage, env: map[string]string{"ASK_CLIENT_SECRET": "wrong-secret-value"}},
		{name: "refused token (SMAPI 401)", want: exitcode.Usage, env: map[string]string{"ASK_ACCESS_TOKEN": "Atza|unknown-token-value"}},
		{name: "missing credentials", want: exitcode.Usage, env: map[string]string{"ASK_REFRESH_TOKEN": ""}},
		{name: "404 skill", want: exitcode.Failed, fault: &smapitest.Fault{Path: "/v1/*", Status: http.StatusNotFound, Times: -1}},
		{name: "5xx after retries", want: exitcode.Failed, fault: &smapitest.Fault{Path: "/v1/*", Status: http.StatusServiceUnavailable, RetryAfter: "0", Times: -1}},
		{name: "unreachable host", want: exitcode.Failed, env: map[string]string{"ASK_SMAPI_SERVER_BASE_URL": unreachable}},
	}
	// Each failure's commands run side by side: waiting out the retries
	// of an unreachable host one command after another would take minutes.
	for _, f := range failures {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			var wg sync.WaitGroup
			problems := make([]string, len(commands))
			for i, c := range commands {
				// The Action plans a pull request without credentials as a
				// validation only (the documented fork behaviour), so
				// missing credentials are not a failure there.
				if c.name == "action plan" && f.name == "missing credentials" {
					continue
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					problems[i] = runExitCase(f.env, f.fault, f.want, c.name, c.args, pkg, skill, manifest)
				}()
			}
			wg.Wait()
			for i, p := range problems {
				if p != "" {
					t.Errorf("%s: %s", commands[i].name, p)
				}
			}
		})
	}
}

// Credentials of the exit-code table's simulator.
const (
	exitClientID, exitSecret, exitRefresh = "exit-client", "exit-secret-value", "Atzr|exit-refresh-value"
	exitVendor                            = "M1EXITVENDOR"
)

// runExitCase runs one command against a fresh simulator with the failure
// scripted, and describes what went wrong ("" when the exit code is want
// and no secret was shown).
func runExitCase(env map[string]string, fault *smapitest.Fault, want int, name string, args []string, pkg, skill string, manifest []byte) string {
	opts := []smapitest.Option{smapitest.WithVendor(exitVendor), smapitest.WithCredentials(exitClientID, exitSecret, exitRefresh),
		smapitest.WithSkill(skill, manifest), smapitest.WithBuildTime(10 * time.Millisecond)}
	if fault != nil {
		opts = append(opts, smapitest.WithFault(*fault))
	}
	srv := smapitest.NewServer(opts...)
	defer srv.Close()
	vars := map[string]string{
		"ASK_CLIENT_ID": exitClientID, "ASK_CLIENT_SECRET": exitSecret, "ASK_REFRESH_TOKEN": exitRefresh, "ASK_VENDOR_ID": exitVendor,
		"ASK_SMAPI_SERVER_BASE_URL": srv.URL, "ASK_LWA_TOKEN_HOST": srv.URL,
	}
	for k, v := range env {
		vars[k] = v
	}
	if strings.HasPrefix(name, "action") {
		vars = actionVars(vars, strings.TrimPrefix(name, "action "), pkg, skill)
	}
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, &Env{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return vars[k] },
	})
	var problems []string
	if code != want {
		problems = append(problems, fmt.Sprintf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, want, out.String(), errb.String()))
	}
	// The Action registers its secrets with ::add-mask::, the one line
	// that must hold them.
	for _, line := range strings.Split(out.String()+errb.String(), "\n") {
		for _, sec := range []string{exitSecret, exitRefresh} {
			if strings.Contains(line, sec) && !strings.HasPrefix(line, "::add-mask::") {
				problems = append(problems, fmt.Sprintf("output shows secret %q: %s", sec, line))
			}
		}
	}
	return strings.Join(problems, "; ")
}

// actionVars turns the ASK_* settings into the Action's inputs for mode.
// An access token has no input, so the SMAPI-refused token becomes a
// refresh token LWA refuses: the same failure as the Action meets it.
func actionVars(ask map[string]string, mode, pkg, skill string) map[string]string {
	v := map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "workflow_dispatch",
		"INPUT_MODE": mode, "INPUT_SKILL-PACKAGE": pkg, "INPUT_SKILL-ID": skill, "INPUT_TIMEOUT": "5s",
		"INPUT_CLIENT-ID": ask["ASK_CLIENT_ID"], "INPUT_CLIENT-SECRET": ask["ASK_CLIENT_SECRET"],
		"INPUT_REFRESH-TOKEN": ask["ASK_REFRESH_TOKEN"],
		"INPUT_SMAPI-URL":     ask["ASK_SMAPI_SERVER_BASE_URL"], "INPUT_LWA-URL": ask["ASK_LWA_TOKEN_HOST"],
		"INPUT_FAIL-ON": "error", "INPUT_STAGE": "development", "INPUT_SUBMIT": "none", "INPUT_DRIFT": "fail", "INPUT_COMMENT": "false",
	}
	if ask["ASK_ACCESS_TOKEN"] != "" {
		v["INPUT_REFRESH-TOKEN"] = "Atzr|refused-refresh-value"
	}
	return v
}
