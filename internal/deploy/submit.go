package deploy

import (
	"context"
	"fmt"

	"github.com/skillgate/skillgate/internal/smapi"
)

// submit runs the submission asked for after a successful build.
func (r *deployRun) submit(ctx context.Context) error {
	switch r.opts.Submit {
	case SubmitCertification:
		return r.step("submit for certification", func() (string, error) {
			if _, err := r.client.SubmitCertification(ctx, r.opts.SkillID, smapi.CertificationOptions{}); err != nil {
				r.out.Certification = "FAILED"
				return "", &SubmitError{Submit: SubmitCertification, Err: fmt.Errorf("POST /v1/skills/%s/submit: %w", r.opts.SkillID, err)}
			}
			r.out.Certification = "SUBMITTED"
			r.opts.Progress.Line("Submitted for certification.")
			return "SUBMITTED", nil
		})
	case SubmitPublication:
		return r.publish(ctx)
	}
	return nil
}

// publish posts the publication, then reads ~latest until it reports a
// final status: SUCCEEDED, FAILED, CANCELLED, or SCHEDULED for a publication
// set for later. Past the deploy's timeout it reports the status it last saw
// without failing: the manifest is deployed and the publication goes on.
func (r *deployRun) publish(ctx context.Context) error {
	p := r.opts.Progress
	at := r.opts.PublishesAt
	var status string
	err := r.step("submit for publication", func() (string, error) {
		if _, err := r.client.SubmitPublication(ctx, r.opts.SkillID, at); err != nil {
			return "", &SubmitError{Submit: SubmitPublication, Err: fmt.Errorf("POST /v1/skills/%s/publications: %w", r.opts.SkillID, err)}
		}
		return "ACCEPTED", nil
	})
	if err != nil {
		r.out.Publication = &Publication{Status: "FAILED", PublishesAt: at}
		return err
	}
	if at.IsZero() {
		p.Line("Submitted for publication now.")
	} else {
		p.Line("Submitted for publication at " + at.UTC().Format("2006-01-02T15:04:05Z07:00") + ".")
	}
	start := r.opts.Now()
	deadline := start.Add(r.opts.Timeout)
	delay := r.opts.Schedule.Next(0)
	err = r.step("read the publication status", func() (string, error) {
		for first := true; ; first = false {
			if !first {
				remaining := deadline.Sub(r.opts.Now())
				if remaining <= 0 {
					p.Line(fmt.Sprintf("The publication is still %s after %s; follow it in the developer console.", status, round(r.opts.Now().Sub(start))))
					return status, nil
				}
				if err := smapi.Sleep(ctx, min(delay, remaining)); err != nil {
					return "", fmt.Errorf("waiting for the publication status: %w", err)
				}
				delay = r.opts.Schedule.Next(delay)
			}
			pub, err := r.client.GetLatestPublication(ctx, r.opts.SkillID)
			if err != nil {
				return "", &SubmitError{Submit: SubmitPublication, Err: fmt.Errorf("GET /v1/skills/%s/publications/~latest: %w", r.opts.SkillID, err)}
			}
			status = pub.Status
			r.out.Publication = &Publication{Status: pub.Status, PublishesAt: pub.PublishesAt}
			switch status {
			case smapi.PublicationSucceeded, smapi.PublicationScheduled:
				p.Line("Publication: " + status + ".")
				return status, nil
			case smapi.PublicationFailed, smapi.PublicationCancelled:
				return status, &SubmitError{Submit: SubmitPublication, Status: status}
			}
		}
	})
	return err
}
