package smapitest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/skillgate/skillgate/internal/skillpkg"
)

// Paths of a skill package and of the simulator's stand-ins for the
// pre-signed S3 URLs SMAPI hands out (uploads, exports) and for the CDN that
// serves a skill's icons. They are outside /v1, so Amazon's model (and Prism)
// never sees them, as with the real S3 URLs.
const (
	packageModelDir = "interactionModels/custom/"

	simPrefix    = "/skillgate-sim"
	uploadPrefix = simPrefix + "/uploads/"
	exportPrefix = simPrefix + "/exports/"
	assetPrefix  = simPrefix + "/assets/"

	// defaultURLTTL is how long an upload or export URL works.
	defaultURLTTL = 15 * time.Minute
)

// WithPackageURLTTL sets how long upload and export URLs stay valid
// (default 15 minutes).
func WithPackageURLTTL(d time.Duration) Option {
	return func(s *Server) { s.pkg.urlTTL = d }
}

// SetPublicURL sets the base URL (scheme and host) put into upload, export
// and icon URLs; NewServer sets it, a server started with New and an
// http.Server should be told where it listens. Without it the request's Host
// is used.
func (s *Server) SetPublicURL(base string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pkg.publicURL = strings.TrimSuffix(base, "/")
}

// packageState holds the simulator's package operations: one-shot upload
// URLs, import and export jobs, hosted assets, enablements.
type packageState struct {
	urlTTL    time.Duration
	publicURL string
	seq       int
	uploads   map[string]*upload
	imports   map[string]*importJob
	exports   map[string]*exportJob
	assets    map[string][]byte // SHA-256 hex → bytes
	enabled   map[string]bool   // skillID + "/" + stage
}

func (p *packageState) init() {
	if p.uploads != nil {
		return
	}
	p.uploads, p.imports, p.exports = map[string]*upload{}, map[string]*importJob{}, map[string]*exportJob{}
	p.assets, p.enabled = map[string][]byte{}, map[string]bool{}
	if p.urlTTL <= 0 {
		p.urlTTL = defaultURLTTL
	}
}

func (p *packageState) nextID(kind string) string {
	p.seq++
	return fmt.Sprintf("%s-%06d-%s", kind, p.seq, randomHex(8))
}

// pkgFiles is what the last import of a stage held beyond the resources the
// other APIs serve: every other file, and skill.json and the models as
// uploaded, so that an export gives back the same bytes while the resources
// stay as imported.
type pkgFiles struct {
	other        map[string][]byte
	skillJSON    []byte
	manifestETag string
	models       map[string]rawModel
}

type rawModel struct {
	raw  []byte
	etag string
}

// upload is a one-shot pre-signed upload URL.
type upload struct {
	token   string
	expires time.Time
	data    []byte
	used    bool
}

type exportJob struct {
	token   string
	expires time.Time
	zip     []byte
	etag    string
}

