package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/skillgate/skillgate/internal/smapi"
)

const statusDescription = `Show the status of a skill's last manifest update and interaction model
builds (GET /v1/skills/{id}/status). With --wait, poll (from 1s, growing by
half, at most 10s) until every resource shown has SUCCEEDED or one FAILED,
printing a line on stderr at each change.

Exit 0 when nothing shown FAILED, 1 when a build FAILED or --wait timed
out, 2 for a usage or configuration error.`

func runStatus(ctx context.Context, env *Env, args []string) int {
	const name = "status"
	var o smapiOpts
	fs := newFlagSet(env, name, "--skill-id ID [--resource manifest|interactionModel]... [--wait] [--timeout 15m]", statusDescription)
	addSMAPIFlags(fs, &o, true)
	var resources stringsFlag
	fs.Var(&resources, "resource", "show only this resource: manifest or interactionModel (repeatable)")
	wait := fs.Bool("wait", false, "wait until the builds finish")
	timeout := fs.Duration("timeout", 15*time.Minute, "longest wait with --wait")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if code, ok := noArgs(env, name, fs); !ok {
		return code
	}
	for _, r := range resources {
		if r != smapi.ResourceManifest && r != smapi.ResourceInteractionModel {
			fmt.Fprintf(env.Stderr, "skillgate %s: --resource %q: must be %s or %s\n", name, r, smapi.ResourceManifest, smapi.ResourceInteractionModel)
			return ExitUsage
		}
	}
	if *timeout <= 0 {
		fmt.Fprintf(env.Stderr, "skillgate %s: --timeout must be positive\n", name)
		return ExitUsage
	}
	c, skillID, code, ok := smapiTarget(env, name, &o)
	if !ok {
		return code
	}

	var st *smapi.SkillStatus
	var err error
	if *wait {
		st, err = smapi.WaitForBuild(ctx, c, skillID, resources, smapi.WaitOptions{
			Timeout: *timeout,
			OnProgress: func(p smapi.Progress) {
				fmt.Fprintf(env.Stderr, "[%s] %s\n", p.Elapsed.Round(time.Second), progressLine(p.States))
			},
		})
		var be *smapi.BuildFailedError
		var te *smapi.WaitTimeoutError
		if errors.As(err, &be) || errors.As(err, &te) {
			// Show where things stand, then the verdict.
			if st != nil {
				printStatus(env, &o, st, resources)
			}
			fmt.Fprintf(env.Stderr, "skillgate %s: %v\n", name, err)
			return ExitFailed
		}
	} else {
		st, err = c.GetStatus(ctx, skillID, resources...)
	}
	if err != nil {
		return smapiExit(env, name, err)
	}
	if code := printStatus(env, &o, st, resources); code != ExitOK {
		return code
	}
	for _, s := range st.States(resources, nil) {
		if s.Status == smapi.StatusFailed {
			return ExitFailed
		}
	}
	return ExitOK
}

func progressLine(states []smapi.ResourceState) string {
	parts := make([]string, len(states))
	for i, s := range states {
		parts[i] = s.String()
	}
	if len(parts) == 0 {
		return "nothing reported yet"
	}
	return strings.Join(parts, "; ")
}

func printStatus(env *Env, o *smapiOpts, st *smapi.SkillStatus, resources []string) int {
	if o.json {
		if err := printJSON(env.Stdout, st.Raw); err != nil {
			return smapiExit(env, "status", err)
		}
		return ExitOK
	}
	writeStatusTable(env.Stdout, st.States(resources, nil))
	return ExitOK
}

func writeStatusTable(w io.Writer, states []smapi.ResourceState) {
	if len(states) == 0 {
		fmt.Fprintln(w, "no status reported (nothing was written to this skill yet)")
		return
	}
	width := 0
	for _, s := range states {
		width = max(width, len(s.Name()))
	}
	for _, s := range states {
		status := s.Status
		if status == "" {
			status = "-"
		}
		line := fmt.Sprintf("%-*s  %s", width, s.Name(), status)
		if s.Step != "" {
			line += "  (" + s.Step + ")"
		}
		fmt.Fprintln(w, line)
		for _, e := range s.Errors {
			fmt.Fprintf(w, "%-*s    error: %s\n", width, "", e)
		}
	}
}
