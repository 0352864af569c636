package plan

import (
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"text/template"
	"unicode/utf8"

	"github.com/skillgate/skillgate/internal/diff"
	"github.com/skillgate/skillgate/internal/markdown"
	"github.com/skillgate/skillgate/internal/skillpkg"
	"github.com/skillgate/skillgate/internal/truncate"
	"github.com/skillgate/skillgate/internal/validate"
)

// maxCell is the longest value, in characters, shown in a table cell before
// it is shortened with an ellipsis.
const maxCell = 80

// maxFileRows caps the package files table: a package may hold up to a
// thousand files, far more than a comment can show.
const maxFileRows = 100

// maxModelItems caps the rows of one locale's model table: a new locale
// lists every intent and sample, which the unified diff shows anyway.
const maxModelItems = 50

//go:embed templates/*.tmpl
var templateFS embed.FS

// commentTemplate is parsed once, on first use rather than at the start of
// every skillgate process; it is read-only afterwards.
var commentTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("").Funcs(template.FuncMap{
		"md":   markdown.Escape,
		"code": codeSpan,
		"cell": cell,
		"num":  diff.Thousands,
		"item": itemValue,
	}).ParseFS(templateFS, "templates/*.tmpl"))
})

type commentView struct {
	Marker, Skill, Stage string
	Verdict              string // escaped Markdown
	Note                 string // escaped Markdown
	Findings             []findingView
	FindingsOmitted      int
	Rows                 []diff.Change
	RowsOmitted          int
	Notes                []diff.Change
	Models               []modelView
	Files                []fileView
	FilesOmitted         int
	ImportReason         string // escaped Markdown
	Diff                 string // whole lines, each ending in a newline
	DiffLines            int
	Fence                string
	Truncated            *truncation
	MaxLen               string
}

type modelView struct {
	Locale       string
	Summary      string // escaped Markdown
	Items        []diff.ModelItem
	ItemsOmitted int
}

// fileView is one row of the package files table.
type fileView struct {
	Path, Kind, Size, SHA256 string
}

func filesView(files []skillpkg.Change) []fileView {
	out := make([]fileView, 0, len(files))
	for _, f := range files {
		v := fileView{Path: f.Path, Kind: f.Kind, Size: diff.Thousands(f.Size) + " bytes", SHA256: f.SHA256[:12]}
		if f.Kind == skillpkg.Changed {
			v.Size = diff.Thousands(f.OldSize) + " → " + v.Size
			v.SHA256 = f.OldSHA256[:12] + " → " + v.SHA256
		}
		if len(f.Fields) > 0 {
			ptrs := make([]string, 0, len(f.Fields))
			for _, ptr := range f.Fields {
				ptrs = append(ptrs, codeSpan(ptr))
			}
			v.Kind += " at " + strings.Join(ptrs, ", ")
			if f.MoreFields > 0 {
				v.Kind += fmt.Sprintf(" and %d more", f.MoreFields)
			}
		}
		out = append(out, v)
	}
	return out
}

type findingView struct {
	Severity, Location, Rule, Message string
}

type truncation struct {
	Lines, TotalLines, Chars string
}

