package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/skillgate/skillgate/internal/jsonfile"
	"github.com/skillgate/skillgate/internal/migrate"
	"github.com/skillgate/skillgate/internal/project"
	"github.com/skillgate/skillgate/internal/report"
	"github.com/skillgate/skillgate/internal/validate"
)

const migrateDescription = `Rewrite a v0 skill.json (top-level "skillManifest") as v1 ("manifest").
Only the key is rewritten: key order, indentation and everything else stay as
written. The result goes to stdout; -w writes it back in place instead.

PATH is the package folder or its skill.json. Default: the package named by
ask-resources.json in this folder (profile from --profile, ASK_DEFAULT_PROFILE
or "default"), else skill-package.

On stderr: what was rewritten, what the v0 file holds that v1 does not (left
in place for you to fix, with line:col), and the validator's findings on the
result. A v1 file is left alone, and says so.

Exit codes: 0 migrated (or already v1), even with findings (run skillgate
validate to gate on them); 1 the file is not valid JSON or not a skill.json;
2 usage error or a file that cannot be read or written.`

func runMigrate(_ context.Context, env *Env, args []string) int {
	fs := newFlagSet(env, "migrate", "[PATH] [-w] [--profile NAME]", migrateDescription)
	write := fs.Bool("w", false, "write the result to the file instead of stdout")
	profile := fs.String("profile", "", "ask-cli profile for ask-resources.json (default: $ASK_DEFAULT_PROFILE or default)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 1 {
		fmt.Fprintf(env.Stderr, "skillgate migrate: one PATH at most, got %d: %s\n", fs.NArg(), strings.Join(fs.Args(), " "))
		return ExitUsage
	}
	res, err := project.ResolvePath(".", fs.Arg(0), *profile, env.Getenv)
	if err != nil {
		fmt.Fprintf(env.Stderr, "skillgate migrate: %v\n", err)
		return ExitUsage
	}
	for _, n := range res.Notes() {
		fmt.Fprintf(env.Stderr, "skillgate migrate: %s\n", n)
	}
	file, _, err := project.ManifestFile(res.Path)
	if err != nil {
		fmt.Fprintf(env.Stderr, "skillgate migrate: %v\n", err)
		return ExitUsage
	}
	display := filepath.ToSlash(filepath.Clean(file))
	raw, err := jsonfile.ReadFile(file, validate.MaxFileSize)
	if err != nil {
		fmt.Fprintf(env.Stderr, "skillgate migrate: cannot read %s: %v\n", display, err)
		return ExitUsage
	}

	out, err := migrate.Migrate(raw)
	if err != nil {
		var me *migrate.Error
		if errors.As(err, &me) {
			fmt.Fprintf(env.Stderr, "%s:%v\n", display, me)
			fmt.Fprintf(env.Stderr, "skillgate migrate: %s was not changed: fix it first (skillgate validate %s shows every problem)\n", display, display)
			return ExitFailed
		}
		fmt.Fprintf(env.Stderr, "skillgate migrate: %s: %v\n", display, err)
		return ExitFailed
	}
	if !out.Changed {
		fmt.Fprintf(env.Stderr, "skillgate migrate: %s is already v1 (top-level \"manifest\"): nothing to change\n", display)
		if !*write {
			if _, err := env.Stdout.Write(out.Output); err != nil {
				fmt.Fprintf(env.Stderr, "skillgate migrate: %v\n", err)
				return ExitUsage
			}
		}
		return ExitOK
	}

	for _, n := range out.Changes {
		fmt.Fprintf(env.Stderr, "%s:%d:%d: %s\n", display, n.Line, n.Column, n.Message)
	}
	for _, n := range out.Notes {
		fmt.Fprintf(env.Stderr, "%s:%d:%d: not in v1: %s\n", display, n.Line, n.Column, n.Message)
	}
	if *write {
		if err := migrate.WriteFile(file, out.Output); err != nil {
			fmt.Fprintf(env.Stderr, "skillgate migrate: %v\n", err)
			return ExitUsage
		}
		fmt.Fprintf(env.Stderr, "skillgate migrate: wrote %s\n", display)
	} else if _, err := env.Stdout.Write(out.Output); err != nil {
		fmt.Fprintf(env.Stderr, "skillgate migrate: %v\n", err)
		return ExitUsage
	}

	if err := reportRemaining(env, display, out); err != nil {
		fmt.Fprintf(env.Stderr, "skillgate migrate: %v\n", err)
		return ExitUsage
	}
	return ExitOK
}

// reportRemaining validates the migrated manifest as it now reads and shows
// what is left to fix. A finding the migration notes already gave (a
// repeated key) is not shown twice.
func reportRemaining(env *Env, display string, out *migrate.Result) error {
	doc, findings := validate.ParseDocument(display, out.Output)
	findings = append(findings, validate.Check(&validate.Package{Manifest: doc})...)
	noted := map[[2]int]bool{}
	for _, n := range out.Notes {
		noted[[2]int{n.Line, n.Column}] = true
	}
	kept := findings[:0]
	for _, f := range findings {
		if f.Rule == "json.duplicate-key" && noted[[2]int{f.Line, f.Column}] {
			continue
		}
		kept = append(kept, f)
	}
	validate.SortFindings(kept)
	if len(kept) == 0 {
		fmt.Fprintf(env.Stderr, "skillgate migrate: the migrated manifest validates without findings\n")
		return nil
	}
	fmt.Fprintf(env.Stderr, "skillgate migrate: the migrated manifest still has findings (skillgate validate gates on them):\n")
	w, err := report.New(report.FormatText, env.Stderr, report.Options{Source: func(file string) []byte {
		if file == display {
			return out.Output
		}
		return nil
	}})
	if err != nil {
		return err
	}
	for _, f := range kept {
		w.Write(f)
	}
	return w.Flush()
}
