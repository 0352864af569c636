package smapi_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/skillgate/skillgate/internal/smapi"
	"github.com/skillgate/skillgate/internal/smapitest"
)

const simManifest = `{"manifest":{"manifestVersion":"1.0","publishingInformation":{"locales":{"en-US":{"name":"Sim skill","summary":"s","description":"d"}},"category":"GAMES","distributionCountries":["US"],"isAvailableWorldwide":false},"apis":{"custom":{"endpoint":{"uri":"arn:aws:lambda:us-east-1:123456789012:function:f"}}}}}`

const simSecret, simRefresh = "sim-client-secret-value", "Atzr|sim-refresh-token-value"

func newSimClient(t testing.TB, s *smapitest.Server, debug *strings.Builder) *smapi.Client {
	t.Helper()
	cfg := smapi.Config{
		BaseURL: s.URL, LWAURL: s.URL,
		ClientID: "amzn1.application-oa2-client.sim", ClientSecret: simSecret, RefreshToken: simRefresh,
		VendorID:   "M1SIMVENDOR",
		HTTPClient: s.Client(),
		Retry:      smapi.RetryPolicy{MaxAttempts: 4, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond},
		CreateWait: 2 * time.Second,
	}
	if debug != nil {
		cfg.Debug = debug
	}
	c, err := smapi.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var simWait = smapi.WaitOptions{Schedule: smapi.Schedule{Initial: 5 * time.Millisecond, Max: 20 * time.Millisecond, Factor: 1.5}, Timeout: 5 * time.Second}

// TestSimulatorFlow runs the deploy path against the simulator: create,
// read with ETag, update with If-Match, wait for the build, and a stale
// ETag refused with 412.
func TestSimulatorFlow(t *testing.T) {
	t.Parallel()
	s := smapitest.NewServer(smapitest.WithVendor("M1SIMVENDOR"), smapitest.WithBuildTime(30*time.Millisecond),
		smapitest.WithCreationTime(50*time.Millisecond))
	defer s.Close()
	var debug strings.Builder
	c := newSimClient(t, s, &debug)
	ctx := context.Background()

	id, acc, err := c.CreateSkill(ctx, "M1SIMVENDOR", []byte(simManifest))
	if err != nil {
		t.Fatalf("CreateSkill: %v", err)
	}
	if acc.Location == "" {
		t.Error("CreateSkill: no Location")
	}
	if _, err := smapi.WaitForBuild(ctx, c, id, []string{smapi.ResourceManifest}, simWait); err != nil {
		t.Fatalf("waiting for the creation: %v", err)
	}
	m, err := c.GetManifest(ctx, id, smapi.StageDevelopment)
	if err != nil {
		t.Fatalf("GetManifest: %v", err)
	}
	if m.ETag == "" || !strings.Contains(string(m.Body), "Sim skill") {
		t.Fatalf("GetManifest = %s, ETag %q", m.Body, m.ETag)
	}
	updated := []byte(strings.Replace(simManifest, "Sim skill", "Sim skill 2", 1))
	if _, err := c.UpdateManifest(ctx, id, smapi.StageDevelopment, updated, m.ETag); err != nil {
		t.Fatalf("UpdateManifest: %v", err)
	}
	st, err := smapi.WaitForBuild(ctx, c, id, []string{smapi.ResourceManifest}, simWait)
	if err != nil {
		t.Fatalf("WaitForBuild: %v", err)
	}
	if st.Manifest.LastUpdateRequest.Status != smapi.StatusSucceeded {
		t.Errorf("status %+v", st.Manifest)
	}
	_, err = c.UpdateManifest(ctx, id, smapi.StageDevelopment, []byte(simManifest), m.ETag)
	var se *smapi.Error
	if !errors.As(err, &se) || se.Status != http.StatusPreconditionFailed {
		t.Errorf("stale ETag: err = %v, want 412", err)
	}
	_, err = c.UpdateManifest(ctx, id, smapi.StageLive, []byte(simManifest), "")
	if !errors.As(err, &se) || se.Status != http.StatusForbidden {
		t.Errorf("write to live: err = %v, want 403", err)
	}
	list, err := c.ListSkills(ctx, "M1SIMVENDOR", smapi.ListOptions{SkillIDs: []string{id}})
	if err != nil || len(list.Skills) == 0 || list.Skills[0].SkillID != id {
		t.Errorf("ListSkills = %+v, %v", list, err)
	}
	if err := c.DeleteSkill(ctx, id); err != nil {
		t.Errorf("DeleteSkill: %v", err)
	}

	tokens := 0
	for _, r := range s.Requests() {
		if strings.EqualFold(r.Path, smapi.TokenPath) {
			tokens++
		}
	}
	if tokens != 1 {
		t.Errorf("token fetched %d times, want 1", tokens)
	}
	for _, sec := range []string{simSecret, simRefresh} {
		if strings.Contains(debug.String(), sec) {
			t.Errorf("debug output shows %q", sec)
		}
	}
}

// TestSimulatorModels: interaction model put (with build), get and head.
func TestSimulatorModels(t *testing.T) {
	t.Parallel()
	const skill = "amzn1.ask.skill.sim-models"
	s := smapitest.NewServer(smapitest.WithVendor("M1SIMVENDOR"), smapitest.WithSkill(skill, []byte(simManifest)), smapitest.WithBuildTime(20*time.Millisecond))
	defer s.Close()
	c := newSimClient(t, s, nil)
	ctx := context.Background()
	model := []byte(`{"interactionModel":{"languageModel":{"invocationName":"sim skill","intents":[{"name":"AMAZON.StopIntent","samples":[]}],"types":[]}}}`)
	if _, err := c.PutInteractionModel(ctx, skill, smapi.StageDevelopment, "en-US", model, ""); err != nil {
		t.Fatalf("PutInteractionModel: %v", err)
	}
	opts := simWait
	opts.Locales = []string{"en-US"}
	if _, err := smapi.WaitForBuild(ctx, c, skill, []string{smapi.ResourceInteractionModel}, opts); err != nil {
		t.Fatalf("WaitForBuild: %v", err)
	}
	im, err := c.GetInteractionModel(ctx, skill, smapi.StageDevelopment, "en-US")
	if err != nil || !strings.Contains(string(im.Body), "sim skill") {
		t.Fatalf("GetInteractionModel = %v, %v", im, err)
	}
	etag, err := c.HeadInteractionModel(ctx, skill, smapi.StageDevelopment, "en-US")
	if err != nil || etag != im.ETag {
		t.Errorf("HeadInteractionModel = %q, %v; want %q", etag, err, im.ETag)
	}
}

// TestSimulatorFaults: the simulator's scripted 429 and 5xx are retried.
func TestSimulatorFaults(t *testing.T) {
	t.Parallel()
	const skill = "amzn1.ask.skill.sim-faults"
	s := smapitest.NewServer(smapitest.WithVendor("M1SIMVENDOR"), smapitest.WithSkill(skill, []byte(simManifest)))
	defer s.Close()
	c := newSimClient(t, s, nil)
	path := "/v1/skills/" + skill + "/stages/development/manifest"
	s.Fault(smapitest.Fault{Method: http.MethodGet, Path: path, Status: http.StatusTooManyRequests, RetryAfter: "1"})
	s.Fault(smapitest.Fault{Method: http.MethodGet, Path: path, Status: http.StatusServiceUnavailable})
	start := time.Now()
	if _, err := c.GetManifest(context.Background(), skill, smapi.StageDevelopment); err != nil {
		t.Fatalf("GetManifest through faults: %v", err)
	}
	if el := time.Since(start); el < time.Second {
		t.Errorf("finished after %s, before the 1s Retry-After", el)
	}
	var got []int
	for _, r := range s.Requests() {
		if r.Path == path {
			got = append(got, r.Status)
		}
	}
	if len(got) != 3 || got[0] != 429 || got[1] != 503 || got[2] != 200 {
		t.Errorf("statuses %v, want [429 503 200]", got)
	}
}

// BenchmarkGetManifestSimulator is one manifest GET round trip through the
// client (auth, retry and debug layers) and the simulator.
func BenchmarkGetManifestSimulator(b *testing.B) {
	const skill = "amzn1.ask.skill.bench"
	s := smapitest.NewServer(smapitest.WithSkill(skill, []byte(simManifest)))
	defer s.Close()
	c := newSimClient(b, s, nil)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.GetManifest(ctx, skill, smapi.StageDevelopment); err != nil {
			b.Fatal(err)
		}
	}
}
