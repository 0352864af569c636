package diff

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCanonical(t *testing.T) {
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
			got, err := Canonical([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("Canonical(%s) =\n%s\nwant\n%s", tt.in, got, tt.want)
			}
			again, err := Canonical(got)
			if err != nil || string(again) != string(got) {
				t.Errorf("Canonical is not idempotent: %q, %v", again, err)
			}
		})
	}
}

func TestCanonicalErrors(t *testing.T) {
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
			_, err := Canonical([]byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Canonical(%q) error = %v, want it to contain %q", tt.in, err, tt.want)
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

func TestNumbersEqual(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want bool
	}{
		{"1", "1", true},
		{"1", "1.0", true},
		{"1.50", "1.5", true},
		{"10e-1", "1", true},
		{"100", "1E2", true},
		{"1e+2", "100.000", true},
		{"0", "-0.0", true},
		{"0.001", "1e-3", true},
		{"1", "2", false},
		{"1", "-1", false},
		{"1e999999999", "1e999999998", false},
		{"1e99999999999999999999", "1e99999999999999999999", true}, // identical spelling
		{"1e99999999999999999999", "1e99999999999999999998", false},
		{"12", "1.2e1", true},
		{"0.1", "0.01", false},
	}
	for _, tt := range tests {
		if got := numbersEqual(json.Number(tt.a), json.Number(tt.b)); got != tt.want {
			t.Errorf("numbersEqual(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := numbersEqual(json.Number(tt.b), json.Number(tt.a)); got != tt.want {
			t.Errorf("numbersEqual(%s, %s) = %v, want %v", tt.b, tt.a, got, tt.want)
		}
	}
}

// TestEncodeIndentMatchesEncodingJSON holds the hand-written canonical
// encoder to encoding/json's output, on the real manifests of the shared
// corpus and on strings that need escaping.
func TestEncodeIndentMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	docs := map[string][]byte{
		"escapes":       []byte(`{"ctl":"a\u0001\b\f\n\r\t\"\\/","seps":"\u2028\u2029","html":"<&>","empty":"","nested":[[],{},[{}],{"a":[null,true,false,-1.5e-3]}]}`),
		"invalid utf-8": []byte("{\"k\xff\":\"v\xfe\xe2\x80\"}"),
		"scalar":        []byte(`1e99999999999`),
	}
	// The shared corpus of real manifests is outside the repository; use it
	// where it exists.
	files, _ := filepath.Glob("/work/shared/corpus/*.json")
	if len(files) == 0 {
		t.Log("shared corpus not found: checking the package's own documents only")
	}
	files = append(files, "testdata/live.json", "testdata/local_changed.json")
	for _, f := range files {
		docs[filepath.Base(f)] = readFile(t, f)
	}
	for name, raw := range docs {
		v, err := decode(raw)
		if err != nil {
			continue // the corpus holds broken files on purpose
		}
		got, err := encodeIndent(v)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		if string(got) != want.String() {
			t.Errorf("%s: canonical encoder differs from encoding/json:\n%s", name, cmp.Diff(want.String(), string(got)))
		}
	}
}
