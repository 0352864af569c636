package deploy

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/skillgate/skillgate/internal/skillpkg"
	"github.com/skillgate/skillgate/internal/smapi"
	"github.com/skillgate/skillgate/internal/smapitest"
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

var fastPackageWait = smapi.WaitOptions{Schedule: smapi.Schedule{Initial: time.Millisecond, Max: 5 * time.Millisecond, Factor: 2}, Timeout: 10 * time.Second}

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

// TestDeployPackage creates a skill from the package, deploys a changed
// icon with If-Match, sends nothing when nothing changed, and refuses when
// the live package changed in between.
func TestDeployPackage(t *testing.T) {
	t.Parallel()
	s := smapitest.NewServer(smapitest.WithStaticToken("pkg-token"))
	defer s.Close()
	c := packageClient(t, s)
	ctx := context.Background()
	files := testPackage(t)

	res, err := DeployPackage(ctx, c, PackageInput{Files: files, VendorID: smapitest.DefaultVendorID, Wait: fastPackageWait})
	if err != nil || !res.Created || !res.Imported || res.SkillID == "" {
		t.Fatalf("create: %+v, %v", res, err)
	}
	id := res.SkillID

	files["assets/images/large.png"] = iconPNG(t, 512, 200)
	res, err = DeployPackage(ctx, c, PackageInput{Files: files, SkillID: id, Wait: fastPackageWait})
	if err != nil || res.Created || !res.Imported {
		t.Fatalf("update: %+v, %v", res, err)
	}
	if live, _ := s.PackageFile(id, "assets/images/large.png"); !bytes.Equal(live, files["assets/images/large.png"]) {
		t.Error("the new icon is not live")
	}
	if etag, _ := s.PackageETag(id); res.ETag != etag {
		t.Errorf("result eTag %q, live %q", res.ETag, etag)
	}

	s.ResetRequests()
	res, err = DeployPackage(ctx, c, PackageInput{Files: files, SkillID: id, Wait: fastPackageWait})
	if err != nil || res.Imported {
		t.Fatalf("no change: %+v, %v", res, err)
	}
	if u, i := countPackageWrites(s); u != 0 || i != 0 {
		t.Errorf("no change sent %d uploads and %d imports", u, i)
	}

	// A teammate's deploy (another icon) lands between our export and our
	// import: ours is refused and writes nothing.
	planned, _ := s.PackageETag(id)
	teammate := testPackage(t)
	teammate["assets/images/small.png"] = iconPNG(t, 108, 99)
	if _, err := DeployPackage(ctx, c, PackageInput{Files: teammate, SkillID: id, Wait: fastPackageWait}); err != nil {
		t.Fatal(err)
	}
	theirs, _ := s.PackageETag(id)
	files["assets/images/large.png"] = iconPNG(t, 512, 201)
	zip, _ := skillpkg.Pack(files)
	_, err = importZip(ctx, c, PackageInput{Files: files, SkillID: id, Wait: fastPackageWait}, zip, `"`+planned+`"`)
	var re *RefusedError
	if !errors.As(err, &re) || re.Reason != "precondition" {
		t.Errorf("stale If-Match: err = %v, want a precondition refusal", err)
	}
	if after, _ := s.PackageETag(id); after != theirs {
		t.Error("a refused import changed the package")
	}
}

func TestDeployPackageFailedImport(t *testing.T) {
	t.Parallel()
	s := smapitest.NewServer(smapitest.WithStaticToken("pkg-token"))
	defer s.Close()
	c := packageClient(t, s)
	files := testPackage(t)
	files["interactionModels/custom/de-DE.json"] = []byte("{not json")
	_, err := DeployPackage(context.Background(), c, PackageInput{Files: files, VendorID: smapitest.DefaultVendorID, Wait: fastPackageWait})
	var fe *smapi.ImportFailedError
	if !errors.As(err, &fe) || len(fe.Failed) != 1 || fe.Failed[0].Name() != "interactionModels.de_DE" {
		t.Fatalf("err = %v, want the de-DE model's failure", err)
	}
	if !strings.Contains(err.Error(), "interactionModels.de_DE FAILED: interactionModels/custom/de-DE.json:") {
		t.Errorf("error does not name the file: %v", err)
	}
}

func TestDeployPackageTooLarge(t *testing.T) {
	t.Parallel()
	s := smapitest.NewServer(smapitest.WithStaticToken("pkg-token"))
	defer s.Close()
	files := testPackage(t)
	big := make([]byte, skillpkg.MaxZipBytes+1)
	_, _ = rand.NewChaCha8([32]byte{1}).Read(big) // random bytes do not compress
	files["assets/video.bin"] = big
	_, err := DeployPackage(context.Background(), packageClient(t, s), PackageInput{Files: files, VendorID: smapitest.DefaultVendorID, Wait: fastPackageWait})
	var re *RefusedError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "more than the 50 MiB") {
		t.Fatalf("err = %v, want a size refusal", err)
	}
	if len(s.Requests()) != 0 {
		t.Errorf("a refused package sent %d requests", len(s.Requests()))
	}
}

// BenchmarkPackageDeploy is one whole-package deploy of a changed icon
// against the in-process simulator with instant builds: export and compare,
// zip, upload, import with If-Match, wait.
func BenchmarkPackageDeploy(b *testing.B) {
	s := smapitest.NewServer(smapitest.WithStaticToken("pkg-token"), smapitest.WithRequestLogLimit(100))
	defer s.Close()
	c := packageClient(b, s)
	ctx := context.Background()
	files := testPackage(b)
	res, err := DeployPackage(ctx, c, PackageInput{Files: files, VendorID: smapitest.DefaultVendorID, Wait: fastPackageWait})
	if err != nil {
		b.Fatal(err)
	}
	icons := [2][]byte{iconPNG(b, 512, 1), iconPNG(b, 512, 2)}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		files["assets/images/large.png"] = icons[i%2]
		r, err := DeployPackage(ctx, c, PackageInput{Files: files, SkillID: res.SkillID, Wait: fastPackageWait})
		if err != nil || !r.Imported {
			b.Fatalf("deploy %d: %+v, %v", i, r, err)
		}
	}
}
