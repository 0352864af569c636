package main

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// BenchmarkColdValidate measures what a user waits for: a fresh
// `skillgate validate` process (release build flags) on the realistic
// package in testdata/packages/valid, schemas compiled from scratch.
func BenchmarkColdValidate(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "skillgate")
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, ".")
	build.Env = append(build.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	b.ResetTimer()
	for b.Loop() {
		if out, err := exec.Command(bin, "validate", "testdata/packages/valid").CombinedOutput(); err != nil {
			b.Fatalf("skillgate validate: %v\n%s", err, out)
		}
	}
}
