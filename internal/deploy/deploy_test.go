package deploy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/skillgate/skillgate/internal/diff"
	"github.com/skillgate/skillgate/internal/githubtest"
	"github.com/skillgate/skillgate/internal/golden"
	"github.com/skillgate/skillgate/internal/jsoncanon"
	"github.com/skillgate/skillgate/internal/plan"
	"github.com/skillgate/skillgate/internal/prcomment"
	"github.com/skillgate/skillgate/internal/smapi"
	"github.com/skillgate/skillgate/internal/smapitest"
)

// Test credentials. They must never show up in any output the tests capture.
const (
	testSkill        = "amzn1.ask.skill.00000000-0000-0000-0000-000000000001"
	testClientID     = "amzn1.application-oa2-client.deploytestclient"
	testClientSecret = "deploy-test-client-secret-6f1d"
	testRefreshToken = "Atzr|deploy-test-refresh-token-93ab"
	testGitHubToken  = "ghs_deployTestGitHubToken123"
	owner, repo      = "acme", "kitchen-timer"
	mergeSHA         = "3f786850e387550fdab836ed7e6dc881de23001b"
)

// fast is the build-wait schedule the tests use: BuildSchedule's shape in
// milliseconds.
var fast = smapi.Schedule{Initial: 2 * time.Millisecond, Factor: 1.5, Max: 10 * time.Millisecond, Heartbeat: 50 * time.Millisecond}

type harness struct {
	t      *testing.T
	sim    *smapitest.Server
	client *smapi.Client
	gh     *githubtest.Server
	pc     *prcomment.Client

	mu  sync.Mutex
	out bytes.Buffer // everything printed: progress, debug, summaries, errors
}

func (h *harness) Write(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.out.Write(p)
}

func (h *harness) output() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.out.String()
}

// setup starts the simulator (holding testSkill with testdata/skill.json),
// the fake GitHub, and clients for both whose debug output is captured.
// At cleanup it checks that no secret reached any captured output.
func setup(t *testing.T, simOpts ...smapitest.Option) *harness {
	t.Helper()
	h := &harness{t: t}
	opts := append([]smapitest.Option{
		smapitest.WithCredentials(testClientID, testClientSecret, testRefreshToken),
		smapitest.WithSkill(testSkill, readFile(t, "testdata/skill.json")),
	}, simOpts...)
	h.sim = smapitest.NewServer(opts...)
	t.Cleanup(h.sim.Close)
	h.gh = githubtest.NewServer(githubtest.WithToken(testGitHubToken))
	t.Cleanup(h.gh.Close)

	client, err := smapi.NewClient(smapi.Config{
		BaseURL: h.sim.URL, LWAURL: h.sim.URL,
		ClientID: testClientID, ClientSecret: testClientSecret, RefreshToken: testRefreshToken,
		HTTPClient: h.sim.Client(),
		Debug:      h,
		Retry:      smapi.RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond, MaxRetryAfter: time.Second},
	})
	if err != nil {
		t.Fatal(err)
	}
	h.client = client
	h.pc, err = prcomment.New(testGitHubToken, h.gh.URL, h.gh.Client())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.checkSecrets)
	return h
}

// checkSecrets fails the test when a secret appears in the captured output
// on any line but an ::add-mask:: one.
func (h *harness) checkSecrets() {
	h.t.Helper()
	secrets := []string{testClientSecret, testRefreshToken, testGitHubToken}
	for _, r := range h.sim.Requests() {
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && tok != "" && !slices.Contains(secrets, tok) {
			secrets = append(secrets, tok)
		}
	}
	for line := range strings.Lines(h.output()) {
		if strings.HasPrefix(line, "::add-mask::") {
			continue
		}
		for _, s := range secrets {
			if strings.Contains(line, s) {
				h.t.Errorf("a secret appears in the output: %q", line)
			}
		}
	}
}

// run runs a deploy with the test schedule, capturing progress (as Action
// workflow commands), the summaries, the comment line and the error.
func (h *harness) run(opts Options) (*Outcome, error) {
	h.t.Helper()
	if opts.SkillID == "" {
		opts.SkillID = testSkill
	}
	if opts.Schedule == (smapi.Schedule{}) {
		opts.Schedule = fast
	}
	if opts.Timeout == 0 {
		opts.Timeout = 5 * time.Second
	}
	opts.Progress = ActionProgress(h)
	out, err := Run(context.Background(), h.client, opts)
	if out == nil {
		h.t.Fatal("Run returned a nil Outcome")
	}
	if err != nil {
		io.WriteString(h, err.Error()+"\n")
	}
	if err := out.WriteMarkdown(h); err != nil {
		h.t.Fatalf("WriteMarkdown: %v", err)
	}
	if err := out.WriteText(h); err != nil {
		h.t.Fatalf("WriteText: %v", err)
	}
	io.WriteString(h, out.CommentLine(mergeSHA)+"\n")
	js, jerr := json.Marshal(out)
	if jerr != nil {
		h.t.Fatalf("MarshalJSON: %v", jerr)
	}
	h.Write(append(js, '\n'))
	return out, err
}

// live returns the simulator's development manifest and ETag.
func (h *harness) live() ([]byte, string) {
	h.t.Helper()
	body, etag, ok := h.sim.Manifest(testSkill, "development")
	if !ok {
		h.t.Fatal("the simulator lost the skill")
	}
	return body, etag
}

