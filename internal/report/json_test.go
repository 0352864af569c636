package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/skillgate/skillgate/internal/validate"
)

// The JSON output decodes back into the findings it was given, with totals
// that match, and findings is an array even when there are none.
func TestJSONRoundTrip(t *testing.T) {
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			out := render(t, FormatJSON, tc.findings, nil)
			var got struct {
				Errors   int                 `json:"errors"`
				Warnings int                 `json:"warnings"`
				Findings *[]validate.Finding `json:"findings"`
			}
			dec := json.NewDecoder(bytes.NewReader(out))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&got); err != nil {
				t.Fatalf("decoding %s: %v", out, err)
			}
			if got.Findings == nil {
				t.Fatalf("findings is missing or null in %s", out)
			}
			want := tc.findings
			if want == nil {
				want = []validate.Finding{}
			}
			if diff := cmp.Diff(want, *got.Findings); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			var c counter
			for _, f := range tc.findings {
				c.add(f)
			}
			if got.Errors != c.errors || got.Warnings != c.warnings {
				t.Errorf("totals %d errors, %d warnings; want %d, %d", got.Errors, got.Warnings, c.errors, c.warnings)
			}
		})
	}
}

// The keys appear in the order of the README's contract ("validate output").
func TestJSONKeyOrder(t *testing.T) {
	out := render(t, FormatJSON, goldenCases()[1].findings[:1], nil)
	var compact bytes.Buffer
	if err := json.Compact(&compact, out); err != nil {
		t.Fatal(err)
	}
	want := `{"errors":0,"warnings":1,"findings":[{"file":"skill-package/skill.json","pointer":"/manifest/publishingInformation/category","line":4,"column":19,"severity":"warning","rule":"publishing.category","message":"\"GAME\" is not a documented category; did you mean \"GAMES\"?"}]}`
	if diff := cmp.Diff(want, compact.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
