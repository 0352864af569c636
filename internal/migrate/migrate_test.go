package migrate

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/skillgate/skillgate/internal/golden"
)

// TestGolden migrates every testdata/*.json and compares the output, the
// changes and the notes with testdata/<name>.golden (a txtar archive).
func TestGolden(t *testing.T) {
	t.Parallel()
	inputs, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no inputs in testdata: %v", err)
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".json")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Migrate(raw)
			if err != nil {
				t.Fatalf("Migrate: %v", err)
			}
			got := txtar.Format(&txtar.Archive{Files: []txtar.File{
				{Name: "changed", Data: fmt.Appendf(nil, "%v\n", res.Changed)},
				{Name: "output", Data: res.Output},
				{Name: "changes", Data: notesText(res.Changes)},
				{Name: "notes", Data: notesText(res.Notes)},
			}})
			golden.Check(t, filepath.Join("testdata", name+".golden"), got)
			// Whatever the notes say, the only bytes that may differ are the
			// renamed key: the rest of the file is the author's.
			if res.Changed {
				back := bytes.Replace(res.Output, []byte(`"manifest"`), []byte(`"skillManifest"`), 1)
				if !bytes.Equal(back, raw) {
					t.Errorf("output differs from input beyond the renamed key")
				}
			} else if !bytes.Equal(res.Output, raw) {
				t.Errorf("v1 input was changed")
			}
		})
	}
}

func notesText(notes []Note) []byte {
	var b bytes.Buffer
	for _, n := range notes {
		fmt.Fprintf(&b, "%d:%d %s: %s\n", n.Line, n.Column, n.Pointer, n.Message)
	}
	return b.Bytes()
}

