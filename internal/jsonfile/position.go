package jsonfile

import (
	"bytes"
	"sort"
	"strings"
	"unicode/utf8"
)

// Position is a place in a file as written.
type Position struct {
	Line   int // 1-based
	Column int // 1-based, in Unicode code points (a UTF-8 BOM is not counted)
	Offset int // 0-based byte offset into the file (a BOM is counted)
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Lines turns byte offsets of one file into positions. Building it indexes
// the line starts once, so that many positions in a large file cost a
// binary search each.
type Lines struct {
	raw    []byte
	bom    int   // 3 when raw starts with a UTF-8 BOM
	starts []int // byte offset where each line starts
}

// NewLines indexes raw.
func NewLines(raw []byte) *Lines {
	l := &Lines{raw: raw, starts: []int{0}}
	if bytes.HasPrefix(raw, utf8BOM) {
		l.bom = len(utf8BOM)
	}
	for i, b := range raw {
		if b == '\n' {
			l.starts = append(l.starts, i+1)
		}
	}
	return l
}

// Position returns the line and column of the byte at off, clamped to the
// file. A column counts code points, the convention of every skillgate
// message; a BOM is not a column.
func (l *Lines) Position(off int) Position {
	off = min(max(off, 0), len(l.raw))
	// starts[i] is the start of line i+1; find the last start <= off.
	i := max(sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > off })-1, 0)
	start := l.starts[i]
	if i == 0 {
		start = l.bom
	}
	off = max(off, start)
	return Position{Line: i + 1, Column: utf8.RuneCount(l.raw[start:off]) + 1, Offset: off}
}

// PositionOf is NewLines(raw).Position(off), for a single position.
func PositionOf(raw []byte, off int) Position {
	return NewLines(raw).Position(off)
}

// EscapePointer escapes one reference token of an RFC 6901 JSON pointer.
func EscapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// UnescapePointer undoes EscapePointer.
func UnescapePointer(s string) string {
	if !strings.Contains(s, "~") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}
