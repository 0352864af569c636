package smapitest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/skillgate/skillgate/internal/jsoncanon"
)

// Stages, publication and build states as SMAPI spells them.
const (
	stageDevelopment = "development"
	stageCertified   = "certified"
	stageLive        = "live"

	statusInProgress = "IN_PROGRESS"
	statusSucceeded  = "SUCCEEDED"
	statusFailed     = "FAILED"
	statusScheduled  = "SCHEDULED"

	pubDevelopment   = "DEVELOPMENT"
	pubCertification = "CERTIFICATION"
	pubCertified     = "CERTIFIED"
	pubPublished     = "PUBLISHED"
	pubHidden        = "HIDDEN"
	pubRemoved       = "REMOVED"
)

// buildSteps are the interaction model build steps in the order SMAPI adds
// them to buildDetails.steps.
var buildSteps = [...]string{"DIALOG_MODEL_BUILD", "LANGUAGE_MODEL_QUICK_BUILD", "LANGUAGE_MODEL_FULL_BUILD"}

var localeRE = regexp.MustCompile(`^[a-z]{2}-[A-Z]{2}$`)

// doc is a stored JSON document in canonical form with its entity tag.
type doc struct {
	body []byte
	etag string // unquoted; the ETag header quotes it
}

// tag is d's entity tag, or "" when there is no document.
func (d *doc) tag() string {
	if d == nil {
		return ""
	}
	return d.etag
}

type model struct {
	doc
	version int
}

// tag is m's entity tag, or "" when there is no model.
func (m *model) tag() string {
	if m == nil {
		return ""
	}
	return m.etag
}

type stage struct {
	manifest       doc
	models         map[string]*model
	accountLinking *doc
	pkg            *pkgFiles // the last import's files; never modified, only replaced
}

func newStage() *stage { return &stage{models: map[string]*model{}} }

func (st *stage) clone() *stage {
	c := &stage{manifest: st.manifest, models: make(map[string]*model, len(st.models)), accountLinking: st.accountLinking, pkg: st.pkg}
	for k, m := range st.models {
		mm := *m
		c.models[k] = &mm
	}
	return c
}

// build is a manifest update or an interaction model build: it is
// IN_PROGRESS from start for dur, then SUCCEEDED, or FAILED when errs is
// not empty, unless never is set.
type build struct {
	start time.Time
	dur   time.Duration
	never bool
	errs  []string
}

func (b *build) status(now time.Time) string {
	if b == nil {
		return statusSucceeded
	}
	if b.never || now.Sub(b.start) < b.dur {
		return statusInProgress
	}
	if len(b.errs) > 0 {
		return statusFailed
	}
	return statusSucceeded
}

type certification struct {
	status string // "", pubCertification or pubCertified
	until  time.Time
	method string
}

// certRecord is one entry of a skill's certification history.
type certRecord struct {
	id        string
	submitted time.Time
	until     time.Time
	done      time.Time
	status    string // IN_PROGRESS, SUCCEEDED or CANCELLED
}

type publication struct {
	requested   time.Time
	publishesAt time.Time
	done        time.Time
	applied     bool
}

func (p *publication) status(now time.Time) string {
	switch {
	case now.Before(p.publishesAt):
		return statusScheduled
	case now.Before(p.done):
		return statusInProgress
	default:
		return statusSucceeded
	}
}

type skill struct {
	id, vendor    string
	seq           int
	created       time.Time
	updated       time.Time
	stages        map[string]*stage
	manifestBuild *build
	modelBuilds   map[string]*build
	cert          certification
	certs         []*certRecord
	pub           *publication
	liveStatus    string
}

// newBuild starts a build now, consuming a queued outcome if there is one.
func (s *Server) newBuild(now time.Time) *build {
	o := s.outcome
	if len(s.queued) > 0 {
		o = s.queued[0]
		s.queued = s.queued[1:]
	}
	d := s.buildTime
	if o.Duration > 0 {
		d = o.Duration
	}
	return &build{start: now, dur: d, never: o.Never, errs: o.Errors}
}

// settle applies the transitions whose time has come: certification ending,
// publication reaching live. Called with the lock held before any read.
func (s *Server) settle(sk *skill, now time.Time) {
	if sk.cert.status == pubCertification && !now.Before(sk.cert.until) {
		sk.cert.status = pubCertified
		if n := len(sk.certs); n > 0 && sk.certs[n-1].status == statusInProgress {
			sk.certs[n-1].status, sk.certs[n-1].done = statusSucceeded, sk.cert.until
		}
		sk.stages[stageCertified] = sk.stages[stageDevelopment].clone()
		if sk.cert.method != "MANUAL_PUBLISHING" {
			t := sk.cert.until
			sk.pub = &publication{requested: t, publishesAt: t, done: t.Add(s.publishTime)}
		}
	}
	if p := sk.pub; p != nil && !p.applied && !now.Before(p.done) {
		p.applied = true
		if c := sk.stages[stageCertified]; c != nil {
			sk.stages[stageLive] = c.clone()
		}
		sk.liveStatus = pubPublished
		sk.cert = certification{}
		sk.updated = p.done
	}
}

func (s *Server) newSkillID() string {
	b := []byte(randomHex(16))
	// Shape it like Amazon's ids: amzn1.ask.skill.<uuid>.
	return fmt.Sprintf("amzn1.ask.skill.%s-%s-%s-%s-%s", b[0:8], b[8:12], b[12:16], b[16:20], b[20:32])
}

