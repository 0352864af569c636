package main

import (
	"os"
	"path/filepath"
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
