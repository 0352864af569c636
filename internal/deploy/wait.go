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

func sameStates(a, b []smapi.ResourceState) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name() != b[i].Name() || a[i].Status != b[i].Status || a[i].Step != b[i].Step {
			return false
		}
	}
	return true
}

// wait polls GET /v1/skills/{id}/status on opts.Schedule, for the manifest
// when manifest is set and for the interaction model of each of locales,
// until every one of them SUCCEEDED or any FAILED, or opts.Timeout passed
// since the wait began. It prints a line at each change (a model's with its
// build steps) and at least every Schedule.Heartbeat, inside one Progress
// group.
//
// 429 and 5xx answers that outlast the client's own retries do not end the
// wait: the build goes on regardless, so the next poll may well succeed.
// That, and taking the Client interface, is why this is not
// smapi.WaitForBuild, whose flattening of the status (States) it shares.
// ours is false while waiting out someone else's build after a 409.
func (r *runner) wait(ctx context.Context, stepName string, ours, manifest bool, locales []string) (*smapi.SkillStatus, error) {
	p, sched := r.opts.Progress, r.opts.Schedule
	var resources []string
	if manifest {
		resources = append(resources, smapi.ResourceManifest)
	}
	if len(locales) > 0 {
		resources = append(resources, smapi.ResourceInteractionModel)
	}
	p.Group("Waiting for the build of " + r.opts.SkillID)
	defer p.EndGroup()

	start := r.opts.Now()
	deadline := start.Add(r.opts.Timeout)
	delay := sched.First
	var last []smapi.ResourceState
	var lastLine time.Time
	var lastStatus *smapi.SkillStatus
	record := func(status string) {
		r.out.Steps = append(r.out.Steps, StepTiming{Name: stepName, Status: status, Duration: r.opts.Now().Sub(start)})
	}
	for {
		// Wait first: SMAPI needs a moment after the 202 before the status
		// reflects the update.
		remaining := deadline.Sub(r.opts.Now())
		if remaining <= 0 {
			record("TIMED_OUT")
			return lastStatus, r.timeout(last, start, resources, locales)
		}
		if err := sleep(ctx, min(delay, remaining)); err != nil {
			record("CANCELLED")
			return lastStatus, fmt.Errorf("waiting for the build: %w", err)
		}
		delay = sched.next(delay)

		st, err := r.client.GetStatus(ctx, r.opts.SkillID, resources...)
		elapsed := r.opts.Now().Sub(start)
		if err != nil {
			var apiErr *smapi.Error
			if ctx.Err() == nil && errors.As(err, &apiErr) && (apiErr.Status == http.StatusTooManyRequests || apiErr.Status >= 500) {
				p.Line(fmt.Sprintf("  status unavailable (%d), retrying (%s)", apiErr.Status, round(elapsed)))
				lastLine = r.opts.Now()
				continue
			}
			record("FAILED")
			return lastStatus, fmt.Errorf("read the build status of %s: %w", r.opts.SkillID, err)
		}
		lastStatus = st
		states := st.States(resources, locales)
		now := r.opts.Now()
		if !sameStates(states, last) || now.Sub(lastLine) >= sched.Heartbeat {
			for _, s := range states {
				p.Line(fmt.Sprintf("  %s (%s)", stateLine(s, st), round(elapsed)))
			}
			lastLine = now
		}
		last = states

		var failed []string
		done := true
		for _, s := range states {
			switch s.Status {
			case buildFailed:
				failed = append(failed, s.Name())
			case buildSucceeded:
			default:
				done = false
			}
		}
		if len(failed) > 0 {
			be := &BuildError{Elapsed: round(elapsed).String()}
			for _, s := range states {
				if s.Status != buildFailed {
					continue
				}
				if len(s.Errors) == 0 {
					be.Messages = append(be.Messages, s.Name()+": FAILED without an error message")
				}
				for _, m := range s.Errors {
					be.Messages = append(be.Messages, s.Name()+": "+m)
				}
			}
			// Another deploy's failed build (ours is false) is not this
			// deploy's error: it is reported as a line, not annotated.
			for _, m := range be.Messages {
				if ours {
					p.Error(m)
				} else {
					p.Line("  " + m)
				}
			}
			if ours {
				r.out.Errors = append(r.out.Errors, be.Messages...)
			}
			record(buildFailed)
			return st, be
		}
		if done {
			record(buildSucceeded)
			return st, nil
		}
	}
}

func (r *runner) timeout(last []smapi.ResourceState, start time.Time, resources, locales []string) error {
	be := &BuildError{TimedOut: true, Elapsed: round(r.opts.Now().Sub(start)).String()}
	for _, s := range last {
		if s.Status != buildSucceeded && s.Status != buildFailed {
			name := s.Name()
			if s.Step != "" {
				name += " (" + s.Step + ")"
			}
			be.InProgress = append(be.InProgress, name)
		}
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

// sleep waits d or until ctx ends, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
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
