package smapi

import (
	"context"
	"errors"
	"net/http"

	"github.com/skillgate/skillgate/internal/jsoncanon"
)

// putChecked sends a conditional PUT. If an attempt before the last failed
// on the server's side (5xx or no answer) and the last one got 412, the
// first may have been applied and changed the ETag: reread reads the live
// resource, and when it equals want the PUT counts as applied rather than
// failing on its own success.
func (c *Client) putChecked(ctx context.Context, k call, want []byte, reread func(context.Context) (body []byte, etag string, err error)) (*Accepted, error) {
	actx, tries := withAttempts(ctx)
	r, err := c.do(actx, k)
	if err == nil {
		return accepted(r), nil
	}
	var se *Error
	if !errors.As(err, &se) || se.Status != http.StatusPreconditionFailed || !tries.failedBeforeLast() {
		return nil, err
	}
	live, etag, rerr := reread(ctx)
	if rerr != nil || !jsoncanon.Equal(live, want) {
		return nil, err
	}
	return &Accepted{ETag: etag, AlreadyApplied: true}, nil
}
