// Package report renders validation findings in the formats skillgate
// offers: text for a terminal, GitHub workflow-command annotations, the JSON
// contract of the README ("validate output"), and SARIF 2.1.0 for code
// scanning. Every format sits
// behind one two-method Writer so the CLI and Action mode pick a format by
// name and feed it the same findings. The text and github writers stream
// (a user sees findings as they come); json and sarif buffer, because each
// prints a single document whose counts are only known at the end.
package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/skillgate/skillgate/internal/validate"
)

// Writer renders findings in one format. Write never fails on its own: an
// output error is kept and returned by Flush, so callers check one error at
// the end (as bufio.Writer does). Call Flush exactly once, after the last
// Write.
type Writer interface {
	Write(validate.Finding)
	Flush() error
}

// Options carries what some formats need beyond the findings.
type Options struct {
	// Source returns the contents of a file named in a finding, for the
	// source excerpt in text output. nil, or a nil result, leaves the excerpt
	// out.
	Source func(file string) []byte
	// ToolVersion is skillgate's version, recorded in SARIF's tool.driver.
	// Empty leaves it out.
	ToolVersion string
	// Rules lists the rules SARIF declares in tool.driver.rules. nil means
	// validate.Rules(), every rule the validator can emit.
	Rules []validate.Rule
}

// The format names, as --format accepts them.
const (
	FormatText   = "text"
	FormatGitHub = "github"
	FormatJSON   = "json"
	FormatSARIF  = "sarif"
)

// Formats returns the names New accepts, in the order the help text lists
// them; the first is the default.
func Formats() []string {
	return []string{FormatText, FormatGitHub, FormatJSON, FormatSARIF}
}

// New returns a Writer for format that writes to w.
func New(format string, w io.Writer, opts Options) (Writer, error) {
	switch format {
	case FormatText:
		return newTextWriter(w, opts), nil
	case FormatGitHub:
		return newGitHubWriter(w), nil
	case FormatJSON:
		return newJSONWriter(w), nil
	case FormatSARIF:
		return newSARIFWriter(w, opts), nil
	}
	return nil, fmt.Errorf("unknown report format %q: use one of %s", format, strings.Join(Formats(), ", "))
}

// counter tallies findings by severity for the count lines and the JSON
// totals; findings of any other severity are counted in neither.
type counter struct{ errors, warnings int }

func (c *counter) add(f validate.Finding) {
	switch f.Severity {
	case validate.Error:
		c.errors++
	case validate.Warning:
		c.warnings++
	}
}

// String reads "1 error, 2 warnings".
func (c counter) String() string {
	return plural(c.errors, "error") + ", " + plural(c.warnings, "warning")
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// errWriter remembers the first write error so the streaming writers can
// report it from Flush.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) WriteString(s string) {
	if e.err != nil {
		return
	}
	if _, err := io.WriteString(e.w, s); err != nil {
		e.err = fmt.Errorf("writing the report: %w", err)
	}
}
