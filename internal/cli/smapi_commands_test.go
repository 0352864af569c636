package cli

import (
	"bytes"
	"context"
	"encoding/json"
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

// cliRun is one command against a simulator and what it must produce.
type cliRun struct {
	args       []string
	env        map[string]string
	stdin      string
	wantCode   int
	wantStdout []string // substrings of stdout, or, with wantJSON, ignored
	wantStderr []string
	notOutput  []string // must appear in neither stream
	// wantJSON, when set, requires stdout to be one JSON object holding
	// these fields (dotted paths for nested ones) with these values; a nil
	// value only requires the field to be there.
	wantJSON map[string]any
}

// check runs r and returns stdout.
func (r cliRun) check(t *testing.T, srv *smapitest.Server) string {
	t.Helper()
	code, stdout, stderr := runSMAPICLI(t, srv, r.env, r.stdin, r.args...)
	if code != r.wantCode {
		t.Errorf("%v: exit %d, want %d\nstdout: %s\nstderr: %s", r.args, code, r.wantCode, stdout, stderr)
		return stdout
	}
	if r.wantJSON != nil {
		var got map[string]any
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Errorf("%v: stdout is not a JSON object: %v\n%s", r.args, err, stdout)
			return stdout
		}
		for path, want := range r.wantJSON {
			v, ok := jsonField(got, path)
			switch {
			case !ok:
				t.Errorf("%v: JSON output lacks %s:\n%s", r.args, path, stdout)
			case want != nil && v != want:
				t.Errorf("%v: JSON %s = %v, want %v", r.args, path, v, want)
			}
		}
	}
	for _, w := range r.wantStdout {
		if !strings.Contains(stdout, w) {
			t.Errorf("%v: stdout lacks %q:\n%s", r.args, w, stdout)
		}
	}
	for _, w := range r.wantStderr {
		if !strings.Contains(stderr, w) {
			t.Errorf("%v: stderr lacks %q:\n%s", r.args, w, stderr)
		}
	}
	for _, w := range r.notOutput {
		if strings.Contains(stdout+stderr, w) {
			t.Errorf("%v: output shows %q:\nstdout: %s\nstderr: %s", r.args, w, stdout, stderr)
		}
	}
	return stdout
}

// jsonField walks a dotted path through decoded JSON objects.
func jsonField(v any, path string) (any, bool) {
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[k]; !ok {
			return nil, false
		}
	}
	return v, true
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSMAPIVendorIDMissing: without ASK_VENDOR_ID, the commands that need a
// vendor id say to set it, and do not offer an access token instead.
func TestSMAPIVendorIDMissing(t *testing.T) {
	t.Parallel()
	srv := smapitest.NewServer(smapitest.WithVendor("M1CLIVENDOR"), smapitest.WithSkill(cliSkill, []byte(cliManifest)))
	defer srv.Close()
	pkg := writeFile(t, "skill.json", cliManifest)
	noVendor := map[string]string{"ASK_VENDOR_ID": ""}
	for _, r := range []cliRun{
		{args: []string{"skills", "list"}, env: noVendor, wantCode: ExitUsage,
			wantStderr: []string{"skillgate skills list: missing setting: set ASK_VENDOR_ID", "listing skills needs the vendor id"}, notOutput: []string{"ASK_ACCESS_TOKEN"}},
		{args: []string{"skills", "create", pkg}, env: noVendor, wantCode: ExitUsage,
			wantStderr: []string{"skillgate skills create: missing setting: set ASK_VENDOR_ID", "creating a skill needs the vendor id"}, notOutput: []string{"ASK_ACCESS_TOKEN"}},
		// --vendor-id is the other way to give it.
		{args: []string{"skills", "list", "--vendor-id", "M1CLIVENDOR"}, env: noVendor, wantStdout: []string{cliSkill}},
	} {
		r.check(t, srv)
	}
	if n := len(srv.Requests()); n != 1+1 { // the token and the list with --vendor-id
		t.Errorf("simulator saw %d requests, want 2: the vendorless commands must not call it", n)
	}
}

