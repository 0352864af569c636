package deploy

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/skillgate/skillgate/internal/diff"
	"github.com/skillgate/skillgate/internal/plan"
	"github.com/skillgate/skillgate/internal/prcomment"
	"github.com/skillgate/skillgate/internal/skillpkg"
	"github.com/skillgate/skillgate/internal/smapi"
)

// Client is the part of *smapi.Client a deploy uses.
type Client interface {
	GetManifest(ctx context.Context, skillID, stage string) (*smapi.Manifest, error)
	UpdateManifest(ctx context.Context, skillID, stage string, body []byte, pre smapi.Precondition) (*smapi.Accepted, error)
	GetStatus(ctx context.Context, skillID string, resources ...string) (*smapi.SkillStatus, error)
	GetInteractionModel(ctx context.Context, skillID, stage, locale string) (*smapi.InteractionModel, error)
	PutInteractionModel(ctx context.Context, skillID, stage, locale string, body []byte, pre smapi.Precondition) (*smapi.Accepted, error)
	SubmitCertification(ctx context.Context, skillID string, opts smapi.CertificationOptions) (*smapi.Accepted, error)
	SubmitPublication(ctx context.Context, skillID string, publishesAt time.Time) (*smapi.Accepted, error)
	GetLatestPublication(ctx context.Context, skillID string) (*smapi.Publication, error)
}

var _ Client = (*smapi.Client)(nil)

// max409 bounds how often Run waits out someone else's build and tries the
// PUT again: a skill that is rebuilt continuously is a problem to report,
// not to loop on.
const max409 = 3

// Outcome is what a deploy did. It is returned even with an error, filled
// as far as the deploy got, so the summary can show where it stopped.
type Outcome struct {
	SkillID       string
	Stage         string
	SHA           string // the commit deployed, when known (Options.Plan.SHA)
	Status        string // StatusSucceeded, StatusFailed, StatusNoChanges or StatusSkipped
	ETagBefore    string // the live ETag the deploy read
	ETagAfter     string // the live ETag once the build succeeded (ETagBefore when nothing changed)
	SHA256Before  string // sha256 of the canonical live manifest the deploy read
	Changes       *diff.Result
	Steps         []StepTiming
	Submit        string
	Certification string       // "SUBMITTED" once POST /submit was accepted, "FAILED" when it was not
	Publication   *Publication // read back after a publication submission
	// Models is one entry per locale of the repository's models, in
	// locale order; empty for a package without models.
	Models []ModelOutcome
	// LeftAlone lists the locales with a live model the repository lacks.
	LeftAlone    []string
	Plan         *PlanComment
	PlanNote     string // how the drift guard decided, in one sentence
	DriftWarning string // set when drift: warn deployed over a drift
	Refused      string // "drift" or "precondition" when nothing was written on purpose
	// Path is how the deploy wrote: PathResources (PUTs) or PathPackage
	// (upload and import), and PathReason why it took the package path.
	Path       string
	PathReason string
	// Files are the package's other files a package deploy found changed;
	// Resources the import's outcome per resource.
	Files     []skillpkg.Change
	Resources []smapi.ResourceState
	Errors    []string
	Elapsed   time.Duration
}

// StepTiming is one step of the deploy, for the summary.
type StepTiming struct {
	Name     string
	Status   string
	Duration time.Duration
}

// Publication is the publication status read back after a submission.
type Publication struct {
	Status      string    `json:"status"`
	PublishesAt time.Time `json:"publishesAt,omitzero"`
}

// Changed reports whether the deploy found anything to write.
func (o *Outcome) Changed() bool { return o != nil && o.Changes != nil && o.Changes.Changed() }

// Run deploys opts.Manifest and opts.Models to the skill's development
// stage: read the live manifest and each locale's model with their ETags,
// diff, check the plan for drift, PUT what changed (the manifest first,
// then each changed locale) with If-Match, wait for every build, then
// submit if asked. See docs/architecture.md, "Promises".
//
// The error is nil for SUCCEEDED and NO_CHANGES; otherwise it is a
// *ConfigError (nothing was read or written), a *RefusedError (nothing was
// written), a *BuildError, a *SubmitError, or an API error. exitcode.Of maps it.
func Run(ctx context.Context, client Client, opts Options) (*Outcome, error) {
	opts, err := opts.normalize()
	out := &Outcome{SkillID: opts.SkillID, Stage: opts.Stage, Submit: opts.Submit, Status: StatusFailed}
	if opts.Plan != nil {
		out.SHA = opts.Plan.SHA
	}
	if err != nil {
		out.Errors = append(out.Errors, err.Error())
		return out, err
	}
	r := &deployRun{client: client, opts: opts, out: out, start: opts.Now()}
	err = r.execute(ctx)
	if err != nil && ctx.Err() != nil {
		// The front-end reports it, as any error that is not a refusal or
		// a failed build.
		err = &InterruptedError{SkillID: opts.SkillID, Accepted: r.accepted, Err: err}
	}
	out.Elapsed = opts.Now().Sub(r.start)
	if err != nil {
		out.Errors = appendUnique(out.Errors, err.Error())
	}
	return out, err
}

