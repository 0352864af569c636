package cli

// TEMPORARY: replaced by demo.go.

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

var runDemo = pending("demo")
