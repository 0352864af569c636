package jsonfile

import (
	"errors"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		syntax  bool // else depth
		off     int
		message string
	}{
		{"trailing comma", "{\"a\": 1,\n}", true, 9, "no comma before a closing bracket"},
		{"missing comma", "[1\n 2]", true, 4, "is a comma missing"},
		{"truncated", `{"a": [`, true, 7, "ends in the middle of a value"},
		{"two values", `{} {}`, true, 3, "more than one JSON value"},
		{"BOM counted in offsets", "\xEF\xBB\xBF{,}", true, 4, "invalid character"},
		{"one level too deep", strings.Repeat("[", 5) + strings.Repeat("]", 5), false, 4, "deeper than 4 levels"},
		// Past encoding/json's own limit (10000 levels) the scanner says
		// "exceeded max depth"; that is still depth, not syntax.
		{"deeper than encoding/json goes", strings.Repeat("[", 10001) + strings.Repeat("]", 10001), false, 4, "deeper than 4 levels"},
		{"deep and unterminated", `{"a":` + strings.Repeat("[", 10001), false, 8, "deeper than 4 levels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in), 4)
			var se *SyntaxError
			var de *DepthError
			switch {
			case tt.syntax && errors.As(err, &se):
				if se.Offset != tt.off {
					t.Errorf("offset = %d, want %d (%v)", se.Offset, tt.off, err)
				}
			case !tt.syntax && errors.As(err, &de):
				if de.Offset != tt.off {
					t.Errorf("offset = %d, want %d (%v)", de.Offset, tt.off, err)
				}
			default:
				t.Fatalf("Parse() error = %#v, want syntax=%v", err, tt.syntax)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error %q does not say %q", err, tt.message)
			}
		})
	}
}

func TestParseTree(t *testing.T) {
	t.Parallel()
	in := "{\"z\": 1, \"a\": {\"x\": [true]}, \"m\": 2, \"a\": {\"y\": null}}"
	tree, err := Parse([]byte(in), 64)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(tree.Keys(""), ","); got != "z,m,a" {
		t.Errorf("Keys() = %s, want file order z,m,a (a at its last occurrence)", got)
	}
	if len(tree.Duplicates) != 1 || tree.Duplicates[0].Pointer != "/a" || tree.Duplicates[0].Offset != 37 {
		t.Errorf("Duplicates = %+v", tree.Duplicates)
	}
	if _, ok := tree.Offset("/a/x"); ok {
		t.Error("the first occurrence's values stay in the position map")
	}
	if pos, ok := tree.Pos("/a/y"); !ok || pos.Column != 49 {
		t.Errorf("Pos(/a/y) = %+v, %v", pos, ok)
	}
	keys := map[string]int{"/z": 2, "/a": 38, "/a/y": 44, "/m": 30}
	for ptr, col := range keys {
		if pos, ok := tree.KeyPos(ptr); !ok || pos.Column != col {
			t.Errorf("KeyPos(%s) = %+v, %v; want column %d", ptr, pos, ok, col)
		}
	}
	for _, ptr := range []string{"", "/a/x", "/nope"} {
		if pos, ok := tree.KeyPos(ptr); ok {
			t.Errorf("KeyPos(%q) = %+v, want none", ptr, pos)
		}
	}
	arr, err := Parse([]byte(`{"k\"\\": [1, {"x" : 2}]}`), 64)
	if err != nil {
		t.Fatal(err)
	}
	if pos, ok := arr.KeyPos("/k\"\\"); !ok || pos.Column != 2 {
		t.Errorf("KeyPos of an escaped key = %+v, %v", pos, ok)
	}
	if _, ok := arr.KeyPos("/k\"\\/0"); ok {
		t.Error("an array element has no key")
	}
	if pos, ok := arr.KeyPos("/k\"\\/1/x"); !ok || pos.Column != 16 {
		t.Errorf("KeyPos(x) = %+v, %v", pos, ok)
	}
	if got := Kind(tree.Value.(map[string]any)["z"]); got != "an integer" {
		t.Errorf("Kind = %s", got)
	}
}
