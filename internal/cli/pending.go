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
	runValidate         = pending("validate")
	runDiff             = pending("diff")
	runDeploy           = pending("deploy")
	runStatus           = pending("status")
	runSkills           = pending("skills")
	runPublication      = pending("publication")
	runCertification    = pending("certification")
	runInteractionModel = pending("interaction-model")
	runAccountLinking   = pending("account-linking")
	runMigrate          = pending("migrate")
	runDiscover         = pending("discover")
	runSimulator        = pending("simulator")
	runDemo             = pending("demo")
	runAction           = pending("action")
)
