package markdown

import "testing"

// Whatever the input, the result holds no bare pipe, line break, HTML tag or
// control character, and Markdown punctuation stays literal.
func TestEscape(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"ünï🎲", "ünï🎲"},
		{"a|b", `a\|b`},
		{"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"R&D", "R&amp;D"},
		{"one\r\ntwo\rthree\nfour", "one<br>two<br>three<br>four"},
		{"*x* _y_ `z` [l](u) ~s~", "\\*x\\* \\_y\\_ \\`z\\` \\[l\\](u) \\~s\\~"},
		{"# heading", "\\# heading"},
		{"  #3 first", "  \\#3 first"},
		{"pull request #7", "pull request #7"},
		{"\n# not a heading", "<br># not a heading"},
		{`back\slash`, `back\\slash`},
		{"bell\a", "bell\ufffd"},
		{"esc\x1b[31m", "esc\ufffd\\[31m"},
		{"c1\u0085", "c1\ufffd"},
		{"tab\there", "tab\there"},
		{"bad\x9e|utf-8\xff\xfe", "bad\ufffd\\|utf-8\ufffd"},
	}
	for _, tt := range tests {
		if got := Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
