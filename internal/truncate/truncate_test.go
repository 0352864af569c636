package truncate

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestRunes(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{
		{"héllo", 2, "hé"},
		{"🎲🎲🎲", 1, "🎲"},
		{"abc", 3, "abc"},
		{"abc", 10, "abc"},
		{"abc", 0, ""},
		{"abc", -1, ""},
		{"", 5, ""},
	} {
		if got := Runes(tt.in, tt.n); got != tt.want {
			t.Errorf("Runes(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestEllipsis(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 5, "short"},
		{"longer", 5, "long…"},
		{"ünïcödé", 4, "ünï…"},
		{"🎲🎲🎲", 2, "🎲…"},
		{"ab", 1, "…"},
	} {
		if got := Ellipsis(tt.in, tt.n); got != tt.want {
			t.Errorf("Ellipsis(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
	long := strings.Repeat("ü", 200)
	got := Ellipsis(long, 80)
	if n := utf8.RuneCountInString(got); n != 80 || !utf8.ValidString(got) {
		t.Errorf("Ellipsis(200×ü, 80) has %d characters, valid UTF-8 %v", n, utf8.ValidString(got))
	}
}
