package smapitest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/skillgate/skillgate/internal/golden"
)

func TestManifestGetPut(t *testing.T) {
	t.Parallel()
	h := newHarness(t, WithBuildTime(time.Second))
	id := h.skill()
	path := manifestPath(id, "development")

	m, hdr := h.want(200, "GET", path, "")
	etag := hdr.Get("ETag")
	body, accessorETag, ok := h.s.Manifest(id, "development")
	if !ok || etag != accessorETag || !strings.HasPrefix(etag, `"`) {
		t.Fatalf("ETag header %q, accessor %q %v", etag, accessorETag, ok)
	}
	if dig(m, "manifest", "manifestVersion") != "1.0" {
		t.Errorf("GET body %v", m)
	}
	var fromAccessor map[string]any
	if err := json.Unmarshal(body, &fromAccessor); err != nil || !cmp.Equal(fromAccessor, m) {
		t.Errorf("accessor body differs from GET: %s", cmp.Diff(fromAccessor, m))
	}

	changed := strings.Replace(testManifest, `"Sample"`, `"Changed"`, 1)
	h.want(412, "PUT", path, changed, "If-Match", `"0000"`)
	h.want(400, "PUT", path, `{"manifest": [1]}`, "If-Match", etag)
	h.want(400, "PUT", path, `not json`, "If-Match", etag)
	h.want(400, "PUT", path, `{"publishingInformation": {}}`, "If-Match", etag)
	m, _ = h.want(400, "PUT", path, `{"skillManifest": {}}`, "If-Match", etag)
	if !strings.Contains(m["message"].(string), "v0") {
		t.Errorf("v0 body message: %v", m)
	}
	h.want(403, "PUT", manifestPath(id, "live"), changed)
	h.want(403, "PUT", manifestPath(id, "certified"), changed)
	h.want(400, "PUT", manifestPath(id, "Development"), changed)
	h.want(404, "PUT", manifestPath("amzn1.ask.skill.nope", "development"), changed)

	_, hdr = h.want(202, "PUT", path, changed, "If-Match", etag)
	if loc := hdr.Get("Location"); loc != "/v1/skills/"+id+"/status?resource=manifest" {
		t.Errorf("Location %q", loc)
	}
	st, _ := h.want(200, "GET", "/v1/skills/"+id+"/status?resource=manifest", "")
	if s := dig(st, "manifest", "lastUpdateRequest", "status"); s != "IN_PROGRESS" {
		t.Errorf("status during build %v", s)
	}
	// A retried PUT with the old ETag sees 412 before 409.
	h.want(412, "PUT", path, changed, "If-Match", etag)
	_, hdr = h.want(200, "GET", path, "")
	newETag := hdr.Get("ETag")
	if newETag == etag {
		t.Fatal("ETag did not change with the content")
	}
	h.want(409, "PUT", path, changed, "If-Match", newETag)

	h.clock.Add(time.Second)
	st, _ = h.want(200, "GET", "/v1/skills/"+id+"/status", "")
	if s := dig(st, "manifest", "lastUpdateRequest", "status"); s != "SUCCEEDED" {
		t.Errorf("status after build %v", s)
	}
	if st["manifest"].(map[string]any)["eTag"] != strings.Trim(newETag, `"`) {
		t.Errorf("status eTag %v, header %s", st["manifest"], newETag)
	}
	m, _ = h.want(200, "GET", path, "")
	if dig(m, "manifest", "publishingInformation", "locales", "en-US", "name") != "Changed" {
		t.Errorf("GET after PUT %v", m)
	}
	for _, im := range []string{strings.Trim(newETag, `"`), "*", "W/" + newETag, `"x", ` + newETag} {
		h.want(202, "PUT", path, changed, "If-Match", im)
		h.clock.Add(time.Second)
	}
	// Without If-Match the write is unconditional.
	h.want(202, "PUT", path, changed)
	h.clock.Add(time.Second)

	// A console edit changes the ETag under the client's feet.
	consoleETag, err := h.s.SetManifest(id, "development", []byte(testManifest))
	if err != nil || consoleETag == newETag {
		t.Fatalf("SetManifest %q %v", consoleETag, err)
	}
	h.want(412, "PUT", path, changed, "If-Match", newETag)
	if _, err := h.s.SetManifest("nope", "development", []byte(testManifest)); err == nil {
		t.Error("SetManifest on an unknown skill succeeded")
	}

	h.want(404, "GET", manifestPath(id, "live"), "")
	h.want(400, "GET", manifestPath(id, "prod"), "")
	h.want(404, "GET", manifestPath("amzn1.ask.skill.nope", "development"), "")
}

