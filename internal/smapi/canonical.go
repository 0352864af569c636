package smapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
)

// canonical re-encodes JSON with sorted keys and no insignificant space, so
// two documents that mean the same compare equal byte for byte.
func canonical(data []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// sameJSON reports whether a and b are the same JSON value.
func sameJSON(a, b []byte) bool {
	ca, err := canonical(a)
	if err != nil {
		return false
	}
	cb, err := canonical(b)
	if err != nil {
		return false
	}
	return bytes.Equal(ca, cb)
}

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
	if rerr != nil || !sameJSON(live, want) {
		return nil, err
	}
	return &Accepted{ETag: etag, AlreadyApplied: true}, nil
}
