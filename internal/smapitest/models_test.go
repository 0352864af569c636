package smapitest

import (
	"strings"
	"testing"
	"time"
)

func TestInteractionModel(t *testing.T) {
	t.Parallel()
	h := newHarness(t, WithBuildTime(time.Second))
	id := h.skill()
	path := modelPath(id, "development", "en-US")

	h.want(404, "GET", path, "")
	if code, _, b := h.do("HEAD", path, ""); code != 404 || len(b) != 0 {
		t.Errorf("HEAD missing model: %d %q", code, b)
	}
	h.want(400, "GET", modelPath(id, "development", "english"), "")
	h.want(400, "PUT", modelPath(id, "development", "en_US"), testModel)
	h.want(400, "PUT", path, `{"languageModel": {}}`)
	h.want(400, "PUT", path, `[]`)
	h.want(403, "PUT", modelPath(id, "live", "en-US"), testModel)
	h.want(412, "PUT", path, testModel, "If-Match", `"abc"`) // no model yet: nothing can match
	h.want(404, "PUT", modelPath("nope", "development", "en-US"), testModel)

	_, hdr := h.want(202, "PUT", path, testModel)
	if hdr.Get("Location") != "/v1/skills/"+id+"/status?resource=interactionModel" {
		t.Errorf("Location %q", hdr.Get("Location"))
	}
	m, hdr := h.want(200, "GET", path, "")
	etag := hdr.Get("ETag")
	if dig(m, "interactionModel", "languageModel", "invocationName") != "sample" || etag == "" {
		t.Errorf("GET %v %q", m, etag)
	}
	code, hdr, b := h.do("HEAD", path, "")
	if code != 204 || hdr.Get("ETag") != etag || len(b) != 0 {
		t.Errorf("HEAD: %d %q %q", code, hdr.Get("ETag"), b)
	}

	changed := strings.Replace(testModel, "sample", "other sample", 1)
	h.want(412, "PUT", path, changed, "If-Match", `"stale"`)
	h.want(409, "PUT", path, changed, "If-Match", etag)
	// Another locale builds on its own.
	h.want(202, "PUT", modelPath(id, "development", "en-GB"), testModel)
	h.clock.Add(time.Second)
	h.want(202, "PUT", path, changed, "If-Match", etag)
	st, _ := h.want(200, "GET", "/v1/skills/"+id+"/status?resource=interactionModel", "")
	if dig(st, "interactionModel", "en-US", "version") != "2" || dig(st, "interactionModel", "en-GB", "lastUpdateRequest", "status") != "SUCCEEDED" {
		t.Errorf("status %v", st)
	}
	_, hdr = h.want(200, "GET", path, "")
	if hdr.Get("ETag") == etag {
		t.Error("model ETag did not change")
	}
	// The accessor tests use to check what a deploy wrote agrees with GET.
	if body, e, ok := h.s.InteractionModel(id, "development", "en-US"); !ok || e != hdr.Get("ETag") || !strings.Contains(string(body), "other sample") {
		t.Errorf("InteractionModel = %q, %q, %v", body, e, ok)
	}
	if _, _, ok := h.s.InteractionModel(id, "development", "fr-FR"); ok {
		t.Error("InteractionModel found a model never written")
	}
	if _, _, ok := h.s.InteractionModel("nope", "development", "en-US"); ok {
		t.Error("InteractionModel found a model of an unknown skill")
	}
	if err := h.s.SetInteractionModel(id, "development", "xx", []byte(testModel)); err == nil {
		t.Error("SetInteractionModel accepted a bad locale")
	}
	if err := h.s.SetInteractionModel("nope", "development", "en-US", []byte(testModel)); err == nil {
		t.Error("SetInteractionModel accepted an unknown skill")
	}
	if err := h.s.SetInteractionModel(id, "development", "en-US", []byte(`{}`)); err == nil {
		t.Error("SetInteractionModel accepted a body without interactionModel")
	}
}

func TestAccountLinking(t *testing.T) {
	t.Parallel()
	h := newHarness(t, WithCertificationTime(time.Hour))
	id := h.skill()
	path := "/v1/skills/" + id + "/stages/development/accountLinkingClient"
	body := `{"accountLinkingRequest": {"type": "AUTH_CODE", "authorizationUrl": "https://example.com/a",
		"clientId": "cid", "clientSecret": "csecret", "scopes": ["profile"],
		"reciprocalAccessTokenUrl": "https://example.com/r", "skipOnEnablement": true}}`

	h.want(404, "GET", path, "")
	h.want(404, "DELETE", path, "")
	h.want(400, "PUT", path, `{"type": "AUTH_CODE"}`)
	h.want(400, "PUT", path, `{"accountLinkingRequest": {"type": "PASSWORD"}}`)
	h.want(400, "PUT", path, `{`)
	h.want(403, "PUT", "/v1/skills/"+id+"/stages/live/accountLinkingClient", body)
	h.want(412, "PUT", path, body, "If-Match", `"x"`)

	code, hdr, b := h.do("PUT", path, body)
	etag := hdr.Get("ETag")
	if code != 204 || etag == "" || len(b) != 0 {
		t.Fatalf("PUT: %d %q %s", code, etag, b)
	}
	m, hdr := h.want(200, "GET", path, "")
	if hdr.Get("ETag") != etag || m["clientId"] != "cid" || m["type"] != "AUTH_CODE" {
		t.Errorf("GET %v %q", m, hdr.Get("ETag"))
	}
	for _, f := range []string{"clientSecret", "reciprocalAccessTokenUrl", "skipOnEnablement"} {
		if _, ok := m[f]; ok {
			t.Errorf("GET returned the request-only field %s", f)
		}
	}
	h.want(412, "PUT", path, body, "If-Match", `"x"`)
	h.want(204, "PUT", path, body, "If-Match", etag)

	h.want(202, "POST", "/v1/skills/"+id+"/submit", "")
	h.want(403, "PUT", path, body)
	h.want(403, "DELETE", path, "")
	h.want(204, "POST", "/v1/skills/"+id+"/withdraw", `{"reason": "OTHER", "message": "m"}`)

	h.want(204, "DELETE", path, "")
	h.want(404, "GET", path, "")
}
