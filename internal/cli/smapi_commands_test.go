package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/skillgate/skillgate/internal/smapitest"
)

const cliSkill = "amzn1.ask.skill.cli-test"

const cliManifest = `{"manifest":{"manifestVersion":"1.0","publishingInformation":{"locales":{"en-US":{"name":"CLI skill","summary":"s","description":"d"}},"category":"GAMES","distributionCountries":["US"],"isAvailableWorldwide":false},"apis":{"custom":{"endpoint":{"uri":"arn:aws:lambda:us-east-1:123456789012:function:f"}}}}}`

// runSMAPICLI runs skillgate with the ASK_* variables pointing at srv.
func runSMAPICLI(t *testing.T, srv *smapitest.Server, extra map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	vars := map[string]string{
		"ASK_CLIENT_ID": "amzn1.application-oa2-client.cli", "ASK_CLIENT_SECRET": "cli-client-secret-value",
		"ASK_REFRESH_TOKEN": "Atzr|cli-refresh-token-value", "ASK_VENDOR_ID": "M1CLIVENDOR",
		"ASK_SMAPI_SERVER_BASE_URL": srv.URL, "ASK_LWA_TOKEN_HOST": srv.URL,
	}
	for k, v := range extra {
		vars[k] = v
	}
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, &Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return vars[k] }, HTTPClient: srv.Client(),
	})
	for _, sec := range []string{"cli-client-secret-value", "cli-refresh-token-value"} {
		if strings.Contains(out.String()+errb.String(), sec) {
			t.Errorf("%v: output shows secret %q", args, sec)
		}
	}
	return code, out.String(), errb.String()
}

func TestSMAPICommands(t *testing.T) {
	t.Parallel()
	srv := smapitest.NewServer(smapitest.WithVendor("M1CLIVENDOR"), smapitest.WithSkill(cliSkill, []byte(cliManifest)),
		smapitest.WithBuildTime(10*time.Millisecond))
	defer srv.Close()
	dir := t.TempDir()
	model := filepath.Join(dir, "en-US.json")
	if err := os.WriteFile(model, []byte(`{"interactionModel":{"languageModel":{"invocationName":"cli skill","intents":[{"name":"AMAZON.StopIntent","samples":[]}],"types":[]}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	pkg := filepath.Join(dir, "pkg")
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pkg, "skill.json"), []byte(cliManifest), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args       []string
		env        map[string]string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{args: []string{"skills", "get", "--skill-id", cliSkill}, wantStdout: `"CLI skill"`, wantStderr: "ETag: "},
		{args: []string{"skills", "get", "--skill-id", cliSkill, "--json"}, wantStdout: `"etag":`},
		{args: []string{"skills", "get", "--skill-id", "amzn1.ask.skill.nope"}, wantCode: 1, wantStderr: "not visible to these credentials"},
		{args: []string{"skills", "get", "--skill-id", cliSkill}, env: map[string]string{"ASK_CLIENT_SECRET": "", "ASK_REFRESH_TOKEN": ""}, wantCode: 2, wantStderr: "ASK_CLIENT_SECRET, ASK_REFRESH_TOKEN"},
		{args: []string{"skills", "get", "--skill-id", cliSkill, "--stage", "beta"}, wantCode: 2, wantStderr: "must be one of development, live"},
		{args: []string{"skills", "list"}, wantStdout: cliSkill},
		{args: []string{"skills", "list", "--json", "--skill-id", cliSkill}, wantStdout: `"skillId": "` + cliSkill},
		{args: []string{"skills", "list", "--max-results", "51"}, wantCode: 2, wantStderr: "between 1 and 50"},
		{args: []string{"status", "--skill-id", cliSkill}, wantStdout: "manifest  SUCCEEDED"},
		{args: []string{"interaction-model", "put", "--skill-id", cliSkill, "--locale", "en-US", model}, wantStdout: "build started"},
		{args: []string{"status", "--skill-id", cliSkill, "--resource", "interactionModel", "--wait", "--timeout", "5s"}, wantStdout: "interactionModel en-US  SUCCEEDED"},
		{args: []string{"interaction-model", "get", "--skill-id", cliSkill, "--locale", "en-US"}, wantStdout: "cli skill", wantStderr: "ETag: "},
		{args: []string{"interaction-model", "head", "--skill-id", cliSkill, "--locale", "en-US"}},
		{args: []string{"interaction-model", "get", "--skill-id", cliSkill}, wantCode: 2, wantStderr: "--locale is required"},
		{args: []string{"skills", "create", pkg, "--wait", "--timeout", "5s"}, wantStdout: "amzn1.ask.skill.", wantStderr: "created skill"},
		{args: []string{"publication", "get", "--skill-id", cliSkill}, wantCode: 1},
		{args: []string{"publication", "unpublish", "--skill-id", cliSkill, "--type", "HIDE"}, wantCode: 2, wantStderr: "--type and --reason are required"},
		{args: []string{"certification", "withdraw", "--skill-id", cliSkill, "--reason", "NOPE"}, wantCode: 2, wantStderr: "must be one of"},
		{args: []string{"account-linking", "put", "--skill-id", cliSkill}, wantCode: 2},
		{args: []string{"skills", "frobnicate"}, wantCode: 2, wantStderr: `unknown subcommand "frobnicate"`},
		{args: []string{"skills", "get", "--skill-id", cliSkill, "--debug"}, wantStderr: "Authorization: [REDACTED]"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runSMAPICLI(t, srv, tt.env, "", tt.args...)
		if code != tt.wantCode {
			t.Errorf("%v: exit %d, want %d\nstdout: %s\nstderr: %s", tt.args, code, tt.wantCode, stdout, stderr)
			continue
		}
		if !strings.Contains(stdout, tt.wantStdout) {
			t.Errorf("%v: stdout lacks %q:\n%s", tt.args, tt.wantStdout, stdout)
		}
		if !strings.Contains(stderr, tt.wantStderr) {
			t.Errorf("%v: stderr lacks %q:\n%s", tt.args, tt.wantStderr, stderr)
		}
	}
}