// deployRun is the state of one deploy while Run carries it out; its
// execute method is the order of the steps. (Run is the package's entry
// point, deployRun what it works on, execute the flow.)
type deployRun struct {
	client Client
	opts   Options
	out    *Outcome
	start  time.Time
	fresh  *plan.Plan // the plan of the live skill as this deploy read it
	// accepted lists the writes SMAPI accepted ("the manifest", "the
	// en-US model"), for the message of an interrupted deploy.
	accepted []string
}

// step times fn and records it in the outcome. fn returns the status the
// step reached; with an error it returns no status (recorded as FAILED) or
// a failure status of its own (a CANCELLED publication), never OK.
func (r *deployRun) step(name string, fn func() (string, error)) error {
	t := r.opts.Now()
	status, err := fn()
	if err != nil && status == "" {
		status = "FAILED"
	}
	r.out.Steps = append(r.out.Steps, StepTiming{Name: name, Status: status, Duration: r.opts.Now().Sub(t)})
	return err
}

// execute is the deploy's flow: find the plan, read and compare the live
// skill, guard against drift, write what changed (the manifest first), wait
// for the builds, submit.
func (r *deployRun) execute(ctx context.Context) error {
	p := r.opts.Progress
	recorded, err := r.findPlan(ctx)
	if err != nil {
		return err
	}
	fresh, err := r.plan(ctx)
	if err != nil {
		return err
	}
	if fresh.ImportReason != "" {
		return r.runPackage(ctx, recorded, fresh)
	}
	r.out.Path = PathResources
	changes, live, models := fresh.Changes, fresh.Manifest, fresh.Models
	r.leaveAlone(ctx)
	if !changes.Changed() {
		r.out.ETagAfter = live.ETag
		return r.settled(ctx)
	}
	p.Line(plural(changes.Count(), "change") + " to deploy.")

	if err := r.guard(recorded, live, models); err != nil {
		return err
	}

	// The manifest goes first: a model may rely on what the manifest
	// declares (a new locale, an interface), never the other way round.
	var written []string
	var acc *smapi.Accepted
	manifest := false
	if changes.ManifestChanged() {
		if manifest, acc, err = r.writeManifest(ctx, live); err != nil {
			return err
		}
		if manifest {
			written = append(written, "the manifest")
			r.accepted = written
		}
	}
	var locales []string
	for _, m := range r.out.Changes.ChangedModels() {
		ok, err := r.writeModel(ctx, m.Locale, models[m.Locale], written)
		if err != nil {
			r.out.Status = StatusFailed
			return err
		}
		if ok {
			locales = append(locales, m.Locale)
			written = append(written, "the "+m.Locale+" model")
			r.accepted = written
		}
	}
	if !manifest && len(locales) == 0 {
		r.out.Status = StatusNoChanges
		if r.out.ETagAfter == "" {
			r.out.ETagAfter = live.ETag
		}
		return nil
	}
	return r.afterPut(ctx, acc, manifest, locales)
}

// findPlan reads the plan comment of the merged pull request, when the
// options say where to look; nil when there is none.
func (r *deployRun) findPlan(ctx context.Context) (*PlanComment, error) {
	src := r.opts.Plan
	if src == nil || src.Finder == nil {
		return nil, nil
	}
	var found *prcomment.Comment
	err := r.step("find the plan", func() (string, error) {
		var err error
		found, err = src.Finder.FindMerged(ctx, src.Owner, src.Repo, src.SHA, plan.Matches(r.opts.SkillID, r.opts.Stage))
		if err != nil {
			return "", err
		}
		if found == nil {
			return "NONE", nil
		}
		return "FOUND", nil
	})
	if err != nil {
		if r.opts.Drift != DriftIgnore {
			return nil, fmt.Errorf("could not read the plan comment of commit %s in %s/%s, so the drift guard cannot check the live skill: %w (retry, or set drift to ignore to deploy without the check)", src.SHA, src.Owner, src.Repo, err)
		}
		r.opts.Progress.Warning(fmt.Sprintf("could not read the plan comment (%v); drift: ignore, so deploying anyway", err))
		return nil, nil
	}
	if found == nil {
		return nil, nil
	}
	m, _ := plan.ParseMarker(found.Body) // the key found it by this marker
	recorded := &PlanComment{PR: found.PR, PRURL: found.PRURL, CommentID: found.ID, CommentURL: found.URL, Marker: m, Body: found.Body}
	r.out.Plan = recorded
	r.opts.Progress.Line(fmt.Sprintf("Plan found on %s: ETag %s, sha256 %s", planWhere(recorded), m.ETag, short(m.SHA256)))
	return recorded, nil
}

