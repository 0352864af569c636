package validate

import (
	"encoding/json"
	"fmt"
)

// Severity orders findings: an Error fails validation, a Warning fails it only
// with --fail-on warning.
type Severity int

const (
	// Warning marks something that will likely work but deserves a look.
	Warning Severity = iota + 1
	// Error marks something SMAPI or certification will reject.
	Error
)

// String returns "error" or "warning", the spelling used in every output.
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// MarshalJSON writes the severity as its string.
func (s Severity) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalJSON reads "error" or "warning".
func (s *Severity) UnmarshalJSON(b []byte) error {
	var v string
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	p, err := ParseSeverity(v)
	if err != nil {
		return err
	}
	*s = p
	return nil
}

// ParseSeverity reads "error" or "warning" (the values of --fail-on).
func ParseSeverity(v string) (Severity, error) {
	switch v {
	case "error":
		return Error, nil
	case "warning":
		return Warning, nil
	}
	return 0, fmt.Errorf("%q is not a severity: use error or warning", v)
}

// Finding is one problem found in a skill package. Every output format
// (text, GitHub annotations, JSON, SARIF, the PR comment) consumes this type.
//
// Line and Column are 1-based and always come from the position map of the
// file as written: Column counts Unicode code points, not bytes. For a missing
// property they point at the object that lacks it.
type Finding struct {
	File     string   `json:"file"`     // path as the user gave it, slash-separated
	Pointer  string   `json:"pointer"`  // RFC 6901 pointer into the file as written
	Line     int      `json:"line"`     // 1-based
	Column   int      `json:"column"`   // 1-based, in Unicode code points
	Severity Severity `json:"severity"` // error or warning
	Rule     string   `json:"rule"`     // stable dotted rule id, documented in README
	Message  string   `json:"message"`  // what is wrong and what to do
}
