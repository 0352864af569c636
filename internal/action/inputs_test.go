package action

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestReadInputsDefaults(t *testing.T) {
	in, err := readInputs(envMap(nil))
	if err != nil {
		t.Fatal(err)
	}
	if in.SkillPackage != "skill-package" || in.Stage != "development" || in.Mode != "auto" ||
		in.Submit != "none" || in.FailOn != "error" || in.Drift != "fail" || !in.Comment ||
		in.Timeout != 15*time.Minute || in.SMAPIURL != "https://api.amazonalexa.com" || in.LWAURL != "https://api.amazon.com" {
		t.Errorf("defaults = %+v", in)
	}
}

func TestReadInputsHyphenKept(t *testing.T) {
	in, err := readInputs(envMap(map[string]string{
		"INPUT_SKILL-ID":      " amzn1.ask.skill.1 ",
		"INPUT_SKILL-PACKAGE": "pkg",
		"INPUT_CLIENT-SECRET": "s",
		"INPUT_PUBLISHES-AT":  "2030-01-02T03:04:05Z",
		"INPUT_SUBMIT":        "publication",
		"INPUT_COMMENT":       "false",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if in.SkillID != "amzn1.ask.skill.1" || in.SkillPackage != "pkg" || in.ClientSecret != "s" || in.Comment ||
		!in.PublishesAt.Equal(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Errorf("inputs = %+v", in)
	}
}

func TestReadInputsErrors(t *testing.T) {
	tests := []struct {
		env   map[string]string
		input string
	}{
		{map[string]string{"INPUT_MODE": "apply"}, "mode"},
		{map[string]string{"INPUT_STAGE": "Live"}, "stage"},
		{map[string]string{"INPUT_SUBMIT": "yes"}, "submit"},
		{map[string]string{"INPUT_FAIL-ON": "info"}, "fail-on"},
		{map[string]string{"INPUT_DRIFT": "overwrite"}, "drift"},
		{map[string]string{"INPUT_COMMENT": "sure"}, "comment"},
		{map[string]string{"INPUT_TIMEOUT": "15"}, "timeout"},
		{map[string]string{"INPUT_TIMEOUT": "-1m"}, "timeout"},
		{map[string]string{"INPUT_PUBLISHES-AT": "tomorrow", "INPUT_SUBMIT": "publication"}, "publishes-at"},
		{map[string]string{"INPUT_PUBLISHES-AT": "2030-01-02T03:04:05Z"}, "publishes-at"},
		{map[string]string{"INPUT_SMAPI-URL": "api.amazonalexa.com"}, "smapi-url"},
	}
	for _, tt := range tests {
		_, err := readInputs(envMap(tt.env))
		var ie *InputError
		if !errors.As(err, &ie) || ie.Input != tt.input {
			t.Errorf("%v: err = %v, want an InputError for %s", tt.env, err, tt.input)
		}
	}
}

func writeEvent(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadEventAndMode(t *testing.T) {
	pr := writeEvent(t, `{"number": 7, "pull_request": {"number": 7}, "repository": {"default_branch": "main"}}`)
	push := writeEvent(t, `{"ref": "refs/heads/main", "repository": {"default_branch": "main"}}`)
	tests := []struct {
		name, event, path, ref string
		wantMode               string
		wantPR                 int
	}{
		{"pr", "pull_request", pr, "refs/pull/7/merge", "plan", 7},
		{"pr target", "pull_request_target", pr, "refs/heads/main", "plan", 7},
		{"push default", "push", push, "refs/heads/main", "deploy", 0},
		{"push other", "push", push, "refs/heads/feature", "validate", 0},
		{"dispatch", "workflow_dispatch", "", "refs/heads/main", "validate", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := readEvent(envMap(map[string]string{
				"GITHUB_EVENT_NAME": tt.event, "GITHUB_EVENT_PATH": tt.path,
				"GITHUB_REF": tt.ref, "GITHUB_REPOSITORY": "o/r",
				// Not used by skillgate: a value the library cannot parse
				// does not stop the run.
				"GITHUB_RUN_ID": "not-a-number",
			}))
			if err != nil {
				t.Fatal(err)
			}
			mode, why := resolveMode("auto", ev)
			if mode != tt.wantMode || ev.PR != tt.wantPR || ev.Owner != "o" || ev.Repo != "r" {
				t.Errorf("mode %q (%s), pr %d, repo %s/%s", mode, why, ev.PR, ev.Owner, ev.Repo)
			}
		})
	}
}

func TestReadEventErrors(t *testing.T) {
	tests := []struct {
		name, event, path, want string
	}{
		{"missing file", "pull_request", filepath.Join(t.TempDir(), "nope.json"), "does not exist"},
		{"malformed", "pull_request", writeEvent(t, `{"pull_request": `), "not a JSON event payload"},
		{"no number", "pull_request", writeEvent(t, `{"action": "opened"}`), "without pull_request.number"},
		{"push without branch", "push", writeEvent(t, `{"ref": "refs/heads/main"}`), "default_branch"},
		{"unset", "push", "", "GITHUB_EVENT_PATH"},
		{"a folder", "push", t.TempDir(), "not a regular file: it is a folder"},
	}
	// A device never ends: read whole, /dev/zero grew to gigabytes.
	if _, err := os.Stat("/dev/zero"); err == nil {
		tests = append(tests, struct{ name, event, path, want string }{"a device", "push", "/dev/zero", "not a regular file: it is a character device"})
	}
	// A named pipe with no writer blocked the step forever.
	fifo := filepath.Join(t.TempDir(), "event.json")
	if mkfifo(fifo) == nil {
		tests = append(tests, struct{ name, event, path, want string }{"a named pipe", "pull_request", fifo, "not a regular file: it is a named pipe"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			returns(t, "readEvent("+tt.path+")", func() {
				_, err = readEvent(envMap(map[string]string{"GITHUB_EVENT_NAME": tt.event, "GITHUB_EVENT_PATH": tt.path}))
			})
			var ee *EventError
			if !errors.As(err, &ee) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "GITHUB_EVENT_PATH "+tt.path) {
				t.Errorf("err = %v, want an EventError mentioning %q", err, tt.want)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	var b strings.Builder
	w := newWorkflow(envMap(nil), &b)
	w.mask("s3cret-token-value", "")
	w.println("token s3cret-token-value here")
	got := b.String()
	if got != "::add-mask::s3cret-token-value\ntoken *** here\n" {
		t.Errorf("got %q", got)
	}
}

// TestRedactShortSecrets: a value too short to be a real secret is not sent
// to the runner's mask and is redacted only where it stands as a whole value
// (a line, a quoted string, a field), never inside ids, words or sentences;
// outputs are written
// as they are (a one-letter client id once turned the skill-id output into
// ***mzn1.***sk.skill…).
func TestRedactShortSecrets(t *testing.T) {
	out := filepath.Join(t.TempDir(), "output")
	var b strings.Builder
	w := newWorkflow(envMap(map[string]string{"GITHUB_OUTPUT": out}), &b)
	w.mask("a", "an-actual-long-secret", "e")
	w.println("client id a, deploying amzn1.ask.skill.a1 with an-actual-long-secret")
	w.println("a")
	w.println("valid=true (e)")
	w.setOutput("skill-id", "amzn1.ask.skill.a1")
	w.setOutput("valid", "true")
	w.setOutput("client", "a")
	want := "::add-mask::an-actual-long-secret\n" +
		"client id a, deploying amzn1.ask.skill.a1 with ***\n***\nvalid=true (e)\n"
	if got := b.String(); got != want {
		t.Errorf("log =\n%s\nwant\n%s", got, want)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"amzn1.ask.skill.a1", "\ntrue\n", "\na\n"} {
		if !strings.Contains(string(raw), v) {
			t.Errorf("GITHUB_OUTPUT lacks %q:\n%s", v, raw)
		}
	}
}

func TestReplaceWhole(t *testing.T) {
	tests := []struct{ in, secret, want string }{
		{"a", "a", "***"},
		{"amzn1.ask.skill", "a", "amzn1.ask.skill"},
		{"id=a, b", "a", "id=***, b"},
		{`"a"`, "a", `"***"`},
		{"ab ab-c ab", "ab", "*** ab-c ab"},
		{"é a é", "a", "é a é"},
		{"xa b", "a b", "xa b"},
		{"x a b", "a b", "x a b"},
		{"ASK_ACCESS_TOKEN must be a current access token", "a", "ASK_ACCESS_TOKEN must be a current access token"},
		{"client_id=a&x=1\na\n", "a", "client_id=***&x=1\n***\n"},
		{`{"client_id":"a"}`, "a", `{"client_id":"***"}`},
	}
	for _, tt := range tests {
		if got := replaceWhole(tt.in, tt.secret); got != tt.want {
			t.Errorf("replaceWhole(%q, %q) = %q, want %q", tt.in, tt.secret, got, tt.want)
		}
	}
}
