// Package smapitest is an in-memory simulator of the Alexa Skill Management
// API (SMAPI v1) and of the Login with Amazon token endpoint, shaped like
// net/http/httptest.
//
// It is written from the SMAPI reference pages and Amazon's Swagger model, not
// from skillgate's client, so that the two can catch each other's mistakes.
// Tests start it with NewServer and point the client at Server.URL; the
// "skillgate simulator" command serves the same handler (New) on a chosen
// loopback address so ask-cli and people can use it too.
//
// All state lives behind one mutex. Nothing runs in the background: builds,
// certifications and publications are timestamps compared with the clock on
// every request, so a test controls time through WithClock and the duration
// options, and a server that is never called again costs nothing.
package smapitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/skillgate/skillgate/internal/skillpkg"
)

// DefaultVendorID is the vendor the simulator knows when no WithVendor
// option is given.
const DefaultVendorID = "M1SKILLGATESIM"

// maxBodyBytes caps request bodies; SMAPI refuses manifests far smaller.
const maxBodyBytes = 4 << 20

// Request is one entry of the request log: what a client sent and the status
// it got. Header keeps Authorization so tests can check which token was used.
type Request struct {
	// Time is when the request arrived (on the server's clock), not when it
	// was answered: the gap between two entries is then never longer than
	// the client's own wait between sending them, so a test can check that
	// a client waited at least as long as it was told to.
	Time   time.Time
	Method string
	Path   string
	Query  url.Values
	Header http.Header
	Body   []byte
	Status int
}

// Fault scripts a failure for the requests that match it. Faults are checked
// in the order they were added, before authentication and routing, so they
// apply to the token endpoint too.
type Fault struct {
	// Method matches the request method; empty matches any.
	Method string
	// Path matches the request path exactly, or as a prefix when it ends in
	// "*"; empty matches any path.
	Path string
	// Status is the status to answer with. Zero answers normally after Delay,
	// which simulates a slow server.
	Status int
	// RetryAfter, when set, is sent as the Retry-After header (seconds or an
	// HTTP date), as SMAPI does with 429.
	RetryAfter string
	// Location is sent with 3xx answers.
	Location string
	// Message is the error body's message; empty uses the status text.
	Message string
	// Delay holds the answer back this long (or until the client gives up).
	Delay time.Duration
	// Times is how many matching requests the fault hits: 0 means once,
	// a negative number means every time.
	Times int
}

// BuildOutcome decides how a build (manifest update or interaction model
// build) ends.
type BuildOutcome struct {
	// Errors, when not empty, makes the build end FAILED with one
	// errors[].message per entry.
	Errors []string
	// Never keeps the build IN_PROGRESS for ever.
	Never bool
	// Duration overrides the server's build time for this build when positive.
	Duration time.Duration
}

// Option configures a Server.
type Option func(*Server)

// WithVendor makes vendorID known to the simulator (skills are created and
// listed per vendor). The first vendor given is the default for WithSkill.
func WithVendor(vendorID string) Option {
	return func(s *Server) {
		if !s.vendorGiven {
			// The first vendor replaces the default one, also for skills
			// preloaded by options given before this one.
			delete(s.vendors, DefaultVendorID)
			s.defaultVendor = vendorID
			for _, sk := range s.skills {
				sk.vendor = vendorID
			}
		}
		s.vendorGiven = true
		s.vendors[vendorID] = true
	}
}

// WithSkill preloads a skill in the development stage, its build already
// SUCCEEDED. manifestJSON is a skill.json ({"manifest": {...}}) or a bare
// manifest object. An invalid manifest makes every request answer 500 with
// the reason, so the test sees it at once; use AddSkill to get the error.
func WithSkill(skillID string, manifestJSON []byte) Option {
	return func(s *Server) {
		if _, err := s.addSkill(skillID, manifestJSON); err != nil && s.initErr == nil {
			s.initErr = err
		}
	}
}

// WithInteractionModel preloads the interaction model of a skill added
// earlier (by WithSkill) for stage and locale.
func WithInteractionModel(skillID, stage, locale string, modelJSON []byte) Option {
	return func(s *Server) {
		if err := s.setModel(skillID, stage, locale, modelJSON); err != nil && s.initErr == nil {
			s.initErr = err
		}
	}
}

