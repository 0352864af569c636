// Package cli implements skillgate's command line: one function per
// subcommand, each parsing its own flag.FlagSet and returning an exit code.
// Nothing here calls os.Exit or reads the process environment directly; the
// caller passes both in through Env so tests can run commands in-process.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/skillgate/skillgate/internal/exitcode"
)

// Exit codes, as documented in README.md; exitcode.Of decides which one an
// error gets.
const (
	ExitOK     = exitcode.OK     // success
	ExitFailed = exitcode.Failed // the work failed: findings at or above --fail-on, a failed build, a refused deploy
	ExitUsage  = exitcode.Usage  // usage or configuration error: bad flag, missing or refused credentials, unreadable file
)

// Env is everything a command may touch outside its arguments.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// HTTPClient is the base client for SMAPI, LWA and GitHub; nil means a
	// fresh client with default settings.
	HTTPClient *http.Client
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *Env, args []string) int
}

func commands() []command {
	return []command{
		{"validate", "validate a skill package (skill.json and interaction models)", runValidate},
		{"diff", "show how the package differs from the live skill", runDiff},
		{"deploy", "update the development stage, wait for the build, optionally submit", runDeploy},
		{"status", "show the build status of a skill", runStatus},
		{"export", "write a skill's live package as an ask-cli project (skill-package/, ask-resources.json)", runExport},
		{"skills", "list, get, create or delete skills", runSkills},
		{"publication", "get, submit or unpublish a publication", runPublication},
		{"certification", "submit a skill for certification or withdraw it", runCertification},
		{"interaction-model", "get, head or put an interaction model", runInteractionModel},
		{"account-linking", "get, put or delete account linking", runAccountLinking},
		{"migrate", "rewrite a v0 skill.json (skillManifest) as v1 (manifest)", runMigrate},
		{"discover", "list every skill package under a folder, as a workflow matrix", runDiscover},
		{"simulator", "serve the SMAPI + LWA simulator on loopback", runSimulator},
		{"demo", "run the pull-request-then-merge flow offline against the simulator", runDemo},
		{"action", "GitHub Action mode (the default when GITHUB_ACTIONS=true and no arguments)", runAction},
		{"version", "print the version", runVersion},
		{"help", "show help for skillgate or a command", runHelp},
	}
}

// Run executes skillgate with args (without the program name) and returns the
// process exit code.
func Run(ctx context.Context, args []string, env *Env) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	if env.Stdin == nil {
		env.Stdin = strings.NewReader("")
	}
	if len(args) == 0 {
		if env.Getenv("GITHUB_ACTIONS") == "true" {
			return runAction(ctx, env, nil)
		}
		usage(env.Stderr)
		return ExitUsage
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		usage(env.Stdout)
		return ExitOK
	case "-v", "-version", "--version":
		name = "version"
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, env, args[1:])
		}
	}
	fmt.Fprintf(env.Stderr, "skillgate: unknown command %q\n\n", name)
	usage(env.Stderr)
	return ExitUsage
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "skillgate: validate, diff and deploy Alexa skills from a Git repository\n\nUsage:\n  skillgate <command> [flags] [args]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-18s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'skillgate <command> -h' for a command's flags.\nExit codes: 0 success, 1 the work failed, 2 usage or configuration error.\n")
}

func runHelp(_ context.Context, env *Env, args []string) int {
	if len(args) == 0 || (len(args) == 1 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help")) {
		usage(env.Stdout)
		return ExitOK
	}
	for _, c := range commands() {
		if c.name == args[0] && c.name != "help" {
			return c.run(context.Background(), &Env{Stdin: env.Stdin, Stdout: env.Stdout, Stderr: env.Stdout, Getenv: env.Getenv}, []string{"-h"})
		}
	}
	fmt.Fprintf(env.Stderr, "skillgate help: unknown command %q\n", args[0])
	return ExitUsage
}

// newFlagSet returns a flag set whose usage text lists the synopsis and the
// flags; errors go to stderr.
func newFlagSet(env *Env, name, synopsis, description string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		out := fs.Output()
		fmt.Fprintf(out, "Usage: %s\n\n%s\n", strings.TrimSpace("skillgate "+name+" "+synopsis), description)
		var n int
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintf(out, "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parse parses args, allowing flags after positional arguments
// ("skillgate validate pkg --format json"). It reports ok=false with the exit
// code to return when parsing stopped: 0 for -h, 2 for a bad flag.
func parse(fs *flag.FlagSet, args []string) (code int, ok bool) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.SetOutput(fs.Output())
				return ExitOK, false
			}
			return ExitUsage, false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if rest[0] == "--" {
			positional = append(positional, rest[1:]...)
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	// Re-parse the collected positionals only, so fs.Args() returns them.
	_ = fs.Parse(append([]string{"--"}, positional...))
	return 0, true
}

// enumFlag is a flag.Value restricted to a fixed list, so a bad value is
// rejected while parsing with the allowed values in the message.
type enumFlag struct {
	value   string
	allowed []string
}

func newEnum(def string, allowed ...string) *enumFlag {
	return &enumFlag{value: def, allowed: allowed}
}

func (e *enumFlag) String() string { return e.value }

func (e *enumFlag) Set(v string) error {
	for _, a := range e.allowed {
		if v == a {
			e.value = v
			return nil
		}
	}
	return fmt.Errorf("must be one of %s", strings.Join(e.allowed, ", "))
}

// stringsFlag collects a repeated flag.
type stringsFlag []string

func (s *stringsFlag) String() string { return strings.Join(*s, ",") }
func (s *stringsFlag) Set(v string) error {
	*s = append(*s, v)
	return nil
}
