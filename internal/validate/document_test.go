package validate

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/skillgate/skillgate/internal/jsonfile"
)

// TestParseDocumentStrict covers every strict-reading case with the exact
// line and column of the finding.
func TestParseDocumentStrict(t *testing.T) {
	bom := "\xEF\xBB\xBF"
	tests := []struct {
		name      string
		in        string
		rule      string // "" for no finding
		line, col int
		parsed    bool // Value != nil expected
	}{
		{"valid", `{"manifest": {}}`, "", 0, 0, true},
		{"BOM accepted", bom + `{"manifest": {}}`, "", 0, 0, true},
		{"BOM does not count as a column", bom + `{"a": 1,}`, "json.syntax", 1, 9, false},
		{"missing comma in array", "{\n  \"k\": [\n    \"a\"\n    \"b\"\n  ]\n}", "json.syntax", 4, 5, false},
		{"missing comma between members", "{\"a\": 1\n \"b\": 2}", "json.syntax", 2, 2, false},
		{"trailing comma in object", "{\"a\": 1,\n}", "json.syntax", 2, 1, false},
		{"trailing comma in array", "[1,\n 2,\n]", "json.syntax", 3, 1, false},
		{"bad literal", `{"a": tru}`, "json.syntax", 1, 10, false},
		{"columns count code points", `{"é€😀": x}`, "json.syntax", 1, 9, false},
		{"CRLF lines", "{\r\n\"a\": 1\r\n\"b\": 2}", "json.syntax", 3, 1, false},
		{"unterminated", "{\"a\": \"x", "json.syntax", 1, 9, false},
		{"truncated object", "{\"a\": 1,\n", "json.syntax", 2, 1, false},
		{"two values", `{} {}`, "json.syntax", 1, 4, false},
		{"duplicate key at second occurrence", "{\n  \"a\": 1,\n  \"b\": 2,\n  \"a\": 3\n}", "json.duplicate-key", 4, 3, true},
		{"duplicate nested key", `{"m": {"x": {"y": 1}, "x": {"z": 2}}}`, "json.duplicate-key", 1, 23, true},
		{"invalid UTF-8 in a string", "{\n \"a\": \"b\xff\"\n}", "json.invalid-utf8", 2, 9, true},
		{"empty", ``, "json.empty", 1, 1, false},
		{"only whitespace", " \n\t ", "json.empty", 1, 1, false},
		{"only a BOM", bom, "json.empty", 1, 1, false},
		{"null", ` null`, "json.not-object", 1, 2, false},
		{"array", "\n[1]", "json.not-object", 2, 1, true},
		{"string", `"skill"`, "json.not-object", 1, 1, true},
		{"too deep", strings.Repeat("[", 65) + strings.Repeat("]", 65), "json.too-deep", 1, 65, false},
		{"64 levels is fine", `{"a":` + strings.Repeat("[", 63) + strings.Repeat("]", 63) + `}`, "", 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, findings := ParseDocument("skill.json", []byte(tt.in))
			if (doc.Value != nil) != tt.parsed {
				t.Errorf("Value = %v, want parsed=%v", doc.Value, tt.parsed)
			}
			if tt.rule == "" {
				if len(findings) != 0 {
					t.Fatalf("unexpected findings: %+v", findings)
				}
				return
			}
			if len(findings) != 1 {
				t.Fatalf("got %d findings, want 1 %s: %+v", len(findings), tt.rule, findings)
			}
			f := findings[0]
			if f.Rule != tt.rule || f.Line != tt.line || f.Column != tt.col {
				t.Errorf("got %s at %d:%d (%s), want %s at %d:%d", f.Rule, f.Line, f.Column, f.Message, tt.rule, tt.line, tt.col)
			}
			if f.File != "skill.json" || f.Severity != Error || f.Message == "" {
				t.Errorf("bad finding %+v", f)
			}
		})
	}
}

func TestParseDocumentTooLarge(t *testing.T) {
	raw := bytes.Repeat([]byte(" "), MaxFileSize+1)
	doc, findings := ParseDocument("big.json", raw)
	if len(findings) != 1 || findings[0].Rule != "json.too-large" || findings[0].Line != 1 || findings[0].Column != 1 {
		t.Fatalf("findings = %+v", findings)
	}
	if doc.Value != nil || doc.Raw != nil {
		t.Error("a refused file must keep neither value nor bytes")
	}
}

