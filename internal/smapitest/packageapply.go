package smapitest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/skillgate/skillgate/internal/jsoncanon"
	"github.com/skillgate/skillgate/internal/skillpkg"
)

// Resource actions of an import (the model's v1.skill.Action).
const (
	actionCreate       = "CREATE"
	actionUpdate       = "UPDATE"
	actionDisassociate = "DISASSOCIATE"

	statusRollbackSucceeded = "ROLLBACK_SUCCEEDED"
)

// importJob is one import: the resources it touched, each following the
// build it started, or fixed when it failed or was rolled back before any
// build.
type importJob struct {
	id, skillID string
	errs        []string
	res         []*importRes
}

type importRes struct {
	name, action string
	build        *build   // nil: nothing to build
	fixed        string   // a status decided at import time
	errs         []string // errors decided at import time
}

func (r *importRes) state(now time.Time) (string, []string) {
	if r.fixed != "" {
		return r.fixed, r.errs
	}
	st := r.build.status(now)
	if st == statusFailed {
		return st, r.build.errs
	}
	return st, nil
}

// modelResource names a locale's model as SMAPI does: interactionModels.en_US.
func modelResource(locale string) string {
	return "interactionModels." + strings.ReplaceAll(locale, "-", "_")
}

// parsedPackage is an uploaded package checked and ready to apply.
type parsedPackage struct {
	manifest doc
	models   map[string]doc
	files    *pkgFiles
	assets   map[string][]byte // SHA-256 hex → bytes, for the icons hosted
	res      []*importRes      // resources with errors, in order
	failed   bool
}

// parsePackage checks an unpacked package: skill.json whose file:// URIs
// name files of the package (replaced by hosted URLs, as SMAPI does),
// interaction models that are JSON objects. Errors are reported per
// resource.
func (s *Server) parsePackage(base string, files map[string][]byte) *parsedPackage {
	p := &parsedPackage{models: map[string]doc{}, assets: map[string][]byte{},
		files: &pkgFiles{other: map[string][]byte{}, models: map[string]rawModel{}}}
	man := &importRes{name: "manifest"}
	p.res = append(p.res, man)
	for name, b := range files {
		switch loc, isModel := modelLocale(name); {
		case name == skillpkg.Manifest:
			p.files.skillJSON = b
		case isModel:
			d, err := modelDoc(b)
			r := &importRes{name: modelResource(loc)}
			if err != nil {
				r.errs = []string{name + ": " + err.Error()}
			}
			p.res = append(p.res, r)
			p.models[loc] = d
			p.files.models[loc] = rawModel{raw: b, etag: d.etag}
		default:
			p.files.other[name] = b
		}
	}
	if p.files.skillJSON == nil {
		man.errs = []string{"the package has no skill.json at its root"}
	} else if d, errs := hostIcons(p.files.skillJSON, files, base, p.assets); len(errs) > 0 {
		man.errs = errs
	} else {
		p.manifest = d
		p.files.manifestETag = d.etag
	}
	for _, r := range p.res {
		p.failed = p.failed || len(r.errs) > 0
	}
	sortResources(p.res)
	return p
}

func modelLocale(name string) (string, bool) {
	rest, ok := strings.CutPrefix(name, packageModelDir)
	if !ok || strings.Contains(rest, "/") || path.Ext(rest) != ".json" {
		return "", false
	}
	loc := strings.TrimSuffix(rest, ".json")
	return loc, localeRE.MatchString(loc)
}

// sortResources puts the manifest first, then the models by name: the
// order SMAPI lists them in.
func sortResources(res []*importRes) {
	slices.SortStableFunc(res, func(a, b *importRes) int {
		switch {
		case a.name == b.name:
			return 0
		case a.name == "manifest":
			return -1
		case b.name == "manifest":
			return 1
		}
		return strings.Compare(a.name, b.name)
	})
}

// hostIcons reads skill.json and replaces every file:// URI by the URL of
// the package file it names, hosted by the simulator; a URI naming no file
// of the package is an error.
func hostIcons(skillJSON []byte, files map[string][]byte, base string, assets map[string][]byte) (doc, []string) {
	v, err := decodeBody(skillJSON)
	if err != nil {
		return doc{}, []string{"skill.json: " + err.Error()}
	}
	var errs []string
	v = mapStrings(v, func(s string) string {
		rel, ok := strings.CutPrefix(s, "file://")
		if !ok {
			return s
		}
		b, found := files[rel]
		if !found || path.Clean(rel) != rel {
			errs = append(errs, fmt.Sprintf("skill.json: %s names no file of the package", s))
			return s
		}
		sum := sha256.Sum256(b)
		key := hex.EncodeToString(sum[:])
		assets[key] = b
		return base + assetPrefix + key + "/" + rel
	})
	if len(errs) > 0 {
		return doc{}, errs
	}
	b, err := json.Marshal(v)
	if err != nil {
		return doc{}, []string{"skill.json: " + err.Error()}
	}
	d, err := manifestDoc(b)
	if err != nil {
		return doc{}, []string{"skill.json: " + err.Error()}
	}
	return d, nil
}