func TestETagFollowsContentOnly(t *testing.T) {
	t.Parallel()
	a, err := manifestDoc([]byte(`{"manifest": {"b": 1, "a": [1, 2.50], "c": "<&>"}}`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := manifestDoc([]byte(`{"manifest":{"c":"<&>","a":[1,2.50],"b":1}}`))
	if err != nil {
		t.Fatal(err)
	}
	bare, err := manifestDoc([]byte(`{"a":[1,2.50],"b":1,"c":"<&>"}`))
	if err != nil {
		t.Fatal(err)
	}
	if a.etag != b.etag || a.etag != bare.etag || string(a.body) != `{"manifest":{"a":[1,2.50],"b":1,"c":"<&>"}}` {
		t.Errorf("canonical forms differ: %s %s %s", a.body, b.body, bare.body)
	}
	c, _ := manifestDoc([]byte(`{"manifest":{"c":"<&>","a":[1,2.5],"b":1}}`))
	if c.etag == a.etag {
		t.Error("different content, same ETag")
	}
	for _, bad := range []string{``, `[]`, `{"manifest": 1}`, `{} {}`, `{"skillManifest": {}}`} {
		if _, err := manifestDoc([]byte(bad)); err == nil {
			t.Errorf("manifestDoc(%q) accepted", bad)
		}
	}
}

func TestCreateSkill(t *testing.T) {
	t.Parallel()
	h := newHarness(t, WithVendor("MVENDOR"), WithBuildTime(time.Second),
		WithCreationTime(500*time.Millisecond), WithStatusNotFoundTime(300*time.Millisecond))
	body := `{"vendorId": "MVENDOR", "manifest": {"manifestVersion": "1.0", "apis": {"custom": {}}}}`

	h.want(400, "POST", "/v1/skills", `{"manifest": {}}`)
	h.want(400, "POST", "/v1/skills", `{"vendorId": "MVENDOR"}`)
	h.want(400, "POST", "/v1/skills", `{"vendorId": "MVENDOR", "manifest": "x"}`)
	h.want(400, "POST", "/v1/skills", `nope`)
	h.want(403, "POST", "/v1/skills", `{"vendorId": "MOTHER", "manifest": {}}`)

	m, hdr := h.want(202, "POST", "/v1/skills", body)
	id, _ := m["skillId"].(string)
	if !strings.HasPrefix(id, "amzn1.ask.skill.") {
		t.Fatalf("skillId %q", id)
	}
	if hdr.Get("Location") != "/v1/skills/"+id+"/status?resource=manifest" {
		t.Errorf("Location %q", hdr.Get("Location"))
	}

	// While the skill is being created: 303 on the manifest, 404 on status.
	code, hdr, _ := h.do("GET", manifestPath(id, "development"), "")
	if code != 303 || hdr.Get("Location") == "" {
		t.Errorf("manifest during creation: %d %v", code, hdr)
	}
	h.want(404, "GET", "/v1/skills/"+id+"/status", "")
	h.want(409, "PUT", manifestPath(id, "development"), testManifest)
	h.clock.Add(300 * time.Millisecond)
	st, _ := h.want(200, "GET", "/v1/skills/"+id+"/status", "")
	if dig(st, "manifest", "lastUpdateRequest", "status") != "IN_PROGRESS" {
		t.Errorf("status after create %v", st)
	}
	h.clock.Add(200 * time.Millisecond)
	h.want(200, "GET", manifestPath(id, "development"), "")
	h.clock.Add(500 * time.Millisecond)
	st, _ = h.want(200, "GET", "/v1/skills/"+id+"/status", "")
	if dig(st, "manifest", "lastUpdateRequest", "status") != "SUCCEEDED" {
		t.Errorf("status after build %v", st)
	}
	list, _ := h.want(200, "GET", "/v1/skills?vendorId=MVENDOR", "")
	if dig(list, "skills", "0", "skillId") != id {
		t.Errorf("created skill not listed: %v", list)
	}
	// The default vendor was replaced by WithVendor.
	h.want(403, "POST", "/v1/skills", `{"vendorId": "`+DefaultVendorID+`", "manifest": {}}`)

	// Whatever the order of the options, preloaded skills belong to the first vendor.
	h2 := newHarness(t, WithSkill("amzn1.ask.skill.early", []byte(testManifest)), WithVendor("MFIRST"), WithVendor("MSECOND"),
		WithSkill("amzn1.ask.skill.late", []byte(testManifest)))
	list, _ = h2.want(200, "GET", "/v1/skills?vendorId=MFIRST", "")
	if n := len(list["skills"].([]any)); n != 2 {
		t.Errorf("MFIRST lists %d skills: %v", n, list)
	}
	list, _ = h2.want(200, "GET", "/v1/skills?vendorId=MSECOND", "")
	if n := len(list["skills"].([]any)); n != 0 {
		t.Errorf("MSECOND lists %d skills", n)
	}
}

// TestStatusGolden pins the status body to the shape of the reference page.
func TestStatusGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(h *harness, id string)
		query string
	}{
		{name: "preloaded", query: ""},
		{name: "manifest_failed", query: "?resource=manifest", setup: func(h *harness, id string) {
			h.s.SetBuildOutcome(BuildOutcome{Errors: []string{"Please provide a valid url having a valid image for small icon or large icon", "Small icon size should be 108*108. Large icon size should be 512*512."}})
			h.want(202, "PUT", manifestPath(id, "development"), testManifest)
			h.clock.Add(time.Second)
		}},
		{name: "model_building", query: "?resource=interactionModel", setup: func(h *harness, id string) {
			h.want(202, "PUT", modelPath(id, "development", "en-GB"), testModel)
			h.clock.Add(400 * time.Millisecond)
		}},
		{name: "model_failed", query: "?resource=interactionModel&resource=manifest", setup: func(h *harness, id string) {
			h.s.QueueBuildOutcomes(BuildOutcome{Errors: []string{"Sample utterance \"x\" in intent \"HelloIntent\" is invalid."}})
			h.want(202, "PUT", modelPath(id, "development", "en-GB"), testModel)
			h.clock.Add(time.Second)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, WithBuildTime(time.Second),
				WithSkill("amzn1.ask.skill.golden", []byte(testManifest)),
				WithInteractionModel("amzn1.ask.skill.golden", "development", "en-US", []byte(testModel)))
			id := "amzn1.ask.skill.golden"
			if tt.setup != nil {
				tt.setup(h, id)
			}
			code, _, b := h.do("GET", "/v1/skills/"+id+"/status"+tt.query, "")
			if code != 200 {
				t.Fatalf("status %d %s", code, b)
			}
			var v any
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatal(err)
			}
			got, _ := json.MarshalIndent(v, "", "  ")
			golden.Check(t, filepath.Join("testdata", "status_"+tt.name+".golden.json"), append(got, '\n'))
		})
	}
}

