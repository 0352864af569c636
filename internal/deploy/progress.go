package deploy

import (
	"fmt"
	"io"
	"strings"
)

// Progress receives what a deploy is doing while it does it. The terminal
// prints plain lines on stderr; Action mode turns groups and errors into
// workflow commands.
type Progress interface {
	Line(msg string)    // one progress line
	Group(title string) // start a foldable section (the build wait)
	EndGroup()          // end it
	Warning(msg string) // something the user should read (drift with drift: warn)
	Error(msg string)   // one error (each errors[].message of a failed build)
}

type discard struct{}

func (discard) Line(string)    {}
func (discard) Group(string)   {}
func (discard) EndGroup()      {}
func (discard) Warning(string) {}
func (discard) Error(string)   {}

// TextProgress writes progress as plain lines, for a terminal.
func TextProgress(w io.Writer) Progress { return textProgress{w} }

type textProgress struct{ w io.Writer }

func (p textProgress) Line(msg string)    { fmt.Fprintln(p.w, msg) }
func (p textProgress) Group(title string) { fmt.Fprintln(p.w, title) }
func (p textProgress) EndGroup()          {}
func (p textProgress) Warning(msg string) { fmt.Fprintln(p.w, "warning: "+msg) }
func (p textProgress) Error(msg string)   { fmt.Fprintln(p.w, "error: "+msg) }

// ActionProgress writes progress as GitHub Actions workflow commands on w
// (the step's stdout): ::group::, ::warning:: and ::error:: annotations.
func ActionProgress(w io.Writer) Progress { return actionProgress{w} }

type actionProgress struct{ w io.Writer }

func (p actionProgress) Line(msg string)    { fmt.Fprintln(p.w, msg) }
func (p actionProgress) Group(title string) { fmt.Fprintf(p.w, "::group::%s\n", escapeData(title)) }
func (p actionProgress) EndGroup()          { fmt.Fprintln(p.w, "::endgroup::") }
func (p actionProgress) Warning(msg string) { fmt.Fprintf(p.w, "::warning::%s\n", escapeData(msg)) }
func (p actionProgress) Error(msg string)   { fmt.Fprintf(p.w, "::error::%s\n", escapeData(msg)) }

// escapeData escapes a workflow command's message the way the runner
// expects, so a multi-line SMAPI message stays one annotation.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}
