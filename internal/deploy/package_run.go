package deploy

// The package path of Run: when the fresh plan says the package holds what
// the resource APIs cannot carry (plan.Plan.ImportReason), the deploy
// guards the whole live package against the plan's marker, then uploads and
// imports it with If-Match set to the package ETag the fresh plan read.

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/skillgate/skillgate/internal/plan"
	"github.com/skillgate/skillgate/internal/skillpkg"
	"github.com/skillgate/skillgate/internal/smapi"
)

// Paths a deploy takes, for Outcome.Path.
const (
	PathResources = "resources" // manifest and model PUTs with If-Match
	PathPackage   = "package"   // upload and import of the whole package
)

// runPackage deploys the whole package. fresh holds the live package's
// ETag and the files that differ.
func (r *deployRun) runPackage(ctx context.Context, recorded *PlanComment, fresh *plan.Plan) error {
	p := r.opts.Progress
	r.out.Path, r.out.PathReason, r.out.Files = PathPackage, fresh.ImportReason, fresh.Files
	p.Line("Deploying the whole package through upload and import: " + fresh.ImportReason + ".")
	if !fresh.Changed() {
		r.out.Status, r.out.ETagAfter = StatusNoChanges, fresh.Manifest.ETag
		p.Line("No changes: the live package already matches the repository; nothing was uploaded.")
		return nil
	}
	if err := r.guardPackage(recorded, fresh); err != nil {
		return err
	}
	c, ok := r.client.(*smapi.Client)
	if !ok {
		return fmt.Errorf("deploy: this SMAPI client cannot upload packages")
	}
	ifMatch, err := r.packageETag(ctx, c, fresh.PackageETag)
	if err != nil {
		return err
	}
	files, err := skillpkg.ReadDir(r.opts.PackageDir)
	if err != nil {
		return &ConfigError{Field: "skill-package", Message: err.Error()}
	}
	zip, err := skillpkg.Pack(files)
	if err == nil && len(zip) > skillpkg.MaxZipBytes {
		err = fmt.Errorf("the skill package zips to %.1f MiB, more than the %d MiB an import accepts; nothing was uploaded", float64(len(zip))/(1<<20), skillpkg.MaxZipBytes>>20)
	}
	if err != nil {
		return r.refuse(&RefusedError{Reason: "too-large", Message: err.Error()})
	}
	st, err := r.importPackage(ctx, c, zip, ifMatch)
	if st != nil {
		r.out.Resources = st.States()
	}
	if err != nil {
		return r.importFailed(err)
	}
	r.out.Status = StatusSucceeded
	if m, err := c.GetManifest(ctx, r.opts.SkillID, r.opts.Stage); err == nil {
		r.out.ETagAfter = m.ETag
	}
	after := ""
	if st.Skill != nil {
		after = st.Skill.ETag
	}
	p.Line(fmt.Sprintf("Deployed through a package import: package ETag %s → %s.", fresh.PackageETag, after))
	return r.submit(ctx)
}

// packageETag is the If-Match of the import: the live package's ETag the
// plan read. An export without one is done once more; still without one,
// the deploy refuses before uploading anything, since an import without
// If-Match would overwrite whatever changed since.
func (r *deployRun) packageETag(ctx context.Context, c *smapi.Client, read string) (string, error) {
	if read != "" {
		return read, nil
	}
	var live *smapi.ExportedPackage
	err := r.step("read the live package again", func() (string, error) {
		var err error
		live, err = c.ReadPackage(ctx, r.opts.SkillID, r.opts.Stage)
		return "OK", err
	})
	if err != nil {
		return "", fmt.Errorf("reading the live package: %w", err)
	}
	if live.ETag != "" {
		return live.ETag, nil
	}
	return "", r.refuse(&RefusedError{Reason: "no-etag", Message: fmt.Sprintf("SMAPI exported the live package of %s without an ETag, twice, so there is no If-Match for the import, "+
		"and an import without one could overwrite a change made since; nothing was uploaded or written. Run the deploy again later; if SMAPI keeps answering without an ETag, report it to Amazon", r.opts.SkillID)})
}

// importPackage uploads and imports the zip, waiting for the import and
// its builds within the deploy's timeout.
func (r *deployRun) importPackage(ctx context.Context, c *smapi.Client, zip []byte, ifMatch string) (*smapi.ImportStatus, error) {
	p := r.opts.Progress
	p.Group("Importing the package into " + r.opts.SkillID)
	defer p.EndGroup()
	var st *smapi.ImportStatus
	err := r.step("upload and import the package", func() (string, error) {
		var err error
		st, err = importZip(ctx, c, r.opts.SkillID, zip, ifMatch, smapi.WaitOptions{
			Timeout:  r.opts.Timeout,
			Schedule: r.opts.Schedule,
			OnProgress: func(pr smapi.Progress) {
				var states []string
				for _, s := range pr.States {
					states = append(states, s.String())
				}
				p.Line(fmt.Sprintf("[%s] %s", pr.Elapsed.Round(time.Second), strings.Join(states, ", ")))
			},
		})
		if err != nil {
			return "", err
		}
		return st.Status, nil
	})
	return st, err
}

// importFailed records a failed import: a refusal (412) as such, a failed
// import with one error annotation per resource error.
func (r *deployRun) importFailed(err error) error {
	var re *RefusedError
	if errors.As(err, &re) {
		return r.refuse(re)
	}
	r.out.Status = StatusFailed
	var fe *smapi.ImportFailedError
	if errors.As(err, &fe) {
		for _, e := range fe.Errors {
			r.opts.Progress.Error("import: " + e)
		}
		for _, f := range fe.Failed {
			for _, e := range f.Errors {
				r.opts.Progress.Error(f.Name() + ": " + e)
			}
		}
		be := &BuildError{}
		for _, f := range fe.Failed {
			be.Messages = append(be.Messages, f.Name()+" "+f.Status+": "+strings.Join(f.Errors, "; "))
		}
		return be
	}
	return err
}

