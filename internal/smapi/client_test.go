package smapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

const manifestBody = `{"manifest":{"manifestVersion":"1.0","publishingInformation":{"locales":{"en-US":{"name":"Test"}}}}}`

// TestOperations calls every operation against a handler that checks the
// request SMAPI's reference describes and answers as SMAPI does.
func TestOperations(t *testing.T) {
	t.Parallel()
	publishAt := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name    string
		pattern string
		handler func(t *testing.T, w http.ResponseWriter, r *http.Request)
		call    func(ctx context.Context, c *Client) (any, error)
		want    any
	}{
		{
			name:    "GetManifest",
			pattern: "GET /v1/skills/{id}/stages/{stage}/manifest",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				testHeader(t, r, "Authorization", "Bearer "+testAccessToken)
				if r.PathValue("id") != testSkill || r.PathValue("stage") != "live" {
					t.Errorf("path = %s", r.URL.Path)
				}
				w.Header().Set("ETag", `"v1"`)
				io.WriteString(w, manifestBody)
			},
			call: func(ctx context.Context, c *Client) (any, error) { return c.GetManifest(ctx, testSkill, StageLive) },
			want: &Manifest{Body: []byte(manifestBody), ETag: `"v1"`},
		},
		{
			name:    "UpdateManifest",
			pattern: "PUT /v1/skills/{id}/stages/development/manifest",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				testHeader(t, r, "If-Match", `"v1"`)
				testHeader(t, r, "Content-Type", "application/json")
				testJSONBody(t, r, manifestBody)
				w.Header().Set("Location", "/v1/skills/"+testSkill+"/status?resource=manifest")
				w.WriteHeader(http.StatusAccepted)
			},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.UpdateManifest(ctx, testSkill, StageDevelopment, []byte(manifestBody), IfMatch(`"v1"`))
			},
			want: &Accepted{Location: "/v1/skills/" + testSkill + "/status?resource=manifest"},
		},
		{
			name:    "CreateSkill",
			pattern: "POST /v1/skills",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				testJSONBody(t, r, `{"vendorId":"`+testVendor+`","manifest":{"manifestVersion":"1.0","publishingInformation":{"locales":{"en-US":{"name":"Test"}}}}}`)
				w.Header().Set("Location", "/v1/skills/amzn1.ask.skill.new/status")
				writeJSON(w, http.StatusAccepted, map[string]string{"skillId": "amzn1.ask.skill.new"})
			},
			call: func(ctx context.Context, c *Client) (any, error) {
				id, acc, err := c.CreateSkill(ctx, testVendor, []byte(manifestBody))
				return []any{id, acc}, err
			},
			want: []any{"amzn1.ask.skill.new", &Accepted{Location: "/v1/skills/amzn1.ask.skill.new/status"}},
		},
		{
			name:    "GetStatus",
			pattern: "GET /v1/skills/{id}/status",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				if got := r.URL.Query()["resource"]; !cmp.Equal(got, []string{"manifest", "interactionModel"}) {
					t.Errorf("resource = %q", got)
				}
				io.WriteString(w, `{"manifest":{"eTag":"m1","lastUpdateRequest":{"status":"FAILED","errors":[{"message":"bad icon"}],"warnings":[]}},
					"interactionModel":{"en-US":{"eTag":"i1","lastUpdateRequest":{"status":"IN_PROGRESS","errors":[],"warnings":[],
					"buildDetails":{"steps":[{"name":"DIALOG_MODEL_BUILD","status":"SUCCEEDED"},{"name":"LANGUAGE_MODEL_QUICK_BUILD","status":"IN_PROGRESS"}]}},"version":"1"}}}`)
			},
			call: func(ctx context.Context, c *Client) (any, error) {
				st, err := c.GetStatus(ctx, testSkill, ResourceManifest, ResourceInteractionModel)
				if st != nil {
					st.Raw = nil
				}
				return st, err
			},
			want: &SkillStatus{
				Manifest: &ManifestStatus{ETag: "m1", LastUpdateRequest: LastUpdateRequest{Status: StatusFailed, Errors: []StatusError{{Message: "bad icon"}}, Warnings: []StatusError{}}},
				InteractionModel: map[string]*InteractionModelStatus{"en-US": {ETag: "i1", Version: "1", LastUpdateRequest: LastUpdateRequest{
					Status: StatusInProgress, Errors: []StatusError{}, Warnings: []StatusError{},
					BuildDetails: &BuildDetails{Steps: []BuildStep{{Name: "DIALOG_MODEL_BUILD", Status: StatusSucceeded}, {Name: "LANGUAGE_MODEL_QUICK_BUILD", Status: StatusInProgress}}},
				}}},
			},
		},
		{
			name:    "ListSkills",
			pattern: "GET /v1/skills",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				q := r.URL.Query()
				if q.Get("vendorId") != testVendor || q.Get("maxResults") != "2" || q.Get("nextToken") != "tok" {
					t.Errorf("query = %s", r.URL.RawQuery)
				}
				w.Header().Set("Content-Type", "application/json+hal")
				io.WriteString(w, `{"_links":{"next":{"href":"/v1/skills?vendorId=M1VENDOR&nextToken=t2"},"self":{"href":"/v1/skills?vendorId=M1VENDOR"}},
					"isTruncated":true,"nextToken":"t2","skills":[{"lastUpdated":"2017-07-11T19:29:57.120Z","nameByLocale":{"en-US":"example"},
					"stage":"development","apis":["custom"],"publicationStatus":"DEVELOPMENT","skillId":"s1"}]}`)
			},
			call: func(ctx context.Context, c *Client) (any, error) {
				l, err := c.ListSkills(ctx, testVendor, ListOptions{MaxResults: 2, NextToken: "tok"})
				if l != nil {
					l.Raw = nil
				}
				return l, err
			},
			want: &SkillList{
				IsTruncated: true, NextToken: "t2",
				Links: &Links{Next: &Link{Href: "/v1/skills?vendorId=M1VENDOR&nextToken=t2"}, Self: &Link{Href: "/v1/skills?vendorId=M1VENDOR"}},
				Skills: []SkillSummary{{SkillID: "s1", Stage: "development", APIs: []string{"custom"}, PublicationStatus: "DEVELOPMENT",
					LastUpdated: time.Date(2017, 7, 11, 19, 29, 57, 120e6, time.UTC), NameByLocale: map[string]string{"en-US": "example"}}},
			},
		},
		{
			name:    "ListSkillsByID",
			pattern: "GET /v1/skills",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				if got := r.URL.Query()["skillId"]; !cmp.Equal(got, []string{"a", "b"}) {
					t.Errorf("skillId = %q", got)
				}
				io.WriteString(w, `{"isTruncated":false,"skills":[]}`)
			},
			call: func(ctx context.Context, c *Client) (any, error) {
				l, err := c.ListSkills(ctx, testVendor, ListOptions{SkillIDs: []string{"a", "b"}})
				if l != nil {
					l.Raw = nil
				}
				return l, err
			},
			want: &SkillList{Skills: []SkillSummary{}},
		},
		{
			name:    "DeleteSkill",
			pattern: "DELETE /v1/skills/{id}",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusNoContent)
			},
			call: func(ctx context.Context, c *Client) (any, error) { return nil, c.DeleteSkill(ctx, testSkill) },
		},
		{
			name:    "GetLatestPublication",
			pattern: "GET /v1/skills/{id}/publications/~latest",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, `{"publishesAt":"2019-11-01T02:03:07.023Z","status":"IN_PROGRESS"}`)
			},
			call: func(ctx context.Context, c *Client) (any, error) {
				p, err := c.GetLatestPublication(ctx, testSkill)
				if p != nil {
					p.Raw = nil
				}
				return p, err
			},
			want: &Publication{Status: PublicationInProgress, PublishesAt: time.Date(2019, 11, 1, 2, 3, 7, 23e6, time.UTC)},
		},
		{
			name:    "SubmitPublication",
			pattern: "POST /v1/skills/{id}/publications",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				testJSONBody(t, r, `{"publishesAt":"2030-01-02T03:04:05Z","publishesAtDate":"2030-01-02T03:04:05Z"}`)
				w.WriteHeader(http.StatusAccepted)
			},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.SubmitPublication(ctx, testSkill, publishAt)
			},
			want: &Accepted{},
		},
		{
			name:    "Unpublish",
			pattern: "POST /v1/skills/{id}/unpublish",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				testJSONBody(t, r, `{"type":"HIDE","reason":"Published by mistake"}`)
				w.WriteHeader(http.StatusAccepted)
			},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Unpublish(ctx, testSkill, UnpublishHide, "Published by mistake")
			},
			want: &Accepted{},
		},
		{
			name:    "SubmitCertification",
			pattern: "POST /v1/skills/{id}/submit",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				testJSONBody(t, r, `{"publicationMethod":"MANUAL_PUBLISHING","versionMessage":"v2"}`)
				w.WriteHeader(http.StatusAccepted)
			},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.SubmitCertification(ctx, testSkill, CertificationOptions{PublicationMethod: ManualPublishing, VersionMessage: "v2"})
			},
			want: &Accepted{},
		},
		{
			name:    "WithdrawCertification",
			pattern: "POST /v1/skills/{id}/withdraw",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				testJSONBody(t, r, `{"reason":"OTHER","message":"later"}`)
				w.WriteHeader(http.StatusNoContent)
			},
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.WithdrawCertification(ctx, testSkill, "OTHER", "later")
			},
		},
		{
			name:    "GetInteractionModel",
			pattern: "GET /v1/skills/{id}/stages/development/interactionModel/locales/{locale}",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				if r.PathValue("locale") != "en-GB" {
					t.Errorf("locale = %q", r.PathValue("locale"))
				}
				w.Header().Set("ETag", "im1")
				io.WriteString(w, `{"interactionModel":{"languageModel":{"invocationName":"test"}}}`)
			},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.GetInteractionModel(ctx, testSkill, StageDevelopment, "en-GB")
			},
			want: &InteractionModel{Body: []byte(`{"interactionModel":{"languageModel":{"invocationName":"test"}}}`), ETag: "im1"},
		},
		{
			name:    "HeadInteractionModel",
			pattern: "HEAD /v1/skills/{id}/stages/development/interactionModel/locales/en-US",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				w.Header().Set("ETag", "im2")
				w.WriteHeader(http.StatusNoContent)
			},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.HeadInteractionModel(ctx, testSkill, StageDevelopment, "en-US")
			},
			want: "im2",
		},
		{
			name:    "PutInteractionModel",
			pattern: "PUT /v1/skills/{id}/stages/development/interactionModel/locales/en-US",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				testHeader(t, r, "If-Match", "im2")
				testJSONBody(t, r, `{"interactionModel":{}}`)
				w.Header().Set("Location", "/v1/skills/x/status?resource=interactionModel")
				w.WriteHeader(http.StatusAccepted)
			},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.PutInteractionModel(ctx, testSkill, StageDevelopment, "en-US", []byte(`{"interactionModel":{}}`), IfMatch("im2"))
			},
			want: &Accepted{Location: "/v1/skills/x/status?resource=interactionModel"},
		},
		{
			name:    "GetAccountLinking",
			pattern: "GET /v1/skills/{id}/stages/development/accountLinkingClient",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				w.Header().Set("ETag", "al1")
				io.WriteString(w, `{"type":"AUTH_CODE","clientId":"abc"}`)
			},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.GetAccountLinking(ctx, testSkill, StageDevelopment)
			},
			want: &AccountLinking{Body: []byte(`{"type":"AUTH_CODE","clientId":"abc"}`), ETag: "al1"},
		},
		{
			name:    "PutAccountLinkingWraps",
			pattern: "PUT /v1/skills/{id}/stages/development/accountLinkingClient",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				testJSONBody(t, r, `{"accountLinkingRequest":{"type":"AUTH_CODE"}}`)
				w.Header().Set("ETag", "al2")
				w.WriteHeader(http.StatusNoContent)
			},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.PutAccountLinking(ctx, testSkill, StageDevelopment, []byte(`{"type":"AUTH_CODE"}`), IfAbsent())
			},
			want: &Accepted{ETag: "al2"},
		},
		{
			name:    "DeleteAccountLinking",
			pattern: "DELETE /v1/skills/{id}/stages/development/accountLinkingClient",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusNoContent)
			},
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.DeleteAccountLinking(ctx, testSkill, StageDevelopment)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, f := setup(t)
			var hits int
			f.mux.HandleFunc(tt.pattern, func(w http.ResponseWriter, r *http.Request) {
				hits++
				testHeader(t, r, "Authorization", "Bearer "+testAccessToken)
				tt.handler(t, w, r)
			})
			got, err := tt.call(context.Background(), c)
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			if hits != 1 {
				t.Errorf("handler called %d times, want 1", hits)
			}
			if tt.want != nil {
				if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("result mismatch (-want +got):\n%s", diff)
				}
			}
			assertNoSecrets(t, "debug output", f.debug.String())
		})
	}
}

