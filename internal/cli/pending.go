package cli

// TEMPORARY during the first session: each of these is replaced by its own
// file (validate.go, diff.go, ...). This file must be deleted before landing.

import (
	"context"
	"fmt"
)

func pending(name string) func(context.Context, *Env, []string) int {
	return func(_ context.Context, env *Env, _ []string) int {
		fmt.Fprintf(env.Stderr, "skillgate %s: not available in this build\n", name)
		return ExitUsage
	}
}

var (
	runDemo   = pending("demo")
	runAction = pending("action")
)
