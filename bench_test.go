package main

import (
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// BenchmarkCold measures what a user waits for: fresh skillgate processes
// of a release build (the flags .goreleaser.yaml uses), side by side:
//
//   - version: starting the binary at all (runtime and package init);
//   - validate: `skillgate validate testdata/packages/valid`, a realistic
//     package (skill.json and two interaction models), schemas compiled
//     from scratch.
//
// Besides the mean (ns/op) it reports the median wall time (median-ms) and
// the child's CPU time, user plus system (cpu-ms/op), which a busy machine
// inflates less than wall time. The README's performance section shows the
// figures: go test -run '^$' -bench Cold -benchtime 200x .
func BenchmarkCold(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "skillgate")
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, ".")
	build.Env = append(build.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	for _, bc := range []struct {
		name string
		args []string
	}{
		{"version", []string{"version"}},
		{"validate", []string{"validate", "testdata/packages/valid"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var walls []time.Duration
			var cpu time.Duration
			for b.Loop() {
				cmd := exec.Command(bin, bc.args...)
				start := time.Now()
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("skillgate %v: %v\n%s", bc.args, err, out)
				}
				walls = append(walls, time.Since(start))
				cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
			}
			slices.Sort(walls)
			b.ReportMetric(float64(walls[len(walls)/2])/float64(time.Millisecond), "median-ms")
			b.ReportMetric(float64(cpu)/float64(time.Millisecond)/float64(len(walls)), "cpu-ms/op")
		})
	}
}