func TestStatusBuilds(t *testing.T) {
	t.Parallel()
	h := newHarness(t, WithBuildTime(900*time.Millisecond))
	id := h.skill()
	h.want(400, "GET", "/v1/skills/"+id+"/status?resource=bogus", "")
	h.want(404, "GET", "/v1/skills/nope/status", "")
	for _, r := range []string{"HostedSkillDeploymentStatus", "HostedSkillProvision"} {
		m, _ := h.want(200, "GET", "/v1/skills/"+id+"/status?resource="+r, "")
		if len(m) != 0 {
			t.Errorf("resource %s on a skill that is not hosted: %v", r, m)
		}
	}

	// Steps appear as the build goes on.
	h.want(202, "PUT", modelPath(id, "development", "de-DE"), testModel)
	steps := func() []string {
		m, _ := h.want(200, "GET", "/v1/skills/"+id+"/status?resource=interactionModel", "")
		var out []string
		for _, s := range dig(m, "interactionModel", "de-DE", "lastUpdateRequest", "buildDetails", "steps").([]any) {
			out = append(out, fmt.Sprint(dig(s, "name"), "=", dig(s, "status")))
		}
		return out
	}
	for i, want := range [][]string{
		{"DIALOG_MODEL_BUILD=IN_PROGRESS"},
		{"DIALOG_MODEL_BUILD=SUCCEEDED", "LANGUAGE_MODEL_QUICK_BUILD=IN_PROGRESS"},
		{"DIALOG_MODEL_BUILD=SUCCEEDED", "LANGUAGE_MODEL_QUICK_BUILD=SUCCEEDED", "LANGUAGE_MODEL_FULL_BUILD=IN_PROGRESS"},
		{"DIALOG_MODEL_BUILD=SUCCEEDED", "LANGUAGE_MODEL_QUICK_BUILD=SUCCEEDED", "LANGUAGE_MODEL_FULL_BUILD=SUCCEEDED"},
	} {
		if d := cmp.Diff(want, steps()); d != "" {
			t.Errorf("after %d thirds: %s", i, d)
		}
		h.clock.Add(300 * time.Millisecond)
	}

	// Never-ending builds, then queued outcomes, then a per-build duration.
	h.s.SetBuildOutcome(BuildOutcome{Never: true})
	h.want(202, "PUT", manifestPath(id, "development"), testManifest)
	h.clock.Add(24 * time.Hour)
	m, _ := h.want(200, "GET", "/v1/skills/"+id+"/status?resource=manifest", "")
	if dig(m, "manifest", "lastUpdateRequest", "status") != "IN_PROGRESS" {
		t.Errorf("never-ending build %v", m)
	}
	h.want(409, "PUT", manifestPath(id, "development"), testManifest)

	id2 := h.skill()
	h.s.SetBuildOutcome(BuildOutcome{})
	h.s.QueueBuildOutcomes(BuildOutcome{Errors: []string{"bad icon"}}, BuildOutcome{Duration: 5 * time.Second})
	h.want(202, "PUT", manifestPath(id2, "development"), testManifest)
	h.clock.Add(time.Second)
	m, _ = h.want(200, "GET", "/v1/skills/"+id2+"/status", "")
	if dig(m, "manifest", "lastUpdateRequest", "status") != "FAILED" || dig(m, "manifest", "lastUpdateRequest", "errors", "0", "message") != "bad icon" {
		t.Errorf("failed build %v", m)
	}
	h.want(202, "PUT", manifestPath(id2, "development"), testManifest)
	h.clock.Add(4 * time.Second)
	m, _ = h.want(200, "GET", "/v1/skills/"+id2+"/status", "")
	if dig(m, "manifest", "lastUpdateRequest", "status") != "IN_PROGRESS" {
		t.Errorf("slow build after 4s of 5s: %v", m)
	}
	h.clock.Add(time.Second)
	h.want(202, "PUT", manifestPath(id2, "development"), testManifest)
	h.clock.Add(time.Second)
	m, _ = h.want(200, "GET", "/v1/skills/"+id2+"/status", "")
	if dig(m, "manifest", "lastUpdateRequest", "status") != "SUCCEEDED" {
		t.Errorf("after the queue the default applies: %v", m)
	}
	h.s.SetBuildTime(0)
	h.want(202, "PUT", manifestPath(id2, "development"), testManifest)
	m, _ = h.want(200, "GET", "/v1/skills/"+id2+"/status", "")
	if dig(m, "manifest", "lastUpdateRequest", "status") != "SUCCEEDED" {
		t.Errorf("zero build time: %v", m)
	}
}

