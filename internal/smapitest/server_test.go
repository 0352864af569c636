package smapitest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestFaults(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := h.skill()
	get := manifestPath(id, "development")

	h.s.Fault(Fault{Method: "GET", Path: get, Status: 429, RetryAfter: "2", Times: 2})
	h.s.Fault(Fault{Path: "/v1/skills/" + id + "/status", Status: 503, Times: -1, Message: "maintenance"})
	h.s.Fault(Fault{Path: "/auth/*", Status: 500})
	h.s.Fault(Fault{Method: "PUT", Path: get, Status: 303, Location: "/v1/skills/" + id + "/status?resource=manifest"})

	for range 2 {
		code, hdr, b := h.do("GET", get, "")
		if code != 429 || hdr.Get("Retry-After") != "2" || !strings.Contains(string(b), `"message"`) {
			t.Errorf("429 fault: %d %v %s", code, hdr, b)
		}
	}
	h.want(200, "GET", get, "")
	for range 3 {
		m, _ := h.want(503, "GET", "/v1/skills/"+id+"/status", "")
		if m["message"] != "maintenance" {
			t.Errorf("503 message %v", m)
		}
	}
	code, _, _ := h.raw("POST", "/auth/o2/token", "grant_type=refresh_token&refresh_token=r&client_id=c&client_secret=s")
	if code != 500 {
		t.Errorf("token fault: %d", code)
	}
	h.newToken()
	code, hdr, _ := h.do("PUT", get, testManifest)
	if code != 303 || hdr.Get("Location") == "" {
		t.Errorf("303 fault: %d %v", code, hdr)
	}
	h.want(202, "PUT", get, testManifest)
}

func TestFaultDelay(t *testing.T) {
	t.Parallel()
	h := newHarness(t, WithFault(Fault{Path: "/v1/skills", Delay: 30 * time.Millisecond}))
	start := time.Now()
	h.want(200, "GET", "/v1/skills?vendorId="+DefaultVendorID, "")
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("slow answer took %v", d)
	}

	// A client that gives up is not held for the whole delay.
	h.s.Fault(Fault{Path: "/v1/skills", Delay: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", h.s.URL+"/v1/skills?vendorId="+DefaultVendorID, nil)
	start = time.Now()
	_, err := h.s.Client().Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err %v", err)
	}
	// The handler notices the cancelled request promptly; Close waits for it.
	h.s.Close()
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("delayed handler held on for %v", d)
	}
}

// TestRequestTimeIsArrival: the log stamps a request when it arrives, so a
// slow answer does not shrink the gap a client left before its next request
// (the retry timing tests measure that gap).
func TestRequestTimeIsArrival(t *testing.T) {
	t.Parallel()
	const delay = 50 * time.Millisecond
	s := NewServer(WithStaticToken("t"), WithFault(Fault{Path: "/v1/skills", Delay: delay}))
	req, _ := http.NewRequest("GET", s.URL+"/v1/skills?vendorId="+DefaultVendorID, nil)
	req.Header.Set("Authorization", "Bearer t")
	resp, err := s.Client().Do(req)
	answered := time.Now()
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	s.Close() // the entry is written after the answer; Close waits for it
	reqs := s.Requests()
	if len(reqs) != 1 || reqs[0].Status != 200 {
		t.Fatalf("log %+v", reqs)
	}
	if d := answered.Sub(reqs[0].Time); d < delay {
		t.Errorf("entry stamped %s before the answer arrived, want at least the %s delay", d, delay)
	}
}

func TestRequestLog(t *testing.T) {
	t.Parallel()
	h := newHarness(t, WithRequestLogLimit(4))
	h.token = h.newToken()
	reqs := h.s.Requests()
	if len(reqs) != 1 {
		t.Fatalf("log has %d entries after the token request", len(reqs))
	}
	id := h.skill()
	h.want(412, "PUT", manifestPath(id, "development"), testManifest, "If-Match", `"x"`)
	reqs = h.s.Requests()
	if len(reqs) != 2 {
		t.Fatalf("log has %d entries: %+v", len(reqs), reqs)
	}
	tok, put := reqs[0], reqs[1]
	if tok.Path != "/auth/o2/token" || tok.Status != 200 || !strings.Contains(string(tok.Body), "grant_type=refresh_token") {
		t.Errorf("token entry %+v", tok)
	}
	if put.Method != "PUT" || put.Status != 412 || put.Header.Get("Authorization") != "Bearer "+h.token ||
		put.Header.Get("If-Match") != `"x"` || string(put.Body) != testManifest || !put.Time.Equal(h.clock.Now()) {
		t.Errorf("PUT entry %+v", put)
	}
	h.want(200, "GET", "/v1/skills?vendorId="+DefaultVendorID+"&maxResults=3", "")
	if q := h.s.Requests()[2].Query.Get("maxResults"); q != "3" {
		t.Errorf("query %q", q)
	}
	for range 5 {
		h.want(404, "GET", "/nope", "")
	}
	reqs = h.s.Requests()
	if len(reqs) > 4 || reqs[len(reqs)-1].Path != "/nope" {
		t.Errorf("limited log: %d entries", len(reqs))
	}
	h.s.ResetRequests()
	if n := len(h.s.Requests()); n != 0 {
		t.Errorf("after reset: %d", n)
	}
}

