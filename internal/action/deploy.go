package action

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/skillgate/skillgate/internal/deploy"
	"github.com/skillgate/skillgate/internal/exitcode"
	"github.com/skillgate/skillgate/internal/prcomment"
)

// deploy is the merge-time flow: validate, then deploy.Run with the drift
// guard reading the merged pull request's plan comment, then the summary,
// the outputs and a result line on that comment.
func (s *step) deploy(ctx context.Context) int {
	res, code := s.validate()
	if res == nil {
		s.setOutput("status", deploy.StatusFailed)
		return code
	}
	s.setOutput("skill-id", s.in.SkillID)
	if code != exitOK {
		s.wf.errorf("the skill package has findings at or above fail-on (%s): nothing was deployed; fix them first", s.in.FailOn)
		s.setOutput("status", deploy.StatusFailed)
		s.setOutput("changed", "false")
		return code
	}
	if s.in.SkillID == "" {
		if s.in.Mode == "deploy" {
			s.wf.errorf("input skill-id: mode deploy needs the id of the skill to deploy (amzn1.ask.skill....)")
			s.setOutput("status", deploy.StatusFailed)
			return exitUsage
		}
		s.wf.notice("validate only: the skill-id input is empty, so nothing was deployed")
		s.setOutput("status", deploy.StatusSkipped)
		s.setOutput("changed", "false")
		s.wf.summary("## skillgate: validation only\n\nThe `skill-id` input is empty, so nothing was deployed.\n")
		return exitOK
	}
	client, err := s.smapiClient()
	if err != nil {
		s.wf.errorf("%v", err)
		s.setOutput("status", deploy.StatusFailed)
		return exitcode.Of(err)
	}

	opts := deploy.Options{
		SkillID:     s.in.SkillID,
		Manifest:    res.Package.Manifest.Raw,
		Models:      res.Package.ModelBytes(),
		PackageDir:  filepath.FromSlash(res.Package.Root),
		Submit:      s.in.Submit,
		PublishesAt: s.in.PublishesAt,
		Timeout:     s.in.Timeout,
		Drift:       s.in.Drift,
		Progress:    deploy.ActionProgress(s.wf.out),
		Now:         s.cfg.Now,
		Schedule:    s.cfg.Schedule,
	}
	gh, err := s.github()
	if err != nil {
		s.wf.errorf("github: %v", err)
		s.setOutput("status", deploy.StatusFailed)
		return exitUsage
	}
	if gh != nil {
		opts.Plan = &deploy.PlanSource{Finder: gh, Owner: s.ev.Owner, Repo: s.ev.Repo, SHA: s.ev.SHA}
	}
	out, err := deploy.Run(ctx, client, opts)
	s.reportDeploy(ctx, gh, out, err)
	return exitcode.Of(err)
}

// github is the client that finds the merged pull request's plan comment,
// or nil (with a warning) when the inputs leave no way to find it: the
// deploy then goes on without the drift guard.
func (s *step) github() (*prcomment.Client, error) {
	switch {
	case s.in.GitHubToken == "":
		s.wf.warning("the github-token input is empty, so the plan shown on the pull request cannot be read: deploying without the drift guard")
		return nil, nil
	case s.ev.Owner == "" || s.ev.SHA == "":
		s.wf.warning("GITHUB_REPOSITORY or GITHUB_SHA is not set, so the plan cannot be found: deploying without the drift guard")
		return nil, nil
	}
	return prcomment.New(s.in.GitHubToken, s.ev.APIURL, s.cfg.HTTPClient)
}

// reportDeploy sets the deploy's outputs, writes the diff file and the
// summary, adds the result line to the plan comment, and annotates an
// error the progress did not.
func (s *step) reportDeploy(ctx context.Context, gh *prcomment.Client, out *deploy.Outcome, err error) {
	if out != nil {
		s.setOutput("status", out.Status)
		s.setOutput("changed", boolString(out.Changed()))
		etag := out.ETagAfter
		if etag == "" {
			etag = out.ETagBefore
		}
		s.setOutput("etag", etag)
		if out.Publication != nil {
			s.setOutput("publication-status", out.Publication.Status)
		}
		if out.Changes != nil {
			s.writeDiffFile(out.Changes.FullDiff())
		}
		if md, merr := out.Markdown(); merr == nil {
			s.wf.summary(md)
		} else {
			s.wf.warning("could not write the deployment summary: %v", merr)
		}
		s.appendResult(ctx, gh, out)
	}
	if err != nil {
		// Refusals, failed builds and timeouts were annotated by the
		// progress already; anything else is annotated here.
		var be *deploy.BuildError
		var re *deploy.RefusedError
		if !errors.As(err, &be) && !errors.As(err, &re) {
			s.wf.errorf("%v", err)
		}
		if out == nil {
			s.setOutput("status", deploy.StatusFailed)
		}
	}
}

// appendResult adds the deploy's one-line result to the merged pull
// request's plan comment, so the review thread records what happened.
func (s *step) appendResult(ctx context.Context, gh *prcomment.Client, out *deploy.Outcome) {
	if gh == nil || out.Plan == nil || out.Plan.CommentID == 0 || !s.in.Comment {
		return
	}
	err := gh.AppendToComment(ctx, s.ev.Owner, s.ev.Repo, out.Plan.CommentID, out.CommentLine(s.ev.SHA))
	if err != nil {
		s.wf.warning("the deploy result was not added to the plan comment: %v", err)
	}
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
