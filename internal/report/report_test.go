package report

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skillgate/skillgate/internal/golden"
	"github.com/skillgate/skillgate/internal/validate"
)

// testRules stands in for validate.Rules() so the golden SARIF files do not
// change each time the validator gains a rule.
var testRules = []validate.Rule{
	{ID: "distribution.country-code", Severity: validate.Error, Summary: "Distribution countries are ISO 3166-1 alpha-2 codes from the SMAPI list.", Help: "Use the two-letter code, e.g. GB for the United Kingdom."},
	{ID: "publishing.category", Severity: validate.Warning, Summary: "The category is one of the documented values.", Help: "Pick a value from the category list; near misses get a suggestion."},
	{ID: "syntax", Severity: validate.Error, Summary: "The file is well-formed JSON.", Help: "Fix the JSON syntax at the position shown."},
}

const skillJSON = `{
  "manifest": {
    "publishingInformation": {
      "category": "GAME",
      "distributionCountries": [
        "US",
        "UK"
      ]
    }
  }
}
`

// multibyteJSON has a tab-indented line with characters of every width before
// the reported column: é (one cell), 漢字 (two cells each), 😀 (outside the
// BMP, two cells), and a combining accent (no cell).
const multibyteJSON = "{\n\t\"name\": \"Café 漢字 😀 e\u0301\", \"x\": 1,\n\t\"k\": \"v\"\n}\n"

type goldenCase struct {
	name     string
	findings []validate.Finding
	sources  map[string]string
}

// goldenCases feed every format; each writes testdata/<name>.<ext>.
func goldenCases() []goldenCase {
	long := minified()
	// Column of "k60", deep inside the minified line, counted in code points.
	k60 := len([]rune(long[:strings.Index(long, `"k60"`)])) + 1
	return []goldenCase{
		{name: "empty"},
		{
			name: "basic",
			findings: []validate.Finding{
				{File: "skill-package/skill.json", Pointer: "/manifest/publishingInformation/category", Line: 4, Column: 19, Severity: validate.Warning, Rule: "publishing.category", Message: `"GAME" is not a documented category; did you mean "GAMES"?`},
				{File: "skill-package/skill.json", Pointer: "/manifest/publishingInformation/distributionCountries/1", Line: 7, Column: 9, Severity: validate.Error, Rule: "distribution.country-code", Message: `"UK" is not an ISO 3166-1 alpha-2 country code; did you mean "GB"?`},
			},
			sources: map[string]string{"skill-package/skill.json": skillJSON},
		},
		{
			name: "escaping",
			findings: []validate.Finding{
				{File: "pkg, with: comma/skill.json", Pointer: "/manifest/a~1b", Line: 1, Column: 1, Severity: validate.Error, Rule: "syntax", Message: "100% wrong: a, b\r\nsecond line\nthird | <b>bold</b> & *stars* `tick` [link](x) \\ back"},
				{File: "skill-package/skill.json", Pointer: "/manifest/publishingInformation/locales/de-DE/name", Line: 2, Column: 3, Severity: validate.Warning, Rule: "odd|rule`id", Message: "Größe: „zu groß“ — 日本語 😀 %0A stays literal"},
				{File: "skill-package/skill.json", Pointer: "", Line: 3, Column: 1, Severity: validate.Error, Rule: "syntax", Message: "control \x1b[31mred\x1b[0m and tab\there"},
			},
			sources: map[string]string{"skill-package/skill.json": skillJSON},
		},
		{
			name: "multibyte",
			findings: []validate.Finding{
				// Column 26 is the `"` that opens "x": past é, 漢字, 😀 and e+U+0301.
				{File: "skill.json", Pointer: "/x", Line: 2, Column: 26, Severity: validate.Error, Rule: "syntax", Message: "column past multibyte characters"},
				{File: "skill.json", Pointer: "/k", Line: 3, Column: 2, Severity: validate.Warning, Rule: "publishing.category", Message: "after a tab"},
			},
			sources: map[string]string{"skill.json": multibyteJSON},
		},
		{
			name: "positions",
			findings: []validate.Finding{
				{File: "skill.json", Line: 0, Column: 0, Severity: validate.Error, Rule: "syntax", Message: "the file is empty"},
				{File: "skill.json", Pointer: "", Line: 1, Column: 0, Severity: validate.Error, Rule: "syntax", Message: "line without a column"},
				{File: "skill.json", Pointer: "/manifest", Line: 1, Column: 14, Severity: validate.Error, Rule: "syntax", Message: "column past the end of the line"},
				{File: "skill.json", Pointer: "/manifest", Line: 99, Column: 1, Severity: validate.Error, Rule: "syntax", Message: "line past the end of the file"},
				{File: "bom.json", Pointer: "/a", Line: 1, Column: 2, Severity: validate.Warning, Rule: "syntax", Message: "after a BOM"},
				{File: "crlf.json", Pointer: "/a", Line: 2, Column: 3, Severity: validate.Warning, Rule: "syntax", Message: "CRLF line endings"},
				{File: "unreadable.json", Pointer: "/a", Line: 2, Column: 3, Severity: validate.Warning, Rule: "syntax", Message: "no source to show"},
				{File: "/abs/path with space/skill.json", Pointer: "/a", Line: 1, Column: 1, Severity: validate.Error, Rule: "unregistered.rule", Message: "absolute path and an undeclared rule"},
			},
			sources: map[string]string{
				"skill.json": "{\"manifest\":{}\n}\n",
				"bom.json":   "\ufeff{\"a\":1}\n",
				"crlf.json":  "{\r\n  \"a\": 1\r\n}\r\n",
			},
		},
		{
			name: "long-line",
			findings: []validate.Finding{
				{File: "min.json", Pointer: "/manifest/k60", Line: 1, Column: k60, Severity: validate.Error, Rule: "syntax", Message: `"k60" is deep inside a long line`},
				{File: "min.json", Pointer: "/manifest/k0", Line: 1, Column: 14, Severity: validate.Error, Rule: "syntax", Message: "near the start"},
			},
			sources: map[string]string{"min.json": long},
		},
		{
			name:     "many",
			findings: many(12, 11),
			sources:  map[string]string{"skill-package/skill.json": skillJSON},
		},
	}
}

