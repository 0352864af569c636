package report

import (
	"fmt"
	"strings"

	"github.com/skillgate/skillgate/internal/markdown"
	"github.com/skillgate/skillgate/internal/validate"
)

// maxSummaryRows caps the findings table: GitHub refuses a step summary over
// 1 MiB, and past a few hundred rows nobody reads a table anyway.
const maxSummaryRows = 500

// SummaryMarkdown returns the findings as a GitHub-flavoured Markdown table,
// for the step summary ($GITHUB_STEP_SUMMARY) where annotations past the
// first ten of each kind do not reach. Every cell is escaped, so a message
// quoting user text cannot break the table or inject HTML. With no findings
// it returns one line saying so.
func SummaryMarkdown(findings []validate.Finding) string {
	if len(findings) == 0 {
		return "No problems found.\n"
	}
	var b strings.Builder
	b.WriteString("| Severity | Rule | Location | Message |\n| --- | --- | --- | --- |\n")
	for i, f := range findings {
		if i == maxSummaryRows {
			fmt.Fprintf(&b, "\n%d more findings are not shown; run `skillgate validate --format text` to see them all.\n", len(findings)-i)
			break
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", f.Severity, markdownCode(f.Rule), markdown.Escape(location(f)), markdown.Escape(f.Message))
	}
	return b.String()
}

// location reads "file:line:col", leaving out what is unknown.
func location(f validate.Finding) string {
	s := f.File
	if f.Line > 0 {
		s += fmt.Sprintf(":%d", f.Line)
		if f.Column > 0 {
			s += fmt.Sprintf(":%d", f.Column)
		}
	}
	return s
}

// markdownCode renders s as a code span where it can be one. Inside a code
// span only the table's pipe needs escaping (GFM removes the backslash
// before the span is parsed); text with a backtick or a line break falls
// back to escaped plain text (markdown.Escape).
func markdownCode(s string) string {
	if s == "" || strings.ContainsAny(s, "`\r\n") {
		return markdown.Escape(s)
	}
	return "`" + strings.ReplaceAll(s, "|", `\|`) + "`"
}