func (s *Server) addSkill(id string, manifestJSON []byte) (string, error) {
	d, err := manifestDoc(manifestJSON)
	if err != nil {
		return "", err
	}
	if id == "" {
		id = s.newSkillID()
	}
	if _, dup := s.skills[id]; dup {
		return "", fmt.Errorf("smapitest: skill %s already exists", id)
	}
	now := s.now()
	s.seq++
	st := newStage()
	st.manifest = d
	s.skills[id] = &skill{
		id: id, vendor: s.defaultVendor, seq: s.seq, created: now, updated: now,
		stages:      map[string]*stage{stageDevelopment: st},
		modelBuilds: map[string]*build{},
	}
	return id, nil
}

func (s *Server) setManifest(skillID, stageName string, manifestJSON []byte) (string, error) {
	sk := s.skills[skillID]
	if sk == nil {
		return "", fmt.Errorf("smapitest: manifest for unknown skill %q; add the skill first", skillID)
	}
	switch stageName {
	case stageDevelopment, stageCertified, stageLive:
	default:
		return "", fmt.Errorf("smapitest: stage %q is not one of development, certified, live", stageName)
	}
	d, err := manifestDoc(manifestJSON)
	if err != nil {
		return "", err
	}
	st := sk.stages[stageName]
	if st == nil {
		st = newStage()
		sk.stages[stageName] = st
	}
	st.manifest = d
	if stageName == stageLive && sk.liveStatus == "" {
		sk.liveStatus = pubPublished
	}
	sk.updated = s.now()
	return quoteETag(d.etag), nil
}

func (s *Server) setModel(skillID, stageName, locale string, modelJSON []byte) error {
	sk := s.skills[skillID]
	if sk == nil {
		return fmt.Errorf("smapitest: interaction model for unknown skill %q; add the skill first", skillID)
	}
	if !localeRE.MatchString(locale) {
		return fmt.Errorf("smapitest: %q is not a locale like en-US", locale)
	}
	d, err := modelDoc(modelJSON)
	if err != nil {
		return err
	}
	st := sk.stages[stageName]
	if st == nil {
		st = newStage()
		sk.stages[stageName] = st
	}
	v := 1
	if m := st.models[locale]; m != nil {
		v = m.version + 1
	}
	st.models[locale] = &model{doc: d, version: v}
	return nil
}

// decodeBody parses a request body that must be one JSON value.
func decodeBody(b []byte) (any, error) {
	v, err := jsoncanon.Decode(b)
	if err != nil {
		return nil, fmt.Errorf("the body is not valid JSON: %w", err)
	}
	return v, nil
}

// newDoc stores v in canonical form, one line; the ETag is a hash of it, so
// it depends on content only.
func newDoc(v any) doc {
	b, _ := jsoncanon.MarshalCompact(v) // v came from decodeBody, so it encodes
	sum := sha256.Sum256(b)
	return doc{body: b, etag: hex.EncodeToString(sum[:16])}
}

// manifestDoc accepts a skill.json ({"manifest": {...}}) or a bare manifest
// and stores it as the envelope GET serves.
func manifestDoc(b []byte) (doc, error) {
	v, err := decodeBody(b)
	if err != nil {
		return doc{}, fmt.Errorf("manifest: %w", err)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return doc{}, errors.New("manifest: the body must be a JSON object")
	}
	if _, ok := obj["skillManifest"]; ok {
		return doc{}, errors.New(`manifest: "skillManifest" is the SMAPI v0 key; v1 expects "manifest" (skillgate migrate rewrites it)`)
	}
	if m, ok := obj["manifest"]; ok {
		if _, isObj := m.(map[string]any); !isObj {
			return doc{}, errors.New(`manifest: "manifest" must be an object`)
		}
		return newDoc(map[string]any{"manifest": m}), nil
	}
	return newDoc(map[string]any{"manifest": obj}), nil
}

// modelDoc accepts an interaction model file ({"interactionModel": {...}}).
func modelDoc(b []byte) (doc, error) {
	v, err := decodeBody(b)
	if err != nil {
		return doc{}, fmt.Errorf("interaction model: %w", err)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return doc{}, errors.New("interaction model: the body must be a JSON object")
	}
	if _, ok := obj["interactionModel"].(map[string]any); !ok {
		return doc{}, errors.New(`interaction model: the body needs an "interactionModel" object`)
	}
	return newDoc(obj), nil
}

func quoteETag(e string) string { return `"` + e + `"` }

// etagMatches compares an If-Match header with the current tag; quoted,
// unquoted and weak forms and "*" are accepted.
func etagMatches(ifMatch, current string) bool {
	for _, part := range strings.Split(ifMatch, ",") {
		p := strings.TrimSpace(part)
		if p == "*" {
			return true
		}
		p = strings.TrimPrefix(p, "W/")
		if strings.Trim(p, `"`) == current {
			return true
		}
	}
	return false
}

func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// summaryFields reads what a list entry shows from a manifest envelope.
func summaryFields(d doc) (apis []string, names map[string]string) {
	var env struct {
		Manifest struct {
			Apis                  map[string]json.RawMessage `json:"apis"`
			PublishingInformation struct {
				Locales map[string]struct {
					Name string `json:"name"`
				} `json:"locales"`
			} `json:"publishingInformation"`
		} `json:"manifest"`
	}
	_ = json.Unmarshal(d.body, &env) // stored documents are valid JSON; missing parts stay empty
	apis = []string{}
	for _, k := range sortedKeys(env.Manifest.Apis) {
		if knownAPIs[k] {
			apis = append(apis, k)
		}
	}
	names = map[string]string{}
	for loc, l := range env.Manifest.PublishingInformation.Locales {
		names[loc] = l.Name
	}
	return apis, names
}

// knownAPIs is the model's SkillSummaryApis enum.
var knownAPIs = map[string]bool{
	"custom": true, "smartHome": true, "flashBriefing": true, "video": true, "music": true,
	"householdList": true, "health": true, "alexaForBusiness": true, "demandResponse": true,
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
