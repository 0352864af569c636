// Package plan owns skillgate's plan: what a merge would change on the live
// skill, and what the live skill was when that was worked out.
//
// New builds a Plan from a validated skill package and the live skill read
// through SMAPI: the validation findings, each live document's ETag and
// sha256, the changes (internal/diff compares the documents), and the
// Marker that records the live state in the pull-request comment. Every
// front-end asks New for the plan and renders it: `skillgate diff` as text,
// JSON or Markdown, the Action's plan mode as the sticky comment and the
// step summary (Plan.Markdown), and the deploy, which builds a fresh plan
// at merge time, compares its live state with the Marker the merged pull
// request's comment recorded (the drift guard) and writes the changes.
//
// A new kind of change is one more read in New, one more field of Plan and
// of diff.Result, and one more key of the Marker (markerKeys or
// markerGroups in marker.go); the front-ends do not change.
package plan

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"

	"github.com/skillgate/skillgate/internal/diff"
	"github.com/skillgate/skillgate/internal/jsoncanon"
	"github.com/skillgate/skillgate/internal/skillpkg"
	"github.com/skillgate/skillgate/internal/smapi"
	"github.com/skillgate/skillgate/internal/validate"
)

// Reader is the part of the SMAPI client a plan reads; *smapi.Client
// implements it.
type Reader interface {
	GetManifest(ctx context.Context, skillID, stage string) (*smapi.Manifest, error)
	GetInteractionModel(ctx context.Context, skillID, stage, locale string) (*smapi.InteractionModel, error)
}

var _ Reader = (*smapi.Client)(nil)

// Live is one read of a live document.
type Live struct {
	Body   []byte // as SMAPI sent it; nil when the live skill has none
	ETag   string
	SHA256 string // of the canonical Body; NoModel for a missing model
}

// Exists reports whether the live skill has the document.
func (l Live) Exists() bool { return l.Body != nil }

// Options says which plan New makes.
type Options struct {
	SkillID string
	Stage   string
	// FailOn is the severity at which findings fail validation; zero means
	// validate.Error.
	FailOn validate.Severity
	// ValidateOnly, when not empty, says why the live skill is not read:
	// the plan then holds the findings and this note, and its marker only
	// the skill and stage.
	ValidateOnly string
	// Display turns a package file's path into the name the diff headers
	// show (relative to the workspace, say); nil shows it as loaded.
	Display func(path string) string
	// Step, when set, runs each SMAPI read under a name ("read the live
	// manifest", "read the en-US model") and returns its error, so that a
	// caller can time the reads; the read returns a status (OK, NONE), or
	// an error and no status (the step FAILED).
	Step func(name string, read func() (status string, err error)) error
}

// Plan is what a merge of the package would change on the live skill.
type Plan struct {
	Skill string
	Stage string
	// Findings are the package's validation findings; Failed is true when
	// one is at or above Options.FailOn.
	Findings []validate.Finding
	Failed   bool
	// Note says why the live skill was not read ("validate only: …").
	Note string
	// Manifest is the live manifest as read; zero when validating only.
	Manifest Live
	// Models is the live model of each of the repository's locales,
	// including those the live skill lacks (Exists false).
	Models map[string]Live
	// Changes is the comparison with the live skill; nil when validating
	// only or when the repository's manifest did not parse.
	Changes *diff.Result
	// Marker records the live state the plan was made against.
	Marker Marker
	// ImportReason says why a deploy of this package goes through a package
	// import (skillpkg.ImportReason); empty when the resource APIs carry it.
	ImportReason string
	// PackageETag is the live package's ETag, read when ImportReason is set.
	PackageETag string
	// Files are the package's other files (assets, APL documents, …) that
	// differ from the live package's, in path order; nil when the live
	// package was not read.
	Files []skillpkg.Change

	manifest *validate.Document       // the repository's manifest, for CompareManifest
	display  func(path string) string // Options.Display
}

// Changed reports whether a merge would change the live skill.
func (p *Plan) Changed() bool {
	return p != nil && (p.Changes != nil && p.Changes.Changed() || len(p.Files) > 0)
}

// New makes the plan of the validated package res for opts.SkillID and
// opts.Stage: it reads the live manifest and the live model of each of the
// repository's locales (a locale with no live model is a new one), then
// compares them with the repository's files. A file that did not parse is
// not compared (its findings say why), but its live side is still read and
// recorded in the marker, since the drift guard checks the live side only.
//
// Errors come from SMAPI (wrapped, so errors.As finds *smapi.Error and
// *smapi.ConfigError) or from a live document that is not JSON.
func New(ctx context.Context, r Reader, res *validate.Result, opts Options) (*Plan, error) {
	if opts.FailOn == 0 {
		opts.FailOn = validate.Error
	}
	if opts.Display == nil {
		opts.Display = func(p string) string { return p }
	}
	if opts.Step == nil {
		opts.Step = func(_ string, read func() (string, error)) error { _, err := read(); return err }
	}
	p := &Plan{
		Skill: opts.SkillID, Stage: opts.Stage, Findings: res.Findings, Failed: res.Failed(opts.FailOn),
		Note: opts.ValidateOnly, Marker: Marker{Skill: opts.SkillID, Stage: opts.Stage}, display: opts.Display,
	}
	if res.Package != nil && res.Package.Manifest != nil && res.Package.Manifest.Value != nil {
		p.manifest = res.Package.Manifest
	}
	if opts.ValidateOnly != "" {
		return p, nil
	}
	if err := p.readLive(ctx, r, res.Package, opts); err != nil {
		return nil, err
	}
	if err := p.compare(res.Package, opts); err != nil {
		return nil, err
	}
	if err := p.readFiles(ctx, r, res.Package, opts); err != nil {
		return nil, err
	}
	return p, nil
}

