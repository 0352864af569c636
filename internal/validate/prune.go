package validate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/skillgate/skillgate/internal/jsonfile"
	"github.com/skillgate/skillgate/schemas"
)

// Compiling all the embedded schemas costs more than everything else a
// `skillgate validate` process does (jsonschema/v5 validates every schema
// document against the 2020-12 meta-schema while compiling, and has no
// switch to skip that). A manifest uses a small part of them: a custom
// skill has no video, smart-home or flash-briefing APIs. So each manifest
// is validated against the schemas pruned to what it can reach:
//
//   - properties[name] becomes true when no object anywhere in the manifest
//     has a key name: "properties" applies a subschema only to a member of
//     that name, so it could never apply. The key stays, for
//     additionalProperties.
//   - $defs entries no remaining $ref reaches are dropped, and schema files
//     none reaches are not loaded.
//   - description, title and $comment are dropped: annotations, which never
//     change a validation result.
//
// Every kept keyword keeps its place (same file, same JSON pointer), so the
// errors name the same keyword locations as the full schemas would, and the
// messages, which read keyword values from the unpruned documents, are the
// same. TestPrunedSchemasAgree checks that on every manifest in testdata.

// prunedSets caches one compiled set per distinct set of manifest keys; a
// process validates one package or a few, and the cache starts over past
// maxPrunedSets so that one validating many stays bounded.
const maxPrunedSets = 64

var prunedSets = struct {
	mu   sync.Mutex
	sets map[string]*schemaSet
}{sets: map[string]*schemaSet{}}

// compiledFor returns the schemas compiled for validating manifest.
func compiledFor(manifest any) (*schemaSet, error) {
	data, err := loadedData()
	if err != nil {
		return nil, err
	}
	keys := map[string]bool{}
	collectKeys(manifest, keys)
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	slices.Sort(names)
	id := strings.Join(names, "\x00")

	prunedSets.mu.Lock()
	defer prunedSets.mu.Unlock()
	if s, ok := prunedSets.sets[id]; ok {
		return s, nil
	}
	p := &pruner{docs: data.docs, keys: keys, reached: map[string]bool{}}
	root, err := p.compile(schemas.BaseURL + schemas.Root)
	if err != nil {
		return nil, err
	}
	s := &schemaSet{schemaData: data, root: root}
	if len(prunedSets.sets) >= maxPrunedSets {
		clear(prunedSets.sets)
	}
	prunedSets.sets[id] = s
	return s, nil
}

// collectKeys adds every object key anywhere in v to keys.
func collectKeys(v any, keys map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			keys[k] = true
			collectKeys(x, keys)
		}
	case []any:
		for _, x := range v {
			collectKeys(x, keys)
		}
	}
}

// pruner finds what a manifest with the given keys can reach in the
// schema documents and writes the pruned documents.
type pruner struct {
	docs    map[string]any  // schema URL -> parsed document (never modified)
	keys    map[string]bool // every key in the manifest
	reached map[string]bool // "URL#pointer" of the root and of every $ref target reached
}

// compile compiles rootURL from the pruned documents.
func (p *pruner) compile(rootURL string) (*jsonschema.Schema, error) {
	p.reach(rootURL, "")
	files := map[string]bool{}
	for target := range p.reached {
		file, _, _ := strings.Cut(target, "#")
		files[file] = true
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.LoadURL = func(s string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("schema %s is not embedded (skillgate never fetches schemas)", s)
	}
	for file := range files {
		doc, ok := p.docs[file]
		if !ok {
			return nil, fmt.Errorf("schema %s is not embedded", file)
		}
		b, err := json.Marshal(p.copy(file, "", doc))
		if err != nil {
			return nil, fmt.Errorf("pruning schema %s: %w", file, err)
		}
		if err := c.AddResource(file, bytes.NewReader(b)); err != nil {
			return nil, fmt.Errorf("loading schema %s: %w", file, err)
		}
	}
	root, err := c.Compile(rootURL)
	if err != nil {
		return nil, fmt.Errorf("compiling schemas: %w", err)
	}
	return root, nil
}

// reach marks file#ptr reached and follows every $ref in it.
func (p *pruner) reach(file, ptr string) {
	target := file + "#" + ptr
	if p.reached[target] {
		return
	}
	p.reached[target] = true
	node, ok := jsonfile.Resolve(p.docs[file], ptr)
	if !ok {
		return // the compiler reports the dangling $ref
	}
	p.follow(file, node)
}

// follow reaches the $ref targets in node, except inside $defs (reached
// only through a $ref) and inside the subschemas pruning turns to true.
func (p *pruner) follow(file string, node any) {
	switch n := node.(type) {
	case map[string]any:
		for k, v := range n {
			switch k {
			case "$ref":
				if ref, ok := v.(string); ok {
					p.reach(resolveRef(file, ref))
				}
			case "$defs", "enum", "const", "default", "examples":
			case "properties":
				props, _ := v.(map[string]any)
				for name, sub := range props {
					if p.keys[name] {
						p.follow(file, sub)
					}
				}
			default:
				p.follow(file, v)
			}
		}
	case []any:
		for _, v := range n {
			p.follow(file, v)
		}
	}
}

// copy returns node (at ptr in file) pruned, leaving node itself alone.
func (p *pruner) copy(file, ptr string, node any) any {
	switch n := node.(type) {
	case map[string]any:
		out := make(map[string]any, len(n))
		for k, v := range n {
			at := ptr + "/" + jsonfile.EscapePointer(k)
			switch k {
			case "description", "title", "$comment":
			case "enum", "const", "default", "examples":
				out[k] = v
			case "$defs":
				in, ok := v.(map[string]any)
				if !ok {
					out[k] = v
					continue
				}
				defs := map[string]any{}
				for name, sub := range in {
					if p.reached[file+"#"+at+"/"+jsonfile.EscapePointer(name)] {
						defs[name] = p.copy(file, at+"/"+jsonfile.EscapePointer(name), sub)
					}
				}
				out[k] = defs
			case "properties":
				in, ok := v.(map[string]any)
				if !ok {
					out[k] = v
					continue
				}
				props := map[string]any{}
				for name, sub := range in {
					props[name] = true
					if p.keys[name] {
						props[name] = p.copy(file, at+"/"+jsonfile.EscapePointer(name), sub)
					}
				}
				out[k] = props
			default:
				out[k] = p.copy(file, at, v)
			}
		}
		return out
	case []any:
		out := make([]any, len(n))
		for i, v := range n {
			out[i] = p.copy(file, fmt.Sprintf("%s/%d", ptr, i), v)
		}
		return out
	}
	return node
}

// resolveRef turns a $ref in file into the target's file URL and pointer.
func resolveRef(file, ref string) (string, string) {
	base, err := url.Parse(file)
	if err != nil {
		return file, ""
	}
	u, err := base.Parse(ref)
	if err != nil {
		return file, ""
	}
	frag := u.Fragment
	u.Fragment = ""
	return u.String(), frag
}