// TestSMAPISkillsCommands: list, get, create and delete in human and JSON
// form, and the refusal to delete a live skill.
func TestSMAPISkillsCommands(t *testing.T) {
	t.Parallel()
	const live = "amzn1.ask.skill.cli-live"
	srv := smapitest.NewServer(smapitest.WithVendor("M1CLIVENDOR"), smapitest.WithSkill(cliSkill, []byte(cliManifest)),
		smapitest.WithSkill(live, []byte(cliManifest)), smapitest.WithManifest(live, "live", []byte(cliManifest)))
	defer srv.Close()
	pkg := writeFile(t, "skill.json", cliManifest)
	_, etag, _ := srv.Manifest(cliSkill, "development")

	for _, r := range []cliRun{
		{args: []string{"skills", "list"}, wantStdout: []string{"SKILL ID", cliSkill + "  development  DEVELOPMENT  CLI skill", live + "  live         PUBLISHED    CLI skill"}},
		{args: []string{"skills", "list", "--json", "--max-results", "1"}, wantJSON: map[string]any{"isTruncated": true, "nextToken": nil, "skills": nil}},
		{args: []string{"skills", "get", "--skill-id", live, "--stage", "live", "--json"},
			wantJSON: map[string]any{"skillId": live, "stage": "live", "etag": nil, "body.manifest.manifestVersion": "1.0"}},
		{args: []string{"skills", "get", "--skill-id", cliSkill}, wantStdout: []string{`"manifestVersion": "1.0"`}, wantStderr: []string{"ETag: " + etag}},
		{args: []string{"skills", "delete", "--skill-id", live}, wantCode: ExitFailed, wantStderr: []string{"skillgate skills delete:", "403", "live stage"}},
		{args: []string{"skills", "delete"}, wantCode: ExitUsage, wantStderr: []string{"--skill-id is required"}},
		{args: []string{"skills", "delete", "--skill-id", cliSkill}, wantStdout: []string{"deleted skill " + cliSkill}},
		{args: []string{"skills", "get", "--skill-id", cliSkill}, wantCode: ExitFailed, wantStderr: []string{"404", "not visible to these credentials"}},
		{args: []string{"skills", "delete", "--skill-id", cliSkill}, wantCode: ExitFailed, wantStderr: []string{"404"}},
	} {
		r.check(t, srv)
	}

	out := cliRun{args: []string{"skills", "create", pkg, "--json", "--wait", "--timeout", "5s"},
		wantJSON: map[string]any{"skillId": nil, "location": nil, "status": "SUCCEEDED"}}.check(t, srv)
	var created struct{ SkillID string }
	if err := json.Unmarshal([]byte(out), &created); err != nil || !strings.HasPrefix(created.SkillID, "amzn1.ask.skill.") {
		t.Fatalf("skills create --json: %s (%v)", out, err)
	}
	cliRun{args: []string{"skills", "delete", "--skill-id", created.SkillID, "--json"},
		wantJSON: map[string]any{"skillId": created.SkillID, "result": "deleted"}}.check(t, srv)
	if _, _, ok := srv.Manifest(created.SkillID, "development"); ok {
		t.Error("the simulator still has the deleted skill")
	}
}

// TestSMAPIStatusJSON: status --json is SMAPI's status body.
func TestSMAPIStatusJSON(t *testing.T) {
	t.Parallel()
	srv := smapitest.NewServer(smapitest.WithVendor("M1CLIVENDOR"), smapitest.WithSkill(cliSkill, []byte(cliManifest)))
	defer srv.Close()
	cliRun{args: []string{"status", "--skill-id", cliSkill, "--json"},
		wantJSON: map[string]any{"manifest.lastUpdateRequest.status": "SUCCEEDED"}}.check(t, srv)
	cliRun{args: []string{"status", "--skill-id", cliSkill, "--resource", "nope"}, wantCode: ExitUsage,
		wantStderr: []string{`--resource "nope"`}}.check(t, srv)
}

