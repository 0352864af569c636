package diff

import "testing"

// FuzzCompare checks that no input makes Compare or ForDeploy panic and
// that a document never differs from itself. (internal/plan's FuzzMarkdown
// renders the same inputs as the PR comment.)
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
		if r == nil {
			t.Fatal("Compare returned no result and no error")
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
