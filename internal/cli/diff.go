package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/skillgate/skillgate/internal/exitcode"
	"github.com/skillgate/skillgate/internal/plan"
	"github.com/skillgate/skillgate/internal/skillpkg"
	"github.com/skillgate/skillgate/internal/validate"
)

const diffDescription = `Show how the skill package differs from the skill's live manifest on SMAPI,
and each interactionModels/custom/<locale>.json from that locale's live model
(intents, samples and slot values added and removed), without changing
anything. PATH is the package folder or its skill.json (default: the package
named by ask-resources.json, else skill-package).

What the service rewrites on its own is not a change: key order, number
spelling (1.0 against 1), the hosted URL of a file:// icon, and an endpoint
the repository leaves without a uri (the live one is kept). Those are listed
as "asset" or "kept from live".

  text      the changes by section, then a unified diff
  markdown  the pull-request comment skillgate posts, with its plan marker
  json      {"changed":…,"count":…,"sections":[…],"changes":[…],"diff":"…"},
            plus "models":[…] when the package has interaction models, and
            "importReason":"…","files":[{"path","kind","size","sha256",
            "oldSize","oldSha256","fields","moreFields"},…] when it holds
            files only a package import carries (icons, other assets);
            "changed" and "count" stay those of the manifest and models

Validation findings do not stop the diff; they are counted on stderr (and
listed in the markdown). Credentials come from ASK_CLIENT_ID,
ASK_CLIENT_SECRET and ASK_REFRESH_TOKEN (or ASK_ACCESS_TOKEN);
ASK_SMAPI_SERVER_BASE_URL and ASK_LWA_TOKEN_HOST override the endpoints.

Exit codes: 0 the diff was shown (changes or not), 1 SMAPI refused or
failed, 2 usage or configuration error, or a manifest that cannot be read.`

// diffConfig is what `skillgate diff` was asked for.
type diffConfig struct {
	path, skillID, profile, stage, format string
	client                                clientOpts
}

func runDiff(ctx context.Context, env *Env, args []string) int {
	c, code, ok := parseDiff(env, args)
	if !ok {
		return code
	}
	resolved, client, code, ok := packageTarget(env, "diff", c.path, c.skillID, c.profile, c.client, "compare with")
	if !ok {
		return code
	}
	res, code, ok := diffPackage(env, resolved.Path, c.format)
	if !ok {
		return code
	}
	p, err := plan.New(ctx, client, res, plan.Options{SkillID: resolved.SkillID, Stage: c.stage})
	if err != nil {
		return diffFail(env, exitcode.Of(err), "%v", err)
	}
	switch c.format {
	case "json":
		err = p.JSON(env.Stdout)
	case "markdown":
		_, err = fmt.Fprint(env.Stdout, p.Markdown())
	default:
		if err = p.Changes.Text(env.Stdout); err == nil {
			err = writeFiles(env.Stdout, p)
		}
	}
	if err != nil {
		return diffFail(env, ExitFailed, "write the diff: %v", err)
	}
	return ExitOK
}

// parseDiff reads the flags of `skillgate diff`.
func parseDiff(env *Env, args []string) (diffConfig, int, bool) {
	fs := newFlagSet(env, "diff", "[PATH] --skill-id ID [--stage development|live] [--format text|markdown|json]", diffDescription)
	var c diffConfig
	fs.StringVar(&c.skillID, "skill-id", "", "the skill to compare with (default: the skill id in .ask/ask-states.json)")
	fs.StringVar(&c.profile, "profile", "", "ask-cli profile for ask-resources.json and .ask/ask-states.json (default: $ASK_DEFAULT_PROFILE or default)")
	stage := newEnum("development", "development", "live")
	fs.Var(stage, "stage", "stage to compare with: development or live")
	format := newEnum("text", "text", "markdown", "json")
	fs.Var(format, "format", "output format: text, markdown or json")
	jsonOut := fs.Bool("json", false, "same as --format json")
	addClientFlags(fs, &c.client)
	if code, ok := parse(fs, args); !ok {
		return c, code, false
	}
	if fs.NArg() > 1 {
		return c, diffFail(env, ExitUsage, "one PATH at most, got %d: %s", fs.NArg(), strings.Join(fs.Args(), " ")), false
	}
	if *jsonOut {
		if format.value != "text" && format.value != "json" {
			return c, diffFail(env, ExitUsage, "--json and --format %s disagree: give one of them", format.value), false
		}
		format.value = "json"
	}
	c.path, c.stage, c.format = fs.Arg(0), stage.value, format.value
	return c, ExitOK, true
}

// diffPackage validates the package at path: the findings do not stop the
// diff (they are counted on stderr, or listed in the markdown), but a
// manifest that cannot be read leaves nothing to compare.
func diffPackage(env *Env, path, format string) (*validate.Result, int, bool) {
	res, err := validate.ValidatePath(path)
	if err != nil {
		return nil, diffFail(env, ExitUsage, "%v", err), false
	}
	if res.Package == nil || res.Package.Manifest == nil || res.Package.Manifest.Value == nil {
		for _, f := range res.Findings {
			fmt.Fprintf(env.Stderr, "%s:%d:%d: %s: %s [%s]\n", f.File, f.Line, f.Column, f.Severity, f.Message, f.Rule)
		}
		return nil, diffFail(env, ExitUsage, "the skill manifest in %s cannot be read, so there is nothing to compare: fix it first (skillgate validate %s)", path, path), false
	}
	if format != "markdown" && res.Errors+res.Warnings > 0 {
		fmt.Fprintf(env.Stderr, "skillgate diff: %s has %d validation error(s) and %d warning(s); see skillgate validate %s\n",
			res.Package.Manifest.Path, res.Errors, res.Warnings, path)
	}
	return res, ExitOK, true
}

// diffFail prints a `skillgate diff` error and returns code.
func diffFail(env *Env, code int, format string, a ...any) int {
	fmt.Fprintf(env.Stderr, "skillgate diff: "+format+"\n", a...)
	return code
}

// writeFiles lists the package's other files that differ from the live
// package, when the plan read it, after the manifest and model diff.
func writeFiles(w io.Writer, p *plan.Plan) error {
	if len(p.Files) == 0 {
		return nil
	}
	if _, err := fmt.Fprintf(w, "\nPackage files (a deploy sends them through a package import: %s):\n", p.ImportReason); err != nil {
		return err
	}
	for _, f := range p.Files {
		line := fmt.Sprintf("  %-8s %s (%d bytes, sha256 %.12s)", f.Kind, f.Path, f.Size, f.SHA256)
		if f.Kind == skillpkg.Changed {
			line = fmt.Sprintf("  %-8s %s (%d → %d bytes, sha256 %.12s → %.12s)", f.Kind, f.Path, f.OldSize, f.Size, f.OldSHA256, f.SHA256)
		}
		if len(f.Fields) > 0 {
			line += " at " + strings.Join(f.Fields, ", ")
			if f.MoreFields > 0 {
				line += fmt.Sprintf(" and %d more", f.MoreFields)
			}
		}
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
	}
	return nil
}
