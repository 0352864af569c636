// Command skillgate validates, diffs and deploys Alexa skill packages kept in a
// Git repository. It is both a GitHub Action (Docker) and a command-line tool;
// see README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/skillgate/skillgate/internal/cli"
)

func main() {
	os.Exit(run())
}

func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return cli.Run(ctx, os.Args[1:], &cli.Env{
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Getenv: os.Getenv,
	})
}