// requests returns "METHOD path" of every logged request to path.
func (h *harness) count(method, path string) int {
	n := 0
	for _, r := range h.sim.Requests() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

// plan puts a merged pull request with a plan comment for the current live
// manifest on the fake GitHub, as the plan step would have left it.
func (h *harness) plan() {
	h.t.Helper()
	body, etag := h.live()
	sum, err := jsoncanon.SHA256(body)
	if err != nil {
		h.t.Fatal(err)
	}
	pr := h.gh.AddPR(owner, repo, githubtest.PR{Number: 7, HeadSHA: "feedc0de"})
	h.gh.MergePR(owner, repo, pr.Number, mergeSHA)
	m := plan.Marker{Skill: testSkill, Stage: "development", ETag: etag, SHA256: sum}
	h.gh.AddComment(owner, repo, pr.Number, githubtest.User{Login: githubtest.DefaultUserLogin, ID: 1, Type: "User"}, m.String()+"\n## skillgate plan\n")
}

func (h *harness) planSource() *PlanSource {
	return &PlanSource{Finder: h.pc, Owner: owner, Repo: repo, SHA: mergeSHA}
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// edited returns testdata/skill.json with the en-US summary replaced.
func edited(t *testing.T, summary string) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(readFile(t, "testdata/skill.json"), &doc); err != nil {
		t.Fatal(err)
	}
	en := doc["manifest"].(map[string]any)["publishingInformation"].(map[string]any)["locales"].(map[string]any)["en-US"].(map[string]any)
	en["summary"] = summary
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sameManifest reports whether two manifests have the same canonical form.
func sameManifest(t *testing.T, a, b []byte) bool {
	t.Helper()
	ca, err := jsoncanon.Indent(a)
	if err != nil {
		t.Fatal(err)
	}
	cb, err := jsoncanon.Indent(b)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Equal(ca, cb)
}

func TestNormalDeploy(t *testing.T) {
	t.Parallel()
	h := setup(t, smapitest.WithBuildTime(20*time.Millisecond))
	_, before := h.live()
	local := edited(t, "Sets and tracks kitchen timers by voice.")

	out, err := h.run(Options{Manifest: local})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if out.Status != StatusSucceeded {
		t.Fatalf("Status = %s, want SUCCEEDED", out.Status)
	}
	body, after := h.live()
	if !sameManifest(t, body, local) {
		t.Errorf("the live manifest is not the repository's after the deploy:\n%s", body)
	}
	if out.ETagBefore != before || out.ETagAfter != after || before == after {
		t.Errorf("ETags before/after = %q/%q, want %q/%q (different)", out.ETagBefore, out.ETagAfter, before, after)
	}
	var puts []smapitest.Request
	for _, r := range h.sim.Requests() {
		if r.Method == http.MethodPut {
			puts = append(puts, r)
		}
	}
	if len(puts) != 1 || puts[0].Header.Get("If-Match") != before {
		t.Fatalf("want one PUT with If-Match %q, got %d: %+v", before, len(puts), puts)
	}
	if out.Changes.Count() != 1 {
		t.Errorf("Changes.Count() = %d, want 1", out.Changes.Count())
	}
	if !strings.Contains(h.output(), "::group::") || !strings.Contains(h.output(), "manifest: SUCCEEDED") {
		t.Errorf("progress lacks the build group or the SUCCEEDED line:\n%s", h.output())
	}
	if !strings.Contains(out.PlanNote, "No plan") {
		t.Errorf("PlanNote = %q, want it to say there was no plan", out.PlanNote)
	}
}

func TestNoChanges(t *testing.T) {
	t.Parallel()
	h := setup(t)
	_, etag := h.live()
	// Key order and spacing differ from live: still no change.
	var v any
	if err := json.Unmarshal(readFile(t, "testdata/skill.json"), &v); err != nil {
		t.Fatal(err)
	}
	compact, _ := json.Marshal(v)

	out, err := h.run(Options{Manifest: compact})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if out.Status != StatusNoChanges || out.Changed() {
		t.Fatalf("Status = %s, Changed = %v; want NO_CHANGES, false", out.Status, out.Changed())
	}
	if n := h.count(http.MethodPut, "/v1/skills/"+testSkill+"/stages/development/manifest"); n != 0 {
		t.Errorf("%d PUT requests, want none", n)
	}
	if out.ETagAfter != etag {
		t.Errorf("ETagAfter = %q, want the unchanged %q", out.ETagAfter, etag)
	}
}

func TestDrift(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		drift       string
		consoleEdit bool
		noPlan      bool
		wantStatus  string
		wantErr     bool
		wantNote    string
	}{
		{name: "no drift", drift: DriftFail, wantStatus: StatusSucceeded, wantNote: "is the one the plan"},
		{name: "no plan", drift: DriftFail, consoleEdit: true, noPlan: true, wantStatus: StatusSucceeded, wantNote: "No plan comment"},
		{name: "fail", drift: DriftFail, consoleEdit: true, wantStatus: StatusFailed, wantErr: true},
		{name: "warn", drift: DriftWarn, consoleEdit: true, wantStatus: StatusSucceeded, wantNote: "drift: warn"},
		{name: "ignore", drift: DriftIgnore, consoleEdit: true, wantStatus: StatusSucceeded, wantNote: "drift: ignore"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := setup(t)
			_, planned := h.live()
			if !tc.noPlan {
				h.plan()
			}
			if tc.consoleEdit {
				if _, err := h.sim.SetManifest(testSkill, "development", edited(t, "Edited in the console.")); err != nil {
					t.Fatal(err)
				}
			}
			consoleBody, consoleETag := h.live()
			out, err := h.run(Options{Manifest: edited(t, "From the repository."), Drift: tc.drift, Plan: h.planSource()})
			if (err != nil) != tc.wantErr {
				t.Fatalf("Run error = %v, want error %v", err, tc.wantErr)
			}
			if out.Status != tc.wantStatus {
				t.Errorf("Status = %s, want %s", out.Status, tc.wantStatus)
			}
			if !tc.noPlan && (out.Plan == nil || out.Plan.PR != 7) {
				t.Errorf("Plan = %+v, want pull request 7", out.Plan)
			}
			puts := h.count(http.MethodPut, "/v1/skills/"+testSkill+"/stages/development/manifest")
			if tc.wantErr {
				var re *RefusedError
				if !errors.As(err, &re) || re.Reason != "drift" {
					t.Fatalf("error = %#v, want a drift *RefusedError with exit code 1", err)
				}
				for _, want := range []string{planned, consoleETag, "pull request #7",
					"the plan did not show a change to /manifest/publishingInformation/locales/en-US/summary"} {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("the refusal does not name %q: %v", want, err)
					}
				}
				if puts != 0 {
					t.Errorf("%d PUT requests after a refusal, want none", puts)
				}
				if body, _ := h.live(); !bytes.Equal(body, consoleBody) {
					t.Error("the console edit did not survive the refusal")
				}
				if !strings.Contains(h.output(), "::error::deploy refused") {
					t.Errorf("no ::error:: annotation for the refusal:\n%s", h.output())
				}
				return
			}
			if puts != 1 {
				t.Errorf("%d PUT requests, want 1", puts)
			}
			if !strings.Contains(out.PlanNote, tc.wantNote) {
				t.Errorf("PlanNote = %q, want it to contain %q", out.PlanNote, tc.wantNote)
			}
			if tc.drift == DriftWarn && !strings.Contains(h.output(), "::warning::") {
				t.Errorf("drift: warn printed no ::warning::\n%s", h.output())
			}
		})
	}
}

