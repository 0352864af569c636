package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/skillgate/skillgate/internal/discover"
	"github.com/skillgate/skillgate/internal/project"
)

const discoverDescription = `List every skill package under ROOT (default: the current folder) as JSON
for a GitHub Actions matrix, on one line:

  {"include":[{"name":"weather","path":"weather/skill-package","skill-id":"amzn1.ask.skill..."}]}

A skill package is a folder with a skill.json holding "manifest" (or v0
"skillManifest"); node_modules, .git and hidden folders are skipped. Paths are
relative to ROOT. skill-id comes from .ask/ask-states.json of the ask-cli
project whose ask-resources.json names the package (profile from --profile,
ASK_DEFAULT_PROFILE or "default"), else it is "".

--changed-since REF keeps the packages with a file changed since REF: what
this branch changed since it forked from REF (git diff REF...HEAD) plus
uncommitted and untracked files. In CI, check out with fetch-depth: 0.

Nothing found prints {"include":[]}. GitHub rejects a matrix with no entries,
so guard the matrix job with
  if: fromJSON(needs.discover.outputs.matrix).include[0]

Exit codes: 0 success (also when nothing is found); 2 usage error, an
unreadable folder or ask-cli file, or a git failure (git's message is shown).`

func runDiscover(ctx context.Context, env *Env, args []string) int {
	fs := newFlagSet(env, "discover", "[ROOT] [--changed-since REF] [--profile NAME]", discoverDescription)
	since := fs.String("changed-since", "", "keep only packages with files changed since this Git revision")
	profile := fs.String("profile", "", "ask-cli profile for skill ids (default: $ASK_DEFAULT_PROFILE or default)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 1 {
		fmt.Fprintf(env.Stderr, "skillgate discover: one ROOT at most, got %d: %s\n", fs.NArg(), strings.Join(fs.Args(), " "))
		return ExitUsage
	}
	root := fs.Arg(0)
	if root == "" {
		root = "."
	}
	prof, _ := project.Profile(*profile, env.Getenv)
	m, err := discover.Find(ctx, root, discover.Options{Profile: prof, ChangedSince: *since})
	if err != nil {
		fmt.Fprintf(env.Stderr, "skillgate discover: %v\n", err)
		return ExitUsage
	}
	b, err := json.Marshal(m)
	if err != nil { // unreachable: strings only
		fmt.Fprintf(env.Stderr, "skillgate discover: %v\n", err)
		return ExitUsage
	}
	fmt.Fprintf(env.Stdout, "%s\n", b)
	what := "skill packages"
	if len(m.Include) == 1 {
		what = "skill package"
	}
	if *since != "" {
		fmt.Fprintf(env.Stderr, "skillgate discover: %d %s changed since %s under %s\n", len(m.Include), what, *since, root)
	} else {
		fmt.Fprintf(env.Stderr, "skillgate discover: %d %s under %s\n", len(m.Include), what, root)
	}
	return ExitOK
}
