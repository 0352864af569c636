package smapi

import (
	"context"
	"errors"
	"net/http"
)

func enablementPath(skillID, stage string) string { return stagePath(skillID, stage, "enablement") }

// GetEnablement reports whether the skill's stage is enabled for the
// account of these credentials (GET …/stages/{stage}/enablement,
// getSkillEnablementStatusV1: 204 enabled, 404 not).
func (c *Client) GetEnablement(ctx context.Context, skillID, stage string) (bool, error) {
	_, err := c.do(ctx, call{op: "GetEnablement", method: http.MethodGet, path: enablementPath(skillID, stage), ok: []int{http.StatusNoContent}})
	var se *Error
	if errors.As(err, &se) && se.Status == http.StatusNotFound {
		return false, nil
	}
	return err == nil, err
}

// EnableSkill enables the skill's stage for the account of these
// credentials, so it can be tested on a device (PUT …/enablement,
// setSkillEnablementV1). ask-cli's deploy does this after an import.
func (c *Client) EnableSkill(ctx context.Context, skillID, stage string) error {
	_, err := c.do(ctx, call{op: "EnableSkill", method: http.MethodPut, path: enablementPath(skillID, stage), ok: []int{http.StatusNoContent}})
	return err
}

// DisableSkill removes the enablement (DELETE …/enablement,
// deleteSkillEnablementV1).
func (c *Client) DisableSkill(ctx context.Context, skillID, stage string) error {
	_, err := c.do(ctx, call{op: "DisableSkill", method: http.MethodDelete, path: enablementPath(skillID, stage), ok: []int{http.StatusNoContent}})
	return err
}
