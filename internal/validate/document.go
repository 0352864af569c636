package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxFileSize is the largest file skillgate reads (5 MiB). SMAPI's own
// limits are far smaller; anything bigger is a mistake, and refusing early
// keeps a stray binary from being read into memory.
const MaxFileSize = 5 << 20

// MaxDepth is the deepest nesting of objects and arrays accepted. A real
// skill.json is under 10 levels deep.
const MaxDepth = 64

// Position is a place in a file as written.
type Position struct {
	Line   int // 1-based
	Column int // 1-based, in Unicode code points (a UTF-8 BOM is not counted)
	Offset int // 0-based byte offset into Document.Raw (a BOM is counted)
}

// Document is one JSON file read strictly, with the position of every value.
type Document struct {
	Path  string // display path, slash-separated, as the user gave it
	Raw   []byte // bytes as read (BOM included)
	Value any    // decoded with UseNumber; nil when the file did not parse

	bom   int            // 3 when Raw starts with a UTF-8 BOM
	lines []int          // byte offset in Raw where each line starts
	pos   map[string]int // RFC 6901 pointer -> byte offset of the value in Raw
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// ParseDocument reads raw strictly: on top of JSON syntax it reports
// duplicate keys (encoding/json silently keeps the last one), invalid UTF-8
// (encoding/json silently replaces it), nesting deeper than MaxDepth, files
// over MaxFileSize, an empty file and a top level that is not an object. A
// UTF-8 BOM is accepted. Findings carry the exact position of the problem.
func ParseDocument(path string, raw []byte) (*Document, []Finding) {
	d := &Document{Path: path, Raw: raw, pos: map[string]int{}}
	if len(raw) > MaxFileSize {
		d.Raw = nil
		return d, []Finding{d.fileFinding("json.too-large",
			fmt.Sprintf("the file is larger than %d MiB; skillgate does not read it: is this really a skill.json?", MaxFileSize>>20))}
	}
	if bytes.HasPrefix(raw, utf8BOM) {
		d.bom = len(utf8BOM)
	}
	d.lines = lineStarts(raw)
	body := raw[d.bom:]
	var out []Finding
	if len(bytes.TrimLeft(body, " \t\r\n")) == 0 {
		return d, append(out, d.fileFinding("json.empty", "the file is empty: a skill.json holds one JSON object, {\"manifest\": {...}}"))
	}
	if !utf8.Valid(body) {
		off := firstInvalidUTF8(body) + d.bom
		out = append(out, d.at(off, "", "json.invalid-utf8",
			fmt.Sprintf("byte 0x%02X is not valid UTF-8: save the file as UTF-8", raw[off])))
	}
	if f, ok := d.syntax(body); !ok {
		return d, append(out, f)
	}
	p := &parser{doc: d, body: body, dec: json.NewDecoder(bytes.NewReader(body))}
	p.dec.UseNumber()
	v, err := p.value("", 0)
	out = append(out, p.findings...)
	if err != nil {
		// Too deep: the positions gathered so far describe a value that is
		// not returned, so drop them.
		d.pos = map[string]int{}
		return d, out
	}
	d.Value = v
	switch v.(type) {
	case map[string]any:
	case nil:
		out = append(out, d.at(d.pos[""], "", "json.not-object", "the file holds null; a skill.json holds one JSON object, {\"manifest\": {...}}"))
	default:
		out = append(out, d.at(d.pos[""], "", "json.not-object",
			fmt.Sprintf("the file holds %s; a skill.json holds one JSON object, {\"manifest\": {...}}", kindOf(v))))
	}
	return d, out
}

// syntax checks the whole body with encoding/json's scanner, whose
// SyntaxError.Offset counts the bytes read up to and including the
// offending one. (Decoder.Token reports offsets relative to the value it was
// decoding and accepts trailing data, so it cannot be used for this.)
func (d *Document) syntax(body []byte) (Finding, bool) {
	if json.Valid(body) { // the common case, without Unmarshal's copy
		return Finding{}, true
	}
	var raw json.RawMessage
	err := json.Unmarshal(body, &raw)
	if err == nil {
		return Finding{}, true
	}
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return d.at(d.bom+len(body), "", "json.syntax", "invalid JSON: "+err.Error()), false
	}
	off := int(se.Offset) - 1
	msg := se.Error()
	if off < 0 || off >= len(body) || strings.Contains(msg, "unexpected end") {
		return d.at(d.bom+len(body), "", "json.syntax",
			"invalid JSON: the file ends in the middle of a value: a closing } or ] or \" is missing"), false
	}
	switch {
	case strings.Contains(msg, "after object key:value pair"), strings.Contains(msg, "after array element"):
		msg += ": is a comma missing before it?"
	case strings.Contains(msg, "looking for beginning of object key string") && body[off] == '}',
		strings.Contains(msg, "looking for beginning of value") && body[off] == ']':
		msg += ": JSON allows no comma before a closing bracket"
	case strings.Contains(msg, "after top-level value"):
		msg += ": the file holds more than one JSON value"
	}
	return d.at(d.bom+off, "", "json.syntax", "invalid JSON: "+msg), false
}

var errTooDeep = errors.New("too deep")

type parser struct {
	doc      *Document
	body     []byte
	dec      *json.Decoder
	findings []Finding
}

