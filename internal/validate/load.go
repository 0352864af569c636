package validate

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/skillgate/skillgate/internal/jsonfile"
	"github.com/skillgate/skillgate/internal/project"
)

// Package is a loaded skill package: the manifest and the custom interaction
// models, each read strictly.
type Package struct {
	Root     string               // display path of the package folder ("" when a lone skill.json was given)
	Manifest *Document            // skill.json
	Models   map[string]*Document // interactionModels/custom/<locale>.json by locale (syntax-checked only here)
}

// Source returns the bytes of a loaded file by display path, or nil.
func (p *Package) Source(file string) []byte {
	if p == nil {
		return nil
	}
	if p.Manifest != nil && p.Manifest.Path == file {
		return p.Manifest.Raw
	}
	for _, m := range p.Models {
		if m.Path == file {
			return m.Raw
		}
	}
	return nil
}

// ModelBytes returns the bytes of each model by locale, as the deploy and
// the simulator take them; nil for a package without models, which deploys
// the manifest alone.
func (p *Package) ModelBytes() map[string][]byte {
	if p == nil || len(p.Models) == 0 {
		return nil
	}
	out := make(map[string][]byte, len(p.Models))
	for loc, d := range p.Models {
		out[loc] = d.Raw
	}
	return out
}

// Load reads the skill package at path: a folder holding skill.json (and
// interactionModels/custom/*.json), as ask-cli v2 lays out skill-package/,
// or a skill.json file on its own. Problems inside the files are findings;
// the error is for when the package cannot be read as a whole: a missing
// path, a folder without skill.json, or any file or folder of the package
// that cannot be read (left out, it would pass unchecked).
func Load(p string) (*Package, []Finding, error) {
	manifest, folder, err := project.ManifestFile(p)
	if err != nil {
		return nil, nil, err
	}
	display := filepath.ToSlash(filepath.Clean(p))
	pkg := &Package{Models: map[string]*Document{}}
	if !folder {
		doc, f, err := readDocument(ManifestFile, p, display)
		if err != nil {
			return nil, nil, err
		}
		pkg.Manifest = doc
		return pkg, f, nil
	}
	pkg.Root = display
	doc, findings, err := readDocument(ManifestFile, manifest, path.Join(display, project.ManifestName))
	if err != nil {
		return nil, nil, err
	}
	pkg.Manifest = doc
	names, err := listModels(p, display)
	if err != nil {
		return nil, nil, err
	}
	for _, name := range names {
		doc, f, err := readDocument(ModelFile, filepath.Join(p, modelsDir, name), path.Join(display, modelsDir, name))
		if err != nil {
			return nil, nil, err
		}
		findings = append(findings, f...)
		locale := strings.TrimSuffix(name, ".json")
		pkg.Models[locale] = doc
		if !isLocale(locale) {
			msg := fmt.Sprintf("the model file is named for %q, which is not a locale Alexa supports", locale)
			if s := suggestLocale(locale); s != "" {
				msg += fmt.Sprintf("; did you mean %s.json?", s)
			}
			findings = append(findings, doc.fileFinding("locale.invalid", msg))
		}
	}
	return pkg, findings, nil
}

// modelsDir holds the custom interaction models, one <locale>.json each.
const modelsDir = "interactionModels/custom"

// listModels lists the .json files of the package's modelsDir, sorted. A
// package without that folder has no models; one that exists but cannot be
// listed (no permission, a file where a folder should be, a symbolic link
// loop) is an error naming it.
func listModels(root, display string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(modelsDir)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the folder %s: %w: fix its permissions or move it away", path.Join(display, modelsDir), pathErr(err))
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// readDocument reads one file of the package through jsonfile.ReadFile:
// only a regular file, and at most MaxFileSize bytes of it, so a huge file is
// refused (as a json.too-large finding) without reading the rest.
func readDocument(kind FileKind, file, display string) (*Document, []Finding, error) {
	raw, err := jsonfile.ReadFile(file, MaxFileSize)
	if errors.Is(err, jsonfile.ErrTooLarge) {
		doc := &Document{Path: display}
		return doc, []Finding{doc.tooLarge(kind)}, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read %s: %w", display, pathErr(err))
	}
	doc, findings := ParseFile(kind, display, raw)
	return doc, findings, nil
}

// pathErr drops the operation and path from an *fs.PathError, which the
// messages that wrap it already name.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
