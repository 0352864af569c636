package deploy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/skillgate/skillgate/internal/diff"
	"github.com/skillgate/skillgate/internal/jsoncanon"
	"github.com/skillgate/skillgate/internal/plan"
	"github.com/skillgate/skillgate/internal/smapi"
)

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

// reportModels prints each live model read and starts the outcome's
// per-locale record from the plan.
func (r *deployRun) reportModels(fresh *plan.Plan) {
	for _, loc := range sortedLocales(fresh.Models) {
		lm := fresh.Models[loc]
		if lm.Exists() {
			r.opts.Progress.Line(fmt.Sprintf("Live %s %s interaction model: ETag %s", r.opts.Stage, loc, lm.ETag))
		} else {
			r.opts.Progress.Line(fmt.Sprintf("No live %s interaction model: %s is a new locale.", loc, loc))
		}
	}
	for _, m := range fresh.Changes.Models {
		lm := fresh.Models[m.Locale]
		r.out.Models = append(r.out.Models, ModelOutcome{
			Locale: m.Locale, New: !lm.Exists(), Changed: m.Changed(), Summary: m.Summary(),
			ETagBefore: lm.ETag, SHA256Before: lm.SHA256,
		})
	}
}

func (r *deployRun) model(loc string) *ModelOutcome {
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
func (r *deployRun) leaveAlone(ctx context.Context) {
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
func (r *deployRun) modelDrift(recorded *PlanComment, live map[string]plan.Live, since string) (drifted, checked []string) {
	if recorded == nil {
		return nil, nil
	}
	for _, m := range r.out.Changes.ChangedModels() {
		want, ok := recorded.Marker.Models[m.Locale]
		if !ok {
			continue
		}
		checked = append(checked, m.Locale)
		got := live[m.Locale].SHA256
		if want == got {
			continue
		}
		drifted = append(drifted, fmt.Sprintf("the live %s interaction model of %s changed %s: expected sha256 %s, found %s",
			m.Locale, r.opts.SkillID, since, modelHash(want), modelHash(got)))
	}
	return drifted, checked
}

func modelHash(s string) string {
	if s == plan.NoModel {
		return "none (no model)"
	}
	return short(s)
}

// writeModel PUTs the repository's model of loc with the If-Match of the
// read (none for a new locale: there is no ETag to match, and SMAPI answers
// 412 to any If-Match without a model). It reports false when, after
// waiting out someone else's build, the model no longer needs writing.
// written lists what this deploy already wrote, for the refusal message.
func (r *deployRun) writeModel(ctx context.Context, loc string, lm plan.Live, written []string) (bool, error) {
	p := r.opts.Progress
	for attempt := 0; ; attempt++ {
		var err error
		if lm, err = r.withETag(ctx, loc+" interaction model", lm, func(ctx context.Context) (plan.Live, error) {
			return plan.ReadModel(ctx, r.client, r.opts.SkillID, r.opts.Stage, loc)
		}, written); err != nil {
			return false, err
		}
		body, err := jsoncanon.Indent(r.opts.Models[loc])
		if err != nil {
			return false, fmt.Errorf("prepare the %s interaction model to send: %w", loc, err)
		}
		err = r.putModel(ctx, loc, body, lm)
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
				PlannedETag: lm.ETag,
				Message: fmt.Sprintf("SMAPI answered 412: the %s interaction model changed between the read (ETag %s) and the write, so it was not written. "+
					"skillgate never re-reads and retries on its own, since that would overwrite the other change: review it, then run the deploy again%s",
					loc, orUnknown(lm.ETag), alreadyWritten(written, r.opts.SkillID)),
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
			var again plan.Live
			if err := r.step("read the "+loc+" model", func() (string, error) {
				var err error
				if again, err = plan.ReadModel(ctx, r.client, r.opts.SkillID, r.opts.Stage, loc); err != nil {
					return "", err
				}
				return "OK", nil
			}); err != nil {
				return false, err
			}
			if again.SHA256 != lm.SHA256 {
				what := fmt.Sprintf("the live %s interaction model of %s changed while the build in progress finished: expected sha256 %s, found %s",
					loc, r.opts.SkillID, modelHash(lm.SHA256), modelHash(again.SHA256))
				if err := r.drift(what, lm.ETag, again.ETag, written); err != nil {
					return false, err
				}
				m, err := diff.CompareModel(loc, r.opts.Models[loc], again.Body, diff.Options{})
				if err != nil {
					return false, fmt.Errorf("compare the repository's %s interaction model with the live one: %w", loc, err)
				}
				if !m.Changed() {
					p.Line(fmt.Sprintf("No change left for %s: the build in progress made the live model match the repository.", loc))
					return false, nil
				}
			} else {
				p.Line(fmt.Sprintf("The live %s model is still the planned one (ETag now %s); updating.", loc, again.ETag))
			}
			lm = again
		default:
			return false, fmt.Errorf("update the %s %s interaction model of %s: %w%s", r.opts.Stage, loc, r.opts.SkillID, err, alreadyWritten(written, r.opts.SkillID))
		}
	}
}

// putModel sends one PUT of loc's model, based on the read lm, as a step.
func (r *deployRun) putModel(ctx context.Context, loc string, body []byte, lm plan.Live) error {
	p := r.opts.Progress
	return r.step("update the "+loc+" model", func() (string, error) {
		acc, err := r.client.PutInteractionModel(ctx, r.opts.SkillID, r.opts.Stage, loc, body, precondition(lm))
		if err != nil {
			return "", err
		}
		switch {
		case acc != nil && acc.AlreadyApplied:
			p.Line(fmt.Sprintf("The %s model update was already applied by an attempt whose answer was lost.", loc))
		case lm.Exists():
			p.Line(fmt.Sprintf("Update of the %s interaction model accepted (If-Match %s).", loc, lm.ETag))
		default:
			p.Line(fmt.Sprintf("New %s interaction model accepted (no live model, so no If-Match).", loc))
		}
		return "ACCEPTED", nil
	})
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
func (r *deployRun) recordBuilds(st *smapi.SkillStatus, locales []string) {
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