// start is where the next token begins: the decoder's offset is the end of
// the previous token, and the separators between are skipped here.
func (p *parser) start() int {
	off := int(p.dec.InputOffset())
	for off < len(p.body) {
		switch p.body[off] {
		case ' ', '\t', '\r', '\n', ':', ',':
			off++
			continue
		}
		break
	}
	return off + p.doc.bom
}

// value reads one value whose pointer is ptr. The body has passed the syntax
// check, so Token errors cannot happen; they are still returned, not
// ignored.
func (p *parser) value(ptr string, depth int) (any, error) {
	at := p.start()
	tok, err := p.dec.Token()
	if err != nil {
		return nil, err
	}
	p.doc.pos[ptr] = at
	delim, ok := tok.(json.Delim)
	if !ok {
		return tok, nil
	}
	if depth+1 > MaxDepth {
		p.findings = append(p.findings, p.doc.at(at, ptr, "json.too-deep",
			fmt.Sprintf("nesting is deeper than %d levels; a skill.json is never this deep", MaxDepth)))
		return nil, errTooDeep
	}
	switch delim {
	case '{':
		m := map[string]any{}
		for p.dec.More() {
			kat := p.start()
			ktok, err := p.dec.Token()
			if err != nil {
				return nil, err
			}
			key, _ := ktok.(string)
			child := ptr + "/" + escapePointer(key)
			if _, dup := m[key]; dup {
				p.findings = append(p.findings, p.doc.at(kat, child, "json.duplicate-key",
					fmt.Sprintf("key %q appears twice in this object; JSON readers keep only the last one, so remove one of them", key)))
				p.doc.forget(child)
			}
			v, err := p.value(child, depth+1)
			if err != nil {
				return nil, err
			}
			m[key] = v
		}
		if _, err := p.dec.Token(); err != nil {
			return nil, err
		}
		return m, nil
	default: // '['
		a := []any{}
		for i := 0; p.dec.More(); i++ {
			v, err := p.value(ptr+"/"+strconv.Itoa(i), depth+1)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		if _, err := p.dec.Token(); err != nil {
			return nil, err
		}
		return a, nil
	}
}

// forget drops the positions under ptr, so that the values of a duplicated
// key's first occurrence do not stay in the map once the second replaces it.
func (d *Document) forget(ptr string) {
	prefix := ptr + "/"
	for k := range d.pos {
		if k == ptr || strings.HasPrefix(k, prefix) {
			delete(d.pos, k)
		}
	}
}

// Pos returns the position of the value at pointer (RFC 6901). For a
// property that does not exist it returns the position of the nearest
// enclosing object or array that does: the one that lacks it. It reports
// false when the pointer leads through a scalar or the file did not parse.
func (d *Document) Pos(pointer string) (Position, bool) {
	if d == nil || d.Value == nil && len(d.pos) == 0 {
		return Position{}, false
	}
	p := pointer
	for {
		if off, ok := d.pos[p]; ok {
			if p != pointer {
				if _, container := d.lookup(p).(map[string]any); !container {
					if _, arr := d.lookup(p).([]any); !arr {
						return Position{}, false
					}
				}
			}
			return d.position(off), true
		}
		if p == "" {
			return Position{}, false
		}
		p = p[:strings.LastIndexByte(p, '/')]
	}
}

// Pointers returns every pointer in the position map, sorted.
func (d *Document) Pointers() []string {
	out := make([]string, 0, len(d.pos))
	for k := range d.pos {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// lookup resolves pointer in the decoded value; nil when absent.
func (d *Document) lookup(pointer string) any {
	v, _ := resolve(d.Value, pointer)
	return v
}

// resolve walks an RFC 6901 pointer through a decoded JSON value.
func resolve(v any, pointer string) (any, bool) {
	if pointer == "" {
		return v, true
	}
	if pointer[0] != '/' {
		return nil, false
	}
	for _, tok := range strings.Split(pointer[1:], "/") {
		tok = unescapePointer(tok)
		switch c := v.(type) {
		case map[string]any:
			next, ok := c[tok]
			if !ok {
				return nil, false
			}
			v = next
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) || strconv.Itoa(i) != tok {
				return nil, false
			}
			v = c[i]
		default:
			return nil, false
		}
	}
	return v, true
}

func (d *Document) position(off int) Position {
	// lines[i] is the start of line i+1; find the last start <= off.
	i := sort.Search(len(d.lines), func(i int) bool { return d.lines[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	start := d.lines[i]
	if i == 0 {
		start = d.bom
	}
	if off < start {
		off = start
	}
	end := min(off, len(d.Raw))
	return Position{Line: i + 1, Column: utf8.RuneCount(d.Raw[start:end]) + 1, Offset: off}
}

// at makes a finding at a byte offset.
func (d *Document) at(off int, ptr, rule, msg string) Finding {
	pos := d.position(off)
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

func lineStarts(raw []byte) []int {
	starts := []int{0}
	for i, b := range raw {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
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

func escapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func unescapePointer(s string) string {
	if !strings.Contains(s, "~") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

// kindOf names a decoded JSON value's type the way messages spell it.
func kindOf(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		if _, err := t.Int64(); err == nil {
			return "an integer"
		}
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
