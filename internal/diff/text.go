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
	return fmt.Sprintf("%s in %s", plural(n, "change", "changes"), strings.Join(r.Sections(), ", "))
}

// Text writes the result for a terminal: the verdict, the changes grouped by
// section (+ added, - removed, ~ changed, = kept or asset), then the unified
// diff.
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
	if r.Unified != "" {
		b.WriteByte('\n')
		b.WriteString(r.Unified)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// jsonResult is the machine-readable form of a Result.
type jsonResult struct {
	Changed  bool     `json:"changed"`
	Count    int      `json:"count"`
	Sections []string `json:"sections"`
	Changes  []Change `json:"changes"`
	Diff     string   `json:"diff"`
}

// JSON writes the result as one indented JSON object: changed, count,
// sections, changes (each with pointer, section, kind, before, after) and
// the unified diff.
func (r *Result) JSON(w io.Writer) error {
	out := jsonResult{
		Changed:  r.Changed(),
		Count:    r.Count(),
		Sections: r.Sections(),
		Changes:  r.Changes,
		Diff:     r.Unified,
	}
	if out.Sections == nil {
		out.Sections = []string{}
	}
	if out.Changes == nil {
		out.Changes = []Change{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(n) + " " + many
}
