package jsonfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Tree is one JSON value read with the byte offset of every value in it,
// keyed by RFC 6901 pointer.
type Tree struct {
	Value any // decoded with UseNumber: objects are map[string]any, arrays []any

	// Duplicates are the keys that appear twice in one object, at their
	// second occurrence; Value keeps the last, as JavaScript's JSON.parse
	// (and so ask-cli) does.
	Duplicates []Duplicate

	lines *Lines
	pos   map[string]int // pointer -> byte offset of the value
}

// Duplicate is a key that repeats in an object.
type Duplicate struct {
	Key     string
	Pointer string // of the member
	Offset  int    // of the repeated key
}

// SyntaxError is JSON that does not parse, at the offending byte.
type SyntaxError struct {
	Offset int    // byte offset into the file, a BOM counted
	Msg    string // what is wrong, with a hint where one helps
}

func (e *SyntaxError) Error() string { return "invalid JSON: " + e.Msg }

// DepthError is nesting deeper than Parse's limit.
type DepthError struct {
	Offset   int    // of the object or array one level too deep
	Pointer  string // of that value
	MaxDepth int
}

func (e *DepthError) Error() string {
	return fmt.Sprintf("nesting is deeper than %d levels", e.MaxDepth)
}

// Parse reads exactly one JSON value from raw, a UTF-8 BOM allowed before
// it. A syntax error is a *SyntaxError; nesting deeper than maxDepth is a
// *DepthError. On an error the Tree holds no value (and, past a depth
// error, the duplicates found before it), and its Position still places
// the error. Invalid UTF-8 is not an error here (encoding/json replaces
// it); callers that care check utf8.Valid.
func Parse(raw []byte, maxDepth int) (*Tree, error) {
	t := &Tree{lines: NewLines(raw), pos: map[string]int{}}
	body := raw[t.lines.bom:]
	if err := t.syntax(body); err != nil {
		return t, err
	}
	p := &parser{tree: t, body: body, bom: t.lines.bom, max: maxDepth, dec: json.NewDecoder(bytes.NewReader(body))}
	p.dec.UseNumber()
	v, err := p.value("", 0)
	if err != nil {
		// The positions gathered so far describe a value that is not
		// returned, so drop them.
		t.pos = map[string]int{}
		return t, err
	}
	t.Value = v
	return t, nil
}

// syntax checks the whole body with encoding/json's scanner, whose
// SyntaxError.Offset counts the bytes read up to and including the
// offending one. (Decoder.Token reports offsets relative to the value it was
// decoding and accepts trailing data, so it cannot be used for this.)
func (t *Tree) syntax(body []byte) error {
	if json.Valid(body) { // the common case, without Unmarshal's copy
		return nil
	}
	var raw json.RawMessage
	err := json.Unmarshal(body, &raw)
	if err == nil {
		return nil
	}
	bom := t.lines.bom
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return &SyntaxError{Offset: bom + len(body), Msg: err.Error()}
	}
	off := int(se.Offset) - 1
	msg := se.Error()
	if strings.Contains(msg, "exceeded max depth") {
		// encoding/json's own limit (10000 levels): everything before it
		// is valid, so the parser reaches the caller's smaller limit first
		// and reports it as depth, not syntax.
		return nil
	}
	if off < 0 || off >= len(body) || strings.Contains(msg, "unexpected end") {
		return &SyntaxError{Offset: bom + len(body), Msg: "the file ends in the middle of a value: a closing } or ] or \" is missing"}
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
	return &SyntaxError{Offset: bom + off, Msg: msg}
}

type parser struct {
	tree *Tree
	body []byte
	bom  int
	max  int
	dec  *json.Decoder
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
	return off + p.bom
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
	p.tree.pos[ptr] = at
	delim, ok := tok.(json.Delim)
	if !ok {
		return tok, nil
	}
	if depth+1 > p.max {
		return nil, &DepthError{Offset: at, Pointer: ptr, MaxDepth: p.max}
	}
	if delim == '{' {
		return p.object(ptr, depth)
	}
	a := []any{}
	for i := 0; p.dec.More(); i++ {
		v, err := p.value(ptr+"/"+strconv.Itoa(i), depth+1)
		if err != nil {
			return nil, err
		}
		a = append(a, v)
	}
	_, err = p.dec.Token()
	return a, err
}

