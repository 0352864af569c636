package smapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// Resources accepted by GetStatus's filter.
const (
	ResourceManifest         = "manifest"
	ResourceInteractionModel = "interactionModel"
)

// Build statuses of a lastUpdateRequest.
const (
	StatusInProgress = "IN_PROGRESS"
	StatusSucceeded  = "SUCCEEDED"
	StatusFailed     = "FAILED"
)

// SkillStatus is the answer of GET /v1/skills/{skillId}/status.
type SkillStatus struct {
	Manifest *ManifestStatus `json:"manifest,omitempty"`
	// InteractionModel is keyed by locale.
	InteractionModel map[string]*InteractionModelStatus `json:"interactionModel,omitempty"`
	// Raw is the answer as sent, for --json output.
	Raw json.RawMessage `json:"-"`
}

// ManifestStatus is the status of the last manifest create or update.
type ManifestStatus struct {
	LastUpdateRequest LastUpdateRequest `json:"lastUpdateRequest"`
	ETag              string            `json:"eTag,omitempty"`
}

// InteractionModelStatus is the status of one locale's last model build.
type InteractionModelStatus struct {
	LastUpdateRequest LastUpdateRequest `json:"lastUpdateRequest"`
	ETag              string            `json:"eTag,omitempty"`
	Version           string            `json:"version,omitempty"`
}

// LastUpdateRequest is SMAPI's record of the last write to a resource.
type LastUpdateRequest struct {
	Status       string        `json:"status"`
	Errors       []StatusError `json:"errors,omitempty"`
	Warnings     []StatusError `json:"warnings,omitempty"`
	Version      string        `json:"version,omitempty"`
	BuildDetails *BuildDetails `json:"buildDetails,omitempty"`
}

// StatusError is one error or warning of a build.
type StatusError struct {
	Code    string `json:"code,omitempty"`
	Message string `json:"message"`
}

// BuildDetails lists an interaction model build's steps.
type BuildDetails struct {
	Steps []BuildStep `json:"steps"`
}

// BuildStep is one step (DIALOG_MODEL_BUILD, LANGUAGE_MODEL_QUICK_BUILD,
// LANGUAGE_MODEL_FULL_BUILD) of an interaction model build.
type BuildStep struct {
	Name   string        `json:"name"`
	Status string        `json:"status"`
	Errors []StatusError `json:"errors,omitempty"`
}

// GetStatus reads the status of a skill's last writes
// (GET /v1/skills/{skillId}/status?resource=…), filtered to resources when
// any are given. A 404 for a skill this client created less than
// Config.CreateWait ago is waited out: SMAPI answers so until the creation
// completes.
func (c *Client) GetStatus(ctx context.Context, skillID string, resources ...string) (*SkillStatus, error) {
	q := url.Values{}
	for _, r := range resources {
		q.Add("resource", r)
	}
	k := call{op: "GetStatus", method: http.MethodGet, path: skillPath(skillID, "status"), query: q, ok: []int{http.StatusOK}}
	var r *result
	get := func() (err error) {
		r, err = c.do(ctx, k)
		return err
	}
	c.mu.Lock()
	created, recent := c.created[skillID]
	c.mu.Unlock()
	var err error
	if recent {
		err = c.retryTransient(ctx, http.StatusNotFound, created.Add(c.cfg.createWait()), get)
	} else {
		err = get()
	}
	if err != nil {
		return nil, err
	}
	var st SkillStatus
	if err := json.Unmarshal(r.body, &st); err != nil {
		return nil, fmt.Errorf("smapi GetStatus: unexpected answer: %w", err)
	}
	st.Raw = r.body
	return &st, nil
}
