package cli

// The plumbing every SMAPI resource command shares (skills, status,
// interaction-model, publication, certification, account-linking): the
// common flags, the client from the ASK_* environment, the skill id from
// --skill-id or the ask-cli project, subcommand dispatch, and the exit code
// of an error.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/skillgate/skillgate/internal/exitcode"
	"github.com/skillgate/skillgate/internal/project"
	"github.com/skillgate/skillgate/internal/smapi"
)

// smapiOpts are the flags every SMAPI command shares.
type smapiOpts struct {
	json    bool
	skillID string
	profile string
	client  clientOpts
}

// clientOpts are the flags of the SMAPI client itself.
type clientOpts struct {
	debug          bool
	requestTimeout time.Duration
}

// addClientFlags registers --debug and --request-timeout, which every
// command that talks to SMAPI takes.
func addClientFlags(fs *flag.FlagSet, o *clientOpts) {
	fs.BoolVar(&o.debug, "debug", false, "trace SMAPI requests and responses on stderr (secrets redacted)")
	fs.DurationVar(&o.requestTimeout, "request-timeout", 0, "deadline of each SMAPI or LWA request (default $"+smapi.EnvRequestTimeout+", else 30s)")
}

// addSMAPIFlags registers --json and the client's flags, and
// --skill-id/--profile when the command targets one skill.
func addSMAPIFlags(fs *flag.FlagSet, o *smapiOpts, skill bool) {
	fs.BoolVar(&o.json, "json", false, "print machine-readable JSON on stdout")
	addClientFlags(fs, &o.client)
	if skill {
		fs.StringVar(&o.skillID, "skill-id", "", "skill id (default: profiles.<profile>.skillId in .ask/ask-states.json)")
		fs.StringVar(&o.profile, "profile", "", "ask-cli profile for .ask/ask-states.json (default: $ASK_DEFAULT_PROFILE or default)")
	}
}

// newSMAPIClient is the one place the command line builds its SMAPI client:
// from the ASK_* environment and SKILLGATE_REQUEST_TIMEOUT, with
// --request-timeout winning over the variable. A missing credential is a
// *smapi.ConfigError naming the variables.
func newSMAPIClient(env *Env, o clientOpts) (*smapi.Client, error) {
	cfg := smapi.ConfigFromEnv(env.Getenv)
	cfg.HTTPClient = env.HTTPClient
	if o.requestTimeout != 0 {
		cfg.RequestTimeout = o.requestTimeout
	}
	if o.debug {
		cfg.Debug = env.Stderr
	}
	return smapi.NewClient(cfg)
}

// smapiClient builds the client for a resource command, reporting a
// configuration problem as smapiExit does.
func smapiClient(env *Env, name string, o *smapiOpts) (*smapi.Client, int, bool) {
	c, err := newSMAPIClient(env, o.client)
	if err != nil {
		return nil, smapiExit(env, name, err), false
	}
	return c, ExitOK, true
}

// smapiSkillID returns --skill-id, else the ask-cli project's skill id.
func smapiSkillID(env *Env, name string, o *smapiOpts) (string, int, bool) {
	if o.skillID != "" {
		return o.skillID, ExitOK, true
	}
	profile, _ := project.Profile(o.profile, env.Getenv)
	id, err := project.SkillID(".", profile)
	if err != nil {
		fmt.Fprintf(env.Stderr, "skillgate %s: %v\n", name, err)
		return "", ExitUsage, false
	}
	if id == "" {
		fmt.Fprintf(env.Stderr, "skillgate %s: no skill id: pass --skill-id (no %s with profiles.%s.skillId here)\n", name, project.StatesFile, profile)
		return "", ExitUsage, false
	}
	return id, ExitOK, true
}

// smapiExit prints err and returns the exit code exitcode.Of gives it.
func smapiExit(env *Env, name string, err error) int {
	fmt.Fprintf(env.Stderr, "skillgate %s: %v\n", name, err)
	return exitcode.Of(err)
}

// smapiSub is one subcommand of a resource command ("skills list").
type smapiSub struct {
	name    string
	summary string
	run     func(ctx context.Context, env *Env, args []string) int
}

// runSMAPISubs dispatches "skillgate NAME SUB ..." to SUB.
func runSMAPISubs(ctx context.Context, env *Env, name string, args []string, subs []smapiSub) int {
	help := func(w io.Writer) {
		fmt.Fprintf(w, "Usage: skillgate %s <subcommand> [flags]\n\nSubcommands:\n", name)
		for _, s := range subs {
			fmt.Fprintf(w, "  %-10s %s\n", s.name, s.summary)
		}
		fmt.Fprintf(w, "\nRun 'skillgate %s <subcommand> -h' for its flags.\n", name)
	}
	if len(args) == 0 {
		help(env.Stderr)
		return ExitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		help(env.Stdout)
		return ExitOK
	}
	for _, s := range subs {
		if s.name == args[0] {
			return s.run(ctx, env, args[1:])
		}
	}
	fmt.Fprintf(env.Stderr, "skillgate %s: unknown subcommand %q\n\n", name, args[0])
	help(env.Stderr)
	return ExitUsage
}

// smapiSetup parses args (no positionals), runs check (nil: none) on the
// parsed flags, resolves the skill id and builds the client.
func smapiSetup(env *Env, name string, fs *flag.FlagSet, o *smapiOpts, args []string, check func() bool) (*smapi.Client, string, int, bool) {
	if code, ok := parse(fs, args); !ok {
		return nil, "", code, false
	}
	if code, ok := noArgs(env, name, fs); !ok {
		return nil, "", code, false
	}
	if check != nil && !check() {
		return nil, "", ExitUsage, false
	}
	return smapiTarget(env, name, o)
}

