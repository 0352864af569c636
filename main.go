// Command skillgate validates, diffs and deploys Alexa skill packages kept in a
// Git repository. It is both a GitHub Action (a composite action running the
// release binary) and a command-line tool; see README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/skillgate/skillgate/internal/cli"
)

func main() {
	os.Exit(run())
}

// gcPercent replaces Go's default of 100. A skillgate process is short and
// its heap small (a few MB, the largest a skill package or a manifest): with
// 400 a typical command ends before its first collection, which saved about
// 4 ms of a cold `skillgate validate` (BenchmarkCold), for a few MB more
// memory at most. GOGC in the environment still decides when it is set.
const gcPercent = 400

func run() int {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first signal cancels the work, which then says where things stand;
	// a second one gets Go's default (the process ends at once), so a call
	// that does not watch the context can never make skillgate unkillable.
	go func() {
		<-ctx.Done()
		stop()
	}()
	return cli.Run(ctx, os.Args[1:], &cli.Env{
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Getenv: os.Getenv,
	})
}
