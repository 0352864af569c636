package deploy

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/skillgate/skillgate/internal/plan"
	"github.com/skillgate/skillgate/internal/prcomment"
	"github.com/skillgate/skillgate/internal/smapi"
	"github.com/skillgate/skillgate/internal/validate"
)

// Submission modes: what Run does after a successful build.
const (
	SubmitNone          = "none"
	SubmitCertification = "certification"
	SubmitPublication   = "publication"
)

// Drift modes: what Run does when the live manifest (or a model it is about
// to write) changed since the plan.
const (
	DriftFail   = "fail"
	DriftWarn   = "warn"
	DriftIgnore = "ignore"
)

// Deploy statuses, the values of the Action's `status` output.
const (
	StatusSucceeded = "SUCCEEDED"
	StatusFailed    = "FAILED"
	StatusNoChanges = "NO_CHANGES"
	StatusSkipped   = "SKIPPED"
)

// DefaultTimeout bounds the build wait when Options.Timeout is zero.
const DefaultTimeout = 15 * time.Minute

// maxScheduleMonths is how far ahead SMAPI accepts a publishesAt: "up to six
// months from the current date" (the Skill Publishing API reference).
const maxScheduleMonths = 6

// writableStage is the only stage SMAPI lets a manifest be written to.
const writableStage = "development"

// PlanFinder finds the sticky comment of the pull request merged as a
// commit, the one key identifies. *prcomment.Client implements it; it is an
// interface so Run needs nothing else from GitHub.
type PlanFinder interface {
	FindMerged(ctx context.Context, owner, repo, sha string, key prcomment.Key) (*prcomment.Comment, error)
}

// PlanComment is the plan the merged pull request showed: where its
// comment is and the live state its marker recorded.
type PlanComment struct {
	PR         int
	PRURL      string
	CommentID  int64
	CommentURL string
	Marker     plan.Marker
	Body       string
}

// PlanSource says where to look for the plan: the merged pull request of SHA
// in Owner/Repo.
type PlanSource struct {
	Finder PlanFinder
	Owner  string
	Repo   string
	SHA    string
}

// Options is one deploy.
type Options struct {
	SkillID  string
	Stage    string // the stage to write; "" means development, the only writable one
	Manifest []byte // the repository's skill.json, as read from disk
	// Models maps a locale to the repository's interaction model for it
	// (interactionModels/custom/<locale>.json, as read). Only locales that
	// differ from live are written; live locales missing here are left
	// alone. Empty: the deploy covers the manifest only, as before models.
	Models map[string][]byte
	// PackageDir is the skill package folder, when the package is one. A
	// folder holding what the resource APIs cannot carry (assets and other
	// files, file:// URIs) is deployed whole, through upload and import.
	PackageDir string

	Submit      string    // SubmitNone (""), SubmitCertification or SubmitPublication
	PublishesAt time.Time // for SubmitPublication: zero means now
	Timeout     time.Duration

	Drift        string // DriftFail (""), DriftWarn or DriftIgnore
	ExpectETag   string // from a terminal: the live ETag the user last saw
	ExpectSHA256 string // from a terminal: the sha256 of the canonical live manifest the user last saw
	Plan         *PlanSource

	Progress Progress // nil means no progress output

	// Now and Schedule let tests run the flow in milliseconds; the zero
	// Schedule is smapi.BuildSchedule, the one every build wait polls on.
	Now      func() time.Time
	Schedule smapi.Schedule

	repo *validate.Result // Manifest and Models as plan.New reads them, set by normalize
}