func TestMisconfiguration(t *testing.T) {
	t.Parallel()
	for name, opt := range map[string]Option{
		"bad manifest":      WithSkill("a", []byte(`{"manifest":`)),
		"model for none":    WithInteractionModel("none", "development", "en-US", []byte(testModel)),
		"duplicate skill":   func(s *Server) { WithSkill("a", []byte(testManifest))(s); WithSkill("a", []byte(testManifest))(s) },
		"manifest for none": WithManifest("none", "live", []byte(testManifest)),
		"manifest for a bad stage": func(s *Server) {
			WithSkill("a", []byte(testManifest))(s)
			WithManifest("a", "beta", []byte(testManifest))(s)
		},
		"bad stage manifest": func(s *Server) {
			WithSkill("a", []byte(testManifest))(s)
			WithManifest("a", "live", []byte(`{"skillManifest": {}}`))(s)
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := NewServer(opt)
			defer s.Close()
			resp, err := s.Client().Post(s.URL+"/auth/o2/token", "application/x-www-form-urlencoded",
				strings.NewReader("grant_type=refresh_token&refresh_token=r&client_id=c&client_secret=s"))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 500 {
				t.Errorf("status %d", resp.StatusCode)
			}
			req, _ := http.NewRequest("GET", s.URL+"/v1/skills?vendorId="+DefaultVendorID, nil)
			req.Header.Set("Authorization", "Bearer x")
			resp, err = s.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 500 {
				t.Errorf("SMAPI status %d", resp.StatusCode)
			}
		})
	}
	if _, err := New().AddSkill("", []byte(`[]`)); err == nil {
		t.Error("AddSkill accepted an array")
	}
}

func TestNewServesWithoutListener(t *testing.T) {
	t.Parallel()
	s := New(WithStaticToken("t"), WithSkill("amzn1.ask.skill.x", []byte(testManifest)))
	if s.URL != "" || s.Client() == nil {
		t.Errorf("New: URL %q", s.URL)
	}
	s.Close() // no-op without a listener
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", manifestPath("amzn1.ask.skill.x", "development"), nil)
	req.Header.Set("Authorization", "Bearer t")
	s.ServeHTTP(rec, req)
	if rec.Code != 200 || rec.Header().Get("ETag") == "" || rec.Header().Get("Content-Type") != "application/json" {
		t.Errorf("ServeHTTP: %d %v", rec.Code, rec.Header())
	}
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("PUT", "/x", strings.NewReader(strings.Repeat("x", maxBodyBytes+1))))
	if rec.Code != 400 {
		t.Errorf("oversized body: %d", rec.Code)
	}
}

// TestConcurrentUse runs mixed traffic from many goroutines; with -race it
// checks that all state sits behind the one mutex.
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("amzn1.ask.skill.c%d", g)
			if _, err := h.s.AddSkill(id, []byte(testManifest)); err != nil {
				t.Error(err)
				return
			}
			for i := range 10 {
				for _, r := range []struct{ method, path, body string }{
					{"GET", manifestPath(id, "development"), ""},
					{"PUT", manifestPath(id, "development"), testManifest},
					{"PUT", modelPath(id, "development", "en-US"), testModel},
					{"GET", "/v1/skills/" + id + "/status", ""},
					{"GET", "/v1/skills?vendorId=" + DefaultVendorID, ""},
				} {
					if code, _, b := h.do(r.method, r.path, r.body); code >= 300 {
						t.Errorf("%d: %s %s: %d %s", i, r.method, r.path, code, b)
					}
				}
				h.s.Requests()
			}
		}()
	}
	wg.Wait()
}

// BenchmarkServerParallel measures the simulator under concurrent load: an
// authenticated manifest GET per operation over loopback HTTP.
func BenchmarkServerParallel(b *testing.B) {
	s := NewServer(WithStaticToken("bench"), WithSkill("amzn1.ask.skill.bench", []byte(testManifest)), WithRequestLogLimit(1000))
	defer s.Close()
	url := s.URL + manifestPath("amzn1.ask.skill.bench", "development")
	client := s.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest("GET", url, nil)
			req.Header.Set("Authorization", "Bearer bench")
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