// TestDriftSameContent: the ETag moved (someone saved the same manifest,
// which SMAPI may give a new ETag) but the content is the one expected; the
// sha256 wins and the deploy goes on. The simulator keeps the ETag of an
// identical manifest, so the expectation carries an older ETag instead.
func TestDriftSameContent(t *testing.T) {
	t.Parallel()
	h := setup(t)
	body, etag := h.live()
	sum, err := jsoncanon.SHA256(body)
	if err != nil {
		t.Fatal(err)
	}
	out, err := h.run(Options{Manifest: edited(t, "New."), ExpectETag: `"older"`, ExpectSHA256: sum})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if !strings.Contains(out.PlanNote, "manifest is the same") || !strings.Contains(out.PlanNote, etag) {
		t.Errorf("PlanNote = %q", out.PlanNote)
	}
	// The other way round: same ETag, different content is drift.
	h2 := setup(t)
	_, etag2 := h2.live()
	_, err = h2.run(Options{Manifest: edited(t, "New."), ExpectETag: etag2, ExpectSHA256: strings.Repeat("0", 64)})
	var re *RefusedError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want a drift refusal when the sha256 differs", err)
	}
}

func TestExpectETag(t *testing.T) {
	t.Parallel()
	h := setup(t)
	_, etag := h.live()
	out, err := h.run(Options{Manifest: edited(t, "New."), ExpectETag: "not-" + etag})
	var re *RefusedError
	if !errors.As(err, &re) || re.LiveETag != etag || re.PlannedETag != "not-"+etag {
		t.Fatalf("err = %v, want a refusal naming both ETags", err)
	}
	if out.Refused != "drift" {
		t.Errorf("Refused = %q", out.Refused)
	}
}

// interceptor runs before once just before the first request matching
// method and path is sent, then lets it through.
type interceptor struct {
	next         http.RoundTripper
	method, path string
	once         sync.Once
	before       func()
}

func (i *interceptor) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == i.method && strings.HasSuffix(r.URL.Path, i.path) {
		i.once.Do(i.before)
	}
	return i.next.RoundTrip(r)
}

// intercepted returns a client like h.client whose transport calls before
// just ahead of the first PUT of the manifest.
func (h *harness) intercepted(before func()) *smapi.Client {
	h.t.Helper()
	base := h.sim.Client()
	return h.newClientWith(&http.Client{Transport: &interceptor{next: base.Transport, method: http.MethodPut, path: "/stages/development/manifest", before: before}})
}

func TestPreconditionFailed(t *testing.T) {
	t.Parallel()
	h := setup(t)
	other := edited(t, "A teammate's change, saved between the read and the write.")
	h.client = h.intercepted(func() {
		if _, err := h.sim.SetManifest(testSkill, "development", other); err != nil {
			t.Error(err)
		}
	})
	_, before := h.live()
	out, err := h.run(Options{Manifest: edited(t, "Ours.")})
	var re *RefusedError
	if !errors.As(err, &re) || re.Reason != "precondition" {
		t.Fatalf("err = %v, want a precondition *RefusedError", err)
	}
	if !strings.Contains(err.Error(), before) || !strings.Contains(err.Error(), "never re-reads") {
		t.Errorf("the refusal should name the ETag read and say it is not retried: %v", err)
	}
	if body, _ := h.live(); !sameManifest(t, body, other) {
		t.Errorf("the teammate's change did not survive:\n%s", body)
	}
	if n := h.count(http.MethodPut, "/v1/skills/"+testSkill+"/stages/development/manifest"); n != 1 {
		t.Errorf("%d PUT requests, want exactly 1 (no retry after 412)", n)
	}
	if n := h.count(http.MethodGet, "/v1/skills/"+testSkill+"/stages/development/manifest"); n != 1 {
		t.Errorf("%d GET manifest requests, want 1 (no re-read after 412)", n)
	}
	if out.Status != StatusFailed || out.Refused != "precondition" {
		t.Errorf("Status, Refused = %s, %s", out.Status, out.Refused)
	}
}

// startOtherUpdate PUTs body with the live ETag, as another deploy would,
// leaving a build in progress.
func (h *harness) startOtherUpdate(body []byte) {
	h.t.Helper()
	_, etag := h.live()
	c := h.newClient()
	if _, err := c.UpdateManifest(context.Background(), testSkill, "development", body, smapi.IfMatch(etag)); err != nil {
		h.t.Errorf("the other update: %v", err)
	}
}