// normalize fills defaults and checks every option, before anything is
// read or written, so configuration mistakes exit 2 without side effects.
func (o Options) normalize() (Options, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Progress == nil {
		o.Progress = discard{}
	}
	if o.Schedule == (smapi.Schedule{}) {
		o.Schedule = smapi.BuildSchedule
	}
	if o.SkillID == "" {
		return o, &ConfigError{Field: "skill-id", Message: "is required: pass the id of the skill to deploy (amzn1.ask.skill....)"}
	}
	if o.Stage == "" {
		o.Stage = writableStage
	}
	if o.Stage != writableStage {
		return o, &ConfigError{Field: "stage", Message: fmt.Sprintf("%q is not writable: SMAPI only accepts manifest updates to %q", o.Stage, writableStage)}
	}
	// A byte order mark is legal in a file an editor saved, never in JSON
	// sent to SMAPI; diff strips it too.
	o.Manifest = bytes.TrimPrefix(o.Manifest, []byte("\xef\xbb\xbf"))
	if len(o.Manifest) == 0 {
		return o, &ConfigError{Field: "manifest", Message: "is empty: point the deploy at a skill package holding skill.json"}
	}
	if !json.Valid(o.Manifest) {
		return o, &ConfigError{Field: "manifest", Message: "is not valid JSON: run 'skillgate validate' to find the mistake"}
	}
	if len(o.Models) > 0 {
		models := make(map[string][]byte, len(o.Models))
		for loc, raw := range o.Models {
			raw = trimBOM(raw)
			if !plan.IsLocale(loc) {
				return o, &ConfigError{Field: "models", Message: fmt.Sprintf("%q is not a locale like en-US: rename interactionModels/custom/%s.json", loc, loc)}
			}
			if !json.Valid(raw) {
				return o, &ConfigError{Field: "models", Message: fmt.Sprintf("the %s interaction model is not valid JSON: run 'skillgate validate' to find the mistake", loc)}
			}
			models[loc] = raw
		}
		o.Models = models
	}
	if err := oneOf(&o.Submit, "submit", "a submission mode", SubmitNone, SubmitCertification, SubmitPublication); err != nil {
		return o, err
	}
	if err := oneOf(&o.Drift, "drift", "a drift mode", DriftFail, DriftWarn, DriftIgnore); err != nil {
		return o, err
	}
	if o.Timeout < 0 {
		return o, &ConfigError{Field: "timeout", Message: fmt.Sprintf("%s is negative: give how long to wait for the build, e.g. 15m", o.Timeout)}
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	if err := CheckPublishesAt(o.Submit, o.PublishesAt, o.Now()); err != nil {
		return o, err
	}
	var err error
	o.repo, err = o.repository()
	return o, err
}

// repository is the package the options hold, as plan.New reads it, under
// the paths an ask-cli package gives the files. The files are read strictly,
// as the validator reads them: JSON it would not read (nested too deep, not
// an object) is a configuration error here too.
func (o Options) repository() (*validate.Result, error) {
	doc := func(field, path string, raw []byte) (*validate.Document, error) {
		d, findings := validate.ParseDocument(path, raw)
		if d.Value != nil {
			return d, nil
		}
		why := "it does not parse"
		if len(findings) > 0 {
			why = findings[0].Message
		}
		return nil, &ConfigError{Field: field, Message: fmt.Sprintf("%s cannot be read (%s): run 'skillgate validate' to find the mistake", path, why)}
	}
	manifest, err := doc("manifest", "skill.json", o.Manifest)
	if err != nil {
		return nil, err
	}
	pkg := &validate.Package{Root: filepath.ToSlash(o.PackageDir), Manifest: manifest, Models: map[string]*validate.Document{}}
	for loc, raw := range o.Models {
		if pkg.Models[loc], err = doc("models", "interactionModels/custom/"+loc+".json", raw); err != nil {
			return nil, err
		}
	}
	return &validate.Result{Package: pkg}, nil
}

// oneOf checks an enumerated option: empty becomes allowed[0], the
// default; anything else must be one of allowed.
func oneOf(v *string, field, what string, allowed ...string) error {
	switch {
	case *v == "":
		*v = allowed[0]
	case !slices.Contains(allowed, *v):
		list := strings.Join(allowed[:len(allowed)-1], ", ") + " or " + allowed[len(allowed)-1]
		return &ConfigError{Field: field, Message: fmt.Sprintf("%q is not %s: use %s", *v, what, list)}
	}
	return nil
}

// The publishes-at rule, for --publishes-at and the Action's publishes-at
// input alike: empty means publish now; otherwise an RFC 3339 time, only
// with SubmitPublication, in the future and at most six months ahead of the
// deploy. ParsePublishesAt checks what the value says, CheckPublishesAt also
// when the deploy runs.

// ParsePublishesAt reads a publishes-at value for the given submit mode; an
// empty string is the zero time (publish now).
func ParsePublishesAt(s, submit string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, &ConfigError{Field: "publishes-at", Value: s, Message: "not an RFC 3339 time: write it like 2026-01-31T09:00:00Z"}
	}
	return t, checkPublication(submit)
}

// CheckPublishesAt reports whether t is an acceptable publication time for
// the submission mode at now. A zero t always passes (publish now).
func CheckPublishesAt(submit string, t, now time.Time) error {
	if t.IsZero() {
		return nil
	}
	if err := checkPublication(submit); err != nil {
		return err
	}
	if !t.After(now) {
		return &ConfigError{Field: "publishes-at", Message: fmt.Sprintf("%s is not in the future (now is %s): give a later time, or leave it empty to publish now",
			t.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))}
	}
	if limit := now.AddDate(0, maxScheduleMonths, 0); t.After(limit) {
		return &ConfigError{Field: "publishes-at", Message: fmt.Sprintf("%s is more than six months ahead (the latest SMAPI accepts is %s): pick an earlier date",
			t.UTC().Format(time.RFC3339), limit.UTC().Format(time.RFC3339))}
	}
	return nil
}

// checkPublication: a publication time only means something to a
// publication.
func checkPublication(submit string) error {
	if submit != SubmitPublication {
		return &ConfigError{Field: "publishes-at", Message: "only applies to a publication: add --submit publication (Action input submit: publication) or drop it"}
	}
	return nil
}
