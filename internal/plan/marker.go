package plan

import (
	"maps"
	"net/url"
	"slices"
	"strings"
)

const (
	markerOpen  = "<!-- skillgate:plan"
	markerClose = "-->"
)

// NoModel is the marker value of a locale the live skill has no
// interaction model for.
const NoModel = "none"

// Marker is the hidden first line of a plan comment: what the plan was made
// against. Later plan runs find their comment by Skill and Stage; the
// deploy's drift guard reads the rest back and compares it with the live
// skill it is about to write.
type Marker struct {
	Skill string
	Stage string
	// ETag and SHA256 are the live manifest's ETag and the sha256 of its
	// canonical form.
	ETag   string
	SHA256 string
	// Models maps each of the repository's locales to the sha256 of the
	// canonical live interaction model, or NoModel (keys model.<locale>).
	Models map[string]string
	// Package is the live skill package's ETag, when the plan read it (a
	// package holding assets or other files); Files maps each of the live
	// package's other files to its sha256 (keys file.<path>).
	Package string
	Files   map[string]string
	// Extra holds the keys this version does not know (written by a newer
	// skillgate, say), so that a marker reads back whole. Keys that are
	// empty, spell a known key or start with a known prefix are left out
	// when writing: they could not be read back apart from those fields.
	Extra map[string]string
}

// markerKeys are the marker's single-valued keys, written first, in this
// order. A new key is one more line here.
var markerKeys = []struct {
	key      string
	field    func(*Marker) *string
	optional bool // written only when not empty, so older markers read back byte for byte
}{
	{"skill", func(m *Marker) *string { return &m.Skill }, false},
	{"stage", func(m *Marker) *string { return &m.Stage }, false},
	{"etag", func(m *Marker) *string { return &m.ETag }, false},
	{"sha256", func(m *Marker) *string { return &m.SHA256 }, false},
	{"package", func(m *Marker) *string { return &m.Package }, true},
}

// markerGroups are the keys "<prefix><item>", one per item of a map field,
// written after markerKeys together with Extra, in key order. A new kind of
// per-item hash is one more line here.
var markerGroups = []struct {
	prefix string
	field  func(*Marker) *map[string]string
}{
	{"model.", func(m *Marker) *map[string]string { return &m.Models }},
	{"file.", func(m *Marker) *map[string]string { return &m.Files }},
}

// known reports whether key belongs to a field of Marker rather than Extra.
func known(key string) bool {
	for _, k := range markerKeys {
		if k.key == key {
			return true
		}
	}
	for _, g := range markerGroups {
		if strings.HasPrefix(key, g.prefix) {
			return true
		}
	}
	return false
}

// String renders the marker as one line:
//
//	<!-- skillgate:plan skill=<id> stage=<stage> etag=<etag> sha256=<hex> model.<locale>=<hex> -->
//
// Values are percent-encoded where they hold a space or control character,
// a non-ASCII byte, '%', '<' or '>', so an ETag like W/"a b" cannot end the
// HTML comment or split a field; the common characters of ETags, skill ids
// and hashes ('"', '/', '.', '-', '=') are kept as written.
func (m Marker) String() string {
	var b strings.Builder
	b.WriteString(markerOpen)
	field := func(k, v string) {
		b.WriteByte(' ')
		b.WriteString(escape(k, true))
		b.WriteByte('=')
		b.WriteString(escape(v, false))
	}
	for _, k := range markerKeys {
		if v := *k.field(&m); v != "" || !k.optional {
			field(k.key, v)
		}
	}
	rest := map[string]string{}
	for k, v := range m.Extra {
		if k != "" && !known(k) {
			rest[k] = v
		}
	}
	for _, g := range markerGroups {
		for item, v := range *g.field(&m) {
			rest[g.prefix+item] = v
		}
	}
	for _, k := range slices.Sorted(maps.Keys(rest)) {
		field(k, rest[k])
	}
	b.WriteString(" ")
	b.WriteString(markerClose)
	return b.String()
}

// ParseMarker finds the first plan marker in body and decodes it. It
// reports false when there is none, when it is not closed on its line, when
// a field is not key=value or badly escaped, or when skill or stage is
// empty: such a marker cannot identify a plan.
func ParseMarker(body string) (Marker, bool) {
	i := strings.Index(body, markerOpen)
	if i < 0 {
		return Marker{}, false
	}
	rest := body[i+len(markerOpen):]
	if line, _, ok := strings.Cut(rest, "\n"); ok {
		rest = line
	}
	inner, _, ok := strings.Cut(rest, markerClose)
	if !ok || (inner != "" && inner[0] != ' ' && inner[0] != '\t') {
		return Marker{}, false
	}
	var m Marker
	seen := map[string]bool{}
	for _, tok := range strings.Fields(inner) {
		rawK, rawV, ok := strings.Cut(tok, "=")
		if !ok {
			return Marker{}, false
		}
		k, err1 := url.PathUnescape(rawK)
		v, err2 := url.PathUnescape(rawV)
		if err1 != nil || err2 != nil || k == "" {
			return Marker{}, false
		}
		if seen[k] {
			continue // the first occurrence wins, as String writes each key once
		}
		seen[k] = true
		m.set(k, v)
	}
	if m.Skill == "" || m.Stage == "" {
		return Marker{}, false
	}
	return m, true
}

// set stores one decoded key=value pair in its field.
func (m *Marker) set(k, v string) {
	for _, f := range markerKeys {
		if f.key == k {
			*f.field(m) = v
			return
		}
	}
	for _, g := range markerGroups {
		if item, ok := strings.CutPrefix(k, g.prefix); ok {
			setItem(g.field(m), item, v)
			return
		}
	}
	setItem(&m.Extra, k, v)
}

// setItem sets (*m)[k], making the map first when it is nil.
func setItem[V any](m *map[string]V, k string, v V) {
	if *m == nil {
		*m = map[string]V{}
	}
	(*m)[k] = v
}

// Matches returns the test that tells the plan comment of skill and stage
// apart from every other comment: its body carries their marker.
func Matches(skill, stage string) func(body string) bool {
	return func(body string) bool {
		m, ok := ParseMarker(body)
		return ok && m.Skill == skill && m.Stage == stage
	}
}

// escape percent-encodes the bytes that would break the marker line; keys
// also escape '=' since the first '=' of a field separates key and value.
func escape(s string, key bool) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || c == '%' || c == '<' || c == '>' || (key && c == '=') {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
