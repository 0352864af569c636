// Package migrate rewrites a v0 skill.json (top-level "skillManifest", the
// SMAPI v0 and ask-cli v1 format) as v1 (top-level "manifest").
//
// The rewrite is textual: the file is tokenised with encoding/json's Decoder,
// which reports where each token ends, and only the bytes of the renamed key
// are replaced. Key order, indentation, line endings and number spellings stay
// exactly as the author wrote them, so the change reviews as a one-line diff.
//
// Nothing is dropped silently: what the v0 file holds that SMAPI v1 does not
// accept is reported as a Note with its position and left in place for the
// author to decide (see the rules in notes.go).
package migrate

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/skillgate/skillgate/internal/jsonfile"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Keys of the skill.json envelope.
const (
	KeyV0 = "skillManifest"
	KeyV1 = "manifest"
)

// Note is something in the input that the user must look at. Line and
// Column are 1-based (Column in Unicode code points) and refer to the output,
// which is what the user will open; Pointer is an RFC 6901 pointer into it.
type Note struct {
	Pointer string
	Line    int
	Column  int
	Message string
}

func (n Note) String() string { return fmt.Sprintf("%d:%d: %s", n.Line, n.Column, n.Message) }

// Result is the outcome of Migrate.
type Result struct {
	// Output is the migrated file; the input itself when Changed is false.
	Output []byte
	// Changed is false when the input is already v1.
	Changed bool
	// Changes lists each rewrite made, at its position in Output.
	Changes []Note
	// Notes lists what v1 does not accept, or a JSON reader would lose,
	// left in place for the user.
	Notes []Note
}

// Error is a file Migrate cannot work on: not JSON, or not a skill.json.
type Error struct {
	Line, Column int
	Message      string
}

func (e *Error) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Column, e.Message) }

func errorAt(raw []byte, off int, msg string) *Error {
	pos := jsonfile.PositionOf(raw, off)
	return &Error{Line: pos.Line, Column: pos.Column, Message: msg}
}

// Migrate rewrites a v0 skill.json as v1. A v1 input comes back unchanged
// with Changed false. Input that is not valid JSON, or not an object holding
// exactly one of "skillManifest" and "manifest", is an *Error.
func Migrate(raw []byte) (*Result, error) {
	// A UTF-8 byte order mark is kept as it is but not parsed, and not
	// counted in columns (as the validator counts them).
	if bytes.HasPrefix(raw, utf8BOM) {
		res, err := Migrate(raw[len(utf8BOM):])
		if err != nil || !res.Changed {
			if res != nil {
				res.Output = raw
			}
			return res, err
		}
		res.Output = append(append([]byte(nil), utf8BOM...), res.Output...)
		return res, nil
	}
	root, err := parse(raw)
	if err != nil {
		return nil, err
	}
	if root.kind != '{' {
		return nil, errorAt(raw, root.start, `not a skill.json: the top level must be an object holding "manifest" (v1) or "skillManifest" (v0)`)
	}
	v0, hasV0 := root.member(KeyV0)
	v1, hasV1 := root.member(KeyV1)
	switch {
	case hasV0 && hasV1:
		pos := jsonfile.PositionOf(raw, v1.keyStart)
		return nil, errorAt(raw, v0.keyStart, fmt.Sprintf(`both "skillManifest" (v0) and "manifest" (v1, at %d:%d) are present: keep one and delete the other`, pos.Line, pos.Column))
	case !hasV0 && !hasV1:
		return nil, errorAt(raw, root.start, `not a skill.json: no "manifest" (v1) or "skillManifest" (v0) at the top level`)
	case !hasV0:
		return &Result{Output: raw}, nil
	}

	// Rename every top-level skillManifest (a repeated key too, so the
	// duplicate note below still makes sense in the output).
	var edits []edit
	for _, m := range root.members {
		if m.key == KeyV0 {
			edits = append(edits, edit{start: m.keyStart, end: m.keyEnd, text: `"` + KeyV1 + `"`})
		}
	}
	out := apply(raw, edits)
	res := &Result{Output: out, Changed: true}
	lines := jsonfile.NewLines(out)
	pos := func(off int) (int, int) {
		p := lines.Position(shift(edits, off))
		return p.Line, p.Column
	}
	at := func(off int, ptr, msg string) Note {
		line, col := pos(off)
		return Note{Pointer: renamePointer(ptr), Line: line, Column: col, Message: msg}
	}
	for _, e := range edits {
		res.Changes = append(res.Changes, at(e.start, "/"+KeyV0, `renamed "skillManifest" (v0) to "manifest" (v1)`))
	}
	for _, f := range check(raw, root, pos) {
		res.Notes = append(res.Notes, at(f.off, f.pointer, f.message))
	}
	sort.SliceStable(res.Notes, func(i, j int) bool {
		a, b := res.Notes[i], res.Notes[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return res, nil
}

// edit replaces raw[start:end] with text.
type edit struct {
	start, end int
	text       string
}

// apply performs edits, which must be sorted and must not overlap.
func apply(raw []byte, edits []edit) []byte {
	var b strings.Builder
	b.Grow(len(raw))
	last := 0
	for _, e := range edits {
		b.Write(raw[last:e.start])
		b.WriteString(e.text)
		last = e.end
	}
	b.Write(raw[last:])
	return []byte(b.String())
}

// shift maps an offset in the input to the same byte in the output.
func shift(edits []edit, off int) int {
	d := 0
	for _, e := range edits {
		if off >= e.end {
			d += len(e.text) - (e.end - e.start)
		}
	}
	return off + d
}

func renamePointer(p string) string {
	if p == "/"+KeyV0 || strings.HasPrefix(p, "/"+KeyV0+"/") {
		return "/" + KeyV1 + strings.TrimPrefix(p, "/"+KeyV0)
	}
	return p
}
