package project

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// node is one JSON value with the byte offset where it starts, so a wrong
// type can be reported at the line and column of the value itself.
// encoding/json's UnmarshalTypeError gives only an offset near the value,
// which is not good enough for a message that sends the user to the spot.
type node struct {
	off   int
	kind  kind
	str   string
	keys  []string // objects, in file order; duplicates kept
	vals  []*node
	elems []*node // arrays
}

type kind int

const (
	kindObject kind = iota + 1
	kindArray
	kindString
	kindNumber
	kindBool
	kindNull
)

func (k kind) String() string {
	switch k {
	case kindObject:
		return "an object"
	case kindArray:
		return "an array"
	case kindString:
		return "a string"
	case kindNumber:
		return "a number"
	case kindBool:
		return "a boolean"
	case kindNull:
		return "null"
	}
	return "nothing"
}

// get returns the member named key, the last one when the key repeats (as
// JavaScript's JSON.parse, and so ask-cli, reads it).
func (n *node) get(key string) *node {
	if n == nil || n.kind != kindObject {
		return nil
	}
	for i := len(n.keys) - 1; i >= 0; i-- {
		if n.keys[i] == key {
			return n.vals[i]
		}
	}
	return nil
}

// parseJSON reads exactly one JSON value from raw. Syntax errors are
// returned as *json.SyntaxError whose Offset is that of the offending byte
// (len(raw) at an unexpected end).
func parseJSON(raw []byte) (*node, error) {
	// The decoder's own syntax errors point at the start of the value it was
	// reading; Unmarshal's point just past the offending byte. Check with the
	// precise one first.
	if err := json.Unmarshal(raw, new(json.RawMessage)); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) && se.Offset > 0 && !isEOF(se) {
			se.Offset--
		}
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	p := &parser{dec: dec, raw: raw}
	n, err := p.value()
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			return nil, &json.SyntaxError{Offset: dec.InputOffset()}
		}
		return nil, err
	}
	return n, nil
}

type parser struct {
	dec *json.Decoder
	raw []byte
}

// token returns the next token and the offset of its first byte: the
// decoder reports where the previous token ended, and only whitespace and
// the separators ',' and ':' can sit between two tokens.
func (p *parser) token() (json.Token, int, error) {
	start := int(p.dec.InputOffset())
	tok, err := p.dec.Token()
	if err != nil {
		if err == io.EOF {
			return nil, start, &json.SyntaxError{Offset: int64(len(p.raw))}
		}
		return nil, start, err
	}
	for start < len(p.raw) {
		switch p.raw[start] {
		case ' ', '\t', '\r', '\n', ',', ':':
			start++
			continue
		}
		break
	}
	return tok, start, nil
}

func (p *parser) value() (*node, error) {
	tok, off, err := p.token()
	if err != nil {
		return nil, err
	}
	return p.valueFrom(tok, off)
}

func (p *parser) valueFrom(tok json.Token, off int) (*node, error) {
	n := &node{off: off}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n.kind = kindObject
			for {
				tok, koff, err := p.token()
				if err != nil {
					return nil, err
				}
				if tok == json.Delim('}') {
					return n, nil
				}
				key, ok := tok.(string)
				if !ok {
					return nil, &json.SyntaxError{Offset: int64(koff)}
				}
				v, err := p.value()
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, key)
				n.vals = append(n.vals, v)
			}
		case '[':
			n.kind = kindArray
			for {
				tok, eoff, err := p.token()
				if err != nil {
					return nil, err
				}
				if tok == json.Delim(']') {
					return n, nil
				}
				v, err := p.valueFrom(tok, eoff)
				if err != nil {
					return nil, err
				}
				n.elems = append(n.elems, v)
			}
		}
		return nil, &json.SyntaxError{Offset: int64(off)}
	case string:
		n.kind, n.str = kindString, t
	case json.Number:
		n.kind = kindNumber
	case bool:
		n.kind = kindBool
	case nil:
		n.kind = kindNull
	}
	return n, nil
}

// position turns a byte offset into a 1-based line and a 1-based column
// counted in Unicode code points, the convention every skillgate message uses.
func position(raw []byte, off int) (line, col int) {
	if off > len(raw) {
		off = len(raw)
	}
	if off < 0 {
		off = 0
	}
	before := raw[:off]
	line = bytes.Count(before, []byte{'\n'}) + 1
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	return line, utf8.RuneCount(before[lineStart:]) + 1
}

func isEOF(se *json.SyntaxError) bool {
	return se.Error() == "unexpected end of JSON input"
}

// errSyntax is wrapped by every syntax error so callers can tell a broken
// file from a missing one.
var errSyntax = errors.New("fix the JSON syntax at that position")

// syntaxError describes a decoder error at its line and column.
func syntaxError(file string, raw []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := position(raw, int(se.Offset))
		msg := se.Error()
		switch {
		case isEOF(se):
			msg = "unexpected end of file"
		case msg == "":
			msg = "unexpected token"
		}
		return fmt.Errorf("%s:%d:%d: invalid JSON: %s: %w", file, line, col, msg, errSyntax)
	}
	return fmt.Errorf("%s: invalid JSON: %w", file, err)
}
