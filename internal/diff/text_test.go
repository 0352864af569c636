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

func mustCompare(t testing.TB, local, live []byte) *Result {
	t.Helper()
	r, err := Compare(local, live, Options{FromFile: "live/development", ToFile: "skill-package/skill.json"})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestTextAndJSONGolden(t *testing.T) {
	t.Parallel()
	live := readFile(t, "testdata/live.json")
	for _, name := range []string{"same", "changed"} {
		r := mustCompare(t, readFile(t, "testdata/local_"+name+".json"), live)
		var text, js bytes.Buffer
		if err := r.Text(&text); err != nil {
			t.Fatal(err)
		}
		if err := r.JSON(&js); err != nil {
			t.Fatal(err)
		}
		golden.Check(t, filepath.Join("testdata", "text_"+name+".txt"), text.Bytes())
		golden.Check(t, filepath.Join("testdata", "json_"+name+".json"), js.Bytes())

		var back JSONResult
		if err := json.Unmarshal(js.Bytes(), &back); err != nil {
			t.Fatalf("JSON output does not parse: %v", err)
		}
		if back.Changed != r.Changed() || back.Count != r.Count() || back.Diff != r.Unified {
			t.Errorf("%s: JSON round trip lost the verdict: %+v", name, back)
		}
		sameJSON := cmp.Comparer(func(a, b json.RawMessage) bool {
			if len(a) == 0 || len(b) == 0 {
				return len(a) == len(b) // absent stays absent
			}
			var ca, cb bytes.Buffer
			return json.Compact(&ca, a) == nil && json.Compact(&cb, b) == nil && ca.String() == cb.String()
		})
		if diff := cmp.Diff(r.Changes, back.Changes, sameJSON); diff != "" {
			t.Errorf("%s: JSON round trip changed the changes (-want +got):\n%s", name, diff)
		}
	}
}

func TestTextNoChanges(t *testing.T) {
	t.Parallel()
	r := mustCompare(t, []byte(`{"manifest":{"a":1}}`), []byte(`{"manifest":{"a":1.0}}`))
	var b bytes.Buffer
	if err := r.Text(&b); err != nil {
		t.Fatal(err)
	}
	if b.String() != "no changes\n" {
		t.Errorf("Text = %q, want %q", b.String(), "no changes\n")
	}
	b.Reset()
	if err := r.JSON(&b); err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"changed\": false,\n  \"count\": 0,\n  \"sections\": [],\n  \"changes\": [],\n  \"diff\": \"\"\n}\n"
	if b.String() != want {
		t.Errorf("JSON = %q, want %q", b.String(), want)
	}
	if !strings.HasPrefix(r.Summary(), "no changes") {
		t.Errorf("Summary = %q", r.Summary())
	}
}