func (h *harness) newClient() *smapi.Client {
	c, err := smapi.NewClient(smapi.Config{
		BaseURL: h.sim.URL, LWAURL: h.sim.URL,
		ClientID: testClientID, ClientSecret: testClientSecret, RefreshToken: testRefreshToken,
		HTTPClient: h.sim.Client(),
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

func TestConflictThenSuccess(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		sameBody bool
		wantErr  bool
	}{
		// The other update saved the same manifest: still the planned one.
		{name: "same manifest", sameBody: true},
		// The other update changed it: drift, refused with drift: fail.
		{name: "changed manifest", wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// The other update's build must still run when our PUT lands
			// (the 409), even on a loaded machine: a second, not milliseconds.
			h := setup(t, smapitest.WithBuildTime(time.Second))
			live, _ := h.live()
			other := live
			if !tc.sameBody {
				other = edited(t, "Another deploy's change.")
			}
			if tc.sameBody {
				h.client = h.intercepted(func() { h.startOtherUpdate(other) })
			} else {
				// A changed manifest under our stale If-Match would get 412;
				// script the 409 to see the re-read catch the change.
				h.client = h.intercepted(func() {
					if _, err := h.sim.SetManifest(testSkill, "development", other); err != nil {
						t.Error(err)
					}
					h.sim.Fault(smapitest.Fault{Method: http.MethodPut, Path: "/v1/skills/" + testSkill + "/stages/development/manifest", Status: http.StatusConflict})
				})
			}
			local := edited(t, "Ours.")
			out, err := h.run(Options{Manifest: local})
			if !strings.Contains(h.output(), "409") {
				t.Errorf("the progress does not mention the 409:\n%s", h.output())
			}
			if tc.wantErr {
				var re *RefusedError
				if !errors.As(err, &re) || re.Reason != "drift" {
					t.Fatalf("err = %v, want a drift refusal", err)
				}
				if body, _ := h.live(); !sameManifest(t, body, other) {
					t.Error("the other update did not survive")
				}
				return
			}
			if err != nil || out.Status != StatusSucceeded {
				t.Fatalf("Run = %s, %v; want SUCCEEDED", out.Status, err)
			}
			if body, _ := h.live(); !sameManifest(t, body, local) {
				t.Errorf("the live manifest is not ours:\n%s", body)
			}
			if n := h.count(http.MethodPut, "/v1/skills/"+testSkill+"/stages/development/manifest"); n != 3 {
				// The other update's PUT, our 409, our retry.
				t.Errorf("%d PUT requests, want 3", n)
			}
		})
	}
}

// TestConflictDriftWarn: with drift: warn, a manifest changed by the update
// that held the 409 is compared again (under the plan's names) and
// overwritten with the If-Match of the new read.
func TestConflictDriftWarn(t *testing.T) {
	t.Parallel()
	h := setup(t, smapitest.WithBuildTime(30*time.Millisecond))
	other := edited(t, "Another deploy's change.")
	h.client = h.intercepted(func() {
		if _, err := h.sim.SetManifest(testSkill, "development", other); err != nil {
			t.Error(err)
		}
		h.sim.Fault(smapitest.Fault{Method: http.MethodPut, Path: manifestPath, Status: http.StatusConflict})
	})
	local := edited(t, "Ours.")
	out, err := h.run(Options{Manifest: local, Drift: DriftWarn})
	if err != nil || out.Status != StatusSucceeded || out.DriftWarning == "" {
		t.Fatalf("Run = %s, %v, warning %q; want SUCCEEDED with a drift warning", out.Status, err, out.DriftWarning)
	}
	if body, _ := h.live(); !sameManifest(t, body, local) {
		t.Errorf("the live manifest is not ours:\n%s", body)
	}
	if !strings.HasPrefix(out.Changes.Unified, "--- smapi:"+testSkill+"/development\n+++ skill.json\n") || !strings.Contains(out.Changes.Unified, "Another deploy") {
		t.Errorf("the changes are not against the newer live manifest:\n%.300s", out.Changes.Unified)
	}
}

func TestTransientErrorsDuringWait(t *testing.T) {
	t.Parallel()
	status := "/v1/skills/" + testSkill + "/status"
	h := setup(t,
		smapitest.WithBuildTime(40*time.Millisecond),
		// Retried inside the client.
		smapitest.WithFault(smapitest.Fault{Method: http.MethodGet, Path: status, Status: http.StatusTooManyRequests, RetryAfter: "0", Times: 1}),
		smapitest.WithFault(smapitest.Fault{Method: http.MethodGet, Path: status, Status: http.StatusServiceUnavailable, Times: 1}),
		// Outlasting the client's three attempts: the wait goes on.
		smapitest.WithFault(smapitest.Fault{Method: http.MethodGet, Path: status, Status: http.StatusInternalServerError, Times: 3}),
	)
	out, err := h.run(Options{Manifest: edited(t, "New.")})
	if err != nil || out.Status != StatusSucceeded {
		t.Fatalf("Run = %s, %v; want SUCCEEDED despite 429/5xx", out.Status, err)
	}
	if !strings.Contains(h.output(), "status unavailable (500)") {
		t.Errorf("no progress line for the 500s that outlasted the retries:\n%s", h.output())
	}
	statuses := map[int]int{}
	for _, r := range h.sim.Requests() {
		if r.Path == status {
			statuses[r.Status]++
		}
	}
	if statuses[429] != 1 || statuses[503] != 1 || statuses[500] != 3 || statuses[200] == 0 {
		t.Errorf("status answers = %v", statuses)
	}
}

func TestFailedBuild(t *testing.T) {
	t.Parallel()
	msgs := []string{"Please provide a valid url having a valid image for small icon or large icon", "Small icon size should be 108*108.\nLarge icon size should be 512*512."}
	h := setup(t, smapitest.WithBuildOutcome(smapitest.BuildOutcome{Errors: msgs, Duration: 10 * time.Millisecond}))
	out, err := h.run(Options{Manifest: edited(t, "New.")})
	var be *BuildError
	if !errors.As(err, &be) || be.TimedOut {
		t.Fatalf("err = %v, want a failed *BuildError", err)
	}
	if out.Status != StatusFailed {
		t.Errorf("Status = %s", out.Status)
	}
	want := []string{"manifest: " + msgs[0], "manifest: " + msgs[1]}
	if diff := cmp.Diff(want, be.Messages); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	// Each message is one annotation, its newline escaped.
	for _, w := range []string{"::error::manifest: " + msgs[0] + "\n", "::error::manifest: Small icon size should be 108*108.%0ALarge icon"} {
		if !strings.Contains(h.output(), w) {
			t.Errorf("output lacks %q:\n%s", w, h.output())
		}
	}
}

func TestHungBuildTimesOut(t *testing.T) {
	t.Parallel()
	h := setup(t, smapitest.WithBuildOutcome(smapitest.BuildOutcome{Never: true}))
	start := time.Now()
	out, err := h.run(Options{Manifest: edited(t, "New."), Timeout: 60 * time.Millisecond})
	var be *BuildError
	if !errors.As(err, &be) || !be.TimedOut {
		t.Fatalf("err = %v, want a timeout *BuildError", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("the timeout took %s", took)
	}
	if diff := cmp.Diff([]string{"manifest"}, be.InProgress); diff != "" {
		t.Errorf("InProgress (-want +got):\n%s", diff)
	}
	if !strings.Contains(err.Error(), "still IN_PROGRESS: manifest") || !strings.Contains(err.Error(), "skillgate status --skill-id "+testSkill+" --wait") || out.Status != StatusFailed {
		t.Errorf("err = %v, Status = %s", err, out.Status)
	}
}

func TestCertification(t *testing.T) {
	t.Parallel()
	h := setup(t)
	out, err := h.run(Options{Manifest: edited(t, "New."), Submit: SubmitCertification})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if out.Certification != "SUBMITTED" {
		t.Errorf("Certification = %q", out.Certification)
	}
	if n := h.count(http.MethodPost, "/v1/skills/"+testSkill+"/submit"); n != 1 {
		t.Errorf("%d POST /submit, want 1", n)
	}
}

func TestScheduledPublication(t *testing.T) {
	t.Parallel()
	h := setup(t)
	// Only a certified skill can be published: certify it first, with
	// manual publishing so the certification does not publish it itself.
	if _, err := h.newClient().SubmitCertification(context.Background(), testSkill, smapi.CertificationOptions{PublicationMethod: smapi.ManualPublishing}); err != nil {
		t.Fatal(err)
	}
	h.sim.ResetRequests()
	at := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	out, err := h.run(Options{Manifest: edited(t, "New."), Submit: SubmitPublication, PublishesAt: at})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if out.Publication == nil || out.Publication.Status != "SCHEDULED" || !out.Publication.PublishesAt.Equal(at) {
		t.Fatalf("Publication = %+v, want SCHEDULED at %s", out.Publication, at)
	}
	var posted bool
	for _, r := range h.sim.Requests() {
		if r.Method == http.MethodPost && r.Path == "/v1/skills/"+testSkill+"/publications" {
			posted = strings.Contains(string(r.Body), at.Format(time.RFC3339)[:16])
		}
	}
	if !posted {
		t.Error("no POST /publications carrying publishesAt")
	}
	if n := h.count(http.MethodGet, "/v1/skills/"+testSkill+"/publications/~latest"); n != 1 {
		t.Errorf("%d reads of ~latest, want 1 (SCHEDULED is final)", n)
	}
}

func TestConfigErrorsBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		opts Options
		want string
	}{
		{"publishes-at in the past", Options{Submit: SubmitPublication, PublishesAt: now.Add(-time.Minute)}, "not in the future"},
		{"publishes-at too far", Options{Submit: SubmitPublication, PublishesAt: now.AddDate(0, 6, 1)}, "more than six months"},
		{"publishes-at without publication", Options{Submit: SubmitCertification, PublishesAt: now.Add(time.Hour)}, "only applies to a publication"},
		{"bad submit", Options{Submit: "later"}, "not a submission mode"},
		{"bad drift", Options{Drift: "maybe"}, "not a drift mode"},
		{"live stage", Options{Stage: "live"}, "not writable"},
		{"no skill", Options{SkillID: "-"}, "skill-id"},
		{"not JSON", Options{Manifest: []byte("{")}, "not valid JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := setup(t)
			tc.opts.Now = func() time.Time { return now }
			if tc.opts.Manifest == nil {
				tc.opts.Manifest = edited(t, "New.")
			}
			if tc.opts.SkillID == "-" {
				tc.opts.SkillID = ""
				tc.opts.Progress = ActionProgress(h)
				_, err := Run(context.Background(), h.client, tc.opts)
				checkConfigError(t, err, tc.want)
			} else {
				_, err := h.run(tc.opts)
				checkConfigError(t, err, tc.want)
			}
			if n := len(h.sim.Requests()); n != 0 {
				t.Errorf("%d requests were sent, want none", n)
			}
		})
	}
}