// WithManifest preloads the manifest of a stage (development, certified or
// live) of a skill added earlier by WithSkill, with no build, as if SMAPI
// had held it all along. A live stage makes the skill published: the list
// shows it PUBLISHED, and writes to live and deleting the skill are refused,
// so tests of drift against live or of a refused delete need no
// certification round trip. Errors surface as WithSkill's do.
func WithManifest(skillID, stage string, manifestJSON []byte) Option {
	return func(s *Server) {
		if _, err := s.setManifest(skillID, stage, manifestJSON); err != nil && s.initErr == nil {
			s.initErr = err
		}
	}
}

// WithBuildTime sets how long a manifest update or an interaction model
// build stays IN_PROGRESS. Default 0: builds finish at once.
func WithBuildTime(d time.Duration) Option { return func(s *Server) { s.buildTime = d } }

// WithBuildOutcome sets how builds end by default.
func WithBuildOutcome(o BuildOutcome) Option { return func(s *Server) { s.outcome = o } }

// WithCertificationTime sets how long a skill stays in CERTIFICATION after
// a submit. Default 0.
func WithCertificationTime(d time.Duration) Option { return func(s *Server) { s.certTime = d } }

// WithPublicationTime sets how long a publication stays IN_PROGRESS once its
// publishesAtDate is reached. Default 0.
func WithPublicationTime(d time.Duration) Option { return func(s *Server) { s.publishTime = d } }

// WithCreationTime sets how long after POST /v1/skills the manifest GET
// answers 303 See Other (creation not yet complete). Default 0.
func WithCreationTime(d time.Duration) Option { return func(s *Server) { s.creationTime = d } }

// WithStatusNotFoundTime sets how long after POST /v1/skills the status
// endpoint answers 404, as SMAPI may do briefly. Default 0.
func WithStatusNotFoundTime(d time.Duration) Option {
	return func(s *Server) { s.statusNotFoundTime = d }
}

// WithCredentials makes the token endpoint require exactly these LWA
// credentials. By default any well-formed request gets a token, so ask-cli's
// built-in client id works.
func WithCredentials(clientID, clientSecret, refreshToken string) Option {
	return func(s *Server) {
		s.creds = &credentials{clientID: clientID, clientSecret: clientSecret, refreshToken: refreshToken}
	}
}

// WithTokenTTL sets the lifetime of issued access tokens. Default one hour.
// expires_in is rounded up to whole seconds, at least 1.
func WithTokenTTL(d time.Duration) Option { return func(s *Server) { s.tokenTTL = d } }

// WithStaticToken registers an access token that is always valid, as a
// caller using ASK_ACCESS_TOKEN would present.
func WithStaticToken(token string) Option {
	return func(s *Server) { s.tokens[token] = time.Time{} }
}

// WithClock replaces time.Now, for tests that step time themselves. now is
// called from request goroutines, so it must be safe for concurrent use.
// Give it before WithSkill: a preloaded skill's creation is stamped with the
// clock of that moment, and one created "after" the fake now stays in
// creation (303) until the fake clock catches up.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithFault scripts a fault from the start (see Server.Fault).
func WithFault(f Fault) Option { return func(s *Server) { s.addFault(f) } }

// WithRequestLogLimit bounds the request log (default 10000 entries; 0 means
// no bound); when it is full the oldest half is dropped.
func WithRequestLogLimit(n int) Option { return func(s *Server) { s.logLimit = n } }

type credentials struct{ clientID, clientSecret, refreshToken string }

type fault struct {
	Fault
	left int // remaining hits; negative: unlimited
}

