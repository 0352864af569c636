package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/skillgate/skillgate/internal/project"
	"github.com/skillgate/skillgate/internal/report"
	"github.com/skillgate/skillgate/internal/validate"
)

const validateDescription = `Validate a skill package offline: skill.json (JSON syntax, the SMAPI schema
and cross-field rules) and the interaction models under
interactionModels/custom/. PATH is the package folder or its skill.json
(default: the package ask-resources.json names, else skill-package). Findings go to stdout in the chosen format:

  text    for a terminal: file:line:col, the source line and a caret
  github  workflow-command annotations for GitHub Actions, then a count line
  json    {"errors":N,"warnings":M,"findings":[...]} for scripts
  sarif   SARIF 2.1.0 for github/codeql-action/upload-sarif

Exit codes: 0 no finding at or above --fail-on, 1 there is one,
2 usage error or a package that cannot be read.`

func runValidate(_ context.Context, env *Env, args []string) int {
	fs := newFlagSet(env, "validate", "[PATH] [--format "+strings.Join(report.Formats(), "|")+"] [--fail-on error|warning]", validateDescription)
	format := newEnum(report.FormatText, report.Formats()...)
	fs.Var(format, "format", "output format: "+strings.Join(report.Formats(), ", "))
	failOn := newEnum(validate.Error.String(), validate.Error.String(), validate.Warning.String())
	fs.Var(failOn, "fail-on", "lowest severity that fails validation (exit 1): error or warning")
	profile := fs.String("profile", "", "ask-cli profile for ask-resources.json (default: $ASK_DEFAULT_PROFILE or default)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 1 {
		fmt.Fprintf(env.Stderr, "skillgate validate: one PATH at most, got %d: %s\n", fs.NArg(), strings.Join(fs.Args(), " "))
		return ExitUsage
	}
	threshold, err := validate.ParseSeverity(failOn.value)
	if err != nil { // unreachable while the enum and ParseSeverity agree
		fmt.Fprintf(env.Stderr, "skillgate validate: --fail-on: %v\n", err)
		return ExitUsage
	}
	resolved, err := project.ResolvePath(".", fs.Arg(0), *profile, env.Getenv)
	if err != nil {
		fmt.Fprintf(env.Stderr, "skillgate validate: %v\n", err)
		return ExitUsage
	}
	path := resolved.Path
	if resolved.PathSource == project.SourceResources {
		for _, n := range resolved.Notes() {
			fmt.Fprintf(env.Stderr, "skillgate validate: %s\n", n)
		}
	}

	res, err := validate.ValidatePath(path)
	if err != nil {
		msg := err.Error()
		if !strings.Contains(msg, path) {
			msg = path + ": " + msg
		}
		fmt.Fprintf(env.Stderr, "skillgate validate: %s\n", msg)
		return ExitUsage
	}

	opts := report.Options{ToolVersion: version()}
	if res.Package != nil {
		opts.Source = res.Package.Source
	}
	w, err := report.New(format.value, env.Stdout, opts)
	if err != nil { // unreachable: the enum only admits report.Formats()
		fmt.Fprintf(env.Stderr, "skillgate validate: %v\n", err)
		return ExitUsage
	}
	for _, f := range res.Findings {
		w.Write(f)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(env.Stderr, "skillgate validate: %v\n", err)
		return ExitUsage
	}
	if res.Failed(threshold) {
		return ExitFailed
	}
	return ExitOK
}
