package deploy

// Deploying the whole skill package through SMAPI's upload and import, as
// ask-cli's "ask deploy" does: the path for what the resource APIs cannot
// carry (assets and other files, file:// icons, a skill that does not exist
// yet).

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/skillgate/skillgate/internal/skillpkg"
	"github.com/skillgate/skillgate/internal/smapi"
)

// PackageInput is one whole-package deploy.
type PackageInput struct {
	// Files is the repository's package, path → bytes (skillpkg.ReadDir).
	Files map[string][]byte
	// SkillID is the skill to update; empty creates one for VendorID.
	SkillID  string
	VendorID string
	// Wait bounds and reports the export and import waits.
	Wait smapi.WaitOptions
}

// PackageResult is what a whole-package deploy did.
type PackageResult struct {
	SkillID string
	// Created is true when the skill was created from the package.
	Created bool
	// Imported is false when the live package already equalled the
	// repository's: nothing was uploaded or imported.
	Imported bool
	// ETag is the live package's version after the deploy.
	ETag string
	// Resources are the import's per-resource outcomes.
	Resources []smapi.ResourceState
	// ZipBytes is the size of the zip uploaded.
	ZipBytes int
	// Changes are the files that differed from the live package (every
	// file, added, for a new skill).
	Changes []skillpkg.Change
}

// PackagePath says why a deploy goes through a package import, or ""
// when the per-resource writes can carry the package: the skill does not
// exist yet, the package holds files other than skill.json and the custom
// interaction models (icons and other assets, APL documents, …), or
// skill.json names files with file:// URIs, which SMAPI takes only inside a
// package.
func PackagePath(files map[string][]byte, skillID string) string {
	var extra []string
	for _, n := range slices.Sorted(maps.Keys(files)) {
		if !skillpkg.IsResource(n) {
			extra = append(extra, n)
		}
	}
	switch {
	case len(extra) > 0 && skillID == "":
		return "the skill does not exist yet and its package holds files the manifest API cannot carry (" + someNames(extra) + ")"
	case len(extra) > 0:
		return "the package holds files only an import carries (" + someNames(extra) + ")"
	case bytes.Contains(bytes.ToLower(files[skillpkg.Manifest]), []byte(`"file://`)):
		return "skill.json names file:// URIs, which SMAPI takes only inside a package"
	}
	return ""
}

func someNames(names []string) string {
	const show = 3
	if len(names) <= show {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:show], ", "), len(names)-show)
}

// DeployPackage makes the skill's development package equal in.Files. It
// exports the live package first: when the files are the same nothing is
// uploaded; otherwise the zip (refused before any upload when it is over
// skillpkg.MaxZipBytes) is uploaded and imported with If-Match set to the
// exported package's ETag, so a change made by anyone since the export is
// refused (412) instead of overwritten. It waits for the import and the
// builds it started; a failed import is an *smapi.ImportFailedError naming
// every resource's errors.
func DeployPackage(ctx context.Context, c *smapi.Client, in PackageInput) (*PackageResult, error) {
	zip, err := skillpkg.Pack(in.Files)
	if err != nil {
		return nil, fmt.Errorf("zipping the skill package: %w", err)
	}
	if len(zip) > skillpkg.MaxZipBytes {
		return nil, &RefusedError{Reason: "too-large", Message: fmt.Sprintf("the skill package zips to %.1f MiB, more than the %d MiB an import accepts; nothing was uploaded",
			float64(len(zip))/(1<<20), skillpkg.MaxZipBytes>>20)}
	}
	res := &PackageResult{SkillID: in.SkillID, ZipBytes: len(zip)}
	ifMatch := ""
	if in.SkillID != "" {
		live, err := exportWithETag(ctx, c, in)
		if err != nil {
			return nil, err
		}
		files, err := skillpkg.Unpack(live.Zip)
		if err != nil {
			return nil, fmt.Errorf("reading the live package: %w", err)
		}
		res.ETag = live.ETag
		if res.Changes = skillpkg.Compare(files, in.Files); len(res.Changes) == 0 {
			return res, nil
		}
		ifMatch = live.ETag
	} else {
		res.Changes = skillpkg.Compare(nil, in.Files)
	}
	st, err := importZip(ctx, c, in, zip, ifMatch)
	if st != nil {
		res.Resources = st.States()
		if st.Skill != nil {
			res.SkillID, res.ETag = st.Skill.SkillID, st.Skill.ETag
		}
	}
	res.Imported, res.Created = true, in.SkillID == ""
	return res, err
}

// exportWithETag exports the live package for the If-Match of the import.
// An export without an ETag is done once more; still without one, the
// deploy refuses before uploading anything: an import without If-Match
// would overwrite whatever changed since.
func exportWithETag(ctx context.Context, c *smapi.Client, in PackageInput) (*smapi.ExportedPackage, error) {
	for attempt := 0; ; attempt++ {
		live, err := smapi.ExportPackage(ctx, c, in.SkillID, smapi.StageDevelopment, in.Wait)
		if err != nil {
			return nil, fmt.Errorf("reading the live package: %w", err)
		}
		if live.ETag != "" {
			return live, nil
		}
		if attempt == 1 {
			return nil, &RefusedError{Reason: "no-etag", Message: fmt.Sprintf("SMAPI exported the live package of %s without an ETag, twice, so there is no If-Match for the import, "+
				"and an import without one could overwrite a change made since; nothing was uploaded or written. Run the deploy again later; if SMAPI keeps answering without an ETag, report it to Amazon", in.SkillID)}
		}
	}
}

// importZip uploads zip and imports it into in.SkillID (with ifMatch) or a
// new skill, then waits for the import.
func importZip(ctx context.Context, c *smapi.Client, in PackageInput, zip []byte, ifMatch string) (*smapi.ImportStatus, error) {
	u, err := c.CreateUploadURL(ctx)
	if err != nil {
		return nil, err
	}
	if err := c.UploadPackage(ctx, u, zip); err != nil {
		return nil, err
	}
	var acc *smapi.Accepted
	if in.SkillID == "" {
		acc, err = c.CreateSkillFromPackage(ctx, in.VendorID, u.URL)
	} else {
		acc, err = c.ImportPackage(ctx, in.SkillID, u.URL, ifMatch)
	}
	var se *smapi.Error
	if errors.As(err, &se) && se.Status == http.StatusPreconditionFailed {
		return nil, &RefusedError{Reason: "precondition", PlannedETag: ifMatch, Err: err,
			Message: "the live skill package changed after it was read (412); nothing was written: plan again"}
	}
	if err != nil {
		return nil, err
	}
	id, err := smapi.TrackingID(acc.Location, "imports")
	if err != nil {
		return nil, err
	}
	if in.Wait.Timeout == 0 {
		in.Wait.Timeout = 15 * time.Minute
	}
	return smapi.WaitForImport(ctx, c, id, in.Wait)
}