// Server is a SMAPI + LWA simulator. Its zero value is not usable: call New
// or NewServer.
type Server struct {
	// URL is the base URL (scheme and host, no trailing slash) of a server
	// started by NewServer; empty for New.
	URL string

	ts  *httptest.Server
	mux *http.ServeMux

	mu                 sync.Mutex
	now                func() time.Time
	buildTime          time.Duration
	certTime           time.Duration
	publishTime        time.Duration
	creationTime       time.Duration
	statusNotFoundTime time.Duration
	tokenTTL           time.Duration
	outcome            BuildOutcome
	queued             []BuildOutcome
	creds              *credentials
	vendors            map[string]bool
	defaultVendor      string
	vendorGiven        bool
	skills             map[string]*skill
	seq                int
	tokens             map[string]time.Time // access token → expiry; zero: never
	faults             []*fault
	log                []Request
	logLimit           int
	initErr            error
	pkg                packageState // skill package uploads, imports, exports, enablements
}

var _ http.Handler = (*Server)(nil)

// New returns a simulator that is not listening anywhere; serve it with
// http.Server or call ServeHTTP directly.
func New(opts ...Option) *Server {
	s := &Server{
		now:           time.Now,
		tokenTTL:      time.Hour,
		vendors:       map[string]bool{DefaultVendorID: true},
		defaultVendor: DefaultVendorID,
		skills:        map[string]*skill{},
		tokens:        map[string]time.Time{},
		logLimit:      10000,
	}
	for _, o := range opts {
		o(s)
	}
	s.routes()
	return s
}

// NewServer starts a simulator on a loopback port, like httptest.NewServer.
// Close it when done.
func NewServer(opts ...Option) *Server {
	s := New(opts...)
	s.ts = httptest.NewServer(s)
	s.URL = s.ts.URL
	s.pkg.publicURL = s.URL
	return s
}

// Client returns an *http.Client for the server started by NewServer.
func (s *Server) Client() *http.Client {
	if s.ts == nil {
		return &http.Client{}
	}
	return s.ts.Client()
}

// Close stops a server started by NewServer, waiting for requests in flight.
func (s *Server) Close() {
	if s.ts != nil {
		s.ts.Close()
	}
}

// locked runs f holding the server's mutex, for the methods that only set
// or add to its state.
func (s *Server) locked(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
}

// Requests returns a copy of the request log, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.log))
	copy(out, s.log)
	return out
}

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.locked(func() { s.log = nil })
}

// Fault scripts f for the next matching requests.
func (s *Server) Fault(f Fault) {
	s.locked(func() { s.addFault(f) })
}

func (s *Server) addFault(f Fault) {
	left := f.Times
	if left == 0 {
		left = 1
	}
	s.faults = append(s.faults, &fault{Fault: f, left: left})
}

// SetBuildTime changes the duration of builds started from now on.
func (s *Server) SetBuildTime(d time.Duration) {
	s.locked(func() { s.buildTime = d })
}

// SetBuildOutcome changes how builds started from now on end.
func (s *Server) SetBuildOutcome(o BuildOutcome) {
	s.locked(func() { s.outcome = o })
}

// QueueBuildOutcomes makes the next builds end as given, one outcome per
// build in order; after that the default outcome applies again.
func (s *Server) QueueBuildOutcomes(o ...BuildOutcome) {
	s.locked(func() { s.queued = append(s.queued, o...) })
}

// ExpireTokens invalidates every access token issued so far (static tokens
// included), so the next SMAPI call gets 401.
func (s *Server) ExpireTokens() {
	s.locked(func() { clear(s.tokens) })
}

// AddSkill adds a skill in the development stage with its build SUCCEEDED, as
// WithSkill does, and returns its id (a new one when skillID is empty).
// The skill belongs to the first vendor configured.
func (s *Server) AddSkill(skillID string, manifestJSON []byte) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addSkill(skillID, manifestJSON)
}

// SetInteractionModel stores the interaction model of skillID for stage and
// locale without a build, as WithInteractionModel does.
func (s *Server) SetInteractionModel(skillID, stage, locale string, modelJSON []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.setModel(skillID, stage, locale, modelJSON)
}

// InteractionModel returns the interaction model of skillID for stage and
// locale as GET serves it, and its ETag header value, so a test can check
// what a deploy wrote. ok is false when there is no such model.
func (s *Server) InteractionModel(skillID, stage, locale string) (body []byte, etag string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.settledStage(skillID, stage)
	if st == nil || st.models[locale] == nil {
		return nil, "", false
	}
	m := st.models[locale]
	return bytes.Clone(m.body), quoteETag(m.etag), true
}

