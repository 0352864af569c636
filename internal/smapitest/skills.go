package smapitest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Limits of the list operation, from the SMAPI reference.
const (
	maxListResults  = 50
	maxSkillFilters = 10
)

// lookup finds the skill of the request and brings it up to date.
func (s *Server) lookup(c *call) (*skill, response, bool) {
	id := c.r.PathValue("skillId")
	sk := s.skills[id]
	if sk == nil {
		return nil, errorResponse(http.StatusNotFound,
			fmt.Sprintf("skill %s not found; check the skill id and that it belongs to the vendor of these credentials", id)), false
	}
	s.settle(sk, c.now)
	return sk, response{}, true
}

// readStage checks the stage path parameter for a read.
func readStage(c *call) (string, response, bool) {
	st := c.r.PathValue("stage")
	switch st {
	case stageDevelopment, stageCertified, stageLive:
		return st, response{}, true
	}
	return "", errorResponse(http.StatusBadRequest,
		fmt.Sprintf("stage %q is not one of development, certified, live (case sensitive)", st)), false
}

// writeStage checks the stage for a write: only development is writable, and
// not while the skill is in certification.
func writeStage(c *call, sk *skill) (response, bool) {
	st, resp, ok := readStage(c)
	if !ok {
		return resp, false
	}
	if st != stageDevelopment {
		return errorResponse(http.StatusForbidden,
			fmt.Sprintf("stage %s is read-only; only the development stage can be changed", st)), false
	}
	if sk.cert.status == pubCertification {
		return errorResponse(http.StatusForbidden,
			"the skill is in certification and cannot be edited; withdraw it from certification first"), false
	}
	return response{}, true
}

// lookupWritable finds the skill of a write request and checks that the
// stage it names can be written.
func (s *Server) lookupWritable(c *call) (*skill, response, bool) {
	sk, resp, ok := s.lookup(c)
	if !ok {
		return nil, resp, false
	}
	if resp, ok := writeStage(c, sk); !ok {
		return nil, resp, false
	}
	return sk, response{}, true
}