func checkConfigError(t *testing.T, err error, want string) {
	t.Helper()
	var ce *ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a *ConfigError (exit 2)", err)
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v, want it to contain %q", err, want)
	}
}

func TestPublishesAtBounds(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		at time.Time
		ok bool
	}{
		{time.Time{}, true},
		{now.Add(time.Second), true},
		{now.AddDate(0, 6, 0), true},
		{now, false},
		{now.AddDate(0, 6, 0).Add(time.Second), false},
	} {
		err := CheckPublishesAt(SubmitPublication, tc.at, now)
		if (err == nil) != tc.ok {
			t.Errorf("CheckPublishesAt(%s) = %v, want ok %v", tc.at, err, tc.ok)
		}
	}
}

func TestParsePublishesAt(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, submit string
		want       time.Time
		err        string // the whole message, "" when valid
	}{
		{"", SubmitNone, time.Time{}, ""},
		{"", SubmitPublication, time.Time{}, ""},
		{"2026-12-01T09:00:00+01:00", SubmitPublication, time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC), ""},
		{"tomorrow", SubmitPublication, time.Time{}, `publishes-at: "tomorrow" is not an RFC 3339 time: write it like 2026-01-31T09:00:00Z`},
		{"2026-12-01T09:00:00Z", SubmitCertification, time.Time{}, "publishes-at: only applies to a publication: add --submit publication (Action input submit: publication) or drop it"},
		{"2026-12-01T09:00:00Z", SubmitNone, time.Time{}, "publishes-at: only applies to a publication: add --submit publication (Action input submit: publication) or drop it"},
	} {
		got, err := ParsePublishesAt(tc.in, tc.submit)
		switch {
		case tc.err == "" && (err != nil || !got.Equal(tc.want)):
			t.Errorf("ParsePublishesAt(%q, %q) = %s, %v; want %s", tc.in, tc.submit, got, err, tc.want)
		case tc.err != "" && (!errors.As(err, new(*ConfigError)) || err.Error() != tc.err):
			t.Errorf("ParsePublishesAt(%q, %q) error = %v, want %q (exit 2)", tc.in, tc.submit, err, tc.err)
		}
	}
}

