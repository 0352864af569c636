package plan

import (
	"testing"
	"unicode/utf8"

	"github.com/skillgate/skillgate/internal/diff"
	"github.com/skillgate/skillgate/internal/markdown"
)

// FuzzMarkdown checks that no comparison makes the comment panic, exceed
// GitHub's limit or cut a character in two.
func FuzzMarkdown(f *testing.F) {
	f.Add([]byte(`{"manifest":{"a":1}}`), []byte(`{"manifest":{"a":1.0}}`), "note")
	f.Add([]byte(`{"manifest":{"x":["file://a","b"]}}`), []byte(`{"manifest":{"x":"y"}}`), "")
	f.Add([]byte(`[1,"`+"```"+`",{"<":null}]`), []byte(`"x"`), "<b>`|")
	f.Fuzz(func(t *testing.T, local, live []byte, note string) {
		r, err := diff.Compare(local, live, diff.Options{})
		if err != nil {
			return
		}
		p := Plan{Skill: "s", Stage: "development", Note: note, Changes: r, Marker: Marker{Skill: "s", Stage: "development"}}
		if s := p.Markdown(); utf8.RuneCountInString(s) > markdown.MaxCommentLength || !utf8.ValidString(s) {
			t.Fatalf("bad comment for %q vs %q", local, live)
		}
	})
}
