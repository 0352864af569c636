package deploy

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/skillgate/skillgate/internal/githubtest"
	"github.com/skillgate/skillgate/internal/jsoncanon"
	"github.com/skillgate/skillgate/internal/plan"
	"github.com/skillgate/skillgate/internal/smapi"
	"github.com/skillgate/skillgate/internal/smapitest"
	"github.com/skillgate/skillgate/internal/validate"
)

func modelPath(locale string) string {
	return "/v1/skills/" + testSkill + "/stages/development/interactionModel/locales/" + locale
}

var manifestPath = "/v1/skills/" + testSkill + "/stages/development/manifest"

// withModels preloads the live en-US and de-DE models from testdata.
func withModels(t *testing.T) []smapitest.Option {
	return []smapitest.Option{
		smapitest.WithInteractionModel(testSkill, "development", "en-US", readFile(t, "testdata/model-en-US.json")),
		smapitest.WithInteractionModel(testSkill, "development", "de-DE", readFile(t, "testdata/model-de-DE.json")),
	}
}

// withSample returns testdata's model of locale with one more sample for
// SetTimerIntent.
func withSample(t *testing.T, locale, sample string) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(readFile(t, "testdata/model-"+locale+".json"), &doc); err != nil {
		t.Fatal(err)
	}
	intent := doc["interactionModel"].(map[string]any)["languageModel"].(map[string]any)["intents"].([]any)[0].(map[string]any)
	intent["samples"] = append(intent["samples"].([]any), sample)
	b, err := json.MarshalIndent(doc, "", "    ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// liveModel returns the simulator's development model of locale and its ETag.
func (h *harness) liveModel(locale string) ([]byte, string) {
	h.t.Helper()
	body, etag, ok := h.sim.InteractionModel(testSkill, "development", locale)
	if !ok {
		h.t.Fatalf("the simulator has no %s model", locale)
	}
	return body, etag
}

// puts returns the PUT requests in the order they were sent.
func (h *harness) puts() []smapitest.Request {
	var out []smapitest.Request
	for _, r := range h.sim.Requests() {
		if r.Method == http.MethodPut {
			out = append(out, r)
		}
	}
	return out
}

// planModels is plan with the model hashes a plan of the current live
// skill records for locales.
func (h *harness) planModels(locales ...string) {
	h.t.Helper()
	pkg := &validate.Package{Models: map[string]*validate.Document{}}
	for _, l := range locales {
		pkg.Models[l] = &validate.Document{Path: l + ".json"}
	}
	made, err := plan.New(context.Background(), h.client, &validate.Result{Package: pkg}, plan.Options{SkillID: testSkill, Stage: "development"})
	if err != nil {
		h.t.Fatal(err)
	}
	pr := h.gh.AddPR(owner, repo, githubtest.PR{Number: 7, HeadSHA: "feedc0de"})
	h.gh.MergePR(owner, repo, pr.Number, mergeSHA)
	m := made.Marker
	h.gh.AddComment(owner, repo, pr.Number, githubtest.User{Login: githubtest.DefaultUserLogin, ID: 1, Type: "User"}, m.String()+"\n## skillgate plan\n")
	h.sim.ResetRequests()
}

// TestModelsDeployThreeWrites: the manifest and two locales changed give
// exactly three writes (manifest first, each with the If-Match of its own
// read), one wait covering all three, and both builds' steps reported. A
// live locale the repository lacks is left alone.
func TestModelsDeployThreeWrites(t *testing.T) {
	t.Parallel()
	frFR := []byte(`{"interactionModel":{"languageModel":{"invocationName":"minuteur","intents":[]}}}`)
	h := setup(t, append(withModels(t), smapitest.WithBuildTime(150*time.Millisecond),
		smapitest.WithInteractionModel(testSkill, "development", "fr-FR", frFR))...)
	_, manifestETag := h.live()
	_, enETag := h.liveModel("en-US")
	_, deETag := h.liveModel("de-DE")
	local := edited(t, "Sets and tracks kitchen timers by voice.")
	en, de := withSample(t, "en-US", "start a {duration} timer"), withSample(t, "de-DE", "timer für {duration}")

	out, err := h.run(Options{Manifest: local, Models: map[string][]byte{"en-US": en, "de-DE": de}})
	if err != nil || out.Status != StatusSucceeded {
		t.Fatalf("Run = %s, %v", out.Status, err)
	}
	var got []string
	for _, p := range h.puts() {
		got = append(got, p.Path+" If-Match "+p.Header.Get("If-Match"))
	}
	want := []string{
		manifestPath + " If-Match " + manifestETag,
		modelPath("de-DE") + " If-Match " + deETag,
		modelPath("en-US") + " If-Match " + enETag,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("writes (-want +got):\n%s", d)
	}
	if n := strings.Count(h.output(), "::group::Waiting for the build"); n != 1 {
		t.Errorf("%d waits, want one covering every write", n)
	}
	var polled []string
	for _, r := range h.sim.Requests() {
		if strings.HasSuffix(r.Path, "/status") && r.Query.Has("resource") {
			polled = append(polled, strings.Join(r.Query["resource"], "+"))
		}
	}
	if !slices.Contains(polled, "manifest+interactionModel") {
		t.Errorf("the wait never asked for the manifest and the models together: %v", polled)
	}
	for _, loc := range []string{"en-US", "de-DE"} {
		line := "  interactionModel " + loc + ": SUCCEEDED (DIALOG_MODEL_BUILD SUCCEEDED, LANGUAGE_MODEL_QUICK_BUILD SUCCEEDED, LANGUAGE_MODEL_FULL_BUILD SUCCEEDED)"
		if !strings.Contains(h.output(), line) {
			t.Errorf("progress lacks %q", line)
		}
		m := modelOutcome(t, out, loc)
		if !m.Written || m.Build != "SUCCEEDED" || len(m.Steps) != 3 || m.Steps[2] != (BuildStep{"LANGUAGE_MODEL_FULL_BUILD", "SUCCEEDED"}) {
			t.Errorf("%s outcome = %+v", loc, m)
		}
		body, _ := h.liveModel(loc)
		if !sameManifest(t, body, map[string][]byte{"en-US": en, "de-DE": de}[loc]) {
			t.Errorf("the live %s model is not the repository's", loc)
		}
	}
	if !strings.Contains(h.output(), "  interactionModel en-US: IN_PROGRESS (DIALOG_MODEL_BUILD ") {
		t.Errorf("no progress line with the steps of a build in progress:\n%s", h.output())
	}
	if out.Changes.Count() != 3 || out.Changes.ManifestCount() != 1 {
		t.Errorf("Count, ManifestCount = %d, %d; want 3, 1", out.Changes.Count(), out.Changes.ManifestCount())
	}
	if d := cmp.Diff([]string{"fr-FR"}, out.LeftAlone); d != "" || !strings.Contains(h.output(), "Left alone: the live skill has interaction models for fr-FR") {
		t.Errorf("LeftAlone (-want +got):\n%s", d)
	}
	if _, _, ok := h.sim.InteractionModel(testSkill, "development", "fr-FR"); !ok {
		t.Error("the fr-FR model the repository lacks was deleted")
	}
	md, _ := out.Markdown()
	for _, w := range []string{"### Interaction models", "| `en-US` | 1 sample added | yes | **SUCCEEDED**: DIALOG_MODEL_BUILD SUCCEEDED, LANGUAGE_MODEL_QUICK_BUILD SUCCEEDED, LANGUAGE_MODEL_FULL_BUILD SUCCEEDED |", "Left alone (live, not in the repository): `fr-FR`."} {
		if !strings.Contains(md, w) {
			t.Errorf("summary lacks %q:\n%s", w, md)
		}
	}
	if line := out.CommentLine(mergeSHA); !strings.Contains(line, "3 changes") || !strings.Contains(line, "interaction models de-DE, en-US") {
		t.Errorf("CommentLine = %q", line)
	}
}

func modelOutcome(t *testing.T, out *Outcome, locale string) ModelOutcome {
	t.Helper()
	for _, m := range out.Models {
		if m.Locale == locale {
			return m
		}
	}
	t.Fatalf("no outcome for %s in %+v", locale, out.Models)
	return ModelOutcome{}
}

// TestModelUnchangedNotWritten: a locale whose model only differs in key
// order and spacing is not written; neither is an unchanged manifest.
func TestModelUnchangedNotWritten(t *testing.T) {
	t.Parallel()
	h := setup(t, withModels(t)...)
	var v any
	if err := json.Unmarshal(readFile(t, "testdata/model-de-DE.json"), &v); err != nil {
		t.Fatal(err)
	}
	compactDE, _ := json.Marshal(v)
	en := withSample(t, "en-US", "start a {duration} timer")

	out, err := h.run(Options{Manifest: readFile(t, "testdata/skill.json"), Models: map[string][]byte{"en-US": en, "de-DE": compactDE}})
	if err != nil || out.Status != StatusSucceeded {
		t.Fatalf("Run = %s, %v", out.Status, err)
	}
	if puts := h.puts(); len(puts) != 1 || puts[0].Path != modelPath("en-US") {
		t.Fatalf("want one PUT of the en-US model, got %+v", puts)
	}
	if m := modelOutcome(t, out, "de-DE"); m.Written || m.Changed {
		t.Errorf("de-DE outcome = %+v", m)
	}
	if !strings.Contains(h.output(), "  interactionModel en-US: SUCCEEDED (") || strings.Contains(h.output(), "  manifest: ") {
		t.Errorf("the wait should cover the en-US model only:\n%s", h.output())
	}

	// Nothing changed at all: no PUT.
	h.sim.ResetRequests()
	out, err = h.run(Options{Manifest: readFile(t, "testdata/skill.json"), Models: map[string][]byte{"en-US": en, "de-DE": compactDE}})
	if err != nil || out.Status != StatusNoChanges || out.Changed() {
		t.Fatalf("second Run = %s, %v, changed %v; want NO_CHANGES", out.Status, err, out.Changed())
	}
	if puts := h.puts(); len(puts) != 0 {
		t.Errorf("%d PUT requests without a change, want none", len(puts))
	}
	if !strings.Contains(h.output(), "No changes: the live manifest and interaction models already match the repository") {
		t.Errorf("no no-change line:\n%s", h.output())
	}
}

// TestModelNewLocale: a locale without a live model (404) is a new one,
// PUT without If-Match.
func TestModelNewLocale(t *testing.T) {
	t.Parallel()
	h := setup(t)
	en := readFile(t, "testdata/model-en-US.json")
	out, err := h.run(Options{Manifest: readFile(t, "testdata/skill.json"), Models: map[string][]byte{"en-US": en}})
	if err != nil || out.Status != StatusSucceeded {
		t.Fatalf("Run = %s, %v", out.Status, err)
	}
	puts := h.puts()
	if len(puts) != 1 || puts[0].Path != modelPath("en-US") || puts[0].Header.Get("If-Match") != "" {
		t.Fatalf("want one PUT of en-US without If-Match, got %+v", puts)
	}
	if m := modelOutcome(t, out, "en-US"); !m.New || m.SHA256Before != plan.NoModel || !strings.HasPrefix(m.Summary, `new model (invocation name "kitchen timer")`) {
		t.Errorf("en-US outcome = %+v", m)
	}
	if !strings.Contains(h.output(), "No live en-US interaction model: en-US is a new locale.") ||
		!strings.Contains(h.output(), "New en-US interaction model accepted (no live model, so no If-Match).") {
		t.Errorf("progress does not say the locale is new:\n%s", h.output())
	}
	if body, _ := h.liveModel("en-US"); !sameManifest(t, body, en) {
		t.Error("the new model is not live")
	}
}

// TestModelBuildFailed: a locale whose build fails prints each error as an
// annotation and ends the deploy with a *BuildError (exit 1); the other
// locale's build is reported too.
func TestModelBuildFailed(t *testing.T) {
	t.Parallel()
	h := setup(t, append(withModels(t), smapitest.WithBuildTime(10*time.Millisecond))...)
	msgs := []string{"Sample utterance \"timer für {duration}\" in intent SetTimerIntent must include a carrier phrase", "Slot type DishType has no values"}
	// de-DE is written first (locale order), en-US second.
	h.sim.QueueBuildOutcomes(smapitest.BuildOutcome{Errors: msgs}, smapitest.BuildOutcome{Duration: time.Millisecond})
	out, err := h.run(Options{Manifest: readFile(t, "testdata/skill.json"), Models: map[string][]byte{
		"en-US": withSample(t, "en-US", "start a {duration} timer"), "de-DE": withSample(t, "de-DE", "timer für {duration}"),
	}})
	var be *BuildError
	if !errors.As(err, &be) || be.TimedOut {
		t.Fatalf("err = %v, want a failed *BuildError (exit 1)", err)
	}
	want := []string{"interactionModel de-DE: " + msgs[0], "interactionModel de-DE: " + msgs[1]}
	if d := cmp.Diff(want, be.Messages); d != "" {
		t.Errorf("messages (-want +got), each once:\n%s", d)
	}
	for _, w := range want {
		if !strings.Contains(h.output(), "::error::"+w+"\n") {
			t.Errorf("no annotation %q:\n%s", w, h.output())
		}
	}
	if out.Status != StatusFailed {
		t.Errorf("Status = %s", out.Status)
	}
	de := modelOutcome(t, out, "de-DE")
	if de.Build != "FAILED" || !slices.Contains(de.Steps, BuildStep{"LANGUAGE_MODEL_QUICK_BUILD", "FAILED"}) || len(de.Errors) != 2 {
		t.Errorf("de-DE outcome = %+v", de)
	}
	if en := modelOutcome(t, out, "en-US"); !en.Written || en.Build == "" {
		t.Errorf("en-US outcome = %+v, want its build reported", en)
	}
	md, _ := out.Markdown()
	if !strings.Contains(md, "Errors of the `de-DE` build:") || !strings.Contains(md, "| `de-DE` | 1 sample added | yes | **FAILED**: DIALOG_MODEL_BUILD SUCCEEDED, LANGUAGE_MODEL_QUICK_BUILD FAILED |") {
		t.Errorf("summary:\n%s", md)
	}
}

// TestModelDrift: a console edit of one locale's model after the plan is
// drift; each drift mode decides as for the manifest. A plan without model
// hashes (an older comment) checks the manifest only.
func TestModelDrift(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		drift      string
		oldPlan    bool
		wantErr    bool
		wantStatus string
		wantNote   string
	}{
		{name: "fail", drift: DriftFail, wantErr: true, wantStatus: StatusFailed},
		{name: "warn", drift: DriftWarn, wantStatus: StatusSucceeded, wantNote: "drift: warn"},
		{name: "ignore", drift: DriftIgnore, wantStatus: StatusSucceeded, wantNote: "drift: ignore"},
		{name: "older plan", drift: DriftFail, oldPlan: true, wantStatus: StatusSucceeded, wantNote: "is the one the plan on pull request #7 showed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := setup(t, withModels(t)...)
			if tc.oldPlan {
				h.plan()
			} else {
				h.planModels("en-US", "de-DE")
			}
			before, _ := h.liveModel("en-US")
			planned, _ := jsoncanon.SHA256(before)
			console := withSample(t, "en-US", "edited in the console")
			if err := h.sim.SetInteractionModel(testSkill, "development", "en-US", console); err != nil {
				t.Fatal(err)
			}
			found, _ := jsoncanon.SHA256(console)
			out, err := h.run(Options{
				Manifest: edited(t, "From the repository."), Drift: tc.drift, Plan: h.planSource(),
				Models: map[string][]byte{"en-US": withSample(t, "en-US", "from the repository"), "de-DE": withSample(t, "de-DE", "aus dem repository")},
			})
			if (err != nil) != tc.wantErr || out.Status != tc.wantStatus {
				t.Fatalf("Run = %s, %v; want %s, error %v", out.Status, err, tc.wantStatus, tc.wantErr)
			}
			if tc.wantErr {
				var re *RefusedError
				if !errors.As(err, &re) || re.Reason != "drift" {
					t.Fatalf("err = %#v, want a drift refusal", err)
				}
				for _, w := range []string{"en-US interaction model", planned[:12], found[:12], "pull request #7", "nothing was written"} {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("the refusal does not name %q: %v", w, err)
					}
				}
				if strings.Contains(err.Error(), "de-DE") || strings.Contains(err.Error(), "live manifest") {
					t.Errorf("the refusal names what did not drift: %v", err)
				}
				if puts := h.puts(); len(puts) != 0 {
					t.Errorf("%d PUTs after a refusal, want none", len(puts))
				}
				if body, _ := h.liveModel("en-US"); !sameManifest(t, body, console) {
					t.Error("the console edit did not survive")
				}
				return
			}
			if puts := h.puts(); len(puts) != 3 {
				t.Errorf("%d PUTs, want 3", len(puts))
			}
			if !strings.Contains(out.PlanNote, tc.wantNote) {
				t.Errorf("PlanNote = %q, want %q", out.PlanNote, tc.wantNote)
			}
		})
	}
}

