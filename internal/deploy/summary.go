package deploy

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"text/template"
	"time"

	"github.com/skillgate/skillgate/internal/diff"
	"github.com/skillgate/skillgate/internal/markdown"
	"github.com/skillgate/skillgate/internal/skillpkg"
	"github.com/skillgate/skillgate/internal/smapi"
	"github.com/skillgate/skillgate/internal/truncate"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

// maxCell caps a value shown in a summary table cell, in characters; the
// full diff is in the PR comment and the diff-file output.
const maxCell = 80

// maxCommentLine caps the line added to the plan comment; the step summary
// has the details.
const maxCommentLine = 500

var funcs = template.FuncMap{
	"icon":     icon,
	"headline": headline,
	"code":     code,
	"text":     text,
	"value":    value,
	"duration": duration,
	"steps":    steps,
}

// Templates parse once, on first use rather than at start-up, which every
// skillgate process (a `skillgate validate` too) would pay; a parse error is
// a bug caught by every test.
var (
	markdownTmpl = sync.OnceValue(func() *template.Template {
		return template.Must(template.New("md").Funcs(funcs).ParseFS(templateFS, "templates/summary.md.tmpl"))
	})
	textTmpl = sync.OnceValue(func() *template.Template {
		return template.Must(template.New("txt").Funcs(funcs).ParseFS(templateFS, "templates/summary.txt.tmpl"))
	})
)

// WriteMarkdown writes the deployment summary as GitHub-flavoured Markdown,
// for $GITHUB_STEP_SUMMARY: skill, stage, the change table, ETag before and
// after, the steps with their times, the submission result and the pull
// request the deploy came from.
func (o *Outcome) WriteMarkdown(w io.Writer) error {
	return markdownTmpl().ExecuteTemplate(w, "summary", o)
}

// WriteText writes the summary for a terminal.
func (o *Outcome) WriteText(w io.Writer) error {
	return textTmpl().ExecuteTemplate(w, "summary", o)
}

// Markdown returns WriteMarkdown's output as a string.
func (o *Outcome) Markdown() (string, error) {
	var b bytes.Buffer
	err := o.WriteMarkdown(&b)
	return b.String(), err
}

// CommentLine is the one line the merged pull request's sticky comment
// gains after the deploy: the result, the commit and the ETags.
func (o *Outcome) CommentLine(sha string) string {
	commit := "`" + shortSHA(sha) + "`"
	if sha == "" {
		commit = "this merge"
	}
	var b strings.Builder
	switch {
	case o.Status == StatusSucceeded:
		fmt.Fprintf(&b, "%s **Deployed** %s to `%s`: %s, ETag %s → %s", icon(o.Status, ""), commit, o.Stage, plural(o.changeCount(), "change"), code(o.ETagBefore), code(o.ETagAfter))
		if locs := o.writtenModels(); len(locs) > 0 {
			fmt.Fprintf(&b, "; interaction models %s", strings.Join(locs, ", "))
		}
		if o.DriftWarning != "" {
			b.WriteString(", over a drift from the plan (drift: warn)")
		}
		switch {
		case o.Publication != nil:
			fmt.Fprintf(&b, "; publication %s", o.Publication.Status)
		case o.Certification != "":
			fmt.Fprintf(&b, "; certification %s", o.Certification)
		}
		if len(o.Errors) > 0 {
			fmt.Fprintf(&b, " (%s)", o.Errors[len(o.Errors)-1])
		}
	case o.Status == StatusNoChanges:
		what := "manifest already matches"
		if len(o.Models) > 0 {
			what = "manifest and interaction models already match"
		}
		fmt.Fprintf(&b, "%s **No changes** to deploy for %s: the live `%s` %s (ETag %s)", icon(o.Status, ""), commit, o.Stage, what, code(o.ETagBefore))
	case o.Refused != "":
		fmt.Fprintf(&b, "%s **Deploy refused** for %s: %s", icon(o.Status, o.Refused), commit, strings.TrimPrefix(firstOr(o.Errors, "see the workflow run"), "deploy refused: "))
	default:
		fmt.Fprintf(&b, "%s **Deploy %s** for %s: %s", icon(o.Status, ""), o.Status, commit, firstOr(o.Errors, "see the workflow run"))
	}
	line := strings.Join(strings.Fields(b.String()), " ")
	return truncate.Ellipsis(line, maxCommentLine)
}

