package cli

import (
	"context"
	"fmt"

	"github.com/skillgate/skillgate/internal/action"
)

const actionDescription = `Run as the GitHub Action (the default when GITHUB_ACTIONS=true and no
command is given). Inputs come from INPUT_<NAME> with the name upper-cased
and its hyphens kept (INPUT_SKILL-ID), as action.yml's run step passes them
(the runner's way for Docker actions); the event from GITHUB_EVENT_NAME and
GITHUB_EVENT_PATH; outputs go to GITHUB_OUTPUT and the summary to
GITHUB_STEP_SUMMARY (printed on stdout when those are unset). See README.md
for every input and output.

Exit codes: 0 success, 1 the work failed, 2 a bad input or environment.`

func runAction(ctx context.Context, env *Env, args []string) int {
	fs := newFlagSet(env, "action", "", actionDescription)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "skillgate action: takes no arguments (inputs come from INPUT_* variables), got %v\n", fs.Args())
		return ExitUsage
	}
	return action.Run(ctx, action.Config{
		Getenv:     env.Getenv,
		Stdout:     env.Stdout,
		HTTPClient: env.HTTPClient,
		Version:    version(),
	})
}
