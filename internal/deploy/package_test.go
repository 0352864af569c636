package deploy

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/skillgate/skillgate/internal/plan"
	"github.com/skillgate/skillgate/internal/prcomment"
	"github.com/skillgate/skillgate/internal/skillpkg"
	"github.com/skillgate/skillgate/internal/smapi"
	"github.com/skillgate/skillgate/internal/smapitest"
	"github.com/skillgate/skillgate/internal/validate"
)

func iconPNG(tb testing.TB, n int, shade uint8) []byte {
	tb.Helper()
	img := image.NewGray(image.Rect(0, 0, n, n))
	for i := range img.Pix {
		img.Pix[i] = shade
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// testPackage is an ask-cli v2 skill-package with file:// icons, two
// models and PNG assets.
func testPackage(tb testing.TB) map[string][]byte {
	return map[string][]byte{
		"skill.json": []byte(`{"manifest": {"manifestVersion": "1.0", "publishingInformation": {"locales": {
  "en-US": {"name": "Pkg", "smallIconUri": "file://assets/images/small.png", "largeIconUri": "file://assets/images/large.png"},
  "de-DE": {"name": "Pkg", "smallIconUri": "file://assets/images/small.png", "largeIconUri": "file://assets/images/large.png"}}},
  "apis": {"custom": {}}}}
`),
		"interactionModels/custom/en-US.json": []byte(`{"interactionModel": {"languageModel": {"invocationName": "package test", "intents": []}}}`),
		"interactionModels/custom/de-DE.json": []byte(`{"interactionModel": {"languageModel": {"invocationName": "paket test", "intents": []}}}`),
		"assets/images/small.png":             iconPNG(tb, 108, 10),
		"assets/images/large.png":             iconPNG(tb, 512, 20),
	}
}

func packageClient(tb testing.TB, s *smapitest.Server) *smapi.Client {
	tb.Helper()
	c, err := smapi.NewClient(smapi.Config{BaseURL: s.URL, LWAURL: s.URL, AccessToken: "pkg-token", VendorID: smapitest.DefaultVendorID,
		HTTPClient: s.Client(), Retry: smapi.RetryPolicy{MaxAttempts: 2, MinWait: time.Millisecond}})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// countPackageWrites counts the uploads and imports the simulator saw.
func countPackageWrites(s *smapitest.Server) (uploads, imports int) {
	for _, r := range s.Requests() {
		switch {
		case r.Method == "POST" && r.Path == "/v1/skills/uploads":
			uploads++
		case r.Method == "POST" && strings.HasSuffix(r.Path, "/imports"):
			imports++
		}
	}
	return uploads, imports
}

// packageOptions writes files as a package folder and returns deploy
// options for it.
func packageOptions(tb testing.TB, skillID string, files map[string][]byte) Options {
	tb.Helper()
	dir := tb.TempDir()
	if err := skillpkg.WriteDir(dir, files, true); err != nil {
		tb.Fatal(err)
	}
	models := map[string][]byte{}
	for name, b := range files {
		if loc, ok := strings.CutPrefix(name, skillpkg.ModelDir); ok {
			models[strings.TrimSuffix(loc, ".json")] = b
		}
	}
	return Options{SkillID: skillID, Manifest: files["skill.json"], Models: models, PackageDir: dir,
		Timeout: 10 * time.Second, Schedule: smapi.Schedule{Initial: time.Millisecond, Factor: 2, Max: 5 * time.Millisecond}}
}

// planFinder hands the deploy a plan comment, as the merged pull request's.
type planFinder struct{ body string }

func (f planFinder) FindMerged(_ context.Context, _, _, _ string, key prcomment.Key) (*prcomment.Comment, error) {
	if !key(f.body) {
		return nil, nil
	}
	return &prcomment.Comment{PR: 7, ID: 70, Body: f.body}, nil
}

// TestRunPackage deploys a changed icon through upload and import, then
// sends nothing when nothing changed.
func TestRunPackage(t *testing.T) {
	t.Parallel()
	s := smapitest.NewServer(smapitest.WithStaticToken("pkg-token"))
	defer s.Close()
	c := packageClient(t, s)
	files := testPackage(t)
	id, err := s.AddPackage(files)
	if err != nil {
		t.Fatal(err)
	}
	files["assets/images/large.png"] = iconPNG(t, 512, 200)
	out, err := Run(context.Background(), c, packageOptions(t, id, files))
	if err != nil || out.Status != StatusSucceeded || out.Path != PathPackage {
		t.Fatalf("deploy: %+v, %v", out, err)
	}
	if len(out.Files) != 1 || out.Files[0].Path != "assets/images/large.png" || out.Files[0].Kind != skillpkg.Changed {
		t.Errorf("files = %+v, want the large icon changed", out.Files)
	}
	if live, _ := s.PackageFile(id, "assets/images/large.png"); !bytes.Equal(live, files["assets/images/large.png"]) {
		t.Error("the new icon is not live")
	}
	var text strings.Builder
	if err := out.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"deployed 1 change", "Path:        package import (the package holds files only an import carries", "changed  assets/images/large.png", "manifest: SUCCEEDED (UPDATE)"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, text.String())
		}
	}

	s.ResetRequests()
	out, err = Run(context.Background(), c, packageOptions(t, id, files))
	if err != nil || out.Status != StatusNoChanges {
		t.Fatalf("again: %+v, %v", out, err)
	}
	if u, i := countPackageWrites(s); u != 0 || i != 0 {
		t.Errorf("no change sent %d uploads and %d imports", u, i)
	}
}

