package cli

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/skillgate/skillgate/internal/deploy"
	"github.com/skillgate/skillgate/internal/exitcode"
	"github.com/skillgate/skillgate/internal/report"
	"github.com/skillgate/skillgate/internal/validate"
)

const deployDescription = `Deploy the skill package to the skill's development stage: read the live
manifest and its ETag, show what changes, update it with If-Match set to that
ETag, wait for the build, then optionally submit for certification or
publication. No change means no update. A package with validation errors is
not deployed.

Interaction models (interactionModels/custom/<locale>.json) are compared per
locale: only changed or new locales are written, each with the If-Match of its
own read, and the wait covers every build. A live locale the package has no
model for is left alone.

A package folder holding files other than skill.json and the models (icons
and other assets, APL documents, ...) or a skill.json naming file:// URIs is
deployed whole instead, as ask-cli's deploy does: the live package is
exported and compared file by file (nothing is uploaded when nothing
differs), then the zip is uploaded and imported with If-Match set to the
exported package's ETag, and the import and its builds are waited for.
The drift guard then compares the live package's ETag with the plan's.

With no skill id at all (no --skill-id, none in .ask/ask-states.json) the
deploy creates the skill, as ask deploy's first run does: the whole package
is uploaded and imported (POST /v1/skills/imports, vendor from --vendor-id or
ASK_VENDOR_ID), the import and its builds are waited for, and the new id is
printed on stdout and, in an ask-cli project (ask-resources.json here),
recorded as profiles.<profile>.skillId in .ask/ask-states.json, so the next
deploy updates that skill. Elsewhere pass it as --skill-id from then on.
--submit, --expect-etag and --expect-sha256 need an existing skill.

--expect-etag (or --expect-sha256, the sha256 of the canonical manifest a plan
showed) makes the deploy refuse when the live skill changed since you looked,
unless --drift is warn or ignore.

Credentials come from ASK_CLIENT_ID, ASK_CLIENT_SECRET and ASK_REFRESH_TOKEN
(or ASK_ACCESS_TOKEN); ASK_SMAPI_SERVER_BASE_URL and ASK_LWA_TOKEN_HOST
override the endpoints. Progress goes to stderr, the summary to stdout.

Exit codes: 0 deployed or no changes, 1 refused or the build failed,
2 usage or configuration error.`

// deployConfig is what `skillgate deploy` was asked for.
type deployConfig struct {
	path, skillID, profile string
	vendorID               string         // for a deploy that creates the skill
	opts                   deploy.Options // Submit, PublishesAt, Timeout, Drift, ExpectETag, ExpectSHA256
	json                   bool
	client                 clientOpts
}

func runDeploy(ctx context.Context, env *Env, args []string) int {
	c, code, ok := parseDeploy(env, args)
	if !ok {
		return code
	}
	resolved, client, code, ok := packageTarget(env, "deploy", c.path, c.skillID, c.profile, c.client, "")
	if !ok {
		return code
	}
	res, code, ok := deployPackage(env, resolved.Path)
	if !ok {
		return code
	}
	if resolved.SkillID == "" {
		return deployCreate(ctx, env, client, c, resolved, res.Package.Root)
	}
	opts := c.opts
	opts.SkillID = resolved.SkillID
	opts.Manifest = res.Package.Manifest.Raw
	opts.Models = res.Package.ModelBytes()
	opts.PackageDir = filepath.FromSlash(res.Package.Root)
	opts.Progress = deploy.TextProgress(env.Stderr)
	out, err := deploy.Run(ctx, client, opts)
	if c.json {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if werr := enc.Encode(out); werr != nil {
			return deployFail(env, ExitFailed, "write the outcome: %v", werr)
		}
	} else if werr := out.WriteText(env.Stdout); werr != nil {
		return deployFail(env, ExitFailed, "write the summary: %v", werr)
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "skillgate deploy: %v\n", err)
	}
	return exitcode.Of(err)
}

