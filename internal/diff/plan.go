package diff

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/skillgate/skillgate/internal/jsoncanon"
)

// ForDeploy returns the manifest a deploy should send: the repository's
// manifest (local) with the live values put back wherever the plan keeps them,
// so a deploy never removes what the service or the infrastructure owns:
//
//   - a "file://" asset URI (SMAPI refuses those in an update; the hosted
//     URL the live side has is kept, and the value is dropped where live has
//     none);
//   - an apis.<kind>.endpoint or apis.<kind>.regions.<region>.endpoint that
//     has no "uri" in the repository (the live endpoint is kept whole);
//   - a number the repository spells differently from live (1.0 against 1)
//     takes the live spelling, so the bytes sent match what the plan showed.
//
// The result is in canonical form. It is the manifest Compare diffed against
// live, so "no changes" in the plan means ForDeploy(local, live) and live
// have the same canonical form.
func ForDeploy(local, live []byte) ([]byte, error) {
	m, err := plan(local, live)
	if err != nil {
		return nil, err
	}
	return jsoncanon.MarshalIndent(m.planned)
}

// merged is both manifests decoded and the planned one built from them.
type merged struct {
	local, live, planned any
	notes                []Change // the places where planned kept a live value
}

// plan decodes both manifests and merges them into the planned one: what
// Compare diffs against live and ForDeploy sends.
func plan(local, live []byte) (merged, error) {
	var m merged
	var err error
	if m.local, err = jsoncanon.Decode(local); err != nil {
		return m, fmt.Errorf("repository manifest: %w", err)
	}
	if m.live, err = jsoncanon.Decode(live); err != nil {
		return m, fmt.Errorf("live manifest: %w", err)
	}
	p := planner{}
	m.planned, _ = p.merge(m.local, m.live, true, nil)
	m.notes = p.notes
	return m, p.err
}

// planner builds the planned manifest and notes every place where it kept a
// live value instead of the repository's, as Changes of kind KindKept or
// KindAsset.
type planner struct {
	notes []Change
	err   error
}

// merge returns the value to deploy at path, given the repository's value
// local and the live value (liveOK false when live has nothing there). keep
// is false when the value is to be dropped (a file:// asset with no live
// counterpart).
func (p *planner) merge(local, live any, liveOK bool, path []string) (out any, keep bool) {
	switch l := local.(type) {
	case string:
		if !strings.HasPrefix(l, "file://") {
			return l, true
		}
		if liveOK {
			if s, ok := live.(string); ok && s == l {
				return l, true
			}
		}
		p.note(KindAsset, path, live, liveOK, local, true)
		return live, liveOK
	case json.Number:
		if n, ok := live.(json.Number); ok && liveOK && numbersEqual(l, n) {
			return n, true
		}
		return l, true
	case map[string]any:
		lm, _ := live.(map[string]any)
		out := make(map[string]any, len(l))
		for k, lv := range l {
			child := append(path[:len(path):len(path)], k)
			rv, rok := lm[k]
			if rok && infraEndpoint(child) && !hasURI(lv) {
				out[k] = rv
				if !jsonEqual(lv, rv) {
					p.note(KindKept, child, rv, true, lv, true)
				}
				continue
			}
			if v, keep := p.merge(lv, rv, rok, child); keep {
				out[k] = v
			}
		}
		for k, rv := range lm {
			if _, ok := l[k]; ok {
				continue
			}
			child := append(path[:len(path):len(path)], k)
			if infraEndpoint(child) {
				out[k] = rv
				p.note(KindKept, child, rv, true, nil, false)
			}
		}
		return out, true
	case []any:
		la, _ := live.([]any)
		out := make([]any, 0, len(l))
		for i, lv := range l {
			var rv any
			rok := liveOK && i < len(la)
			if rok {
				rv = la[i]
			}
			if v, keep := p.merge(lv, rv, rok, append(path[:len(path):len(path)], fmt.Sprint(i))); keep {
				out = append(out, v)
			}
		}
		return out, true
	default:
		return local, true
	}
}

func (p *planner) note(kind Kind, path []string, before any, beforeOK bool, after any, afterOK bool) {
	if p.err != nil {
		return
	}
	c := Change{Pointer: pointer(path), Section: section(path), Kind: kind}
	var err error
	if beforeOK {
		if c.Before, err = jsoncanon.MarshalCompact(before); err != nil {
			p.err = err
			return
		}
	}
	if afterOK {
		if c.After, err = jsoncanon.MarshalCompact(after); err != nil {
			p.err = err
			return
		}
	}
	p.notes = append(p.notes, c)
}

// infraEndpoint reports whether path is an endpoint the infrastructure may
// own: /manifest/apis/<kind>/endpoint or
// /manifest/apis/<kind>/regions/<region>/endpoint. ask-cli and CDK deployers
// fill these in from the Lambda they create, so a repository commonly leaves
// the uri out.
func infraEndpoint(path []string) bool {
	rest, ok := underManifest(path)
	if !ok || len(rest) < 3 || rest[0] != "apis" {
		return false
	}
	switch len(rest) {
	case 3:
		return rest[2] == "endpoint"
	case 5:
		return rest[2] == "regions" && rest[4] == "endpoint"
	}
	return false
}

// hasURI reports whether an endpoint value names its own target. Anything
// that is not an object (a string, say) is the repository's to decide, so it
// counts as having one.
func hasURI(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return true
	}
	_, ok = m["uri"]
	return ok
}

// underManifest strips the top-level "manifest" (v1) or "skillManifest"
// (v0) key.
func underManifest(path []string) ([]string, bool) {
	if len(path) == 0 || (path[0] != "manifest" && path[0] != "skillManifest") {
		return nil, false
	}
	return path[1:], true
}

// jsonEqual compares two decoded JSON values, numbers by value.
func jsonEqual(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !jsonEqual(xv, yv) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !jsonEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case json.Number:
		y, ok := b.(json.Number)
		return ok && numbersEqual(x, y)
	default:
		return a == b
	}
}
