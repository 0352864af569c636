// Package markdown holds what every piece of GitHub-flavoured Markdown that
// skillgate writes has in common: escaping user text so it renders as
// itself, and GitHub's limit on the size of a comment body. The pull-request
// comment (internal/plan), the step summary of findings (internal/report),
// the deployment summary (internal/deploy), the fake GitHub
// (internal/githubtest) and the comment client (internal/prcomment) all take
// them from here, so they cannot disagree.
package markdown

import (
	"strings"
	"unicode/utf8"
)

// MaxCommentLength is GitHub's limit on an issue or pull-request comment
// body, in characters (Unicode code points, not bytes): the API refuses a
// longer body with 422 "body is too long (maximum is 65536 characters)".
const MaxCommentLength = 65536

// Escape makes s render as itself in GitHub-flavoured Markdown, in a
// paragraph, a list item or a table cell:
//
//   - HTML is written as entities (&amp; &lt; &gt;), so a value cannot inject
//     a tag;
//   - the characters that start emphasis, code spans, links or
//     strikethrough, the table separator | and the backslash itself are
//     backslash-escaped, and so is a leading # (the only place where it
//     can open a heading: the result is always one line);
//   - every line ending (\r\n, \r or \n) becomes <br>, because a raw newline
//     would end a table row or a list item, while <br> keeps the break
//     visible;
//   - other control characters become U+FFFD; a tab stays;
//   - bytes that are not UTF-8 become U+FFFD, so that the result is always
//     valid UTF-8 (GitHub rejects a comment that is not).
//
// One rule serves every place (the plan comment, the step summary of
// findings, the deployment summary): a newline as <br> renders the same
// wherever Markdown allows inline HTML, which is everywhere GitHub shows
// skillgate's output.
func Escape(s string) string {
	s = escaper.Replace(strings.ToValidUTF8(s, "\ufffd"))
	if t := strings.TrimLeft(s, " \t"); strings.HasPrefix(t, "#") {
		s = s[:len(s)-len(t)] + `\` + t
	}
	if strings.IndexFunc(s, isControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return utf8.RuneError
		}
		return r
	}, s)
}

// isControl reports the C0 and C1 control characters Escape replaces; the
// tab renders as white space, so it stays.
func isControl(r rune) bool {
	return r != '\t' && (r < 0x20 || (r >= 0x7f && r < 0xa0))
}

var escaper = strings.NewReplacer(
	"\r\n", "<br>", "\r", "<br>", "\n", "<br>",
	"&", "&amp;", "<", "&lt;", ">", "&gt;",
	`\`, `\\`, "|", `\|`, "`", "\\`", "*", `\*`, "_", `\_`,
	"[", `\[`, "]", `\]`, "~", `\~`,
)