func TestGoldenSummary(t *testing.T) {
	t.Parallel()
	live := readFile(t, "testdata/skill.json")
	changes, err := diff.Compare(edited(t, "Sets | tracks <kitchen> timers."), live, diff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	base := Outcome{
		SkillID: testSkill, Stage: "development", SHA: mergeSHA, Submit: SubmitPublication,
		ETagBefore: "etag-1", ETagAfter: "etag-2", Changes: changes,
		Steps: []StepTiming{
			{"find the plan", "FOUND", 12 * time.Millisecond},
			{"read the live manifest", "OK", 80 * time.Millisecond},
			{"update the manifest", "ACCEPTED", 120 * time.Millisecond},
			{"build", "SUCCEEDED", 3400 * time.Millisecond},
			{"submit for publication", "ACCEPTED", 90 * time.Millisecond},
		},
		Plan:        &PlanComment{PR: 7, PRURL: "https://github.com/acme/kitchen-timer/pull/7", CommentURL: "https://github.com/acme/kitchen-timer/pull/7#issuecomment-1"},
		PlanNote:    "The live manifest is the one the plan on pull request #7 showed (ETag etag-1); deploying.",
		Publication: &Publication{Status: "SCHEDULED", PublishesAt: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)},
	}
	succeeded := base
	succeeded.Status = StatusSucceeded
	refused := base
	refused.Status, refused.Refused, refused.ETagAfter, refused.Publication, refused.Steps = StatusFailed, "drift", "", nil, base.Steps[:2]
	refused.PlanNote = ""
	refused.Errors = []string{"deploy refused: the live manifest changed since the plan: expected ETag etag-0, found ETag etag-1"}
	withModels := base
	withModels.Status, withModels.Submit, withModels.Publication = StatusFailed, SubmitNone, nil
	withModels.Changes = modelChanges(t, changes)
	withModels.Steps = append(base.Steps[1:3:3], StepTiming{"update the de-DE model", "ACCEPTED", 40 * time.Millisecond},
		StepTiming{"update the en-US model", "ACCEPTED", 45 * time.Millisecond}, StepTiming{"build", "FAILED", 2 * time.Second})
	withModels.Models = []ModelOutcome{
		{Locale: "de-DE", New: true, Changed: true, Summary: withModels.Changes.Models[0].Summary(), SHA256Before: plan.NoModel, Written: true, Build: "FAILED",
			Steps:  []BuildStep{{"DIALOG_MODEL_BUILD", "SUCCEEDED"}, {"LANGUAGE_MODEL_QUICK_BUILD", "FAILED"}},
			Errors: []string{"Sample utterance \"stelle | einen <timer>\" is invalid"}},
		{Locale: "en-US", Changed: true, Summary: withModels.Changes.Models[1].Summary(), ETagBefore: "m-1", SHA256Before: "ab", Written: true, Build: "SUCCEEDED",
			Steps: []BuildStep{{"DIALOG_MODEL_BUILD", "SUCCEEDED"}, {"LANGUAGE_MODEL_QUICK_BUILD", "SUCCEEDED"}, {"LANGUAGE_MODEL_FULL_BUILD", "SUCCEEDED"}}},
		{Locale: "fr-FR", Summary: "no changes", ETagBefore: "m-2", SHA256Before: "cd"},
	}
	withModels.LeftAlone = []string{"ja-JP"}
	withModels.Errors = []string{"the build FAILED: interactionModel de-DE: Sample utterance \"stelle | einen <timer>\" is invalid"}
	for _, tc := range []struct {
		name string
		o    Outcome
	}{{"succeeded", succeeded}, {"refused", refused}, {"models", withModels}} {
		var md, txt bytes.Buffer
		if err := tc.o.WriteMarkdown(&md); err != nil {
			t.Fatal(err)
		}
		if err := tc.o.WriteText(&txt); err != nil {
			t.Fatal(err)
		}
		md.WriteString("\n---- text ----\n")
		md.Write(txt.Bytes())
		md.WriteString("\n---- comment line ----\n" + tc.o.CommentLine(mergeSHA) + "\n")
		golden.Check(t, filepath.Join("testdata", "summary-"+tc.name+".golden"), md.Bytes())
	}
}

