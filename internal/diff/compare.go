package diff

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/google/go-cmp/cmp"

	"github.com/skillgate/skillgate/internal/jsoncanon"
)

// Kind says what happened to one value between live and the repository.
type Kind string

// The kinds of Change. Only added, removed and changed count as changes;
// kept and asset are shown so the reviewer knows why a visible difference
// between the files will not be deployed.
const (
	KindAdded   Kind = "added"   // in the repository, not live
	KindRemoved Kind = "removed" // live, not in the repository
	KindChanged Kind = "changed" // in both, with different values
	KindKept    Kind = "kept"    // an endpoint without a uri in the repository: the live one is kept
	KindAsset   Kind = "asset"   // a file:// asset URI: not deployed by a manifest update
)

// Describe returns the phrase the renderers print for the kind.
func (k Kind) Describe() string {
	switch k {
	case KindKept:
		return "kept from live"
	case KindAsset:
		return "asset, not deployed by a manifest update"
	}
	return string(k)
}

// Counts reports whether the kind is a change a deploy would make.
func (k Kind) Counts() bool {
	return k == KindAdded || k == KindRemoved || k == KindChanged
}

// Change is one difference between the live manifest (Before) and the
// repository's (After). Before is empty for an addition and After for a
// removal; both hold compact JSON otherwise (a JSON null is "null").
//
// Pointer is an RFC 6901 pointer from the document root (so it starts with
// /manifest). It addresses the repository's manifest, except for a removal,
// where it addresses the live one: each pointer resolves in a document that
// holds the value.
type Change struct {
	Pointer string          `json:"pointer"`
	Section string          `json:"section"`
	Kind    Kind            `json:"kind"`
	Before  json.RawMessage `json:"before,omitempty"`
	After   json.RawMessage `json:"after,omitempty"`
}

// DefaultContext is the number of unchanged lines shown around each hunk of
// the unified diff.
const DefaultContext = 3

// Options configures Compare.
type Options struct {
	// FromFile and ToFile name the two sides in the unified diff headers;
	// empty means "live" and "local".
	FromFile, ToFile string
	// Context is the number of unchanged lines around each hunk: 0 means
	// DefaultContext, a negative number means none.
	Context int
}

// Result is the outcome of Compare.
type Result struct {
	// Changes lists every difference, grouped by section in the order of
	// Sections, then in document order. It includes the kept and asset
	// notes, which Changed does not count.
	Changes []Change
	// Unified is the unified diff from LiveCanonical to PlannedCanonical;
	// empty when they are the same.
	Unified string
	// LocalCanonical is the repository's manifest as written, canonical.
	LocalCanonical []byte
	// LiveCanonical is the live manifest, canonical; its sha256 is jsoncanon.SHA256(live).
	LiveCanonical []byte
	// PlannedCanonical is what a deploy sends: ForDeploy(local, live).
	PlannedCanonical []byte
	// Models are the interaction model comparisons the caller added
	// (AddModels), in locale order; empty for a package without models.
	Models []*ModelResult
}

// Changed reports whether a deploy would change the live skill: whether
// any manifest value is added, removed or changed, or any model differs.
func (r *Result) Changed() bool {
	return r.Count() > 0
}

// Count returns the number of added, removed and changed manifest values,
// plus each changed model's Count.
func (r *Result) Count() int {
	n := r.ManifestCount()
	for _, m := range r.Models {
		n += m.Count()
	}
	return n
}

// ManifestCount returns the number of added, removed and changed manifest
// values.
func (r *Result) ManifestCount() int {
	n := 0
	for _, c := range r.Changes {
		if c.Kind.Counts() {
			n++
		}
	}
	return n
}

// Sections returns the sections holding at least one counted change, in
// display order: publishing, publishing.<locale> (sorted), privacy, apis,
// permissions, events, other, then interactionModel.<locale> (sorted) for
// each changed model.
func (r *Result) Sections() []string {
	var out []string
	for _, c := range r.Changes {
		if c.Kind.Counts() && !slices.Contains(out, c.Section) {
			out = append(out, c.Section)
		}
	}
	for _, m := range r.ChangedModels() {
		out = append(out, m.Section())
	}
	return out
}

