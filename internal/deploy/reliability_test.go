package deploy

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/skillgate/skillgate/internal/smapi"
	"github.com/skillgate/skillgate/internal/smapitest"
)

// stripETag drops the ETag header from the answers to GET requests whose
// path ends in suffix, the first times times (negative: always), as a SMAPI
// that forgets the header would.
type stripETag struct {
	next   http.RoundTripper
	suffix string
	times  int32
	n      atomic.Int32
}

func (s *stripETag) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := s.next.RoundTrip(r)
	if err != nil || r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, s.suffix) {
		return resp, err
	}
	if n := s.n.Add(1); s.times < 0 || n <= s.times {
		resp.Header.Del("ETag")
	}
	return resp, nil
}

// withoutETag makes h's client read suffix without an ETag times times.
func (h *harness) withoutETag(suffix string, times int32) {
	h.t.Helper()
	h.client = h.newClientWith(&http.Client{Transport: &stripETag{next: h.sim.Client().Transport, suffix: suffix, times: times}})
}

// TestNoETagNoWrite: a live manifest read without an ETag is read once more;
// still without one, the deploy refuses and writes nothing (issue: the PUT
// went out without If-Match and overwrote whatever was live).
func TestNoETagNoWrite(t *testing.T) {
	t.Parallel()
	h := setup(t)
	h.withoutETag("/stages/development/manifest", -1)
	before, _ := h.live()
	out, err := h.run(Options{Manifest: edited(t, "Ours.")})
	var re *RefusedError
	if !errors.As(err, &re) || re.Reason != "no-etag" {
		t.Fatalf("err = %v, want a no-etag *RefusedError", err)
	}
	for _, want := range []string{"without an ETag", "nothing was written"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal lacks %q: %v", want, err)
		}
	}
	if n := h.count(http.MethodPut, manifestPath); n != 0 {
		t.Errorf("%d PUT requests, want none", n)
	}
	if n := h.count(http.MethodGet, manifestPath); n != 2 {
		t.Errorf("%d GET manifest requests, want 2 (the read and one re-read)", n)
	}
	if after, _ := h.live(); !sameManifest(t, before, after) {
		t.Error("the live manifest changed")
	}
	if out.Status != StatusFailed || out.Refused != "no-etag" {
		t.Errorf("Status, Refused = %s, %s", out.Status, out.Refused)
	}
}

// TestNoETagOnce: when the re-read brings the ETag, the write carries it.
func TestNoETagOnce(t *testing.T) {
	t.Parallel()
	h := setup(t)
	h.withoutETag("/stages/development/manifest", 1)
	_, etag := h.live()
	out, err := h.run(Options{Manifest: edited(t, "Ours.")})
	if err != nil || out.Status != StatusSucceeded {
		t.Fatalf("Run = %s, %v", out.Status, err)
	}
	puts := h.puts()
	if len(puts) != 1 || puts[0].Header.Get("If-Match") != etag {
		t.Errorf("PUTs %+v, want one with If-Match %s", puts, etag)
	}
}

// TestNoETagModel: the same holds for an interaction model the deploy would
// replace; a locale the live skill lacks is created without If-Match.
func TestNoETagModel(t *testing.T) {
	t.Parallel()
	h := setup(t, withModels(t)...)
	h.withoutETag("/locales/en-US", -1)
	out, err := h.run(Options{Manifest: readFile(t, "testdata/skill.json"), Models: map[string][]byte{
		"en-US": withSample(t, "en-US", "ring in ten minutes"),
		"de-DE": readFile(t, "testdata/model-de-DE.json"),
	}})
	var re *RefusedError
	if !errors.As(err, &re) || re.Reason != "no-etag" || !strings.Contains(err.Error(), "en-US interaction model") {
		t.Fatalf("err = %v, want a no-etag *RefusedError naming the en-US model", err)
	}
	if puts := h.puts(); len(puts) != 0 {
		t.Errorf("%d PUT requests, want none", len(puts))
	}
	if out.Status != StatusFailed {
		t.Errorf("Status = %s", out.Status)
	}
}

