// Package action runs skillgate as a GitHub Action: it reads the inputs the
// runner passes as INPUT_<NAME> (hyphens kept), picks validate, plan or
// deploy from the mode input and the event, and reports through workflow
// commands on stdout, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY.
//
// Everything it touches outside its arguments comes through Config (getenv,
// writers, the HTTP client), so tests and `skillgate demo` run it in-process
// against the simulator and a fake GitHub.
package action

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/skillgate/skillgate/internal/deploy"
	"github.com/skillgate/skillgate/internal/project"
	"github.com/skillgate/skillgate/internal/report"
	"github.com/skillgate/skillgate/internal/smapi"
	"github.com/skillgate/skillgate/internal/validate"
)

// Exit codes, the same as the CLI's (README, "Exit codes").
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

// Config is what one Action run may touch.
type Config struct {
	Getenv func(string) string
	Stdout io.Writer // the step's log: workflow commands go here
	// HTTPClient is the base client for SMAPI, LWA and GitHub; nil means
	// a client with a 30 s timeout per request.
	HTTPClient *http.Client
	// Version is skillgate's version, for SARIF-like metadata and the log.
	Version string
	// Now and Schedule shorten the deploy's waits in tests and the demo;
	// zero values mean the real clock and DESIGN.md's polling schedule.
	Now      func() time.Time
	Schedule deploy.Schedule
	// Dir is the working directory the skill package is resolved against;
	// "" means the process's own (the runner's GITHUB_WORKSPACE).
	Dir string
}

// run is the state of one Action run.
type run struct {
	cfg Config
	r   *runner
	in  Inputs
	ev  *event
	// outputs collects every output, written once at the end; on a local run
	// (no GITHUB_OUTPUT) they are printed instead, so nothing is lost.
	outputs []output
}

type output struct{ name, value string }

// Run executes the Action and returns the step's exit code.
func Run(ctx context.Context, cfg Config) int {
	if cfg.Getenv == nil {
		cfg.Getenv = func(string) string { return "" }
	}
	if cfg.Stdout == nil {
		cfg.Stdout = io.Discard
	}
	if cfg.Dir == "" {
		cfg.Dir = "."
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	a := &run{cfg: cfg, r: newRunner(cfg.Getenv, cfg.Stdout)}
	code := a.main(ctx)
	a.flushOutputs()
	if a.r.err != nil {
		a.r.errorf("%v", a.r.err)
		if code == exitOK {
			code = exitFailed
		}
	}
	return code
}

func (a *run) main(ctx context.Context) int {
	in, err := readInputs(a.cfg.Getenv)
	// Mask first, before any line that could echo an input.
	a.r.mask(in.ClientID, in.ClientSecret, in.RefreshToken, in.GitHubToken)
	if err != nil {
		a.r.errorf("%v", err)
		return exitUsage
	}
	a.in = in
	if err := a.r.checkFiles(); err != nil {
		a.r.errorf("%v", err)
		return exitUsage
	}
	ev, err := readEvent(a.cfg.Getenv)
	if err != nil {
		a.r.errorf("%v", err)
		return exitUsage
	}
	a.ev = ev
	mode, why := resolveMode(in.Mode, ev)
	a.r.println("skillgate %s: %s", a.cfg.Version, why)

	switch mode {
	case "validate":
		res, code := a.validate()
		if res != nil {
			a.r.summary("## skillgate: validation\n\n" + report.SummaryMarkdown(res.Findings) + "\n")
		}
		return code
	case "plan":
		return a.plan(ctx)
	case "deploy":
		return a.deploy(ctx)
	}
	// readInputs only admits the modes above.
	a.r.errorf("input mode: %q is not valid: use one of auto, validate, plan, deploy", in.Mode)
	return exitUsage
}

// validate runs the validator on the skill-package input, prints annotations
// and sets valid, errors and warnings. It returns a nil result with exit
// code 2 when there is no package to validate.
func (a *run) validate() (*validate.Result, int) {
	resolved, err := project.ResolvePath(a.cfg.Dir, a.in.SkillPackage, "", a.cfg.Getenv)
	if err != nil {
		a.r.errorf("input skill-package: %v", err)
		return nil, exitUsage
	}
	res, err := validate.ValidatePath(resolved.Path)
	if err != nil {
		a.r.errorf("input skill-package %s: %v", a.in.SkillPackage, err)
		a.setOutput("valid", "false")
		return nil, exitUsage
	}
	w, err := report.New(report.FormatGitHub, a.r.out, report.Options{ToolVersion: a.cfg.Version})
	if err != nil {
		a.r.errorf("%v", err)
		return nil, exitFailed
	}
	for _, f := range res.Findings {
		w.Write(f)
	}
	if err := w.Flush(); err != nil {
		a.r.errorf("write annotations: %v", err)
		return nil, exitFailed
	}
	failed := res.Failed(a.failOn())
	a.setOutput("valid", fmt.Sprint(!failed))
	a.setOutput("errors", fmt.Sprint(res.Errors))
	a.setOutput("warnings", fmt.Sprint(res.Warnings))
	if failed {
		return res, exitFailed
	}
	return res, exitOK
}

func (a *run) failOn() validate.Severity {
	if a.in.FailOn == "warning" {
		return validate.Warning
	}
	return validate.Error
}

// smapiClient builds the SMAPI client from the inputs. The access token it
// obtains is redacted by the client itself; the inputs are masked above.
func (a *run) smapiClient() (*smapi.Client, error) {
	cfg := smapi.Config{
		BaseURL:      a.in.SMAPIURL,
		LWAURL:       a.in.LWAURL,
		ClientID:     a.in.ClientID,
		ClientSecret: a.in.ClientSecret,
		RefreshToken: a.in.RefreshToken,
		HTTPClient:   a.cfg.HTTPClient,
	}
	if !a.in.hasCredentials() {
		return nil, &InputError{Input: "client-id, client-secret, refresh-token", Value: "", Want: "all three LWA credentials are needed to talk to SMAPI: pass them from repository secrets (README, \"Credentials\")"}
	}
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	return smapi.NewClient(cfg)
}

// apiExit maps an error from SMAPI or GitHub to an exit code: refused or
// missing credentials are configuration (2), the rest is a failed step (1).
func apiExit(err error) int {
	var ce *smapi.ConfigError
	var ie *InputError
	var se *smapi.Error
	switch {
	case errors.As(err, &ce), errors.As(err, &ie):
		return exitUsage
	case errors.As(err, &se) && se.Status == http.StatusUnauthorized:
		return exitUsage
	}
	return exitFailed
}

func (a *run) setOutput(name, value string) {
	for i, o := range a.outputs {
		if o.name == name {
			a.outputs[i].value = value
			return
		}
	}
	a.outputs = append(a.outputs, output{name, value})
}

func (a *run) flushOutputs() {
	if a.cfg.Getenv("GITHUB_OUTPUT") == "" {
		// Run by hand: show the outputs so the run is not silent about them.
		for _, o := range a.outputs {
			a.r.println("output %s=%s", o.name, o.value)
		}
		return
	}
	for _, o := range a.outputs {
		a.r.setOutput(o.name, o.value)
	}
}