// minified is a one-line skill.json far wider than a terminal.
func minified() string {
	var b strings.Builder
	b.WriteString(`{"manifest":{`)
	for i := range 80 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"k%d":"value %d"`, i, i)
	}
	b.WriteString("}}\n")
	return b.String()
}

func many(errs, warns int) []validate.Finding {
	var out []validate.Finding
	for i := range errs + warns {
		sev, rule := validate.Error, "distribution.country-code"
		if i >= errs {
			sev, rule = validate.Warning, "publishing.category"
		}
		out = append(out, validate.Finding{File: "skill-package/skill.json", Pointer: fmt.Sprintf("/manifest/%d", i), Line: 1 + i%11, Column: 1, Severity: sev, Rule: rule, Message: fmt.Sprintf("finding %d", i)})
	}
	return out
}

var goldenExt = map[string]string{FormatText: "txt", FormatGitHub: "github", FormatJSON: "json", FormatSARIF: "sarif"}

func TestGolden(t *testing.T) {
	for _, format := range Formats() {
		for _, tc := range goldenCases() {
			t.Run(format+"/"+tc.name, func(t *testing.T) {
				got := render(t, format, tc.findings, tc.sources)
				golden.Check(t, filepath.Join("testdata", tc.name+"."+goldenExt[format]), got)
			})
		}
	}
}

func TestGoldenSummaryMarkdown(t *testing.T) {
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			golden.Check(t, filepath.Join("testdata", tc.name+".md"), []byte(SummaryMarkdown(tc.findings)))
		})
	}
}

// render runs findings through the format's writer.
func render(t *testing.T, format string, findings []validate.Finding, sources map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := New(format, &buf, Options{
		Source: func(file string) []byte {
			if s, ok := sources[file]; ok {
				return []byte(s)
			}
			return nil
		},
		ToolVersion: "v1.2.3",
		Rules:       testRules,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		w.Write(f)
	}
	if err := w.Flush(); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	return buf.Bytes()
}

func TestNewUnknownFormat(t *testing.T) {
	_, err := New("xml", &bytes.Buffer{}, Options{})
	if err == nil {
		t.Fatal("New accepted an unknown format")
	}
	for _, f := range Formats() {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not list format %q", err, f)
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// Every format reports an output error from Flush.
func TestFlushReportsWriteError(t *testing.T) {
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			w, err := New(format, failingWriter{}, Options{Rules: testRules})
			if err != nil {
				t.Fatal(err)
			}
			w.Write(goldenCases()[1].findings[0])
			if err := w.Flush(); err == nil || !strings.Contains(err.Error(), "disk full") {
				t.Errorf("Flush = %v, want the write error", err)
			}
		})
	}
}

func TestCounterString(t *testing.T) {
	tests := []struct {
		c    counter
		want string
	}{
		{counter{}, "0 errors, 0 warnings"},
		{counter{1, 1}, "1 error, 1 warning"},
		{counter{2, 12}, "2 errors, 12 warnings"},
	}
	for _, tt := range tests {
		if got := tt.c.String(); got != tt.want {
			t.Errorf("%+v = %q, want %q", tt.c, got, tt.want)
		}
	}
}