// mapStrings applies f to every string value (not keys) of a decoded JSON
// value.
func mapStrings(v any, f func(string) string) any {
	switch t := v.(type) {
	case string:
		return f(t)
	case map[string]any:
		for k, e := range t {
			t[k] = mapStrings(e, f)
		}
	case []any:
		for i, e := range t {
			t[i] = mapStrings(e, f)
		}
	}
	return v
}

// applyPackage imports a package into sk (or a new skill of vendor when sk
// is nil). A package with any error changes nothing: its good resources are
// reported ROLLBACK_SUCCEEDED, the others FAILED with their errors.
// Otherwise the manifest and every changed model are written and built,
// models the package no longer holds are removed, and the other files
// replace the previous ones.
func (s *Server) applyPackage(c *call, sk *skill, vendor string, files map[string][]byte) *importJob {
	p := s.parsePackage(s.base(c), files)
	job := &importJob{res: p.res}
	if sk != nil {
		job.skillID = sk.id
	}
	if p.failed {
		job.errs = []string{"the skill package has errors; nothing was changed"}
		for _, r := range p.res {
			r.fixed = statusFailed
			if len(r.errs) == 0 {
				r.fixed = statusRollbackSucceeded
			}
		}
		return job
	}
	maps.Copy(s.pkg.assets, p.assets)
	man := p.res[0]
	man.action = actionUpdate
	if sk == nil {
		id, err := s.addSkill("", p.manifest.body)
		if err != nil {
			man.fixed, man.errs = statusFailed, []string{err.Error()}
			return job
		}
		sk = s.skills[id]
		sk.vendor, job.skillID, man.action = vendor, id, actionCreate
		sk.manifestBuild = s.newBuild(c.now)
		man.build = sk.manifestBuild
	} else if dev := sk.stages[stageDevelopment]; dev.manifest.etag != p.manifest.etag {
		dev.manifest = p.manifest
		sk.manifestBuild = s.newBuild(c.now)
		man.build = sk.manifestBuild
	}
	dev := sk.stages[stageDevelopment]
	job.res = append(job.res, s.applyModels(c, sk, dev, p)...)
	sortResources(job.res)
	dev.pkg = p.files
	sk.updated = c.now
	return job
}

// applyModels writes the package's models into dev, starting a build for
// each that changed, and removes the models it no longer holds. It returns
// the resources of the removed models; the others are p's already.
func (s *Server) applyModels(c *call, sk *skill, dev *stage, p *parsedPackage) []*importRes {
	byName := map[string]*importRes{}
	for _, r := range p.res {
		byName[r.name] = r
	}
	for _, loc := range sortedKeys(p.models) {
		d, r := p.models[loc], byName[modelResource(loc)]
		cur := dev.models[loc]
		r.action = actionUpdate
		if cur == nil {
			r.action = actionCreate
		}
		if cur != nil && cur.etag == d.etag {
			continue
		}
		v := 1
		if cur != nil {
			v = cur.version + 1
		}
		dev.models[loc] = &model{doc: d, version: v}
		sk.modelBuilds[loc] = s.newBuild(c.now)
		r.build = sk.modelBuilds[loc]
	}
	var removed []*importRes
	for _, loc := range sortedKeys(dev.models) {
		if _, kept := p.models[loc]; !kept {
			delete(dev.models, loc)
			delete(sk.modelBuilds, loc)
			removed = append(removed, &importRes{name: modelResource(loc), action: actionDisassociate, fixed: statusSucceeded})
		}
	}
	return removed
}

// exportFiles is a stage's package as an export zips it: skill.json and
// the models as last imported while they are unchanged, rendered from the
// live resources (hosted icons back to file:// URIs) once another API
// changed them, and every other file of the last import.
func exportFiles(st *stage) (map[string][]byte, error) {
	files := map[string][]byte{}
	pkg := st.pkg
	if pkg == nil {
		pkg = &pkgFiles{}
	}
	maps.Copy(files, pkg.other)
	if pkg.skillJSON != nil && pkg.manifestETag == st.manifest.etag {
		files[skillpkg.Manifest] = pkg.skillJSON
	} else {
		b, err := render(st.manifest.body, unhost)
		if err != nil {
			return nil, err
		}
		files[skillpkg.Manifest] = b
	}
	for loc, m := range st.models {
		name := packageModelDir + loc + ".json"
		if raw, ok := pkg.models[loc]; ok && raw.etag == m.etag {
			files[name] = raw.raw
			continue
		}
		b, err := render(m.body, nil)
		if err != nil {
			return nil, err
		}
		files[name] = b
	}
	return files, nil
}

// unhost turns a URL of an icon the simulator hosts back into the file://
// URI of the package file.
func unhost(s string) string {
	i := strings.Index(s, assetPrefix)
	if i < 0 || !strings.HasPrefix(s, "http") {
		return s
	}
	_, rel, ok := strings.Cut(s[i+len(assetPrefix):], "/")
	if !ok {
		return s
	}
	return "file://" + rel
}

// render pretty-prints a stored document as ask-cli writes package files,
// mapping its strings through f when given.
func render(body []byte, f func(string) string) ([]byte, error) {
	v, err := decodeBody(body)
	if err != nil {
		return nil, err
	}
	if f != nil {
		v = mapStrings(v, f)
	}
	return jsoncanon.MarshalIndent(v)
}