// Markdown renders the plan as the body of the sticky comment (and the step
// summary): the marker, a title, a one-line verdict, the findings, a table
// of changed fields, the values kept from live, a section per changed
// interaction model, and the unified diff (manifest, then each changed
// model) in a collapsed block.
//
// When the body would exceed markdown.MaxCommentLength characters, the
// diff is cut on a line boundary with a note saying how much was left out
// (the caller writes the full diff to the diff-file output); if that is not
// enough the diff is dropped, then table rows (the manifest's, then the
// models'), then findings, each with a note.
func (p *Plan) Markdown() string {
	v, lines := p.view()
	if out := render(withDiff(v, lines, len(lines))); fits(out) {
		return out
	}
	// Keep as much of the diff as fits; the rest is in the diff-file output.
	if out, ok := largestFitting(len(lines), func(k int) string { return render(withDiff(v, lines, k)) }); ok {
		return out
	}
	v = withDiff(v, lines, 0)
	items := len(v.Rows)
	for _, m := range v.Models {
		items += len(m.Items)
	}
	if out, ok := largestFitting(items, func(k int) string { return render(withRows(v, k)) }); ok {
		return out
	}
	v = withRows(v, 0)
	v.Notes = nil
	findings := v.Findings
	if out, ok := largestFitting(len(findings), func(k int) string {
		w := v
		w.Findings, w.FindingsOmitted = findings[:k], len(findings)-k
		return render(w)
	}); ok {
		return out
	}
	// Only an enormous title, note or marker gets here: cut the text itself.
	v.Findings, v.FindingsOmitted = nil, len(findings)
	const cut = "\n\n_…comment cut to fit GitHub's limit._\n"
	return truncate.Runes(render(v), markdown.MaxCommentLength-utf8.RuneCountInString(cut)) + cut
}

// view is the whole comment, before anything is cut to fit, and the lines
// of the unified diff it shows.
func (p *Plan) view() (commentView, []string) {
	v := commentView{
		Marker:  p.Marker.String(),
		Skill:   p.Skill,
		Stage:   p.Stage,
		Note:    markdown.Escape(p.Note),
		MaxLen:  diff.Thousands(markdown.MaxCommentLength),
		Verdict: verdict(p),
	}
	for _, f := range p.Findings {
		v.Findings = append(v.Findings, findingView{
			Severity: f.Severity.String(),
			Location: fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column),
			Rule:     f.Rule,
			Message:  f.Message,
		})
	}
	if len(p.Files) > 0 {
		v.Files, v.ImportReason = filesView(p.Files), markdown.Escape(p.ImportReason)
		if len(v.Files) > maxFileRows {
			v.Files, v.FilesOmitted = v.Files[:maxFileRows], len(v.Files)-maxFileRows
		}
	}
	if p.Changes == nil {
		return v, nil
	}
	for _, ch := range p.Changes.Changes {
		if ch.Kind.Counts() {
			v.Rows = append(v.Rows, ch)
		} else {
			v.Notes = append(v.Notes, ch)
		}
	}
	for _, m := range p.Changes.ChangedModels() {
		mv := modelView{Locale: m.Locale, Summary: markdown.Escape(m.Summary()), Items: m.Items()}
		if len(mv.Items) > maxModelItems {
			mv.Items, mv.ItemsOmitted = mv.Items[:maxModelItems], len(mv.Items)-maxModelItems
		}
		v.Models = append(v.Models, mv)
	}
	return v, slices.Collect(strings.Lines(p.Changes.FullDiff()))
}

// withDiff is v showing the first k of the diff's lines, with a note on
// what was left out.
func withDiff(v commentView, lines []string, k int) commentView {
	v.Diff = strings.Join(lines[:k], "")
	v.DiffLines = len(lines)
	v.Fence = fence(v.Diff)
	v.Truncated = nil
	if k < len(lines) {
		left := strings.Join(lines[k:], "")
		v.Truncated = &truncation{
			Lines:      diff.Thousands(len(lines) - k),
			TotalLines: diff.Thousands(len(lines)),
			Chars:      diff.Thousands(utf8.RuneCountInString(left)),
		}
	}
	return v
}

// withRows is v keeping the first k table rows: the manifest's table, then
// each model's in locale order.
func withRows(v commentView, k int) commentView {
	n := min(k, len(v.Rows))
	v.Rows, v.RowsOmitted = v.Rows[:n], v.RowsOmitted+len(v.Rows)-n
	k -= n
	models := make([]modelView, len(v.Models))
	for i, m := range v.Models {
		n := min(k, len(m.Items))
		m.Items, m.ItemsOmitted = m.Items[:n], m.ItemsOmitted+len(m.Items)-n
		k -= n
		models[i] = m
	}
	v.Models = models
	return v
}