func TestPositionMap(t *testing.T) {
	in := "\xEF\xBB\xBF{\r\n" +
		"  \"manifest\": {\r\n" +
		"    \"a/b\": [1, {\"x~y\": \"é\"}],\r\n" +
		"    \"ünï\": \"c\",\"n\": null\r\n" +
		"  }\r\n" +
		"}"
	doc, findings := ParseDocument("skill.json", []byte(in))
	if len(findings) != 0 {
		t.Fatal(findings)
	}
	tests := []struct {
		ptr       string
		line, col int
		ok        bool
	}{
		{"", 1, 1, true},
		{"/manifest", 2, 15, true},
		{"/manifest/a~1b", 3, 12, true},
		{"/manifest/a~1b/0", 3, 13, true},
		{"/manifest/a~1b/1", 3, 16, true},
		{"/manifest/a~1b/1/x~0y", 3, 24, true},
		{"/manifest/ünï", 4, 12, true},
		{"/manifest/n", 4, 21, true},
		// Missing properties point at the object that lacks them.
		{"/manifest/missing", 2, 15, true},
		{"/manifest/missing/deeper", 2, 15, true},
		{"/manifest/a~1b/1/nope", 3, 16, true},
		{"/other", 1, 1, true},
		// Through a scalar: no position.
		{"/manifest/ünï/x", 0, 0, false},
	}
	for _, tt := range tests {
		pos, ok := doc.Pos(tt.ptr)
		if ok != tt.ok || ok && (pos.Line != tt.line || pos.Column != tt.col) {
			t.Errorf("Pos(%q) = %+v, %v; want %d:%d, %v", tt.ptr, pos, ok, tt.line, tt.col, tt.ok)
		}
		if ok && tt.ptr != "" && !strings.Contains(tt.ptr, "missing") && !strings.Contains(tt.ptr, "nope") && tt.ptr != "/other" {
			// The byte offset points into Raw at the value's first byte.
			if c := in[pos.Offset]; !strings.ContainsRune(`{["1n`+"\"", rune(c)) {
				t.Errorf("Pos(%q).Offset %d is at %q", tt.ptr, pos.Offset, c)
			}
		}
	}
	want := []string{"", "/manifest", "/manifest/a~1b", "/manifest/a~1b/0", "/manifest/a~1b/1", "/manifest/a~1b/1/x~0y", "/manifest/n", "/manifest/ünï"}
	if got := doc.Pointers(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("Pointers() = %q, want %q", got, want)
	}
}

func TestDuplicateKeyKeepsMapConsistent(t *testing.T) {
	doc, _ := ParseDocument("x.json", []byte(`{"a": {"old": 1}, "a": {"new": 2}}`))
	for _, p := range doc.Pointers() {
		if _, ok := jsonfile.Resolve(doc.Value, p); !ok {
			t.Errorf("pointer %q does not resolve", p)
		}
	}
	if _, ok := jsonfile.Resolve(doc.Value, "/a/new"); !ok {
		t.Error("the last value must win, as in encoding/json")
	}
}

// FuzzParseDocument checks the loader and the position map never panic and
// that every pointer the map reports resolves in the decoded document.
func FuzzParseDocument(f *testing.F) {
	for _, file := range corpusFiles(f) {
		raw, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Add([]byte("\xEF\xBB\xBF{\"a~/b\": [1, {\"\": null}]}"))
	f.Add([]byte(`{"a": 1, "a": {"b": 2}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		doc, findings := ParseDocument("fuzz.json", raw)
		for _, fd := range findings {
			if fd.Line < 1 || fd.Column < 1 {
				t.Fatalf("finding without a position: %+v", fd)
			}
		}
		if doc.Value == nil {
			if _, isNull := doc.tree.Offset(""); !isNull && len(doc.Pointers()) != 0 {
				t.Fatalf("pointers %q for a document that did not parse", doc.Pointers())
			}
		}
		for _, p := range doc.Pointers() {
			if _, ok := jsonfile.Resolve(doc.Value, p); !ok {
				t.Fatalf("pointer %q does not resolve", p)
			}
			pos, ok := doc.Pos(p)
			if !ok || pos.Line < 1 || pos.Column < 1 || pos.Offset < 0 || pos.Offset >= len(raw) {
				t.Fatalf("Pos(%q) = %+v, %v", p, pos, ok)
			}
		}
		// Check must not panic on whatever parsed.
		Check(&Package{Manifest: doc})
	})
}

// TestV0Position: the v0 key is reported at the value of skillManifest, with
// its exact line and column, and nothing else is checked in a v0 file.
func TestV0Position(t *testing.T) {
	doc, findings := ParseDocument("skill.json", []byte("{\n  \"skillManifest\": {\n    \"publishingInformation\": {}\n  }\n}"))
	if len(findings) != 0 {
		t.Fatalf("parse findings: %+v", findings)
	}
	got := Check(&Package{Manifest: doc})
	if len(got) != 1 {
		t.Fatalf("findings = %+v, want one manifest.v0-format", got)
	}
	f := got[0]
	if f.Rule != "manifest.v0-format" || f.Pointer != "/skillManifest" || f.Line != 2 || f.Column != 20 || f.Severity != Error {
		t.Errorf("got %s %s at %d:%d (%s), want manifest.v0-format /skillManifest at 2:20", f.Rule, f.Pointer, f.Line, f.Column, f.Severity)
	}
	if !strings.Contains(f.Message, "skillgate migrate") {
		t.Errorf("message %q does not say to run skillgate migrate", f.Message)
	}
}
