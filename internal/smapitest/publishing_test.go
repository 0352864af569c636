package smapitest

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestCertification(t *testing.T) {
	t.Parallel()
	h := newHarness(t, WithBuildTime(time.Second), WithCertificationTime(10*time.Second))
	id := h.skill()
	submit := "/v1/skills/" + id + "/submit"
	withdraw := "/v1/skills/" + id + "/withdraw"

	h.want(404, "POST", "/v1/skills/nope/submit", "")
	h.want(400, "POST", submit, `{"publicationMethod": "SOMETIMES"}`)
	h.want(400, "POST", submit, `{"versionMessage": "`+strings.Repeat("é", 301)+`"}`)
	h.want(400, "POST", submit, `[`)
	h.want(403, "POST", withdraw, `{"reason": "TEST_SKILL"}`)

	// Not while a build runs, nor after it failed.
	h.want(202, "PUT", modelPath(id, "development", "en-US"), testModel)
	h.want(403, "POST", submit, "")
	h.clock.Add(time.Second)
	h.s.QueueBuildOutcomes(BuildOutcome{Errors: []string{"bad"}})
	h.want(202, "PUT", manifestPath(id, "development"), testManifest)
	h.want(403, "POST", submit, "")
	h.clock.Add(time.Second)
	m, _ := h.want(403, "POST", submit, "")
	if !strings.Contains(m["message"].(string), "FAILED") {
		t.Errorf("message %v", m)
	}
	h.want(202, "PUT", manifestPath(id, "development"), testManifest)
	h.clock.Add(time.Second)

	_, hdr := h.want(202, "POST", submit, `{"publicationMethod": "MANUAL_PUBLISHING", "versionMessage": "v2"}`)
	if hdr.Get("Location") == "" {
		t.Error("submit without Location")
	}
	h.want(403, "POST", submit, "")
	list, _ := h.want(200, "GET", "/v1/skills?vendorId="+DefaultVendorID+"&skillId="+id, "")
	if dig(list, "skills", "0", "publicationStatus") != "CERTIFICATION" {
		t.Errorf("list during certification %v", list)
	}
	h.want(403, "PUT", manifestPath(id, "development"), testManifest)
	h.want(403, "PUT", modelPath(id, "development", "en-US"), testModel)
	h.want(400, "POST", withdraw, `{"reason": "BORED"}`)
	h.want(400, "POST", withdraw, ``)
	h.want(204, "POST", withdraw, `{"reason": "TEST_SKILL"}`)
	h.want(403, "POST", withdraw, `{"reason": "TEST_SKILL"}`)
	h.want(202, "PUT", manifestPath(id, "development"), testManifest)
	h.clock.Add(time.Second)

	// MANUAL_PUBLISHING stops at CERTIFIED with a certified stage.
	h.want(202, "POST", submit, `{"publicationMethod": "MANUAL_PUBLISHING"}`)
	h.clock.Add(10 * time.Second)
	list, _ = h.want(200, "GET", "/v1/skills?vendorId="+DefaultVendorID, "")
	var stages []string
	for _, s := range list["skills"].([]any) {
		stages = append(stages, s.(map[string]any)["stage"].(string)+"="+s.(map[string]any)["publicationStatus"].(string))
	}
	if strings.Join(stages, ",") != "development=DEVELOPMENT,certified=CERTIFIED" {
		t.Errorf("stages after certification: %v", stages)
	}
	h.want(200, "GET", manifestPath(id, "certified"), "")
	h.want(404, "GET", "/v1/skills/"+id+"/publications/~latest", "")

	// The history, newest first, one per page.
	certs := "/v1/skills/" + id + "/certifications"
	h.want(400, "GET", certs+"?maxResults=51", "")
	h.want(400, "GET", certs+"?nextToken=x", "")
	h.want(404, "GET", "/v1/skills/nope/certifications", "")
	page, _ := h.want(200, "GET", certs+"?maxResults=1", "")
	if page["totalCount"] != float64(2) || page["isTruncated"] != true || dig(page, "items", "0", "status") != "SUCCEEDED" ||
		dig(page, "items", "0", "reviewTrackingInfo", "actualCompletionTimestamp") == nil {
		t.Errorf("first page %v", page)
	}
	page, _ = h.want(200, "GET", dig(page, "_links", "next", "href").(string), "")
	if page["isTruncated"] != false || dig(page, "items", "0", "status") != "CANCELLED" || dig(page, "items", "0", "id") != "cert-0001" {
		t.Errorf("second page %v", page)
	}
	h.want(202, "POST", submit, "")
	page, _ = h.want(200, "GET", certs, "")
	if page["totalCount"] != float64(3) || dig(page, "items", "0", "status") != "IN_PROGRESS" {
		t.Errorf("during certification %v", page)
	}
}