// maxResultsParam reads a list's maxResults query parameter: a number from
// 1 to maxListResults, maxListResults when absent.
func maxResultsParam(q url.Values) (int, response, bool) {
	v := q.Get("maxResults")
	if v == "" {
		return maxListResults, response{}, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxListResults {
		return 0, errorResponse(http.StatusBadRequest, fmt.Sprintf("maxResults must be a number from 1 to %d", maxListResults)), false
	}
	return n, response{}, true
}

// lookupStage finds the skill of a read request and the stage it names.
func (s *Server) lookupStage(c *call) (*skill, string, response, bool) {
	sk, resp, ok := s.lookup(c)
	if !ok {
		return nil, "", resp, false
	}
	stName, resp, ok := readStage(c)
	if !ok {
		return nil, "", resp, false
	}
	return sk, stName, response{}, true
}

// staleIfMatch answers 412 when the request's If-Match names another
// version of what than etag, or any version while there is none (etag
// empty). Without If-Match the write goes ahead.
func staleIfMatch(c *call, what, etag string) (response, bool) {
	im := c.r.Header.Get("If-Match")
	if im == "" || (etag != "" && etagMatches(im, etag)) {
		return response{}, false
	}
	return errorResponse(http.StatusPreconditionFailed,
		"the "+what+" has changed since the ETag in If-Match was read; get it again and retry"), true
}

// withETag sets r's ETag header to etag, quoted.
func withETag(r response, etag string) response {
	r.header.Set("ETag", quoteETag(etag))
	return r
}

func (s *Server) creating(sk *skill, c *call) bool {
	return c.now.Before(sk.created.Add(s.creationTime))
}

func statusLocation(id, resource string) string {
	return "/v1/skills/" + id + "/status?resource=" + resource
}

// createSkill is POST /v1/skills (createSkillForVendorV1).
func (s *Server) createSkill(c *call) response {
	var req struct {
		VendorID string          `json:"vendorId"`
		Manifest json.RawMessage `json:"manifest"`
	}
	if err := json.Unmarshal(c.body, &req); err != nil {
		return errorResponse(http.StatusBadRequest, "the body must be a JSON object with vendorId and manifest: "+err.Error())
	}
	if req.VendorID == "" {
		return errorResponse(http.StatusBadRequest, "vendorId is required")
	}
	if !s.vendors[req.VendorID] {
		return errorResponse(http.StatusForbidden,
			fmt.Sprintf("vendor %s is not accessible with these credentials; check ASK_VENDOR_ID", req.VendorID))
	}
	if len(req.Manifest) == 0 || req.Manifest[0] != '{' {
		return errorResponse(http.StatusBadRequest, "manifest is required and must be an object")
	}
	d, err := manifestDoc(req.Manifest)
	if err != nil {
		return errorResponse(http.StatusBadRequest, err.Error())
	}
	id := s.newSkillID()
	s.seq++
	st := newStage()
	st.manifest = d
	s.skills[id] = &skill{
		id: id, vendor: req.VendorID, seq: s.seq, created: c.now, updated: c.now,
		stages:        map[string]*stage{stageDevelopment: st},
		manifestBuild: s.newBuild(c.now),
		modelBuilds:   map[string]*build{},
	}
	resp := jsonResponse(http.StatusAccepted, map[string]string{"skillId": id})
	resp.header.Set("Location", statusLocation(id, "manifest"))
	return resp
}

// getManifest is GET /v1/skills/{skillId}/stages/{stage}/manifest.
func (s *Server) getManifest(c *call) response {
	sk, stName, resp, ok := s.lookupStage(c)
	if !ok {
		return resp
	}
	if s.creating(sk, c) {
		r := emptyResponse(http.StatusSeeOther)
		r.header.Set("Location", statusLocation(sk.id, "manifest"))
		return r
	}
	st := sk.stages[stName]
	if st == nil {
		return errorResponse(http.StatusNotFound, fmt.Sprintf("skill %s has no %s stage", sk.id, stName))
	}
	return withETag(response{status: http.StatusOK, header: http.Header{}, body: st.manifest.body}, st.manifest.etag)
}

// putManifest is PUT /v1/skills/{skillId}/stages/{stage}/manifest.
func (s *Server) putManifest(c *call) response {
	sk, resp, ok := s.lookupWritable(c)
	if !ok {
		return resp
	}
	cur := sk.stages[stageDevelopment]
	// If-Match first: a retried PUT whose first attempt was applied must
	// see 412, not 409, so the client can compare and carry on.
	if resp, stale := staleIfMatch(c, "skill manifest", cur.manifest.etag); stale {
		return resp
	}
	if s.creating(sk, c) || sk.manifestBuild.status(c.now) == statusInProgress {
		return errorResponse(http.StatusConflict,
			"an update of this skill's manifest is already in progress; wait for GET /v1/skills/{skillId}/status to leave IN_PROGRESS")
	}
	var env map[string]json.RawMessage
	if err := json.Unmarshal(c.body, &env); err != nil {
		return errorResponse(http.StatusBadRequest, `the body must be a JSON object {"manifest": {...}}: `+err.Error())
	}
	if _, ok := env["manifest"]; !ok {
		if _, v0 := env["skillManifest"]; !v0 {
			return errorResponse(http.StatusBadRequest, `the body must be {"manifest": {...}}`)
		}
	}
	d, err := manifestDoc(c.body)
	if err != nil {
		return errorResponse(http.StatusBadRequest, err.Error())
	}
	cur.manifest = d
	sk.manifestBuild = s.newBuild(c.now)
	sk.updated = c.now
	r := emptyResponse(http.StatusAccepted)
	r.header.Set("Location", statusLocation(sk.id, "manifest"))
	return r
}

// deleteSkill is DELETE /v1/skills/{skillId}/.
func (s *Server) deleteSkill(c *call) response {
	sk, resp, ok := s.lookup(c)
	if !ok {
		return resp
	}
	switch {
	case sk.stages[stageLive] != nil:
		return errorResponse(http.StatusForbidden, "the skill has a live stage and cannot be deleted; unpublish it instead")
	case sk.cert.status == pubCertification:
		return errorResponse(http.StatusForbidden, "the skill is in certification and cannot be deleted; withdraw it first")
	case sk.pub != nil && !sk.pub.applied:
		return errorResponse(http.StatusForbidden, "a publication of the skill is pending; wait for it before deleting")
	case sk.manifestBuild.status(c.now) == statusInProgress:
		return errorResponse(http.StatusForbidden, "a manifest update is in progress; wait for it before deleting")
	}
	for _, loc := range sortedKeys(sk.modelBuilds) {
		if sk.modelBuilds[loc].status(c.now) == statusInProgress {
			return errorResponse(http.StatusForbidden,
				fmt.Sprintf("the %s interaction model is building; wait for it before deleting", loc))
		}
	}
	delete(s.skills, sk.id)
	return emptyResponse(http.StatusNoContent)
}

// Status body types, shaped as the SMAPI reference's example.
type (
	statusError struct {
		Code    string `json:"code,omitempty"`
		Message string `json:"message"`
	}
	manifestUpdate struct {
		Status   string        `json:"status"`
		Errors   []statusError `json:"errors"`
		Warnings []statusError `json:"warnings"`
	}
	manifestStatus struct {
		LastUpdateRequest manifestUpdate `json:"lastUpdateRequest"`
		ETag              string         `json:"eTag"`
	}
	buildStep struct {
		Name   string        `json:"name"`
		Status string        `json:"status"`
		Errors []statusError `json:"errors"`
	}
	modelUpdate struct {
		Status       string        `json:"status"`
		Errors       []statusError `json:"errors"`
		Warnings     []statusError `json:"warnings"`
		BuildDetails struct {
			Steps []buildStep `json:"steps"`
		} `json:"buildDetails"`
	}
	modelStatus struct {
		LastUpdateRequest modelUpdate   `json:"lastUpdateRequest"`
		ETag              string        `json:"eTag"`
		Errors            []statusError `json:"errors"`
		Warnings          []statusError `json:"warnings"`
		Version           string        `json:"version"`
	}
	skillStatus struct {
		Manifest         *manifestStatus        `json:"manifest,omitempty"`
		InteractionModel map[string]modelStatus `json:"interactionModel,omitempty"`
	}
)

func messages(errs []string) []statusError {
	out := make([]statusError, 0, len(errs))
	for _, m := range errs {
		out = append(out, statusError{Message: m})
	}
	return out
}

// getStatus is GET /v1/skills/{skillId}/status with optional resource
// filters.
func (s *Server) getStatus(c *call) response {
	sk, resp, ok := s.lookup(c)
	if !ok {
		return resp
	}
	if c.now.Before(sk.created.Add(s.statusNotFoundTime)) {
		return errorResponse(http.StatusNotFound, fmt.Sprintf("skill %s not found", sk.id))
	}
	want := map[string]bool{}
	for _, r := range c.r.URL.Query()["resource"] {
		switch r {
		case "manifest", "interactionModel", "HostedSkillDeploymentStatus", "HostedSkillProvision":
			want[r] = true
		default:
			return errorResponse(http.StatusBadRequest,
				fmt.Sprintf("resource %q is not one of manifest, interactionModel, HostedSkillDeploymentStatus, HostedSkillProvision", r))
		}
	}
	all := len(want) == 0
	var out skillStatus
	dev := sk.stages[stageDevelopment]
	if all || want["manifest"] {
		b := sk.manifestBuild
		st := b.status(c.now)
		var errs []string
		if st == statusFailed {
			errs = b.errs
		}
		out.Manifest = &manifestStatus{
			LastUpdateRequest: manifestUpdate{Status: st, Errors: messages(errs), Warnings: []statusError{}},
			ETag:              dev.manifest.etag,
		}
	}
	if all || want["interactionModel"] {
		out.InteractionModel = map[string]modelStatus{}
		for loc, m := range dev.models {
			out.InteractionModel[loc] = modelStatusOf(sk.modelBuilds[loc], m, c)
		}
	}
	return jsonResponse(http.StatusOK, out)
}

func modelStatusOf(b *build, m *model, c *call) modelStatus {
	st := b.status(c.now)
	u := modelUpdate{Status: st, Errors: []statusError{}, Warnings: []statusError{}}
	steps := make([]buildStep, 0, len(buildSteps))
	switch st {
	case statusSucceeded:
		for _, n := range buildSteps {
			steps = append(steps, buildStep{Name: n, Status: statusSucceeded, Errors: []statusError{}})
		}
	case statusFailed:
		u.Errors = messages(b.errs)
		steps = append(steps,
			buildStep{Name: buildSteps[0], Status: statusSucceeded, Errors: []statusError{}},
			buildStep{Name: buildSteps[1], Status: statusFailed, Errors: messages(b.errs)})
		for i := range steps[1].Errors {
			steps[1].Errors[i].Code = "BUILD_FAILED"
		}
	default:
		// Steps appear as they start: one per third of the build time.
		n := 1
		if b.dur > 0 {
			n = 1 + int(3*c.now.Sub(b.start)/b.dur)
		}
		n = min(n, len(buildSteps))
		for i := range n {
			st := statusSucceeded
			if i == n-1 {
				st = statusInProgress
			}
			steps = append(steps, buildStep{Name: buildSteps[i], Status: st, Errors: []statusError{}})
		}
	}
	u.BuildDetails.Steps = steps
	return modelStatus{
		LastUpdateRequest: u, ETag: m.etag, Errors: []statusError{}, Warnings: []statusError{},
		Version: strconv.Itoa(m.version),
	}
}

type (
	link struct {
		Href string `json:"href"`
	}
	links struct {
		Self *link `json:"self,omitempty"`
		Next *link `json:"next,omitempty"`
	}
	skillSummary struct {
		SkillID           string            `json:"skillId"`
		Stage             string            `json:"stage"`
		Apis              []string          `json:"apis"`
		PublicationStatus string            `json:"publicationStatus"`
		LastUpdated       string            `json:"lastUpdated"`
		NameByLocale      map[string]string `json:"nameByLocale"`
		Asin              string            `json:"asin,omitempty"`
		Links             links             `json:"_links"`
	}
	listResponse struct {
		Links       links          `json:"_links"`
		Skills      []skillSummary `json:"skills"`
		IsTruncated bool           `json:"isTruncated"`
		NextToken   string         `json:"nextToken,omitempty"`
	}
)

// listSkills is GET /v1/skills (listSkillsForVendorV1): pages of summaries,
// one entry per stage of each skill, or the summaries of up to 10 skills.
func (s *Server) listSkills(c *call) response {
	q := c.r.URL.Query()
	vendor := q.Get("vendorId")
	if vendor == "" {
		return errorResponse(http.StatusBadRequest, "vendorId is required")
	}
	if !s.vendors[vendor] {
		return errorResponse(http.StatusBadRequest,
			fmt.Sprintf("vendor %s is not accessible with these credentials; check ASK_VENDOR_ID", vendor))
	}
	ids := q["skillId"]
	max, resp, ok := maxResultsParam(q)
	if !ok {
		return resp
	}
	if len(ids) > 0 && (q.Has("maxResults") || q.Has("nextToken")) {
		return errorResponse(http.StatusBadRequest, "skillId cannot be combined with maxResults or nextToken")
	}
	if len(ids) > maxSkillFilters {
		return errorResponse(http.StatusBadRequest, fmt.Sprintf("at most %d skillId values per request", maxSkillFilters))
	}
	offset := 0
	if t := q.Get("nextToken"); t != "" {
		n, ok := parseNextToken(t, vendor)
		if !ok {
			return errorResponse(http.StatusBadRequest, "nextToken is not valid for this vendor; start again without it")
		}
		offset = n
	}

	var skills []*skill
	for _, sk := range s.skills {
		if sk.vendor != vendor || (len(ids) > 0 && !slices.Contains(ids, sk.id)) {
			continue
		}
		s.settle(sk, c.now)
		skills = append(skills, sk)
	}
	slices.SortFunc(skills, func(a, b *skill) int { return a.seq - b.seq })
	var entries []skillSummary
	for _, sk := range skills {
		entries = append(entries, summaries(sk)...)
	}

	out := listResponse{Skills: []skillSummary{}}
	out.Links.Self = &link{Href: "/v1/skills?" + c.r.URL.RawQuery}
	if offset > len(entries) {
		offset = len(entries)
	}
	end := len(entries)
	if len(ids) == 0 && end-offset > max {
		end = offset + max
	}
	out.Skills = append(out.Skills, entries[offset:end]...)
	if end < len(entries) {
		out.IsTruncated = true
		out.NextToken = nextToken(vendor, end)
		nq := url.Values{"vendorId": {vendor}, "nextToken": {out.NextToken}}
		if q.Has("maxResults") {
			nq.Set("maxResults", strconv.Itoa(max))
		}
		out.Links.Next = &link{Href: "/v1/skills?" + nq.Encode()}
	}
	// The reference page shows "application/json+hal", but the model only
	// produces application/json and Prism rejects the other; ask-cli reads both.
	return jsonResponse(http.StatusOK, out)
}

func summaries(sk *skill) []skillSummary {
	var out []skillSummary
	for _, st := range []string{stageDevelopment, stageCertified, stageLive} {
		stg := sk.stages[st]
		if stg == nil {
			continue
		}
		apis, names := summaryFields(stg.manifest)
		ps := pubDevelopment
		switch {
		case st == stageCertified:
			ps = pubCertified
		case st == stageLive:
			ps = sk.liveStatus
		case sk.cert.status == pubCertification:
			ps = pubCertification
		}
		sum := skillSummary{
			SkillID: sk.id, Stage: st, Apis: apis, PublicationStatus: ps,
			LastUpdated: timestamp(sk.updated), NameByLocale: names,
			Links: links{Self: &link{Href: "/v1/skills/" + sk.id + "/stages/" + st + "/manifest"}},
		}
		if st == stageLive {
			sum.Asin = "B0" + strings.ToUpper(stg.manifest.etag[:8])
		}
		out = append(out, sum)
	}
	return out
}

// nextToken is opaque to clients; it names the vendor so a token cannot be
// replayed against another vendor's list.
func nextToken(vendor string, offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("v1|" + vendor + "|" + strconv.Itoa(offset)))
}

func parseNextToken(t, vendor string) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(t)
	if err != nil {
		return 0, false
	}
	parts := strings.Split(string(b), "|")
	if len(parts) != 3 || parts[0] != "v1" || parts[1] != vendor {
		return 0, false
	}
	n, err := strconv.Atoi(parts[2])
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}
