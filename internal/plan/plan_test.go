package plan

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/skillgate/skillgate/internal/jsoncanon"
	"github.com/skillgate/skillgate/internal/smapi"
	"github.com/skillgate/skillgate/internal/smapitest"
	"github.com/skillgate/skillgate/internal/validate"
)

const (
	testSkill = "amzn1.ask.skill.00000000-0000-0000-0000-000000000001"
	stage     = "development"
)

// deployData reads the skill and models internal/deploy's tests deploy.
func deployData(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "deploy", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// setup starts the simulator with the skill's manifest and its en-US and
// de-DE models, and returns it with a client.
func setup(t *testing.T, opts ...smapitest.Option) (*smapitest.Server, *smapi.Client) {
	t.Helper()
	sim := smapitest.NewServer(append([]smapitest.Option{
		smapitest.WithCredentials("id", "secret", "refresh"),
		smapitest.WithSkill(testSkill, deployData(t, "skill.json")),
		smapitest.WithInteractionModel(testSkill, stage, "en-US", deployData(t, "model-en-US.json")),
		smapitest.WithInteractionModel(testSkill, stage, "de-DE", deployData(t, "model-de-DE.json")),
	}, opts...)...)
	t.Cleanup(sim.Close)
	c, err := smapi.NewClient(smapi.Config{
		BaseURL: sim.URL, LWAURL: sim.URL, ClientID: "id", ClientSecret: "secret", RefreshToken: "refresh",
		HTTPClient: sim.Client(),
		Retry:      smapi.RetryPolicy{MaxAttempts: 2, MinWait: time.Millisecond, MaxWait: time.Millisecond, MaxRetryAfter: time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	return sim, c
}

// pkg is a validated package: the manifest and models given by path.
func pkg(t *testing.T, manifest []byte, models map[string][]byte) *validate.Result {
	t.Helper()
	p := &validate.Package{Models: map[string]*validate.Document{}}
	if manifest != nil {
		p.Manifest, _ = validate.ParseDocument("skill-package/skill.json", manifest)
	}
	for loc, raw := range models {
		p.Models[loc], _ = validate.ParseDocument("skill-package/interactionModels/custom/"+loc+".json", raw)
	}
	return &validate.Result{Package: p, Findings: []validate.Finding{{File: "skill-package/skill.json", Severity: validate.Warning, Rule: "r"}}}
}

// TestNew: the plan records every live hash (a missing model as "none"),
// compares each file that parsed, names the sides as given, and its marker
// carries the same hashes.
func TestNew(t *testing.T) {
	t.Parallel()
	sim, c := setup(t)
	enLive := deployData(t, "model-en-US.json")
	en := strings.Replace(string(enLive), `"samples": [`, `"samples": ["a new sample",`, 1)
	if en == string(enLive) {
		t.Fatal("test setup: no samples in the en-US model")
	}
	res := pkg(t, deployData(t, "skill.json"), map[string][]byte{
		"en-US":   []byte(en),
		"fr-FR":   deployData(t, "model-de-DE.json"),
		"de-DE":   []byte("{ broken"),
		"english": []byte("{}"), // not a locale: validation names the file
	})
	got, err := New(context.Background(), c, res, Options{
		SkillID: testSkill, Stage: stage,
		Display: func(p string) string { return strings.TrimPrefix(p, "skill-package/") },
	})
	if err != nil {
		t.Fatal(err)
	}
	manifest, etag, _ := sim.Manifest(testSkill, stage)
	sum, _ := jsoncanon.SHA256(manifest)
	enBody, _, _ := sim.InteractionModel(testSkill, stage, "en-US")
	deBody, _, _ := sim.InteractionModel(testSkill, stage, "de-DE")
	enSum, _ := jsoncanon.SHA256(enBody)
	deSum, _ := jsoncanon.SHA256(deBody)
	want := Marker{Skill: testSkill, Stage: stage, ETag: etag, SHA256: sum,
		Models: map[string]string{"en-US": enSum, "de-DE": deSum, "fr-FR": NoModel}}
	if d := cmp.Diff(want, got.Marker); d != "" {
		t.Errorf("Marker (-want +got):\n%s", d)
	}
	if got.Manifest.ETag != etag || got.Models["fr-FR"].Exists() || !got.Models["de-DE"].Exists() || got.Failed || len(got.Findings) != 1 {
		t.Errorf("plan = %+v", got)
	}
	if got.Changes == nil || got.Changes.ManifestChanged() || len(got.Changes.Models) != 2 {
		t.Fatalf("Changes = %+v", got.Changes)
	}
	enResult, frResult := got.Changes.Models[0], got.Changes.Models[1]
	if enResult.Locale != "en-US" || enResult.Summary() != "1 sample added" || frResult.Locale != "fr-FR" || !frResult.New {
		t.Errorf("models = %s: %s, %s: %s", enResult.Locale, enResult.Summary(), frResult.Locale, frResult.Summary())
	}
	if !strings.Contains(enResult.Unified, "--- smapi:"+testSkill+"/development/interactionModel/en-US\n+++ interactionModels/custom/en-US.json\n") {
		t.Errorf("diff headers: %.200q", enResult.Unified)
	}
	if !got.Changed() || !strings.Contains(got.Markdown(), want.String()+"\n") {
		t.Error("the comment does not start with the marker")
	}
}

// TestNewValidateOnly: no request is sent, the marker names skill and stage
// only, and FailOn decides Failed.
func TestNewValidateOnly(t *testing.T) {
	t.Parallel()
	sim, c := setup(t)
	sim.ResetRequests()
	got, err := New(context.Background(), c, pkg(t, deployData(t, "skill.json"), nil), Options{
		SkillID: testSkill, Stage: stage, ValidateOnly: "validate only: no credentials", FailOn: validate.Warning,
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(sim.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	if got.Changes != nil || !got.Failed || got.Note == "" || got.Marker.String() != (Marker{Skill: testSkill, Stage: stage}).String() {
		t.Errorf("plan = %+v", got)
	}
}

// TestNewErrors: SMAPI errors keep their type under the wrapping, and name
// what was being read.
func TestNewErrors(t *testing.T) {
	t.Parallel()
	modelPath := "/v1/skills/" + testSkill + "/stages/development/interactionModel/locales/en-US"
	for _, tc := range []struct {
		name   string
		fault  smapitest.Fault
		skill  string
		status int
		want   string
	}{
		{"unknown skill", smapitest.Fault{}, "amzn1.ask.skill.nosuch", http.StatusNotFound, "read the development manifest of skill amzn1.ask.skill.nosuch"},
		{"model 500", smapitest.Fault{Method: http.MethodGet, Path: modelPath, Status: http.StatusInternalServerError, Times: -1}, testSkill, http.StatusInternalServerError, "read the development en-US interaction model"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var opts []smapitest.Option
			if tc.fault.Status != 0 {
				opts = append(opts, smapitest.WithFault(tc.fault))
			}
			_, c := setup(t, opts...)
			_, err := New(context.Background(), c, pkg(t, deployData(t, "skill.json"), map[string][]byte{"en-US": []byte("{}")}),
				Options{SkillID: tc.skill, Stage: stage})
			var apiErr *smapi.Error
			if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.As(err, &apiErr) || apiErr.Status != tc.status {
				t.Errorf("err = %v, want %q with status %d", err, tc.want, tc.status)
			}
		})
	}
}

// TestNewSteps: each read runs as a named step, in order.
func TestNewSteps(t *testing.T) {
	t.Parallel()
	_, c := setup(t)
	var steps []string
	_, err := New(context.Background(), c, pkg(t, deployData(t, "skill.json"), map[string][]byte{"en-US": []byte("{}"), "ja-JP": []byte("{}")}), Options{
		SkillID: testSkill, Stage: stage,
		Step: func(name string, read func() (string, error)) error {
			status, err := read()
			steps = append(steps, name+" "+status)
			return err
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"read the live manifest OK", "read the en-US model OK", "read the ja-JP model NONE"}, steps); d != "" {
		t.Errorf("steps (-want +got):\n%s", d)
	}
}

// TestCompareManifest: a newer live manifest is compared under the plan's
// names; a plan without a repository manifest says so.
func TestCompareManifest(t *testing.T) {
	t.Parallel()
	_, c := setup(t)
	local := deployData(t, "skill.json")
	p, err := New(context.Background(), c, pkg(t, local, nil), Options{SkillID: testSkill, Stage: stage})
	if err != nil {
		t.Fatal(err)
	}
	if p.Changed() {
		t.Fatalf("test setup: the plan has changes: %s", p.Changes.Summary())
	}
	newer := strings.Replace(string(p.Manifest.Body), `"manifest"`, `"manifest" `, 1)
	newer = strings.Replace(newer, "kitchen", "pantry", 1)
	got, err := p.CompareManifest([]byte(newer))
	if err != nil {
		t.Fatal(err)
	}
	if !got.ManifestChanged() || !strings.HasPrefix(got.Unified, "--- smapi:"+testSkill+"/development\n+++ skill-package/skill.json\n") {
		t.Errorf("CompareManifest = %d changes, diff %.120q", got.Count(), got.Unified)
	}
	empty, err := New(context.Background(), c, pkg(t, nil, nil), Options{SkillID: testSkill, Stage: stage})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := empty.CompareManifest(p.Manifest.Body); err == nil || empty.Changes != nil {
		t.Errorf("a plan without a manifest compared: %v", err)
	}
}
