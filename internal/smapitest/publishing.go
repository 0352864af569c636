package smapitest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// maxPublishMonths is how far ahead a publication may be scheduled: "up to
// six months from the current date".
const maxPublishMonths = 6

// unpublishReasons is the fixed list of the Skill Publishing reference.
var unpublishReasons = []string{
	"Changing invocation name",
	"Published by mistake",
	"It takes time to maintain my skill",
	"My infrastructure costs are too high",
	"Technical issues",
	"Other",
}

// withdrawReasons is the model's v1.skill.Reason enum.
var withdrawReasons = []string{
	"TEST_SKILL", "MORE_FEATURES", "DISCOVERED_ISSUE",
	"NOT_RECEIVED_CERTIFICATION_FEEDBACK", "NOT_INTEND_TO_PUBLISH", "OTHER",
}

// decodeOptional decodes an optional JSON object body.
func decodeOptional(body []byte, v any) error {
	if len(body) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("the body must be a JSON object: %w", err)
	}
	return nil
}

// lookupBody finds the skill of the request, then decodes its optional JSON
// object body into v.
func (s *Server) lookupBody(c *call, v any) (*skill, response, bool) {
	sk, resp, ok := s.lookup(c)
	if !ok {
		return nil, resp, false
	}
	if err := decodeOptional(c.body, v); err != nil {
		return nil, errorResponse(http.StatusBadRequest, err.Error()), false
	}
	return sk, response{}, true
}

// lookupJSON finds the skill of the request, then decodes its JSON body,
// which must be there, into v; shape is what the body must look like, for
// the error.
func (s *Server) lookupJSON(c *call, v any, shape string) (*skill, response, bool) {
	sk, resp, ok := s.lookup(c)
	if !ok {
		return nil, resp, false
	}
	if err := json.Unmarshal(c.body, v); err != nil {
		return nil, errorResponse(http.StatusBadRequest, "the body must be "+shape+": "+err.Error()), false
	}
	return sk, response{}, true
}

// submit is POST /v1/skills/{skillId}/submit: the development stage goes to
// CERTIFICATION for the certification time, then CERTIFIED; with
// AUTO_PUBLISHING (the default) it is then published.
func (s *Server) submit(c *call) response {
	var req struct {
		PublicationMethod string `json:"publicationMethod"`
		VersionMessage    string `json:"versionMessage"`
	}
	sk, resp, ok := s.lookupBody(c, &req)
	if !ok {
		return resp
	}
	switch req.PublicationMethod {
	case "", "MANUAL_PUBLISHING", "AUTO_PUBLISHING":
	default:
		return errorResponse(http.StatusBadRequest, "publicationMethod must be MANUAL_PUBLISHING or AUTO_PUBLISHING")
	}
	if len([]rune(req.VersionMessage)) > 300 {
		return errorResponse(http.StatusBadRequest, "versionMessage is limited to 300 characters")
	}
	if sk.cert.status == pubCertification {
		return errorResponse(http.StatusForbidden, "the skill is already in certification")
	}
	if sk.pub != nil && !sk.pub.applied {
		return errorResponse(http.StatusForbidden, "a publication of the skill is pending; wait for it to finish")
	}
	switch sk.manifestBuild.status(c.now) {
	case statusInProgress:
		return errorResponse(http.StatusForbidden, "the last manifest update is still IN_PROGRESS; wait for it before submitting")
	case statusFailed:
		return errorResponse(http.StatusForbidden, "the last manifest update FAILED; fix the manifest and update it before submitting")
	}
	for _, loc := range sortedKeys(sk.modelBuilds) {
		if st := sk.modelBuilds[loc].status(c.now); st != statusSucceeded {
			return errorResponse(http.StatusForbidden,
				fmt.Sprintf("the %s interaction model build is %s; it must have SUCCEEDED before submitting", loc, st))
		}
	}
	method := req.PublicationMethod
	if method == "" {
		method = "AUTO_PUBLISHING"
	}
	sk.cert = certification{status: pubCertification, until: c.now.Add(s.certTime), method: method}
	sk.certs = append(sk.certs, &certRecord{
		id: fmt.Sprintf("cert-%04d", len(sk.certs)+1), submitted: c.now, until: sk.cert.until, status: statusInProgress,
	})
	delete(sk.stages, stageCertified)
	s.settle(sk, c.now) // a zero certification time certifies at once
	r := emptyResponse(http.StatusAccepted)
	r.header.Set("Location", "/v1/skills/"+sk.id+"/certifications")
	return r
}