// TestSMAPICertificationCommands: submit and withdraw, refusals, JSON.
func TestSMAPICertificationCommands(t *testing.T) {
	t.Parallel()
	srv := smapitest.NewServer(smapitest.WithVendor("M1CLIVENDOR"), smapitest.WithSkill(cliSkill, []byte(cliManifest)),
		smapitest.WithCertificationTime(time.Hour))
	defer srv.Close()
	id := []string{"--skill-id", cliSkill}
	for _, r := range []cliRun{
		{args: append([]string{"certification", "submit", "--publication-method", "MANUAL_PUBLISHING", "--version-message", "v1"}, id...),
			wantStdout: []string{cliSkill + ": submitted for certification", "track it at /v1/skills/" + cliSkill + "/certifications"}},
		{args: append([]string{"certification", "submit"}, id...), wantCode: ExitFailed,
			wantStderr: []string{"already in certification", "not allowed for this stage or for the skill's current state"}},
		{args: append([]string{"certification", "withdraw"}, id...), wantCode: ExitUsage, wantStderr: []string{"--reason is required"}},
		{args: append([]string{"certification", "withdraw", "--reason", "OTHER", "--message", "found a bug"}, id...),
			wantStdout: []string{cliSkill + ": withdrawn from certification"}},
		{args: append([]string{"certification", "withdraw", "--reason", "TEST_SKILL"}, id...), wantCode: ExitFailed,
			wantStderr: []string{"not in certification"}},
		{args: append([]string{"certification", "submit", "--json"}, id...),
			wantJSON: map[string]any{"skillId": cliSkill, "result": "submitted for certification", "location": "/v1/skills/" + cliSkill + "/certifications"}},
		{args: append([]string{"certification", "withdraw", "--reason", "MORE_FEATURES", "--json"}, id...),
			wantJSON: map[string]any{"skillId": cliSkill, "result": "withdrawn from certification"}},
	} {
		r.check(t, srv)
	}
	var bodies []string
	for _, req := range srv.Requests() {
		if req.Method == "POST" && strings.HasSuffix(req.Path, "/withdraw") && req.Status == 204 {
			bodies = append(bodies, string(req.Body))
		}
	}
	if len(bodies) != 2 || bodies[0] != `{"reason":"OTHER","message":"found a bug"}` || bodies[1] != `{"reason":"MORE_FEATURES"}` {
		t.Errorf("withdraw requests %q", bodies)
	}
}

