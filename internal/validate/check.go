package validate

import (
	"fmt"
	"slices"
	"sort"
)

// Check runs the schemas and the cross-field rules on a loaded package: the
// manifest rules, the rules of each interaction model, and the checks
// between the models and the manifest. The strict-reading findings come from
// Load; Check adds the rest.
func Check(p *Package) []Finding {
	if p == nil || p.Manifest == nil {
		return nil
	}
	out, manifest := checkManifest(p.Manifest)
	out = append(out, checkPackageFiles(p, manifest)...)
	return append(out, checkModels(p, manifest)...)
}

// checkManifest returns the manifest's findings and, when it is a v1
// manifest object, the manifest for the model cross-checks.
func checkManifest(doc *Document) ([]Finding, map[string]any) {
	top, ok := doc.Value.(map[string]any)
	if !ok {
		return nil, nil // did not parse, or not an object: already reported
	}
	if _, v0 := top["skillManifest"]; v0 {
		f, _ := doc.find("/skillManifest", "manifest.v0-format",
			"this is a v0 skill.json (top-level key skillManifest); SMAPI v1 expects manifest: run skillgate migrate -w to rewrite it")
		return []Finding{f}, nil
	}
	set, err := compiledFor(doc.Value)
	if err != nil {
		f, _ := doc.find("", "schema.invalid", fmt.Sprintf("the embedded schemas did not compile (%v): this is a skillgate bug, please report it", err))
		return []Finding{f}, nil
	}
	out := set.findings(doc)
	manifest, ok := top["manifest"].(map[string]any)
	if ok {
		c := &checker{doc: doc, data: set.schemaData}
		c.run(manifest)
		out = append(out, c.out...)
	}
	return out, manifest
}

// Result is the outcome of validating one package.
type Result struct {
	Package  *Package
	Findings []Finding
	Errors   int
	Warnings int
}

// ValidatePath loads and checks the package at path. Findings are
// de-duplicated and sorted by file, line, column and rule. The error is
// Load's: there was nothing to validate.
func ValidatePath(path string) (*Result, error) {
	p, findings, err := Load(path)
	if err != nil {
		return nil, err
	}
	findings = append(findings, Check(p)...)
	findings = dedupe(findings)
	SortFindings(findings)
	r := &Result{Package: p, Findings: findings}
	for _, f := range findings {
		switch f.Severity {
		case Error:
			r.Errors++
		case Warning:
			r.Warnings++
		}
	}
	return r, nil
}

// Failed reports whether any finding is at or above failOn.
func (r *Result) Failed(failOn Severity) bool {
	return slices.ContainsFunc(r.Findings, func(f Finding) bool { return f.Severity >= failOn })
}

// SortFindings orders findings by file, line, column and rule (then message,
// so that the order is total and outputs are stable).
func SortFindings(f []Finding) {
	sort.SliceStable(f, func(i, j int) bool {
		a, b := f[i], f[j]
		switch {
		case a.File != b.File:
			return a.File < b.File
		case a.Line != b.Line:
			return a.Line < b.Line
		case a.Column != b.Column:
			return a.Column < b.Column
		case a.Rule != b.Rule:
			return a.Rule < b.Rule
		case a.Pointer != b.Pointer:
			return a.Pointer < b.Pointer
		}
		return a.Message < b.Message
	})
}

// dedupe drops findings identical to an earlier one (the schema can reach
// the same value through two paths).
func dedupe(in []Finding) []Finding {
	seen := make(map[Finding]bool, len(in))
	out := in[:0]
	for _, f := range in {
		if seen[f] {
			continue
		}
		seen[f] = true
		out = append(out, f)
	}
	return out
}
