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
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/skillgate/skillgate/internal/exitcode"
	"github.com/skillgate/skillgate/internal/project"
	"github.com/skillgate/skillgate/internal/report"
	"github.com/skillgate/skillgate/internal/smapi"
	"github.com/skillgate/skillgate/internal/validate"
)

// Exit codes, the same as the CLI's (README, "Exit codes").
const (
	exitOK     = exitcode.OK
	exitFailed = exitcode.Failed
	exitUsage  = exitcode.Usage
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
	// zero values mean the real clock and the real polling schedule
	// (docs/architecture.md, "Waiting on the build").
	Now      func() time.Time
	Schedule smapi.Schedule
	// Dir is the working directory the skill package is resolved against;
	// "" means the process's own (the runner's GITHUB_WORKSPACE).
	Dir string
}

// step is the state of one run of the Action's step: its configuration,
// inputs, event, the outputs set so far, and wf, the runner's workflow
// commands and files.
type step struct {
	cfg Config
	wf  *workflow
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
	s := &step{cfg: cfg, wf: newWorkflow(cfg.Getenv, cfg.Stdout)}
	code := s.main(ctx)
	s.flushOutputs()
	if s.wf.err != nil {
		s.wf.errorf("%v", s.wf.err)
		if code == exitOK {
			code = exitFailed
		}
	}
	return code
}

func (s *step) main(ctx context.Context) int {
	in, err := readInputs(s.cfg.Getenv)
	// Mask first, before any line that could echo an input.
	s.wf.mask(in.ClientID, in.ClientSecret, in.RefreshToken, in.GitHubToken)
	if err != nil {
		s.wf.errorf("%v", err)
		return exitUsage
	}
	s.in = in
	if err := s.wf.checkFiles(); err != nil {
		s.wf.errorf("%v", err)
		return exitUsage
	}
	ev, err := readEvent(s.cfg.Getenv)
	if err != nil {
		s.wf.errorf("%v", err)
		return exitUsage
	}
	s.ev = ev
	mode, why := resolveMode(in.Mode, ev)
	s.wf.println("skillgate %s: %s", s.cfg.Version, why)

	switch mode {
	case "validate":
		res, code := s.validate()
		if res != nil {
			s.wf.summary("## skillgate: validation\n\n" + report.SummaryMarkdown(res.Findings) + "\n")
		}
		return code
	case "plan":
		return s.plan(ctx)
	case "deploy":
		return s.deploy(ctx)
	}
	// readInputs only admits the modes above.
	s.wf.errorf("input mode: %q is not valid: use one of auto, validate, plan, deploy", in.Mode)
	return exitUsage
}

// validate runs the validator on the skill-package input, prints annotations
// and sets valid, errors and warnings. It returns a nil result with exit
// code 2 when there is no package to validate.
func (s *step) validate() (*validate.Result, int) {
	resolved, err := project.ResolvePath(s.cfg.Dir, s.in.SkillPackage, "", s.cfg.Getenv)
	if err != nil {
		s.wf.errorf("input skill-package: %v", err)
		return nil, exitUsage
	}
	res, err := validate.ValidatePath(resolved.Path)
	if err != nil {
		s.wf.errorf("input skill-package: %v", err) // err names the path
		s.setOutput("valid", "false")
		return nil, exitUsage
	}
	w, err := report.New(report.FormatGitHub, s.wf.out, report.Options{ToolVersion: s.cfg.Version})
	if err != nil {
		s.wf.errorf("%v", err)
		return nil, exitFailed
	}
	for _, f := range res.Findings {
		w.Write(f)
	}
	if err := w.Flush(); err != nil {
		s.wf.errorf("write annotations: %v", err)
		return nil, exitFailed
	}
	failed := res.Failed(s.failOn())
	s.setOutput("valid", fmt.Sprint(!failed))
	s.setOutput("errors", fmt.Sprint(res.Errors))
	s.setOutput("warnings", fmt.Sprint(res.Warnings))
	if failed {
		return res, exitFailed
	}
	return res, exitOK
}

func (s *step) failOn() validate.Severity {
	if s.in.FailOn == "warning" {
		return validate.Warning
	}
	return validate.Error
}

// smapiClient builds the SMAPI client from the inputs. The per-request
// deadline is the request-timeout input, else SKILLGATE_REQUEST_TIMEOUT
// as on the command line; smapi.NewClient applies the same defaults
// (deadline, retries) as for the CLI. The access token it obtains is
// redacted by the client itself; the inputs are masked above.
func (s *step) smapiClient() (*smapi.Client, error) {
	if !s.in.hasCredentials() {
		return nil, exitcode.AsUsage(&InputError{Input: "client-id, client-secret, refresh-token", Value: "", Want: "all three LWA credentials are needed to talk to SMAPI: pass them from repository secrets (README, \"Credentials\")"})
	}
	timeout := s.in.RequestTimeout
	if timeout == 0 {
		var err error
		if timeout, err = smapi.ParseRequestTimeout(s.cfg.Getenv(smapi.EnvRequestTimeout)); err != nil {
			return nil, &smapi.ConfigError{Problem: smapi.EnvRequestTimeout + ": " + err.Error()}
		}
	}
	return smapi.NewClient(smapi.Config{
		BaseURL:        s.in.SMAPIURL,
		LWAURL:         s.in.LWAURL,
		ClientID:       s.in.ClientID,
		ClientSecret:   s.in.ClientSecret,
		RefreshToken:   s.in.RefreshToken,
		HTTPClient:     s.cfg.HTTPClient,
		RequestTimeout: timeout,
	})
}

func (s *step) setOutput(name, value string) {
	for i, o := range s.outputs {
		if o.name == name {
			s.outputs[i].value = value
			return
		}
	}
	s.outputs = append(s.outputs, output{name, value})
}

func (s *step) flushOutputs() {
	if s.cfg.Getenv("GITHUB_OUTPUT") == "" {
		// Run by hand: show the outputs so the run is not silent about them.
		for _, o := range s.outputs {
			s.wf.println("output %s=%s", o.name, o.value)
		}
		return
	}
	for _, o := range s.outputs {
		s.wf.setOutput(o.name, o.value)
	}
}