// largestFitting finds the largest k in [0, n] whose rendering fits, by
// binary search (the rendering grows with k). ok is false when not even k=0
// fits.
func largestFitting(n int, renderK func(int) string) (string, bool) {
	best := renderK(0)
	if !fits(best) {
		return "", false
	}
	lo, hi := 0, n // lo fits
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if out := renderK(mid); fits(out) {
			lo, best = mid, out
		} else {
			hi = mid - 1
		}
	}
	return best, true
}

func fits(s string) bool { return utf8.RuneCountInString(s) <= markdown.MaxCommentLength }

func render(v commentView) string {
	var b strings.Builder
	if err := commentTemplate().ExecuteTemplate(&b, "comment", v); err != nil {
		// The templates are embedded and exercised by the golden tests; an
		// error here is a bug in this package, reported in the comment
		// rather than hidden.
		return fmt.Sprintf("%s\nskillgate could not render this comment: %v\n", v.Marker, err)
	}
	return b.String()
}

func verdict(c *Plan) string {
	var count, sections string // "3 changes", "publishing.en-US, apis"
	live := "the live manifest"
	if r := c.Changes; r != nil {
		if len(r.Models) > 0 {
			live = "the live manifest and interaction models"
		}
		count = diff.Plural(r.Count(), "change", "changes")
		secs := make([]string, 0, len(r.Sections()))
		for _, s := range r.Sections() {
			secs = append(secs, markdown.Escape(s))
		}
		sections = strings.Join(secs, ", ")
	}
	var errs, warns int
	for _, f := range c.Findings {
		switch f.Severity {
		case validate.Error:
			errs++
		case validate.Warning:
			warns++
		}
	}
	counts := fmt.Sprintf("%s, %s", diff.Plural(errs, "error", "errors"), diff.Plural(warns, "warning", "warnings"))
	switch {
	case c.Failed && c.Changes != nil && !c.Changes.Changed():
		return fmt.Sprintf("**Validation failed** (%s); no changes to %s.", counts, live)
	case c.Failed && c.Changes != nil:
		return fmt.Sprintf("**Validation failed** (%s); %s in %s.", counts, count, sections)
	case c.Failed:
		return fmt.Sprintf("**Validation failed** (%s).", counts)
	case c.Changes == nil:
		return fmt.Sprintf("**Validation passed** (%s).", counts)
	case !c.Changes.Changed() && len(c.Files) == 0:
		return "**No changes**: the package matches " + live + "."
	case !c.Changes.Changed():
		return fmt.Sprintf("**%s changed** in the package; the manifest and models match %s.", diff.Plural(len(c.Files), "file", "files"), live)
	case len(c.Files) > 0:
		return fmt.Sprintf("**%s** in %s, and %s changed in the package.", count, sections, diff.Plural(len(c.Files), "file", "files"))
	}
	return fmt.Sprintf("**%s** in %s.", count, sections)
}

// codeSpan shows s in a monospace font. It uses <code> rather than
// backticks because a value may hold backticks itself.
func codeSpan(s string) string {
	return "<code>" + markdown.Escape(s) + "</code>"
}

// cell shows a JSON value in a table cell, shortened to maxCell characters.
func cell(v any) string {
	var s string
	switch v := v.(type) {
	case string:
		s = v
	case json.RawMessage:
		s = string(v)
	default:
		s = fmt.Sprint(v)
	}
	if s == "" {
		return "—"
	}
	return codeSpan(truncate.Ellipsis(s, maxCell))
}

// fence returns a backtick fence longer than any run of backticks in s, so
// nothing in the diff can close it early.
func fence(s string) string {
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

// itemValue shows a model change's value in a table cell: the old and new
// invocation names, a part's name as text, anything else as code.
func itemValue(it diff.ModelItem) string {
	switch it.What {
	case "invocation name":
		before := "—"
		if it.Before != "" {
			before = cell(it.Before)
		}
		return before + " → " + cell(it.Value)
	case "other":
		return markdown.Escape(it.Value)
	}
	return cell(it.Value)
}