// MarshalJSON writes the outcome for --json and the Action's machine
// readers: the change list without the canonical documents, durations in
// milliseconds.
func (o *Outcome) MarshalJSON() ([]byte, error) {
	type step struct {
		Name   string `json:"name"`
		Status string `json:"status"`
		MS     int64  `json:"ms"`
	}
	type plan struct {
		PR         int    `json:"pr,omitempty"`
		PRURL      string `json:"prUrl,omitempty"`
		CommentURL string `json:"commentUrl,omitempty"`
		ETag       string `json:"etag,omitempty"`
		SHA256     string `json:"sha256,omitempty"`
	}
	v := struct {
		SkillID       string         `json:"skillId"`
		Stage         string         `json:"stage"`
		Status        string         `json:"status"`
		Changed       bool           `json:"changed"`
		ETagBefore    string         `json:"etagBefore,omitempty"`
		ETagAfter     string         `json:"etagAfter,omitempty"`
		SHA256Before  string         `json:"sha256Before,omitempty"`
		Changes       []diff.Change  `json:"changes"`
		Models        []ModelOutcome `json:"models,omitempty"`
		LeftAlone     []string       `json:"leftAlone,omitempty"`
		Steps         []step         `json:"steps"`
		Submit        string         `json:"submit"`
		Certification string         `json:"certification,omitempty"`
		Publication   *Publication   `json:"publication,omitempty"`
		Plan          *plan          `json:"plan,omitempty"`
		PlanNote      string         `json:"planNote,omitempty"`
		DriftWarning  string         `json:"driftWarning,omitempty"`
		Refused       string         `json:"refused,omitempty"`
		// A package deploy says so (the per-resource path, the default,
		// adds nothing, so its outcome reads as before).
		Path       string                `json:"path,omitempty"`
		PathReason string                `json:"pathReason,omitempty"`
		Files      []skillpkg.Change     `json:"files,omitempty"`
		Resources  []smapi.ResourceState `json:"resources,omitempty"`
		Errors     []string              `json:"errors"`
		ElapsedMS  int64                 `json:"elapsedMs"`
	}{
		SkillID: o.SkillID, Stage: o.Stage, Status: o.Status, Changed: o.Changed(),
		ETagBefore: o.ETagBefore, ETagAfter: o.ETagAfter, SHA256Before: o.SHA256Before,
		Changes: []diff.Change{}, Models: o.Models, LeftAlone: o.LeftAlone, Steps: []step{}, Submit: o.Submit,
		Certification: o.Certification, Publication: o.Publication,
		PlanNote: o.PlanNote, DriftWarning: o.DriftWarning, Refused: o.Refused,
		Errors: append([]string{}, o.Errors...), ElapsedMS: o.Elapsed.Milliseconds(),
	}
	if o.Changes != nil {
		v.Changes = append(v.Changes, o.Changes.Changes...)
	}
	if o.Path == PathPackage {
		v.Path, v.PathReason, v.Files, v.Resources = o.Path, o.PathReason, o.Files, o.Resources
	}
	for _, s := range o.Steps {
		v.Steps = append(v.Steps, step{s.Name, s.Status, s.Duration.Milliseconds()})
	}
	if p := o.Plan; p != nil {
		v.Plan = &plan{PR: p.PR, PRURL: p.PRURL, CommentURL: p.CommentURL, ETag: p.Marker.ETag, SHA256: p.Marker.SHA256}
	}
	return json.Marshal(v)
}

// writtenModels lists the locales whose model the deploy wrote.
func (o *Outcome) writtenModels() []string {
	var out []string
	for _, m := range o.Models {
		if m.Written {
			out = append(out, m.Locale)
		}
	}
	return out
}

// steps lists a model build's steps with their status on one line.
func steps(list []BuildStep) string {
	parts := make([]string, 0, len(list))
	for _, s := range list {
		parts = append(parts, s.Name+" "+s.Status)
	}
	return strings.Join(parts, ", ")
}

func (o *Outcome) changeCount() int {
	n := len(o.Files) // a package deploy's other files
	if o.Changes != nil {
		n += o.Changes.Count()
	}
	return n
}

func icon(status, refused string) string {
	switch {
	case refused != "":
		return "⛔"
	case status == StatusSucceeded:
		return "✅"
	case status == StatusNoChanges, status == StatusSkipped:
		return "➖"
	}
	return "❌"
}

func headline(o *Outcome) string {
	switch {
	case o.Status == StatusSucceeded:
		return "deployed " + plural(o.changeCount(), "change")
	case o.Status == StatusNoChanges:
		return "no changes"
	case o.Status == StatusSkipped:
		return "skipped"
	case o.Refused == "drift":
		return "refused, the live skill drifted from the plan"
	case o.Refused == "no-etag":
		return "refused, SMAPI gave no ETag to write with"
	case o.Refused != "":
		return "refused, the live skill changed during the deploy"
	}
	return "failed"
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// code renders s as inline code, or a dash when empty. Backticks inside
// would end a plain span, so their delimiter is then a longer run.
func code(s string) string {
	if s == "" {
		return "–"
	}
	// A code span's delimiter must be a backtick run longer than any in
	// the content (CommonMark), with spaces so edge backticks stay content.
	if longest := longestRun(s, '`'); longest > 0 {
		d := strings.Repeat("`", longest+1)
		return d + " " + s + " " + d
	}
	return "`" + s + "`"
}

// longestRun is the length of the longest run of c in s.
func longestRun(s string, c byte) int {
	longest, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			longest = max(longest, n)
		} else {
			n = 0
		}
	}
	return longest
}

// text makes s safe as Markdown text on one line, inside a table cell or
// not: whitespace folded, then escaped as every skillgate Markdown is.
func text(s string) string {
	return markdown.Escape(strings.Join(strings.Fields(s), " "))
}

// value renders a JSON value of a change as inline code in a table cell,
// cut to maxCell characters. Inside a code span HTML entities are not
// decoded, so only the pipe (which GitHub's tables split on even there) is
// escaped.
func value(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	return code(strings.ReplaceAll(truncate.Ellipsis(strings.Join(strings.Fields(string(raw)), " "), maxCell), "|", `\|`))
}

func duration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

func shortSHA(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}

func firstOr(list []string, def string) string {
	if len(list) == 0 {
		return def
	}
	return list[0]
}