// TestNoFalseGreen: a rerun that finds nothing to write reads the build of
// what it covers. The issue: after an interrupted deploy whose build later
// failed, the rerun said NO_CHANGES and exited 0.
func TestNoFalseGreen(t *testing.T) {
	t.Parallel()
	t.Run("in progress: waited for", func(t *testing.T) {
		t.Parallel()
		h := setup(t, smapitest.WithBuildTime(600*time.Millisecond))
		ours := edited(t, "Ours, written by a deploy that was interrupted.")
		h.startOtherUpdate(ours)
		start := time.Now()
		out, err := h.run(Options{Manifest: ours})
		if err != nil || out.Status != StatusNoChanges {
			t.Fatalf("Run = %s, %v; want NO_CHANGES once the build SUCCEEDED", out.Status, err)
		}
		if time.Since(start) < 100*time.Millisecond || !strings.Contains(h.output(), "still IN_PROGRESS") || !strings.Contains(h.output(), "manifest: SUCCEEDED") {
			t.Errorf("the deploy did not wait for the build in progress (%s):\n%s", time.Since(start), h.output())
		}
		if n := h.count(http.MethodPut, manifestPath); n != 1 {
			t.Errorf("%d PUTs, want only the interrupted deploy's", n)
		}
	})
	t.Run("failed: reported", func(t *testing.T) {
		t.Parallel()
		h := setup(t, smapitest.WithBuildOutcome(smapitest.BuildOutcome{Errors: []string{"Small icon size should be 108*108."}, Duration: 5 * time.Millisecond}))
		ours := edited(t, "Ours, whose build failed after the deploy was interrupted.")
		h.startOtherUpdate(ours)
		time.Sleep(50 * time.Millisecond) // the build ends FAILED meanwhile
		out, err := h.run(Options{Manifest: ours})
		var be *BuildError
		if !errors.As(err, &be) || be.TimedOut || !strings.Contains(err.Error(), "Small icon size") {
			t.Fatalf("err = %v, want the failed build's errors", err)
		}
		if out.Status != StatusFailed || !strings.Contains(h.output(), "::error::manifest: Small icon size") {
			t.Errorf("Status %s; output:\n%s", out.Status, h.output())
		}
	})
	t.Run("succeeded: no changes", func(t *testing.T) {
		t.Parallel()
		h := setup(t)
		body, _ := h.live()
		out, err := h.run(Options{Manifest: body})
		if err != nil || out.Status != StatusNoChanges {
			t.Fatalf("Run = %s, %v", out.Status, err)
		}
	})
}

// TestInterruptSaysWhereThingsStand: an interrupt during the build wait
// names what SMAPI accepted and that the build goes on, not "context
// canceled".
func TestInterruptSaysWhereThingsStand(t *testing.T) {
	t.Parallel()
	h := setup(t, smapitest.WithBuildOutcome(smapitest.BuildOutcome{Never: true}))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for h.count(http.MethodPut, manifestPath) == 0 {
			time.Sleep(2 * time.Millisecond)
		}
		time.Sleep(20 * time.Millisecond)
		cancel()
	}()
	out, err := Run(ctx, h.client, Options{SkillID: testSkill, Manifest: edited(t, "New."), Schedule: fast, Progress: ActionProgress(h)})
	var ie *InterruptedError
	if !errors.As(err, &ie) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want an *InterruptedError", err)
	}
	for _, want := range []string{"SMAPI had accepted the manifest of " + testSkill, "the build continues on Amazon's side", "skillgate status --skill-id " + testSkill + " --wait"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the message lacks %q: %v", want, err)
		}
	}
	if strings.Contains(err.Error(), "context canceled") || out.Status != StatusFailed {
		t.Errorf("Status %s, message %v", out.Status, err)
	}

	// Interrupted before any write: the live skill is unchanged.
	ctx2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	_, err = Run(ctx2, h.client, Options{SkillID: testSkill, Manifest: edited(t, "Other."), Schedule: fast})
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "before anything was written") {
		t.Errorf("err = %v, want an interrupt before any write", err)
	}
}

