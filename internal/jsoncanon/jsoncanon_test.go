package jsoncanon

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestIndent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"sorted keys", `{"b":1,"a":{"d":true,"c":null}}`, "{\n  \"a\": {\n    \"c\": null,\n    \"d\": true\n  },\n  \"b\": 1\n}\n"},
		{"numbers as written", `{"x":[1.0,1e3,-0,12345678901234567890123]}`, "{\n  \"x\": [\n    1.0,\n    1e3,\n    -0,\n    12345678901234567890123\n  ]\n}\n"},
		{"no html escaping", `{"a":"<b>&</b>"}`, "{\n  \"a\": \"<b>&</b>\"\n}\n"},
		{"unicode kept", `{"a":"öffne \u00fc 🎲"}`, "{\n  \"a\": \"öffne ü 🎲\"\n}\n"},
		{"whitespace ignored", " \n{ \"a\" :\t[ ] , \"b\":{} }\n\n", "{\n  \"a\": [],\n  \"b\": {}\n}\n"},
		{"scalar", `"x"`, "\"x\"\n"},
		{"byte order mark", "\xef\xbb\xbf{\"a\":1}", "{\n  \"a\": 1\n}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Indent([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("Indent(%s) =\n%s\nwant\n%s", tt.in, got, tt.want)
			}
			again, err := Indent(got)
			if err != nil || string(again) != string(got) {
				t.Errorf("Canonical is not idempotent: %q, %v", again, err)
			}
		})
	}
}

func TestIndentErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "empty document"},
		{"blank", "  \n", "empty document"},
		{"syntax", "{\n  \"a\": 1,\n  \"b\": tru\n}", "line 3, column 11: not valid JSON"},
		{"trailing data", `{"a":1} {"b":2}`, "line 1, column 9: unexpected data after the JSON value"},
		{"truncated", `{"a":`, "not valid JSON"},
		{"column counts characters", "{\"ü\": x}", "line 1, column 7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Indent([]byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Indent(%q) error = %v, want it to contain %q", tt.in, err, tt.want)
			}
			if _, err := SHA256([]byte(tt.in)); err == nil {
				t.Errorf("SHA256(%q) succeeded on bad input", tt.in)
			}
		})
	}
}

func TestSHA256(t *testing.T) {
	t.Parallel()
	a, err := SHA256([]byte(`{"manifest":{"b":[1,2],"a":"x"}}`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := SHA256([]byte("{\"manifest\": {\n\"a\": \"x\", \"b\": [1, 2]}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Errorf("key order and whitespace changed the hash: %s != %s", a, b)
	}
	c, err := SHA256([]byte(`{"manifest":{"b":[2,1],"a":"x"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if a == c {
		t.Errorf("array order did not change the hash")
	}
	// The hash is of the canonical bytes, so the deploy (or a person with
	// sha256sum) recomputes it from Canonical alone.
	sum := sha256.Sum256([]byte("{\n  \"manifest\": {\n    \"a\": \"x\",\n    \"b\": [\n      1,\n      2\n    ]\n  }\n}\n"))
	if want := hex.EncodeToString(sum[:]); a != want {
		t.Errorf("SHA256 = %s, want %s", a, want)
	}
}

// TestMatchesEncodingJSON holds the hand-written canonical encoder, in both
// layouts, to encoding/json's output, on the real manifests of the
// validator's corpus and on strings that need escaping.
func TestMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	docs := map[string][]byte{
		"escapes":       []byte(`{"ctl":"a\u0001\b\f\n\r\t\"\\/","seps":"\u2028\u2029","html":"<&>","empty":"","nested":[[],{},[{}],{"a":[null,true,false,-1.5e-3]}]}`),
		"invalid utf-8": []byte("{\"k\xff\":\"v\xfe\xe2\x80\"}"),
		"scalar":        []byte(`1e99999999999`),
	}
	files, err := filepath.Glob("../validate/testdata/corpus/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("the validator's corpus is missing (%v)", err)
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs[filepath.Base(f)] = raw
	}
	for name, raw := range docs {
		v, err := Decode(raw)
		if err != nil {
			continue // the corpus holds broken files on purpose
		}
		for _, indent := range []bool{true, false} {
			var got []byte
			if indent {
				got, err = MarshalIndent(v)
			} else {
				got, err = MarshalCompact(v)
			}
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(false)
			if indent {
				enc.SetIndent("", "  ")
			}
			if err := enc.Encode(v); err != nil {
				t.Fatal(err)
			}
			w := want.String()
			if !indent {
				w = strings.TrimSuffix(w, "\n")
			}
			if string(got) != w {
				t.Errorf("%s (indent %v): canonical encoder differs from encoding/json:\n%s", name, indent, cmp.Diff(w, string(got)))
			}
		}
	}
}

func TestEqual(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want bool
	}{
		{`{"a":1,"b":[true,null]}`, "{\n  \"b\": [true, null],\n  \"a\": 1\n}\n", true},
		{`{"a":"\u00fc<"}`, `{"a":"ü<"}`, true},
		{`{"a":1}`, `{"a":1.0}`, false}, // numbers compare by spelling
		{`{"a":[1,2]}`, `{"a":[2,1]}`, false},
		{`{"a":1}`, `{"a":1} {}`, false},
		{`{"a":`, `{"a":`, false},
	}
	for _, tt := range tests {
		if got := Equal([]byte(tt.a), []byte(tt.b)); got != tt.want {
			t.Errorf("Equal(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