// packageETag is the version of a stage's whole package: it changes when
// the manifest, any model or any other file changes, whichever API did it.
func packageETag(st *stage) string {
	h := sha256.New()
	fmt.Fprintf(h, "manifest %s\n", st.manifest.etag)
	for _, l := range sortedKeys(st.models) {
		fmt.Fprintf(h, "model %s %s\n", l, st.models[l].etag)
	}
	if st.pkg != nil {
		for _, p := range sortedKeys(st.pkg.other) {
			fmt.Fprintf(h, "file %s %x\n", p, sha256.Sum256(st.pkg.other[p]))
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// PackageETag returns the package ETag of a skill's development stage, as
// the import and export answers show it; ok is false for an unknown skill.
func (s *Server) PackageETag(skillID string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sk := s.skills[skillID]
	if sk == nil {
		return "", false
	}
	s.settle(sk, s.now())
	return packageETag(sk.stages[stageDevelopment]), true
}

// PackageFile returns a file of a skill's development package as an export
// would hold it (skill.json, a model, an asset); ok is false when there is
// no such file.
func (s *Server) PackageFile(skillID, name string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sk := s.skills[skillID]
	if sk == nil {
		return nil, false
	}
	s.settle(sk, s.now())
	files, err := exportFiles(sk.stages[stageDevelopment])
	if err != nil {
		return nil, false
	}
	b, ok := files[name]
	return b, ok
}

// AddPackage creates a skill of the default vendor from a skill package
// (path → bytes, as in the zip) the way POST /v1/skills/imports does and
// returns its id; a package with an error is refused with the errors the
// import would report. A preload stands for a skill imported earlier: its
// builds have already ended (with the outcome a queued or default
// BuildOutcome gives), so the first write of a test is never refused with a
// 409 by a build the test did not start, however fast the test runs.
func (s *Server) AddPackage(files map[string][]byte) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pkg.init()
	job := s.applyPackage(&call{now: s.now()}, nil, s.defaultVendor, files)
	var errs []string
	for _, r := range job.res {
		errs = append(errs, r.errs...)
	}
	if job.skillID == "" || len(errs) > 0 {
		return "", fmt.Errorf("smapitest: the package was refused: %s", strings.Join(append(job.errs, errs...), "; "))
	}
	if sk := s.skills[job.skillID]; sk != nil {
		for _, b := range append([]*build{sk.manifestBuild}, slices.Collect(maps.Values(sk.modelBuilds))...) {
			if b != nil {
				b.dur = 0
			}
		}
	}
	return job.skillID, nil
}

// base is the scheme and host clients reach the simulator at.
func (s *Server) base(c *call) string {
	if s.pkg.publicURL != "" || c.r == nil {
		return s.pkg.publicURL
	}
	return "http://" + c.r.Host
}

func (s *Server) packageRoutes() {
	s.handle("POST /v1/skills/uploads", s.createUpload)
	s.handle("POST /v1/skills/imports", s.createSkillFromPackage)
	s.handle("POST /v1/skills/{skillId}/imports", s.importPackage)
	// GET /v1/skills/imports/{id} and /v1/skills/exports/{id} overlap
	// /v1/skills/{skillId}/status in ServeMux's eyes; one route with two
	// wildcards, less specific than every /v1/skills/{skillId}/<word>,
	// serves both.
	s.handle("GET /v1/skills/{kind}/{id}", s.getJob)
	s.handle("POST /v1/skills/{skillId}/stages/{stage}/exports", s.createExport)
	const en = "/v1/skills/{skillId}/stages/{stage}/enablement"
	s.handle("GET "+en, s.getEnablement)
	s.handle("PUT "+en, s.putEnablement)
	s.handle("DELETE "+en, s.deleteEnablement)

	s.handlePublic("PUT "+uploadPrefix+"{id}", s.putUpload)
	s.handlePublic("GET "+exportPrefix+"{file}", s.downloadExport)
	s.handlePublic("GET "+assetPrefix+"{sum}/{path...}", s.serveAsset)
}

// handlePublic registers a route that needs no token, as a pre-signed URL
// or a CDN does not; its handler runs under the server's lock.
func (s *Server) handlePublic(pattern string, h func(*call) response) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		var body bytes.Buffer
		_, _ = body.ReadFrom(r.Body) // already in memory, see ServeHTTP
		s.mu.Lock()
		s.pkg.init()
		resp := h(&call{r: r, body: body.Bytes(), now: s.now()})
		s.mu.Unlock()
		writeResponse(w, resp)
	})
}

// createUpload is POST /v1/skills/uploads (createUploadUrlV1).
func (s *Server) createUpload(c *call) response {
	s.pkg.init()
	id := s.pkg.nextID("upload")
	u := &upload{token: randomHex(16), expires: c.now.Add(s.pkg.urlTTL)}
	s.pkg.uploads[id] = u
	return jsonResponse(http.StatusCreated, map[string]string{
		"uploadUrl": s.base(c) + uploadPrefix + id + "?X-Amz-Expires=" + strconv.Itoa(int(s.pkg.urlTTL/time.Second)) + "&X-Amz-Signature=" + u.token,
		"expiresAt": timestamp(u.expires),
	})
}

