package deploy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/skillgate/skillgate/internal/diff"
	"github.com/skillgate/skillgate/internal/prcomment"
	"github.com/skillgate/skillgate/internal/smapi"
)

// NoModel is the marker value for a locale the live skill has no model for.
const NoModel = "none"

// ModelMarkerKey is the plan marker key holding the sha256 of the canonical
// live model of locale, or NoModel.
func ModelMarkerKey(locale string) string { return "model." + locale }

// ModelReader is the part of *smapi.Client that reads interaction models.
type ModelReader interface {
	GetInteractionModel(ctx context.Context, skillID, stage, locale string) (*smapi.InteractionModel, error)
}

// LocalModel is one interaction model file of the repository.
type LocalModel struct {
	Raw  []byte // as read from disk
	Path string // as the reviewer knows it, for the diff headers
}

// PlanModels reads the live model of each of the repository's locales and
// compares it with the repository's, for the plan comment and 'skillgate
// diff'. It returns the comparisons (for diff.Result.AddModels) and the
// marker keys (ModelMarkerKey → sha256 or NoModel) the deploy's drift guard
// checks. It lives here, beside that guard, so both hash the same way.
//
// A file that is not valid JSON (or a nil Raw) is not compared, its
// findings say why, but its live model is still hashed: the guard checks
// the live side only. A file not named for a locale is skipped.
func PlanModels(ctx context.Context, c ModelReader, skillID, stage string, local map[string]LocalModel) ([]*diff.ModelResult, map[string]string, error) {
	var results []*diff.ModelResult
	extra := map[string]string{}
	for _, loc := range sortedLocales(local) {
		if !localeRE.MatchString(loc) {
			continue // not a locale SMAPI has a path for; validation reports the file name
		}
		live, err := readModel(ctx, c, skillID, stage, loc)
		if err != nil {
			return nil, nil, err
		}
		extra[ModelMarkerKey(loc)] = live.sha
		raw := trimBOM(local[loc].Raw)
		if !json.Valid(raw) {
			continue
		}
		m, err := diff.CompareModel(loc, raw, live.body, diff.Options{
			FromFile: fmt.Sprintf("smapi:%s/%s/interactionModel/%s", skillID, stage, loc),
			ToFile:   local[loc].Path,
		})
		if err != nil {
			return nil, nil, fmt.Errorf("compare %s with the live %s model: %w", local[loc].Path, loc, err)
		}
		results = append(results, m)
	}
	return results, extra, nil
}

// liveModel is one read of a locale's live model; body is nil when the
// live skill has none (404).
type liveModel struct {
	locale string
	body   []byte
	etag   string
	sha    string // sha256 of the canonical model, or NoModel
}

func (m liveModel) exists() bool { return m.body != nil }

func readModel(ctx context.Context, c ModelReader, skillID, stage, locale string) (liveModel, error) {
	lm := liveModel{locale: locale, sha: NoModel}
	m, err := c.GetInteractionModel(ctx, skillID, stage, locale)
	var apiErr *smapi.Error
	switch {
	case errors.As(err, &apiErr) && apiErr.Status == http.StatusNotFound:
		return lm, nil
	case err != nil:
		return lm, fmt.Errorf("read the %s %s interaction model of %s: %w", stage, locale, skillID, err)
	}
	sum, err := diff.SHA256(m.Body)
	if err != nil {
		return lm, fmt.Errorf("the live %s interaction model of %s is not valid JSON: %w", locale, skillID, err)
	}
	lm.body, lm.etag, lm.sha = m.Body, m.ETag, sum
	return lm, nil
}

// ModelOutcome is what the deploy did with one locale's model.
type ModelOutcome struct {
	Locale       string      `json:"locale"`
	New          bool        `json:"new,omitempty"` // no live model before the deploy
	Changed      bool        `json:"changed"`
	Summary      string      `json:"summary"`
	ETagBefore   string      `json:"etagBefore,omitempty"`
	SHA256Before string      `json:"sha256Before"` // or NoModel
	Written      bool        `json:"written"`
	Build        string      `json:"build,omitempty"` // the last build status seen: IN_PROGRESS, SUCCEEDED, FAILED
	Steps        []BuildStep `json:"steps,omitempty"`
	Errors       []string    `json:"errors,omitempty"`
}

// BuildStep is one step of a model build (DIALOG_MODEL_BUILD,
// LANGUAGE_MODEL_QUICK_BUILD, LANGUAGE_MODEL_FULL_BUILD) and its status.
type BuildStep struct {
	Name   string `json:"name"`
	Status string `json:"status"`
}

// readModels reads the live model of every locale the repository has.
func (r *runner) readModels(ctx context.Context) (map[string]liveModel, error) {
	if len(r.opts.Models) == 0 {
		return nil, nil
	}
	out := map[string]liveModel{}
	for _, loc := range sortedLocales(r.opts.Models) {
		var lm liveModel
		err := r.step("read the "+loc+" model", func() (string, error) {
			var err error
			if lm, err = readModel(ctx, r.client, r.opts.SkillID, r.opts.Stage, loc); err != nil {
				return "", err
			}
			if !lm.exists() {
				return "NONE", nil
			}
			return "OK", nil
		})
		if err != nil {
			return nil, err
		}
		if lm.exists() {
			r.opts.Progress.Line(fmt.Sprintf("Live %s %s interaction model: ETag %s", r.opts.Stage, loc, lm.etag))
		} else {
			r.opts.Progress.Line(fmt.Sprintf("No live %s interaction model: %s is a new locale.", loc, loc))
		}
		out[loc] = lm
	}
	return out, nil
}