// readLive reads the live manifest and models and fills the marker.
func (p *Plan) readLive(ctx context.Context, r Reader, pkg *validate.Package, opts Options) error {
	err := opts.Step("read the live manifest", func() (string, error) {
		var err error
		if p.Manifest, err = ReadManifest(ctx, r, p.Skill, p.Stage); err != nil {
			return "", err
		}
		return "OK", nil
	})
	if err != nil {
		return err
	}
	p.Marker.ETag, p.Marker.SHA256 = p.Manifest.ETag, p.Manifest.SHA256
	for _, loc := range locales(pkg) {
		var lm Live
		err := opts.Step("read the "+loc+" model", func() (string, error) {
			var err error
			switch lm, err = ReadModel(ctx, r, p.Skill, p.Stage, loc); {
			case err != nil:
				return "", err
			case lm.Exists():
				return "OK", nil
			}
			return "NONE", nil
		})
		if err != nil {
			return err
		}
		setItem(&p.Models, loc, lm)
		setItem(&p.Marker.Models, loc, lm.SHA256)
	}
	return nil
}

// compare diffs the repository's manifest and models with the live ones.
func (p *Plan) compare(pkg *validate.Package, opts Options) error {
	if p.manifest == nil {
		return nil
	}
	changes, err := p.CompareManifest(p.Manifest.Body)
	if err != nil {
		return err
	}
	from := p.liveName()
	for _, loc := range locales(pkg) {
		d := pkg.Models[loc]
		if d.Value == nil {
			continue // did not parse: the findings say why
		}
		mr, err := diff.CompareModel(loc, d.Raw, p.Models[loc].Body, diff.Options{
			FromFile: from + "/interactionModel/" + loc,
			ToFile:   opts.Display(d.Path),
		})
		if err != nil {
			return fmt.Errorf("compare %s with the live %s model: %w", d.Path, loc, err)
		}
		changes.AddModels(mr)
	}
	p.Changes = changes
	return nil
}

// CompareManifest compares the repository's manifest with live, a live
// manifest read after the plan's (the deploy reads it again after waiting
// out someone else's update), naming the sides as the plan does. The result
// holds the manifest's changes only.
func (p *Plan) CompareManifest(live []byte) (*diff.Result, error) {
	if p.manifest == nil {
		return nil, fmt.Errorf("the plan of skill %s has no repository manifest to compare", p.Skill)
	}
	m := p.manifest
	changes, err := diff.Compare(m.Raw, live, diff.Options{FromFile: p.liveName(), ToFile: p.display(m.Path)})
	if err != nil {
		// The repository's file parsed (validation read it), so this is
		// SMAPI sending something that is not a manifest.
		return nil, fmt.Errorf("compare %s with the %s manifest of skill %s: %w", m.Path, p.Stage, p.Skill, err)
	}
	return changes, nil
}

// liveName is the live skill's name in the diff headers.
func (p *Plan) liveName() string { return fmt.Sprintf("smapi:%s/%s", p.Skill, p.Stage) }

// localeRE is the shape of a model's locale, as SMAPI's path takes it.
var localeRE = regexp.MustCompile(`^[a-z]{2}-[A-Z]{2}$`)

// IsLocale reports whether s names a locale SMAPI has a model path for
// (en-US); the file name interactionModels/custom/<s>.json gives it.
func IsLocale(s string) bool { return localeRE.MatchString(s) }

// locales lists the package's model locales in order, leaving out the
// files not named for a locale (validation reports their names).
func locales(pkg *validate.Package) []string {
	if pkg == nil {
		return nil
	}
	var out []string
	for loc := range pkg.Models {
		if IsLocale(loc) {
			out = append(out, loc)
		}
	}
	slices.Sort(out)
	return out
}

// ReadManifest reads the live manifest of skillID at stage and hashes it.
// Calls GET /v1/skills/{skillId}/stages/{stage}/manifest.
func ReadManifest(ctx context.Context, r Reader, skillID, stage string) (Live, error) {
	m, err := r.GetManifest(ctx, skillID, stage)
	if err != nil {
		return Live{}, fmt.Errorf("read the %s manifest of skill %s: %w", stage, skillID, err)
	}
	sum, err := jsoncanon.SHA256(m.Body)
	if err != nil {
		return Live{}, fmt.Errorf("the %s manifest SMAPI sent for skill %s is not valid JSON: %w", stage, skillID, err)
	}
	return Live{Body: m.Body, ETag: m.ETag, SHA256: sum}, nil
}

// ReadModel reads the live interaction model of locale and hashes it; a
// locale the live skill has no model for (404) is a Live without Body and
// with SHA256 NoModel.
// Calls GET /v1/skills/{skillId}/stages/{stage}/interactionModel/locales/{locale}.
func ReadModel(ctx context.Context, r Reader, skillID, stage, locale string) (Live, error) {
	m, err := r.GetInteractionModel(ctx, skillID, stage, locale)
	var apiErr *smapi.Error
	switch {
	case errors.As(err, &apiErr) && apiErr.Status == http.StatusNotFound:
		return Live{SHA256: NoModel}, nil
	case err != nil:
		return Live{SHA256: NoModel}, fmt.Errorf("read the %s %s interaction model of %s: %w", stage, locale, skillID, err)
	}
	sum, err := jsoncanon.SHA256(m.Body)
	if err != nil {
		return Live{SHA256: NoModel}, fmt.Errorf("the live %s interaction model of %s is not valid JSON: %w", locale, skillID, err)
	}
	return Live{Body: m.Body, ETag: m.ETag, SHA256: sum}, nil
}
