package diff

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/skillgate/skillgate/internal/jsoncanon"
)

// ModelResult is the comparison of one locale's interaction model in the
// repository (interactionModels/custom/<locale>.json) with the live one.
//
// A reviewer thinks of a model in intents, sample utterances and slot
// values, not in JSON pointers: array indexes shift with every inserted
// sample, so a pointer list would be noise. The counted lists below are
// therefore by name (intent name, sample text, slot value), and everything
// else that differs is named in Other.
type ModelResult struct {
	Locale string `json:"locale"`
	// New is true when the live skill has no model for the locale yet.
	New bool `json:"new,omitempty"`

	IntentsAdded      []string    `json:"intentsAdded,omitempty"`
	IntentsRemoved    []string    `json:"intentsRemoved,omitempty"`
	SamplesAdded      []Sample    `json:"samplesAdded,omitempty"`
	SamplesRemoved    []Sample    `json:"samplesRemoved,omitempty"`
	SlotValuesAdded   []SlotValue `json:"slotValuesAdded,omitempty"`
	SlotValuesRemoved []SlotValue `json:"slotValuesRemoved,omitempty"`
	// InvocationBefore and InvocationAfter are set when the invocation
	// name changed (Before is empty for a new model).
	InvocationBefore string `json:"invocationBefore,omitempty"`
	InvocationAfter  string `json:"invocationAfter,omitempty"`
	// Other names the other parts that differ: "slot type PlanetType added",
	// "intent GetFactIntent: slots", "dialog", "prompts", "order of entries".
	Other []string `json:"other,omitempty"`

	// Unified is the unified diff of the canonical texts; empty when the
	// models are the same.
	Unified string `json:"diff,omitempty"`
	// LocalCanonical and LiveCanonical are the two models, canonical;
	// LiveCanonical is empty for a new model.
	LocalCanonical []byte `json:"-"`
	LiveCanonical  []byte `json:"-"`

	changed bool
}

// Sample is one sample utterance of an intent.
type Sample struct {
	Intent string `json:"intent"`
	Text   string `json:"text"`
}

// SlotValue is one value of a custom slot type.
type SlotValue struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// Changed reports whether a deploy would write the locale's model.
func (m *ModelResult) Changed() bool { return m != nil && m.changed }

// Count returns the number of counted differences: each intent, sample and
// slot value added or removed, the invocation name, and each other part.
// A changed model counts at least one.
func (m *ModelResult) Count() int {
	if !m.Changed() {
		return 0
	}
	n := len(m.IntentsAdded) + len(m.IntentsRemoved) + len(m.SamplesAdded) + len(m.SamplesRemoved) +
		len(m.SlotValuesAdded) + len(m.SlotValuesRemoved) + len(m.Other)
	if m.InvocationBefore != m.InvocationAfter {
		n++
	}
	return max(n, 1)
}

// Section is the name the verdicts use for the locale's model, beside the
// manifest's sections.
func (m *ModelResult) Section() string { return "interactionModel." + m.Locale }

// Summary says what changed in one line: "2 samples added, 1 intent
// removed", "new model: 3 intents added, …", or "no changes".
func (m *ModelResult) Summary() string {
	if !m.Changed() {
		return "no changes"
	}
	var parts []string
	add := func(n int, one, many, what string) {
		if n > 0 {
			parts = append(parts, Plural(n, one, many)+" "+what)
		}
	}
	add(len(m.IntentsAdded), "intent", "intents", "added")
	add(len(m.IntentsRemoved), "intent", "intents", "removed")
	add(len(m.SamplesAdded), "sample", "samples", "added")
	add(len(m.SamplesRemoved), "sample", "samples", "removed")
	add(len(m.SlotValuesAdded), "slot value", "slot values", "added")
	add(len(m.SlotValuesRemoved), "slot value", "slot values", "removed")
	if m.InvocationBefore != m.InvocationAfter && !m.New {
		parts = append(parts, "invocation name changed")
	}
	add(len(m.Other), "other change", "other changes", "("+strings.Join(m.Other, ", ")+")")
	s := strings.Join(parts, ", ")
	if m.New {
		head := "new model"
		if m.InvocationAfter != "" {
			head += fmt.Sprintf(" (invocation name %q)", m.InvocationAfter)
		}
		if s == "" {
			return head
		}
		return head + ": " + s
	}
	return s
}

// ModelItem is one line of a model's change list, for the renderers.
type ModelItem struct {
	Kind  Kind   // KindAdded, KindRemoved or KindChanged
	What  string // "intent", "sample", "slot value", "invocation name", "other"
	Where string // the intent of a sample, the type of a slot value
	Value string // the intent name, sample text, slot value, new invocation name, or the part
	// Before is the old invocation name.
	Before string
}

