package diff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Summary returns the one-line verdict shared by every format: "no changes"
// or "N changes in publishing.en-US, apis".
func (r *Result) Summary() string {
	n := r.Count()
	if n == 0 {
		return "no changes"
	}
	return fmt.Sprintf("%s in %s", Plural(n, "change", "changes"), strings.Join(r.Sections(), ", "))
}

// Text writes the result for a terminal: the verdict, the changes grouped by
// section (+ added, - removed, ~ changed, = kept or asset), each changed
// interaction model with its intents, samples and slot values, then the
// unified diffs.
func (r *Result) Text(w io.Writer) error {
	var b strings.Builder
	b.WriteString(r.Summary())
	b.WriteByte('\n')
	section := ""
	for _, c := range r.Changes {
		if c.Section != section {
			section = c.Section
			fmt.Fprintf(&b, "\n%s\n", section)
		}
		switch c.Kind {
		case KindAdded:
			fmt.Fprintf(&b, "  + %s: %s\n", c.Pointer, c.After)
		case KindRemoved:
			fmt.Fprintf(&b, "  - %s: %s\n", c.Pointer, c.Before)
		case KindChanged:
			fmt.Fprintf(&b, "  ~ %s: %s -> %s\n", c.Pointer, c.Before, c.After)
		default:
			fmt.Fprintf(&b, "  = %s: %s", c.Pointer, c.Kind.Describe())
			if len(c.Before) > 0 {
				fmt.Fprintf(&b, " (live: %s)", c.Before)
			}
			b.WriteByte('\n')
		}
	}
	for _, m := range r.ChangedModels() {
		fmt.Fprintf(&b, "\n%s: %s\n", m.Section(), m.Summary())
		for _, it := range m.Items() {
			b.WriteString("  " + it.Text() + "\n")
		}
	}
	if full := r.FullDiff(); full != "" {
		b.WriteByte('\n')
		b.WriteString(full)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// JSONResult is the machine-readable form of a Result; a caller that adds
// fields of its own (the plan's package files) embeds it.
type JSONResult struct {
	Changed  bool     `json:"changed"`
	Count    int      `json:"count"`
	Sections []string `json:"sections"`
	Changes  []Change `json:"changes"`
	Diff     string   `json:"diff"`
	// Models is left out for a package without models, so its output
	// stays what it was before models were compared.
	Models []*ModelResult `json:"models,omitempty"`
}

// JSON writes the result as one indented JSON object: changed, count,
// sections, changes (each with pointer, section, kind, before, after), the
// manifest's unified diff and, when models were compared, models (each
// with locale, changed, count, summary, the lists and its own diff).
func (r *Result) JSON(w io.Writer) error {
	return EncodeJSON(w, r.JSONValue())
}

// JSONValue is the object JSON writes.
func (r *Result) JSONValue() JSONResult {
	out := JSONResult{
		Changed:  r.Changed(),
		Count:    r.Count(),
		Sections: r.Sections(),
		Changes:  r.Changes,
		Diff:     r.Unified,
		Models:   r.Models,
	}
	if out.Sections == nil {
		out.Sections = []string{}
	}
	if out.Changes == nil {
		out.Changes = []Change{}
	}
	return out
}

// EncodeJSON writes v as the diff's JSON is written: indented by two
// spaces, with <, > and & left as they are.
func EncodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// Plural counts n things as the text and Markdown renderers print them:
// "1 change", "1,024 changes".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return Thousands(n) + " " + many
}

// Thousands formats n with comma separators (65,536), as the renderers'
// prose does.
func Thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + Thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Text is the item as one terminal line: "+ sample GetFactIntent: tell me
// a fact", "~ invocation name: "old" -> "new"".
func (it ModelItem) Text() string {
	sign := map[Kind]string{KindAdded: "+", KindRemoved: "-"}[it.Kind]
	if sign == "" {
		sign = "~"
	}
	switch it.What {
	case "invocation name":
		return fmt.Sprintf("%s invocation name: %q -> %q", sign, it.Before, it.Value)
	case "other":
		return sign + " " + it.Value
	case "intent":
		return sign + " intent " + it.Value
	}
	return fmt.Sprintf("%s %s %s: %q", sign, it.What, it.Where, it.Value)
}