// plan makes the plan of the repository against the live skill as it is
// now, timing each read as a step, and starts the outcome from it.
func (r *deployRun) plan(ctx context.Context) (*plan.Plan, error) {
	fresh, err := plan.New(ctx, r.client, r.opts.repo, plan.Options{
		SkillID: r.opts.SkillID, Stage: r.opts.Stage, Step: r.step,
	})
	if err != nil {
		return nil, err
	}
	r.fresh = fresh
	r.out.ETagBefore = fresh.Manifest.ETag
	r.out.SHA256Before = fresh.Manifest.SHA256
	r.out.Changes = fresh.Changes
	r.opts.Progress.Line(fmt.Sprintf("Live %s manifest of %s: ETag %s", r.opts.Stage, r.opts.SkillID, fresh.Manifest.ETag))
	r.reportModels(fresh)
	return fresh, nil
}

// writeManifest PUTs the manifest with the If-Match of the read. It
// reports false when, after waiting out someone else's update, the live
// manifest already matches the repository.
func (r *deployRun) writeManifest(ctx context.Context, live plan.Live) (bool, *smapi.Accepted, error) {
	p := r.opts.Progress
	for attempt := 0; ; attempt++ {
		var err error
		if live, err = r.withETag(ctx, "manifest", live, r.readManifest, nil); err != nil {
			return false, nil, err
		}
		body, err := diff.ForDeploy(r.opts.Manifest, live.Body)
		if err != nil {
			return false, nil, fmt.Errorf("prepare the manifest to send: %w", err)
		}
		var acc *smapi.Accepted
		err = r.step("update the manifest", func() (string, error) {
			var err error
			acc, err = r.client.UpdateManifest(ctx, r.opts.SkillID, r.opts.Stage, body, smapi.IfMatch(live.ETag))
			if err != nil {
				return "", err
			}
			return "ACCEPTED", nil
		})
		var apiErr *smapi.Error
		switch {
		case err == nil:
			if acc != nil && acc.AlreadyApplied {
				p.Line("The update was already applied by an attempt whose answer was lost.")
			} else {
				p.Line(fmt.Sprintf("Update accepted (If-Match %s).", live.ETag))
			}
			return true, acc, nil
		case errors.As(err, &apiErr) && apiErr.Status == http.StatusPreconditionFailed:
			return false, nil, r.refuse(&RefusedError{
				Reason:      "precondition",
				PlannedETag: live.ETag,
				Message: fmt.Sprintf("SMAPI answered 412: the skill changed between the read (ETag %s) and the write, so nothing was written. "+
					"skillgate never re-reads and retries on its own, since that would overwrite the other change: review it, then run the deploy again", live.ETag),
				Err: err,
			})
		case errors.As(err, &apiErr) && apiErr.Status == http.StatusConflict && attempt < max409:
			p.Line("SMAPI answered 409: another update of the skill is in progress; waiting for it to finish.")
			if _, err := r.wait(ctx, "wait for the other build", false, true, nil); err != nil {
				var be *BuildError
				if !errors.As(err, &be) || be.TimedOut {
					return false, nil, fmt.Errorf("waiting for the update already in progress: %w", err)
				}
				// That other build failed: the live manifest is unchanged by
				// it, which the re-read below confirms.
				p.Line("The other update failed; checking the live manifest again.")
			}
			again, err := r.readManifest(ctx)
			if err != nil {
				return false, nil, err
			}
			if again.SHA256 != live.SHA256 {
				if err := r.drifted(live.ETag, live.SHA256, again, "while the update in progress finished", ""); err != nil {
					return false, nil, err
				}
				// drift: warn or ignore goes on against the new live manifest.
				changes, err := r.fresh.CompareManifest(again.Body)
				if err != nil {
					return false, nil, err
				}
				changes.Models = r.out.Changes.Models
				r.out.Changes = changes
				if !changes.ManifestChanged() {
					r.out.ETagAfter = again.ETag
					p.Line("No changes left: the update in progress made the live manifest match the repository.")
					return false, nil, nil
				}
			} else {
				p.Line(fmt.Sprintf("The live manifest is still the planned one (ETag now %s); updating.", again.ETag))
			}
			live = again
		default:
			return false, nil, fmt.Errorf("update the %s manifest of %s: %w", r.opts.Stage, r.opts.SkillID, err)
		}
	}
}