// withdraw is POST /v1/skills/{skillId}/withdraw.
func (s *Server) withdraw(c *call) response {
	var req struct {
		Reason  string `json:"reason"`
		Message string `json:"message"`
	}
	sk, resp, ok := s.lookupJSON(c, &req, `{"reason": ..., "message": ...}`)
	if !ok {
		return resp
	}
	if !slices.Contains(withdrawReasons, req.Reason) {
		return errorResponse(http.StatusBadRequest, fmt.Sprintf("reason %q is not one of %v", req.Reason, withdrawReasons))
	}
	if sk.cert.status != pubCertification {
		return errorResponse(http.StatusForbidden, "the skill is not in certification, so there is nothing to withdraw")
	}
	sk.cert = certification{}
	if n := len(sk.certs); n > 0 {
		sk.certs[n-1].status, sk.certs[n-1].done = "CANCELLED", c.now
	}
	return emptyResponse(http.StatusNoContent)
}

type (
	reviewTracking struct {
		EstimatedCompletionTimestamp string `json:"estimatedCompletionTimestamp"`
		ActualCompletionTimestamp    string `json:"actualCompletionTimestamp,omitempty"`
		LastUpdated                  string `json:"lastUpdated"`
	}
	certSummary struct {
		ID                       string         `json:"id"`
		Status                   string         `json:"status"`
		SkillSubmissionTimestamp string         `json:"skillSubmissionTimestamp"`
		ReviewTrackingInfo       reviewTracking `json:"reviewTrackingInfo"`
	}
	certList struct {
		Links       links         `json:"_links"`
		IsTruncated bool          `json:"isTruncated"`
		NextToken   string        `json:"nextToken,omitempty"`
		TotalCount  int           `json:"totalCount"`
		Items       []certSummary `json:"items"`
	}
)

// listCertifications is GET /v1/skills/{skillId}/certifications: the
// certification history, newest first, in pages.
func (s *Server) listCertifications(c *call) response {
	sk, resp, ok := s.lookup(c)
	if !ok {
		return resp
	}
	q := c.r.URL.Query()
	max, resp, ok := maxResultsParam(q)
	if !ok {
		return resp
	}
	offset := 0
	if t := q.Get("nextToken"); t != "" {
		n, ok := parseNextToken(t, sk.id)
		if !ok {
			return errorResponse(http.StatusBadRequest, "nextToken is not valid for this skill; start again without it")
		}
		offset = min(n, len(sk.certs))
	}
	out := certList{TotalCount: len(sk.certs), Items: []certSummary{}}
	out.Links.Self = &link{Href: c.r.URL.RequestURI()}
	end := min(offset+max, len(sk.certs))
	for i := offset; i < end; i++ {
		r := sk.certs[len(sk.certs)-1-i]
		item := certSummary{ID: r.id, Status: r.status, SkillSubmissionTimestamp: timestamp(r.submitted),
			ReviewTrackingInfo: reviewTracking{EstimatedCompletionTimestamp: timestamp(r.until), LastUpdated: timestamp(r.submitted)}}
		if !r.done.IsZero() {
			item.ReviewTrackingInfo.ActualCompletionTimestamp = timestamp(r.done)
			item.ReviewTrackingInfo.LastUpdated = timestamp(r.done)
		}
		out.Items = append(out.Items, item)
	}
	if end < len(sk.certs) {
		out.IsTruncated = true
		out.NextToken = nextToken(sk.id, end)
		out.Links.Next = &link{Href: "/v1/skills/" + sk.id + "/certifications?" + url.Values{"nextToken": {out.NextToken}, "maxResults": {strconv.Itoa(max)}}.Encode()}
	}
	r := jsonResponse(http.StatusOK, out)
	r.header.Set("Content-Type", "application/hal+json") // the only type the model allows here
	return r
}