// TestSMAPIPublicationCommands: a certified skill scheduled with
// --publishes-at, followed to SUCCEEDED, then hidden and removed.
func TestSMAPIPublicationCommands(t *testing.T) {
	t.Parallel()
	clock := smapitest.NewClock(time.Now().UTC().Truncate(time.Second))
	// The clock first: WithSkill stamps the skill's creation with it.
	srv := smapitest.NewServer(smapitest.WithClock(clock.Now), smapitest.WithVendor("M1CLIVENDOR"),
		smapitest.WithSkill(cliSkill, []byte(cliManifest)), smapitest.WithTokenTTL(48*time.Hour),
		smapitest.WithPublicationTime(10*time.Minute))
	defer srv.Close()
	id := []string{"--skill-id", cliSkill}
	at := clock.Now().Add(time.Hour)
	atText := at.Format(time.RFC3339)

	for _, r := range []cliRun{
		{args: append([]string{"publication", "get"}, id...), wantCode: ExitFailed, wantStderr: []string{"no publication yet"}},
		{args: append([]string{"publication", "submit", "--publishes-at", "tomorrow"}, id...), wantCode: ExitUsage, wantStderr: []string{"not an RFC 3339 time"}},
		{args: append([]string{"publication", "submit"}, id...), wantCode: ExitFailed, wantStderr: []string{"only a certified skill can be published"}},
		// With no certification time, MANUAL_PUBLISHING certifies at once.
		{args: append([]string{"certification", "submit", "--publication-method", "MANUAL_PUBLISHING"}, id...)},
		{args: append([]string{"publication", "submit", "--publishes-at", atText}, id...), wantStdout: []string{cliSkill + ": submitted for publication"}},
		{args: append([]string{"publication", "get"}, id...), wantStdout: []string{"publication: SCHEDULED, publishes at " + atText}},
		{args: append([]string{"publication", "get", "--json"}, id...), wantJSON: map[string]any{"status": "SCHEDULED", "publishesAtDate": at.Format("2006-01-02T15:04:05.000Z")}},
	} {
		r.check(t, srv)
	}
	clock.Add(time.Hour)
	cliRun{args: append([]string{"publication", "get"}, id...), wantStdout: []string{"publication: IN_PROGRESS"}}.check(t, srv)
	clock.Add(10 * time.Minute)
	for _, r := range []cliRun{
		{args: append([]string{"publication", "get", "--json"}, id...), wantJSON: map[string]any{"status": "SUCCEEDED"}},
		{args: append([]string{"skills", "get", "--stage", "live"}, id...), wantStdout: []string{"CLI skill"}},
		{args: append([]string{"publication", "unpublish", "--type", "HIDE", "--reason", "Not a reason"}, id...), wantCode: ExitUsage, wantStderr: []string{"must be one of"}},
		{args: append([]string{"publication", "unpublish", "--type", "HIDE", "--reason", "Technical issues"}, id...),
			wantStdout: []string{cliSkill + ": unpublish requested"}},
		{args: []string{"skills", "list", "--skill-id", cliSkill}, wantStdout: []string{"live         HIDDEN"}},
		{args: append([]string{"publication", "unpublish", "--type", "REMOVE", "--reason", "Published by mistake", "--json"}, id...),
			wantJSON: map[string]any{"skillId": cliSkill, "result": "unpublish requested"}},
		{args: append([]string{"publication", "unpublish", "--type", "REMOVE", "--reason", "Other"}, id...), wantCode: ExitFailed,
			wantStderr: []string{"already removed"}},
	} {
		r.check(t, srv)
	}
}