// guardPackage compares the live package with the one the plan recorded:
// another ETag means someone changed the skill since (an icon uploaded from
// ask-cli or the console, say). The refusal names the files whose hashes
// moved, and the manifest when it did.
func (r *deployRun) guardPackage(recorded *PlanComment, fresh *plan.Plan) error {
	if recorded == nil && (r.opts.ExpectETag != "" || r.opts.ExpectSHA256 != "") {
		// From a terminal: --expect-etag and --expect-sha256 name the
		// manifest the user last saw, which an icon deploy changes too.
		live := fresh.Manifest
		if (r.opts.ExpectETag != "" && r.opts.ExpectETag != live.ETag) || (r.opts.ExpectSHA256 != "" && r.opts.ExpectSHA256 != live.SHA256) {
			return r.drifted(r.opts.ExpectETag, r.opts.ExpectSHA256, live, "since you looked", "")
		}
		r.out.PlanNote = fmt.Sprintf("The live manifest is the expected one (ETag %s).", live.ETag)
		r.opts.Progress.Line(r.out.PlanNote)
		return nil
	}
	if recorded == nil || recorded.Marker.Package == "" {
		r.out.PlanNote = "No plan of the whole package to check the live skill against; deploying."
		r.opts.Progress.Line(r.out.PlanNote)
		return nil
	}
	want := recorded.Marker
	if want.Package == fresh.PackageETag {
		r.out.PlanNote = fmt.Sprintf("The live package is the one the plan on %s showed (ETag %s).", planWhere(recorded), want.Package)
		r.opts.Progress.Line(r.out.PlanNote)
		return nil
	}
	var moved []string
	names := map[string]bool{}
	for n := range want.Files {
		names[n] = true
	}
	for n := range fresh.Marker.Files {
		names[n] = true
	}
	for _, n := range slices.Sorted(maps.Keys(names)) {
		if want.Files[n] != fresh.Marker.Files[n] {
			moved = append(moved, n)
		}
	}
	if want.SHA256 != "" && want.SHA256 != fresh.Manifest.SHA256 {
		moved = append(moved, "skill.json (the live manifest)")
	}
	what := fmt.Sprintf("the live skill package of %s changed since the plan on %s: package ETag %s, now %s", r.opts.SkillID, planWhere(recorded), want.Package, fresh.PackageETag)
	if len(moved) > 0 {
		what += "; changed: " + strings.Join(moved, ", ")
	}
	return r.drift(what, want.Package, fresh.PackageETag, nil)
}

// importZip uploads zip to a fresh upload URL and imports it into skillID
// with ifMatch, then waits for the import and the builds it started. A 412
// (the package changed since ifMatch was read) is a *RefusedError.
func importZip(ctx context.Context, c *smapi.Client, skillID string, zip []byte, ifMatch string, wait smapi.WaitOptions) (*smapi.ImportStatus, error) {
	return uploadAndImport(ctx, c, zip, wait, func(location string) (*smapi.Accepted, error) {
		acc, err := c.ImportPackage(ctx, skillID, location, ifMatch)
		var se *smapi.Error
		if errors.As(err, &se) && se.Status == http.StatusPreconditionFailed {
			return nil, &RefusedError{Reason: "precondition", PlannedETag: ifMatch, Err: err,
				Message: fmt.Sprintf("SMAPI answered 412: the skill package changed after it was read (ETag %s), so nothing was written; review the other change, then run the deploy again", ifMatch)}
		}
		return acc, err
	})
}

// CreateFromPackage creates a skill of vendorID from a skill package zip
// (upload, POST /v1/skills/imports) and waits for the import and its
// builds; the new skill's id is in the status. A zip over
// skillpkg.MaxZipBytes is refused before anything is sent.
func CreateFromPackage(ctx context.Context, c *smapi.Client, vendorID string, zip []byte, wait smapi.WaitOptions) (*smapi.ImportStatus, error) {
	if len(zip) > skillpkg.MaxZipBytes {
		return nil, &RefusedError{Reason: "too-large", Message: fmt.Sprintf("the skill package zips to %.1f MiB, more than the %d MiB an import accepts; nothing was uploaded",
			float64(len(zip))/(1<<20), skillpkg.MaxZipBytes>>20)}
	}
	return uploadAndImport(ctx, c, zip, wait, func(location string) (*smapi.Accepted, error) {
		return c.CreateSkillFromPackage(ctx, vendorID, location)
	})
}

// uploadAndImport uploads zip to a fresh upload URL, starts the import
// with start(location), and waits for it.
func uploadAndImport(ctx context.Context, c *smapi.Client, zip []byte, wait smapi.WaitOptions, start func(location string) (*smapi.Accepted, error)) (*smapi.ImportStatus, error) {
	u, err := c.CreateUploadURL(ctx)
	if err != nil {
		return nil, err
	}
	if err := c.UploadPackage(ctx, u, zip); err != nil {
		return nil, err
	}
	acc, err := start(u.URL)
	if err != nil {
		return nil, err
	}
	id, err := smapi.TrackingID(acc.Location, "imports")
	if err != nil {
		return nil, err
	}
	return smapi.WaitForImport(ctx, c, id, wait)
}
