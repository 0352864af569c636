package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/skillgate/skillgate/internal/validate"
)

// annotationLimit is how many annotations of each kind GitHub shows per step;
// the rest are dropped silently, which is why the github format ends with a
// count line.
const annotationLimit = 10

// githubWriter prints workflow commands that GitHub turns into annotations
// on the changed files:
//
//	::error file=skill-package/skill.json,line=14,col=9,title=distribution.country-code::message
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
func annotation(f validate.Finding) string {
	var b strings.Builder
	b.WriteString("::")
	b.WriteString(annotationCommand(f.Severity))
	sep := byte(' ')
	prop := func(k, v string) {
		b.WriteByte(sep)
		sep = ','
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(escapeProperty(v))
	}
	if f.File != "" {
		prop("file", f.File)
	}
	if f.Line > 0 {
		prop("line", fmt.Sprint(f.Line))
		if f.Column > 0 {
			prop("col", fmt.Sprint(f.Column))
		}
	}
	if f.Rule != "" {
		prop("title", f.Rule)
	}
	b.WriteString("::")
	b.WriteString(escapeData(f.Message))
	b.WriteByte('\n')
	return b.String()
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

// escapeData escapes a command's message exactly as @actions/core does
// (toolkit packages/core/src/command.ts), so the runner decodes it back.
func escapeData(s string) string {
	return dataEscaper.Replace(s)
}

// escapeProperty escapes a command property value as @actions/core does: as
// data, plus the ':' and ',' that delimit properties.
func escapeProperty(s string) string {
	return propertyEscaper.Replace(s)
}

var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)