// putUpload is the PUT to an upload URL: accepted once, before it expires,
// with a valid signature, as S3 does.
func (s *Server) putUpload(c *call) response {
	u := s.pkg.uploads[c.r.PathValue("id")]
	switch {
	case u == nil:
		return errorResponse(http.StatusNotFound, "NoSuchUpload: no upload URL has this path; create one with POST /v1/skills/uploads")
	case c.r.URL.Query().Get("X-Amz-Signature") != u.token:
		return errorResponse(http.StatusForbidden, "SignatureDoesNotMatch: the URL's signature is not the one issued")
	case !c.now.Before(u.expires):
		return errorResponse(http.StatusForbidden, "AccessDenied: Request has expired; create a new upload URL")
	case u.used:
		return errorResponse(http.StatusForbidden, "AccessDenied: this upload URL was used already; create a new one")
	}
	u.used = true
	u.data = c.body
	return emptyResponse(http.StatusOK)
}

// uploaded finds the package uploaded to location (an upload URL of this
// simulator), unpacked.
func (s *Server) uploaded(location string) (map[string][]byte, response, bool) {
	if location == "" {
		return nil, errorResponse(http.StatusBadRequest, "location is required: the upload URL the package was PUT to"), false
	}
	u, err := url.Parse(location)
	id, isUpload := strings.CutPrefix(u.Path, uploadPrefix)
	if err != nil || !isUpload {
		return nil, errorResponse(http.StatusBadRequest, fmt.Sprintf("location %q is not an upload URL of this simulator; upload the package with POST /v1/skills/uploads first", location)), false
	}
	up := s.pkg.uploads[id]
	if up == nil || u.Query().Get("X-Amz-Signature") != up.token {
		return nil, errorResponse(http.StatusBadRequest, fmt.Sprintf("location %q is not an upload URL this simulator issued", location)), false
	}
	if !up.used {
		return nil, errorResponse(http.StatusBadRequest, "nothing was uploaded to location; PUT the zip to the upload URL first"), false
	}
	files, err := skillpkg.Unpack(up.data)
	if err != nil {
		return nil, errorResponse(http.StatusBadRequest, err.Error()), false
	}
	return files, response{}, true
}

// importPackage is POST /v1/skills/{skillId}/imports (importSkillPackageV1).
func (s *Server) importPackage(c *call) response {
	var req struct {
		Location string `json:"location"`
	}
	sk, resp, ok := s.lookupJSON(c, &req, `{"location": "<upload URL>"}`)
	if !ok {
		return resp
	}
	dev := sk.stages[stageDevelopment]
	// If-Match first, as for the manifest: a stale tag is 412 even while
	// something else runs.
	if im := c.r.Header.Get("If-Match"); im != "" && !etagMatches(im, packageETag(dev)) {
		return errorResponse(http.StatusPreconditionFailed,
			"the skill package has changed since the ETag in If-Match was read; export it or read the last import's eTag and retry")
	}
	if s.busy(sk, c) {
		return errorResponse(http.StatusConflict,
			"another import or update of this skill is in progress; wait for it to finish and import again")
	}
	s.pkg.init()
	files, resp, ok := s.uploaded(req.Location)
	if !ok {
		return resp
	}
	return s.startImport(c, sk, "", files)
}

// createSkillFromPackage is POST /v1/skills/imports (createSkillPackageV1).
func (s *Server) createSkillFromPackage(c *call) response {
	var req struct {
		VendorID string `json:"vendorId"`
		Location string `json:"location"`
	}
	if err := json.Unmarshal(c.body, &req); err != nil {
		return errorResponse(http.StatusBadRequest, `the body must be {"vendorId": "...", "location": "<upload URL>"}: `+err.Error())
	}
	if req.VendorID == "" {
		return errorResponse(http.StatusBadRequest, "vendorId is required to create a skill")
	}
	if !s.vendors[req.VendorID] {
		return errorResponse(http.StatusBadRequest, fmt.Sprintf("vendor %s is not accessible with these credentials; check ASK_VENDOR_ID", req.VendorID))
	}
	s.pkg.init()
	files, resp, ok := s.uploaded(req.Location)
	if !ok {
		return resp
	}
	return s.startImport(c, nil, req.VendorID, files)
}