func TestPublication(t *testing.T) {
	t.Parallel()
	h := newHarness(t, WithCertificationTime(time.Second), WithPublicationTime(2*time.Second))
	id := h.skill()
	pubs := "/v1/skills/" + id + "/publications"
	latest := pubs + "/~latest"

	h.want(403, "POST", pubs, "", "Accept-Language", "en-US")
	h.want(202, "POST", "/v1/skills/"+id+"/submit", `{"publicationMethod": "MANUAL_PUBLISHING"}`)
	h.want(403, "POST", pubs, "")
	h.clock.Add(time.Second)

	now := h.clock.Now()
	h.want(400, "POST", pubs, `{"publishesAtDate": "tomorrow"}`)
	h.want(400, "POST", pubs, `{"publishesAtDate": "`+now.Add(200*24*time.Hour).Format(time.RFC3339)+`"}`)
	h.want(400, "POST", pubs, `{`)

	at := now.Add(time.Hour).Truncate(time.Second)
	m, hdr := h.want(202, "POST", pubs, `{"publishesAtDate": "`+at.Format(time.RFC3339)+`"}`, "Accept-Language", "ja-JP")
	want := at.UTC().Format("2006-01-02T15:04:05.000Z")
	if m["status"] != "SCHEDULED" || m["publishesAtDate"] != want || m["publishesAt"] != want || hdr.Get("Content-Language") != "ja-JP" {
		t.Errorf("publish answer %v %v", m, hdr)
	}
	h.want(403, "POST", pubs, "")
	for _, step := range []struct {
		advance time.Duration
		status  string
	}{{0, "SCHEDULED"}, {time.Hour, "IN_PROGRESS"}, {time.Second, "IN_PROGRESS"}, {time.Second, "SUCCEEDED"}} {
		h.clock.Add(step.advance)
		m, _ := h.want(200, "GET", latest, "", "Accept-Language", "en-US")
		if m["status"] != step.status {
			t.Errorf("after %v: %v, want %s", step.advance, m, step.status)
		}
	}
	live, _ := h.want(200, "GET", manifestPath(id, "live"), "")
	if dig(live, "manifest", "manifestVersion") != "1.0" {
		t.Errorf("live manifest %v", live)
	}
	list, _ := h.want(200, "GET", "/v1/skills?vendorId="+DefaultVendorID, "")
	if e := stageEntry(list, "live"); e["publicationStatus"] != "PUBLISHED" || e["asin"] == nil || len(list["skills"].([]any)) != 3 {
		t.Errorf("list after publication %v", list)
	}
	// Published: the development stage is editable again, the live one is not.
	h.want(202, "PUT", manifestPath(id, "development"), testManifest)
	h.want(403, "PUT", manifestPath(id, "live"), testManifest)
}

func TestAutoPublishing(t *testing.T) {
	t.Parallel()
	h := newHarness(t, WithCertificationTime(time.Second), WithPublicationTime(time.Second))
	id := h.skill()
	h.want(202, "POST", "/v1/skills/"+id+"/submit", "")
	h.want(404, "GET", "/v1/skills/"+id+"/publications/~latest", "")
	h.clock.Add(time.Second)
	m, _ := h.want(200, "GET", "/v1/skills/"+id+"/publications/~latest", "")
	if m["status"] != "IN_PROGRESS" {
		t.Errorf("publication right after certification: %v", m)
	}
	h.clock.Add(time.Second)
	m, _ = h.want(200, "GET", "/v1/skills/"+id+"/publications/~latest", "")
	if m["status"] != "SUCCEEDED" {
		t.Errorf("publication: %v", m)
	}
	h.want(200, "GET", manifestPath(id, "live"), "")
}

func TestUnpublish(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := h.skill()
	path := "/v1/skills/" + id + "/unpublish"
	h.want(403, "POST", path, `{"type": "HIDE", "reason": "Technical issues"}`)
	h.want(202, "POST", "/v1/skills/"+id+"/submit", "") // zero durations: live at once
	h.want(200, "GET", manifestPath(id, "live"), "")

	h.want(400, "POST", path, `{"type": "DELETE", "reason": "Technical issues"}`)
	h.want(400, "POST", path, `{"type": "HIDE", "reason": "TECHNICAL_ISSUES"}`)
	h.want(400, "POST", path, `{"type": "HIDE"}`)
	h.want(400, "POST", path, ``)

	status := func() string {
		list, _ := h.want(200, "GET", "/v1/skills?vendorId="+DefaultVendorID+"&skillId="+id, "")
		return fmt.Sprint(stageEntry(list, "live")["publicationStatus"])
	}
	for _, reason := range unpublishReasons {
		h.want(202, "POST", path, `{"type": "HIDE", "reason": "`+reason+`"}`)
	}
	if s := status(); s != "HIDDEN" {
		t.Errorf("after HIDE: %s", s)
	}
	h.want(202, "POST", path, `{"type": "REMOVE", "reason": "Published by mistake"}`)
	if s := status(); s != "REMOVED" {
		t.Errorf("after REMOVE: %s", s)
	}
	h.want(403, "POST", path, `{"type": "REMOVE", "reason": "Other"}`)
}
