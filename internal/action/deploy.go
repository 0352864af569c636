package action

import (
	"context"
	"errors"

	"github.com/skillgate/skillgate/internal/deploy"
	"github.com/skillgate/skillgate/internal/prcomment"
)

// deploy is the merge-time flow: validate, then deploy.Run with the drift
// guard reading the merged pull request's plan comment, then the summary,
// the outputs and a result line on that comment.
func (a *run) deploy(ctx context.Context) int {
	res, code := a.validate()
	if res == nil {
		a.setOutput("status", deploy.StatusFailed)
		return code
	}
	a.setOutput("skill-id", a.in.SkillID)
	if code != exitOK {
		a.r.errorf("the skill package has findings at or above fail-on (%s): nothing was deployed; fix them first", a.in.FailOn)
		a.setOutput("status", deploy.StatusFailed)
		a.setOutput("changed", "false")
		return code
	}
	if a.in.SkillID == "" {
		if a.in.Mode == "deploy" {
			a.r.errorf("input skill-id: mode deploy needs the id of the skill to deploy (amzn1.ask.skill....)")
			a.setOutput("status", deploy.StatusFailed)
			return exitUsage
		}
		a.r.notice("validate only: the skill-id input is empty, so nothing was deployed")
		a.setOutput("status", deploy.StatusSkipped)
		a.setOutput("changed", "false")
		a.r.summary("## skillgate: validation only\n\nThe `skill-id` input is empty, so nothing was deployed.\n")
		return exitOK
	}
	client, err := a.smapiClient()
	if err != nil {
		a.r.errorf("%v", err)
		a.setOutput("status", deploy.StatusFailed)
		return apiExit(err)
	}

	opts := deploy.Options{
		SkillID:     a.in.SkillID,
		Manifest:    res.Package.Manifest.Raw,
		Models:      res.Package.ModelBytes(),
		Submit:      a.in.Submit,
		PublishesAt: a.in.PublishesAt,
		Timeout:     a.in.Timeout,
		Drift:       a.in.Drift,
		Progress:    deploy.ActionProgress(a.r.out),
		Now:         a.cfg.Now,
		Schedule:    a.cfg.Schedule,
	}
	var gh *prcomment.Client
	switch {
	case a.in.GitHubToken == "":
		a.r.warning("the github-token input is empty, so the plan shown on the pull request cannot be read: deploying without the drift guard")
	case a.ev.Owner == "" || a.ev.SHA == "":
		a.r.warning("GITHUB_REPOSITORY or GITHUB_SHA is not set, so the plan cannot be found: deploying without the drift guard")
	default:
		if gh, err = prcomment.New(a.in.GitHubToken, a.ev.APIURL, a.cfg.HTTPClient); err != nil {
			a.r.errorf("github: %v", err)
			a.setOutput("status", deploy.StatusFailed)
			return exitUsage
		}
		opts.Plan = &deploy.PlanSource{Finder: gh, Owner: a.ev.Owner, Repo: a.ev.Repo, SHA: a.ev.SHA}
	}

	out, err := deploy.Run(ctx, client, opts)
	if out != nil {
		a.setOutput("status", out.Status)
		a.setOutput("changed", boolString(out.Changed()))
		etag := out.ETagAfter
		if etag == "" {
			etag = out.ETagBefore
		}
		a.setOutput("etag", etag)
		if out.Publication != nil {
			a.setOutput("publication-status", out.Publication.Status)
		}
		if out.Changes != nil {
			a.writeDiffFile(out.Changes.FullDiff())
		}
		if md, merr := out.Markdown(); merr == nil {
			a.r.summary(md)
		} else {
			a.r.warning("could not write the deployment summary: %v", merr)
		}
		a.appendResult(ctx, gh, out)
	}
	if err != nil {
		// Refusals, failed builds and timeouts were annotated by the
		// progress already; anything else is annotated here.
		var be *deploy.BuildError
		var re *deploy.RefusedError
		if !errors.As(err, &be) && !errors.As(err, &re) {
			a.r.errorf("%v", err)
		}
		if out == nil {
			a.setOutput("status", deploy.StatusFailed)
		}
	}
	return deploy.ExitCode(err)
}

// appendResult adds the deploy's one-line result to the merged pull
// request's plan comment, so the review thread records what happened.
func (a *run) appendResult(ctx context.Context, gh *prcomment.Client, out *deploy.Outcome) {
	if gh == nil || out.Plan == nil || out.Plan.CommentID == 0 || !a.in.Comment {
		return
	}
	err := gh.AppendToComment(ctx, a.ev.Owner, a.ev.Repo, out.Plan.CommentID, out.CommentLine(a.ev.SHA))
	if err != nil {
		a.r.warning("the deploy result was not added to the plan comment: %v", err)
	}
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