// TestFaults maps every fault to an *Error with the right status, retries
// exactly the retryable ones, and tells the user what to do.
func TestFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status    int
		body      string
		method    string // default GET (GetManifest)
		wantCalls int
		wantHint  string
		wantMsg   string
	}{
		{status: 400, body: `{"message":"Bad","violations":[{"code":"X","message":"field y is wrong"}]}`, wantCalls: 1, wantHint: "Fix the request", wantMsg: "field y is wrong"},
		// Once more with a fresh token, then final.
		{status: 401, body: `{"message":"Token is invalid/expired"}`, wantCalls: 2, wantHint: "must belong together", wantMsg: "Token is invalid"},
		{status: 403, body: `{"message":"not allowed"}`, wantCalls: 1, wantHint: "not allowed for this stage", wantMsg: "not allowed"},
		{status: 404, body: `{"message":"Skill not found"}`, wantCalls: 1, wantHint: "not visible to these credentials", wantMsg: "Skill not found"},
		{status: 409, body: `{"message":"update in progress"}`, method: http.MethodPut, wantCalls: 1, wantHint: "in progress", wantMsg: "update in progress"},
		{status: 412, body: `{"message":"precondition"}`, method: http.MethodPut, wantCalls: 1, wantHint: "changed since it was read", wantMsg: "precondition"},
		{status: 429, body: `{"message":"slow down"}`, wantCalls: 3, wantHint: "throttling", wantMsg: "slow down"},
		{status: 500, body: `oops`, wantCalls: 3, wantHint: "try again later", wantMsg: "oops"},
		{status: 502, body: `{"message":"bad gateway"}`, wantCalls: 3, wantHint: "try again later"},
		{status: 503, body: `{"message":"unavailable"}`, wantCalls: 3, wantHint: "try again later"},
		{status: 504, body: `{"message":"timeout"}`, wantCalls: 3, wantHint: "try again later"},
		{status: 501, body: `{"message":"not implemented"}`, wantCalls: 1},
		{status: 500, body: `{"message":"boom"}`, method: http.MethodPost, wantCalls: 1, wantHint: "try again later"},
		{status: 503, body: `{"message":"unavailable"}`, method: http.MethodPost, wantCalls: 3, wantHint: "try again later"},
		{status: 303, wantCalls: 0, wantHint: "still being created"},
	}
	for _, tt := range tests {
		method := tt.method
		if method == "" {
			method = http.MethodGet
		}
		t.Run(fmt.Sprintf("%s_%d", method, tt.status), func(t *testing.T) {
			t.Parallel()
			c, f := setup(t)
			var mu sync.Mutex
			calls := 0
			handler := func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				calls++
				mu.Unlock()
				if tt.status == http.StatusSeeOther {
					w.Header().Set("Location", "/v1/skills/"+testSkill+"/status")
				}
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			}
			f.mux.HandleFunc("/v1/skills/{id}/stages/development/manifest", handler)
			f.mux.HandleFunc("/v1/skills", handler)
			f.mux.HandleFunc("/v1/skills/{id}/status", func(w http.ResponseWriter, r *http.Request) {
				t.Errorf("the 303 was followed to %s", r.URL)
			})
			var err error
			switch method {
			case http.MethodGet:
				_, err = c.GetManifest(context.Background(), testSkill, StageDevelopment)
			case http.MethodPut:
				_, err = c.UpdateManifest(context.Background(), testSkill, StageDevelopment, []byte(manifestBody), IfMatch("e1"))
			case http.MethodPost:
				_, _, err = c.CreateSkill(context.Background(), testVendor, []byte(manifestBody))
			}
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("error = %v (%T), want *Error", err, err)
			}
			if se.Status != tt.status {
				t.Errorf("Status = %d, want %d", se.Status, tt.status)
			}
			mu.Lock()
			got := calls
			mu.Unlock()
			if tt.wantCalls > 0 && got != tt.wantCalls {
				t.Errorf("server saw %d calls, want %d", got, tt.wantCalls)
			}
			if tt.status == http.StatusSeeOther && got < 2 {
				t.Errorf("303 tried %d times, want it waited out with several tries", got)
			}
			msg := err.Error()
			for _, want := range []string{tt.wantHint, tt.wantMsg} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not contain %q", msg, want)
				}
			}
			assertNoSecrets(t, "error", msg)
		})
	}
}

// BenchmarkGetManifest is one manifest GET round trip through the client's
// layers (oauth2, retryablehttp, attempt recorder) and an httptest handler.
func BenchmarkGetManifest(b *testing.B) {
	c, f := setup(b, func(cfg *Config) { cfg.Debug = nil })
	f.mux.HandleFunc("GET /v1/skills/{id}/stages/development/manifest", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", "e1")
		io.WriteString(w, manifestBody)
	})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.GetManifest(ctx, testSkill, StageDevelopment); err != nil {
			b.Fatal(err)
		}
	}
}