// TestModelNoDrift: the plan's hashes match, and the note says the models
// were checked.
func TestModelNoDrift(t *testing.T) {
	t.Parallel()
	h := setup(t, withModels(t)...)
	h.planModels("en-US", "de-DE", "fr-FR")
	out, err := h.run(Options{Manifest: readFile(t, "testdata/skill.json"), Plan: h.planSource(), Models: map[string][]byte{
		"en-US": withSample(t, "en-US", "one"), "de-DE": withSample(t, "de-DE", "zwei"), "fr-FR": []byte(`{"interactionModel":{"languageModel":{"invocationName":"minuteur"}}}`),
	}})
	if err != nil || out.Status != StatusSucceeded {
		t.Fatalf("Run = %s, %v", out.Status, err)
	}
	if want := "The live de-DE, en-US, fr-FR interaction models are the ones the plan on pull request #7 showed; deploying."; out.PlanNote != want {
		t.Errorf("PlanNote = %q, want %q", out.PlanNote, want)
	}
}

// TestModelPreconditionFailed: a 412 on a model is refused like the
// manifest's: no re-read, no retry, and the refusal says what was already
// written.
func TestModelPreconditionFailed(t *testing.T) {
	t.Parallel()
	h := setup(t, withModels(t)...)
	other := withSample(t, "en-US", "a teammate's sample")
	base := h.sim.Client()
	hc := &http.Client{Transport: &interceptor{next: base.Transport, method: http.MethodPut, path: "/interactionModel/locales/en-US", before: func() {
		if err := h.sim.SetInteractionModel(testSkill, "development", "en-US", other); err != nil {
			t.Error(err)
		}
	}}}
	h.client = h.newClientWith(hc)
	_, enETag := h.liveModel("en-US")
	out, err := h.run(Options{Manifest: edited(t, "Ours."), Models: map[string][]byte{"en-US": withSample(t, "en-US", "ours")}})
	var re *RefusedError
	if !errors.As(err, &re) || re.Reason != "precondition" {
		t.Fatalf("err = %v, want a precondition refusal", err)
	}
	for _, w := range []string{"en-US interaction model", enETag, "never re-reads", "already written and building: the manifest"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("the refusal does not name %q: %v", w, err)
		}
	}
	if n := h.count(http.MethodPut, modelPath("en-US")); n != 1 {
		t.Errorf("%d PUTs of the en-US model, want exactly 1", n)
	}
	if n := h.count(http.MethodGet, modelPath("en-US")); n != 1 {
		t.Errorf("%d reads of the en-US model, want 1 (no re-read after 412)", n)
	}
	if body, _ := h.liveModel("en-US"); !sameManifest(t, body, other) {
		t.Error("the teammate's change did not survive")
	}
	if out.Refused != "precondition" || out.Status != StatusFailed {
		t.Errorf("Refused, Status = %q, %s", out.Refused, out.Status)
	}
}

func TestModelConfigErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		models map[string][]byte
		want   string
	}{
		{map[string][]byte{"english": []byte(`{}`)}, `"english" is not a locale`},
		{map[string][]byte{"en-US": []byte(`{`)}, "en-US interaction model is not valid JSON"},
	} {
		h := setup(t)
		_, err := h.run(Options{Manifest: readFile(t, "testdata/skill.json"), Models: tc.models})
		checkConfigError(t, err, tc.want)
		if n := len(h.sim.Requests()); n != 0 {
			t.Errorf("%d requests were sent, want none", n)
		}
	}
}

// newClientWith is a client like h.client sending through hc.
func (h *harness) newClientWith(hc *http.Client) *smapi.Client {
	h.t.Helper()
	c, err := smapi.NewClient(smapi.Config{
		BaseURL: h.sim.URL, LWAURL: h.sim.URL,
		ClientID: testClientID, ClientSecret: testClientSecret, RefreshToken: testRefreshToken,
		HTTPClient: hc, Debug: h,
		Retry: smapi.RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond},
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

// TestModelConflictThenSuccess: a 409 on a model (its build in progress)
// is waited out; the model is read again and, still the planned one,
// written with the new ETag.
func TestModelConflictThenSuccess(t *testing.T) {
	t.Parallel()
	h := setup(t, append(withModels(t),
		smapitest.WithFault(smapitest.Fault{Method: http.MethodPut, Path: modelPath("en-US"), Status: http.StatusConflict}))...)
	_, etag := h.liveModel("en-US")
	out, err := h.run(Options{Manifest: readFile(t, "testdata/skill.json"), Models: map[string][]byte{"en-US": withSample(t, "en-US", "ours")}})
	if err != nil || out.Status != StatusSucceeded {
		t.Fatalf("Run = %s, %v", out.Status, err)
	}
	puts := h.puts()
	if len(puts) != 2 || puts[1].Header.Get("If-Match") != etag || puts[0].Status != http.StatusConflict || puts[1].Status != http.StatusAccepted {
		t.Fatalf("want a 409 then an accepted PUT with If-Match %s, got %+v", etag, puts)
	}
	for _, w := range []string{"SMAPI answered 409: a build of the en-US interaction model is in progress", "The live en-US model is still the planned one"} {
		if !strings.Contains(h.output(), w) {
			t.Errorf("progress lacks %q", w)
		}
	}
}
