package action

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/skillgate/skillgate/internal/deploy"
	"github.com/skillgate/skillgate/internal/diff"
	"github.com/skillgate/skillgate/internal/prcomment"
	"github.com/skillgate/skillgate/internal/validate"
)

// Plan statuses. DESIGN.md gives `status` the deploy's values; in plan mode
// it says what a merge would do: NO_CHANGES, SUCCEEDED (a plan with changes
// was made), FAILED (validation failed, or SMAPI could not be read), SKIPPED
// (validate only: no skill-id, or no credentials on a fork).
const (
	planNoChanges = "NO_CHANGES"
	planReady     = "SUCCEEDED"
	planFailed    = "FAILED"
	planSkipped   = "SKIPPED"
)

// plan is the pull-request gate: validate, read the live manifest, diff,
// keep the sticky comment, write the step summary.
func (a *run) plan(ctx context.Context) int {
	res, code := a.validate()
	if res == nil {
		a.setOutput("status", planFailed)
		return code
	}
	failed := code == exitFailed
	a.setOutput("skill-id", a.in.SkillID)

	skip := ""
	switch {
	case a.in.SkillID == "":
		skip = "validate only: the skill-id input is empty, so there is no live skill to compare with"
	case !a.in.hasCredentials() && (a.ev.Name == "pull_request" || a.ev.Name == "pull_request_target"):
		// Pull requests from forks run without secrets: degrade instead of failing.
		skip = "validate only: the LWA credentials (client-id, client-secret, refresh-token) are empty, as on a pull request from a fork, so the live skill was not read"
	}
	if skip != "" {
		a.r.notice("%s", skip)
		a.setOutput("changed", "false")
		a.setOutput("status", statusFor(failed, planSkipped))
		body := diff.RenderComment(diff.Comment{
			Marker: a.marker(prcomment.Marker{}), Skill: a.in.SkillID, Stage: a.in.Stage,
			Findings: res.Findings, Failed: failed, Note: skip,
		})
		a.r.summary(body)
		// Without credentials there is no live read, so no ETag for the
		// marker: posting would replace the last real plan, which the
		// deploy's drift guard reads back. That plan is left as it is.
		if a.in.SkillID != "" && a.in.hasCredentials() {
			a.comment(ctx, body)
		}
		return code
	}

	client, err := a.smapiClient()
	if err != nil {
		a.r.errorf("%v", err)
		a.setOutput("status", planFailed)
		return apiExit(err)
	}
	live, err := client.GetManifest(ctx, a.in.SkillID, a.in.Stage)
	if err != nil {
		a.r.errorf("read the %s manifest of skill %s: %v", a.in.Stage, a.in.SkillID, err)
		a.setOutput("status", planFailed)
		return apiExit(err)
	}
	a.setOutput("etag", live.ETag)
	sum, err := diff.SHA256(live.Body)
	if err != nil {
		a.r.errorf("the %s manifest SMAPI sent for skill %s is not JSON: %v", a.in.Stage, a.in.SkillID, err)
		a.setOutput("status", planFailed)
		return exitFailed
	}
	// The marker records every repository locale's live model, so the
	// deploy's drift guard can tell a console edit of a model apart.
	var models []*diff.ModelResult
	var extra map[string]string
	if res.Package != nil && len(res.Package.Models) > 0 {
		models, extra, err = deploy.PlanModels(ctx, client, a.in.SkillID, a.in.Stage, a.localModels(res.Package.Models))
		if err != nil {
			a.r.errorf("%v", err)
			a.setOutput("status", planFailed)
			return apiExit(err)
		}
	}
	marker := a.marker(prcomment.Marker{ETag: live.ETag, SHA256: sum, Extra: extra})

	var result *diff.Result
	if res.Package != nil && res.Package.Manifest != nil && res.Package.Manifest.Value != nil {
		m := res.Package.Manifest
		result, err = diff.Compare(m.Raw, live.Body, diff.Options{
			FromFile: fmt.Sprintf("smapi:%s/%s", a.in.SkillID, a.in.Stage),
			ToFile:   a.display(m.Path),
		})
		if err != nil {
			a.r.errorf("compare %s with the %s manifest of %s: %v", m.Path, a.in.Stage, a.in.SkillID, err)
			a.setOutput("status", planFailed)
			return exitFailed
		}
		result.AddModels(models...)
	}
	changed := result != nil && result.Changed()
	a.setOutput("changed", fmt.Sprint(changed))
	if result != nil {
		a.writeDiffFile(result.FullDiff())
		a.r.println("plan: %s", result.Summary())
	}
	status := planNoChanges
	if changed {
		status = planReady
	}
	a.setOutput("status", statusFor(failed, status))

	body := diff.RenderComment(diff.Comment{
		Marker: marker, Skill: a.in.SkillID, Stage: a.in.Stage,
		Findings: res.Findings, Failed: failed, Result: result,
	})
	a.r.summary(body)
	a.comment(ctx, body)
	return code
}

// localModels is the package's models for deploy.PlanModels; a file that
// did not parse is hashed live but not compared (its findings say why).
func (a *run) localModels(docs map[string]*validate.Document) map[string]deploy.LocalModel {
	out := make(map[string]deploy.LocalModel, len(docs))
	for loc, d := range docs {
		m := deploy.LocalModel{Path: a.display(d.Path)}
		if d.Value != nil {
			m.Raw = d.Raw
		}
		out[loc] = m
	}
	return out
}

// display is path as a reviewer knows it: relative to the workspace.
func (a *run) display(path string) string {
	if rel, err := filepath.Rel(a.cfg.Dir, path); err == nil && filepath.IsAbs(path) && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(path)
}

func statusFor(failed bool, status string) string {
	if failed {
		return planFailed
	}
	return status
}

// marker completes m with the skill and stage of this run.
func (a *run) marker(m prcomment.Marker) string {
	m.Skill, m.Stage = a.in.SkillID, a.in.Stage
	return m.String()
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
	res, err := gh.Upsert(ctx, a.ev.Owner, a.ev.Repo, a.ev.PR, a.in.SkillID, a.in.Stage, body)
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
