package smapi

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Schedule is how often a wait polls: an interval that starts at Initial
// and grows by Factor after each poll, up to Max, with a progress report at
// least every Heartbeat even when nothing changed. It is the one schedule
// of every wait (the build, an import, an export, the deploy's); tests
// shrink it to milliseconds.
type Schedule struct {
	Initial, Max time.Duration
	Factor       float64
	Heartbeat    time.Duration
}

// BuildSchedule is the build poll of docs/architecture.md, "Waiting on the
// build": 1 s, growing by half, at most 10 s, a progress line at least every
// 30 s.
var BuildSchedule = Schedule{Initial: time.Second, Max: 10 * time.Second, Factor: 1.5, Heartbeat: 30 * time.Second}

// heartbeat is the longest silence between two progress reports.
func (s Schedule) heartbeat() time.Duration {
	if s.Heartbeat > 0 {
		return s.Heartbeat
	}
	return BuildSchedule.Heartbeat
}

// Next returns the wait after prev (zero for the first wait).
func (s Schedule) Next(prev time.Duration) time.Duration {
	if s.Initial <= 0 {
		s = BuildSchedule
	}
	if prev <= 0 {
		return s.Initial
	}
	f := s.Factor
	if f < 1 {
		f = 1
	}
	next := time.Duration(float64(prev) * f)
	if s.Max > 0 && next > s.Max {
		next = s.Max
	}
	return next
}

// ResourceState is the state of one resource (or one locale's model) in a
// status answer, flattened for progress lines.
type ResourceState struct {
	Resource string // ResourceManifest or ResourceInteractionModel
	Locale   string // interaction models only
	Status   string // IN_PROGRESS, SUCCEEDED, FAILED, or "" when not reported yet
	Step     string // the latest build step, e.g. "LANGUAGE_MODEL_FULL_BUILD IN_PROGRESS"
	Errors   []string
}

// Name is "manifest" or "interactionModel en-US".
func (r ResourceState) Name() string {
	if r.Locale == "" {
		return r.Resource
	}
	return r.Resource + " " + r.Locale
}

func (r ResourceState) String() string {
	s := r.Name() + ": " + orDash(r.Status)
	if r.Step != "" {
		s += " (" + r.Step + ")"
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "not reported yet"
	}
	return s
}

// States flattens st for the resources asked about. locales restricts the
// interaction models considered; empty means every locale reported.
func (st *SkillStatus) States(resources, locales []string) []ResourceState {
	want := func(r string) bool {
		if len(resources) == 0 {
			return true
		}
		for _, x := range resources {
			if x == r {
				return true
			}
		}
		return false
	}
	var out []ResourceState
	if want(ResourceManifest) && (len(resources) > 0 || st.Manifest != nil) {
		s := ResourceState{Resource: ResourceManifest}
		if st.Manifest != nil {
			s.Status = st.Manifest.LastUpdateRequest.Status
			s.Errors = messages(st.Manifest.LastUpdateRequest.Errors)
		}
		out = append(out, s)
	}
	if want(ResourceInteractionModel) {
		ls := locales
		if len(ls) == 0 {
			for l := range st.InteractionModel {
				ls = append(ls, l)
			}
		}
		ls = append([]string(nil), ls...)
		sort.Strings(ls)
		for _, l := range ls {
			s := ResourceState{Resource: ResourceInteractionModel, Locale: l}
			if im := st.InteractionModel[l]; im != nil {
				lur := im.LastUpdateRequest
				s.Status = lur.Status
				s.Errors = messages(lur.Errors)
				if lur.BuildDetails != nil {
					// A failed step's errors are often the build's own
					// errors again; each message is reported once.
					for _, step := range lur.BuildDetails.Steps {
						for _, m := range messages(step.Errors) {
							if !slices.Contains(s.Errors, m) {
								s.Errors = append(s.Errors, m)
							}
						}
					}
					if n := len(lur.BuildDetails.Steps); n > 0 {
						last := lur.BuildDetails.Steps[n-1]
						s.Step = last.Name + " " + last.Status
					}
				}
			}
			out = append(out, s)
		}
	}
	return out
}

func messages(errs []StatusError) []string {
	var out []string
	for _, e := range errs {
		if e.Message != "" {
			out = append(out, e.Message)
		}
	}
	return out
}

// Progress is reported by a wait when the state changes, and at least
// every Schedule.Heartbeat.
type Progress struct {
	Elapsed time.Duration
	States  []ResourceState
	Changed bool // false for a heartbeat
	// Status is the status answer the states come from (WaitForBuild
	// only), for callers that show more of it.
	Status *SkillStatus
}

