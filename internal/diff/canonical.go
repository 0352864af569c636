// Package diff compares documents: a skill manifest or interaction model
// kept in a repository with the one SMAPI serves. It renders the result for
// a terminal and for machines (JSON); internal/plan reads the live side and
// renders the pull-request comment.
//
// Both sides are first brought to a canonical form (sorted keys, two-space
// indent, numbers as written) so that what the service rewrites on its own
// (key order, number spelling, hosted icon URLs, endpoints the infrastructure
// owns) never shows up as a change. The same canonical form feeds the sha256
// in the plan marker, which the deploy recomputes to detect drift.
package diff

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
	"strings"
	"unicode/utf8"
)

// Canonical returns raw re-encoded with object keys sorted, a two-space
// indent, no HTML escaping and numbers spelled exactly as written, followed
// by a newline. Two documents that differ only in key order or whitespace
// have the same canonical form.
func Canonical(raw []byte) ([]byte, error) {
	v, err := decode(raw)
	if err != nil {
		return nil, err
	}
	return encodeIndent(v)
}

// SHA256 returns the lowercase hex sha256 of the canonical form of raw. The
// plan marker carries it for the live manifest, and the deploy recomputes it
// with this same function, so both ends agree byte for byte.
func SHA256(raw []byte) (string, error) {
	c, err := Canonical(raw)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(c)
	return hex.EncodeToString(sum[:]), nil
}

// decode parses exactly one JSON value, keeping numbers as json.Number so
// their spelling survives the round trip. A leading UTF-8 byte order mark,
// which some Windows editors write, is skipped.
func decode(raw []byte) (any, error) {
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

// encodeIndent writes the canonical form of a decoded value. It produces
// exactly what encoding/json's Encoder does with SetEscapeHTML(false) and a
// two-space indent (a test holds it to that), without the reflection and the
// second indenting pass, which made up a quarter of a Compare.
func encodeIndent(v any) ([]byte, error) {
	b, err := appendCanonical(make([]byte, 0, 4096), v, 0)
	if err != nil {
		return nil, fmt.Errorf("encoding the canonical form: %w", err)
	}
	return append(b, '\n'), nil
}

func appendCanonical(b []byte, v any, depth int) ([]byte, error) {
	var err error
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case string:
		return appendString(b, v)
	case json.Number:
		return append(b, v...), nil // decode only makes valid numbers
	case []any:
		if len(v) == 0 {
			return append(b, "[]"...), nil
		}
		b = append(b, '[')
		for i, e := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = newline(b, depth+1)
			if b, err = appendCanonical(b, e, depth+1); err != nil {
				return nil, err
			}
		}
		return append(newline(b, depth), ']'), nil
	case map[string]any:
		if len(v) == 0 {
			return append(b, "{}"...), nil
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = newline(b, depth+1)
			if b, err = appendString(b, k); err != nil {
				return nil, err
			}
			b = append(b, ": "...)
			if b, err = appendCanonical(b, v[k], depth+1); err != nil {
				return nil, err
			}
		}
		return append(newline(b, depth), '}'), nil
	}
	return nil, fmt.Errorf("unexpected %T in a decoded document", v)
}

func newline(b []byte, depth int) []byte {
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

// compact encodes one value on one line without HTML escaping; it is used for
// the Before and After of a Change.
func compact(v any) (json.RawMessage, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encoding a changed value: %w", err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// numbersEqual reports whether two JSON numbers denote the same value,
// whatever their spelling ("1", "1.0", "10e-1"). It works on the decimal
// digits rather than through big.Rat so a hostile exponent such as 1e999999999
// cannot make it allocate or spin.
func numbersEqual(a, b json.Number) bool {
	if a == b {
		return true
	}
	na, oka := normalizeNumber(string(a))
	nb, okb := normalizeNumber(string(b))
	return oka && okb && na == nb
}

type normNumber struct {
	neg    bool
	digits string // significant digits, no leading or trailing zeros; "" for zero
	exp    int64  // value = digits × 10^exp
}

func normalizeNumber(s string) (normNumber, bool) {
	var n normNumber
	if strings.HasPrefix(s, "-") {
		n.neg = true
		s = s[1:]
	}
	mant, expPart, hasExp := strings.Cut(strings.ToLower(s), "e")
	if hasExp {
		e, err := strconv.ParseInt(strings.TrimPrefix(expPart, "+"), 10, 32)
		if err != nil {
			return n, false
		}
		n.exp = e
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	if intPart == "" && frac == "" {
		return n, false
	}
	digits := intPart + frac
	for _, r := range digits {
		if r < '0' || r > '9' {
			return n, false
		}
	}
	n.exp -= int64(len(frac))
	digits = strings.TrimLeft(digits, "0")
	trimmed := strings.TrimRight(digits, "0")
	n.exp += int64(len(digits) - len(trimmed))
	n.digits = trimmed
	if n.digits == "" {
		return normNumber{}, true // -0 and 0.000 are zero
	}
	return n, true
}
