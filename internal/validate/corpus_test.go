package validate

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/skillgate/skillgate/internal/golden"
)

// corpusFiles are real skill.json files from public repositories, with their
// mistakes (see testdata/corpus/SOURCES.md).
func corpusFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/corpus/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files: %v", err)
	}
	sort.Strings(files)
	return files
}

// TestCorpus validates every corpus file and compares the findings with
// testdata/corpus.golden (go test -run TestCorpus -update rewrites it).
func TestCorpus(t *testing.T) {
	var b strings.Builder
	valid := 0
	counts := map[string]int{}
	for _, file := range corpusFiles(t) {
		r, err := ValidatePath(file)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		fmt.Fprintf(&b, "== %s: %d errors, %d warnings\n", filepath.Base(file), r.Errors, r.Warnings)
		for _, f := range r.Findings {
			fmt.Fprintf(&b, "%d:%d %s %s %s: %s\n", f.Line, f.Column, f.Severity, f.Rule, f.Pointer, f.Message)
			counts[f.Rule]++
			checkFinding(t, r.Package, f)
		}
		if r.Errors == 0 {
			valid++
		}
	}
	fmt.Fprintf(&b, "\n%d files without errors\n", valid)
	ids := sortedKeys(counts)
	sort.SliceStable(ids, func(i, j int) bool { return counts[ids[i]] > counts[ids[j]] })
	for _, id := range ids {
		fmt.Fprintf(&b, "%5d %s\n", counts[id], id)
	}
	golden.Check(t, "testdata/corpus.golden", []byte(b.String()))
}

// checkFinding holds every finding to the contract: a registered rule with
// its registered severity, and a position that the position map gives for
// the pointer (no guessed positions).
func checkFinding(t *testing.T, p *Package, f Finding) {
	t.Helper()
	rule, ok := ruleIndex()[f.Rule]
	if !ok {
		t.Errorf("%s: rule %q is not registered in ruleList", f.File, f.Rule)
	} else if rule.Severity != f.Severity {
		t.Errorf("%s: rule %s emitted as %s, registered as %s", f.File, f.Rule, f.Severity, rule.Severity)
	}
	if f.Line < 1 || f.Column < 1 || f.Message == "" {
		t.Errorf("%s: bad finding %+v", f.File, f)
	}
	var doc *Document
	if p.Manifest != nil && p.Manifest.Path == f.File {
		doc = p.Manifest
	}
	for _, m := range p.Models {
		if m.Path == f.File {
			doc = m
		}
	}
	if doc == nil {
		t.Errorf("finding for a file not in the package: %+v", f)
		return
	}
	if strings.HasPrefix(f.Rule, "json.") || f.Pointer == "" && f.Rule == "locale.invalid" {
		return // positioned at the offending byte or at the file
	}
	if f.Rule == "key.unknown" {
		pos, ok := doc.tree.KeyPos(f.Pointer)
		if !ok || pos.Line != f.Line || pos.Column != f.Column {
			t.Errorf("%s: finding %s at %d:%d, but the key of %q is at %v (%v)", f.File, f.Rule, f.Line, f.Column, f.Pointer, pos, ok)
		}
		return
	}
	pos, ok := doc.Pos(f.Pointer)
	if !ok || pos.Line != f.Line || pos.Column != f.Column {
		t.Errorf("%s: finding %s at %d:%d, but the map gives %v (%v) for %q", f.File, f.Rule, f.Line, f.Column, pos, ok, f.Pointer)
	}
}
