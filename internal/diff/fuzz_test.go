package diff

import (
	"testing"
	"unicode/utf8"
)

// FuzzCompare checks that no input makes Compare, ForDeploy or
// RenderComment panic, that a document never differs from itself, and that
// the comment stays within GitHub's limit.
func FuzzCompare(f *testing.F) {
	f.Add([]byte(`{"manifest":{"a":1}}`), []byte(`{"manifest":{"a":1.0}}`))
	f.Add([]byte(`{"manifest":{"apis":{"custom":{"regions":{"EU":{}}}}}}`), []byte(`{"manifest":{"apis":{"custom":{"regions":{"EU":{"endpoint":{"uri":"x"}}}}}}}`))
	f.Add([]byte(`{"manifest":{"x":["file://a","b"]}}`), []byte(`{"manifest":{"x":"y"}}`))
	f.Add([]byte(`[1,"`+"```"+`",{"<":null}]`), []byte(`"x"`))
	f.Fuzz(func(t *testing.T, local, live []byte) {
		r, err := Compare(local, live, Options{})
		if err != nil {
			return
		}
		if s := RenderComment(Comment{Result: r}); utf8.RuneCountInString(s) > MaxCommentLen || !utf8.ValidString(s) {
			t.Fatalf("bad comment for %q vs %q", local, live)
		}
		if _, err := ForDeploy(local, live); err != nil {
			t.Fatalf("ForDeploy failed where Compare succeeded: %v", err)
		}
		self, err := Compare(live, live, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if self.Changed() || self.Unified != "" {
			t.Fatalf("%q differs from itself: %+v", live, self.Changes)
		}
	})
}