func TestMigrate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		in        string
		want      string // output; "" means same as in
		changed   bool
		changes   []string // "line:col pointer"
		notes     []string // "line:col pointer"
		wantError string   // "line:col: message" prefix
	}{
		{
			name:    "smallest v0",
			in:      `{"skillManifest":{"manifestVersion":"1.0"}}`,
			want:    `{"manifest":{"manifestVersion":"1.0"}}`,
			changed: true, changes: []string{"1:2 /manifest"},
		},
		{
			name:    "CRLF and trailing spaces kept",
			in:      "{\r\n  \"skillManifest\" : {\r\n    \"manifestVersion\": \"1.0\"  \r\n  }\r\n}\r\n",
			want:    "{\r\n  \"manifest\" : {\r\n    \"manifestVersion\": \"1.0\"  \r\n  }\r\n}\r\n",
			changed: true, changes: []string{"2:3 /manifest"},
		},
		{
			name:    "escaped key is recognised and rewritten plainly",
			in:      `{"skill\u004danifest": {"manifestVersion": "1.0"}}`,
			want:    `{"manifest": {"manifestVersion": "1.0"}}`,
			changed: true, changes: []string{"1:2 /manifest"},
		},
		{
			name:    "columns after the rename on the same line shift",
			in:      `{"skillManifest": {"apis": {"custom": {"endpoint": {"sourceDir": "x"}}}}}`,
			want:    `{"manifest": {"apis": {"custom": {"endpoint": {"sourceDir": "x"}}}}}`,
			changed: true, changes: []string{"1:2 /manifest"},
			notes: []string{"1:14 /manifest", "1:48 /manifest/apis/custom/endpoint/sourceDir"},
		},
		{
			name:    "columns count code points",
			in:      "{\"skillManifest\": {\"manifestVersion\": \"1.0\",\n\"x\": {\"名前\": \"é\", \"sourceDir\": 1}}}",
			want:    "{\"manifest\": {\"manifestVersion\": \"1.0\",\n\"x\": {\"名前\": \"é\", \"sourceDir\": 1}}}",
			changed: true, changes: []string{"1:2 /manifest"},
			notes: []string{"2:18 /manifest/x/sourceDir"},
		},
		{
			name:    "manifestVersion wrong type",
			in:      `{"skillManifest": {"manifestVersion": 1}}`,
			want:    `{"manifest": {"manifestVersion": 1}}`,
			changed: true, changes: []string{"1:2 /manifest"},
			notes: []string{"1:34 /manifest/manifestVersion"},
		},
		{
			name:    "skillManifest not an object",
			in:      `{"skillManifest": []}`,
			want:    `{"manifest": []}`,
			changed: true, changes: []string{"1:2 /manifest"},
			notes: []string{"1:14 /manifest"},
		},
		{
			name:    "repeated skillManifest: both renamed, duplicate reported",
			in:      "{\"skillManifest\": {\"manifestVersion\": \"1.0\"},\n \"skillManifest\": {\"manifestVersion\": \"1.0\"}}",
			want:    "{\"manifest\": {\"manifestVersion\": \"1.0\"},\n \"manifest\": {\"manifestVersion\": \"1.0\"}}",
			changed: true, changes: []string{"1:2 /manifest", "2:2 /manifest"},
			notes: []string{"2:2 /manifest"},
		},
		{
			name:    "byte order mark kept and not counted",
			in:      "\uFEFF{\"skillManifest\": {}}",
			want:    "\uFEFF{\"manifest\": {}}",
			changed: true, changes: []string{"1:2 /manifest"},
			notes: []string{"1:14 /manifest"},
		},
		{name: "v1 with a byte order mark", in: "\uFEFF{\"manifest\": {}}"},
		{
			name: "v1 unchanged",
			in:   `{"manifest": {"manifestVersion": "1.0", "apis": {"custom": {"endpoint": {"sourceDir": "x"}}}}}`,
		},
		{name: "syntax error", in: "{\n  \"skillManifest\": {,}\n}", wantError: "2:21: invalid JSON: invalid character ','"},
		{name: "truncated", in: "{\"skillManifest\": {", wantError: "1:20: invalid JSON: unexpected end of file"},
		{name: "trailing comma", in: "{\"skillManifest\": {\"a\": 1,}}", wantError: "1:27: invalid JSON"},
		{name: "empty file", in: "", wantError: "1:1: invalid JSON: unexpected end of file"},
		{name: "array", in: " [1]", wantError: "1:2: not a skill.json"},
		{name: "neither key", in: `{"interactionModel": {}}`, wantError: `1:1: not a skill.json: no "manifest"`},
		{name: "both keys", in: "{\"manifest\": {},\n \"skillManifest\": {}}", wantError: `2:2: both "skillManifest" (v0) and "manifest" (v1, at 1:2) are present`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := Migrate([]byte(tt.in))
			if tt.wantError != "" {
				var me *Error
				if !errors.As(err, &me) {
					t.Fatalf("Migrate() error = %v, want *Error", err)
				}
				if !strings.HasPrefix(err.Error(), tt.wantError) {
					t.Fatalf("Migrate() error = %q, want prefix %q", err, tt.wantError)
				}
				return
			}
			if err != nil {
				t.Fatalf("Migrate() error = %v", err)
			}
			want := tt.want
			if want == "" {
				want = tt.in
			}
			if got := string(res.Output); got != want {
				t.Errorf("output\n got %q\nwant %q", got, want)
			}
			if res.Changed != tt.changed {
				t.Errorf("Changed = %v, want %v", res.Changed, tt.changed)
			}
			if diff := cmp.Diff(tt.changes, where(res.Changes)); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.notes, where(res.Notes)); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
		})
	}
}

func where(notes []Note) []string {
	var out []string
	for _, n := range notes {
		out = append(out, fmt.Sprintf("%d:%d %s", n.Line, n.Column, n.Pointer))
	}
	return out
}

func TestWriteFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "skill.json")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "new" {
		t.Fatalf("file holds %q (%v), want new", got, err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600 kept", info.Mode().Perm())
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symlink was replaced: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("temporary file left behind: %v", entries)
	}
	if err := WriteFile(filepath.Join(dir, "missing.json"), nil); err == nil {
		t.Error("WriteFile on a missing file succeeded")
	}
}

// FuzzMigrate checks that no input panics and that a migrated file differs
// from its input only in the renamed key.
func FuzzMigrate(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"skillManifest":{"a":[1,{"sourceDir":null}],"a":2}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		res, err := Migrate(raw)
		if err != nil {
			var me *Error
			if !errors.As(err, &me) || me.Line < 1 || me.Column < 1 {
				t.Fatalf("error %v is not a positioned *Error", err)
			}
			return
		}
		for _, n := range append(res.Changes, res.Notes...) {
			if n.Line < 1 || n.Column < 1 {
				t.Fatalf("note without a position: %+v", n)
			}
		}
		if !res.Changed && !bytes.Equal(res.Output, raw) {
			t.Fatal("unchanged result differs from input")
		}
		if res.Changed {
			if _, err := Migrate(res.Output); err != nil {
				t.Fatalf("output does not migrate again: %v", err)
			}
		}
	})
}
