package validate

import (
	"cmp"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/skillgate/skillgate/internal/jsonfile"
	"github.com/skillgate/skillgate/schemas"
)

// TestPrunedSchemasAgree: the schemas pruned for a manifest report exactly
// what the full schemas report, on every manifest in testdata and on two
// broken variants of each (every string turned into a number, every array
// into a string), so that errors come from deep inside the kept schemas.
func TestPrunedSchemasAgree(t *testing.T) {
	full, err := compiled()
	if err != nil {
		t.Fatal(err)
	}
	files := corpusFiles(t)
	more, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "packages", "*", "skill.json"))
	files = append(files, more...)
	checked := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			continue // not JSON: the schemas never run
		}
		variants := map[string]any{"as is": v, "strings as numbers": mutate(v, true), "arrays as strings": mutate(v, false)}
		for name, variant := range variants {
			b, err := json.MarshalIndent(variant, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			doc, _ := ParseDocument("skill.json", b)
			if doc == nil || doc.Value == nil {
				t.Fatalf("%s (%s) did not parse", f, name)
			}
			pruned, err := compiledFor(doc.Value)
			if err != nil {
				t.Fatalf("%s (%s): %v", f, name, err)
			}
			// The library walks properties in map order, so the order of the
			// findings varies from run to run; ValidatePath sorts them.
			sorted := func(fs []Finding) []Finding {
				slices.SortFunc(fs, func(a, b Finding) int {
					return cmp.Or(strings.Compare(a.Pointer, b.Pointer), strings.Compare(a.Rule, b.Rule), strings.Compare(a.Message, b.Message))
				})
				return fs
			}
			if diff := gocmp.Diff(sorted(full.findings(doc)), sorted(pruned.findings(doc))); diff != "" {
				t.Errorf("%s (%s): pruned schemas disagree (-full +pruned):\n%s", f, name, diff)
			}
			checked++
		}
	}
	if checked < 100 {
		t.Errorf("only %d manifests compared", checked)
	}
}

// mutate returns v with every string turned into a number (numbers) or
// every array into a string (!numbers).
func mutate(v any, numbers bool) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = mutate(x, numbers)
		}
		return out
	case []any:
		if !numbers {
			return "not an array"
		}
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = mutate(x, numbers)
		}
		return out
	case string:
		if numbers {
			return 12345
		}
	}
	return v
}

// TestPruneKeepsOnlyWhatTheManifestReaches: a manifest with only
// publishingInformation.locales reaches the publishing schema and none of
// the APIs, events or permissions.
func TestPruneKeepsOnlyWhatTheManifestReaches(t *testing.T) {
	data, err := loadedData()
	if err != nil {
		t.Fatal(err)
	}
	var manifest any
	if err := json.Unmarshal([]byte(`{"manifest": {"manifestVersion": "1.0", "publishingInformation": {"locales": {"en-US": {"name": "x"}}}}}`), &manifest); err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	collectKeys(manifest, keys)
	p := &pruner{docs: data.docs, keys: keys, reached: map[string]bool{}}
	p.reach(schemas.BaseURL+schemas.Root, "")
	files := map[string]bool{}
	for target := range p.reached {
		file, _, _ := strings.Cut(target, "#")
		files[strings.TrimPrefix(file, schemas.BaseURL)] = true
	}
	if !files["envelope.schema.json"] || !files["publishing.schema.json"] {
		t.Errorf("files reached: %v, want the envelope and publishing schemas", files)
	}
	for _, f := range []string{"apis.schema.json", "events.schema.json", "permissions.schema.json"} {
		if files[f] {
			t.Errorf("%s reached by a manifest without its section", f)
		}
	}
	pruned := p.copy(schemas.BaseURL+"envelope.schema.json", "", data.docs[schemas.BaseURL+"envelope.schema.json"])
	apis, _ := jsonfile.Resolve(pruned, "/$defs/SkillManifest/properties/apis")
	if apis != true {
		t.Errorf("manifest.apis pruned to %v, want true", apis)
	}
	if _, ok := jsonfile.Resolve(pruned, "/$defs/SkillManifest/description"); ok {
		t.Error("annotations kept")
	}
}
