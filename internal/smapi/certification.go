package smapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// Publication methods for SubmitCertification.
const (
	ManualPublishing = "MANUAL_PUBLISHING"
	AutoPublishing   = "AUTO_PUBLISHING"
)

// WithdrawReasons are the reasons SMAPI accepts for WithdrawCertification.
var WithdrawReasons = []string{
	"TEST_SKILL", "MORE_FEATURES", "DISCOVERED_ISSUE",
	"NOT_RECEIVED_CERTIFICATION_FEEDBACK", "NOT_INTEND_TO_PUBLISH", "OTHER",
}

// CertificationOptions are the optional fields of a certification request.
type CertificationOptions struct {
	// PublicationMethod is ManualPublishing or AutoPublishing; empty lets
	// SMAPI default to auto publishing.
	PublicationMethod string `json:"publicationMethod,omitempty"`
	// VersionMessage describes this version (at most 300 characters).
	VersionMessage string `json:"versionMessage,omitempty"`
}

// SubmitCertification submits the development stage for certification
// (POST /v1/skills/{skillId}/submit).
func (c *Client) SubmitCertification(ctx context.Context, skillID string, opts CertificationOptions) (*Accepted, error) {
	body, err := json.Marshal(opts)
	if err != nil {
		return nil, fmt.Errorf("smapi SubmitCertification: %w", err)
	}
	r, err := c.do(ctx, call{op: "SubmitCertification", method: http.MethodPost, path: skillPath(skillID, "submit"), body: body, ok: []int{http.StatusAccepted}})
	if err != nil {
		return nil, err
	}
	return accepted(r), nil
}

// WithdrawCertification withdraws a skill from certification
// (POST /v1/skills/{skillId}/withdraw). reason is one of WithdrawReasons;
// message is expected with OTHER.
func (c *Client) WithdrawCertification(ctx context.Context, skillID, reason, message string) error {
	body, err := json.Marshal(struct {
		Reason  string `json:"reason"`
		Message string `json:"message,omitempty"`
	}{reason, message})
	if err != nil {
		return fmt.Errorf("smapi WithdrawCertification: %w", err)
	}
	_, err = c.do(ctx, call{op: "WithdrawCertification", method: http.MethodPost, path: skillPath(skillID, "withdraw"), body: body, ok: []int{http.StatusNoContent, http.StatusAccepted, http.StatusOK}})
	return err
}