func TestListSkills(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var ids []string
	for range 5 {
		ids = append(ids, h.skill())
	}
	base := "/v1/skills?vendorId=" + DefaultVendorID

	for _, q := range []string{
		"/v1/skills",
		"/v1/skills?vendorId=MOTHER",
		base + "&maxResults=0",
		base + "&maxResults=51",
		base + "&maxResults=x",
		base + "&nextToken=garbage",
		base + "&skillId=" + ids[0] + "&maxResults=2",
		base + "&skillId=" + ids[0] + "&nextToken=" + nextToken(DefaultVendorID, 1),
		base + "&nextToken=" + nextToken("MOTHER", 1),
		base + strings.Repeat("&skillId=x", 11),
	} {
		h.want(400, "GET", q, "")
	}

	// Pages of two follow nextToken to the end.
	var got []string
	path := base + "&maxResults=2"
	for page := 0; ; page++ {
		m, _ := h.want(200, "GET", path, "")
		for _, s := range m["skills"].([]any) {
			got = append(got, s.(map[string]any)["skillId"].(string))
			if s.(map[string]any)["stage"] != "development" || s.(map[string]any)["publicationStatus"] != "DEVELOPMENT" {
				t.Errorf("summary %v", s)
			}
		}
		if page == 0 {
			if dig(m, "_links", "self", "href") != path {
				t.Errorf("self link %v, want %s", dig(m, "_links", "self", "href"), path)
			}
			s := dig(m, "skills", "0").(map[string]any)
			want := map[string]any{
				"skillId": ids[0], "stage": "development", "apis": []any{"custom"}, "publicationStatus": "DEVELOPMENT",
				"lastUpdated": "2026-01-02T03:04:05.000Z", "nameByLocale": map[string]any{"en-US": "Sample"},
				"_links": map[string]any{"self": map[string]any{"href": "/v1/skills/" + ids[0] + "/stages/development/manifest"}},
			}
			if d := cmp.Diff(want, s); d != "" {
				t.Errorf("summary (-want +got):\n%s", d)
			}
		}
		if m["isTruncated"] != true {
			if _, ok := m["nextToken"]; ok || dig(m, "_links", "next") != nil {
				t.Errorf("last page carries a next link: %v", m)
			}
			break
		}
		next := dig(m, "_links", "next", "href").(string)
		if !strings.Contains(next, "nextToken="+url.QueryEscape(m["nextToken"].(string))) || !strings.Contains(next, "maxResults=2") {
			t.Errorf("next link %q, token %v", next, m["nextToken"])
		}
		path = next
		if page > 5 {
			t.Fatal("pagination does not end")
		}
	}
	if d := cmp.Diff(ids, got); d != "" {
		t.Errorf("paged ids (-want +got):\n%s", d)
	}

	m, _ := h.want(200, "GET", base+"&skillId="+ids[3]+"&skillId="+ids[1]+"&skillId=unknown", "")
	var filtered []string
	for _, s := range m["skills"].([]any) {
		filtered = append(filtered, s.(map[string]any)["skillId"].(string))
	}
	if d := cmp.Diff([]string{ids[1], ids[3]}, filtered); d != "" || m["isTruncated"] != false {
		t.Errorf("skillId filter (-want +got):\n%s", d)
	}
	h.want(200, "GET", base+strings.Repeat("&skillId=x", 10), "")

	// Default page size is the maximum, 50.
	for range 50 {
		h.skill()
	}
	m, _ = h.want(200, "GET", base, "")
	if len(m["skills"].([]any)) != 50 || m["isTruncated"] != true {
		t.Errorf("default page: %d skills, truncated %v", len(m["skills"].([]any)), m["isTruncated"])
	}
}