// compareModels adds the model comparisons to changes and starts the
// outcome's per-locale record.
func (r *runner) compareModels(changes *diff.Result, live map[string]liveModel) error {
	for _, loc := range sortedLocales(r.opts.Models) {
		lm := live[loc]
		m, err := diff.CompareModel(loc, r.opts.Models[loc], lm.body, diff.Options{
			FromFile: fmt.Sprintf("smapi:%s/%s/interactionModel/%s", r.opts.SkillID, r.opts.Stage, loc),
			ToFile:   "interactionModels/custom/" + loc + ".json",
		})
		if err != nil {
			return fmt.Errorf("compare the repository's %s interaction model with the live one: %w", loc, err)
		}
		changes.AddModels(m)
		r.out.Models = append(r.out.Models, ModelOutcome{
			Locale: loc, New: !lm.exists(), Changed: m.Changed(), Summary: m.Summary(),
			ETagBefore: lm.etag, SHA256Before: lm.sha,
		})
	}
	return nil
}

func (r *runner) model(loc string) *ModelOutcome {
	for i := range r.out.Models {
		if r.out.Models[i].Locale == loc {
			return &r.out.Models[i]
		}
	}
	return nil
}

// leaveAlone says which live locales have a model the repository does not:
// a deploy never deletes a model, since a missing file is far more often a
// partial checkout than a wish to remove a language. The status lists every
// locale with a model; when it cannot be read the line is just left out.
func (r *runner) leaveAlone(ctx context.Context) {
	if len(r.opts.Models) == 0 {
		return
	}
	st, err := r.client.GetStatus(ctx, r.opts.SkillID, smapi.ResourceInteractionModel)
	if err != nil {
		r.opts.Progress.Line(fmt.Sprintf("Could not list the live locales (%v); only the repository's locales are compared.", err))
		return
	}
	var extra []string
	for loc := range st.InteractionModel {
		if _, ok := r.opts.Models[loc]; !ok {
			extra = append(extra, loc)
		}
	}
	slices.Sort(extra)
	if len(extra) > 0 {
		r.out.LeftAlone = extra
		r.opts.Progress.Line(fmt.Sprintf("Left alone: the live skill has interaction models for %s, which the repository does not; a deploy never deletes a model.", strings.Join(extra, ", ")))
	}
}

// modelDrift compares the live models about to be written with the hashes
// the plan recorded, returning one description per drifted locale. A plan
// without a key for a locale (an older comment) checks nothing for it.
//
// Only locales that will be written are checked: a live model that changed
// since the plan but is not written is not overwritten, so there is nothing
// to protect (the manifest works the same way: no change, no check).
func (r *runner) modelDrift(plan *prcomment.Plan, live map[string]liveModel, since string) (drifted, checked []string) {
	if plan == nil {
		return nil, nil
	}
	for _, m := range r.out.Changes.ChangedModels() {
		want, ok := plan.Marker.Extra[ModelMarkerKey(m.Locale)]
		if !ok {
			continue
		}
		checked = append(checked, m.Locale)
		got := live[m.Locale].sha
		if want == got {
			continue
		}
		drifted = append(drifted, fmt.Sprintf("the live %s interaction model of %s changed %s: expected sha256 %s, found %s",
			m.Locale, r.opts.SkillID, since, modelHash(want), modelHash(got)))
	}
	return drifted, checked
}

func modelHash(s string) string {
	if s == NoModel {
		return "none (no model)"
	}
	return short(s)
}

