package plan

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/skillgate/skillgate/internal/diff"
	"github.com/skillgate/skillgate/internal/golden"
	"github.com/skillgate/skillgate/internal/markdown"
)

func modelResult(t testing.TB) *diff.Result {
	t.Helper()
	r := mustCompare(t, readFile(t, "testdata/local_changed.json"), readFile(t, "testdata/live.json"))
	r.AddModels(
		mustCompareModel(t, "fr-FR", readFile(t, "testdata/model_new.json"), nil),
		mustCompareModel(t, "en-US", readFile(t, "testdata/model_local.json"), readFile(t, "testdata/model_live.json")),
		mustCompareModel(t, "de-DE", readFile(t, "testdata/model_live.json"), readFile(t, "testdata/model_live.json")),
	)
	return r
}

func TestMarkdownModels(t *testing.T) {
	t.Parallel()
	r := modelResult(t)
	got := commentOf(Plan{Marker: testMarker, Skill: "amzn1.ask.skill.demo", Stage: "development", Changes: r})
	golden.Check(t, filepath.Join("testdata", "comment_models.md"), []byte(got))
	for _, w := range []string{
		"**26 changes** in publishing, publishing.de-DE, publishing.en-US, permissions, interactionModel.en-US, interactionModel.fr-FR.",
		"#### Interaction model en-US\n\n1 intent added, 1 intent removed, 2 samples added",
		"#### Interaction model fr-FR\n\nnew model (invocation name \"faits de l'espace\"): 5 intents added, 2 samples added.",
		"| sample added | <code>GetNewFactIntent</code> | <code>what's new in \\| space</code> |",
		"| invocation name changed | — | <code>space facts</code> → <code>space trivia</code> |",
		"+++ skill-package/interactionModels/custom/en-US.json\n",
		"--- /dev/null\n+++ skill-package/interactionModels/custom/fr-FR.json\n",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("comment lacks %q", w)
		}
	}
	if strings.Contains(got, "Interaction model de-DE") {
		t.Error("an unchanged model got a section")
	}
	if i := strings.Index(got, "<details>"); i < 0 || strings.Contains(got[:i], "<b>venus</b>") {
		t.Error("raw HTML from a model reached the comment outside the diff fence")
	}

	// Models only, nothing changed: the verdict names both.
	same := mustCompare(t, readFile(t, "testdata/local_same.json"), readFile(t, "testdata/live.json"))
	same.AddModels(r.Models[0])
	if got := commentOf(Plan{Changes: same}); !strings.Contains(got, "**No changes**: the package matches the live manifest and interaction models.") {
		t.Errorf("no-change verdict with models:\n%s", got)
	}
}

// TestMarkdownModelsOversized: a new locale far bigger than the limit
// keeps every section, cuts the diff first, and caps the locale's table.
func TestMarkdownModelsOversized(t *testing.T) {
	t.Parallel()
	var samples []string
	for i := range 4000 {
		samples = append(samples, `"dis-moi le fait numéro `+strings.Repeat("é", i%7)+string(rune('a'+i%26))+` `+diff.Thousands(i)+`"`)
	}
	big := []byte(`{"interactionModel":{"languageModel":{"invocationName":"faits","intents":[{"name":"GetNewFactIntent","samples":[` + strings.Join(samples, ",") + `]}]}}}`)
	r := mustCompare(t, readFile(t, "testdata/local_changed.json"), readFile(t, "testdata/live.json"))
	r.AddModels(mustCompareModel(t, "fr-FR", big, nil))
	if utf8.RuneCountInString(r.FullDiff()) <= markdown.MaxCommentLength {
		t.Fatal("test setup: the diff fits")
	}
	got := commentOf(Plan{Marker: testMarker, Changes: r})
	checkLimit(t, got)
	for _, w := range []string{"**Diff truncated**", "#### Interaction model fr-FR", "_…and 3,952 more left out", "| publishing.en-US |"} {
		if !strings.Contains(got, w) {
			t.Errorf("comment lacks %q", w)
		}
	}
}

// BenchmarkCompareAndRender measures what one plan costs: the diff of two
// realistic manifests (two locales, endpoints, icons, events) and the PR
// comment. The aim is well under a millisecond.
func BenchmarkCompareAndRender(b *testing.B) {
	live := readFile(b, "testdata/live.json")
	local := readFile(b, "testdata/local_changed.json")
	b.ReportAllocs()
	for b.Loop() {
		r, err := diff.Compare(local, live, diff.Options{FromFile: "live/development", ToFile: "skill-package/skill.json"})
		if err != nil {
			b.Fatal(err)
		}
		if s := commentOf(Plan{Marker: testMarker, Skill: "amzn1.ask.skill.demo", Stage: "development", Changes: r}); utf8.RuneCountInString(s) > markdown.MaxCommentLength {
			b.Fatal("comment over the limit")
		}
	}
}
