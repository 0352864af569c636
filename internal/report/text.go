package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/skillgate/skillgate/internal/validate"
)

const (
	// tabWidth is the tab stop used to expand tabs in source excerpts: the
	// caret line is made of spaces, so tabs must become spaces too or the
	// caret drifts by however wide the terminal draws a tab.
	tabWidth = 4
	// maxExcerptWidth caps an excerpt, in terminal cells; longer lines
	// (minified JSON is one line) show a window around the column.
	maxExcerptWidth = 100
	// excerptLead is how many characters of context a window keeps before
	// the column.
	excerptLead = 40
)

// textWriter prints each finding as a compiler does, with the source line and
// a caret under the column, then a count line.
type textWriter struct {
	out    errWriter
	source func(string) []byte
	counts counter
	// lines caches each file's lines, split once, since a file often
	// carries many findings.
	lines map[string][]string
}

var _ Writer = (*textWriter)(nil)

func newTextWriter(w io.Writer, opts Options) *textWriter {
	return &textWriter{out: errWriter{w: w}, source: opts.Source, lines: map[string][]string{}}
}

func (t *textWriter) Write(f validate.Finding) {
	t.counts.add(f)
	var b strings.Builder
	b.WriteString(sanitize(f.File))
	if f.Line > 0 {
		fmt.Fprintf(&b, ":%d", f.Line)
		if f.Column > 0 {
			fmt.Fprintf(&b, ":%d", f.Column)
		}
	}
	fmt.Fprintf(&b, ": %s %s: %s\n", f.Severity, sanitize(f.Rule), strings.ReplaceAll(sanitize(newlines.Replace(f.Message)), "\n", "\n    "))
	if line, ok := t.sourceLine(f.File, f.Line); ok {
		text, caret := excerpt(line, f.Column)
		gutter := strconv.Itoa(f.Line)
		fmt.Fprintf(&b, " %s | %s\n", gutter, text)
		if caret >= 0 {
			fmt.Fprintf(&b, " %s | %s^\n", strings.Repeat(" ", len(gutter)), strings.Repeat(" ", caret))
		}
		b.WriteString("\n")
	}
	t.out.WriteString(b.String())
}

func (t *textWriter) Flush() error {
	t.out.WriteString(t.counts.String() + "\n")
	return t.out.err
}

// sourceLine returns line n (1-based) of file, without its line ending.
func (t *textWriter) sourceLine(file string, n int) (string, bool) {
	if t.source == nil || n < 1 {
		return "", false
	}
	lines, ok := t.lines[file]
	if !ok {
		src := t.source(file)
		// A BOM is not part of the first line as an editor shows it, and the
		// validator counts columns after it.
		src = bytes.TrimPrefix(src, []byte("\ufeff"))
		if len(src) > 0 {
			lines = strings.Split(string(src), "\n")
		}
		t.lines[file] = lines
	}
	if n > len(lines) {
		return "", false
	}
	return strings.TrimRight(lines[n-1], " \t\r"), true
}

// excerpt renders line for a terminal and returns it with the caret's offset
// in cells (-1 for no caret). column is 1-based in code points; a column
// past the end of the line puts the caret just after it.
func excerpt(line string, column int) (string, int) {
	runes := []rune(line)
	col := column - 1
	if col > len(runes) {
		col = len(runes)
	}
	start, end := 0, len(runes)
	if lineWidth(runes) > maxExcerptWidth {
		if col > excerptLead {
			start = col - excerptLead
		}
		end = start
		// Widths change once tabs are re-expanded from the window's start,
		// so measure the window as it will be drawn.
		for w := 0; end < len(runes); end++ {
			w = advance(w, runes[end])
			if w > maxExcerptWidth-2 {
				break
			}
		}
		// Wide characters or tabs before the column can fill the window;
		// the column itself must still show.
		if end <= col && col < len(runes) {
			end = col + 1
		}
	}
	var b strings.Builder
	cells, caret := 0, -1
	if start > 0 {
		b.WriteString("…")
		cells++
	}
	for i := start; i < end; i++ {
		if i == col {
			caret = cells
		}
		r := runes[i]
		next := advance(cells, r)
		switch {
		case r == '\t':
			b.WriteString(strings.Repeat(" ", next-cells))
		case isControl(r):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
		cells = next
	}
	if end < len(runes) {
		b.WriteString("…")
	}
	if col == end && caret < 0 && column > 0 {
		caret = cells
	}
	return b.String(), caret
}

func lineWidth(runes []rune) int {
	w := 0
	for _, r := range runes {
		w = advance(w, r)
	}
	return w
}

// advance returns the cell after drawing r at cell w.
func advance(w int, r rune) int {
	switch {
	case r == '\t':
		return (w/tabWidth + 1) * tabWidth
	case isControl(r):
		return w + 1 // drawn as U+FFFD
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return w
	case isWide(r):
		return w + 2
	}
	return w + 1
}

func isControl(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r < 0xa0)
}

// isWide reports whether a terminal draws r in two cells: the East Asian
// Wide and Fullwidth blocks and the common emoji planes. Close enough to
// keep the caret under the right character without a Unicode width table.
func isWide(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case r <= 0x115f, // Hangul Jamo initials
		r >= 0x2e80 && r <= 0xa4cf && r != 0x303f, // CJK … Yi
		r >= 0xac00 && r <= 0xd7a3,                // Hangul syllables
		r >= 0xf900 && r <= 0xfaff,                // CJK compatibility ideographs
		r >= 0xfe30 && r <= 0xfe4f,                // CJK compatibility forms
		r >= 0xff00 && r <= 0xff60,                // fullwidth forms
		r >= 0xffe0 && r <= 0xffe6,
		r >= 0x1f300 && r <= 0x1f64f, // pictographs, emoticons
		r >= 0x1f900 && r <= 0x1f9ff, // supplemental pictographs
		r >= 0x20000 && r <= 0x3fffd: // CJK extensions
		return true
	}
	return false
}

// newlines turns every line ending into \n, so continuation lines of a
// message are indented whatever ending they came with.
var newlines = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// sanitize keeps terminal control sequences out of the output: a file name or
// a quoted value could otherwise carry an escape sequence. Newlines stay;
// the caller indents them.
func sanitize(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return r != '\n' && isControl(r) }) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case r == '\t':
			b.WriteString("    ")
		case isControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