// Label names the item's change for a table: "sample added", "invocation
// name changed", or "changed" for another part.
func (it ModelItem) Label() string {
	if it.What == "other" {
		return string(KindChanged)
	}
	return it.What + " " + string(it.Kind)
}

// Items lists the differences one by one, in the order Summary counts them.
func (m *ModelResult) Items() []ModelItem {
	if !m.Changed() {
		return nil
	}
	var out []ModelItem
	for _, n := range m.IntentsAdded {
		out = append(out, ModelItem{Kind: KindAdded, What: "intent", Value: n})
	}
	for _, n := range m.IntentsRemoved {
		out = append(out, ModelItem{Kind: KindRemoved, What: "intent", Value: n})
	}
	for _, s := range m.SamplesAdded {
		out = append(out, ModelItem{Kind: KindAdded, What: "sample", Where: s.Intent, Value: s.Text})
	}
	for _, s := range m.SamplesRemoved {
		out = append(out, ModelItem{Kind: KindRemoved, What: "sample", Where: s.Intent, Value: s.Text})
	}
	for _, v := range m.SlotValuesAdded {
		out = append(out, ModelItem{Kind: KindAdded, What: "slot value", Where: v.Type, Value: v.Value})
	}
	for _, v := range m.SlotValuesRemoved {
		out = append(out, ModelItem{Kind: KindRemoved, What: "slot value", Where: v.Type, Value: v.Value})
	}
	if m.InvocationBefore != m.InvocationAfter {
		out = append(out, ModelItem{Kind: KindChanged, What: "invocation name", Value: m.InvocationAfter, Before: m.InvocationBefore})
	}
	for _, o := range m.Other {
		out = append(out, ModelItem{Kind: KindChanged, What: "other", Value: o})
	}
	return out
}

