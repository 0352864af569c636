package report

import (
	"strings"
	"testing"

	"github.com/skillgate/skillgate/internal/validate"
)

// The expected strings follow @actions/core's escapeData and escapeProperty
// (packages/core/src/command.ts).
func TestEscape(t *testing.T) {
	tests := []struct {
		in, data, property string
	}{
		{"plain", "plain", "plain"},
		{"100%", "100%25", "100%25"},
		{"%0A", "%250A", "%250A"},
		{"a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
		{"a:b,c", "a:b,c", "a%3Ab%2Cc"},
		{"::error::", "::error::", "%3A%3Aerror%3A%3A"},
		{"Größe 😀", "Größe 😀", "Größe 😀"},
		{"", "", ""},
	}
	for _, tt := range tests {
		want := "::error::" + tt.data + "\n"
		if tt.in != "" {
			want = "::error file=" + tt.property + "::" + tt.data + "\n"
		}
		if got := annotation(validate.Finding{File: tt.in, Severity: validate.Error, Message: tt.in}); got != want {
			t.Errorf("annotation of %q = %q, want %q", tt.in, got, want)
		}
	}
}

func TestAnnotation(t *testing.T) {
	tests := []struct {
		name string
		f    validate.Finding
		want string
	}{
		{"error", validate.Finding{File: "skill-package/skill.json", Line: 14, Column: 9, Severity: validate.Error, Rule: "distribution.country-code", Message: `"UK" is not valid`},
			"::error col=9,file=skill-package/skill.json,line=14,title=distribution.country-code::\"UK\" is not valid\n"},
		{"warning", validate.Finding{File: "a.json", Line: 1, Column: 2, Severity: validate.Warning, Rule: "r", Message: "m"},
			"::warning col=2,file=a.json,line=1,title=r::m\n"},
		{"no position", validate.Finding{File: "a.json", Severity: validate.Error, Rule: "r", Message: "m"},
			"::error file=a.json,title=r::m\n"},
		{"no column", validate.Finding{File: "a.json", Line: 3, Severity: validate.Error, Rule: "r", Message: "m"},
			"::error file=a.json,line=3,title=r::m\n"},
		{"unknown severity", validate.Finding{File: "a.json", Line: 3, Column: 1, Rule: "r", Message: "m"},
			"::notice col=1,file=a.json,line=3,title=r::m\n"},
		{"nothing but a message", validate.Finding{Severity: validate.Error, Message: "m"},
			"::error::m\n"},
		{"escaped", validate.Finding{File: "a,b:c.json", Line: 1, Column: 1, Severity: validate.Error, Rule: "x:y", Message: "50% off,\nnow"},
			"::error col=1,file=a%2Cb%3Ac.json,line=1,title=x%3Ay::50%25 off,%0Anow\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := annotation(tt.f); got != tt.want {
				t.Errorf("annotation() =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// Every annotation stays on one line whatever the message holds, or the
// runner would read the rest as log text or as a second command.
func TestAnnotationOneLine(t *testing.T) {
	for _, tc := range goldenCases() {
		for _, f := range tc.findings {
			a := annotation(f)
			if strings.Count(a, "\n") != 1 || strings.ContainsRune(a, '\r') {
				t.Errorf("annotation for %q spans lines: %q", f.Message, a)
			}
		}
	}
}

func TestSummaryMarkdownRows(t *testing.T) {
	findings := many(maxSummaryRows, 3)
	md := SummaryMarkdown(findings)
	rows := strings.Count(md, "\n| ") - 1 // less the separator row
	if rows != maxSummaryRows {
		t.Errorf("table has %d rows, want %d", rows, maxSummaryRows)
	}
	if !strings.Contains(md, "3 more findings are not shown") {
		t.Errorf("summary does not say how many findings it left out:\n%s", md[len(md)-200:])
	}
	if got := SummaryMarkdown(nil); got != "No problems found.\n" {
		t.Errorf("SummaryMarkdown(nil) = %q", got)
	}
}

// A code cell is a code span where it can be one, else escaped text
// (markdown.Escape, tested in its package).
func TestMarkdownCode(t *testing.T) {
	for in, want := range map[string]string{
		"distribution.country-code": "`distribution.country-code`",
		"a|b":                       "`a\\|b`",
		"a`b":                       "a\\`b",
		"":                          "",
	} {
		if got := markdownCode(in); got != want {
			t.Errorf("markdownCode(%q) = %q, want %q", in, got, want)
		}
	}
}