// readManifest reads the live manifest again, as a step.
func (r *deployRun) readManifest(ctx context.Context) (plan.Live, error) {
	var lm plan.Live
	err := r.step("read the live manifest", func() (string, error) {
		var err error
		if lm, err = plan.ReadManifest(ctx, r.client, r.opts.SkillID, r.opts.Stage); err != nil {
			return "", err
		}
		return "OK", nil
	})
	return lm, err
}

// guard is the drift guard: it compares the live manifest and models just
// read with the ones the plan showed (or --expect-etag / --expect-sha256,
// which cover the manifest only).
//
// The sha256 of the canonical manifest wins over the ETag when both are
// known: an ETag can change without the content changing (a PUT of the same
// manifest), and what a reviewer approved is the content. With only an ETag
// to go by (--expect-etag alone), the ETag decides. Models are checked by
// sha256 alone, for the same reason.
//
// Only what is about to be written is checked: the manifest when it
// changes, and each changed model whose locale the plan recorded. A live
// change that is not written is not overwritten.
func (r *deployRun) guard(recorded *PlanComment, live plan.Live, models map[string]plan.Live) error {
	p := r.opts.Progress
	wantETag, wantSHA, from := r.opts.ExpectETag, r.opts.ExpectSHA256, "the expected version"
	if recorded != nil {
		from = "the plan on " + planWhere(recorded)
		if wantETag == "" {
			wantETag = recorded.Marker.ETag
		}
		if wantSHA == "" {
			wantSHA = recorded.Marker.SHA256
		}
	}
	if wantETag == "" && wantSHA == "" {
		if r.opts.Plan != nil && r.opts.Plan.Finder != nil {
			r.out.PlanNote = "No plan comment was found for this commit, so there was nothing to check the live skill against; deploying."
		} else {
			r.out.PlanNote = "No plan to check the live skill against (no pull request, --expect-etag or --expect-sha256); deploying."
		}
		p.Line(r.out.PlanNote)
		return nil
	}
	var note string
	manifestDrift := false
	if r.out.Changes.ManifestChanged() {
		switch {
		case wantSHA != "" && wantSHA == live.SHA256 && wantETag != "" && wantETag != live.ETag:
			note = fmt.Sprintf("The live ETag changed since %s (%s, now %s) but the manifest is the same", from, wantETag, live.ETag)
		case wantSHA != "" && wantSHA == live.SHA256, wantSHA == "" && wantETag == live.ETag:
			note = fmt.Sprintf("The live manifest is the one %s showed (ETag %s)", from, live.ETag)
		default:
			manifestDrift = true
		}
	}
	modelDrifts, checked := r.modelDrift(recorded, models, "since "+from)
	if !manifestDrift && len(modelDrifts) == 0 {
		if len(checked) > 0 {
			locs := strings.Join(checked, ", ")
			switch {
			case note != "" && len(checked) == 1:
				note += ", and so is the " + locs + " interaction model"
			case note != "":
				note += ", and so are the " + locs + " interaction models"
			case len(checked) == 1:
				note = fmt.Sprintf("The live %s interaction model is the one %s showed", locs, from)
			default:
				note = fmt.Sprintf("The live %s interaction models are the ones %s showed", locs, from)
			}
		}
		switch {
		case note != "":
		case recorded == nil:
			note = "Only interaction models change, and --expect-etag and --expect-sha256 cover the manifest only"
		default:
			note = fmt.Sprintf("Only interaction models change, and %s recorded no model hashes to check them against (a plan from before skillgate compared models)", from)
		}
		r.out.PlanNote = note + "; deploying."
		p.Line(r.out.PlanNote)
		return nil
	}
	var what []string
	if manifestDrift {
		what = append(what, r.manifestDrift(wantETag, wantSHA, live, "since "+from, unplanned(recorded, r.out.Changes)))
	}
	what = append(what, modelDrifts...)
	return r.drift(strings.Join(what, "; "), wantETag, live.ETag, nil)
}

