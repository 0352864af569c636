package deploy

import (
	"context"
	"fmt"

	"github.com/skillgate/skillgate/internal/plan"
	"github.com/skillgate/skillgate/internal/smapi"
)

// precondition is the If-Match of a write based on live: its ETag, or a
// create when the live skill has no such document.
func precondition(live plan.Live) smapi.Precondition {
	if !live.Exists() {
		return smapi.IfAbsent()
	}
	return smapi.IfMatch(live.ETag)
}

// withETag makes sure a write has the If-Match of the read it is based on.
// A live document SMAPI sent without an ETag is read once more; when the
// ETag is still missing (or the document changed between the two reads),
// the deploy refuses and writes nothing more. written lists what this
// deploy wrote before, for the message.
func (r *deployRun) withETag(ctx context.Context, what string, live plan.Live, reread func(context.Context) (plan.Live, error), written []string) (plan.Live, error) {
	if !live.Exists() || live.ETag != "" {
		return live, nil
	}
	r.opts.Progress.Line(fmt.Sprintf("SMAPI sent the live %s without an ETag; reading it once more.", what))
	again, err := reread(ctx)
	if err != nil {
		return live, err
	}
	if again.ETag != "" && again.SHA256 == live.SHA256 {
		return again, nil
	}
	nothing := "nothing was written"
	if len(written) > 0 {
		nothing = "nothing more was written" + alreadyWritten(written, r.opts.SkillID)
	}
	msg := fmt.Sprintf("SMAPI sent the live %s of %s without an ETag, twice, so there is no If-Match to send, and a write without one could overwrite a change made since the read; %s. "+
		"Run the deploy again later; if SMAPI keeps answering without an ETag, report it to Amazon", what, r.opts.SkillID, nothing)
	if again.ETag != "" {
		msg = fmt.Sprintf("SMAPI sent the live %s of %s without an ETag, and it changed before the second read (now ETag %s); %s. Review that change, then run the deploy again",
			what, r.opts.SkillID, again.ETag, nothing)
	}
	return live, r.refuse(&RefusedError{Reason: "no-etag", LiveETag: again.ETag, Message: msg})
}
