package smapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Publication statuses.
const (
	PublicationInProgress = "IN_PROGRESS"
	PublicationSucceeded  = "SUCCEEDED"
	PublicationFailed     = "FAILED"
	PublicationCancelled  = "CANCELLED"
	PublicationScheduled  = "SCHEDULED"
)

// Unpublish types.
const (
	UnpublishHide   = "HIDE"
	UnpublishRemove = "REMOVE"
)

// UnpublishReasons are the reasons SMAPI accepts for Unpublish.
var UnpublishReasons = []string{
	"Changing invocation name",
	"Published by mistake",
	"It takes time to maintain my skill",
	"My infrastructure costs are too high",
	"Technical issues",
	"Other",
}

// Publication is the state of a skill's latest publication request.
type Publication struct {
	Status      string    `json:"status"`
	PublishesAt time.Time `json:"publishesAt,omitzero"`
	// Raw is the answer as sent, for --json output.
	Raw json.RawMessage `json:"-"`
}

// GetLatestPublication reads the latest publication request
// (GET /v1/skills/{skillId}/publications/~latest).
func (c *Client) GetLatestPublication(ctx context.Context, skillID string) (*Publication, error) {
	r, err := c.do(ctx, call{op: "GetLatestPublication", method: http.MethodGet, path: skillPath(skillID, "publications", "~latest"), ok: []int{http.StatusOK}})
	if err != nil {
		return nil, err
	}
	// The reference page shows "publishesAt", Amazon's model names it
	// "publishesAtDate"; accept either.
	var raw struct {
		Status          string    `json:"status"`
		PublishesAt     time.Time `json:"publishesAt"`
		PublishesAtDate time.Time `json:"publishesAtDate"`
	}
	if err := json.Unmarshal(r.body, &raw); err != nil {
		return nil, fmt.Errorf("smapi GetLatestPublication: unexpected answer: %w", err)
	}
	p := &Publication{Status: raw.Status, PublishesAt: raw.PublishesAt, Raw: r.body}
	if p.PublishesAt.IsZero() {
		p.PublishesAt = raw.PublishesAtDate
	}
	return p, nil
}

// SubmitPublication publishes a certified skill
// (POST /v1/skills/{skillId}/publications), at publishesAt when it is not
// zero (up to six months ahead), else now.
func (c *Client) SubmitPublication(ctx context.Context, skillID string, publishesAt time.Time) (*Accepted, error) {
	body := []byte("{}")
	if !publishesAt.IsZero() {
		ts := publishesAt.UTC().Format(time.RFC3339)
		// Both spellings: the reference page's example uses publishesAt,
		// Amazon's model (and so ask-cli) publishesAtDate.
		var err error
		body, err = json.Marshal(map[string]string{"publishesAt": ts, "publishesAtDate": ts})
		if err != nil {
			return nil, fmt.Errorf("smapi SubmitPublication: %w", err)
		}
	}
	r, err := c.do(ctx, call{op: "SubmitPublication", method: http.MethodPost, path: skillPath(skillID, "publications"), body: body, ok: []int{http.StatusAccepted}})
	if err != nil {
		return nil, err
	}
	return accepted(r), nil
}

// Unpublish hides (HIDE: existing users keep it) or removes (REMOVE) a live
// skill (POST /v1/skills/{skillId}/unpublish). reason is one of
// UnpublishReasons.
func (c *Client) Unpublish(ctx context.Context, skillID, typ, reason string) (*Accepted, error) {
	if typ != UnpublishHide && typ != UnpublishRemove {
		return nil, fmt.Errorf("smapi Unpublish: type must be %s or %s, not %q", UnpublishHide, UnpublishRemove, typ)
	}
	body, err := json.Marshal(struct {
		Type   string `json:"type"`
		Reason string `json:"reason"`
	}{typ, reason})
	if err != nil {
		return nil, fmt.Errorf("smapi Unpublish: %w", err)
	}
	r, err := c.do(ctx, call{op: "Unpublish", method: http.MethodPost, path: skillPath(skillID, "unpublish"), body: body, ok: []int{http.StatusAccepted, http.StatusNoContent}})
	if err != nil {
		return nil, err
	}
	return accepted(r), nil
}
