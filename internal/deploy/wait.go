package deploy

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/skillgate/skillgate/internal/smapi"
)

// Build statuses SMAPI reports in lastUpdateRequest.status.
const (
	buildSucceeded = smapi.StatusSucceeded
	buildFailed    = smapi.StatusFailed
)

// wait follows the build of what was written, for the manifest when
// manifest is set and for the interaction model of each of locales, on
// smapi.WaitForBuild's loop (the one every wait uses): until every one of
// them SUCCEEDED or any FAILED, or opts.Timeout passed. It prints a line at
// each change (a model's with its build steps) and at least every
// Schedule.Heartbeat, inside one Progress group, and records the step.
//
// Unlike a bare WaitForBuild, a 429 or 5xx that outlasts the client's own
// retries does not end the wait: the build goes on regardless, so the next
// poll may well succeed. ours is false while waiting out someone else's
// build after a 409, whose failure is not this deploy's error.
func (r *deployRun) wait(ctx context.Context, stepName string, ours, manifest bool, locales []string) (*smapi.SkillStatus, error) {
	p := r.opts.Progress
	resources := waitedOn(manifest, locales)
	p.Group("Waiting for the build of " + r.opts.SkillID)
	defer p.EndGroup()
	start := r.opts.Now()
	record := func(status string) {
		r.out.Steps = append(r.out.Steps, StepTiming{Name: stepName, Status: status, Duration: r.opts.Now().Sub(start)})
	}
	st, err := smapi.WaitForBuild(ctx, r.client, r.opts.SkillID, resources, smapi.WaitOptions{
		Locales: locales, Schedule: r.opts.Schedule, Timeout: r.opts.Timeout, WaitFirst: true,
		KeepPolling: func(err error) bool {
			var apiErr *smapi.Error
			if !errors.As(err, &apiErr) || (apiErr.Status != http.StatusTooManyRequests && apiErr.Status < 500) {
				return false
			}
			p.Line(fmt.Sprintf("  status unavailable (%d), retrying (%s)", apiErr.Status, round(r.opts.Now().Sub(start))))
			return true
		},
		OnProgress: func(pr smapi.Progress) {
			for _, s := range pr.States {
				p.Line(fmt.Sprintf("  %s (%s)", stateLine(s, pr.Status), round(pr.Elapsed)))
			}
		},
	})
	var failed *smapi.BuildFailedError
	var ended *smapi.WaitTimeoutError
	switch {
	case err == nil:
		record(buildSucceeded)
		return st, nil
	case errors.As(err, &failed):
		record(buildFailed)
		return st, r.buildError(failed.Failed, round(r.opts.Now().Sub(start)), ours)
	case errors.As(err, &ended) && errors.Is(err, context.Canceled):
		record("CANCELLED")
		return st, fmt.Errorf("waiting for the build: %w", context.Canceled)
	case errors.As(err, &ended):
		record("TIMED_OUT")
		return st, r.timeout(ended.Pending, start, resources, locales)
	}
	record("FAILED")
	return st, fmt.Errorf("read the build status of %s: %w", r.opts.SkillID, err)
}

// waitedOn is GetStatus's resource filter for a wait on the manifest and
// on the models of locales.
func waitedOn(manifest bool, locales []string) []string {
	var resources []string
	if manifest {
		resources = append(resources, smapi.ResourceManifest)
	}
	if len(locales) > 0 {
		resources = append(resources, smapi.ResourceInteractionModel)
	}
	return resources
}

// buildError reports the FAILED resources of a build, each errors[].message
// as one annotation. Another deploy's failed build (ours is false) is not
// this deploy's error: its messages are lines, not annotations.
func (r *deployRun) buildError(failed []smapi.ResourceState, elapsed time.Duration, ours bool) *BuildError {
	be := &BuildError{Elapsed: elapsed.String()}
	for _, s := range failed {
		if len(s.Errors) == 0 {
			be.Messages = append(be.Messages, s.Name()+": FAILED without an error message")
		}
		for _, m := range s.Errors {
			be.Messages = append(be.Messages, s.Name()+": "+m)
		}
	}
	for _, m := range be.Messages {
		if ours {
			r.opts.Progress.Error(m)
		} else {
			r.opts.Progress.Line("  " + m)
		}
	}
	if ours {
		r.out.Errors = append(r.out.Errors, be.Messages...)
	}
	return be
}

func (r *deployRun) timeout(pending []smapi.ResourceState, start time.Time, resources, locales []string) error {
	be := &BuildError{TimedOut: true, Elapsed: round(r.opts.Now().Sub(start)).String(), SkillID: r.opts.SkillID}
	for _, s := range pending {
		name := s.Name()
		if s.Step != "" {
			name += " (" + s.Step + ")"
		}
		be.InProgress = append(be.InProgress, name)
	}
	if len(be.InProgress) == 0 {
		for _, res := range resources {
			if res == smapi.ResourceManifest {
				be.InProgress = append(be.InProgress, "manifest (no status reported yet)")
				continue
			}
			for _, l := range locales {
				be.InProgress = append(be.InProgress, res+" "+l+" (no status reported yet)")
			}
		}
	}
	r.opts.Progress.Error(be.Error())
	return be
}

// round keeps progress lines readable: whole seconds past ten seconds,
// milliseconds below (which only tests see).
func round(d time.Duration) time.Duration {
	if d >= 10*time.Second {
		return d.Round(time.Second)
	}
	if d >= time.Second {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}

// settled is the deploy with nothing to write. The last update of what it
// covers may still be building (a deploy interrupted during its wait) or
// have failed, and NO_CHANGES over either would be a false green: in
// progress, the deploy waits for that build as if it had started it;
// FAILED, it reports that build's errors and fails; only over a build that
// SUCCEEDED (or none reported) is it NO_CHANGES.
func (r *deployRun) settled(ctx context.Context) error {
	p := r.opts.Progress
	locales := sortedLocales(r.opts.Models)
	resources := waitedOn(true, locales)
	var st *smapi.SkillStatus
	if err := r.step("read the build status", func() (string, error) {
		var err error
		if st, err = r.client.GetStatus(ctx, r.opts.SkillID, resources...); err != nil {
			return "", err
		}
		return "OK", nil
	}); err != nil {
		return fmt.Errorf("read the build status of %s: %w", r.opts.SkillID, err)
	}
	var failed []smapi.ResourceState
	var manifest bool
	var building []string
	for _, s := range st.States(resources, locales) {
		switch {
		case s.Status == buildFailed:
			failed = append(failed, s)
		case s.Status == smapi.StatusInProgress && s.Locale == "":
			manifest = true
		case s.Status == smapi.StatusInProgress:
			building = append(building, s.Locale)
		}
	}
	switch {
	case len(failed) > 0:
		r.out.Status = StatusFailed
		p.Line("Nothing to write, but the last build of what this deploy covers FAILED:")
		return r.buildError(failed, 0, true)
	case manifest || len(building) > 0:
		p.Line("Nothing to write, but the last update is still IN_PROGRESS (a deploy interrupted during its wait?); waiting for its build as if this deploy had started it.")
		if _, err := r.wait(ctx, "build", true, manifest, building); err != nil {
			r.out.Status = StatusFailed
			return err
		}
	}
	r.out.Status = StatusNoChanges
	if len(r.opts.Models) > 0 {
		p.Line("No changes: the live manifest and interaction models already match the repository, nothing to deploy.")
	} else {
		p.Line("No changes: the live manifest already matches the repository, nothing to deploy.")
	}
	return nil
}
