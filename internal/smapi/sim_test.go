package smapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/skillgate/skillgate/internal/smapi"
	"github.com/skillgate/skillgate/internal/smapitest"
)

const simManifest = `{"manifest":{"manifestVersion":"1.0","publishingInformation":{"locales":{"en-US":{"name":"Sim skill","summary":"s","description":"d"}},"category":"GAMES","distributionCountries":["US"],"isAvailableWorldwide":false},"apis":{"custom":{"endpoint":{"uri":"arn:aws:lambda:us-east-1:123456789012:function:f"}}}}}`

const simSecret, simRefresh = "sim-client-secret-value", "Atzr|sim-refresh-token-value"

func newSimClient(t testing.TB, s *smapitest.Server, debug *strings.Builder, opts ...func(*smapi.Config)) *smapi.Client {
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
	for _, o := range opts {
		o(&cfg)
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
	if _, err := c.UpdateManifest(ctx, id, smapi.StageDevelopment, updated, smapi.IfMatch(m.ETag)); err != nil {
		t.Fatalf("UpdateManifest: %v", err)
	}
	st, err := smapi.WaitForBuild(ctx, c, id, []string{smapi.ResourceManifest}, simWait)
	if err != nil {
		t.Fatalf("WaitForBuild: %v", err)
	}
	if st.Manifest.LastUpdateRequest.Status != smapi.StatusSucceeded {
		t.Errorf("status %+v", st.Manifest)
	}
	_, err = c.UpdateManifest(ctx, id, smapi.StageDevelopment, []byte(simManifest), smapi.IfMatch(m.ETag))
	var se *smapi.Error
	if !errors.As(err, &se) || se.Status != http.StatusPreconditionFailed {
		t.Errorf("stale ETag: err = %v, want 412", err)
	}
	_, err = c.UpdateManifest(ctx, id, smapi.StageLive, []byte(simManifest), smapi.IfMatch(m.ETag))
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
	if _, err := c.PutInteractionModel(ctx, skill, smapi.StageDevelopment, "en-US", model, smapi.IfAbsent()); err != nil {
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

// logged returns the simulator's log entries for method and path.
func logged(s *smapitest.Server, method, path string) []smapitest.Request {
	var out []smapitest.Request
	for _, r := range s.Requests() {
		if r.Method == method && r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

func statusesOf(reqs []smapitest.Request) []int {
	out := make([]int, len(reqs))
	for i, r := range reqs {
		out[i] = r.Status
	}
	return out
}

// wantStatus fails unless err is an *smapi.Error with status.
func wantStatus(t *testing.T, what string, err error, status int) *smapi.Error {
	t.Helper()
	var se *smapi.Error
	if !errors.As(err, &se) || se.Status != status {
		t.Fatalf("%s: err = %v, want a %d *smapi.Error", what, err, status)
	}
	return se
}

// TestSimulatorPublication: a manually published skill goes SCHEDULED at
// publishesAt, then IN_PROGRESS, then SUCCEEDED and live; then it is hidden
// and removed with a type and a reason.
func TestSimulatorPublication(t *testing.T) {
	t.Parallel()
	const skill = "amzn1.ask.skill.sim-publication"
	clock := smapitest.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	// The clock first: WithSkill stamps the skill's creation with it.
	s := smapitest.NewServer(smapitest.WithClock(clock.Now), smapitest.WithVendor("M1SIMVENDOR"),
		smapitest.WithSkill(skill, []byte(simManifest)), smapitest.WithTokenTTL(24*time.Hour),
		smapitest.WithCertificationTime(time.Hour), smapitest.WithPublicationTime(10*time.Minute))
	defer s.Close()
	c := newSimClient(t, s, nil)
	ctx := context.Background()

	_, err := c.GetLatestPublication(ctx, skill)
	wantStatus(t, "publication before any", err, http.StatusNotFound)
	_, err = c.SubmitPublication(ctx, skill, time.Time{})
	wantStatus(t, "publishing an uncertified skill", err, http.StatusForbidden)

	acc, err := c.SubmitCertification(ctx, skill, smapi.CertificationOptions{PublicationMethod: smapi.ManualPublishing})
	if err != nil {
		t.Fatalf("SubmitCertification: %v", err)
	}
	if acc.Location != "/v1/skills/"+skill+"/certifications" {
		t.Errorf("certification Location %q", acc.Location)
	}
	clock.Add(time.Hour) // certified; manual publishing waits for us

	at := clock.Now().Add(2 * time.Hour)
	if _, err := c.SubmitPublication(ctx, skill, at); err != nil {
		t.Fatalf("SubmitPublication: %v", err)
	}
	pubs := logged(s, http.MethodPost, "/v1/skills/"+skill+"/publications")
	sent := pubs[len(pubs)-1]
	var body map[string]string
	if err := json.Unmarshal(sent.Body, &body); err != nil || body["publishesAtDate"] != "2026-03-01T12:00:00Z" {
		t.Errorf("publication request body %s (%v)", sent.Body, err)
	}
	if sent.Header.Get("Accept-Language") == "" {
		t.Error("publication request without Accept-Language, which the model requires")
	}

	for _, step := range []struct {
		advance time.Duration
		want    string
	}{
		{0, smapi.PublicationScheduled},
		{2 * time.Hour, smapi.PublicationInProgress},
		{10 * time.Minute, smapi.PublicationSucceeded},
	} {
		clock.Add(step.advance)
		p, err := c.GetLatestPublication(ctx, skill)
		if err != nil {
			t.Fatalf("GetLatestPublication after %s: %v", step.advance, err)
		}
		if p.Status != step.want || !p.PublishesAt.Equal(at) || len(p.Raw) == 0 {
			t.Errorf("after %s: status %s, publishesAt %s; want %s at %s", step.advance, p.Status, p.PublishesAt, step.want, at)
		}
	}
	if _, err := c.GetManifest(ctx, skill, smapi.StageLive); err != nil {
		t.Errorf("live manifest after the publication: %v", err)
	}

	liveStatus := func() string {
		t.Helper()
		list, err := c.ListSkills(ctx, "M1SIMVENDOR", smapi.ListOptions{SkillIDs: []string{skill}})
		if err != nil {
			t.Fatalf("ListSkills: %v", err)
		}
		for _, e := range list.Skills {
			if e.Stage == smapi.StageLive {
				return e.PublicationStatus
			}
		}
		return "no live stage"
	}
	if st := liveStatus(); st != "PUBLISHED" {
		t.Errorf("published skill lists as %s", st)
	}
	unpublish := "/v1/skills/" + skill + "/unpublish"
	for _, u := range []struct{ typ, reason, want string }{
		{smapi.UnpublishHide, "Technical issues", "HIDDEN"},
		{smapi.UnpublishRemove, "Published by mistake", "REMOVED"},
	} {
		if _, err := c.Unpublish(ctx, skill, u.typ, u.reason); err != nil {
			t.Fatalf("Unpublish %s: %v", u.typ, err)
		}
		reqs := logged(s, http.MethodPost, unpublish)
		var got struct{ Type, Reason string }
		if err := json.Unmarshal(reqs[len(reqs)-1].Body, &got); err != nil || got.Type != u.typ || got.Reason != u.reason {
			t.Errorf("unpublish body %s, want type %s and reason %q", reqs[len(reqs)-1].Body, u.typ, u.reason)
		}
		if st := liveStatus(); st != u.want {
			t.Errorf("after %s: %s, want %s", u.typ, st, u.want)
		}
	}
	_, err = c.Unpublish(ctx, skill, smapi.UnpublishRemove, "Other")
	wantStatus(t, "removing a removed skill", err, http.StatusForbidden)

	before := len(s.Requests())
	if _, err := c.Unpublish(ctx, skill, "DELETE", "Other"); err == nil || !strings.Contains(err.Error(), "HIDE or REMOVE") {
		t.Errorf("Unpublish with type DELETE: %v", err)
	}
	if n := len(s.Requests()) - before; n != 0 {
		t.Errorf("a bad unpublish type sent %d requests", n)
	}
}

// TestSimulatorCertification: submit puts the skill in certification (where
// it cannot be edited or submitted again), withdraw takes it out with a
// reason, and withdrawing twice is refused.
func TestSimulatorCertification(t *testing.T) {
	t.Parallel()
	const skill = "amzn1.ask.skill.sim-certification"
	s := smapitest.NewServer(smapitest.WithVendor("M1SIMVENDOR"), smapitest.WithSkill(skill, []byte(simManifest)),
		smapitest.WithCertificationTime(time.Hour))
	defer s.Close()
	c := newSimClient(t, s, nil)
	ctx := context.Background()
	devStatus := func() string {
		t.Helper()
		list, err := c.ListSkills(ctx, "M1SIMVENDOR", smapi.ListOptions{SkillIDs: []string{skill}})
		if err != nil || len(list.Skills) == 0 {
			t.Fatalf("ListSkills = %+v, %v", list, err)
		}
		return list.Skills[0].PublicationStatus
	}

	acc, err := c.SubmitCertification(ctx, skill, smapi.CertificationOptions{PublicationMethod: smapi.AutoPublishing, VersionMessage: "first version"})
	if err != nil {
		t.Fatalf("SubmitCertification: %v", err)
	}
	if !strings.HasSuffix(acc.Location, "/certifications") {
		t.Errorf("Location %q", acc.Location)
	}
	submits := logged(s, http.MethodPost, "/v1/skills/"+skill+"/submit")
	if len(submits) != 1 || string(submits[0].Body) != `{"publicationMethod":"AUTO_PUBLISHING","versionMessage":"first version"}` {
		t.Errorf("submit requests %+v", submits)
	}
	if st := devStatus(); st != "CERTIFICATION" {
		t.Errorf("after submit: %s", st)
	}
	_, err = c.SubmitCertification(ctx, skill, smapi.CertificationOptions{})
	wantStatus(t, "second submit", err, http.StatusForbidden)
	_, err = c.UpdateManifest(ctx, skill, smapi.StageDevelopment, []byte(simManifest), liveETag(t, s, skill))
	wantStatus(t, "edit in certification", err, http.StatusForbidden)

	err = c.WithdrawCertification(ctx, skill, "NOPE", "")
	wantStatus(t, "withdraw with an unknown reason", err, http.StatusBadRequest)
	if err := c.WithdrawCertification(ctx, skill, "OTHER", "found a bug"); err != nil {
		t.Fatalf("WithdrawCertification: %v", err)
	}
	withdraws := logged(s, http.MethodPost, "/v1/skills/"+skill+"/withdraw")
	if last := withdraws[len(withdraws)-1]; string(last.Body) != `{"reason":"OTHER","message":"found a bug"}` || last.Status != http.StatusNoContent {
		t.Errorf("withdraw request %s answered %d", last.Body, last.Status)
	}
	if st := devStatus(); st != "DEVELOPMENT" {
		t.Errorf("after withdraw: %s", st)
	}
	err = c.WithdrawCertification(ctx, skill, "TEST_SKILL", "")
	wantStatus(t, "second withdraw", err, http.StatusForbidden)
}

// TestSimulatorAccountLinking: put (bare or wrapped), get with its ETag and
// without the write-only secret, If-Match, read-only live, delete.
func TestSimulatorAccountLinking(t *testing.T) {
	t.Parallel()
	const skill = "amzn1.ask.skill.sim-linking"
	s := smapitest.NewServer(smapitest.WithVendor("M1SIMVENDOR"), smapitest.WithSkill(skill, []byte(simManifest)))
	defer s.Close()
	c := newSimClient(t, s, nil)
	ctx := context.Background()
	path := "/v1/skills/" + skill + "/stages/development/accountLinkingClient"
	bare := `{"type":"AUTH_CODE","authorizationUrl":"https://example.com/auth","accessTokenUrl":"https://example.com/token","clientId":"linking-client","clientSecret":"linking-secret-value","scopes":["profile"]}`

	_, err := c.GetAccountLinking(ctx, skill, smapi.StageDevelopment)
	wantStatus(t, "get before any", err, http.StatusNotFound)
	wantStatus(t, "delete before any", c.DeleteAccountLinking(ctx, skill, smapi.StageDevelopment), http.StatusNotFound)

	acc, err := c.PutAccountLinking(ctx, skill, smapi.StageDevelopment, []byte(bare), smapi.IfAbsent())
	if err != nil {
		t.Fatalf("PutAccountLinking: %v", err)
	}
	puts := logged(s, http.MethodPut, path)
	var sent struct {
		AccountLinkingRequest map[string]any `json:"accountLinkingRequest"`
	}
	if err := json.Unmarshal(puts[0].Body, &sent); err != nil || sent.AccountLinkingRequest["clientSecret"] != "linking-secret-value" {
		t.Errorf("PUT body %s is not the bare object wrapped in accountLinkingRequest (%v)", puts[0].Body, err)
	}
	a, err := c.GetAccountLinking(ctx, skill, smapi.StageDevelopment)
	if err != nil {
		t.Fatalf("GetAccountLinking: %v", err)
	}
	if a.ETag == "" || a.ETag != acc.ETag || !strings.Contains(string(a.Body), `"clientId":"linking-client"`) {
		t.Errorf("GetAccountLinking = %s, ETag %q; PUT ETag %q", a.Body, a.ETag, acc.ETag)
	}
	if strings.Contains(string(a.Body), "linking-secret-value") {
		t.Error("GET shows the client secret")
	}

	_, err = c.PutAccountLinking(ctx, skill, smapi.StageDevelopment, []byte(bare), smapi.IfMatch(`"stale"`))
	wantStatus(t, "stale If-Match", err, http.StatusPreconditionFailed)
	wrapped := `{"accountLinkingRequest":` + strings.Replace(bare, "linking-client", "linking-client-2", 1) + `}`
	acc2, err := c.PutAccountLinking(ctx, skill, smapi.StageDevelopment, []byte(wrapped), smapi.IfMatch(a.ETag))
	if err != nil {
		t.Fatalf("PutAccountLinking wrapped, with If-Match: %v", err)
	}
	if acc2.ETag == "" || acc2.ETag == a.ETag {
		t.Errorf("ETag after a change %q, before %q", acc2.ETag, a.ETag)
	}
	if a, err := c.GetAccountLinking(ctx, skill, smapi.StageDevelopment); err != nil || !strings.Contains(string(a.Body), "linking-client-2") {
		t.Errorf("after the wrapped PUT: %v, %v", a, err)
	}
	_, err = c.PutAccountLinking(ctx, skill, smapi.StageLive, []byte(bare), smapi.IfAbsent())
	wantStatus(t, "put to live", err, http.StatusForbidden)

	if err := c.DeleteAccountLinking(ctx, skill, smapi.StageDevelopment); err != nil {
		t.Fatalf("DeleteAccountLinking: %v", err)
	}
	_, err = c.GetAccountLinking(ctx, skill, smapi.StageDevelopment)
	wantStatus(t, "get after delete", err, http.StatusNotFound)
}

// TestSimulatorRetryAfter: the simulator's scripted 429 with Retry-After: 2
// is not retried sooner than 2 s (the request log stamps arrivals), and the
// 503 after it is retried on the short back-off.
func TestSimulatorRetryAfter(t *testing.T) {
	t.Parallel()
	const skill = "amzn1.ask.skill.sim-faults"
	s := smapitest.NewServer(smapitest.WithVendor("M1SIMVENDOR"), smapitest.WithSkill(skill, []byte(simManifest)))
	defer s.Close()
	c := newSimClient(t, s, nil)
	path := "/v1/skills/" + skill + "/stages/development/manifest"
	s.Fault(smapitest.Fault{Method: http.MethodGet, Path: path, Status: http.StatusTooManyRequests, RetryAfter: "2"})
	s.Fault(smapitest.Fault{Method: http.MethodGet, Path: path, Status: http.StatusServiceUnavailable})
	if _, err := c.GetManifest(context.Background(), skill, smapi.StageDevelopment); err != nil {
		t.Fatalf("GetManifest through faults: %v", err)
	}
	reqs := logged(s, http.MethodGet, path)
	if got := statusesOf(reqs); len(got) != 3 || got[0] != 429 || got[1] != 503 || got[2] != 200 {
		t.Fatalf("statuses %v, want [429 503 200]", got)
	}
	if gap := reqs[1].Time.Sub(reqs[0].Time); gap < 2*time.Second {
		t.Errorf("429 retried after %s, sooner than its Retry-After: 2", gap)
	}
	if gap := reqs[2].Time.Sub(reqs[1].Time); gap > time.Second {
		t.Errorf("503 retried after %s; its back-off is milliseconds", gap)
	}
}

// TestSimulatorCreation: the 303 on GET manifest and the 404 on status that
// follow a create are waited out, and reported clearly once the window runs
// out.
func TestSimulatorCreation(t *testing.T) {
	t.Parallel()
	manifestOf := func(id string) string { return "/v1/skills/" + id + "/stages/development/manifest" }
	statusOf := func(id string) string { return "/v1/skills/" + id + "/status" }
	t.Run("303 waited out", func(t *testing.T) {
		t.Parallel()
		s := smapitest.NewServer(smapitest.WithVendor("M1SIMVENDOR"), smapitest.WithCreationTime(100*time.Millisecond))
		defer s.Close()
		c := newSimClient(t, s, nil)
		id, _, err := c.CreateSkill(context.Background(), "M1SIMVENDOR", []byte(simManifest))
		if err != nil {
			t.Fatal(err)
		}
		m, err := c.GetManifest(context.Background(), id, smapi.StageDevelopment)
		if err != nil || m.ETag == "" {
			t.Fatalf("GetManifest during creation = %v, %v", m, err)
		}
		got := statusesOf(logged(s, http.MethodGet, manifestOf(id)))
		if len(got) < 2 || got[0] != http.StatusSeeOther || got[len(got)-1] != http.StatusOK {
			t.Errorf("manifest GETs answered %v, want 303s then 200", got)
		}
	})
	t.Run("404 on status waited out", func(t *testing.T) {
		t.Parallel()
		s := smapitest.NewServer(smapitest.WithVendor("M1SIMVENDOR"), smapitest.WithStatusNotFoundTime(100*time.Millisecond))
		defer s.Close()
		c := newSimClient(t, s, nil)
		id, _, err := c.CreateSkill(context.Background(), "M1SIMVENDOR", []byte(simManifest))
		if err != nil {
			t.Fatal(err)
		}
		st, err := c.GetStatus(context.Background(), id, smapi.ResourceManifest)
		if err != nil || st.Manifest == nil || st.Manifest.LastUpdateRequest.Status != smapi.StatusSucceeded {
			t.Fatalf("GetStatus after create = %+v, %v", st, err)
		}
		got := statusesOf(logged(s, http.MethodGet, statusOf(id)))
		if len(got) < 2 || got[0] != http.StatusNotFound || got[len(got)-1] != http.StatusOK {
			t.Errorf("status GETs answered %v, want 404s then 200", got)
		}
	})
	t.Run("window runs out", func(t *testing.T) {
		t.Parallel()
		s := smapitest.NewServer(smapitest.WithVendor("M1SIMVENDOR"),
			smapitest.WithCreationTime(time.Hour), smapitest.WithStatusNotFoundTime(time.Hour))
		defer s.Close()
		c := newSimClient(t, s, nil, func(cfg *smapi.Config) { cfg.CreateWait = 100 * time.Millisecond })
		id, _, err := c.CreateSkill(context.Background(), "M1SIMVENDOR", []byte(simManifest))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.GetManifest(context.Background(), id, smapi.StageDevelopment)
		se := wantStatus(t, "GetManifest", err, http.StatusSeeOther)
		if !strings.Contains(se.Error(), "still not ready after 100ms") || !strings.Contains(se.Error(), "still being created") {
			t.Errorf("303 reported as %q", se)
		}
		_, err = c.GetStatus(context.Background(), id)
		se = wantStatus(t, "GetStatus", err, http.StatusNotFound)
		if !strings.Contains(se.Error(), "still not ready") {
			t.Errorf("404 reported as %q", se)
		}
		if n := len(logged(s, http.MethodGet, manifestOf(id))); n < 2 {
			t.Errorf("manifest asked %d times within the window, want several", n)
		}
	})
}

// TestSimulatorSlowAnswer: a scripted slow answer is bounded by the
// caller's context, not waited for.
func TestSimulatorSlowAnswer(t *testing.T) {
	t.Parallel()
	const skill = "amzn1.ask.skill.sim-slow"
	s := smapitest.NewServer(smapitest.WithVendor("M1SIMVENDOR"), smapitest.WithSkill(skill, []byte(simManifest)),
		smapitest.WithFault(smapitest.Fault{Method: http.MethodGet, Path: "/v1/skills/" + skill + "/stages/development/manifest", Delay: time.Minute}))
	defer s.Close()
	c := newSimClient(t, s, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetManifest(ctx, skill, smapi.StageDevelopment)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the context's DeadlineExceeded", err)
	}
	if el := time.Since(start); el > 10*time.Second {
		t.Errorf("returned after %s; the context allowed 100ms", el)
	}
	// The next call, without the fault, is answered at once.
	if _, err := c.GetManifest(context.Background(), skill, smapi.StageDevelopment); err != nil {
		t.Errorf("after the slow answer: %v", err)
	}
}

// TestSimulatorBuildOutcomes: WaitForBuild reports a FAILED build with the
// simulator's messages and gives up on a build that never ends.
func TestSimulatorBuildOutcomes(t *testing.T) {
	t.Parallel()
	model := []byte(`{"interactionModel":{"languageModel":{"invocationName":"sim skill","intents":[],"types":[]}}}`)
	t.Run("manifest FAILED", func(t *testing.T) {
		t.Parallel()
		const skill = "amzn1.ask.skill.sim-failed"
		s := smapitest.NewServer(smapitest.WithVendor("M1SIMVENDOR"), smapitest.WithSkill(skill, []byte(simManifest)),
			smapitest.WithBuildTime(20*time.Millisecond))
		defer s.Close()
		s.QueueBuildOutcomes(smapitest.BuildOutcome{Errors: []string{"The endpoint ARN is not valid."}})
		c := newSimClient(t, s, nil)
		if _, err := c.UpdateManifest(context.Background(), skill, smapi.StageDevelopment, []byte(simManifest), liveETag(t, s, skill)); err != nil {
			t.Fatal(err)
		}
		_, err := smapi.WaitForBuild(context.Background(), c, skill, []string{smapi.ResourceManifest}, simWait)
		var be *smapi.BuildFailedError
		if !errors.As(err, &be) || len(be.Failed) != 1 || be.Failed[0].Name() != smapi.ResourceManifest {
			t.Fatalf("err = %v, want a *BuildFailedError for the manifest", err)
		}
		if !strings.Contains(err.Error(), "The endpoint ARN is not valid.") {
			t.Errorf("error %q lacks the build's message", err)
		}
	})
	t.Run("interaction model FAILED", func(t *testing.T) {
		t.Parallel()
		const skill = "amzn1.ask.skill.sim-model-failed"
		s := smapitest.NewServer(smapitest.WithVendor("M1SIMVENDOR"), smapitest.WithSkill(skill, []byte(simManifest)))
		defer s.Close()
		s.QueueBuildOutcomes(smapitest.BuildOutcome{Errors: []string{"Sample utterance 'x' is invalid."}, Duration: 20 * time.Millisecond})
		c := newSimClient(t, s, nil)
		if _, err := c.PutInteractionModel(context.Background(), skill, smapi.StageDevelopment, "en-US", model, smapi.IfAbsent()); err != nil {
			t.Fatal(err)
		}
		opts := simWait
		opts.Locales = []string{"en-US"}
		_, err := smapi.WaitForBuild(context.Background(), c, skill, []string{smapi.ResourceInteractionModel}, opts)
		var be *smapi.BuildFailedError
		if !errors.As(err, &be) || len(be.Failed) != 1 || be.Failed[0].Name() != "interactionModel en-US" {
			t.Fatalf("err = %v, want a *BuildFailedError for interactionModel en-US", err)
		}
		if !strings.Contains(err.Error(), "Sample utterance 'x' is invalid.") {
			t.Errorf("error %q lacks the build's message", err)
		}
	})
	t.Run("never ends", func(t *testing.T) {
		t.Parallel()
		const skill = "amzn1.ask.skill.sim-never"
		s := smapitest.NewServer(smapitest.WithVendor("M1SIMVENDOR"), smapitest.WithSkill(skill, []byte(simManifest)))
		defer s.Close()
		s.QueueBuildOutcomes(smapitest.BuildOutcome{Never: true})
		c := newSimClient(t, s, nil)
		if _, err := c.UpdateManifest(context.Background(), skill, smapi.StageDevelopment, []byte(simManifest), liveETag(t, s, skill)); err != nil {
			t.Fatal(err)
		}
		opts := simWait
		opts.Timeout = 150 * time.Millisecond
		start := time.Now()
		_, err := smapi.WaitForBuild(context.Background(), c, skill, []string{smapi.ResourceManifest}, opts)
		var te *smapi.WaitTimeoutError
		if !errors.As(err, &te) || !smapi.IsTimeout(err) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want a *WaitTimeoutError from the deadline", err)
		}
		if len(te.Pending) != 1 || te.Pending[0].Status != smapi.StatusInProgress {
			t.Errorf("pending %+v, want the manifest IN_PROGRESS", te.Pending)
		}
		if el := time.Since(start); el > 5*time.Second {
			t.Errorf("gave up after %s with a 150ms timeout", el)
		}
		if polls := len(logged(s, http.MethodGet, "/v1/skills/"+skill+"/status")); polls < 2 {
			t.Errorf("status polled %d times, want several", polls)
		}
	})
}

// TestSimulatorExpiredTokens: when the simulator forgets every token, the
// client fetches one new token, however many requests were refused
// together, and carries on; a token refused again is reported.
func TestSimulatorExpiredTokens(t *testing.T) {
	t.Parallel()
	const skill = "amzn1.ask.skill.sim-tokens"
	s := smapitest.NewServer(smapitest.WithVendor("M1SIMVENDOR"), smapitest.WithSkill(skill, []byte(simManifest)))
	defer s.Close()
	c := newSimClient(t, s, nil)
	ctx := context.Background()
	tokens := func() int { return len(logged(s, http.MethodPost, smapi.TokenPath)) }
	path := "/v1/skills/" + skill + "/stages/development/manifest"

	if _, err := c.GetManifest(ctx, skill, smapi.StageDevelopment); err != nil {
		t.Fatal(err)
	}
	s.ExpireTokens()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := c.GetManifest(ctx, skill, smapi.StageDevelopment); err != nil {
				t.Errorf("GetManifest after ExpireTokens: %v", err)
			}
		})
	}
	wg.Wait()
	if _, err := c.GetManifest(ctx, skill, smapi.StageDevelopment); err != nil {
		t.Fatal(err)
	}
	if n := tokens(); n != 2 {
		t.Errorf("token fetched %d times, want 2 (the first, and one after the expiry)", n)
	}
	refused := 0
	for _, st := range statusesOf(logged(s, http.MethodGet, path)) {
		if st == http.StatusUnauthorized {
			refused++
		}
	}
	if refused == 0 {
		t.Error("no request was refused after ExpireTokens; the test did not test anything")
	}

	s.Fault(smapitest.Fault{Method: http.MethodGet, Path: path, Status: http.StatusUnauthorized, Times: -1})
	_, err := c.GetManifest(ctx, skill, smapi.StageDevelopment)
	se := wantStatus(t, "always refused", err, http.StatusUnauthorized)
	if !strings.Contains(se.Error(), "must belong together") {
		t.Errorf("401 reported as %q", se)
	}
	if n := tokens(); n != 3 {
		t.Errorf("token fetched %d times, want 3: one more for the refused request, then give up", n)
	}
}

// liveETag is the If-Match of a write to skill's development manifest, read
// from the simulator's state.
func liveETag(t testing.TB, s *smapitest.Server, skill string) smapi.Precondition {
	t.Helper()
	_, etag, ok := s.Manifest(skill, smapi.StageDevelopment)
	if !ok || etag == "" {
		t.Fatalf("the simulator holds no development manifest of %s", skill)
	}
	return smapi.IfMatch(etag)
}