func TestDeleteSkill(t *testing.T) {
	t.Parallel()
	h := newHarness(t, WithBuildTime(time.Second), WithCertificationTime(time.Second))
	id := h.skill()
	h.want(204, "DELETE", "/v1/skills/"+id+"/", "")
	h.want(404, "DELETE", "/v1/skills/"+id, "")
	h.want(404, "GET", manifestPath(id, "development"), "")

	building := h.skill()
	h.want(202, "PUT", modelPath(building, "development", "en-US"), testModel)
	h.want(403, "DELETE", "/v1/skills/"+building, "")
	h.clock.Add(time.Second)
	h.want(202, "PUT", manifestPath(building, "development"), testManifest)
	h.want(403, "DELETE", "/v1/skills/"+building, "")
	h.clock.Add(time.Second)

	h.want(202, "POST", "/v1/skills/"+building+"/submit", `{"publicationMethod": "MANUAL_PUBLISHING"}`)
	m, _ := h.want(403, "DELETE", "/v1/skills/"+building, "")
	if !strings.Contains(m["message"].(string), "certification") {
		t.Errorf("message %v", m)
	}
	h.clock.Add(time.Second)
	h.want(202, "POST", "/v1/skills/"+building+"/publications", "", "Accept-Language", "en-US")
	h.want(403, "DELETE", "/v1/skills/"+building, "")
	h.clock.Add(time.Millisecond)
	m, _ = h.want(403, "DELETE", "/v1/skills/"+building, "")
	if !strings.Contains(m["message"].(string), "live") {
		t.Errorf("message %v", m)
	}
}