// noExportETag blanks the eTag of every export status, as an export that
// came back without one.
type noExportETag struct{ next http.RoundTripper }

func (n noExportETag) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := n.next.RoundTrip(r)
	if err != nil || r.Method != http.MethodGet || !strings.Contains(r.URL.Path, "/exports/") {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	body = regexp.MustCompile(`"eTag"\s*:\s*"[^"]*"`).ReplaceAll(body, []byte(`"eTag":""`))
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Del("Content-Length")
	return resp, nil
}

// TestNoETagNoImport: a package import follows the same rule: an export
// without an ETag is done once more, then the deploy refuses before
// uploading anything.
func TestNoETagNoImport(t *testing.T) {
	t.Parallel()
	s := smapitest.NewServer(smapitest.WithStaticToken("pkg-token"))
	defer s.Close()
	ctx := context.Background()
	files := testPackage(t)
	id, err := s.AddPackage(files)
	if err != nil {
		t.Fatal(err)
	}
	c, err := smapi.NewClient(smapi.Config{BaseURL: s.URL, LWAURL: s.URL, AccessToken: "pkg-token",
		HTTPClient: &http.Client{Transport: noExportETag{next: s.Client().Transport}}})
	if err != nil {
		t.Fatal(err)
	}
	s.ResetRequests()
	files["assets/images/large.png"] = iconPNG(t, 512, 77)
	_, err = Run(ctx, c, packageOptions(t, id, files))
	var re *RefusedError
	if !errors.As(err, &re) || re.Reason != "no-etag" || !strings.Contains(err.Error(), "nothing was uploaded or written") {
		t.Fatalf("err = %v, want a no-etag refusal", err)
	}
	exports := 0
	for _, r := range s.Requests() {
		if r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/exports") {
			exports++
		}
	}
	if u, i := countPackageWrites(s); u != 0 || i != 0 || exports != 2 {
		t.Errorf("%d exports, %d uploads, %d imports; want 2, 0, 0", exports, u, i)
	}
}

// TestFailedReadIsAFailedStep: a read that fails shows FAILED in the
// summary's steps, not OK (issue: the steps of a deploy refused by LWA said
// "read the live manifest OK" above the error).
func TestFailedReadIsAFailedStep(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, path, step string
		models           bool
		manifest         func(t *testing.T, h *harness) []byte
	}{
		{name: "manifest", path: manifestPath, step: "read the live manifest",
			manifest: func(t *testing.T, _ *harness) []byte { return edited(t, "Ours.") }},
		{name: "model", path: modelPath("en-US"), step: "read the en-US model", models: true,
			manifest: func(t *testing.T, _ *harness) []byte { return edited(t, "Ours.") }},
		{name: "build status", path: "/v1/skills/" + testSkill + "/status", step: "read the build status",
			manifest: func(_ *testing.T, h *harness) []byte { body, _ := h.live(); return body }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var opts []smapitest.Option
			if tc.models {
				opts = withModels(t)
			}
			opts = append(opts, smapitest.WithFault(smapitest.Fault{Method: http.MethodGet, Path: tc.path, Status: http.StatusForbidden, Times: -1}))
			h := setup(t, opts...)
			run := Options{Manifest: tc.manifest(t, h)}
			if tc.models {
				run.Models = map[string][]byte{"en-US": readFile(t, "testdata/model-en-US.json")}
			}
			out, err := h.run(run)
			if err == nil || out.Status != StatusFailed {
				t.Fatalf("Run = %s, %v; want FAILED with the read's error", out.Status, err)
			}
			i := slices.IndexFunc(out.Steps, func(s StepTiming) bool { return s.Name == tc.step })
			if i < 0 {
				t.Fatalf("no step %q in %+v", tc.step, out.Steps)
			}
			if got := out.Steps[i].Status; got != "FAILED" {
				t.Errorf("step %q is %s after its read failed, want FAILED", tc.step, got)
			}
		})
	}
}