// stageTarget is what a command on one stage (and, for an interaction
// model, one locale) of a skill acts on.
type stageTarget struct {
	c                      *smapi.Client
	o                      smapiOpts
	skillID, stage, locale string
}

// stageSetup declares the SMAPI flags, --stage and, withLocale, a required
// --locale; reads args (no positional ones); and resolves the skill and the
// client.
func stageSetup(env *Env, name, synopsis, description string, withLocale bool, args []string) (*stageTarget, int, bool) {
	t := &stageTarget{}
	fs := newFlagSet(env, name, synopsis, description)
	addSMAPIFlags(fs, &t.o, true)
	stage := stageFlag(fs)
	var check func() bool
	locale := new(string)
	if withLocale {
		locale = fs.String("locale", "", "locale, e.g. en-US (required)")
		check = needLocale(env, name, locale)
	}
	c, skillID, code, ok := smapiSetup(env, name, fs, &t.o, args, check)
	if !ok {
		return nil, code, false
	}
	t.c, t.skillID, t.stage, t.locale = c, skillID, stage.value, *locale
	return t, ExitOK, true
}

// smapiTarget resolves the skill id (flag or ask-cli project) and builds the
// client, for a command whose flags and arguments are already read.
func smapiTarget(env *Env, name string, o *smapiOpts) (*smapi.Client, string, int, bool) {
	skillID, code, ok := smapiSkillID(env, name, o)
	if !ok {
		return nil, "", code, false
	}
	c, code, ok := smapiClient(env, name, o)
	if !ok {
		return nil, "", code, false
	}
	return c, skillID, ExitOK, true
}

// smapiClientForSkillID builds the client for a command that must be told
// which skill it acts on: --skill-id, never the id of an ask-cli project
// (why, when not empty, follows "--skill-id is required" in the message).
func smapiClientForSkillID(env *Env, name string, o *smapiOpts, why string) (*smapi.Client, int, bool) {
	if o.skillID == "" {
		fmt.Fprintf(env.Stderr, "skillgate %s: --skill-id is required%s\n", name, why)
		return nil, ExitUsage, false
	}
	return smapiClient(env, name, o)
}

// smapiVendorClient builds the client for a command that names a vendor:
// --vendor-id when given, else the client's ($ASK_VENDOR_ID).
func smapiVendorClient(env *Env, name string, o *smapiOpts, vendor string) (*smapi.Client, string, int, bool) {
	c, code, ok := smapiClient(env, name, o)
	if !ok {
		return nil, "", code, false
	}
	if vendor == "" {
		vendor = c.VendorID()
	}
	return c, vendor, ExitOK, true
}

// smapiPutSetup reads a write command's flags, its FILE (or stdin) holding
// what, the skill id and the client; check runs after the flags.
func smapiPutSetup(ctx context.Context, env *Env, name string, fs *flag.FlagSet, o *smapiOpts, args []string, what string, check func() bool) (*smapi.Client, string, []byte, int, bool) {
	if code, ok := parse(fs, args); !ok {
		return nil, "", nil, code, false
	}
	if check != nil && !check() {
		return nil, "", nil, ExitUsage, false
	}
	body, code, ok := readInput(ctx, env, name, fs.Args(), what)
	if !ok {
		return nil, "", nil, code, false
	}
	c, skillID, code, ok := smapiTarget(env, name, o)
	return c, skillID, body, code, ok
}

// document is what the get commands print with --json: the body SMAPI sent
// and where it came from.
type document struct {
	SkillID string  `json:"skillId"`
	Stage   string  `json:"stage"`
	Locale  string  `json:"locale,omitempty"`
	ETag    string  `json:"etag"`
	Body    rawJSON `json:"body"`
}

// documentOut prints a document read from SMAPI: with --json the whole
// document on stdout; otherwise the body, indented but otherwise as SMAPI
// sent it, on stdout and the ETag on stderr, so that redirecting stdout
// keeps a clean file.
func documentOut(env *Env, o *smapiOpts, name string, d document) int {
	if o.json {
		return jsonDone(env, name, d)
	}
	if d.ETag != "" {
		fmt.Fprintf(env.Stderr, "ETag: %s\n", d.ETag)
	}
	return jsonDone(env, name, []byte(d.Body))
}

// acceptedOut reports an accepted asynchronous request.
func acceptedOut(env *Env, o *smapiOpts, name, skillID string, acc *smapi.Accepted, done string) int {
	if o.json {
		return jsonDone(env, name, struct {
			SkillID  string `json:"skillId"`
			Result   string `json:"result"`
			Location string `json:"location,omitempty"`
			ETag     string `json:"etag,omitempty"`
		}{skillID, done, acc.Location, acc.ETag})
	}
	fmt.Fprintf(env.Stdout, "%s: %s\n", skillID, done)
	if acc.Location != "" {
		fmt.Fprintf(env.Stdout, "track it at %s\n", acc.Location)
	}
	return ExitOK
}

// writePrecondition is the If-Match of a put command: --if-match when
// given, else the ETag of a read just before the write (read), or a create
// when that read finds nothing (404). A read without an ETag gives a
// precondition the client refuses: no write leaves without one.
func writePrecondition(ctx context.Context, ifMatch string, read func(context.Context) (string, error)) (smapi.Precondition, error) {
	if ifMatch != "" {
		return smapi.IfMatch(ifMatch), nil
	}
	etag, err := read(ctx)
	var se *smapi.Error
	switch {
	case errors.As(err, &se) && se.Status == http.StatusNotFound:
		return smapi.IfAbsent(), nil
	case err != nil:
		return smapi.Precondition{}, err
	}
	return smapi.IfMatch(etag), nil
}
