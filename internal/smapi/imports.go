package smapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"
)

// Terminal statuses of an import or export besides SUCCEEDED and FAILED
// (the model's v1.skill.ResponseStatus).
const (
	StatusRollbackSucceeded = "ROLLBACK_SUCCEEDED"
	StatusRollbackFailed    = "ROLLBACK_FAILED"
	StatusSkipped           = "SKIPPED"
)

// ImportStatus is the answer of GET /v1/skills/imports/{importId}
// (v1.skill.ImportResponse).
type ImportStatus struct {
	Status   string         `json:"status"`
	Errors   []StatusError  `json:"errors,omitempty"`
	Warnings []StatusError  `json:"warnings,omitempty"`
	Skill    *ImportedSkill `json:"skill,omitempty"`
	// Raw is the answer as sent, for --json output.
	Raw json.RawMessage `json:"-"`
}

// ImportedSkill is the skill an import writes to.
type ImportedSkill struct {
	SkillID string `json:"skillId,omitempty"`
	// ETag is the skill package's version after the import; the If-Match
	// of the next import.
	ETag      string           `json:"eTag,omitempty"`
	Resources []ImportResource `json:"resources"`
}

// ImportResource is the status of one resource of an import, e.g.
// "manifest" or "interactionModels.en_US".
type ImportResource struct {
	Name     string        `json:"name,omitempty"`
	Action   string        `json:"action,omitempty"` // CREATE, UPDATE, ASSOCIATE, DISASSOCIATE
	Status   string        `json:"status"`
	Errors   []StatusError `json:"errors,omitempty"`
	Warnings []StatusError `json:"warnings,omitempty"`
}

// States flattens the per-resource statuses for progress lines.
func (st *ImportStatus) States() []ResourceState {
	if st.Skill == nil {
		return nil
	}
	out := make([]ResourceState, 0, len(st.Skill.Resources))
	for _, r := range st.Skill.Resources {
		out = append(out, ResourceState{Resource: r.Name, Status: r.Status, Step: r.Action, Errors: messages(r.Errors)})
	}
	return out
}

// ImportPackage imports an uploaded skill package into an existing skill
// (POST /v1/skills/{skillId}/imports, importSkillPackageV1). location is the
// upload URL the zip was PUT to. ifMatch is the package ETag the change was
// based on: SMAPI answers 412 when the skill changed since, and 409 while
// another import or update runs. It is required, so that an import can never
// overwrite a change it did not see. Follow the import with WaitForImport.
func (c *Client) ImportPackage(ctx context.Context, skillID, location, ifMatch string) (*Accepted, error) {
	if ifMatch == "" {
		return nil, errors.New("smapi ImportPackage: no If-Match: read the skill package's ETag (the last import's or an export's) and pass it, so that a change made meanwhile is not overwritten")
	}
	body, err := json.Marshal(struct {
		Location string `json:"location"`
	}{location})
	if err != nil {
		return nil, fmt.Errorf("smapi ImportPackage: %w", err)
	}
	pre := IfMatch(ifMatch)
	r, err := c.do(ctx, call{op: "ImportPackage", method: http.MethodPost, path: skillPath(skillID, "imports"),
		body: body, pre: &pre, ok: []int{http.StatusAccepted}})
	if err != nil {
		return nil, err
	}
	return c.acceptedImport("ImportPackage", r)
}

// CreateSkillFromPackage creates a skill for vendorID from an uploaded skill
// package (POST /v1/skills/imports, createSkillPackageV1). The new skill's
// id is in the import status (WaitForImport).
func (c *Client) CreateSkillFromPackage(ctx context.Context, vendorID, location string) (*Accepted, error) {
	if vendorID == "" {
		return nil, &ConfigError{Missing: []string{EnvVendorID}, Problem: "creating a skill needs " + vendorHint}
	}
	body, err := json.Marshal(struct {
		VendorID string `json:"vendorId"`
		Location string `json:"location"`
	}{vendorID, location})
	if err != nil {
		return nil, fmt.Errorf("smapi CreateSkillFromPackage: %w", err)
	}
	r, err := c.do(ctx, call{op: "CreateSkillFromPackage", method: http.MethodPost, path: "/v1/skills/imports",
		body: body, ok: []int{http.StatusAccepted}})
	if err != nil {
		return nil, err
	}
	return c.acceptedImport("CreateSkillFromPackage", r)
}