func TestUnknownRoute(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	m, _ := h.want(404, "GET", "/v0/skills/x", "")
	if !strings.Contains(m["message"].(string), "/v0/skills/x") {
		t.Errorf("message %v", m)
	}
	m, _ = h.want(404, "PATCH", manifestPath(h.skill(), "development"), "{}")
	if !strings.Contains(m["message"].(string), "PATCH") {
		t.Errorf("message %v", m)
	}
}

// TestWithManifest preloads a live stage that differs from development, as
// a published skill with unreleased edits has.
func TestWithManifest(t *testing.T) {
	t.Parallel()
	const id = "amzn1.ask.skill.preloaded"
	liveManifest := strings.Replace(testManifest, `"name": "Sample"`, `"name": "Sample Live"`, 1)
	devManifest := strings.Replace(testManifest, `"name": "Sample"`, `"name": "Sample Dev"`, 1)
	h := newHarness(t,
		WithSkill(id, []byte(testManifest)),
		WithManifest(id, "live", []byte(liveManifest)),
		WithManifest(id, "development", []byte(devManifest)),
	)

	live, liveHdr := h.want(200, "GET", manifestPath(id, "live"), "")
	dev, devHdr := h.want(200, "GET", manifestPath(id, "development"), "")
	if dig(live, "manifest", "publishingInformation", "locales", "en-US", "name") != "Sample Live" ||
		dig(dev, "manifest", "publishingInformation", "locales", "en-US", "name") != "Sample Dev" {
		t.Errorf("live %v, development %v", live, dev)
	}
	if liveHdr.Get("ETag") == "" || liveHdr.Get("ETag") == devHdr.Get("ETag") {
		t.Errorf("ETags live %q, development %q: want two different ones", liveHdr.Get("ETag"), devHdr.Get("ETag"))
	}
	if body, etag, ok := h.s.Manifest(id, "live"); !ok || etag != liveHdr.Get("ETag") || !strings.Contains(string(body), "Sample Live") {
		t.Errorf("Manifest(live) = %s, %q, %v", body, etag, ok)
	}
	h.want(404, "GET", manifestPath(id, "certified"), "")

	list, _ := h.want(200, "GET", "/v1/skills?vendorId="+DefaultVendorID, "")
	e := stageEntry(list, "live")
	if e["publicationStatus"] != "PUBLISHED" || dig(e, "nameByLocale", "en-US") != "Sample Live" || e["asin"] == nil {
		t.Errorf("live list entry %v", e)
	}
	if e := stageEntry(list, "development"); e["publicationStatus"] != "DEVELOPMENT" {
		t.Errorf("development list entry %v", e)
	}

	// Published: live is read-only, the skill cannot be deleted, but it can
	// be unpublished; development stays writable.
	h.want(403, "PUT", manifestPath(id, "live"), testManifest)
	h.want(403, "DELETE", "/v1/skills/"+id, "")
	h.want(202, "PUT", manifestPath(id, "development"), testManifest)
	h.want(202, "POST", "/v1/skills/"+id+"/unpublish", `{"type": "HIDE", "reason": "Other"}`)
	list, _ = h.want(200, "GET", "/v1/skills?vendorId="+DefaultVendorID, "")
	if e := stageEntry(list, "live"); e["publicationStatus"] != "HIDDEN" {
		t.Errorf("after HIDE: %v", e)
	}
}