// busy reports whether an update of sk runs: a creation, a manifest
// update, a model build, or an import waiting for one of those.
func (s *Server) busy(sk *skill, c *call) bool {
	if s.creating(sk, c) || sk.manifestBuild.status(c.now) == statusInProgress {
		return true
	}
	for _, b := range sk.modelBuilds {
		if b.status(c.now) == statusInProgress {
			return true
		}
	}
	return false
}

func (s *Server) startImport(c *call, sk *skill, vendor string, files map[string][]byte) response {
	job := s.applyPackage(c, sk, vendor, files)
	id := s.pkg.nextID("import")
	job.id = id
	s.pkg.imports[id] = job
	r := emptyResponse(http.StatusAccepted)
	r.header.Set("Location", "/v1/skills/imports/"+id)
	return r
}

// Import status body types, shaped as the model's v1.skill.ImportResponse.
type (
	importResource struct {
		Name     string        `json:"name"`
		Action   string        `json:"action,omitempty"`
		Status   string        `json:"status"`
		Errors   []statusError `json:"errors"`
		Warnings []statusError `json:"warnings"`
	}
	importSkill struct {
		SkillID   string           `json:"skillId,omitempty"`
		ETag      string           `json:"eTag,omitempty"`
		Resources []importResource `json:"resources"`
	}
	importResponse struct {
		Status   string        `json:"status"`
		Errors   []statusError `json:"errors"`
		Warnings []statusError `json:"warnings"`
		Skill    importSkill   `json:"skill"`
	}
)

// getJob serves GET /v1/skills/imports/{importId} and
// /v1/skills/exports/{exportId}.
func (s *Server) getJob(c *call) response {
	switch c.r.PathValue("kind") {
	case "imports":
		c.r.SetPathValue("importId", c.r.PathValue("id"))
		return s.getImport(c)
	case "exports":
		c.r.SetPathValue("exportId", c.r.PathValue("id"))
		return s.getExport(c)
	}
	return errorResponse(http.StatusNotFound,
		fmt.Sprintf("the simulator has no SMAPI operation GET %s; check the path against the SMAPI reference", c.r.URL.Path))
}

// getImport is GET /v1/skills/imports/{importId} (getImportStatusV1). Its
// resources follow the builds the import started.
func (s *Server) getImport(c *call) response {
	s.pkg.init()
	job := s.pkg.imports[c.r.PathValue("importId")]
	if job == nil {
		return errorResponse(http.StatusNotFound, fmt.Sprintf("import %s not found", c.r.PathValue("importId")))
	}
	out := importResponse{Errors: messages(job.errs), Warnings: []statusError{}, Skill: importSkill{SkillID: job.skillID, Resources: []importResource{}}}
	inProgress, failed := false, len(job.errs) > 0
	for _, r := range job.res {
		st, errs := r.state(c.now)
		inProgress = inProgress || st == statusInProgress
		failed = failed || st == statusFailed
		out.Skill.Resources = append(out.Skill.Resources, importResource{Name: r.name, Action: r.action, Status: st, Errors: messages(errs), Warnings: []statusError{}})
	}
	switch {
	case failed && !inProgress:
		out.Status = statusFailed
	case inProgress:
		out.Status = statusInProgress
	default:
		out.Status = statusSucceeded
	}
	if sk := s.skills[job.skillID]; sk != nil {
		s.settle(sk, c.now)
		out.Skill.ETag = packageETag(sk.stages[stageDevelopment])
	}
	return jsonResponse(http.StatusOK, out)
}

// createExport is POST /v1/skills/{skillId}/stages/{stage}/exports
// (createExportRequestForSkillV1). The zip is made at once, from the
// stage as it is now.
func (s *Server) createExport(c *call) response {
	_, st, _, resp, ok := s.stageOf(c)
	if !ok {
		return resp
	}
	files, err := exportFiles(st)
	if err == nil {
		var zip []byte
		if zip, err = skillpkg.Pack(files); err == nil {
			s.pkg.init()
			id := s.pkg.nextID("export")
			s.pkg.exports[id] = &exportJob{token: randomHex(16), expires: c.now.Add(s.pkg.urlTTL), zip: zip, etag: packageETag(st)}
			r := emptyResponse(http.StatusAccepted)
			r.header.Set("Location", "/v1/skills/exports/"+id)
			return r
		}
	}
	return errorResponse(http.StatusInternalServerError, "simulator could not build the export: "+err.Error())
}

