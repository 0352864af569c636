package smapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
)

// InteractionModel is one locale's interaction model as served.
type InteractionModel struct {
	// Body is the raw JSON: {"interactionModel": {…}}.
	Body []byte
	// ETag identifies this version; pass it to PutInteractionModel.
	ETag string
}

func modelPath(skillID, stage, locale string) string {
	return stagePath(skillID, stage, "interactionModel", "locales", escape(locale))
}

// GetInteractionModel fetches a locale's model and its ETag
// (GET /v1/skills/{skillId}/stages/{stage}/interactionModel/locales/{locale}).
func (c *Client) GetInteractionModel(ctx context.Context, skillID, stage, locale string) (*InteractionModel, error) {
	r, err := c.do(ctx, call{op: "GetInteractionModel", method: http.MethodGet, path: modelPath(skillID, stage, locale), ok: []int{http.StatusOK}})
	if err != nil {
		return nil, err
	}
	return &InteractionModel{Body: r.body, ETag: r.header.Get("ETag")}, nil
}

// HeadInteractionModel returns a locale's model ETag without its body
// (HEAD …/interactionModel/locales/{locale}, 204 in v1).
func (c *Client) HeadInteractionModel(ctx context.Context, skillID, stage, locale string) (string, error) {
	r, err := c.do(ctx, call{op: "HeadInteractionModel", method: http.MethodHead, path: modelPath(skillID, stage, locale), ok: []int{http.StatusNoContent, http.StatusOK}})
	if err != nil {
		return "", err
	}
	return r.header.Get("ETag"), nil
}

// PutInteractionModel replaces a locale's model and starts its build
// (PUT …/interactionModel/locales/{locale}); follow the build under
// interactionModel.<locale> in GetStatus. pre is the ETag of the read the
// change is based on (412 when stale), or IfAbsent for a locale the read
// found without a model.
func (c *Client) PutInteractionModel(ctx context.Context, skillID, stage, locale string, body []byte, pre Precondition) (*Accepted, error) {
	if !json.Valid(body) {
		return nil, errors.New("smapi PutInteractionModel: the interaction model is not valid JSON; fix the file and try again")
	}
	k := call{op: "PutInteractionModel", method: http.MethodPut, path: modelPath(skillID, stage, locale),
		body: body, pre: &pre, ok: []int{http.StatusAccepted}}
	acc, err := c.putChecked(ctx, k, body, func(ctx context.Context) ([]byte, string, error) {
		m, err := c.GetInteractionModel(ctx, skillID, stage, locale)
		if err != nil {
			return nil, "", err
		}
		return m.Body, m.ETag, nil
	})
	if acc != nil && acc.AlreadyApplied {
		acc.Location = skillPath(skillID, "status") + "?resource=interactionModel"
	}
	return acc, err
}
