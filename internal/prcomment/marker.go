package prcomment

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

// Marker is the hidden first line of a plan comment. Later runs find their
// comment by Skill and Stage; the deploy reads ETag and SHA256 back to
// detect drift (DESIGN.md, "The plan comment and the drift guard").
type Marker struct {
	Skill  string
	Stage  string
	ETag   string
	SHA256 string
	// Extra holds further key=value pairs (model hashes, for example),
	// written after the fixed ones in key order. Keys that are empty or
	// spell a fixed key (skill, stage, etag, sha256) are left out, since
	// they could not be read back apart from the fixed fields.
	Extra map[string]string
}

var fixedKeys = []string{"skill", "stage", "etag", "sha256"}

// String renders the marker as one line:
//
//	<!-- skillgate:plan skill=<id> stage=<stage> etag=<etag> sha256=<hex> -->
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
	field("skill", m.Skill)
	field("stage", m.Stage)
	field("etag", m.ETag)
	field("sha256", m.SHA256)
	for _, k := range slices.Sorted(maps.Keys(m.Extra)) {
		if k == "" || slices.Contains(fixedKeys, k) {
			continue
		}
		field(k, m.Extra[k])
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
		switch k {
		case "skill":
			m.Skill = v
		case "stage":
			m.Stage = v
		case "etag":
			m.ETag = v
		case "sha256":
			m.SHA256 = v
		default:
			if m.Extra == nil {
				m.Extra = map[string]string{}
			}
			m.Extra[k] = v
		}
	}
	if m.Skill == "" || m.Stage == "" {
		return Marker{}, false
	}
	return m, true
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
