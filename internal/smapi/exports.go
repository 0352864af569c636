package smapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// ExportStatus is the answer of GET /v1/skills/exports/{exportId}
// (v1.skill.ExportResponse).
type ExportStatus struct {
	Status string         `json:"status"`
	Skill  *ExportedSkill `json:"skill,omitempty"`
	// Raw is the answer as sent, for --json output.
	Raw json.RawMessage `json:"-"`
}

// ExportedSkill says where an export's zip is.
type ExportedSkill struct {
	// ETag is the version of the package exported: the If-Match of an
	// import based on it.
	ETag string `json:"eTag,omitempty"`
	// Location is a pre-signed URL of the zip (DownloadPackage).
	Location string `json:"location,omitempty"`
	// ExpiresAt is when Location stops working, as SMAPI sent it.
	ExpiresAt string `json:"expiresAt,omitempty"`
}

// CreateExport starts an export of a stage's skill package
// (POST /v1/skills/{skillId}/stages/{stage}/exports,
// createExportRequestForSkillV1). Follow it with WaitForExport.
func (c *Client) CreateExport(ctx context.Context, skillID, stage string) (*Accepted, error) {
	r, err := c.do(ctx, call{op: "CreateExport", method: http.MethodPost, path: stagePath(skillID, stage, "exports"), ok: []int{http.StatusAccepted}})
	if err != nil {
		return nil, err
	}
	acc := accepted(r)
	if _, err := TrackingID(acc.Location, "exports"); err != nil {
		return nil, fmt.Errorf("smapi CreateExport: SMAPI accepted the export but %w; export again", err)
	}
	return acc, nil
}

// GetExportStatus reads an export's progress
// (GET /v1/skills/exports/{exportId}, getStatusOfExportRequestV1).
func (c *Client) GetExportStatus(ctx context.Context, exportID string) (*ExportStatus, error) {
	r, err := c.do(ctx, call{op: "GetExportStatus", method: http.MethodGet, path: "/v1/skills/exports/" + escape(exportID), ok: []int{http.StatusOK}})
	if err != nil {
		return nil, err
	}
	var st ExportStatus
	if err := json.Unmarshal(r.body, &st); err != nil {
		return nil, fmt.Errorf("smapi GetExportStatus: unexpected answer: %w", err)
	}
	st.Raw = r.body
	return &st, nil
}

// WaitForExport polls GetExportStatus until the export leaves IN_PROGRESS.
// SUCCEEDED returns the status holding the zip's location; anything else
// is an error saying so.
func WaitForExport(ctx context.Context, c *Client, exportID string, opts WaitOptions) (*ExportStatus, error) {
	var st *ExportStatus
	err := poll(ctx, opts, func(ctx context.Context) ([]ResourceState, bool, error) {
		var err error
		if st, err = c.GetExportStatus(ctx, exportID); err != nil {
			return nil, false, err
		}
		states := []ResourceState{{Resource: "export", Status: st.Status}}
		switch st.Status {
		case StatusSucceeded:
			if st.Skill == nil || st.Skill.Location == "" {
				return states, true, fmt.Errorf("smapi GetExportStatus: the export SUCCEEDED without a location; export again")
			}
			return states, true, nil
		case StatusInProgress, "":
			return states, false, nil
		}
		return states, true, fmt.Errorf("smapi export %s ended %s; export again, and check the skill's stage exists", exportID, st.Status)
	})
	return st, err
}

// ExportedPackage is a stage's skill package as a zip, with the ETag it
// was exported at.
type ExportedPackage struct {
	Zip  []byte
	ETag string
}

// ExportPackage runs a whole export: create, wait, download.
func ExportPackage(ctx context.Context, c *Client, skillID, stage string, opts WaitOptions) (*ExportedPackage, error) {
	acc, err := c.CreateExport(ctx, skillID, stage)
	if err != nil {
		return nil, err
	}
	id, _ := TrackingID(acc.Location, "exports") // checked by CreateExport
	st, err := WaitForExport(ctx, c, id, opts)
	if err != nil {
		return nil, err
	}
	zip, err := c.DownloadPackage(ctx, st.Skill.Location)
	if err != nil {
		return nil, err
	}
	return &ExportedPackage{Zip: zip, ETag: st.Skill.ETag}, nil
}

// exportWait bounds the export a plan or deploy reads the live package with.
const exportWait = 5 * time.Minute

// ReadPackage exports a stage's skill package and downloads it, waiting at
// most five minutes: the live package a plan compares the repository's
// files with (ExportPackage with the default wait).
func (c *Client) ReadPackage(ctx context.Context, skillID, stage string) (*ExportedPackage, error) {
	return ExportPackage(ctx, c, skillID, stage, WaitOptions{Timeout: exportWait})
}
