// Package jsoncanon brings JSON documents to skillgate's canonical form:
// object keys sorted, no HTML escaping, numbers spelled exactly as written,
// either indented by two spaces (what the diff shows and the plan marker
// hashes) or on one line (what the simulator stores and serves).
//
// Two documents that differ only in key order or white space have the same
// canonical form. That is what lets the plan ignore what the service
// rewrites on its own, lets the deploy recompute the plan's sha256 to detect
// drift, lets the client tell an applied retry from a conflict, and gives
// the simulator ETags that depend on content only. One encoder serves all of
// them, so they agree byte for byte.
package jsoncanon

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Indent returns raw re-encoded with object keys sorted, a two-space indent,
// no HTML escaping and numbers spelled exactly as written, followed by a
// newline.
func Indent(raw []byte) ([]byte, error) {
	v, err := Decode(raw)
	if err != nil {
		return nil, err
	}
	return MarshalIndent(v)
}

// SHA256 returns the lowercase hex sha256 of Indent(raw). The plan marker
// carries it for the live manifest and models, and the deploy recomputes it
// with this same function, so both ends agree byte for byte.
func SHA256(raw []byte) (string, error) {
	c, err := Indent(raw)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(c)
	return hex.EncodeToString(sum[:]), nil
}

// Equal reports whether a and b are the same JSON document: valid, and equal
// but for key order, white space and escapes. Numbers compare by spelling.
func Equal(a, b []byte) bool {
	va, err := Decode(a)
	if err != nil {
		return false
	}
	vb, err := Decode(b)
	if err != nil {
		return false
	}
	ca, err := MarshalCompact(va)
	if err != nil {
		return false
	}
	cb, err := MarshalCompact(vb)
	return err == nil && bytes.Equal(ca, cb)
}

// Decode parses exactly one JSON value, keeping numbers as json.Number so
// their spelling survives the round trip. A leading UTF-8 byte order mark,
// which some Windows editors write, is skipped. Errors give the line and
// column of the mistake.
func Decode(raw []byte) (any, error) {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty document: expected a JSON object")
		}
		return nil, syntaxError(raw, err)
	}
	end := dec.InputOffset()
	if rest := bytes.TrimLeft(raw[end:], " \t\r\n"); len(rest) > 0 {
		line, col := position(raw, int64(len(raw)-len(rest)))
		return nil, fmt.Errorf("line %d, column %d: unexpected data after the JSON value; a manifest holds exactly one object", line, col)
	}
	return v, nil
}

// syntaxError adds a line and column to the decoder's byte offset, so the
// user can find the mistake in an editor. The offset counts the bytes read,
// so the offending character is the one before it.
func syntaxError(raw []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := position(raw, se.Offset-1)
		return fmt.Errorf("line %d, column %d: not valid JSON: %w", line, col, err)
	}
	return fmt.Errorf("not valid JSON: %w", err)
}

// position turns a byte offset into a 1-based line and a 1-based column
// counted in Unicode code points, as every other skillgate message does.
func position(raw []byte, off int64) (line, col int) {
	if off > int64(len(raw)) {
		off = int64(len(raw))
	}
	if off < 0 {
		off = 0
	}
	before := raw[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	if i := bytes.LastIndexByte(before, '\n'); i >= 0 {
		before = before[i+1:]
	}
	return line, len([]rune(string(before))) + 1
}

// MarshalIndent writes the canonical, indented form of a value Decode
// returned (nil, bool, string, json.Number, []any, map[string]any),
// followed by a newline. It produces exactly what encoding/json's Encoder
// does with SetEscapeHTML(false) and a two-space indent (a test holds it to
// that), without the reflection and the second indenting pass, which made
// up a quarter of a diff.
func MarshalIndent(v any) ([]byte, error) {
	b, err := encoder{indent: true}.append(make([]byte, 0, 4096), v, 0)
	if err != nil {
		return nil, fmt.Errorf("encoding the canonical form: %w", err)
	}
	return append(b, '\n'), nil
}

// MarshalCompact writes the canonical form of a value Decode returned on one
// line, without a trailing newline: what encoding/json's Encoder writes
// with SetEscapeHTML(false), less its newline.
func MarshalCompact(v any) ([]byte, error) {
	b, err := encoder{}.append(nil, v, 0)
	if err != nil {
		return nil, fmt.Errorf("encoding the canonical form: %w", err)
	}
	return b, nil
}

// encoder writes decoded values; indent chooses between the two layouts.
type encoder struct{ indent bool }

func (e encoder) append(b []byte, v any, depth int) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case string:
		return appendString(b, v)
	case json.Number:
		return append(b, v...), nil // Decode only makes valid numbers
	case []any:
		return e.appendArray(b, v, depth)
	case map[string]any:
		return e.appendObject(b, v, depth)
	}
	return nil, fmt.Errorf("unexpected %T in a decoded document", v)
}

func (e encoder) appendArray(b []byte, v []any, depth int) ([]byte, error) {
	if len(v) == 0 {
		return append(b, "[]"...), nil
	}
	var err error
	b = append(b, '[')
	for i, el := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = e.newline(b, depth+1)
		if b, err = e.append(b, el, depth+1); err != nil {
			return nil, err
		}
	}
	return append(e.newline(b, depth), ']'), nil
}

func (e encoder) appendObject(b []byte, v map[string]any, depth int) ([]byte, error) {
	if len(v) == 0 {
		return append(b, "{}"...), nil
	}
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var err error
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = e.newline(b, depth+1)
		if b, err = appendString(b, k); err != nil {
			return nil, err
		}
		b = append(b, ':')
		if e.indent {
			b = append(b, ' ')
		}
		if b, err = e.append(b, v[k], depth+1); err != nil {
			return nil, err
		}
	}
	return append(e.newline(b, depth), '}'), nil
}

// newline starts a new line indented to depth; on one line it writes nothing.
func (e encoder) newline(b []byte, depth int) []byte {
	if !e.indent {
		return b
	}
	b = append(b, '\n')
	for range depth {
		b = append(b, "  "...)
	}
	return b
}

// appendString quotes s. Almost every manifest string needs no escaping and
// is copied as is; the rest go through encoding/json so the escapes (\n,
// \u2028, replacement of invalid UTF-8) match it exactly.
func appendString(b []byte, s string) ([]byte, error) {
	plain := utf8.ValidString(s)
	for i := 0; plain && i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c == 0xE2 { // 0xE2 leads U+2028 and U+2029
			plain = false
		}
	}
	if plain {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"'), nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return append(b, bytes.TrimRight(buf.Bytes(), "\n")...), nil
}
