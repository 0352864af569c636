package validate

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
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

// Load reads the skill package at path: a folder holding skill.json (and
// interactionModels/custom/*.json), as ask-cli v2 lays out skill-package/,
// or a skill.json file on its own. Problems inside the files are findings;
// the error is for when there is nothing to validate at all (missing path,
// unreadable file, a folder without skill.json).
func Load(p string) (*Package, []Finding, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot open skill package: %w (give the skill-package folder or its skill.json)", err)
	}
	display := filepath.ToSlash(filepath.Clean(p))
	pkg := &Package{Models: map[string]*Document{}}
	var findings []Finding
	if !info.IsDir() {
		doc, f, err := readDocument(p, display)
		if err != nil {
			return nil, nil, err
		}
		pkg.Manifest = doc
		return pkg, f, nil
	}
	pkg.Root = display
	manifest := filepath.Join(p, "skill.json")
	if _, err := os.Stat(manifest); errors.Is(err, fs.ErrNotExist) {
		return nil, nil, fmt.Errorf("%s holds no skill.json: give the skill package folder (ask-cli calls it skill-package) or the path of its skill.json", display)
	}
	doc, f, err := readDocument(manifest, path.Join(display, "skill.json"))
	if err != nil {
		return nil, nil, err
	}
	pkg.Manifest = doc
	findings = append(findings, f...)

	models, err := filepath.Glob(filepath.Join(p, "interactionModels", "custom", "*.json"))
	if err != nil {
		return nil, nil, fmt.Errorf("listing interaction models: %w", err)
	}
	sort.Strings(models)
	for _, m := range models {
		name := filepath.Base(m)
		doc, f, err := readDocument(m, path.Join(display, "interactionModels", "custom", name))
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

// readDocument reads at most MaxFileSize+1 bytes, so a huge file is refused
// without reading the rest of it.
func readDocument(file, display string) (*Document, []Finding, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read %s: %w", display, err)
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read %s: %w", display, err)
	}
	doc, findings := ParseDocument(display, raw)
	return doc, findings, nil
}
