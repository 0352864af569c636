package smapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/skillgate/skillgate/internal/truncate"
)

// Stages of a skill.
const (
	StageDevelopment = "development"
	StageLive        = "live"
	StageCertified   = "certified"
)

// Manifest is a skill manifest as served, with its version.
type Manifest struct {
	// Body is the raw JSON SMAPI sent: {"manifest": {…}}.
	Body []byte
	// ETag identifies this version; pass it to UpdateManifest as If-Match.
	ETag string
}

// GetManifest fetches a stage's manifest and its ETag
// (GET /v1/skills/{skillId}/stages/{stage}/manifest). A 303, which SMAPI
// sends while the skill is still being created, is waited out within
// Config.CreateWait and then reported as an *Error with status 303.
func (c *Client) GetManifest(ctx context.Context, skillID, stage string) (*Manifest, error) {
	k := call{op: "GetManifest", method: http.MethodGet, path: stagePath(skillID, stage, "manifest"), ok: []int{http.StatusOK}}
	var r *result
	err := c.whileCreating(ctx, http.StatusSeeOther, func() (err error) {
		r, err = c.do(ctx, k)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &Manifest{Body: r.body, ETag: r.header.Get("ETag")}, nil
}

// UpdateManifest replaces a stage's manifest
// (PUT /v1/skills/{skillId}/stages/{stage}/manifest). body is the
// {"manifest": {…}} document; pre is the ETag of the read the change is
// based on (IfMatch), and SMAPI answers 412 if the manifest changed since.
// A manifest always exists, so IfAbsent is refused like a missing ETag.
// The build runs asynchronously: follow it with GetStatus or WaitForBuild.
func (c *Client) UpdateManifest(ctx context.Context, skillID, stage string, body []byte, pre Precondition) (*Accepted, error) {
	if !json.Valid(body) {
		return nil, fmt.Errorf("smapi UpdateManifest: the manifest is not valid JSON; fix skill.json and try again")
	}
	k := call{op: "UpdateManifest", method: http.MethodPut, path: stagePath(skillID, stage, "manifest"),
		body: body, pre: &pre, ok: []int{http.StatusAccepted}}
	if pre.absent {
		return nil, &NoETagError{Operation: k.op, Path: k.path}
	}
	acc, err := c.putChecked(ctx, k, body, func(ctx context.Context) ([]byte, string, error) {
		m, err := c.GetManifest(ctx, skillID, stage)
		if err != nil {
			return nil, "", err
		}
		return m.Body, m.ETag, nil
	})
	if acc != nil && acc.AlreadyApplied {
		acc.Location = skillPath(skillID, "status") + "?resource=manifest"
	}
	return acc, err
}

// CreateSkill creates a skill for vendorID (POST /v1/skills). manifest is a
// skill.json document, {"manifest": {…}}. The skill id comes back at once;
// the creation itself is asynchronous, so this client then waits out the
// 404 that GetStatus briefly answers for the new skill.
func (c *Client) CreateSkill(ctx context.Context, vendorID string, manifest []byte) (string, *Accepted, error) {
	if vendorID == "" {
		return "", nil, &ConfigError{Missing: []string{EnvVendorID}, Problem: "creating a skill needs " + vendorHint}
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(manifest, &doc); err != nil {
		return "", nil, fmt.Errorf("smapi CreateSkill: the skill manifest is not a JSON object: %w", err)
	}
	m, ok := doc["manifest"]
	if !ok {
		if _, v0 := doc["skillManifest"]; v0 {
			return "", nil, errors.New(`smapi CreateSkill: the file uses the v0 key "skillManifest"; run "skillgate migrate" to rewrite it as v1 "manifest"`)
		}
		return "", nil, errors.New(`smapi CreateSkill: the file has no top-level "manifest" object; pass a skill.json as ask-cli writes it`)
	}
	body, err := json.Marshal(struct {
		VendorID string          `json:"vendorId"`
		Manifest json.RawMessage `json:"manifest"`
	}{vendorID, m})
	if err != nil {
		return "", nil, fmt.Errorf("smapi CreateSkill: %w", err)
	}
	r, err := c.do(ctx, call{op: "CreateSkill", method: http.MethodPost, path: "/v1/skills", body: body, ok: []int{http.StatusAccepted}})
	if err != nil {
		return "", nil, err
	}
	var out struct {
		SkillID string `json:"skillId"`
	}
	if err := json.Unmarshal(r.body, &out); err != nil || out.SkillID == "" {
		return "", nil, fmt.Errorf("smapi CreateSkill: SMAPI accepted the skill but sent no skill id (%s); list the vendor's skills to find it", c.redact.String(truncate.Ellipsis(string(r.body), maxQuoted)))
	}
	c.mu.Lock()
	c.created[out.SkillID] = time.Now()
	c.mu.Unlock()
	return out.SkillID, accepted(r), nil
}

// vendorHint says where the vendor id comes from, for the errors of the
// operations that need one.
const vendorHint = "the vendor id of the developer account (SMAPI's GET /v1/vendors lists the ones these credentials can use)"

// ListOptions pages or filters ListSkills. SkillIDs (at most 10) cannot be
// combined with MaxResults or NextToken.
type ListOptions struct {
	MaxResults int // 1..50; 0 leaves it to SMAPI
	NextToken  string
	SkillIDs   []string
}

// Limits of ListSkills, from the reference.
const (
	MaxListResults  = 50
	MaxListSkillIDs = 10
)

// SkillList is one page of ListSkills.
type SkillList struct {
	Skills      []SkillSummary `json:"skills"`
	IsTruncated bool           `json:"isTruncated"`
	NextToken   string         `json:"nextToken,omitempty"`
	Links       *Links         `json:"_links,omitempty"`
	// Raw is the answer as sent, for --json output.
	Raw json.RawMessage `json:"-"`
}

// SkillSummary is one skill and stage in a SkillList.
type SkillSummary struct {
	SkillID           string            `json:"skillId"`
	Stage             string            `json:"stage,omitempty"`
	APIs              []string          `json:"apis,omitempty"`
	PublicationStatus string            `json:"publicationStatus,omitempty"`
	LastUpdated       time.Time         `json:"lastUpdated,omitzero"`
	NameByLocale      map[string]string `json:"nameByLocale,omitempty"`
	ASIN              string            `json:"asin,omitempty"`
	Links             *Links            `json:"_links,omitempty"`
}

// Links are HAL navigation links.
type Links struct {
	Self *Link `json:"self,omitempty"`
	Next *Link `json:"next,omitempty"`
}

// Link is one HAL link.
type Link struct {
	Href string `json:"href"`
}

// ListSkills lists a vendor's skills, one page at a time
// (GET /v1/skills?vendorId=&maxResults=&nextToken=&skillId=).
func (c *Client) ListSkills(ctx context.Context, vendorID string, opts ListOptions) (*SkillList, error) {
	if vendorID == "" {
		return nil, &ConfigError{Missing: []string{EnvVendorID}, Problem: "listing skills needs " + vendorHint}
	}
	switch {
	case opts.MaxResults < 0 || opts.MaxResults > MaxListResults:
		return nil, fmt.Errorf("smapi ListSkills: maxResults must be between 1 and %d, not %d", MaxListResults, opts.MaxResults)
	case len(opts.SkillIDs) > MaxListSkillIDs:
		return nil, fmt.Errorf("smapi ListSkills: at most %d skill ids per request, not %d", MaxListSkillIDs, len(opts.SkillIDs))
	case len(opts.SkillIDs) > 0 && (opts.MaxResults != 0 || opts.NextToken != ""):
		return nil, errors.New("smapi ListSkills: skill ids cannot be combined with maxResults or nextToken")
	}
	q := url.Values{"vendorId": {vendorID}}
	if opts.MaxResults > 0 {
		q.Set("maxResults", strconv.Itoa(opts.MaxResults))
	}
	if opts.NextToken != "" {
		q.Set("nextToken", opts.NextToken)
	}
	for _, id := range opts.SkillIDs {
		q.Add("skillId", id)
	}
	r, err := c.do(ctx, call{op: "ListSkills", method: http.MethodGet, path: "/v1/skills", query: q, ok: []int{http.StatusOK}})
	if err != nil {
		return nil, err
	}
	var out SkillList
	if err := json.Unmarshal(r.body, &out); err != nil {
		return nil, fmt.Errorf("smapi ListSkills: unexpected answer: %w", err)
	}
	out.Raw = r.body
	return &out, nil
}

// DeleteSkill deletes a skill (DELETE /v1/skills/{skillId}). SMAPI refuses
// (403) while the skill has a live stage, is in certification or builds.
func (c *Client) DeleteSkill(ctx context.Context, skillID string) error {
	_, err := c.do(ctx, call{op: "DeleteSkill", method: http.MethodDelete, path: skillPath(skillID), ok: []int{http.StatusNoContent, http.StatusOK}})
	if err == nil {
		c.mu.Lock()
		delete(c.created, skillID)
		c.mu.Unlock()
	}
	return err
}

// whileCreating runs fn again while it fails with an *Error of status
// transient, within Config.CreateWait, polling on the build schedule scaled
// down to the window. Its last error is returned, with a note when the
// window ran out.
func (c *Client) whileCreating(ctx context.Context, transient int, fn func() error) error {
	return c.retryTransient(ctx, transient, time.Now().Add(c.cfg.createWait()), fn)
}

func (c *Client) retryTransient(ctx context.Context, transient int, deadline time.Time, fn func() error) error {
	window := time.Until(deadline)
	sched := Schedule{Initial: min(time.Second, max(window/20, time.Millisecond)), Max: 10 * time.Second, Factor: 1.5}
	var wait time.Duration
	for {
		err := fn()
		var se *Error
		if !errors.As(err, &se) || se.Status != transient {
			return err
		}
		wait = sched.Next(wait)
		if time.Now().Add(wait).After(deadline) {
			msg := fmt.Sprintf("still not ready after %s", window.Round(time.Millisecond))
			if se.Message != "" {
				msg += ": " + se.Message
			}
			se.Message = msg
			return se
		}
		if err := Sleep(ctx, wait); err != nil {
			return fmt.Errorf("smapi %s: waiting for the skill to be created: %w", se.Operation, err)
		}
	}
}