// Compare diffs the repository's manifest (local) against the live one.
// Differences the service itself introduces (key order, number spelling,
// hosted icon URLs for file:// assets, endpoints the infrastructure owns) are
// not changes; see ForDeploy.
func Compare(local, live []byte, opts Options) (*Result, error) {
	m, err := plan(local, live)
	if err != nil {
		return nil, err
	}
	l, r, planned := m.local, m.live, m.planned

	rep := &reporter{}
	cmp.Equal(r, planned, cmp.Comparer(numbersEqual), cmp.Reporter(rep))
	if rep.err != nil {
		return nil, rep.err
	}
	changes := append(rep.changes, m.notes...)
	sortChanges(changes)

	res := &Result{Changes: changes}
	if res.LocalCanonical, err = jsoncanon.MarshalIndent(l); err != nil {
		return nil, err
	}
	if res.LiveCanonical, err = jsoncanon.MarshalIndent(r); err != nil {
		return nil, err
	}
	if res.PlannedCanonical, err = jsoncanon.MarshalIndent(planned); err != nil {
		return nil, err
	}
	res.Unified, err = opts.unifiedDiff(res.LiveCanonical, res.PlannedCanonical, false)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// reporter turns go-cmp's traversal into Changes: x is live, y is the
// planned manifest.
type reporter struct {
	path    cmp.Path
	changes []Change
	err     error
}

func (r *reporter) PushStep(ps cmp.PathStep) { r.path = append(r.path, ps) }
func (r *reporter) PopStep()                 { r.path = r.path[:len(r.path)-1] }

func (r *reporter) Report(res cmp.Result) {
	if res.Equal() || r.err != nil {
		return
	}
	vx, vy := r.path.Last().Values()
	c := Change{Kind: KindChanged}
	switch {
	case !vx.IsValid():
		c.Kind = KindAdded
	case !vy.IsValid():
		c.Kind = KindRemoved
	}
	tokens := r.tokens(c.Kind == KindRemoved)
	c.Pointer, c.Section = pointer(tokens), section(tokens)
	var err error
	if vx.IsValid() {
		if c.Before, err = jsoncanon.MarshalCompact(vx.Interface()); err != nil {
			r.err = err
			return
		}
	}
	if vy.IsValid() {
		if c.After, err = jsoncanon.MarshalCompact(vy.Interface()); err != nil {
			r.err = err
			return
		}
	}
	r.changes = append(r.changes, c)
}

// tokens returns the reference tokens of the current path, taking slice
// indexes from live (x) for a removal and from the repository (y) otherwise.
func (r *reporter) tokens(fromLive bool) []string {
	var out []string
	for _, s := range r.path {
		switch s := s.(type) {
		case cmp.MapIndex:
			if s.Key().Kind() == reflect.String {
				out = append(out, s.Key().String())
			} else {
				out = append(out, fmt.Sprint(s.Key().Interface()))
			}
		case cmp.SliceIndex:
			ix, iy := s.SplitKeys()
			i := iy
			if fromLive || iy < 0 {
				i = ix
			}
			out = append(out, strconv.Itoa(i))
		}
	}
	return out
}

// pointer encodes reference tokens as an RFC 6901 JSON Pointer.
func pointer(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		t = strings.ReplaceAll(t, "~", "~0")
		b.WriteString(strings.ReplaceAll(t, "/", "~1"))
	}
	return b.String()
}

// section names the part of the manifest a path falls in, as the reviewer
// thinks of it: publishing information per locale, privacy, apis, and so on.
func section(tokens []string) string {
	rest, ok := underManifest(tokens)
	if !ok || len(rest) == 0 {
		return "other"
	}
	switch rest[0] {
	case "publishingInformation":
		if len(rest) >= 3 && rest[1] == "locales" {
			return "publishing." + rest[2]
		}
		return "publishing"
	case "privacyAndCompliance":
		return "privacy"
	case "apis", "permissions", "events":
		return rest[0]
	}
	return "other"
}

// sectionRank orders sections for display.
func sectionRank(s string) int {
	switch {
	case s == "publishing":
		return 0
	case strings.HasPrefix(s, "publishing."):
		return 1
	case s == "privacy":
		return 2
	case s == "apis":
		return 3
	case s == "permissions":
		return 4
	case s == "events":
		return 5
	}
	return 6
}

// sortChanges orders by section, then by pointer with array indexes compared
// as numbers, so /a/2 comes before /a/10.
func sortChanges(cs []Change) {
	slices.SortStableFunc(cs, func(a, b Change) int {
		if ra, rb := sectionRank(a.Section), sectionRank(b.Section); ra != rb {
			return ra - rb
		}
		if a.Section != b.Section {
			return strings.Compare(a.Section, b.Section)
		}
		return comparePointers(a.Pointer, b.Pointer)
	})
}

func comparePointers(a, b string) int {
	ta, tb := strings.Split(a, "/"), strings.Split(b, "/")
	for i := 0; i < len(ta) && i < len(tb); i++ {
		if ta[i] == tb[i] {
			continue
		}
		na, erra := strconv.Atoi(ta[i])
		nb, errb := strconv.Atoi(tb[i])
		if erra == nil && errb == nil {
			return na - nb
		}
		return strings.Compare(ta[i], tb[i])
	}
	return len(ta) - len(tb)
}