// getExport is GET /v1/skills/exports/{exportId} (getStatusOfExportRequestV1).
func (s *Server) getExport(c *call) response {
	s.pkg.init()
	id := c.r.PathValue("exportId")
	job := s.pkg.exports[id]
	if job == nil {
		return errorResponse(http.StatusNotFound, fmt.Sprintf("export %s not found", id))
	}
	return jsonResponse(http.StatusOK, map[string]any{
		"status": statusSucceeded,
		"skill": map[string]string{
			"eTag":      job.etag,
			"location":  s.base(c) + exportPrefix + id + ".zip?X-Amz-Signature=" + job.token,
			"expiresAt": strconv.FormatInt(job.expires.UnixMilli(), 10),
		},
	})
}

// downloadExport serves an export's zip at its pre-signed location.
func (s *Server) downloadExport(c *call) response {
	id, _ := strings.CutSuffix(c.r.PathValue("file"), ".zip")
	job := s.pkg.exports[id]
	switch {
	case job == nil:
		return errorResponse(http.StatusNotFound, "NoSuchKey: no export has this path")
	case c.r.URL.Query().Get("X-Amz-Signature") != job.token:
		return errorResponse(http.StatusForbidden, "SignatureDoesNotMatch: the URL's signature is not the one issued")
	case !c.now.Before(job.expires):
		return errorResponse(http.StatusForbidden, "AccessDenied: Request has expired; export the package again")
	}
	r := response{status: http.StatusOK, header: http.Header{}, body: job.zip}
	r.header.Set("Content-Type", "application/zip")
	return r
}

// serveAsset serves a hosted package file (an icon) by content hash.
func (s *Server) serveAsset(c *call) response {
	b, ok := s.pkg.assets[c.r.PathValue("sum")]
	if !ok {
		return errorResponse(http.StatusNotFound, "no asset with this hash")
	}
	r := response{status: http.StatusOK, header: http.Header{}, body: b}
	ct := mime.TypeByExtension(path.Ext(c.r.PathValue("path")))
	if ct == "" {
		ct = "application/octet-stream"
	}
	r.header.Set("Content-Type", ct)
	return r
}

// stageOf finds the skill and existing stage the request path names.
func (s *Server) stageOf(c *call) (*skill, *stage, string, response, bool) {
	sk, stName, resp, ok := s.lookupStage(c)
	if !ok {
		return nil, nil, "", resp, false
	}
	st := sk.stages[stName]
	if st == nil {
		return nil, nil, "", errorResponse(http.StatusNotFound, fmt.Sprintf("skill %s has no %s stage", sk.id, stName)), false
	}
	return sk, st, stName, response{}, true
}

func (s *Server) enablementKey(c *call) (string, response, bool) {
	sk, _, stName, resp, ok := s.stageOf(c)
	if !ok {
		return "", resp, false
	}
	s.pkg.init()
	return sk.id + "/" + stName, response{}, true
}

// getEnablement is GET …/stages/{stage}/enablement: 204 when enabled for
// this account, 404 when not.
func (s *Server) getEnablement(c *call) response {
	key, resp, ok := s.enablementKey(c)
	if !ok {
		return resp
	}
	if !s.pkg.enabled[key] {
		return errorResponse(http.StatusNotFound, "the skill is not enabled for this account in this stage")
	}
	return emptyResponse(http.StatusNoContent)
}

// putEnablement is PUT …/enablement.
func (s *Server) putEnablement(c *call) response {
	key, resp, ok := s.enablementKey(c)
	if !ok {
		return resp
	}
	s.pkg.enabled[key] = true
	return emptyResponse(http.StatusNoContent)
}

// deleteEnablement is DELETE …/enablement.
func (s *Server) deleteEnablement(c *call) response {
	key, resp, ok := s.enablementKey(c)
	if !ok {
		return resp
	}
	if !s.pkg.enabled[key] {
		return errorResponse(http.StatusNotFound, "the skill is not enabled for this account in this stage")
	}
	delete(s.pkg.enabled, key)
	return emptyResponse(http.StatusNoContent)
}
