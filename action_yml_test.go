package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestActionPassesEveryInputAndOutput keeps action.yml's composite step in
// step with its inputs and outputs: skillgate reads INPUT_<NAME> (as a
// Docker action would receive it), which a composite action must pass
// itself, and a composite action's outputs exist only when mapped from a
// step.
func TestActionPassesEveryInputAndOutput(t *testing.T) {
	b, err := os.ReadFile("action.yml")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	inputsPart, rest, ok := strings.Cut(doc, "\noutputs:\n")
	outputsPart, runsPart, ok2 := strings.Cut(rest, "\nruns:\n")
	if !ok || !ok2 {
		t.Fatal("action.yml has no outputs: or runs: section")
	}
	names := regexp.MustCompile(`(?m)^  ([a-z][a-z0-9-]*):\n    description:`)
	inputs := names.FindAllStringSubmatch(inputsPart, -1)
	if len(inputs) < 10 {
		t.Fatalf("found only %d inputs in action.yml", len(inputs))
	}
	for _, m := range inputs {
		want := "INPUT_" + strings.ToUpper(m[1]) + ": ${{ inputs." + m[1] + " }}"
		if !strings.Contains(runsPart, want) {
			t.Errorf("the run step does not pass input %s: want %q in its env", m[1], want)
		}
	}
	for _, m := range names.FindAllStringSubmatch(outputsPart, -1) {
		if m[1] == "skillgate-path" {
			continue
		}
		want := "value: ${{ steps.run.outputs." + m[1] + " }}"
		if !strings.Contains(outputsPart, "  "+m[1]+":\n") || !strings.Contains(outputsPart, want) {
			t.Errorf("output %s is not mapped: want %q", m[1], want)
		}
	}
	if strings.Contains(runsPart, "docker") || strings.Contains(runsPart, "go build") {
		t.Error("the Action must run the released binary, not build or pull anything")
	}
}