func (c *Client) acceptedImport(op string, r *result) (*Accepted, error) {
	acc := accepted(r)
	if _, err := TrackingID(acc.Location, "imports"); err != nil {
		return nil, fmt.Errorf("smapi %s: SMAPI accepted the import but %w; check the skill's status before importing again", op, err)
	}
	return acc, nil
}

// TrackingID is the last segment of a Location SMAPI sent for an import
// (/v1/skills/imports/{importId}) or export (/v1/skills/exports/{exportId});
// kind is "imports" or "exports".
func TrackingID(location, kind string) (string, error) {
	u, err := url.Parse(location)
	if err != nil || location == "" {
		return "", fmt.Errorf("sent no usable Location (%q)", location)
	}
	dir, id := path.Split(strings.TrimSuffix(u.Path, "/"))
	if id == "" || !strings.HasSuffix(strings.TrimSuffix(dir, "/"), "/"+kind) {
		return "", fmt.Errorf("sent Location %q, not /v1/skills/%s/{id}", location, kind)
	}
	return id, nil
}

// GetImportStatus reads an import's progress
// (GET /v1/skills/imports/{importId}, getImportStatusV1).
func (c *Client) GetImportStatus(ctx context.Context, importID string) (*ImportStatus, error) {
	r, err := c.do(ctx, call{op: "GetImportStatus", method: http.MethodGet, path: "/v1/skills/imports/" + escape(importID), ok: []int{http.StatusOK}})
	if err != nil {
		return nil, err
	}
	var st ImportStatus
	if err := json.Unmarshal(r.body, &st); err != nil {
		return nil, fmt.Errorf("smapi GetImportStatus: unexpected answer: %w", err)
	}
	st.Raw = r.body
	return &st, nil
}

// ImportFailedError is an import that ended FAILED or rolled back. Failed
// lists every resource that failed or reported errors, each with all its
// errors; Errors are the import's own.
type ImportFailedError struct {
	Status *ImportStatus
	Errors []string
	Failed []ResourceState
}

func (e *ImportFailedError) Error() string {
	var parts []string
	parts = append(parts, e.Errors...)
	for _, f := range e.Failed {
		msg := f.Name() + " " + orDash(f.Status)
		if len(f.Errors) > 0 {
			msg += ": " + strings.Join(f.Errors, "; ")
		}
		parts = append(parts, msg)
	}
	if len(parts) == 0 {
		parts = append(parts, "SMAPI gave no reason")
	}
	return "import " + e.Status.Status + ": " + strings.Join(parts, "; ") + ". Fix the reported problems and deploy again"
}

// WaitForImport polls GetImportStatus until the import leaves IN_PROGRESS,
// reporting each resource's status through opts.OnProgress. SUCCEEDED (or
// SKIPPED: nothing to change) returns the last status; FAILED and the
// rollbacks return an *ImportFailedError with every error; running out of
// time returns a *WaitTimeoutError.
func WaitForImport(ctx context.Context, c *Client, importID string, opts WaitOptions) (*ImportStatus, error) {
	var st *ImportStatus
	err := poll(ctx, opts, func(ctx context.Context) ([]ResourceState, bool, error) {
		var err error
		if st, err = c.GetImportStatus(ctx, importID); err != nil {
			return nil, false, err
		}
		switch st.Status {
		case StatusSucceeded, StatusSkipped:
			return st.States(), true, nil
		case StatusFailed, StatusRollbackSucceeded, StatusRollbackFailed:
			fe := &ImportFailedError{Status: st, Errors: messages(st.Errors)}
			for _, s := range st.States() {
				// A resource rolled back did nothing wrong itself.
				if s.Status == StatusFailed || s.Status == StatusRollbackFailed || len(s.Errors) > 0 {
					fe.Failed = append(fe.Failed, s)
				}
			}
			return st.States(), true, fe
		}
		return st.States(), false, nil
	})
	return st, err
}
