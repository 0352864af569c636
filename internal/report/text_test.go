package report

import (
	"strings"
	"testing"
)

func TestExcerpt(t *testing.T) {
	tests := []struct {
		name      string
		line      string
		column    int
		wantText  string
		wantCaret int
	}{
		{"first column", "abc", 1, "abc", 0},
		{"just past the end", "abc", 4, "abc", 3},
		{"far past the end", "abc", 10, "abc", 3},
		{"no column", "abc", 0, "abc", -1},
		{"empty line", "", 1, "", 0},
		{"leading tab", "\tx", 2, "    x", 4},
		{"tab to the next stop", "ab\tx", 4, "ab  x", 4},
		{"two-byte then wide", "é漢x", 3, "é漢x", 3},
		{"outside the BMP", "😀x", 2, "😀x", 2},
		{"combining mark has no width", "e\u0301x", 3, "e\u0301x", 1},
		{"control character", "a\x1bb", 3, "a\ufffdb", 2},
		{"mixed", "\t\"name\": \"Café 漢字 😀 e\u0301\", \"x\": 1,", 26, "    \"name\": \"Café 漢字 😀 e\u0301\", \"x\": 1,", 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, caret := excerpt(tt.line, tt.column)
			if text != tt.wantText || caret != tt.wantCaret {
				t.Errorf("excerpt(%q, %d) = %q, %d; want %q, %d", tt.line, tt.column, text, caret, tt.wantText, tt.wantCaret)
			}
		})
	}
}

// cellRune returns the rune drawn at cell in text, as excerpt lays it out.
func cellRune(text string, cell int) (rune, bool) {
	w := 0
	for _, r := range text {
		next := advance(w, r)
		if w == cell && next > w {
			return r, true
		}
		w = next
	}
	return 0, false
}

// Long lines show a window that keeps the column in view, with the caret on
// the very character the column names.
func TestExcerptWindow(t *testing.T) {
	ascii := strings.Repeat("abcdefghij", 50) // 500 characters
	wide := strings.Repeat("漢", 100) + "x" + strings.Repeat("字", 100)
	tabs := strings.Repeat("\t", 60) + "x" + strings.Repeat("y", 200)
	tests := []struct {
		name   string
		line   string
		column int
		want   rune
		lead   bool // window starts after the line's start
		trail  bool // window ends before the line's end
	}{
		{"start", ascii, 3, 'c', false, true},
		{"middle", ascii, 255, 'e', true, true},
		{"end", ascii, 500, 'j', true, false},
		{"past the end", ascii, 600, 0, true, false},
		{"wide characters", wide, 101, 'x', true, true},
		{"tabs fill the window", tabs, 61, 'x', true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, caret := excerpt(tt.line, tt.column)
			if got := strings.HasPrefix(text, "…"); got != tt.lead {
				t.Errorf("leading ellipsis = %v, want %v in %q", got, tt.lead, text)
			}
			if got := strings.HasSuffix(text, "…"); got != tt.trail {
				t.Errorf("trailing ellipsis = %v, want %v in %q", got, tt.trail, text)
			}
			if tt.want == 0 {
				if caret != lineWidth([]rune(text)) {
					t.Errorf("caret at %d, want just past the end (%d)", caret, lineWidth([]rune(text)))
				}
				return
			}
			if r, ok := cellRune(text, caret); !ok || r != tt.want {
				t.Errorf("caret at cell %d is on %q, want %q; text %q", caret, r, tt.want, text)
			}
			if tt.name != "tabs fill the window" && lineWidth([]rune(text)) > maxExcerptWidth+2 {
				t.Errorf("window is %d cells wide, want at most about %d", lineWidth([]rune(text)), maxExcerptWidth)
			}
		})
	}
}

func TestIsWide(t *testing.T) {
	for _, r := range "漢字한글ｆ😀🤖" {
		if !isWide(r) {
			t.Errorf("isWide(%q) = false", r)
		}
	}
	for _, r := range "aé€Ж〿" {
		if isWide(r) {
			t.Errorf("isWide(%q) = true", r)
		}
	}
}

func TestSanitize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"a\nb", "a\nb"},
		{"\x1b[31mred", `\x1b[31mred`},
		{"tab\there", "tab    here"},
		{"c1\u009bx", `c1\x9bx`},
	}
	for _, tt := range tests {
		if got := sanitize(tt.in); got != tt.want {
			t.Errorf("sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzExcerpt: any line and column renders without panicking, the caret
// stays within the drawn text (or just past it), and no control character
// reaches the terminal.
func FuzzExcerpt(f *testing.F) {
	f.Add("\t\"name\": \"Café 漢字 😀\"", 12)
	f.Add(strings.Repeat("漢\t", 200), 150)
	f.Add("a\x1b[31mb", -3)
	f.Fuzz(func(t *testing.T, line string, column int) {
		text, caret := excerpt(line, column)
		if caret > lineWidth([]rune(text)) {
			t.Errorf("caret %d is past the text %q", caret, text)
		}
		if column <= 0 && caret != -1 {
			t.Errorf("caret %d for column %d", caret, column)
		}
		if strings.IndexFunc(text, isControl) >= 0 {
			t.Errorf("control character in %q", text)
		}
	})
}
