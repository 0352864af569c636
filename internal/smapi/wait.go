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

// Schedule is a polling interval that starts at Initial and grows by Factor
// after each poll, up to Max.
type Schedule struct {
	Initial, Max time.Duration
	Factor       float64
}

// BuildSchedule is the build poll of docs/architecture.md, "Waiting on the
// build": 1 s, growing by half, at most 10 s.
var BuildSchedule = Schedule{Initial: time.Second, Max: 10 * time.Second, Factor: 1.5}

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

// Progress is reported by WaitForBuild when the state changes, and at least
// every WaitOptions.Heartbeat.
type Progress struct {
	Elapsed time.Duration
	States  []ResourceState
	Changed bool // false for a heartbeat
}

// WaitOptions tune WaitForBuild. The zero value polls on BuildSchedule
// with a 30 s heartbeat and no timeout of its own (the context bounds it).
type WaitOptions struct {
	// Locales restricts the interaction models waited on; empty means
	// every locale the status reports.
	Locales []string
	// Schedule is the polling interval; zero means BuildSchedule.
	Schedule Schedule
	// Timeout, when positive, bounds the wait in addition to ctx.
	Timeout time.Duration
	// Heartbeat is the longest silence between two Progress calls; zero
	// means 30 s.
	Heartbeat time.Duration
	// OnProgress, when set, is called from WaitForBuild's goroutine.
	OnProgress func(Progress)
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
	return fmt.Sprintf("gave up waiting for the build after %s, still in progress: %s. Check again later with skillgate status --wait",
		e.Elapsed.Round(time.Second), strings.Join(names, ", "))
}

func (e *WaitTimeoutError) Unwrap() error { return e.Err }

// WaitForBuild polls GetStatus until every resource asked about reports
// SUCCEEDED (returning the last status), any reports FAILED
// (*BuildFailedError), or the time runs out (*WaitTimeoutError). resources
// is GetStatus's filter; empty waits on whatever the status reports.
func WaitForBuild(ctx context.Context, c *Client, skillID string, resources []string, opts WaitOptions) (*SkillStatus, error) {
	var st *SkillStatus
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
