package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/skillgate/skillgate/internal/demo"
)

const demoDescription = `Run the whole pull-request-then-merge story offline, in one process, against
the embedded SMAPI simulator and a fake GitHub: validation, the sticky plan
comment, a teammate's console edit caught by the drift guard, then a clean
deploy with its progress and deployment summary. No credentials, no network.

Exit codes: 0 the story ran as expected, 1 it did not (a bug: please report
it), 2 usage error.`

func runDemo(ctx context.Context, env *Env, args []string) int {
	fs := newFlagSet(env, "demo", "[--out DIR]", demoDescription)
	out := fs.String("out", "", "keep the PR comment, the deployment summary and the outputs as files in `DIR`")
	buildTime := fs.Duration("build-time", 0, "how long the simulator's builds take (default 1.5s)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "skillgate demo: takes no arguments, got %v\n", fs.Args())
		return ExitUsage
	}
	if *buildTime < 0 {
		fmt.Fprintf(env.Stderr, "skillgate demo: --build-time %s: give a positive duration\n", *buildTime)
		return ExitUsage
	}
	if *out != "" {
		// Up front: a folder that cannot be made is the user's to fix, not
		// the story failing.
		if err := os.MkdirAll(*out, 0o755); err != nil {
			fmt.Fprintf(env.Stderr, "skillgate demo: --out %s: %v\n", *out, err)
			return ExitUsage
		}
	}
	err := demo.Run(ctx, demo.Options{Stdout: env.Stdout, Out: *out, BuildTime: *buildTime, Version: version()})
	if err != nil {
		fmt.Fprintf(env.Stderr, "skillgate demo: %v\n", err)
		return ExitFailed
	}
	return ExitOK
}