// parseDeploy reads the flags of `skillgate deploy` and checks those that
// can be checked before anything is read.
func parseDeploy(env *Env, args []string) (deployConfig, int, bool) {
	fs := newFlagSet(env, "deploy", "[PATH] [--skill-id ID] [flags]", deployDescription)
	var c deployConfig
	fs.StringVar(&c.skillID, "skill-id", "", "the skill to deploy (default: the skill id in .ask/ask-states.json; neither: the skill is created)")
	fs.StringVar(&c.vendorID, "vendor-id", "", "vendor id of a skill the deploy creates (default $ASK_VENDOR_ID)")
	fs.StringVar(&c.profile, "profile", "", "ask-cli profile for ask-resources.json and .ask/ask-states.json (default: $ASK_DEFAULT_PROFILE or default)")
	submit := newEnum(deploy.SubmitNone, deploy.SubmitNone, deploy.SubmitCertification, deploy.SubmitPublication)
	fs.Var(submit, "submit", "after a successful build: none, certification or publication")
	publishesAt := fs.String("publishes-at", "", "RFC 3339 time for a scheduled publication, at most six months ahead (default: now)")
	fs.DurationVar(&c.opts.Timeout, "timeout", deploy.DefaultTimeout, "longest wait for the build")
	fs.StringVar(&c.opts.ExpectETag, "expect-etag", "", "refuse when the live manifest's ETag is no longer this one")
	fs.StringVar(&c.opts.ExpectSHA256, "expect-sha256", "", "refuse when the sha256 of the canonical live manifest is no longer this one")
	drift := newEnum(deploy.DriftFail, deploy.DriftFail, deploy.DriftWarn, deploy.DriftIgnore)
	fs.Var(drift, "drift", "when the live manifest differs from the expected one: fail, warn or ignore")
	fs.BoolVar(&c.json, "json", false, "print the outcome as JSON on stdout")
	addClientFlags(fs, &c.client)
	if code, ok := parse(fs, args); !ok {
		return c, code, false
	}
	if fs.NArg() > 1 {
		fmt.Fprintf(env.Stderr, "skillgate deploy: one PATH at most, got %d: %v\n", fs.NArg(), fs.Args())
		return c, ExitUsage, false
	}
	at, err := deploy.ParsePublishesAt(*publishesAt, submit.value)
	if err != nil {
		return c, deployFail(env, ExitUsage, "--%v", err), false
	}
	if err := deploy.CheckPublishesAt(submit.value, at, time.Now()); err != nil {
		return c, deployFail(env, ExitUsage, "--%v", err), false
	}
	if c.opts.Timeout <= 0 {
		return c, deployFail(env, ExitUsage, "--timeout %s: give a positive duration, e.g. 15m", c.opts.Timeout), false
	}
	// Compared with the live hash as is: anything but a whole sha256 (the
	// 12-character form the messages print, say) would only ever "drift".
	if s := c.opts.ExpectSHA256; s != "" {
		if _, err := hex.DecodeString(s); err != nil || len(s) != 64 {
			return c, deployFail(env, ExitUsage, "--expect-sha256 %q: give the whole sha256, 64 hexadecimal characters, as the plan marker records it", s), false
		}
		c.opts.ExpectSHA256 = strings.ToLower(s)
	}
	c.path, c.opts.Submit, c.opts.PublishesAt, c.opts.Drift = fs.Arg(0), submit.value, at, drift.value
	return c, ExitOK, true
}

// deployPackage validates the package at path and prints its findings: a
// package with errors, or whose manifest cannot be read, is not deployed.
func deployPackage(env *Env, path string) (*validate.Result, int, bool) {
	res, err := validate.ValidatePath(path)
	if err != nil {
		return nil, deployFail(env, ExitUsage, "%v", err), false
	}
	if len(res.Findings) > 0 {
		w, err := report.New(report.FormatText, env.Stderr, report.Options{Source: deploySource})
		if err != nil {
			return nil, deployFail(env, ExitFailed, "%v", err), false
		}
		for _, f := range res.Findings {
			w.Write(f)
		}
		if err := w.Flush(); err != nil {
			return nil, deployFail(env, ExitFailed, "%v", err), false
		}
	}
	if res.Package == nil || res.Package.Manifest == nil || res.Package.Manifest.Value == nil {
		return nil, deployFail(env, ExitUsage, "the skill manifest in %s cannot be read: fix it first (skillgate validate %s)", path, path), false
	}
	if res.Errors > 0 {
		return nil, deployFail(env, ExitFailed, "%s has %d validation error(s): fix them (skillgate validate %s) before deploying", path, res.Errors, path), false
	}
	return res, ExitOK, true
}

// deployFail prints a `skillgate deploy` error and returns code.
func deployFail(env *Env, code int, format string, a ...any) int {
	fmt.Fprintf(env.Stderr, "skillgate deploy: "+format+"\n", a...)
	return code
}

// deploySource feeds the text report's source excerpts; a file that cannot be
// read just loses its excerpt.
func deploySource(file string) []byte {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	return b
}
