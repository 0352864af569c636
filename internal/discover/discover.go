// Package discover finds every Alexa skill package in a repository, for a
// GitHub Actions matrix that runs skillgate once per skill.
//
// A skill package is a folder holding a skill.json whose top-level object has
// "manifest" (v1) or "skillManifest" (v0). node_modules, .git and every
// hidden folder are skipped: they hold copies (ask-cli's .ask build output,
// npm packages shipping sample skills), never the source of truth.
package discover

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/skillgate/skillgate/internal/project"
)

// Package is one entry of the matrix. The JSON names are what a workflow
// reads as matrix.name, matrix.path and matrix.skill-id.
type Package struct {
	// Name is unique within one result and derived from Path only, so it is
	// stable from run to run (GitHub shows it in the job name).
	Name string `json:"name"`
	// Path is the package folder relative to the root, slash-separated;
	// "." when the root itself is the package.
	Path string `json:"path"`
	// SkillID comes from .ask/ask-states.json of the ask-cli project whose
	// ask-resources.json names this package; "" when there is none.
	SkillID string `json:"skill-id"`
}

// Matrix is the value for strategy.matrix. Include is never nil, so an empty
// result marshals as {"include":[]}.
type Matrix struct {
	Include []Package `json:"include"`
}

// Options tune Find. The zero value finds every package and reads skill ids
// for the "default" profile.
type Options struct {
	// Profile selects profiles.<profile> in ask-cli files; "" is "default".
	Profile string
	// ChangedSince, when set, keeps only packages with a file changed since
	// that Git revision (see Changed).
	ChangedSince string
	// Git is the git executable; "" means "git" from PATH.
	Git string
}

// Find walks root and returns every skill package under it, sorted by path.
func Find(ctx context.Context, root string, opts Options) (Matrix, error) {
	if opts.Profile == "" {
		opts.Profile = project.DefaultProfile
	}
	info, err := os.Stat(root)
	if err != nil {
		return Matrix{}, fmt.Errorf("cannot read %s: %w", root, err)
	}
	if !info.IsDir() {
		return Matrix{}, fmt.Errorf("%s is not a folder: give the folder to search", root)
	}

	dirs, err := packageDirs(ctx, root, opts.Profile)
	if err != nil {
		return Matrix{}, err
	}
	var changed []string
	if opts.ChangedSince != "" {
		changed, err = Changed(ctx, root, opts.ChangedSince, opts.Git)
		if err != nil {
			return Matrix{}, err
		}
	}

	m := Matrix{Include: []Package{}}
	for _, rel := range dirs {
		if opts.ChangedSince != "" && !touched(rel, changed) {
			continue
		}
		id, err := skillID(root, rel, opts.Profile)
		if err != nil {
			return Matrix{}, err
		}
		m.Include = append(m.Include, Package{Path: rel, SkillID: id})
	}
	name(m.Include, root)
	return m, nil
}

// packageDirs returns the package folders under root, relative and
// slash-separated, sorted.
func packageDirs(ctx context.Context, root, profile string) ([]string, error) {
	found := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			// An unreadable folder deep in the tree should not hide the
			// rest, but it must not pass unnoticed either.
			return fmt.Errorf("cannot read %s: %w", p, err)
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		if d.IsDir() {
			if p != root && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		dir := filepath.Dir(p)
		switch d.Name() {
		case project.ManifestName:
			ok, err := isSkillJSON(p)
			if err != nil {
				return err
			}
			if ok {
				found[rel(root, dir)] = true
			}
		case project.ResourcesFile:
			// An ask-cli project names its package even when its
			// skill.json is too broken to recognise: validating it is
			// exactly what the matrix job is for.
			src, ok, err := project.PackageSource(dir, profile)
			if err != nil {
				return err
			}
			if ok && within(root, src) {
				if st, err := os.Stat(filepath.Join(src, project.ManifestName)); err == nil && !st.IsDir() && !hidden(rel(root, src)) {
					found[rel(root, src)] = true
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	dirs := make([]string, 0, len(found))
	for d := range found {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	return dirs, nil
}

func skipDir(name string) bool {
	return name == "node_modules" || strings.HasPrefix(name, ".")
}

// hidden reports whether a relative path goes through a folder Find skips.
func hidden(rel string) bool {
	for _, part := range strings.Split(rel, "/") {
		if part != "." && skipDir(part) {
			return true
		}
	}
	return false
}

// isSkillJSON reports whether the file's top-level object has a "manifest"
// or "skillManifest" key. Only the top level is read, so a syntax error
// further down still counts: the package exists and must be validated.
func isSkillJSON(file string) (bool, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return false, fmt.Errorf("cannot read %s: %w", file, err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return false, nil
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return false, nil
		}
		if key, _ := tok.(string); key == "manifest" || key == "skillManifest" {
			return true, nil
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return false, nil
		}
	}
	return false, nil
}

// skillID finds the ask-cli project that owns the package at rel: the
// nearest folder at or above it, within root, holding ask-resources.json.
// The id counts only when that project names this package; a stray
// skill.json inside someone else's project must not inherit their skill id.
func skillID(root, rel, profile string) (string, error) {
	for dir := rel; ; dir = path.Dir(dir) {
		abs := filepath.Join(root, filepath.FromSlash(dir))
		src, ok, err := project.PackageSource(abs, profile)
		if err != nil {
			return "", err
		}
		if ok {
			if filepath.Clean(src) != filepath.Clean(filepath.Join(root, filepath.FromSlash(rel))) {
				return "", nil
			}
			return project.SkillID(abs, profile)
		}
		if dir == "." {
			break
		}
	}
	// No ask-resources.json: an ask-cli project without one (hand-made
	// .ask/ask-states.json beside the default skill-package folder).
	if path.Base(rel) == project.DefaultPackage {
		return project.SkillID(filepath.Join(root, filepath.FromSlash(path.Dir(rel))), profile)
	}
	return "", nil
}

func rel(root, p string) string {
	r, err := filepath.Rel(root, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(r)
}

func within(root, p string) bool {
	r := rel(root, p)
	return r != ".." && !strings.HasPrefix(r, "../") && !filepath.IsAbs(r)
}

func touched(dir string, changed []string) bool {
	if dir == "." {
		return len(changed) > 0
	}
	for _, f := range changed {
		if strings.HasPrefix(f, dir+"/") {
			return true
		}
	}
	return false
}

var nameUnsafe = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// name fills in Package.Name from the path: slashes become dashes and a
// trailing "skill-package" (ask-cli's folder name) is dropped, so
// "skills/weather/skill-package" is "skills-weather". Clashes get -2, -3 in
// path order, which is stable because the list is sorted.
func name(pkgs []Package, root string) {
	used := map[string]bool{}
	for i := range pkgs {
		p := pkgs[i].Path
		if p == project.DefaultPackage || p == "." {
			p = filepath.Base(absOr(root))
		}
		p = strings.TrimSuffix(p, "/"+project.DefaultPackage)
		n := strings.Trim(nameUnsafe.ReplaceAllString(strings.ReplaceAll(p, "/", "-"), "_"), "-")
		if n == "" {
			n = "skill"
		}
		base := n
		for k := 2; used[n]; k++ {
			n = base + "-" + strconv.Itoa(k)
		}
		used[n] = true
		pkgs[i].Name = n
	}
}

func absOr(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// ErrGit marks a failed git command; its message is git's own.
var ErrGit = errors.New("git failed")
