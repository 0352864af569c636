package smapitest

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// modelOf finds the interaction model addressed by the request path.
func (s *Server) modelOf(c *call) (*skill, *model, response, bool) {
	sk, stName, resp, ok := s.lookupStage(c)
	if !ok {
		return nil, nil, resp, false
	}
	loc := c.r.PathValue("locale")
	if !localeRE.MatchString(loc) {
		return nil, nil, errorResponse(http.StatusBadRequest, fmt.Sprintf("locale %q is not a locale like en-US", loc)), false
	}
	st := sk.stages[stName]
	if st == nil {
		return nil, nil, errorResponse(http.StatusNotFound, fmt.Sprintf("skill %s has no %s stage", sk.id, stName)), false
	}
	m := st.models[loc]
	if m == nil {
		return nil, nil, errorResponse(http.StatusNotFound,
			fmt.Sprintf("skill %s has no %s interaction model in the %s stage", sk.id, loc, stName)), false
	}
	return sk, m, response{}, true
}

// getModel is GET …/stages/{stage}/interactionModel/locales/{locale}.
func (s *Server) getModel(c *call) response {
	_, m, resp, ok := s.modelOf(c)
	if !ok {
		return resp
	}
	return withETag(response{status: http.StatusOK, header: http.Header{}, body: m.body}, m.etag)
}

// headModel is HEAD on the same path: 204 with the ETag in v1.
func (s *Server) headModel(c *call) response {
	_, m, resp, ok := s.modelOf(c)
	if !ok {
		// HEAD answers carry no body.
		return emptyResponse(resp.status)
	}
	return withETag(emptyResponse(http.StatusNoContent), m.etag)
}

// putModel is PUT on the same path: stores the model and starts the
// locale's build.
func (s *Server) putModel(c *call) response {
	sk, resp, ok := s.lookupWritable(c)
	if !ok {
		return resp
	}
	loc := c.r.PathValue("locale")
	if !localeRE.MatchString(loc) {
		return errorResponse(http.StatusBadRequest, fmt.Sprintf("locale %q is not a locale like en-US", loc))
	}
	dev := sk.stages[stageDevelopment]
	cur := dev.models[loc]
	if resp, stale := staleIfMatch(c, "interaction model", cur.tag()); stale {
		return resp
	}
	// The model declares no 409 here; SMAPI still refuses a second build of
	// the same locale while one runs, and 409 is what it uses elsewhere.
	if sk.modelBuilds[loc].status(c.now) == statusInProgress {
		return errorResponse(http.StatusConflict,
			fmt.Sprintf("the %s interaction model is still building; wait for its status to leave IN_PROGRESS", loc))
	}
	d, err := modelDoc(c.body)
	if err != nil {
		return errorResponse(http.StatusBadRequest, err.Error())
	}
	v := 1
	if cur != nil {
		v = cur.version + 1
	}
	dev.models[loc] = &model{doc: d, version: v}
	sk.modelBuilds[loc] = s.newBuild(c.now)
	sk.updated = c.now
	r := emptyResponse(http.StatusAccepted)
	r.header.Set("Location", statusLocation(sk.id, "interactionModel"))
	return r
}

// accountLinkingRequestOnly are the fields of the model's
// AccountLinkingRequestPayload that AccountLinkingResponse lacks: accepted
// on PUT, never shown by GET (the client secret is write-only).
var accountLinkingRequestOnly = []string{"clientSecret", "reciprocalAccessTokenUrl", "skipOnEnablement"}

// getAccountLinking is GET …/stages/{stage}/accountLinkingClient, without
// the request-only fields, as in SMAPI.
func (s *Server) getAccountLinking(c *call) response {
	sk, stName, resp, ok := s.lookupStage(c)
	if !ok {
		return resp
	}
	st := sk.stages[stName]
	if st == nil || st.accountLinking == nil {
		return errorResponse(http.StatusNotFound, fmt.Sprintf("skill %s has no account linking in the %s stage", sk.id, stName))
	}
	var m map[string]any
	if err := json.Unmarshal(st.accountLinking.body, &m); err != nil {
		return errorResponse(http.StatusInternalServerError, "stored account linking is not JSON: "+err.Error())
	}
	for _, f := range accountLinkingRequestOnly {
		delete(m, f)
	}
	return withETag(jsonResponse(http.StatusOK, m), st.accountLinking.etag)
}

// putAccountLinking is PUT on the same path, body {"accountLinkingRequest": {...}}.
func (s *Server) putAccountLinking(c *call) response {
	sk, resp, ok := s.lookupWritable(c)
	if !ok {
		return resp
	}
	dev := sk.stages[stageDevelopment]
	if resp, stale := staleIfMatch(c, "account linking", dev.accountLinking.tag()); stale {
		return resp
	}
	v, err := decodeBody(c.body)
	if err != nil {
		return errorResponse(http.StatusBadRequest, err.Error())
	}
	obj, _ := v.(map[string]any)
	payload, ok := obj["accountLinkingRequest"].(map[string]any)
	if !ok {
		return errorResponse(http.StatusBadRequest, `the body must be {"accountLinkingRequest": {...}}`)
	}
	if t, ok := payload["type"]; ok && t != "AUTH_CODE" && t != "IMPLICIT" {
		return errorResponse(http.StatusBadRequest, `accountLinkingRequest.type must be AUTH_CODE or IMPLICIT`)
	}
	d := newDoc(payload)
	dev.accountLinking = &d
	sk.updated = c.now
	return withETag(emptyResponse(http.StatusNoContent), d.etag)
}

// deleteAccountLinking is DELETE on the same path.
func (s *Server) deleteAccountLinking(c *call) response {
	sk, resp, ok := s.lookupWritable(c)
	if !ok {
		return resp
	}
	dev := sk.stages[stageDevelopment]
	if dev.accountLinking == nil {
		return errorResponse(http.StatusNotFound, fmt.Sprintf("skill %s has no account linking in the development stage", sk.id))
	}
	dev.accountLinking = nil
	sk.updated = c.now
	return emptyResponse(http.StatusNoContent)
}
