package diff

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/skillgate/skillgate/internal/golden"
)

func mustCompareModel(t testing.TB, locale string, local, live []byte) *ModelResult {
	t.Helper()
	m, err := CompareModel(locale, local, live, Options{
		FromFile: "smapi:amzn1.ask.skill.demo/development/interactionModel/" + locale,
		ToFile:   "skill-package/interactionModels/custom/" + locale + ".json",
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCompareModelCounts(t *testing.T) {
	t.Parallel()
	m := mustCompareModel(t, "en-US", readFile(t, "testdata/model_local.json"), readFile(t, "testdata/model_live.json"))
	if !m.Changed() || m.New {
		t.Fatalf("Changed = %v, New = %v", m.Changed(), m.New)
	}
	want := &ModelResult{
		Locale:            "en-US",
		IntentsAdded:      []string{"AMAZON.NavigateHomeIntent"},
		IntentsRemoved:    []string{"GetOldFactIntent"},
		SamplesAdded:      []Sample{{"GetNewFactIntent", "give me a space fact"}, {"GetNewFactIntent", "what's new in | space"}},
		SamplesRemoved:    []Sample{{"GetOldFactIntent", "an old fact"}, {"GetOldFactIntent", "yesterday's fact"}},
		SlotValuesAdded:   []SlotValue{{"PlanetType", "jupiter"}, {"PlanetType", "saturn"}},
		SlotValuesRemoved: []SlotValue{{"PlanetType", "pluto"}},
		InvocationBefore:  "space facts",
		InvocationAfter:   "space trivia",
		Other:             []string{"slot type PlanetType: synonyms or ids", "prompts"},
	}
	if d := cmp.Diff(want, m, cmp.FilterPath(func(p cmp.Path) bool {
		switch p.Last().String() {
		case ".Unified", ".LocalCanonical", ".LiveCanonical", ".changed":
			return true
		}
		return false
	}, cmp.Ignore())); d != "" {
		t.Errorf("CompareModel (-want +got):\n%s", d)
	}
	if m.Count() != 12 {
		t.Errorf("Count = %d, want 12", m.Count())
	}
	wantSummary := "1 intent added, 1 intent removed, 2 samples added, 2 samples removed, 2 slot values added, 1 slot value removed, " +
		"invocation name changed, 2 other changes (slot type PlanetType: synonyms or ids, prompts)"
	if m.Summary() != wantSummary {
		t.Errorf("Summary =\n%q, want\n%q", m.Summary(), wantSummary)
	}
	if len(m.Items()) != m.Count() {
		t.Errorf("%d items for a count of %d", len(m.Items()), m.Count())
	}
	if !strings.HasPrefix(m.Unified, "--- smapi:amzn1.ask.skill.demo/development/interactionModel/en-US\n+++ skill-package/interactionModels/custom/en-US.json\n@@ ") {
		t.Errorf("unified diff headers: %.200q", m.Unified)
	}
}

func TestCompareModelCases(t *testing.T) {
	t.Parallel()
	base := `{"interactionModel":{"languageModel":{"invocationName":"space facts","intents":[
		{"name":"A","samples":["one","two"]},{"name":"B","samples":["three"]}],"types":[]}}}`
	for _, tc := range []struct {
		name, local, live string
		changed           bool
		count             int
		summary           string
	}{
		{name: "same, other key order and spacing", local: `{"interactionModel":{"languageModel":{"types":[],"intents":[{"samples":["one","two"],"name":"A"},{"name":"B","samples":["three"]}],"invocationName":"space facts"}}}`, live: base, summary: "no changes"},
		{name: "reordered samples", local: strings.Replace(base, `"one","two"`, `"two","one"`, 1), live: base, changed: true, count: 1, summary: "1 other change (order of entries)"},
		{name: "sample moved between intents", local: strings.Replace(strings.Replace(base, `,"two"`, "", 1), `"three"`, `"three","two"`, 1), live: base, changed: true, count: 2, summary: "1 sample added, 1 sample removed"},
		{name: "dialog added", local: strings.Replace(base, `"types":[]}`, `"types":[]},"dialog":{"intents":[]}`, 1), live: base, changed: true, count: 1, summary: "1 other change (dialog)"},
		{name: "slot added to an intent", local: strings.Replace(base, `{"name":"B",`, `{"name":"B","slots":[{"name":"x","type":"AMAZON.NUMBER"}],`, 1), live: base, changed: true, count: 1, summary: "1 other change (intent B: slots)"},
		{name: "new locale", local: base, live: "", changed: true, count: 6, summary: `new model (invocation name "space facts"): 2 intents added, 3 samples added`},
		{name: "not a model at all", local: `{"a":1}`, live: `{"a":2}`, changed: true, count: 1, summary: "1 other change (a)"},
		{name: "number spelling", local: `{"interactionModel":{"x":1.0}}`, live: `{"interactionModel":{"x":1}}`, summary: "no changes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var live []byte
			if tc.live != "" {
				live = []byte(tc.live)
			}
			m := mustCompareModel(t, "en-US", []byte(tc.local), live)
			if m.Changed() != tc.changed || m.Count() != tc.count || m.Summary() != tc.summary {
				t.Errorf("Changed, Count, Summary = %v, %d, %q; want %v, %d, %q", m.Changed(), m.Count(), m.Summary(), tc.changed, tc.count, tc.summary)
			}
			if (m.Unified != "") != tc.changed {
				t.Errorf("Unified = %q with Changed = %v", m.Unified, m.Changed())
			}
			if tc.live == "" && (!m.New || !strings.HasPrefix(m.Unified, "--- /dev/null\n")) {
				t.Errorf("a new model: New = %v, diff %.60q", m.New, m.Unified)
			}
		})
	}
	if _, err := CompareModel("en-US", []byte("{"), nil, Options{}); err == nil || !strings.Contains(err.Error(), "repository interaction model en-US") {
		t.Errorf("a broken local model: err = %v", err)
	}
	if _, err := CompareModel("en-US", []byte("{}"), []byte("["), Options{}); err == nil || !strings.Contains(err.Error(), "live interaction model en-US") {
		t.Errorf("a broken live model: err = %v", err)
	}
}

// modelResult is testdata's manifest change plus a changed en-US model and
// a new fr-FR one, as the plan builds it.
func modelResult(t testing.TB) *Result {
	t.Helper()
	r := mustCompare(t, readFile(t, "testdata/local_changed.json"), readFile(t, "testdata/live.json"))
	r.AddModels(
		mustCompareModel(t, "fr-FR", readFile(t, "testdata/model_new.json"), nil),
		mustCompareModel(t, "en-US", readFile(t, "testdata/model_local.json"), readFile(t, "testdata/model_live.json")),
		mustCompareModel(t, "de-DE", readFile(t, "testdata/model_live.json"), readFile(t, "testdata/model_live.json")),
	)
	return r
}

func TestResultWithModels(t *testing.T) {
	t.Parallel()
	r := modelResult(t)
	if got := []string{r.Models[0].Locale, r.Models[1].Locale, r.Models[2].Locale}; !cmp.Equal(got, []string{"de-DE", "en-US", "fr-FR"}) {
		t.Errorf("models not in locale order: %v", got)
	}
	if r.ManifestCount() != 6 || r.Count() != 6+12+8 || !r.ManifestChanged() {
		t.Errorf("ManifestCount, Count = %d, %d", r.ManifestCount(), r.Count())
	}
	wantSections := []string{"publishing", "publishing.de-DE", "publishing.en-US", "permissions", "interactionModel.en-US", "interactionModel.fr-FR"}
	if d := cmp.Diff(wantSections, r.Sections()); d != "" {
		t.Errorf("Sections (-want +got):\n%s", d)
	}
	if full := r.FullDiff(); !strings.HasPrefix(full, r.Unified) || strings.Count(full, "\n+++ ") != 3 {
		t.Errorf("FullDiff should be the manifest's diff then one per changed model")
	}
	// A model-only change: the manifest is not written, the skill is.
	same := mustCompare(t, readFile(t, "testdata/local_same.json"), readFile(t, "testdata/live.json"))
	same.AddModels(r.Models[1])
	if same.ManifestChanged() || !same.Changed() || same.Summary() != "12 changes in interactionModel.en-US" {
		t.Errorf("ManifestChanged, Changed, Summary = %v, %v, %q", same.ManifestChanged(), same.Changed(), same.Summary())
	}
}

func TestTextAndJSONModels(t *testing.T) {
	t.Parallel()
	r := modelResult(t)
	var text, js bytes.Buffer
	if err := r.Text(&text); err != nil {
		t.Fatal(err)
	}
	if err := r.JSON(&js); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "text_models.txt"), text.Bytes())
	golden.Check(t, filepath.Join("testdata", "json_models.json"), js.Bytes())
	for _, w := range []string{
		"\ninteractionModel.en-US: 1 intent added",
		"  + sample GetNewFactIntent: \"give me a space fact\"\n",
		"  - slot value PlanetType: \"pluto\"\n",
		"  ~ invocation name: \"space facts\" -> \"space trivia\"\n",
		"  ~ prompts\n",
		"+++ skill-package/interactionModels/custom/fr-FR.json\n",
	} {
		if !strings.Contains(text.String(), w) {
			t.Errorf("text lacks %q", w)
		}
	}
	var back struct {
		Changed bool `json:"changed"`
		Count   int  `json:"count"`
		Models  []struct {
			Locale       string   `json:"locale"`
			Changed      bool     `json:"changed"`
			Count        int      `json:"count"`
			Summary      string   `json:"summary"`
			IntentsAdded []string `json:"intentsAdded"`
			Diff         string   `json:"diff"`
		} `json:"models"`
	}
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if !back.Changed || back.Count != r.Count() || len(back.Models) != 3 || back.Models[1].Count != 12 ||
		back.Models[0].Changed || back.Models[2].IntentsAdded[0] != "GetNewFactIntent" || back.Models[1].Diff != r.Models[1].Unified {
		t.Errorf("JSON lost the models: %+v", back)
	}
	// A package without models keeps its JSON as it was: no models key.
	same := mustCompare(t, readFile(t, "testdata/local_same.json"), readFile(t, "testdata/live.json"))
	js.Reset()
	if err := same.JSON(&js); err != nil || strings.Contains(js.String(), "models") {
		t.Errorf("JSON without models: %v\n%s", err, js.String())
	}
}