// CompareModel compares the repository's model of locale (local) with the
// live one; live nil (or empty) means the live skill has no model for the
// locale, as SMAPI's 404 says. opts names the two sides of the unified
// diff, as for Compare.
//
// The model is changed when the two differ in anything but key order,
// whitespace and number spelling: that is what a deploy writes. Unlike the
// manifest nothing is kept from live, since SMAPI owns no part of a model.
func CompareModel(locale string, local, live []byte, opts Options) (*ModelResult, error) {
	l, err := jsoncanon.Decode(local)
	if err != nil {
		return nil, fmt.Errorf("repository interaction model %s: %w", locale, err)
	}
	res := &ModelResult{Locale: locale, New: len(live) == 0}
	var r any
	if !res.New {
		if r, err = jsoncanon.Decode(live); err != nil {
			return nil, fmt.Errorf("live interaction model %s: %w", locale, err)
		}
	}
	if res.LocalCanonical, err = jsoncanon.MarshalIndent(l); err != nil {
		return nil, err
	}
	if !res.New {
		if res.LiveCanonical, err = jsoncanon.MarshalIndent(r); err != nil {
			return nil, err
		}
	}
	res.changed = res.New || !jsonEqual(l, r)
	if !res.changed {
		return res, nil
	}

	lm, rm := readModel(l), readModel(r)
	res.InvocationBefore, res.InvocationAfter = rm.invocation, lm.invocation
	res.IntentsAdded, res.IntentsRemoved = addedRemoved(lm.intentNames, rm.intentNames)
	res.compareIntents(lm, rm)
	res.compareTypes(lm, rm)
	for _, k := range union(sortedMapKeys(lm.rest), sortedMapKeys(rm.rest)) {
		lv, lok := lm.rest[k]
		rv, rok := rm.rest[k]
		if lok != rok || !jsonEqual(lv, rv) {
			res.Other = append(res.Other, k)
		}
	}
	if !res.New && res.Count() == 1 && len(res.Items()) == 0 {
		// Same intents, samples, values and parts, yet not equal: lists
		// were reordered (or an entry appears twice). Say so rather than
		// report a change with nothing in it.
		res.Other = append(res.Other, "order of entries")
	}
	res.Unified, err = opts.unifiedDiff(res.LiveCanonical, res.LocalCanonical, res.New)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// compareIntents records the samples added and removed in each intent, and
// the intents whose other fields (slots, say) changed.
func (res *ModelResult) compareIntents(lm, rm modelParts) {
	for _, name := range union(lm.intentNames, rm.intentNames) {
		add, rem := addedRemoved(lm.samples[name], rm.samples[name])
		for _, s := range add {
			res.SamplesAdded = append(res.SamplesAdded, Sample{Intent: name, Text: s})
		}
		for _, s := range rem {
			res.SamplesRemoved = append(res.SamplesRemoved, Sample{Intent: name, Text: s})
		}
		if slices.Contains(lm.intentNames, name) && slices.Contains(rm.intentNames, name) && !jsonEqual(lm.intentRest[name], rm.intentRest[name]) {
			res.Other = append(res.Other, "intent "+name+": "+strings.Join(changedKeys(lm.intentRest[name], rm.intentRest[name]), ", "))
		}
	}
}

// compareTypes records the slot types added and removed, the values added
// and removed in each, and the types whose synonyms or ids changed.
func (res *ModelResult) compareTypes(lm, rm modelParts) {
	for _, name := range union(lm.typeNames, rm.typeNames) {
		inL, inR := slices.Contains(lm.typeNames, name), slices.Contains(rm.typeNames, name)
		switch {
		case inL && !inR:
			res.Other = append(res.Other, "slot type "+name+" added")
		case inR && !inL:
			res.Other = append(res.Other, "slot type "+name+" removed")
		}
		add, rem := addedRemoved(lm.values[name], rm.values[name])
		for _, v := range add {
			res.SlotValuesAdded = append(res.SlotValuesAdded, SlotValue{Type: name, Value: v})
		}
		for _, v := range rem {
			res.SlotValuesRemoved = append(res.SlotValuesRemoved, SlotValue{Type: name, Value: v})
		}
		if inL && inR && !jsonEqual(lm.typeRest[name], rm.typeRest[name]) {
			res.Other = append(res.Other, "slot type "+name+": synonyms or ids")
		}
	}
}

// modelParts is a decoded model taken apart by the names the comparison
// counts. A part the file does not have is simply empty: a model that is
// not shaped as expected still compares, its differences landing in rest.
type modelParts struct {
	invocation  string
	intentNames []string            // in file order, each once
	samples     map[string][]string // intent → samples
	intentRest  map[string]any      // intent → the intent without name and samples
	typeNames   []string
	values      map[string][]string // type → values (name.value)
	typeRest    map[string]any      // type → the type with values reduced to what is not name.value
	rest        map[string]any      // every other part, by its path ("dialog", "languageModel.modelConfiguration")
}

func readModel(v any) modelParts {
	p := modelParts{
		samples: map[string][]string{}, intentRest: map[string]any{},
		values: map[string][]string{}, typeRest: map[string]any{}, rest: map[string]any{},
	}
	root, _ := v.(map[string]any)
	im, ok := root["interactionModel"].(map[string]any)
	if !ok {
		// Not a model file: compare whatever is there as a whole.
		for k, x := range root {
			p.rest[k] = x
		}
		return p
	}
	for k, x := range root {
		if k != "interactionModel" {
			p.rest[k] = x
		}
	}
	for k, x := range im {
		if k != "languageModel" {
			p.rest[k] = x
		}
	}
	lm, ok := im["languageModel"].(map[string]any)
	if !ok {
		if x, present := im["languageModel"]; present {
			p.rest["languageModel"] = x
		}
		return p
	}
	for k, x := range lm {
		switch k {
		case "invocationName":
			if s, ok := x.(string); ok {
				p.invocation = s
				continue
			}
		case "intents":
			if list, ok := x.([]any); ok && p.readIntents(list) {
				continue
			}
		case "types":
			if list, ok := x.([]any); ok && p.readTypes(list) {
				continue
			}
		}
		p.rest["languageModel."+k] = x
	}
	return p
}

// readIntents reports false when the list is not a list of named intents,
// so the caller compares it as a whole instead.
func (p *modelParts) readIntents(list []any) bool {
	for _, x := range list {
		in, ok := x.(map[string]any)
		name, _ := in["name"].(string)
		if !ok || name == "" {
			return false
		}
	}
	for _, x := range list {
		in := x.(map[string]any)
		name := in["name"].(string)
		if !slices.Contains(p.intentNames, name) {
			p.intentNames = append(p.intentNames, name)
		}
		rest := map[string]any{}
		for k, v := range in {
			if k == "name" {
				continue
			}
			if k == "samples" {
				if ss, ok := stringList(v); ok {
					p.samples[name] = append(p.samples[name], ss...)
					continue
				}
			}
			rest[k] = v
		}
		p.intentRest[name] = rest
	}
	return true
}

func (p *modelParts) readTypes(list []any) bool {
	for _, x := range list {
		t, ok := x.(map[string]any)
		name, _ := t["name"].(string)
		if !ok || name == "" {
			return false
		}
	}
	for _, x := range list {
		t := x.(map[string]any)
		name := t["name"].(string)
		if !slices.Contains(p.typeNames, name) {
			p.typeNames = append(p.typeNames, name)
		}
		rest := map[string]any{}
		for k, v := range t {
			if k == "name" {
				continue
			}
			if k == "values" {
				if vals, others, ok := slotValues(v); ok {
					p.values[name] = append(p.values[name], vals...)
					// What else a value holds (id, synonyms) is compared
					// by value, so a synonym change is not lost.
					rest["values"] = others
					continue
				}
			}
			rest[k] = v
		}
		p.typeRest[name] = rest
	}
	return true
}

// slotValues reads [{"id": …, "name": {"value": …, "synonyms": […]}}]:
// the values, and per value what else it holds.
func slotValues(v any) (vals []string, others map[string]any, ok bool) {
	list, ok := v.([]any)
	if !ok {
		return nil, nil, false
	}
	others = map[string]any{}
	for _, x := range list {
		e, ok := x.(map[string]any)
		if !ok {
			return nil, nil, false
		}
		n, ok := e["name"].(map[string]any)
		if !ok {
			return nil, nil, false
		}
		val, ok := n["value"].(string)
		if !ok {
			return nil, nil, false
		}
		vals = append(vals, val)
		rest := map[string]any{}
		for k, x := range e {
			if k != "name" {
				rest[k] = x
			}
		}
		for k, x := range n {
			if k != "value" {
				rest["name."+k] = x
			}
		}
		others[val] = rest
	}
	return vals, others, true
}

func stringList(v any) ([]string, bool) {
	list, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(list))
	for _, x := range list {
		s, ok := x.(string)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// addedRemoved returns what is in local and not live, and the reverse, each
// once and in the order of its own list.
func addedRemoved(local, live []string) (added, removed []string) {
	in := func(list []string) map[string]bool {
		m := make(map[string]bool, len(list))
		for _, s := range list {
			m[s] = true
		}
		return m
	}
	l, r := in(local), in(live)
	seen := map[string]bool{}
	for _, s := range local {
		if !r[s] && !seen[s] {
			added = append(added, s)
			seen[s] = true
		}
	}
	clear(seen)
	for _, s := range live {
		if !l[s] && !seen[s] {
			removed = append(removed, s)
			seen[s] = true
		}
	}
	return added, removed
}

// union is a's entries, then b's that a lacks.
func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, s := range b {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func sortedMapKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// changedKeys names the keys whose values differ between two objects.
func changedKeys(a, b any) []string {
	am, _ := a.(map[string]any)
	bm, _ := b.(map[string]any)
	var out []string
	for _, k := range union(sortedMapKeys(am), sortedMapKeys(bm)) {
		av, aok := am[k]
		bv, bok := bm[k]
		if aok != bok || !jsonEqual(av, bv) {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		out = []string{"order"}
	}
	return out
}

// ChangedModels returns the models a deploy would write, in locale order.
func (r *Result) ChangedModels() []*ModelResult {
	var out []*ModelResult
	for _, m := range r.Models {
		if m.Changed() {
			out = append(out, m)
		}
	}
	return out
}

// ManifestChanged reports whether a deploy would write the manifest.
func (r *Result) ManifestChanged() bool { return r.ManifestCount() > 0 }

// FullDiff is the unified diff of the manifest followed by that of each
// changed model: one patch with a header per file, for the diff-file output.
func (r *Result) FullDiff() string {
	var b strings.Builder
	b.WriteString(r.Unified)
	for _, m := range r.ChangedModels() {
		b.WriteString(m.Unified)
	}
	return b.String()
}

// AddModels attaches model comparisons to the manifest's result, in locale
// order, so every renderer shows them beside the manifest's changes.
func (r *Result) AddModels(models ...*ModelResult) {
	r.Models = append(r.Models, models...)
	slices.SortStableFunc(r.Models, func(a, b *ModelResult) int { return strings.Compare(a.Locale, b.Locale) })
}

// MarshalJSON adds the verdict fields to the lists.
func (m *ModelResult) MarshalJSON() ([]byte, error) {
	type plain ModelResult // without this method
	return json.Marshal(struct {
		*plain
		Changed bool   `json:"changed"`
		Count   int    `json:"count"`
		Summary string `json:"summary"`
	}{(*plain)(m), m.Changed(), m.Count(), m.Summary()})
}