// WaitOptions tune a wait. The zero value polls on BuildSchedule with no
// timeout of its own (the context bounds it).
type WaitOptions struct {
	// Locales restricts the interaction models waited on; empty means
	// every locale the status reports.
	Locales []string
	// Schedule is the polling interval and heartbeat; zero means
	// BuildSchedule.
	Schedule Schedule
	// Timeout, when positive, bounds the wait in addition to ctx.
	Timeout time.Duration
	// WaitFirst waits one interval before the first poll: right after a
	// 202, SMAPI's status may not reflect the write yet.
	WaitFirst bool
	// KeepPolling, when set, is asked about a failed poll: true goes on
	// polling (a 429 or 5xx that outlasted the client's retries does not
	// stop a build that runs on regardless), false ends the wait with it.
	KeepPolling func(error) bool
	// OnProgress, when set, is called from the waiting goroutine.
	OnProgress func(Progress)
}

// StatusGetter is what WaitForBuild needs of a client: *Client, or a
// caller's narrower interface over it.
type StatusGetter interface {
	GetStatus(ctx context.Context, skillID string, resources ...string) (*SkillStatus, error)
}

// BuildFailedError is a build that ended FAILED.
type BuildFailedError struct {
	Status *SkillStatus
	Failed []ResourceState
}

func (e *BuildFailedError) Error() string {
	var parts []string
	for _, f := range e.Failed {
		msg := f.Name() + " FAILED"
		if len(f.Errors) > 0 {
			msg += ": " + strings.Join(f.Errors, "; ")
		}
		parts = append(parts, msg)
	}
	return "build failed: " + strings.Join(parts, "; ") + ". Fix the reported problems and deploy again"
}

// WaitTimeoutError is a wait that ran out of time with resources still
// building.
type WaitTimeoutError struct {
	Status  *SkillStatus
	Pending []ResourceState
	Elapsed time.Duration
	Err     error // the context's error
}

func (e *WaitTimeoutError) Error() string {
	var names []string
	for _, p := range e.Pending {
		names = append(names, p.String())
	}
	if len(names) == 0 {
		names = append(names, "no status reported yet")
	}
	return fmt.Sprintf("gave up waiting for the build after %s, still in progress: %s. Check again later with skillgate status --wait",
		e.Elapsed.Round(time.Second), strings.Join(names, ", "))
}

func (e *WaitTimeoutError) Unwrap() error { return e.Err }

// WaitForBuild polls GetStatus until every resource asked about reports
// SUCCEEDED (returning the last status), any reports FAILED
// (*BuildFailedError), or the time runs out (*WaitTimeoutError). resources
// is GetStatus's filter; empty waits on whatever the status reports.
func WaitForBuild(ctx context.Context, c StatusGetter, skillID string, resources []string, opts WaitOptions) (*SkillStatus, error) {
	var st *SkillStatus
	if report := opts.OnProgress; report != nil {
		opts.OnProgress = func(p Progress) {
			p.Status = st
			report(p)
		}
	}
	err := poll(ctx, opts, func(ctx context.Context) ([]ResourceState, bool, error) {
		next, err := c.GetStatus(ctx, skillID, resources...)
		if err != nil {
			return nil, false, err
		}
		st = next
		states := st.States(resources, opts.Locales)
		var failed []ResourceState
		done := true
		for _, s := range states {
			switch s.Status {
			case StatusFailed:
				failed = append(failed, s)
			case StatusSucceeded:
			default:
				done = false
			}
		}
		if len(failed) > 0 {
			return states, true, &BuildFailedError{Status: st, Failed: failed}
		}
		return states, done, nil
	})
	var te *WaitTimeoutError
	switch {
	case errors.As(err, &te):
		te.Status = st
		if len(te.Pending) == 0 && st == nil {
			// Out of time before the first answer: everything asked
			// about is still pending, "not reported yet".
			te.Pending = pending((&SkillStatus{}).States(resources, opts.Locales))
		}
	case err != nil && !errors.As(err, new(*BuildFailedError)):
		return nil, err
	}
	return st, err
}

func pending(states []ResourceState) []ResourceState {
	var out []ResourceState
	for _, s := range states {
		if s.Status != StatusSucceeded && s.Status != StatusFailed {
			out = append(out, s)
		}
	}
	return out
}

func sameStates(a, b []ResourceState) bool {
	if len(a) != len(b) || a == nil != (b == nil) {
		return false
	}
	for i := range a {
		if a[i].Name() != b[i].Name() || a[i].Status != b[i].Status || a[i].Step != b[i].Step {
			return false
		}
	}
	return true
}

// IsTimeout reports whether err is a WaitForBuild timeout.
func IsTimeout(err error) bool {
	var te *WaitTimeoutError
	return errors.As(err, &te)
}