// TestSMAPIInteractionModelCommands: put from a file and from stdin, get,
// head, If-Match, in human and JSON form.
func TestSMAPIInteractionModelCommands(t *testing.T) {
	t.Parallel()
	srv := smapitest.NewServer(smapitest.WithVendor("M1CLIVENDOR"), smapitest.WithSkill(cliSkill, []byte(cliManifest)))
	defer srv.Close()
	const model = `{"interactionModel":{"languageModel":{"invocationName":"cli skill","intents":[{"name":"AMAZON.StopIntent","samples":[]}],"types":[]}}}`
	file := writeFile(t, "en-US.json", model)
	bad := writeFile(t, "bad.json", `{"interactionModel":`)
	im := func(sub string, extra ...string) []string {
		return append([]string{"interaction-model", sub, "--skill-id", cliSkill, "--locale", "en-US"}, extra...)
	}

	for _, r := range []cliRun{
		{args: im("head"), wantCode: ExitFailed, wantStderr: []string{"404"}},
		{args: im("put", file), wantStdout: []string{cliSkill + ": interaction model en-US accepted, build started", "track it at /v1/skills/" + cliSkill + "/status?resource=interactionModel"}},
		{args: im("put", bad), wantCode: ExitUsage, wantStderr: []string{"not valid JSON"}},
		{args: im("put", "--stage", "live", file), wantCode: ExitFailed, wantStderr: []string{"403"}},
	} {
		r.check(t, srv)
	}

	code, stdout, stderr := runSMAPICLI(t, srv, nil, "", im("get")...)
	etag, _ := strings.CutPrefix(strings.TrimSpace(stderr), "ETag: ")
	if code != ExitOK || etag == "" || !json.Valid([]byte(stdout)) || !strings.Contains(stdout, `"invocationName": "cli skill"`) {
		t.Fatalf("interaction-model get: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	for _, r := range []cliRun{
		{args: im("head"), wantStdout: []string{etag + "\n"}},
		{args: im("head", "--json"), wantJSON: map[string]any{"skillId": cliSkill, "stage": "development", "locale": "en-US", "etag": etag}},
		{args: im("get", "--json"), wantJSON: map[string]any{"locale": "en-US", "etag": etag, "body.interactionModel.languageModel.invocationName": "cli skill"}},
		{args: im("put", "--if-match", `"stale"`, file), wantCode: ExitFailed, wantStderr: []string{"412", "stale ETag"}},
		{args: im("put", "--if-match", etag, "--json"), stdin: strings.Replace(model, "cli skill", "cli skill two", 1),
			wantJSON: map[string]any{"skillId": cliSkill, "result": "interaction model en-US accepted, build started", "location": nil}},
		{args: im("get"), wantStdout: []string{`"invocationName": "cli skill two"`}},
		{args: im("head"), notOutput: []string{etag}},
	} {
		r.check(t, srv)
	}
}

// TestSMAPIAccountLinkingCommands: put from a file and from stdin, get
// without the secret, If-Match, live refused, delete, in human and JSON form.
func TestSMAPIAccountLinkingCommands(t *testing.T) {
	t.Parallel()
	srv := smapitest.NewServer(smapitest.WithVendor("M1CLIVENDOR"), smapitest.WithSkill(cliSkill, []byte(cliManifest)))
	defer srv.Close()
	const linking = `{"type":"AUTH_CODE","authorizationUrl":"https://example.com/auth","accessTokenUrl":"https://example.com/token","clientId":"linking-client","clientSecret":"linking-secret-value","scopes":["profile"]}`
	file := writeFile(t, "linking.json", linking)
	al := func(sub string, extra ...string) []string {
		return append([]string{"account-linking", sub, "--skill-id", cliSkill}, extra...)
	}

	for _, r := range []cliRun{
		{args: al("get"), wantCode: ExitFailed, wantStderr: []string{"404", "no account linking"}},
		{args: al("put", file), wantStdout: []string{cliSkill + ": account linking updated"}},
		{args: al("put", "--stage", "live", file), wantCode: ExitFailed, wantStderr: []string{"403"}},
		{args: al("put", writeFile(t, "bad.json", "{")), wantCode: ExitUsage, wantStderr: []string{"not valid JSON"}},
		{args: al("put", "--if-match", `"stale"`, file), wantCode: ExitFailed, wantStderr: []string{"412"}},
	} {
		r.check(t, srv)
	}
	code, stdout, stderr := runSMAPICLI(t, srv, nil, "", al("get")...)
	etag, _ := strings.CutPrefix(strings.TrimSpace(stderr), "ETag: ")
	if code != ExitOK || etag == "" || !json.Valid([]byte(stdout)) || !strings.Contains(stdout, `"clientId": "linking-client"`) ||
		strings.Contains(stdout, "linking-secret-value") {
		t.Fatalf("account-linking get: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	wrapped := `{"accountLinkingRequest":` + strings.Replace(linking, "linking-client", "linking-client-2", 1) + `}`
	for _, r := range []cliRun{
		{args: al("get", "--json"), wantJSON: map[string]any{"skillId": cliSkill, "stage": "development", "etag": etag, "body.clientId": "linking-client"},
			notOutput: []string{"linking-secret-value"}},
		{args: al("put", "--if-match", etag, "--json", "-"), stdin: wrapped,
			wantJSON: map[string]any{"skillId": cliSkill, "result": "account linking updated", "etag": nil}},
		{args: al("get"), wantStdout: []string{`"clientId": "linking-client-2"`}, notOutput: []string{etag}},
		{args: al("delete"), wantStdout: []string{cliSkill + ": account linking deleted from development"}},
		{args: al("get"), wantCode: ExitFailed, wantStderr: []string{"404"}},
		{args: al("delete", "--json"), wantCode: ExitFailed, wantStderr: []string{"404"}},
		{args: al("put", file)},
		{args: al("delete", "--json"), wantJSON: map[string]any{"skillId": cliSkill, "stage": "development", "result": "deleted"}},
	} {
		r.check(t, srv)
	}
}