type publicationBody struct {
	// The reference page shows publishesAt, the model publishesAtDate;
	// answers carry both so either reader finds the date.
	PublishesAtDate string `json:"publishesAtDate,omitempty"`
	PublishesAt     string `json:"publishesAt,omitempty"`
	Status          string `json:"status"`
}

func publicationResponse(status int, p *publication, now time.Time, lang string) response {
	t := timestamp(p.publishesAt)
	r := jsonResponse(status, publicationBody{PublishesAtDate: t, PublishesAt: t, Status: p.status(now)})
	if lang == "" {
		lang = "en-US"
	}
	r.header.Set("Content-Language", lang)
	return r
}

// publish is POST /v1/skills/{skillId}/publications: a certified skill is
// published now or at publishesAtDate.
func (s *Server) publish(c *call) response {
	var req struct {
		PublishesAtDate string `json:"publishesAtDate"`
		PublishesAt     string `json:"publishesAt"`
	}
	sk, resp, ok := s.lookupBody(c, &req)
	if !ok {
		return resp
	}
	at := c.now
	if v := cmp.Or(req.PublishesAtDate, req.PublishesAt); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return errorResponse(http.StatusBadRequest, fmt.Sprintf("publishesAtDate %q is not an RFC 3339 date-time", v))
		}
		if t.After(c.now.AddDate(0, maxPublishMonths, 0)) {
			return errorResponse(http.StatusBadRequest, "publishesAtDate can be at most six months from now")
		}
		if t.After(at) {
			at = t
		}
	}
	if sk.pub != nil && !sk.pub.applied {
		return errorResponse(http.StatusForbidden, "a publication is already "+sk.pub.status(c.now)+"; only one can be outstanding")
	}
	if sk.cert.status != pubCertified {
		return errorResponse(http.StatusForbidden,
			"only a certified skill can be published; submit it for certification (publicationMethod MANUAL_PUBLISHING) and wait until it is certified")
	}
	sk.pub = &publication{requested: c.now, publishesAt: at, done: at.Add(s.publishTime)}
	p := sk.pub
	s.settle(sk, c.now)
	return publicationResponse(http.StatusAccepted, p, c.now, c.r.Header.Get("Accept-Language"))
}

// getPublication is GET /v1/skills/{skillId}/publications/~latest.
func (s *Server) getPublication(c *call) response {
	sk, resp, ok := s.lookup(c)
	if !ok {
		return resp
	}
	if sk.pub == nil {
		return errorResponse(http.StatusNotFound, fmt.Sprintf("skill %s has no publication yet", sk.id))
	}
	return publicationResponse(http.StatusOK, sk.pub, c.now, c.r.Header.Get("Accept-Language"))
}

// unpublish is POST /v1/skills/{skillId}/unpublish with type HIDE or REMOVE
// and a reason from the fixed list.
func (s *Server) unpublish(c *call) response {
	var req struct {
		Type   string `json:"type"`
		Reason string `json:"reason"`
	}
	sk, resp, ok := s.lookupJSON(c, &req, `{"type": ..., "reason": ...}`)
	if !ok {
		return resp
	}
	if req.Type != "HIDE" && req.Type != "REMOVE" {
		return errorResponse(http.StatusBadRequest, "type must be HIDE or REMOVE")
	}
	if !slices.Contains(unpublishReasons, req.Reason) {
		return errorResponse(http.StatusBadRequest, fmt.Sprintf("reason %q is not one of %q", req.Reason, unpublishReasons))
	}
	if sk.stages[stageLive] == nil {
		return errorResponse(http.StatusForbidden, "the skill is not published, so it cannot be unpublished")
	}
	if sk.liveStatus == pubRemoved {
		return errorResponse(http.StatusForbidden, "the skill is already removed")
	}
	if req.Type == "HIDE" {
		sk.liveStatus = pubHidden
	} else {
		sk.liveStatus = pubRemoved
	}
	sk.updated = c.now
	return emptyResponse(http.StatusAccepted)
}
