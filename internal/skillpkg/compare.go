package skillpkg

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Kinds of a Change.
const (
	Added   = "added"
	Removed = "removed"
	Changed = "changed"
)

// Change is one file that differs between two packages, compared by
// content (size and SHA-256), never by time.
type Change struct {
	Path string `json:"path"`
	Kind string `json:"kind"` // Added, Removed or Changed
	// Size and SHA256 describe the file in the new package (the old one
	// for Removed).
	Size   int    `json:"size"`
	SHA256 string `json:"sha256"`
	// OldSize and OldSHA256 describe a Changed file as it was.
	OldSize   int    `json:"oldSize,omitempty"`
	OldSHA256 string `json:"oldSha256,omitempty"`
	// Fields are the JSON Pointers at which a Changed JSON file differs
	// (the first few; MoreFields counts the rest), when a plan compared it
	// structurally.
	Fields     []string `json:"fields,omitempty"`
	MoreFields int      `json:"moreFields,omitempty"`
}

// SHA256 is the hex SHA-256 of a file's bytes, as Change reports it.
func SHA256(b []byte) string { return digest(b) }

func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// unionKeys returns the keys of a and b, each once, sorted.
func unionKeys[A, B any](a map[string]A, b map[string]B) []string {
	keys := slices.Sorted(maps.Keys(a))
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// Compare lists the files that differ from old to new, in path order.
func Compare(old, new map[string][]byte) []Change {
	var out []Change
	for _, n := range unionKeys(old, new) {
		o, inOld := old[n]
		w, inNew := new[n]
		switch {
		case !inOld:
			out = append(out, Change{Path: n, Kind: Added, Size: len(w), SHA256: digest(w)})
		case !inNew:
			out = append(out, Change{Path: n, Kind: Removed, Size: len(o), SHA256: digest(o)})
		case !bytes.Equal(o, w):
			out = append(out, Change{Path: n, Kind: Changed, Size: len(w), SHA256: digest(w), OldSize: len(o), OldSHA256: digest(o)})
		}
	}
	return out
}

// ModelDir holds the custom interaction models, one <locale>.json each.
const ModelDir = "interactionModels/custom/"

// IsResource reports whether a package path is one the per-resource SMAPI
// APIs carry: skill.json and the custom interaction models. Everything else
// (icons and other assets, APL documents, in-skill products, …) reaches
// SMAPI only through a package import.
func IsResource(name string) bool {
	if name == Manifest {
		return true
	}
	rest, ok := strings.CutPrefix(name, ModelDir)
	return ok && strings.HasSuffix(rest, ".json") && !strings.Contains(rest, "/")
}

// ImportReason says why a deploy goes through a package import, or ""
// when the per-resource writes can carry the package: the skill does not
// exist yet, the package holds files other than skill.json and the custom
// interaction models (icons and other assets, APL documents, …), or
// skill.json names files with file:// URIs, which SMAPI takes only inside a
// package.
func ImportReason(files map[string][]byte, skillID string) string {
	var extra []string
	for _, n := range slices.Sorted(maps.Keys(files)) {
		if !IsResource(n) {
			extra = append(extra, n)
		}
	}
	switch {
	case len(extra) > 0 && skillID == "":
		return "the skill does not exist yet and its package holds files the manifest API cannot carry (" + someNames(extra) + ")"
	case len(extra) > 0:
		return "the package holds files only an import carries (" + someNames(extra) + ")"
	case bytes.Contains(bytes.ToLower(files[Manifest]), []byte(`"file://`)):
		return "skill.json names file:// URIs, which SMAPI takes only inside a package"
	}
	return ""
}

func someNames(names []string) string {
	const show = 3
	if len(names) <= show {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:show], ", "), len(names)-show)
}