// Manifest returns the manifest of skillID in stage as GET serves it
// ({"manifest": ...}) and its ETag header value. ok is false when the skill
// or stage does not exist.
func (s *Server) Manifest(skillID, stage string) (body []byte, etag string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.settledStage(skillID, stage)
	if st == nil {
		return nil, "", false
	}
	return bytes.Clone(st.manifest.body), quoteETag(st.manifest.etag), true
}

// settledStage brings skillID up to date and returns its stage, or nil when
// the skill or the stage does not exist. The caller holds s.mu.
func (s *Server) settledStage(skillID, stName string) *stage {
	sk := s.skills[skillID]
	if sk == nil {
		return nil
	}
	s.settle(sk, s.now())
	return sk.stages[stName]
}

// SetManifest replaces the manifest of skillID in stage as an edit in the
// developer console would: new content and ETag, no build. It returns the new
// ETag header value.
func (s *Server) SetManifest(skillID, stage string, manifestJSON []byte) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.setManifest(skillID, stage, manifestJSON)
}

// ServeHTTP serves SMAPI and LWA requests.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	arrived := s.now()
	limit := maxBodyBytes
	if strings.HasPrefix(r.URL.Path, uploadPrefix) {
		limit = skillpkg.MaxZipBytes // a skill package zip, PUT to an upload URL
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, int64(limit)+1))
	rec := &statusWriter{ResponseWriter: w}
	switch {
	case err != nil:
		writeResponse(rec, errorResponse(http.StatusBadRequest, "could not read the request body: "+err.Error()))
	case len(body) > limit:
		writeResponse(rec, errorResponse(http.StatusBadRequest, fmt.Sprintf("request body larger than %d MiB", limit>>20)))
	default:
		r.Body = io.NopCloser(bytes.NewReader(body))
		if f, ok := s.takeFault(r); ok {
			s.serveFault(rec, r, f)
		} else {
			s.mux.ServeHTTP(rec, r)
		}
	}
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	s.record(r, arrived, body, rec.status)
}

func (s *Server) record(r *http.Request, arrived time.Time, body []byte, status int) {
	entry := Request{
		Time:   arrived,
		Method: r.Method,
		Path:   r.URL.Path,
		Query:  r.URL.Query(),
		Header: r.Header.Clone(),
		Body:   body,
		Status: status,
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.logLimit > 0 && len(s.log) >= s.logLimit {
		// Drop the oldest half at once so appends stay amortised O(1).
		n := copy(s.log, s.log[len(s.log)-s.logLimit/2:])
		clear(s.log[n:])
		s.log = s.log[:n]
	}
	s.log = append(s.log, entry)
}

func (s *Server) takeFault(r *http.Request) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Method != "" && !strings.EqualFold(f.Method, r.Method) {
			continue
		}
		if f.Path != "" {
			if p, ok := strings.CutSuffix(f.Path, "*"); ok {
				if !strings.HasPrefix(r.URL.Path, p) {
					continue
				}
			} else if f.Path != r.URL.Path {
				continue
			}
		}
		if f.left > 0 {
			f.left--
			if f.left == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return f.Fault, true
	}
	return Fault{}, false
}

func (s *Server) serveFault(w http.ResponseWriter, r *http.Request, f Fault) {
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			// The client is gone; record what it would have seen.
			writeResponse(w, errorResponse(http.StatusServiceUnavailable, "client gave up during a scripted delay"))
			return
		}
	}
	if f.Status == 0 {
		s.mux.ServeHTTP(w, r)
		return
	}
	resp := response{status: f.Status, header: http.Header{}}
	if f.Status >= 400 {
		msg := f.Message
		if msg == "" {
			msg = http.StatusText(f.Status)
		}
		resp = errorResponse(f.Status, msg)
	}
	if f.RetryAfter != "" {
		resp.header.Set("Retry-After", f.RetryAfter)
	}
	if f.Location != "" {
		resp.header.Set("Location", f.Location)
	}
	writeResponse(w, resp)
}

