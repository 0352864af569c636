package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestREADMEShowsExampleWorkflows keeps the workflows the README shows equal
// to the files under examples/workflows, which CI runs actionlint on: a
// user copying from the README gets a workflow that was linted.
func TestREADMEShowsExampleWorkflows(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("examples/workflows/*.yml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no example workflows: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(readme), "```yaml\n"+string(b)+"```\n") {
			t.Errorf("README.md does not show %s exactly as the file holds it", f)
		}
	}
}

// TestREADMEListsEveryActionInputAndOutput keeps the README's Inputs and
// Outputs tables and action.yml naming the same inputs and outputs, both
// ways: a user reads the README, the runner reads action.yml.
func TestREADMEListsEveryActionInputAndOutput(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	yml, err := os.ReadFile("action.yml")
	if err != nil {
		t.Fatal(err)
	}
	inputsPart, rest, _ := strings.Cut(string(yml), "\noutputs:\n")
	outputsPart, _, _ := strings.Cut(rest, "\nruns:\n")
	names := regexp.MustCompile(`(?m)^  ([a-z][a-z0-9-]*):\n    description:`)
	for _, tc := range []struct{ heading, yml string }{{"### Inputs", inputsPart}, {"### Outputs", outputsPart}} {
		var inYML []string
		for _, m := range names.FindAllStringSubmatch(tc.yml, -1) {
			inYML = append(inYML, m[1])
		}
		inREADME := readmeTableNames(t, string(readme), tc.heading)
		slices.Sort(inYML)
		slices.Sort(inREADME)
		if len(inYML) == 0 || !slices.Equal(inYML, inREADME) {
			t.Errorf("%s: action.yml has %v, the README's table %v", tc.heading, inYML, inREADME)
		}
	}
}

// readmeTableNames returns the backquoted names in the first column of the
// first table after heading ("`errors`, `warnings`" gives both).
func readmeTableNames(t *testing.T, readme, heading string) []string {
	t.Helper()
	_, section, ok := strings.Cut(readme, "\n"+heading+"\n")
	if !ok {
		t.Fatalf("README.md has no %q section", heading)
	}
	var out []string
	inTable := false
	for line := range strings.Lines(section) {
		if !strings.HasPrefix(line, "| ") {
			if inTable {
				break
			}
			continue
		}
		inTable = true
		first := strings.Split(line, "|")[1]
		if strings.Contains(first, "---") || strings.TrimSpace(first) == "input" || strings.TrimSpace(first) == "output" {
			continue
		}
		for _, m := range regexp.MustCompile("`([a-z0-9-]+)`").FindAllStringSubmatch(first, -1) {
			out = append(out, m[1])
		}
	}
	return out
}
