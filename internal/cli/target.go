package cli

import (
	"fmt"

	"github.com/skillgate/skillgate/internal/project"
	"github.com/skillgate/skillgate/internal/smapi"
)

// packageTarget resolves what a command about one skill package talks to
// SMAPI about (diff, deploy): the package folder and the skill id (from the
// flags, else the ask-cli project), with the resolution's notes printed,
// and the SMAPI client (newSMAPIClient), its configuration checked. what
// completes "pass the id of the skill to …" when no skill id is found,
// unless what is "" (a deploy creates the skill then). Every failure here
// is a usage error (exit 2), printed.
func packageTarget(env *Env, name, path, skillID, profile string, client clientOpts, what string) (project.Resolved, *smapi.Client, int, bool) {
	fail := func(err string) (project.Resolved, *smapi.Client, int, bool) {
		fmt.Fprintf(env.Stderr, "skillgate %s: %s\n", name, err)
		return project.Resolved{}, nil, ExitUsage, false
	}
	resolved, err := project.Resolve(".", path, skillID, profile, env.Getenv)
	if err != nil {
		return fail(err.Error())
	}
	if resolved.SkillID == "" && what != "" {
		return fail(fmt.Sprintf("--skill-id is required (no skill id in %s either): pass the id of the skill to %s", project.StatesFile, what))
	}
	for _, n := range resolved.Notes() {
		fmt.Fprintf(env.Stderr, "skillgate %s: %s\n", name, n)
	}
	c, err := newSMAPIClient(env, client)
	if err != nil {
		return fail(err.Error())
	}
	return resolved, c, ExitOK, true
}