// unplanned names the fields the deploy would now change that the plan
// comment did not show: usually what was edited outside the repository
// (a console edit the deploy would revert). The plan keeps no copy of the
// live manifest, only its hash, so this reads the pointers the comment's
// change table printed; a comment cut to GitHub's size limit can make it
// list too much, never too little.
func unplanned(recorded *PlanComment, changes *diff.Result) string {
	if recorded == nil || changes == nil {
		return ""
	}
	var names []string
	for _, c := range changes.Changes {
		if c.Kind.Counts() && !strings.Contains(recorded.Body, c.Pointer) {
			names = append(names, c.Pointer)
		}
	}
	if len(names) == 0 {
		return ""
	}
	const most = 5
	more := ""
	if len(names) > most {
		more = fmt.Sprintf(" and %d more", len(names)-most)
		names = names[:most]
	}
	return "; the plan did not show a change to " + strings.Join(names, ", ") + more
}

// drifted applies the drift mode to a live manifest that is no longer the
// expected one; extra, when not empty, says what changed.
func (r *deployRun) drifted(wantETag, wantSHA string, live plan.Live, since, extra string) error {
	return r.drift(r.manifestDrift(wantETag, wantSHA, live, since, extra), wantETag, live.ETag, nil)
}

func (r *deployRun) manifestDrift(wantETag, wantSHA string, live plan.Live, since, extra string) string {
	return fmt.Sprintf("the live manifest of %s changed %s: expected ETag %s (sha256 %s), found ETag %s (sha256 %s)%s",
		r.opts.SkillID, since, orUnknown(wantETag), orUnknown(short(wantSHA)), live.ETag, short(live.SHA256), extra)
}

// drift applies the drift mode to what, the description of every live
// change found. written lists what this deploy already wrote before the
// drift showed (only after waiting out someone else's build).
func (r *deployRun) drift(what, wantETag, liveETag string, written []string) error {
	switch r.opts.Drift {
	case DriftIgnore:
		r.out.PlanNote = "Drift ignored (drift: ignore): " + what + "."
		r.opts.Progress.Line(r.out.PlanNote)
		return nil
	case DriftWarn:
		r.out.DriftWarning = what + "; deploying anyway (drift: warn), which overwrites that change"
		r.out.PlanNote = r.out.DriftWarning + "."
		r.opts.Progress.Warning(r.out.DriftWarning)
		return nil
	}
	nothing := "nothing was written"
	if len(written) > 0 {
		nothing = "nothing more was written" + alreadyWritten(written, r.opts.SkillID)
	}
	return r.refuse(&RefusedError{
		Reason:      "drift",
		PlannedETag: wantETag,
		LiveETag:    liveETag,
		Message: what + ". Someone edited the skill outside the repository; " + nothing + ". " +
			"Bring that change into the repository (or revert it in the console) and merge again, or set drift to warn or ignore to overwrite it",
	})
}

func (r *deployRun) refuse(e *RefusedError) error {
	r.out.Status = StatusFailed
	r.out.Refused = e.Reason
	r.opts.Progress.Error(e.Error())
	return e
}

// afterPut waits for the build of everything written, records the new
// ETag, then submits.
func (r *deployRun) afterPut(ctx context.Context, acc *smapi.Accepted, manifest bool, locales []string) error {
	st, err := r.wait(ctx, "build", true, manifest, locales)
	r.recordBuilds(st, locales)
	if err != nil {
		r.out.Status = StatusFailed
		return err
	}
	// The ETag comes from one more read rather than from the status
	// answer: SMAPI spells the status's eTag without the quotes of the
	// header, and the header form is what If-Match and the plan marker use.
	if m, err := r.client.GetManifest(ctx, r.opts.SkillID, r.opts.Stage); err == nil {
		r.out.ETagAfter = m.ETag
	} else if acc != nil && acc.ETag != "" {
		r.out.ETagAfter = acc.ETag
	} else {
		// A missing ETag is a gap in the summary, not a failed deploy.
		r.opts.Progress.Line(fmt.Sprintf("Could not read the new ETag: %v", err))
	}
	r.out.Status = StatusSucceeded
	line := fmt.Sprintf("Deployed: ETag %s → %s.", r.out.ETagBefore, r.out.ETagAfter)
	if len(locales) > 0 {
		line = fmt.Sprintf("Deployed: ETag %s → %s; interaction models built: %s.", r.out.ETagBefore, r.out.ETagAfter, strings.Join(locales, ", "))
	}
	r.opts.Progress.Line(line)
	return r.submit(ctx)
}

func planWhere(p *PlanComment) string {
	if p.PR != 0 {
		return fmt.Sprintf("pull request #%d", p.PR)
	}
	return "the pull request"
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}

func orUnknown(s string) string {
	if s == "" {
		return "(not recorded)"
	}
	return s
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