// TestRunPackageDrift: a teammate's deploy of another icon between the plan
// and the merge is refused under drift: fail, naming the file, with nothing
// written.
func TestRunPackageDrift(t *testing.T) {
	t.Parallel()
	s := smapitest.NewServer(smapitest.WithStaticToken("pkg-token"))
	defer s.Close()
	c := packageClient(t, s)
	files := testPackage(t)
	id, err := s.AddPackage(files)
	if err != nil {
		t.Fatal(err)
	}
	files["assets/images/large.png"] = iconPNG(t, 512, 200)
	opts := packageOptions(t, id, files)
	planned, err := plan.New(context.Background(), c, mustRepo(t, opts), plan.Options{SkillID: id, Stage: "development"})
	if err != nil || planned.Marker.Package == "" {
		t.Fatalf("plan: %+v, %v", planned, err)
	}
	teammate := testPackage(t)
	teammate["assets/images/small.png"] = iconPNG(t, 108, 99)
	if _, err := Run(context.Background(), c, packageOptions(t, id, teammate)); err != nil {
		t.Fatal(err)
	}
	theirs, _ := s.PackageETag(id)
	s.ResetRequests()
	opts.Plan = &PlanSource{Finder: planFinder{body: planned.Markdown()}, Owner: "o", Repo: "r", SHA: "abc"}
	out, err := Run(context.Background(), c, opts)
	var re *RefusedError
	if !errors.As(err, &re) || re.Reason != "drift" || out.Refused != "drift" {
		t.Fatalf("err = %v, want a drift refusal", err)
	}
	if !strings.Contains(err.Error(), "changed: assets/images/small.png") {
		t.Errorf("the refusal does not name the file: %v", err)
	}
	if after, _ := s.PackageETag(id); after != theirs {
		t.Error("a refused deploy changed the package")
	}
	if u, i := countPackageWrites(s); u != 0 || i != 0 {
		t.Errorf("a refused deploy sent %d uploads and %d imports", u, i)
	}
}

// mustRepo is the package of opts as the validator reads it.
func mustRepo(t *testing.T, opts Options) *validate.Result {
	t.Helper()
	res, err := validate.ValidatePath(opts.PackageDir)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// recorder keeps a deploy's error annotations.
type recorder struct {
	discard
	errors []string
}

func (r *recorder) Error(msg string) { r.errors = append(r.errors, msg) }

func TestRunPackageFailedImport(t *testing.T) {
	t.Parallel()
	s := smapitest.NewServer(smapitest.WithStaticToken("pkg-token"))
	defer s.Close()
	files := testPackage(t)
	id, err := s.AddPackage(files)
	if err != nil {
		t.Fatal(err)
	}
	s.QueueBuildOutcomes(buildOutcomeFailing("Sample utterance 'x y' is invalid."))
	files["interactionModels/custom/de-DE.json"] = []byte(`{"interactionModel": {"languageModel": {"invocationName": "paket zwei", "intents": []}}}`)
	files["assets/images/large.png"] = iconPNG(t, 512, 3)
	opts := packageOptions(t, id, files)
	rec := &recorder{}
	opts.Progress = rec
	out, err := Run(context.Background(), packageClient(t, s), opts)
	var be *BuildError
	if !errors.As(err, &be) || out.Status != StatusFailed {
		t.Fatalf("err = %v, want a failed build", err)
	}
	if want := "interactionModels.de_DE: Sample utterance 'x y' is invalid."; !slices.Contains(rec.errors, want) {
		t.Errorf("annotations %q lack %q", rec.errors, want)
	}
}

// buildOutcomeFailing is a model build that fails with msg; the manifest's
// build (first) succeeds.
func buildOutcomeFailing(msg string) (smapitest.BuildOutcome, smapitest.BuildOutcome) {
	return smapitest.BuildOutcome{}, smapitest.BuildOutcome{Errors: []string{msg}}
}

func TestRunPackageTooLarge(t *testing.T) {
	t.Parallel()
	s := smapitest.NewServer(smapitest.WithStaticToken("pkg-token"))
	defer s.Close()
	files := testPackage(t)
	id, err := s.AddPackage(files)
	if err != nil {
		t.Fatal(err)
	}
	big := make([]byte, skillpkg.MaxZipBytes+1)
	_, _ = rand.NewChaCha8([32]byte{1}).Read(big) // random bytes do not compress
	files["assets/video.bin"] = big
	s.ResetRequests()
	_, err = Run(context.Background(), packageClient(t, s), packageOptions(t, id, files))
	var re *RefusedError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "more than the 50 MiB") {
		t.Fatalf("err = %v, want a size refusal", err)
	}
	if u, i := countPackageWrites(s); u != 0 || i != 0 {
		t.Errorf("a refused package sent %d uploads and %d imports", u, i)
	}
}

// BenchmarkPackageDeploy is one whole skill package deploy of a changed
// icon against the in-process simulator with instant builds: validate-free
// Run with the package folder (read the live manifest, models and package,
// compare, zip, upload, import with If-Match, wait, read the new ETag).
func BenchmarkPackageDeploy(b *testing.B) {
	s := smapitest.NewServer(smapitest.WithStaticToken("pkg-token"), smapitest.WithRequestLogLimit(100))
	defer s.Close()
	c := packageClient(b, s)
	files := testPackage(b)
	id, err := s.AddPackage(files)
	if err != nil {
		b.Fatal(err)
	}
	icons := [2][]byte{iconPNG(b, 512, 1), iconPNG(b, 512, 2)}
	opts := [2]Options{}
	for i := range opts {
		files["assets/images/large.png"] = icons[i]
		opts[i] = packageOptions(b, id, files)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := Run(context.Background(), c, opts[i%2])
		if err != nil || out.Status != StatusSucceeded {
			b.Fatalf("deploy %d: %+v, %v", i, out, err)
		}
	}
}