// writeModel PUTs the repository's model of loc with the If-Match of the
// read (none for a new locale: there is no ETag to match, and SMAPI answers
// 412 to any If-Match without a model). It reports false when, after
// waiting out someone else's build, the model no longer needs writing.
// written lists what this deploy already wrote, for the refusal message.
func (r *runner) writeModel(ctx context.Context, loc string, lm liveModel, written []string) (bool, error) {
	p := r.opts.Progress
	for attempt := 0; ; attempt++ {
		body, err := diff.Canonical(r.opts.Models[loc])
		if err != nil {
			return false, fmt.Errorf("prepare the %s interaction model to send: %w", loc, err)
		}
		err = r.step("update the "+loc+" model", func() (string, error) {
			acc, err := r.client.PutInteractionModel(ctx, r.opts.SkillID, r.opts.Stage, loc, body, lm.etag)
			if err != nil {
				return "", err
			}
			switch {
			case acc != nil && acc.AlreadyApplied:
				p.Line(fmt.Sprintf("The %s model update was already applied by an attempt whose answer was lost.", loc))
			case lm.exists():
				p.Line(fmt.Sprintf("Update of the %s interaction model accepted (If-Match %s).", loc, lm.etag))
			default:
				p.Line(fmt.Sprintf("New %s interaction model accepted (no live model, so no If-Match).", loc))
			}
			return "ACCEPTED", nil
		})
		var apiErr *smapi.Error
		switch {
		case err == nil:
			if m := r.model(loc); m != nil {
				m.Written = true
			}
			return true, nil
		case errors.As(err, &apiErr) && apiErr.Status == http.StatusPreconditionFailed:
			return false, r.refuse(&RefusedError{
				Reason:      "precondition",
				PlannedETag: lm.etag,
				Message: fmt.Sprintf("SMAPI answered 412: the %s interaction model changed between the read (ETag %s) and the write, so it was not written. "+
					"skillgate never re-reads and retries on its own, since that would overwrite the other change: review it, then run the deploy again%s",
					loc, orUnknown(lm.etag), alreadyWritten(written, r.opts.SkillID)),
				Err: err,
			})
		case errors.As(err, &apiErr) && apiErr.Status == http.StatusConflict && attempt < max409:
			p.Line(fmt.Sprintf("SMAPI answered 409: a build of the %s interaction model is in progress; waiting for it to finish.", loc))
			if _, err := r.wait(ctx, "wait for the other "+loc+" build", false, false, []string{loc}); err != nil {
				var be *BuildError
				if !errors.As(err, &be) || be.TimedOut {
					return false, fmt.Errorf("waiting for the %s model build already in progress: %w", loc, err)
				}
				p.Line(fmt.Sprintf("The other %s build failed; checking the live model again.", loc))
			}
			var again liveModel
			if err := r.step("read the "+loc+" model", func() (string, error) {
				var err error
				if again, err = readModel(ctx, r.client, r.opts.SkillID, r.opts.Stage, loc); err != nil {
					return "", err
				}
				return "OK", nil
			}); err != nil {
				return false, err
			}
			if again.sha != lm.sha {
				what := fmt.Sprintf("the live %s interaction model of %s changed while the build in progress finished: expected sha256 %s, found %s",
					loc, r.opts.SkillID, modelHash(lm.sha), modelHash(again.sha))
				if err := r.drift(what, lm.etag, again.etag, written); err != nil {
					return false, err
				}
				m, err := diff.CompareModel(loc, r.opts.Models[loc], again.body, diff.Options{})
				if err != nil {
					return false, fmt.Errorf("compare the repository's %s interaction model with the live one: %w", loc, err)
				}
				if !m.Changed() {
					p.Line(fmt.Sprintf("No change left for %s: the build in progress made the live model match the repository.", loc))
					return false, nil
				}
			} else {
				p.Line(fmt.Sprintf("The live %s model is still the planned one (ETag now %s); updating.", loc, again.etag))
			}
			lm = again
		default:
			return false, fmt.Errorf("update the %s %s interaction model of %s: %w%s", r.opts.Stage, loc, r.opts.SkillID, err, alreadyWritten(written, r.opts.SkillID))
		}
	}
}

// alreadyWritten tells, after a failure part-way, what this deploy had
// already written: those builds go on regardless.
func alreadyWritten(written []string, skillID string) string {
	if len(written) == 0 {
		return ""
	}
	return fmt.Sprintf(" (already written and building: %s; follow them with 'skillgate status --skill-id %s')", strings.Join(written, ", "), skillID)
}

// recordBuilds copies each written model's build status and steps from the
// last status answer into the outcome.
func (r *runner) recordBuilds(st *smapi.SkillStatus, locales []string) {
	if st == nil {
		return
	}
	for _, loc := range locales {
		m, ms := r.model(loc), st.InteractionModel[loc]
		if m == nil || ms == nil {
			continue
		}
		lur := ms.LastUpdateRequest
		m.Build, m.Steps, m.Errors = lur.Status, nil, nil
		if lur.BuildDetails != nil {
			for _, s := range lur.BuildDetails.Steps {
				m.Steps = append(m.Steps, BuildStep{Name: s.Name, Status: s.Status})
			}
		}
		for _, s := range st.States([]string{smapi.ResourceInteractionModel}, []string{loc}) {
			m.Errors = s.Errors
		}
	}
}

// stateLine is a progress line's text for one resource: a model lists
// every build step so far with its status.
func stateLine(s smapi.ResourceState, st *smapi.SkillStatus) string {
	if s.Locale == "" || st == nil || st.InteractionModel[s.Locale] == nil || st.InteractionModel[s.Locale].LastUpdateRequest.BuildDetails == nil {
		return s.String()
	}
	var steps []string
	for _, b := range st.InteractionModel[s.Locale].LastUpdateRequest.BuildDetails.Steps {
		steps = append(steps, b.Name+" "+b.Status)
	}
	line := s.Name() + ": " + s.Status
	if s.Status == "" {
		line = s.Name() + ": not reported yet"
	}
	if len(steps) > 0 {
		line += " (" + strings.Join(steps, ", ") + ")"
	}
	return line
}

func sortedLocales[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func trimBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) }