// modelChanges is changes plus a new de-DE model and a changed en-US one.
func modelChanges(t *testing.T, changes *diff.Result) *diff.Result {
	t.Helper()
	c := *changes
	de, err := diff.CompareModel("de-DE", readFile(t, "testdata/model-de-DE.json"), nil, diff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	en, err := diff.CompareModel("en-US", withSample(t, "en-US", "start a {duration} timer"), readFile(t, "testdata/model-en-US.json"), diff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c.Models = nil
	c.AddModels(de, en)
	return &c
}

func TestCommentLineIsOneLine(t *testing.T) {
	o := &Outcome{Status: StatusFailed, Stage: "development", Errors: []string{"first\nsecond"}}
	if l := o.CommentLine(mergeSHA); strings.ContainsAny(l, "\r\n") || !strings.Contains(l, "`3f78685`") {
		t.Errorf("CommentLine = %q", l)
	}
}

// TestRequestCountRealSchedule runs a deploy whose build takes 3 s on
// the real schedule (1 s, ×1.5, at most 10 s) and counts what it sent:
// one token request for the whole deploy, and status polls at 1 s, 2.5 s
// and 4.75 s after the update, the third seeing SUCCEEDED. The README
// quotes the count.
func TestRequestCountRealSchedule(t *testing.T) {
	if testing.Short() {
		t.Skip("takes 5 s of real time")
	}
	t.Parallel()
	// Polls come 1 s, 2.5 s and 4.75 s after the PUT; a 3.6 s build sits
	// about a second from the second and the third, so a loaded machine
	// still sees two IN_PROGRESS answers and one SUCCEEDED.
	h := setup(t, smapitest.WithBuildTime(3600*time.Millisecond))
	out, err := h.run(Options{Manifest: edited(t, "New."), Schedule: smapi.BuildSchedule, Timeout: time.Minute})
	if err != nil || out.Status != StatusSucceeded {
		t.Fatalf("Run = %s, %v", out.Status, err)
	}
	reqs := h.sim.Requests()
	counts := map[string]int{}
	var polls []time.Time
	var put time.Time
	for _, r := range reqs {
		key := r.Method + " " + strings.ReplaceAll(r.Path, testSkill, "{id}")
		counts[key]++
		switch {
		case r.Method == http.MethodPut:
			put = r.Time
		case strings.HasSuffix(r.Path, "/status"):
			polls = append(polls, r.Time)
		}
	}
	want := map[string]int{
		"POST /auth/o2/token":                             1,
		"GET /v1/skills/{id}/stages/development/manifest": 2, // the read, and the new ETag
		"PUT /v1/skills/{id}/stages/development/manifest": 1,
		"GET /v1/skills/{id}/status":                      3,
	}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	t.Logf("a deploy with a 3.6 s build sent %d requests: %v", len(reqs), counts)
	// Never more often than the schedule: each gap at least the planned wait.
	prev, wait := put, time.Second
	for i, p := range polls {
		if gap := p.Sub(prev); gap < wait-5*time.Millisecond {
			t.Errorf("status poll %d came %s after the previous request, want at least %s", i+1, gap, wait)
		}
		prev, wait = p, smapi.BuildSchedule.Next(wait)
	}
}

func TestRefusedCredentials(t *testing.T) {
	t.Parallel()
	h := setup(t)
	c, err := smapi.NewClient(smapi.Config{
		BaseURL: h.sim.URL, LWAURL: h.sim.URL,
		ClientID: testClientID, ClientSecret: testClientSecret + "-wrong", RefreshToken: testRefreshToken,
		HTTPClient: h.sim.Client(), Debug: h,
		Retry: smapi.RetryPolicy{MaxAttempts: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	h.client = c
	out, err := h.run(Options{Manifest: edited(t, "New.")})
	var le *smapi.LWAError
	if !errors.As(err, &le) || !le.Refused() {
		t.Fatalf("err = %v, want the refusal of the credentials", err)
	}
	if out.Status != StatusFailed || h.count(http.MethodPut, "/v1/skills/"+testSkill+"/stages/development/manifest") != 0 {
		t.Errorf("Status = %s; a PUT was sent or the status is wrong", out.Status)
	}
	if strings.Contains(err.Error(), testClientSecret) {
		t.Errorf("the error shows the client secret: %v", err)
	}
}

// BenchmarkDeploy measures a whole deploy (token, read, diff, PUT, one
// status poll, read back) against the in-process simulator with an instant
// build.
func BenchmarkDeploy(b *testing.B) {
	sim := smapitest.NewServer(
		smapitest.WithCredentials(testClientID, testClientSecret, testRefreshToken),
		smapitest.WithSkill(testSkill, mustRead(b, "testdata/skill.json")),
		smapitest.WithRequestLogLimit(100),
	)
	defer sim.Close()
	client, err := smapi.NewClient(smapi.Config{
		BaseURL: sim.URL, LWAURL: sim.URL,
		ClientID: testClientID, ClientSecret: testClientSecret, RefreshToken: testRefreshToken,
		HTTPClient: sim.Client(),
	})
	if err != nil {
		b.Fatal(err)
	}
	manifests := [2][]byte{
		bytes.Replace(mustRead(b, "testdata/skill.json"), []byte("Sets kitchen timers"), []byte("Sets timers"), 1),
		mustRead(b, "testdata/skill.json"),
	}
	sched := smapi.Schedule{Initial: time.Microsecond, Factor: 1.5, Max: time.Millisecond, Heartbeat: time.Second}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		// Alternate so every iteration really changes the skill.
		out, err := Run(context.Background(), client, Options{SkillID: testSkill, Manifest: manifests[i%2], Schedule: sched})
		if err != nil || out.Status != StatusSucceeded {
			b.Fatalf("Run = %s, %v", out.Status, err)
		}
	}
}

func mustRead(b *testing.B, name string) []byte {
	b.Helper()
	raw, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	return raw
}

// TestProgressLines: a line at each change and, between changes, at least
// every Heartbeat; not one per poll.
func TestProgressLines(t *testing.T) {
	t.Parallel()
	// Two schedules that do not depend on how fast this machine polls: with a
	// heartbeat longer than the build, the wait prints the first IN_PROGRESS
	// line and SUCCEEDED only, however many polls it makes; with a heartbeat
	// shorter than any poll interval, every IN_PROGRESS poll after the first
	// prints a heartbeat line too.
	for _, tc := range []struct {
		name      string
		heartbeat time.Duration
		lines     func(polls int) (min, max int)
	}{
		{"quiet", time.Hour, func(int) (int, int) { return 1, 1 }},
		{"heartbeat", time.Nanosecond, func(polls int) (int, int) { return 2, polls }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := setup(t, smapitest.WithBuildTime(300*time.Millisecond))
			sched := smapi.Schedule{Initial: 2 * time.Millisecond, Factor: 1.5, Max: 5 * time.Millisecond, Heartbeat: tc.heartbeat}
			if _, err := h.run(Options{Manifest: edited(t, "New."), Schedule: sched}); err != nil {
				t.Fatal(err)
			}
			polls := h.count(http.MethodGet, "/v1/skills/"+testSkill+"/status")
			inProgress := strings.Count(h.output(), "  manifest: IN_PROGRESS (")
			succeeded := strings.Count(h.output(), "  manifest: SUCCEEDED (")
			lo, hi := tc.lines(polls)
			if succeeded != 1 || inProgress < lo || inProgress > hi {
				t.Errorf("%d polls gave %d IN_PROGRESS and %d SUCCEEDED lines; want %d to %d IN_PROGRESS lines and one SUCCEEDED", polls, inProgress, succeeded, lo, hi)
			}
			if !strings.Contains(h.output(), "::group::Waiting for the build") || !strings.Contains(h.output(), "::endgroup::") {
				t.Error("the wait is not inside a group")
			}
		})
	}
}

// TestCommentLineAppended: the merged pull request's plan comment gains the
// deploy's result line, once, through prcomment.
func TestCommentLineAppended(t *testing.T) {
	t.Parallel()
	h := setup(t)
	h.plan()
	out, err := h.run(Options{Manifest: edited(t, "New."), Plan: h.planSource()})
	if err != nil || out.Plan == nil {
		t.Fatalf("Run = %v, plan %+v", err, out.Plan)
	}
	line := out.CommentLine(mergeSHA)
	for range 2 { // a re-run adds nothing
		if err := h.pc.AppendToComment(context.Background(), owner, repo, out.Plan.CommentID, line); err != nil {
			t.Fatal(err)
		}
	}
	c, ok := h.gh.Comment(owner, repo, out.Plan.CommentID)
	if !ok || strings.Count(c.Body, line) != 1 || !strings.Contains(line, out.ETagAfter) || !strings.HasPrefix(line, "✅ **Deployed** `3f78685`") {
		t.Errorf("comment body:\n%s\nwant the line %q once", c.Body, line)
	}
	io.WriteString(h, c.Body)
}

// TestUnplanned: the refusal names the fields the plan's table did not show,
// and nothing when every change was planned.
func TestUnplanned(t *testing.T) {
	t.Parallel()
	live := readFile(t, "testdata/skill.json")
	changes, err := diff.Compare(edited(t, "New."), live, diff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const ptr = "/manifest/publishingInformation/locales/en-US/summary"
	for _, tc := range []struct {
		body, want string
	}{
		{"<!-- marker -->\n| <code>" + ptr + "</code> | changed |", ""},
		{"<!-- marker -->\nno table", "; the plan did not show a change to " + ptr},
	} {
		if got := unplanned(&PlanComment{Body: tc.body}, changes); got != tc.want {
			t.Errorf("unplanned(%q) = %q, want %q", tc.body, got, tc.want)
		}
	}
	if got := unplanned(nil, changes); got != "" {
		t.Errorf("unplanned(nil plan) = %q, want empty", got)
	}
}

// TestKeepsLiveAssetsAndEndpoints: a repository with a file:// icon and an
// endpoint left to the infrastructure (no uri) deploys its other changes
// and never removes the live icon or endpoint.
func TestKeepsLiveAssetsAndEndpoints(t *testing.T) {
	t.Parallel()
	h := setup(t)
	var doc map[string]any
	if err := json.Unmarshal(edited(t, "From the repository."), &doc); err != nil {
		t.Fatal(err)
	}
	m := doc["manifest"].(map[string]any)
	en := m["publishingInformation"].(map[string]any)["locales"].(map[string]any)["en-US"].(map[string]any)
	en["smallIconUri"] = "file://assets/images/small.png"
	m["apis"].(map[string]any)["custom"] = map[string]any{"endpoint": map[string]any{"sourceDir": "lambda"}}
	local, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	out, err := h.run(Options{Manifest: local})
	if err != nil || out.Status != StatusSucceeded {
		t.Fatalf("Run = %s, %v", out.Status, err)
	}
	body, _ := h.live()
	var live struct {
		Manifest struct {
			PublishingInformation struct {
				Locales map[string]struct {
					Summary      string `json:"summary"`
					SmallIconURI string `json:"smallIconUri"`
				} `json:"locales"`
			} `json:"publishingInformation"`
			APIs struct {
				Custom struct {
					Endpoint map[string]any `json:"endpoint"`
				} `json:"custom"`
			} `json:"apis"`
		} `json:"manifest"`
	}
	if err := json.Unmarshal(body, &live); err != nil {
		t.Fatal(err)
	}
	got := live.Manifest.PublishingInformation.Locales["en-US"]
	if got.Summary != "From the repository." {
		t.Errorf("summary = %q, want the repository's", got.Summary)
	}
	if got.SmallIconURI != "https://example.com/icons/small.png" {
		t.Errorf("smallIconUri = %q, want the live https icon kept", got.SmallIconURI)
	}
	if uri := live.Manifest.APIs.Custom.Endpoint["uri"]; uri != "arn:aws:lambda:us-east-1:123456789012:function:kitchen-timer" {
		t.Errorf("endpoint uri = %v, want the live one kept", uri)
	}
}

func TestCodeSpan(t *testing.T) {
	for in, want := range map[string]string{
		"":        "–",
		"etag":    "`etag`",
		"a`b":     "`` a`b ``",
		"a``b`":   "``` a``b` ```",
		"``x``":   "``` ``x`` ```",
		"W/\"1\"": "`W/\"1\"`",
	} {
		if got := code(in); got != want {
			t.Errorf("code(%q) = %q, want %q", in, got, want)
		}
	}
}
