package migrate

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/skillgate/skillgate/internal/jsonfile"
)

// value is one JSON value of the input with the byte range it occupies, so
// the rewrite can replace exactly the bytes of one token and leave every
// other byte (indentation, key order, line endings) as it was.
type value struct {
	start, end int    // raw[start:end] is the value as written
	pointer    string // RFC 6901 pointer to it
	kind       byte   // '{', '[', '"', '0' (number), 't' (true/false), 'n' (null)
	str        string // decoded string
	members    []member
	elems      []*value
}

type member struct {
	key              string
	keyStart, keyEnd int // raw[keyStart:keyEnd] is the key with its quotes
	val              *value
}

// get returns the last member named key (the one a JSON reader keeps).
func (v *value) get(key string) *value {
	if v == nil || v.kind != '{' {
		return nil
	}
	for i := len(v.members) - 1; i >= 0; i-- {
		if v.members[i].key == key {
			return v.members[i].val
		}
	}
	return nil
}

func (v *value) member(key string) (member, bool) {
	if v == nil || v.kind != '{' {
		return member{}, false
	}
	for i := len(v.members) - 1; i >= 0; i-- {
		if v.members[i].key == key {
			return v.members[i], true
		}
	}
	return member{}, false
}

// parse reads one JSON value from raw with the offsets of every token.
// A syntax error comes back as *Error with the position of the offending byte.
func parse(raw []byte) (*value, error) {
	// The decoder reports syntax errors at the start of the value it was
	// reading; Unmarshal just past the offending byte. Check with the precise
	// one first so the message points at the right character.
	if err := json.Unmarshal(raw, new(json.RawMessage)); err != nil {
		var se *json.SyntaxError
		if !errors.As(err, &se) {
			return nil, err
		}
		off := int(se.Offset)
		msg := se.Error()
		if msg == "unexpected end of JSON input" {
			msg, off = "unexpected end of file", len(raw)
		} else if off > 0 {
			off--
		}
		return nil, errorAt(raw, off, "invalid JSON: "+msg)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	p := &parser{dec: dec, raw: raw}
	v, err := p.value("")
	if err != nil {
		return nil, err
	}
	return v, nil
}

type parser struct {
	dec *json.Decoder
	raw []byte
}

// token returns the next token and the offsets of its bytes: the decoder
// reports where the previous token ended, and only whitespace and the
// separators ',' and ':' can sit between two tokens.
func (p *parser) token() (json.Token, int, int, error) {
	start := int(p.dec.InputOffset())
	tok, err := p.dec.Token()
	if err == io.EOF {
		return nil, 0, 0, errorAt(p.raw, len(p.raw), "invalid JSON: unexpected end of file")
	}
	if err != nil {
		return nil, 0, 0, errorAt(p.raw, start, "invalid JSON: "+err.Error())
	}
	for start < len(p.raw) && strings.IndexByte(" \t\r\n,:", p.raw[start]) >= 0 {
		start++
	}
	return tok, start, int(p.dec.InputOffset()), nil
}

func (p *parser) value(ptr string) (*value, error) {
	tok, start, end, err := p.token()
	if err != nil {
		return nil, err
	}
	return p.valueFrom(tok, start, end, ptr)
}

func (p *parser) valueFrom(tok json.Token, start, end int, ptr string) (*value, error) {
	v := &value{start: start, end: end, pointer: ptr}
	switch t := tok.(type) {
	case json.Delim:
		v.kind = byte(t)
		switch t {
		case '{':
			for {
				tok, ks, ke, err := p.token()
				if err != nil {
					return nil, err
				}
				if tok == json.Delim('}') {
					v.end = ke
					return v, nil
				}
				key, ok := tok.(string)
				if !ok {
					return nil, errorAt(p.raw, ks, "invalid JSON: expected an object key")
				}
				child, err := p.value(ptr + "/" + jsonfile.EscapePointer(key))
				if err != nil {
					return nil, err
				}
				v.members = append(v.members, member{key: key, keyStart: ks, keyEnd: ke, val: child})
			}
		case '[':
			for i := 0; ; i++ {
				tok, es, ee, err := p.token()
				if err != nil {
					return nil, err
				}
				if tok == json.Delim(']') {
					v.end = ee
					return v, nil
				}
				child, err := p.valueFrom(tok, es, ee, ptr+"/"+strconv.Itoa(i))
				if err != nil {
					return nil, err
				}
				v.elems = append(v.elems, child)
			}
		}
		return nil, errorAt(p.raw, start, "invalid JSON: unexpected "+string(t))
	case string:
		v.kind, v.str = '"', t
	case json.Number:
		v.kind = '0'
	case bool:
		v.kind = 't'
	case nil:
		v.kind = 'n'
	}
	return v, nil
}