func (p *parser) object(ptr string, depth int) (any, error) {
	m := map[string]any{}
	for p.dec.More() {
		kat := p.start()
		ktok, err := p.dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := ktok.(string)
		child := ptr + "/" + EscapePointer(key)
		if _, dup := m[key]; dup {
			p.tree.Duplicates = append(p.tree.Duplicates, Duplicate{Key: key, Pointer: child, Offset: kat})
			p.tree.forget(child)
		}
		v, err := p.value(child, depth+1)
		if err != nil {
			return nil, err
		}
		m[key] = v
	}
	_, err := p.dec.Token()
	return m, err
}

// forget drops the positions under ptr, so that the values of a duplicated
// key's first occurrence do not stay in the map once the second replaces it.
func (t *Tree) forget(ptr string) {
	prefix := ptr + "/"
	for k := range t.pos {
		if k == ptr || strings.HasPrefix(k, prefix) {
			delete(t.pos, k)
		}
	}
}

// Position returns the line and column of a byte offset in the file.
func (t *Tree) Position(off int) Position { return t.lines.Position(off) }

// Offset returns the byte offset of the value at pointer, if there is one.
func (t *Tree) Offset(pointer string) (int, bool) {
	if t == nil {
		return 0, false
	}
	off, ok := t.pos[pointer]
	return off, ok
}

// KeyPos returns the position of the key of the object member at pointer
// (its opening quote), for messages about the key itself.
func (t *Tree) KeyPos(pointer string) (Position, bool) {
	off, ok := t.Offset(pointer)
	if !ok || pointer == "" {
		return Position{}, false
	}
	if _, isObj := t.parent(pointer).(map[string]any); !isObj {
		return Position{}, false
	}
	// The file parsed, so before the value there is only whitespace, the
	// ':' and the key: a string whose opening quote is the first '"' before
	// its closing one that no backslash escapes.
	raw := t.lines.raw
	i := off - 1
	for i >= 0 && strings.IndexByte(" \t\r\n:", raw[i]) >= 0 {
		i--
	}
	for i--; i >= 0; i-- {
		if raw[i] != '"' {
			continue
		}
		n := 0
		for j := i - 1; j >= 0 && raw[j] == '\\'; j-- {
			n++
		}
		if n%2 == 0 {
			return t.lines.Position(i), true
		}
	}
	return Position{}, false
}

// parent returns the value holding the one at pointer.
func (t *Tree) parent(pointer string) any {
	v, _ := Resolve(t.Value, pointer[:strings.LastIndexByte(pointer, '/')])
	return v
}

// Pos returns the position of the value at pointer (RFC 6901). For a
// property that does not exist it returns the position of the nearest
// enclosing object or array that does: the one that lacks it. It reports
// false when the pointer leads through a scalar or nothing was parsed.
func (t *Tree) Pos(pointer string) (Position, bool) {
	if t == nil || t.Value == nil && len(t.pos) == 0 {
		return Position{}, false
	}
	p := pointer
	for {
		if off, ok := t.pos[p]; ok {
			if p != pointer {
				switch v, _ := Resolve(t.Value, p); v.(type) {
				case map[string]any, []any:
				default:
					return Position{}, false
				}
			}
			return t.lines.Position(off), true
		}
		if p == "" {
			return Position{}, false
		}
		p = p[:strings.LastIndexByte(p, '/')]
	}
}

// Pointers returns every pointer in the position map, sorted.
func (t *Tree) Pointers() []string {
	if t == nil {
		return nil
	}
	out := make([]string, 0, len(t.pos))
	for k := range t.pos {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Keys returns the keys of the object at pointer in the order the file
// writes them, each once.
func (t *Tree) Keys(pointer string) []string {
	v, _ := Resolve(t.Value, pointer)
	m, _ := v.(map[string]any)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return t.pos[pointer+"/"+EscapePointer(keys[i])] < t.pos[pointer+"/"+EscapePointer(keys[j])]
	})
	return keys
}

// Resolve walks an RFC 6901 pointer through a decoded JSON value.
func Resolve(v any, pointer string) (any, bool) {
	if pointer == "" {
		return v, true
	}
	if pointer[0] != '/' {
		return nil, false
	}
	for _, tok := range strings.Split(pointer[1:], "/") {
		tok = UnescapePointer(tok)
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

// Kind names a decoded JSON value's type the way messages spell it.
func Kind(v any) string {
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