// statusWriter remembers the status for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// response is what a handler decides under the lock; it is written after
// the lock is released so a slow client never holds up the others.
type response struct {
	status int
	header http.Header
	body   []byte
}

func writeResponse(w http.ResponseWriter, r response) {
	h := w.Header()
	for k, v := range r.header {
		h[k] = v
	}
	if len(r.body) > 0 {
		if h.Get("Content-Type") == "" {
			h.Set("Content-Type", "application/json")
		}
		h.Set("Content-Length", fmt.Sprint(len(r.body)))
	}
	w.WriteHeader(r.status)
	if len(r.body) > 0 {
		_, _ = w.Write(r.body)
	}
}

func jsonResponse(status int, v any) response {
	b, err := json.Marshal(v)
	if err != nil {
		return errorResponse(http.StatusInternalServerError, "simulator could not encode its answer: "+err.Error())
	}
	return response{status: status, header: http.Header{}, body: b}
}

// errorResponse has the shape of the model's Error and BadRequestError.
func errorResponse(status int, message string) response {
	b, _ := json.Marshal(struct {
		Message string `json:"message"`
	}{message})
	return response{status: status, header: http.Header{}, body: b}
}

func emptyResponse(status int) response { return response{status: status, header: http.Header{}} }

// call is one request as a handler sees it.
type call struct {
	r    *http.Request
	body []byte
	now  time.Time
}

// handle registers an authenticated SMAPI route whose handler runs under the
// server's lock.
func (s *Server) handle(pattern string, h func(*call) response) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body) // already in memory, see ServeHTTP
		s.mu.Lock()
		c := &call{r: r, body: body, now: s.now()}
		var resp response
		switch {
		case s.initErr != nil:
			resp = errorResponse(http.StatusInternalServerError, "simulator misconfigured: "+s.initErr.Error())
		default:
			if res, ok := s.authenticate(c); !ok {
				resp = res
			} else {
				resp = h(c)
			}
		}
		s.mu.Unlock()
		writeResponse(w, resp)
	})
}

func (s *Server) routes() {
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("POST /auth/o2/token", s.serveToken)
	s.mux.HandleFunc("POST /auth/O2/token", s.serveToken)

	s.handle("GET /v1/skills", s.listSkills)
	s.handle("POST /v1/skills", s.createSkill)
	s.handle("DELETE /v1/skills/{skillId}", s.deleteSkill)
	s.handle("DELETE /v1/skills/{skillId}/{$}", s.deleteSkill)
	s.handle("GET /v1/skills/{skillId}/status", s.getStatus)
	s.handle("GET /v1/skills/{skillId}/stages/{stage}/manifest", s.getManifest)
	s.handle("PUT /v1/skills/{skillId}/stages/{stage}/manifest", s.putManifest)

	const im = "/v1/skills/{skillId}/stages/{stage}/interactionModel/locales/{locale}"
	s.handle("GET "+im, s.getModel)
	s.handle("HEAD "+im, s.headModel)
	s.handle("PUT "+im, s.putModel)

	const al = "/v1/skills/{skillId}/stages/{stage}/accountLinkingClient"
	s.handle("GET "+al, s.getAccountLinking)
	s.handle("PUT "+al, s.putAccountLinking)
	s.handle("DELETE "+al, s.deleteAccountLinking)

	s.handle("POST /v1/skills/{skillId}/publications", s.publish)
	s.handle("GET /v1/skills/{skillId}/publications/~latest", s.getPublication)
	s.handle("POST /v1/skills/{skillId}/unpublish", s.unpublish)
	s.handle("POST /v1/skills/{skillId}/submit", s.submit)
	s.handle("POST /v1/skills/{skillId}/withdraw", s.withdraw)
	s.handle("GET /v1/skills/{skillId}/certifications", s.listCertifications)
	s.packageRoutes()

	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeResponse(w, errorResponse(http.StatusNotFound,
			fmt.Sprintf("the simulator has no SMAPI operation %s %s; check the path against the SMAPI reference", r.Method, r.URL.Path)))
	})
}
