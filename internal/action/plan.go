package action

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/skillgate/skillgate/internal/exitcode"
	"github.com/skillgate/skillgate/internal/markdown"
	"github.com/skillgate/skillgate/internal/plan"
	"github.com/skillgate/skillgate/internal/prcomment"
	"github.com/skillgate/skillgate/internal/report"
	"github.com/skillgate/skillgate/internal/validate"
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
func (s *step) plan(ctx context.Context) int {
	res, code := s.validate()
	if res == nil {
		s.setOutput("status", planFailed)
		return code
	}
	s.setOutput("skill-id", s.in.SkillID)
	opts := plan.Options{SkillID: s.in.SkillID, Stage: s.in.Stage, FailOn: s.failOn(), Display: s.display, ValidateOnly: s.validateOnly()}
	if opts.ValidateOnly != "" {
		s.wf.notice("%s", opts.ValidateOnly)
	}
	var client plan.Reader
	if opts.ValidateOnly == "" {
		c, err := s.smapiClient()
		if err != nil {
			return s.planFailed(res, err)
		}
		client = c
	}
	p, err := plan.New(ctx, client, res, opts)
	if err != nil {
		return s.planFailed(res, err)
	}
	s.report(ctx, p)
	return code
}

// planFailed ends a plan that could not be made: the error as an
// annotation, status FAILED, and a step summary holding the error and
// every finding, since GitHub shows only the first ten annotations of each
// kind and the summary is where the plan would have listed them.
func (s *step) planFailed(res *validate.Result, err error) int {
	s.wf.errorf("%v", err)
	s.setOutput("status", planFailed)
	s.wf.summary("## skillgate plan: failed\n\nNo plan: " + markdown.Escape(err.Error()) +
		"\n\n### Validation\n\n" + report.SummaryMarkdown(res.Findings) + "\n")
	return exitcode.Of(err)
}

// validateOnly says why the live skill is not read, or "" to read it.
func (s *step) validateOnly() string {
	switch {
	case s.in.SkillID == "":
		return "validate only: the skill-id input is empty, so there is no live skill to compare with"
	case !s.in.hasCredentials() && (s.ev.Name == "pull_request" || s.ev.Name == "pull_request_target"):
		// Pull requests from forks run without secrets: degrade instead of failing.
		return "validate only: the LWA credentials (client-id, client-secret, refresh-token) are empty, as on a pull request from a fork, so the live skill was not read"
	}
	return ""
}

// report sets the plan's outputs, writes the diff file and the step
// summary, and keeps the sticky comment.
func (s *step) report(ctx context.Context, p *plan.Plan) {
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
		s.setOutput("etag", p.Manifest.ETag)
	}
	s.setOutput("changed", fmt.Sprint(p.Changed()))
	if p.Changes != nil {
		s.writeDiffFile(p.Changes.FullDiff())
		s.wf.println("plan: %s", p.Changes.Summary())
	}
	s.setOutput("status", status)
	body := p.Markdown()
	s.wf.summary(body)
	// Validating only, there is no live read, so no ETag for the marker:
	// posting would replace the last real plan, which the deploy's drift
	// guard reads back. That plan is left as it is.
	if p.Note != "" {
		return
	}
	s.comment(ctx, body)
}

// display is path as a reviewer knows it: relative to the workspace.
func (s *step) display(path string) string {
	if rel, err := filepath.Rel(s.cfg.Dir, path); err == nil && filepath.IsAbs(path) && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(path)
}

// comment keeps the sticky comment when there is a pull request and the
// comment input allows it. A token that may not comment, or a rate limit,
// is a warning: the plan is in the step summary either way.
func (s *step) comment(ctx context.Context, body string) {
	switch {
	case !s.in.Comment:
		return
	case s.ev.PR == 0:
		s.wf.notice("no pull request in this %s event: the plan is in the step summary only", orUnknown(s.ev.Name))
		return
	case s.in.GitHubToken == "":
		s.wf.warning("the github-token input is empty, so the plan comment was not posted: pass ${{ github.token }} with pull-requests: write")
		return
	case s.ev.Owner == "":
		s.wf.warning("GITHUB_REPOSITORY is not set, so the plan comment was not posted")
		return
	}
	gh, err := prcomment.New(s.in.GitHubToken, s.ev.APIURL, s.cfg.HTTPClient)
	if err != nil {
		s.wf.warning("the plan comment was not posted: %v", err)
		return
	}
	res, err := gh.Upsert(ctx, s.ev.Owner, s.ev.Repo, s.ev.PR, plan.Matches(s.in.SkillID, s.in.Stage), body)
	switch {
	case errors.Is(err, prcomment.ErrForbidden):
		s.wf.warning("the plan comment was not posted (%v): on a pull request from a fork the token may not comment; the plan is in the step summary", err)
		return
	case err != nil:
		s.wf.warning("the plan comment was not posted: %v; the plan is in the step summary", err)
		return
	}
	s.setOutput("comment-url", res.URL)
	s.wf.println("plan comment %s: %s", res.Action, res.URL)
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
func (s *step) writeDiffFile(unified string) {
	dir := s.cfg.Getenv("RUNNER_TEMP")
	if dir == "" {
		dir = s.cfg.Dir
	}
	name := "skillgate-" + unsafeFileChars.ReplaceAllString(s.in.SkillID+"-"+s.in.Stage, "_") + ".diff"
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(unified), 0o644); err != nil {
		s.wf.warning("could not write the diff file %s: %v", p, err)
		return
	}
	s.setOutput("diff-file", p)
}
