package plan

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/skillgate/skillgate/internal/diff"
	"github.com/skillgate/skillgate/internal/golden"
	"github.com/skillgate/skillgate/internal/markdown"
	"github.com/skillgate/skillgate/internal/validate"
)

// marker is testMarker's line, which every golden comment starts with.
const marker = "<!-- skillgate:plan skill=amzn1.ask.skill.demo stage=development etag=abc sha256=0123 -->"

var testMarker = Marker{Skill: "amzn1.ask.skill.demo", Stage: "development", ETag: "abc", SHA256: "0123"}

// markdown is the comment of p.
func commentOf(p Plan) string { return p.Markdown() }

func mustCompare(t testing.TB, local, live []byte) *diff.Result {
	t.Helper()
	r, err := diff.Compare(local, live, diff.Options{FromFile: "live/development", ToFile: "skill-package/skill.json"})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func mustCompareModel(t testing.TB, locale string, local, live []byte) *diff.ModelResult {
	t.Helper()
	m, err := diff.CompareModel(locale, local, live, diff.Options{
		FromFile: "smapi:amzn1.ask.skill.demo/development/interactionModel/" + locale,
		ToFile:   "skill-package/interactionModels/custom/" + locale + ".json",
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// readFile reads the comparison inputs internal/diff's tests share.
func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "diff", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestMarkerLine(t *testing.T) {
	t.Parallel()
	if got := testMarker.String(); got != marker {
		t.Errorf("testMarker.String() = %q, want %q", got, marker)
	}
}

func TestMarkdownGolden(t *testing.T) {
	t.Parallel()
	live := readFile(t, "testdata/live.json")
	same := mustCompare(t, readFile(t, "testdata/local_same.json"), live)
	changed := mustCompare(t, readFile(t, "testdata/local_changed.json"), live)
	tricky := mustCompare(t, []byte(trickyLocal), []byte(trickyLive))

	tests := []struct {
		name string
		c    Plan
		want []string // substrings that must appear, beyond the golden file
	}{
		{
			name: "no_change",
			c:    Plan{Marker: testMarker, Skill: "amzn1.ask.skill.demo", Stage: "development", Changes: same},
			want: []string{"**No changes**", "kept from live", "asset, not deployed by a manifest update"},
		},
		{
			name: "two_locales",
			c:    Plan{Marker: testMarker, Skill: "amzn1.ask.skill.demo", Stage: "development", Changes: changed},
			want: []string{"**6 changes** in publishing, publishing.de-DE, publishing.en-US, permissions.", "<details>", "```diff\n"},
		},
		{
			name: "validation_failed",
			c: Plan{
				Marker: testMarker, Skill: "amzn1.ask.skill.demo", Stage: "development", Failed: true, Changes: same,
				Findings: []validate.Finding{
					{File: "skill-package/skill.json", Pointer: "/manifest/publishingInformation/distributionCountries/2", Line: 14, Column: 9, Severity: validate.Error, Rule: "distribution.country-code", Message: `"UK" is not an ISO 3166-1 alpha-2 country code; did you mean "GB"?`},
					{File: "skill-package/skill.json", Pointer: "/manifest/publishingInformation/locales/en-US/summary", Line: 22, Column: 20, Severity: validate.Error, Rule: "locale.summary-length", Message: "summary is 171 characters; the limit is 160"},
					{File: "skill-package/skill.json", Pointer: "/manifest/publishingInformation/locales/en-US/examplePhrases", Line: 23, Column: 27, Severity: validate.Warning, Rule: "locale.example-phrases-count", Message: "give three example phrases"},
				},
			},
			want: []string{"**Validation failed** (2 errors, 1 warning); no changes", "<code>skill-package/skill.json:14:9</code> distribution.country-code"},
		},
		{
			name: "validate_only",
			c:    Plan{Marker: testMarker, Skill: "", Stage: "", Note: "validate only: no skill-id"},
			want: []string{"**Validation passed** (0 errors, 0 warnings).", "_validate only: no skill-id_"},
		},
		{
			name: "backticks_html",
			c: Plan{
				Marker: testMarker, Skill: "amzn1.ask.skill.demo", Stage: "development", Changes: tricky,
				Note: "note with <b>html</b> and `code`",
				Findings: []validate.Finding{
					{File: "skill.json", Line: 3, Column: 5, Severity: validate.Warning, Rule: "locale.name", Message: "name holds ``` and <script>alert(1)</script> | a pipe"},
				},
			},
			want: []string{"``````diff\n", "\n``````\n", "&lt;script&gt;", `\|`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := commentOf(tt.c)
			golden.Check(t, filepath.Join("testdata", "comment_"+tt.name+".md"), []byte(got))
			if !strings.HasPrefix(got, marker+"\n") && tt.c.Marker.Skill != "" {
				t.Errorf("the marker is not the first line")
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("comment lacks %q", w)
				}
			}
			outside := got
			if i := strings.Index(outside, "<details>"); i >= 0 {
				outside = outside[:i] // the diff fence holds the content verbatim, by design
			}
			if strings.Contains(outside, "<script>") || strings.Contains(outside, "<b>") {
				t.Errorf("raw HTML from the content reached the comment outside the diff fence")
			}
		})
	}
}

// The tricky pair holds backticks (a run of five) and HTML in values, so the
// fence must be six backticks long and the table must escape them.
const trickyLive = `{"manifest":{"publishingInformation":{"locales":{"en-US":{
  "name":"Quiz | Master",
  "description":"Plain text."}}}}}`

const trickyLocal = `{"manifest":{"publishingInformation":{"locales":{"en-US":{
  "name":"Quiz ` + "```" + ` Master | <b>bold</b>",
  "description":"` + "`````" + ` then </details><script>alert(1)</script> & *stars* _under_ [link](x)"}}}}}`

func TestMarkdownFence(t *testing.T) {
	t.Parallel()
	r := mustCompare(t, []byte(trickyLocal), []byte(trickyLive))
	got := commentOf(Plan{Changes: r})
	open := strings.Index(got, "``````diff\n")
	if open < 0 {
		t.Fatalf("no six-backtick fence:\n%s", got)
	}
	body := got[open+len("``````diff\n"):]
	end := strings.Index(body, "\n``````\n")
	if end < 0 {
		t.Fatalf("fence not closed")
	}
	if !strings.Contains(body[:end], "</details><script>") {
		t.Errorf("the diff inside the fence must hold the content verbatim")
	}
	if strings.Contains(body[:end], "\n``````") {
		t.Errorf("content closes the fence early")
	}
}

func TestMarkdownOversizedDiff(t *testing.T) {
	t.Parallel()
	local, live := oversized(3000, 4)
	r := mustCompare(t, local, live)
	if n := utf8.RuneCountInString(r.Unified); n <= markdown.MaxCommentLength {
		t.Fatalf("test setup: unified diff is only %d characters", n)
	}
	got := commentOf(Plan{Marker: testMarker, Skill: "amzn1.ask.skill.demo", Stage: "development", Changes: r})
	golden.Check(t, filepath.Join("testdata", "comment_oversized.md"), []byte(got))
	checkLimit(t, got)
	for _, w := range []string{"**Diff truncated**", "lines (", "characters) left out", "`diff-file` output", "| publishing.fr-FR |", "</details>"} {
		if !strings.Contains(got, w) {
			t.Errorf("oversized comment lacks %q", w)
		}
	}
	// The kept part is a prefix of the diff, cut on a line boundary.
	start := strings.Index(got, "```diff\n") + len("```diff\n")
	end := strings.Index(got[start:], "```\n\n</details>")
	if start < len("```diff\n") || end < 0 {
		t.Fatalf("no diff block")
	}
	kept := got[start : start+end]
	if !strings.HasPrefix(r.Unified, kept) || !strings.HasSuffix(kept, "\n") {
		t.Errorf("the kept diff is not a line-aligned prefix of the full diff")
	}
	left := r.Unified[len(kept):]
	note := fmt.Sprintf("%s of %s lines (%s characters) left out",
		diff.Thousands(strings.Count(left, "\n")), diff.Thousands(strings.Count(r.Unified, "\n")), diff.Thousands(utf8.RuneCountInString(left)))
	if !strings.Contains(got, note) {
		t.Errorf("comment lacks the exact note %q", note)
	}
	// It is as full as it can be: one more line would not have fitted.
	if next := strings.IndexByte(left, '\n'); utf8.RuneCountInString(got)+utf8.RuneCountInString(left[:next+1]) <= markdown.MaxCommentLength-20 {
		t.Errorf("the diff was cut more than needed: %d characters", utf8.RuneCountInString(got))
	}
}

func TestMarkdownTooManyRows(t *testing.T) {
	t.Parallel()
	local, live := oversized(0, 1500)
	r := mustCompare(t, local, live)
	f := validate.Finding{File: "skill.json", Line: 1, Column: 1, Severity: validate.Error, Rule: "x.y", Message: "ü"}
	got := commentOf(Plan{Marker: testMarker, Changes: r, Failed: true, Findings: []validate.Finding{f, f}})
	checkLimit(t, got)
	for _, w := range []string{"**Diff left out**", "more changes left out", "**Validation failed** (2 errors, 0 warnings); 1,500 changes", "x.y: ü"} {
		if !strings.Contains(got, w) {
			t.Errorf("comment lacks %q", w)
		}
	}
	if strings.Contains(got, "<details>") {
		t.Errorf("an empty diff block was rendered")
	}
	rows := strings.Count(got, "\n| publishing.en-US |")
	if note := fmt.Sprintf("_…and %s more changes left out", diff.Thousands(1500-rows)); rows == 0 || !strings.Contains(got, note) {
		t.Errorf("%d rows shown, and no note %q", rows, note)
	}
}

func TestMarkdownHugeInputs(t *testing.T) {
	t.Parallel()
	var fs []validate.Finding
	for i := range 3000 {
		fs = append(fs, validate.Finding{File: "skill.json", Line: i + 1, Column: 1, Severity: validate.Warning, Rule: "r", Message: strings.Repeat("é", 40)})
	}
	got := commentOf(Plan{Marker: testMarker, Findings: fs})
	checkLimit(t, got)
	if !strings.Contains(got, "more; run `skillgate validate`") {
		t.Errorf("findings were cut without a note")
	}
	got = commentOf(Plan{Marker: testMarker, Note: strings.Repeat("🎲", markdown.MaxCommentLength)})
	checkLimit(t, got)
	if !strings.HasPrefix(got, marker) || !strings.HasSuffix(got, "_…comment cut to fit GitHub's limit._\n") {
		t.Errorf("an enormous note was not cut with a note")
	}
}

func checkLimit(t *testing.T, s string) {
	t.Helper()
	if n := utf8.RuneCountInString(s); n > markdown.MaxCommentLength {
		t.Errorf("comment is %d characters, over the %d limit", n, markdown.MaxCommentLength)
	}
	if !utf8.ValidString(s) {
		t.Errorf("comment is not valid UTF-8: a character was cut in two")
	}
}

// oversized returns a pair where the repository adds a fr-FR locale with n
// long keywords (one change, a long diff) and changes m en-US keywords (m
// changes). The text is mostly multi-byte, so a cut by bytes would show.
func oversized(n, m int) (local, live []byte) {
	var lk, rk, fr []string
	for i := range m {
		rk = append(rk, fmt.Sprintf("%q", fmt.Sprintf("mot clé %d", i)))
		lk = append(lk, fmt.Sprintf("%q", fmt.Sprintf("mot-clé %d", i)))
	}
	for i := range n {
		fr = append(fr, fmt.Sprintf("%q", fmt.Sprintf("énigme numéro %d — «jeu» de société 🎲", i)))
	}
	doc := func(keywords []string, withFR bool) []byte {
		var b bytes.Buffer
		fmt.Fprintf(&b, `{"manifest":{"publishingInformation":{"locales":{"en-US":{"name":"Quiz","keywords":[%s]}`, strings.Join(keywords, ","))
		if withFR {
			fmt.Fprintf(&b, `,"fr-FR":{"name":"Énigmes","keywords":[%s]}`, strings.Join(fr, ","))
		}
		b.WriteString(`}}}}`)
		return b.Bytes()
	}
	return doc(lk, n > 0), doc(rk, false)
}

func TestCell(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("ü", 200)
	got := cell(long)
	inner := strings.TrimSuffix(strings.TrimPrefix(got, "<code>"), "</code>")
	if n := utf8.RuneCountInString(inner); n != maxCell || !strings.HasSuffix(inner, "…") || !utf8.ValidString(inner) {
		t.Errorf("cell(200×ü) = %q (%d characters)", inner, n)
	}
	if got := cell(""); got != "—" {
		t.Errorf("cell(\"\") = %q", got)
	}
}

func TestFence(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":               "```",
		"no ticks":       "```",
		"a ``` b":        "````",
		"`` x ````` y `": "``````",
	} {
		if got := fence(in); got != want {
			t.Errorf("fence(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestThousands(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 65536: "65,536", 1234567: "1,234,567", -1500: "-1,500"} {
		if got := diff.Thousands(n); got != want {
			t.Errorf("diff.Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
