package smapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
)

// AccountLinking is a stage's account linking configuration as served.
type AccountLinking struct {
	// Body is the raw JSON (an AccountLinkingResponse: type,
	// authorizationUrl, clientId, …).
	Body []byte
	// ETag identifies this version; pass it to PutAccountLinking.
	ETag string
}

// GetAccountLinking reads a stage's account linking
// (GET /v1/skills/{skillId}/stages/{stage}/accountLinkingClient).
func (c *Client) GetAccountLinking(ctx context.Context, skillID, stage string) (*AccountLinking, error) {
	r, err := c.do(ctx, call{op: "GetAccountLinking", method: http.MethodGet, path: stagePath(skillID, stage, "accountLinkingClient"), ok: []int{http.StatusOK}})
	if err != nil {
		return nil, err
	}
	return &AccountLinking{Body: r.body, ETag: r.header.Get("ETag")}, nil
}

// PutAccountLinking creates or replaces a stage's account linking
// (PUT …/accountLinkingClient). body is either the request envelope
// {"accountLinkingRequest": {…}} or the bare object GetAccountLinking
// returns, which is wrapped. pre is the ETag of the read the change is
// based on (412 when it changed since), or IfAbsent when the read found no
// account linking.
func (c *Client) PutAccountLinking(ctx context.Context, skillID, stage string, body []byte, pre Precondition) (*Accepted, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, errors.New("smapi PutAccountLinking: the account linking file is not a JSON object; fix it and try again")
	}
	payload := body
	if inner, ok := doc["accountLinkingRequest"]; ok {
		payload = inner
	} else {
		wrapped, err := json.Marshal(map[string]json.RawMessage{"accountLinkingRequest": body})
		if err != nil {
			return nil, err
		}
		body = wrapped
	}
	k := call{op: "PutAccountLinking", method: http.MethodPut, path: stagePath(skillID, stage, "accountLinkingClient"),
		body: body, pre: &pre, ok: []int{http.StatusNoContent, http.StatusOK, http.StatusAccepted}}
	return c.putChecked(ctx, k, readableAccountLinking(payload), func(ctx context.Context) ([]byte, string, error) {
		a, err := c.GetAccountLinking(ctx, skillID, stage)
		if err != nil {
			return nil, "", err
		}
		return a.Body, a.ETag, nil
	})
}

// requestOnly are the fields of SMAPI's AccountLinkingRequestPayload that its
// AccountLinkingResponse lacks. GET never shows them (the client secret is
// write-only), so a live resource re-read after a lost PUT answer is
// compared with what was sent minus these; otherwise a PUT carrying a
// client secret, which AUTH_CODE linking always does, could never be
// recognised as applied.
var requestOnly = []string{"clientSecret", "reciprocalAccessTokenUrl", "skipOnEnablement"}

// readableAccountLinking is payload as GetAccountLinking would show it.
func readableAccountLinking(payload []byte) []byte {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(payload, &m); err != nil {
		return payload
	}
	for _, f := range requestOnly {
		delete(m, f)
	}
	b, err := json.Marshal(m)
	if err != nil {
		return payload
	}
	return b
}

// DeleteAccountLinking removes a stage's account linking
// (DELETE …/accountLinkingClient).
func (c *Client) DeleteAccountLinking(ctx context.Context, skillID, stage string) error {
	_, err := c.do(ctx, call{op: "DeleteAccountLinking", method: http.MethodDelete, path: stagePath(skillID, stage, "accountLinkingClient"), ok: []int{http.StatusNoContent, http.StatusOK}})
	return err
}
