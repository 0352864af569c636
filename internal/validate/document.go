package validate

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/skillgate/skillgate/internal/jsonfile"
)

// MaxFileSize is the largest file skillgate reads (5 MiB). SMAPI's own
// limits are far smaller; anything bigger is a mistake, and refusing early
// keeps a stray binary from being read into memory.
const MaxFileSize = 5 << 20

// MaxDepth is the deepest nesting of objects and arrays accepted. A real
// skill.json is under 10 levels deep, an interaction model under 12.
const MaxDepth = 64

// Position is a place in a file as written.
type Position = jsonfile.Position

// FileKind is what a file of the package is, so that messages about the
// file as a whole (empty, too large, not an object) say what it should be.
type FileKind int

// The kinds of file in a skill package.
const (
	ManifestFile FileKind = iota // skill.json
	ModelFile                    // interactionModels/custom/<locale>.json
)

// article is the kind with its article: "a skill.json".
func (k FileKind) article() string {
	if k == ModelFile {
		return "an interaction model"
	}
	return "a skill.json"
}

// shape is what the file holds, for "a skill.json holds one JSON object, …".
func (k FileKind) shape() string {
	if k == ModelFile {
		return `{"interactionModel": {"languageModel": {...}}}`
	}
	return `{"manifest": {...}}`
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Document is one JSON file read strictly, with the position of every value.
type Document struct {
	Path  string // display path, slash-separated, as the user gave it
	Raw   []byte // bytes as read (BOM included)
	Value any    // decoded with UseNumber; nil when the file did not parse

	// tree places offsets and values; it is nil for a file too large or
	// empty to parse, and holds no positions when the file did not parse.
	tree *jsonfile.Tree
}

// ParseDocument reads a skill.json strictly; see ParseFile.
func ParseDocument(path string, raw []byte) (*Document, []Finding) {
	return ParseFile(ManifestFile, path, raw)
}

// ParseFile reads raw, a file of the given kind, strictly: on top of JSON
// syntax it reports duplicate keys (encoding/json silently keeps the last
// one), invalid UTF-8 (encoding/json silently replaces it), nesting deeper
// than MaxDepth, files over MaxFileSize, an empty file and a top level that
// is not an object. A UTF-8 BOM is accepted. Findings carry the exact
// position of the problem.
func ParseFile(kind FileKind, path string, raw []byte) (*Document, []Finding) {
	d := &Document{Path: path, Raw: raw}
	if len(raw) > MaxFileSize {
		d.Raw = nil
		return d, []Finding{d.tooLarge(kind)}
	}
	body := bytes.TrimPrefix(raw, utf8BOM)
	if len(bytes.TrimLeft(body, " \t\r\n")) == 0 {
		return d, []Finding{d.fileFinding("json.empty",
			fmt.Sprintf("the file is empty: %s holds one JSON object, %s", kind.article(), kind.shape()))}
	}
	tree, err := jsonfile.Parse(raw, MaxDepth)
	d.tree = tree
	var out []Finding
	if !utf8.Valid(body) {
		off := firstInvalidUTF8(body) + len(raw) - len(body)
		out = append(out, d.at(off, "", "json.invalid-utf8",
			fmt.Sprintf("byte 0x%02X is not valid UTF-8: save the file as UTF-8", raw[off])))
	}
	for _, dup := range tree.Duplicates {
		out = append(out, d.at(dup.Offset, dup.Pointer, "json.duplicate-key",
			fmt.Sprintf("key %q appears twice in this object; JSON readers keep only the last one, so remove one of them", dup.Key)))
	}
	var se *jsonfile.SyntaxError
	var de *jsonfile.DepthError
	switch {
	case errors.As(err, &se):
		return d, append(out, d.at(se.Offset, "", "json.syntax", se.Error()))
	case errors.As(err, &de):
		return d, append(out, d.at(de.Offset, de.Pointer, "json.too-deep",
			fmt.Sprintf("nesting is deeper than %d levels; %s is never this deep", MaxDepth, kind.article())))
	case err != nil: // the syntax check passed, so the decoder cannot fail
		return d, append(out, d.at(len(raw), "", "json.syntax", "invalid JSON: "+err.Error()))
	}
	d.Value = tree.Value
	if _, ok := d.Value.(map[string]any); !ok {
		off, _ := tree.Offset("")
		out = append(out, d.at(off, "", "json.not-object",
			fmt.Sprintf("the file holds %s; %s holds one JSON object, %s", jsonfile.Kind(d.Value), kind.article(), kind.shape())))
	}
	return d, out
}

// tooLarge is the finding for a file over MaxFileSize, which is not read.
func (d *Document) tooLarge(kind FileKind) Finding {
	return d.fileFinding("json.too-large",
		fmt.Sprintf("the file is larger than %d MiB; skillgate does not read it: is this really %s?", MaxFileSize>>20, kind.article()))
}

// Pos returns the position of the value at pointer (RFC 6901). For a
// property that does not exist it returns the position of the nearest
// enclosing object or array that does: the one that lacks it. It reports
// false when the pointer leads through a scalar or the file did not parse.
func (d *Document) Pos(pointer string) (Position, bool) {
	if d == nil {
		return Position{}, false
	}
	return d.tree.Pos(pointer)
}

// Pointers returns every pointer in the position map, sorted.
func (d *Document) Pointers() []string {
	return d.tree.Pointers()
}

// at makes a finding at a byte offset.
func (d *Document) at(off int, ptr, rule, msg string) Finding {
	pos := d.tree.Position(off)
	return Finding{File: d.Path, Pointer: ptr, Line: pos.Line, Column: pos.Column,
		Severity: severityOf(rule), Rule: rule, Message: msg}
}

// fileFinding is about the file as a whole (empty, too large): it sits at
// the file's first character.
func (d *Document) fileFinding(rule, msg string) Finding {
	return Finding{File: d.Path, Line: 1, Column: 1, Severity: severityOf(rule), Rule: rule, Message: msg}
}

// find makes a finding about the value at ptr, positioned by the map. It
// reports false when the map has no position for it, so no finding ever
// carries a made-up position.
func (d *Document) find(ptr, rule, msg string) (Finding, bool) {
	pos, ok := d.Pos(ptr)
	if !ok {
		return Finding{}, false
	}
	return Finding{File: d.Path, Pointer: ptr, Line: pos.Line, Column: pos.Column,
		Severity: severityOf(rule), Rule: rule, Message: msg}, true
}

// findKey is find for a finding about a member's key rather than its value
// (a misspelt key): it sits at the key's opening quote.
func (d *Document) findKey(ptr, rule, msg string) (Finding, bool) {
	pos, ok := d.tree.KeyPos(ptr)
	if !ok {
		return d.find(ptr, rule, msg)
	}
	return Finding{File: d.Path, Pointer: ptr, Line: pos.Line, Column: pos.Column,
		Severity: severityOf(rule), Rule: rule, Message: msg}, true
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return 0
}
