package action

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// FuzzReadEvent feeds arbitrary payloads and event names to the event
// reader: it must never panic, fail only with an *EventError (or the
// GITHUB_REPOSITORY error), and a pull request it accepts has a number.
func FuzzReadEvent(f *testing.F) {
	f.Add("pull_request", []byte(`{"number": 7, "pull_request": {"number": 7}, "repository": {"default_branch": "main"}}`))
	f.Add("pull_request_target", []byte(`{"number": 3}`))
	f.Add("push", []byte(`{"ref": "refs/heads/main", "repository": {"default_branch": "main"}}`))
	f.Add("push", []byte(`{"repository": {"default_branch": 5}}`))
	f.Add("workflow_dispatch", []byte(`[]`))
	f.Add("pull_request", []byte(`{"pull_request": {"number": -1}, "number": 1e400}`))
	f.Add("pull_request", []byte("\xEF\xBB\xBF{\"number\": 1}"))
	// One file per fuzzing process, rewritten for each input: a folder per
	// input would make file system calls most of the work.
	path := filepath.Join(f.TempDir(), "event.json")
	f.Fuzz(func(t *testing.T, name string, payload []byte) {
		if err := os.WriteFile(path, payload, 0o644); err != nil {
			t.Fatal(err)
		}
		ev, err := readEvent(envMap(map[string]string{
			"GITHUB_EVENT_NAME": name, "GITHUB_EVENT_PATH": path, "GITHUB_REPOSITORY": "o/r",
		}))
		if err != nil {
			var ee *EventError
			if !errors.As(err, &ee) || ee.Path != path {
				t.Fatalf("readEvent() error = %#v, want an *EventError for %s", err, path)
			}
			return
		}
		if ev.Name != name || ev.Owner != "o" || ev.Repo != "r" {
			t.Fatalf("event = %+v", ev)
		}
		switch name {
		case "pull_request", "pull_request_target":
			if ev.PR <= 0 {
				t.Fatalf("a %s event accepted without a pull request number: %+v", name, ev)
			}
		case "push":
			if ev.DefaultBranch == "" {
				t.Fatalf("a push accepted without a default branch: %+v", ev)
			}
		}
		mode, why := resolveMode("auto", ev)
		if !slices.Contains([]string{"validate", "plan", "deploy"}, mode) || why == "" {
			t.Fatalf("resolveMode() = %q, %q", mode, why)
		}
	})
}

// FuzzReadInputs feeds arbitrary input values to the input parser: it must
// never panic, fail only with an *InputError naming an input, and what it
// accepts holds the invariants the rest of the Action relies on.
func FuzzReadInputs(f *testing.F) {
	f.Add("auto", "development", "none", "true", "15m", "", "https://api.amazonalexa.com", "error")
	f.Add("deploy", "live", "publication", "false", "90s", "2030-01-02T03:04:05Z", "http://127.0.0.1:1", "warning")
	f.Add("plan", "Live", "yes", "sure", "-1m", "tomorrow", "api.amazonalexa.com", "info")
	f.Add(" validate ", "development", "certification", "1", "1h", "2030-01-02T03:04:05+02:00", "https://x", "error")
	f.Fuzz(func(t *testing.T, mode, stage, submit, comment, timeout, publishesAt, smapiURL, failOn string) {
		in, err := readInputs(envMap(map[string]string{
			"INPUT_MODE": mode, "INPUT_STAGE": stage, "INPUT_SUBMIT": submit, "INPUT_COMMENT": comment,
			"INPUT_TIMEOUT": timeout, "INPUT_PUBLISHES-AT": publishesAt, "INPUT_SMAPI-URL": smapiURL,
			"INPUT_FAIL-ON": failOn,
		}))
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) || ie.Input == "" || !strings.Contains(err.Error(), ie.Input) {
				t.Fatalf("readInputs() error = %#v, want an *InputError naming the input", err)
			}
			return
		}
		switch {
		case !slices.Contains([]string{"auto", "validate", "plan", "deploy"}, in.Mode),
			!slices.Contains([]string{"development", "live"}, in.Stage),
			!slices.Contains([]string{"none", "certification", "publication"}, in.Submit),
			!slices.Contains([]string{"error", "warning"}, in.FailOn),
			in.Timeout <= 0,
			!in.PublishesAt.IsZero() && in.Submit != "publication",
			!strings.HasPrefix(in.SMAPIURL, "http://") && !strings.HasPrefix(in.SMAPIURL, "https://"):
			t.Fatalf("readInputs() accepted %+v", in)
		}
	})
}
