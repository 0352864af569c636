package cli

// Flag helpers shared by the commands, beside newFlagSet and enumFlag.

import (
	"flag"
	"fmt"
	"strings"

	"github.com/skillgate/skillgate/internal/smapi"
)

// stageFlag is --stage, development or live.
func stageFlag(fs *flag.FlagSet) *enumFlag {
	e := newEnum(smapi.StageDevelopment, smapi.StageDevelopment, smapi.StageLive)
	fs.Var(e, "stage", "stage: "+strings.Join(e.allowed, " or "))
	return e
}

// noArgs refuses positional arguments for commands that take none.
func noArgs(env *Env, name string, fs *flag.FlagSet) (int, bool) {
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "skillgate %s: unexpected argument %q\n", name, fs.Arg(0))
		return ExitUsage, false
	}
	return ExitOK, true
}
