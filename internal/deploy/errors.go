package deploy

import (
	"fmt"
	"strings"
)

// ConfigError is a problem with the options themselves (a bad publishes-at,
// an unknown submit mode...). It is always reported before anything is
// written, and callers map it to exit code 2.
type ConfigError struct {
	Field   string // the option at fault, as the user spells it ("publishes-at")
	Value   string // the value at fault, when quoting it helps; may be empty
	Message string // what is wrong and what to do
}

func (e *ConfigError) Error() string {
	if e.Value != "" {
		return fmt.Sprintf("%s: %q is %s", e.Field, e.Value, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Field, e.Message)
}

// RefusedError means the deploy deliberately wrote nothing because writing
// would overwrite someone else's change: the live manifest drifted from the
// plan, SMAPI answered 412 to the If-Match, or SMAPI sent no ETag to put in
// an If-Match. exitcode.Of maps it to exit code 1.
type RefusedError struct {
	Reason      string // "drift", "precondition" or "no-etag"
	Message     string // the full explanation, naming both versions
	PlannedETag string // the ETag the plan (or the first read) showed
	LiveETag    string // the ETag found live
	Err         error  // the SMAPI error for a 412, nil for drift
}

func (e *RefusedError) Error() string { return "deploy refused: " + e.Message }

func (e *RefusedError) Unwrap() error { return e.Err }

// BuildError means SMAPI accepted the update but the build failed or did not
// finish within the timeout. Callers map it to exit code 1.
type BuildError struct {
	TimedOut   bool
	Messages   []string // every errors[].message of a failed build
	InProgress []string // for a timeout: what was still IN_PROGRESS ("manifest", "interactionModel en-US")
	Elapsed    string
	SkillID    string // for the follow-up command a timeout suggests
}

func (e *BuildError) Error() string {
	if e.TimedOut {
		id := e.SkillID
		if id == "" {
			id = "ID"
		}
		return fmt.Sprintf("the build did not finish within %s; still IN_PROGRESS: %s (check it later with 'skillgate status --skill-id %s --wait' or raise --timeout)",
			e.Elapsed, strings.Join(e.InProgress, ", "), id)
	}
	if len(e.Messages) == 0 {
		return "the build FAILED without an error message; see the skill in the Alexa developer console"
	}
	return "the build FAILED: " + strings.Join(e.Messages, "; ")
}

// InterruptedError is a deploy stopped by its context (SIGINT, SIGTERM, a
// cancelled job). It says what SMAPI had accepted, since those builds go on
// on Amazon's side whatever happens here, and how to follow them. Callers
// map it to exit code 1.
type InterruptedError struct {
	SkillID  string
	Accepted []string // "the manifest", "the en-US model", in the order written
	Err      error    // what was running when the interrupt came
}

func (e *InterruptedError) Error() string {
	if len(e.Accepted) == 0 {
		return fmt.Sprintf("interrupted before anything was written to %s: the live skill is unchanged", e.SkillID)
	}
	return fmt.Sprintf("interrupted: SMAPI had accepted %s of %s, and the build continues on Amazon's side. "+
		"Follow it with 'skillgate status --skill-id %s --wait'; a deploy run again waits for a build still in progress before it reports anything",
		joinAnd(e.Accepted), e.SkillID, e.SkillID)
}

func (e *InterruptedError) Unwrap() error { return e.Err }

// joinAnd lists items as prose: "a", "a and b", "a, b and c".
func joinAnd(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// SubmitError means the build succeeded but the submission for certification
// or publication that followed it did not. The manifest stays deployed.
type SubmitError struct {
	Submit string // "certification" or "publication"
	Status string // the publication status read back, when there is one
	Err    error
}

func (e *SubmitError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("the manifest was deployed, but the %s submission failed: %v", e.Submit, e.Err)
	}
	return fmt.Sprintf("the manifest was deployed, but the %s ended %s; see the skill's certification tab in the Alexa developer console", e.Submit, e.Status)
}

func (e *SubmitError) Unwrap() error { return e.Err }
