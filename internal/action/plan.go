package action

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/skillgate/skillgate/internal/plan"
	"github.com/skillgate/skillgate/internal/prcomment"
)

// Plan statuses: in plan mode `status` says what a merge would do (the
// deploy's values, README "Outputs"): NO_CHANGES, SUCCEEDED (a plan with
// changes was made), FAILED (validation failed, or SMAPI could not be
// read), SKIPPED (validate only: no skill-id, or no credentials on a fork).
const (
	planNoChanges  = "NO_CHANGES"
	planHasChanges = "SUCCEEDED"
	planFailed     = "FAILED"
	planSkipped    = "SKIPPED"
)

// plan is the pull-request gate: validate, make the plan against the live
// skill, keep the sticky comment, write the step summary.
func (a *run) plan(ctx context.Context) int {
	res, code := a.validate()
	if res == nil {
		a.setOutput("status", planFailed)
		return code
	}
	a.setOutput("skill-id", a.in.SkillID)
	opts := plan.Options{SkillID: a.in.SkillID, Stage: a.in.Stage, FailOn: a.failOn(), Display: a.display, ValidateOnly: a.validateOnly()}
	if opts.ValidateOnly != "" {
		a.r.notice("%s", opts.ValidateOnly)
	}
	var client plan.Reader
	if opts.ValidateOnly == "" {
		c, err := a.smapiClient()
		if err != nil {
			a.r.errorf("%v", err)
			a.setOutput("status", planFailed)
			return apiExit(err)
		}
		client = c
	}
	p, err := plan.New(ctx, client, res, opts)
	if err != nil {
		a.r.errorf("%v", err)
		a.setOutput("status", planFailed)
		return apiExit(err)
	}
	a.report(ctx, p)
	return code
}

// validateOnly says why the live skill is not read, or "" to read it.
func (a *run) validateOnly() string {
	switch {
	case a.in.SkillID == "":
		return "validate only: the skill-id input is empty, so there is no live skill to compare with"
	case !a.in.hasCredentials() && (a.ev.Name == "pull_request" || a.ev.Name == "pull_request_target"):
		// Pull requests from forks run without secrets: degrade instead of failing.
		return "validate only: the LWA credentials (client-id, client-secret, refresh-token) are empty, as on a pull request from a fork, so the live skill was not read"
	}
	return ""
}

// report sets the plan's outputs, writes the diff file and the step
// summary, and keeps the sticky comment.
func (a *run) report(ctx context.Context, p *plan.Plan) {
	status := planNoChanges
	switch {
	case p.Failed:
		status = planFailed
	case p.Note != "":
		status = planSkipped
	case p.Changed():
		status = planHasChanges
	}
	if p.Note == "" {
		a.setOutput("etag", p.Manifest.ETag)
	}
	a.setOutput("changed", fmt.Sprint(p.Changed()))
	if p.Changes != nil {
		a.writeDiffFile(p.Changes.FullDiff())
		a.r.println("plan: %s", p.Changes.Summary())
	}
	a.setOutput("status", status)
	body := p.Markdown()
	a.r.summary(body)
	// Validating only, there is no live read, so no ETag for the marker:
	// posting would replace the last real plan, which the deploy's drift
	// guard reads back. That plan is left as it is.
	if p.Note != "" {
		return
	}
	a.comment(ctx, body)
}

// display is path as a reviewer knows it: relative to the workspace.
func (a *run) display(path string) string {
	if rel, err := filepath.Rel(a.cfg.Dir, path); err == nil && filepath.IsAbs(path) && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(path)
}

// comment keeps the sticky comment when there is a pull request and the
// comment input allows it. A token that may not comment, or a rate limit,
// is a warning: the plan is in the step summary either way.
func (a *run) comment(ctx context.Context, body string) {
	switch {
	case !a.in.Comment:
		return
	case a.ev.PR == 0:
		a.r.notice("no pull request in this %s event: the plan is in the step summary only", orUnknown(a.ev.Name))
		return
	case a.in.GitHubToken == "":
		a.r.warning("the github-token input is empty, so the plan comment was not posted: pass ${{ github.token }} with pull-requests: write")
		return
	case a.ev.Owner == "":
		a.r.warning("GITHUB_REPOSITORY is not set, so the plan comment was not posted")
		return
	}
	gh, err := prcomment.New(a.in.GitHubToken, a.ev.APIURL, a.cfg.HTTPClient)
	if err != nil {
		a.r.warning("the plan comment was not posted: %v", err)
		return
	}
	res, err := gh.Upsert(ctx, a.ev.Owner, a.ev.Repo, a.ev.PR, plan.Matches(a.in.SkillID, a.in.Stage), body)
	switch {
	case errors.Is(err, prcomment.ErrForbidden):
		a.r.warning("the plan comment was not posted (%v): on a pull request from a fork the token may not comment; the plan is in the step summary", err)
		return
	case err != nil:
		a.r.warning("the plan comment was not posted: %v; the plan is in the step summary", err)
		return
	}
	a.setOutput("comment-url", res.URL)
	a.r.println("plan comment %s: %s", res.Action, res.URL)
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// writeDiffFile writes the full unified diff (the comment may carry only part
// of it) and sets the diff-file output. It goes under RUNNER_TEMP, which
// the runner clears after the job, or the working directory.
func (a *run) writeDiffFile(unified string) {
	dir := a.cfg.Getenv("RUNNER_TEMP")
	if dir == "" {
		dir = a.cfg.Dir
	}
	name := "skillgate-" + unsafeFileChars.ReplaceAllString(a.in.SkillID+"-"+a.in.Stage, "_") + ".diff"
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(unified), 0o644); err != nil {
		a.r.warning("could not write the diff file %s: %v", p, err)
		return
	}
	a.setOutput("diff-file", p)
}
