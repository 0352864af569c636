package report

import (
	"fmt"
	"io"

	"github.com/sethvargo/go-githubactions"

	"github.com/skillgate/skillgate/internal/validate"
)

// annotationLimit is how many annotations of each kind GitHub shows per step;
// the rest are dropped silently, which is why the github format ends with a
// count line.
const annotationLimit = 10

// githubWriter prints workflow commands that GitHub turns into annotations
// on the changed files:
//
//	::error col=9,file=skill-package/skill.json,line=14,title=distribution.country-code::message
//
// See https://docs.github.com/actions/reference/workflow-commands-for-github-actions.
type githubWriter struct {
	out    errWriter
	counts counter
}

var _ Writer = (*githubWriter)(nil)

func newGitHubWriter(w io.Writer) *githubWriter {
	return &githubWriter{out: errWriter{w: w}}
}

func (g *githubWriter) Write(f validate.Finding) {
	g.counts.add(f)
	g.out.WriteString(annotation(f))
}

func (g *githubWriter) Flush() error {
	line := "skillgate: " + g.counts.String()
	if g.counts.errors > annotationLimit || g.counts.warnings > annotationLimit {
		line += fmt.Sprintf(" (GitHub shows only the first %d annotations of each kind per step; run skillgate validate --format text to see them all)", annotationLimit)
	}
	g.out.WriteString(line + "\n")
	return g.out.err
}

// annotation returns the workflow command for f, with its line ending.
// go-githubactions writes and escapes it as @actions/core does, so the
// runner decodes it back; it orders the properties by name.
func annotation(f validate.Finding) string {
	props := githubactions.CommandProperties{}
	if f.File != "" {
		props["file"] = f.File
	}
	if f.Line > 0 {
		props["line"] = fmt.Sprint(f.Line)
		if f.Column > 0 {
			props["col"] = fmt.Sprint(f.Column)
		}
	}
	if f.Rule != "" {
		props["title"] = f.Rule
	}
	cmd := githubactions.Command{Name: annotationCommand(f.Severity), Message: f.Message, Properties: props}
	return cmd.String() + "\n"
}

func annotationCommand(s validate.Severity) string {
	switch s {
	case validate.Error:
		return "error"
	case validate.Warning:
		return "warning"
	}
	return "notice"
}
