package validate

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/skillgate/skillgate/internal/jsonfile"
)

// checker runs the cross-field rules of issue 3 over a decoded v1 manifest.
// Each rule reads the value through small accessors that tolerate any shape:
// a wrong type is the schemas' finding, never a panic here.
type checker struct {
	doc  *Document
	data *schemaData
	out  []Finding
}

func (c *checker) report(ptr, rule, msg string) {
	if f, ok := c.doc.find(ptr, rule, msg); ok {
		c.out = append(c.out, f)
	}
}

func asObj(v any) map[string]any { m, _ := v.(map[string]any); return m }
func asArr(v any) []any          { a, _ := v.([]any); return a }
func asStr(v any) (string, bool) { s, ok := v.(string); return s, ok }
func isTrue(v any) bool          { b, ok := v.(bool); return ok && b }

func child(ptr, key string) string { return ptr + "/" + jsonfile.EscapePointer(key) }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

const (
	mPtr       = "/manifest"
	pubPtr     = mPtr + "/publishingInformation"
	privacyPtr = mPtr + "/privacyAndCompliance"
)

func (c *checker) run(manifest map[string]any) {
	pub := asObj(manifest["publishingInformation"])
	privacy := asObj(manifest["privacyAndCompliance"])
	c.distribution(pub)
	c.locales(manifest, pub, privacy)
	c.privacy(manifest, pub, privacy)
	c.urls(pub, privacy)
	c.endpoints(manifest)
	c.examplePhrases(pub)
	c.childDirected(manifest, pub, privacy)
	c.smartHome(manifest)
	c.category(pub)
	c.unknownKeys(manifest, pub, privacy)
}

// Rules 1 and 2: isAvailableWorldwide against distributionCountries, and
// countries listed once. Unknown codes are reported from the schema enum
// with the rule id distribution.country-code.
func (c *checker) distribution(pub map[string]any) {
	countries, hasList := pub["distributionCountries"].([]any)
	if ww, ok := pub["isAvailableWorldwide"].(bool); ok {
		switch {
		case ww && len(countries) > 0:
			c.report(pubPtr+"/distributionCountries", "distribution.worldwide-conflict",
				fmt.Sprintf("isAvailableWorldwide is true, yet %d distributionCountries are listed: remove the list, or set isAvailableWorldwide to false to limit the skill to these countries", len(countries)))
		case !ww && len(countries) == 0:
			c.report(pubPtr+"/isAvailableWorldwide", "distribution.worldwide-conflict",
				"isAvailableWorldwide is false and no distributionCountries are listed, so the skill would be available nowhere: list the countries, or set isAvailableWorldwide to true")
		}
	}
	if !hasList {
		return
	}
	seen := map[string]int{}
	for i, v := range countries {
		s, ok := asStr(v)
		if !ok {
			continue
		}
		if first, dup := seen[s]; dup {
			c.report(pubPtr+"/distributionCountries/"+strconv.Itoa(i), "distribution.country-duplicate",
				fmt.Sprintf("%q is listed twice in distributionCountries (first at index %d): remove this one", s, first))
			continue
		}
		seen[s] = i
	}
}

// Rule 3: locale keys are valid wherever they appear.
func (c *checker) locales(manifest, pub, privacy map[string]any) {
	check := func(ptr, locale string) {
		if slices.Contains(c.data.locales, locale) {
			return
		}
		msg := fmt.Sprintf("%q is not a locale Alexa supports", locale)
		if s := suggestLocale(locale); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		} else {
			msg += "; supported: " + strings.Join(c.data.locales, ", ")
		}
		c.report(ptr, "locale.invalid", msg)
	}
	keys := func(ptr string, m map[string]any) {
		for _, l := range sortedKeys(m) {
			check(child(ptr, l), l)
		}
	}
	keys(pubPtr+"/locales", asObj(pub["locales"]))
	keys(privacyPtr+"/locales", asObj(privacy["locales"]))
	apis := asObj(manifest["apis"])
	for _, name := range sortedKeys(apis) {
		keys(mPtr+"/apis/"+jsonfile.EscapePointer(name)+"/locales", asObj(asObj(apis[name])["locales"]))
	}
	clone := pubPtr + "/automaticClonedLocale/locales"
	for i, entry := range asArr(asObj(pub["automaticClonedLocale"])["locales"]) {
		e := asObj(entry)
		if s, ok := asStr(e["source"]); ok {
			check(fmt.Sprintf("%s/%d/source", clone, i), s)
		}
		for j, t := range asArr(e["targets"]) {
			if s, ok := asStr(t); ok {
				check(fmt.Sprintf("%s/%d/targets/%d", clone, i, j), s)
			}
		}
	}
	dist := pubPtr + "/automaticDistribution/sourceLocaleForLanguages"
	for i, entry := range asArr(asObj(pub["automaticDistribution"])["sourceLocaleForLanguages"]) {
		if s, ok := asStr(asObj(entry)["sourceLocale"]); ok {
			check(fmt.Sprintf("%s/%d/sourceLocale", dist, i), s)
		}
	}
}

// personalData lists the permissions that read a customer's personal data:
// with any of them, certification requires a privacy policy.
var personalData = []string{
	"alexa::profile:name:read", "alexa::profile:given_name:read", "alexa::profile:email:read",
	"alexa::profile:mobile_number:read", "alexa::devices:all:address:full:read",
	"alexa:devices:all:address:country_and_postal_code:read", "alexa::devices:all:geolocation:read",
	"alexa::devices:all:coarse_location:read", "alexa::devices:all:tokenized_geolocation:read",
	"alexa::person_id:read", "alexa::raw_person_id:read", "alexa::household:lists:read",
	"alexa::household:lists:write", "alexa::health:profile:write", "payments:autopay_consent",
}

// personalPermissions returns the personal-data permissions the manifest
// asks for, each with its pointer.
func personalPermissions(manifest map[string]any) (names, ptrs []string) {
	for i, p := range asArr(manifest["permissions"]) {
		if n, ok := asStr(asObj(p)["name"]); ok && slices.Contains(personalData, n) {
			names = append(names, n)
			ptrs = append(ptrs, fmt.Sprintf("%s/permissions/%d/name", mPtr, i))
		}
	}
	return names, ptrs
}

// Rule 4: a privacy policy URL for every published locale when the skill
// handles personal data or purchases.
func (c *checker) privacy(manifest, pub, privacy map[string]any) {
	published := asObj(pub["locales"])
	plocales := asObj(privacy["locales"])
	var reasons []string
	if isTrue(privacy["usesPersonalInfo"]) {
		reasons = append(reasons, "usesPersonalInfo is true")
	}
	if isTrue(privacy["allowsPurchases"]) {
		reasons = append(reasons, "allowsPurchases is true")
	}
	if names, _ := personalPermissions(manifest); len(names) > 0 {
		reasons = append(reasons, "the permission "+names[0]+" reads personal data")
	}
	if len(reasons) > 0 {
		for _, l := range sortedKeys(published) {
			url, _ := asStr(asObj(plocales[l])["privacyPolicyUrl"])
			if strings.TrimSpace(url) != "" {
				continue
			}
			c.report(child(privacyPtr+"/locales", l)+"/privacyPolicyUrl", "privacy.policy-url-required",
				fmt.Sprintf("locale %s has no privacyPolicyUrl, but %s: certification requires a privacy policy for every published locale", l, strings.Join(reasons, " and ")))
		}
	}
	for _, l := range sortedKeys(plocales) {
		if _, ok := published[l]; !ok && len(published) > 0 {
			c.report(child(privacyPtr+"/locales", l), "privacy.locale-unpublished",
				fmt.Sprintf("privacyAndCompliance has locale %s, which publishingInformation.locales does not publish: add the locale there or remove this entry", l))
		}
	}
}

// Rule 5 (and 12 for URLs): privacy, terms and icon URLs.
func (c *checker) urls(pub, privacy map[string]any) {
	plocales := asObj(privacy["locales"])
	for _, l := range sortedKeys(plocales) {
		entry := asObj(plocales[l])
		for _, field := range []string{"privacyPolicyUrl", "termsOfUseUrl"} {
			s, ok := asStr(entry[field])
			if !ok || strings.TrimSpace(s) == "" {
				continue
			}
			ptr := child(privacyPtr+"/locales", l) + "/" + field
			if tok, ok := placeholder(s); ok {
				c.report(ptr, "placeholder.url", fmt.Sprintf("%s %q looks like a template placeholder (%s): put the real address here", field, s, tok))
				continue
			}
			u, ok := c.https(ptr, field, s)
			if !ok {
				continue
			}
			if word := amazonWord(u.Hostname()); word != "" {
				c.report(ptr, "url.amazon-host",
					fmt.Sprintf("%s is hosted on %s, whose name contains %q: Alexa policy rejects alexa, amazon or aws in the domain of privacy and terms links (the path may contain them)", field, u.Hostname(), word))
			}
		}
	}
	locales := asObj(pub["locales"])
	for _, l := range sortedKeys(locales) {
		entry := asObj(locales[l])
		for _, field := range []string{"smallIconUri", "largeIconUri"} {
			s, ok := asStr(entry[field])
			if !ok || strings.TrimSpace(s) == "" {
				continue
			}
			ptr := child(pubPtr+"/locales", l) + "/" + field
			if strings.HasPrefix(strings.ToLower(s), "file://") {
				c.report(ptr, "icon.file-uri",
					fmt.Sprintf("%s is a file:// URI: SMAPI takes those only inside a skill package, so a deploy of this package goes through an upload and import (as ask-cli's does), not the manifest API", field))
				continue
			}
			if tok, ok := placeholder(s); ok {
				c.report(ptr, "placeholder.url", fmt.Sprintf("%s %q looks like a template placeholder (%s): put the real icon URL here", field, s, tok))
				continue
			}
			c.https(ptr, field, s)
		}
	}
}

// https reports a URL that is not absolute https and returns it parsed.
func (c *checker) https(ptr, field, s string) (*url.URL, bool) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || !u.IsAbs() || u.Host == "" {
		c.report(ptr, "url.https", fmt.Sprintf("%s %q is not an absolute URL: write it as https://host/path", field, s))
		return nil, false
	}
	if !strings.EqualFold(u.Scheme, "https") {
		c.report(ptr, "url.https", fmt.Sprintf("%s uses %s; Alexa requires https: change it to https://%s%s", field, u.Scheme, u.Host, u.EscapedPath()))
		return nil, false
	}
	return u, true
}

// amazonWord returns the Amazon brand a host name contains, if any. Host
// labels are split on dots and hyphens so that "laws.example" is not taken
// for "aws".
func amazonWord(host string) string {
	for _, label := range strings.FieldsFunc(strings.ToLower(host), func(r rune) bool { return r == '.' || r == '-' }) {
		switch {
		case strings.Contains(label, "alexa"):
			return "alexa"
		case strings.Contains(label, "amazon"):
			return "amazon"
		case strings.HasPrefix(label, "aws"):
			return "aws"
		}
	}
	return ""
}

var (
	placeholderText  = regexp.MustCompile(`(?i)\$\{[^}]*\}|\{\{[^}]*\}\}|<[^<>]+>|%[A-Z][A-Z_]{3,}%|__[A-Z][A-Z_]*__|\bYOUR[_-][A-Z0-9_-]+|\bYOUR(DOMAIN|SITE|COMPANY|SKILL|LAMBDA)|X{6,}|\bTODO\b|\bFIXME\b|\bREPLACE[_-]?ME\b|\bCHANGE[_-]?ME\b|GOES[_-]HERE|\bPLACEHOLDER\b|\bACCOUNT[_-]?ID\b|:REGION:|:123456789012:`)
	placeholderHosts = []string{"example.com", "example.org", "example.net", "sampleskill.com", "your-domain.com",
		"yourdomain.com", "mydomain.com", "my-domain.com", "domain.com", "seu-dominio.com", "tu-dominio.com",
		"placeholder.com", "via.placeholder.com", "placehold.it", "path"}
)

// placeholder reports whether s still holds a value from a template, and
// which part gave it away.
func placeholder(s string) (string, bool) {
	if mayHoldPlaceholder(s) {
		if m := placeholderText.FindString(s); m != "" {
			return m, true
		}
	}
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" {
		return "", false
	}
	host := strings.ToLower(u.Hostname())
	for _, h := range placeholderHosts {
		if host == h || strings.HasSuffix(host, "."+h) {
			return "host " + host, true
		}
	}
	for _, label := range strings.Split(host, ".") {
		if len(label) >= 6 && strings.Count(label, label[:1]) == len(label) {
			return "host " + host, true
		}
	}
	return "", false
}

// lambdaARN is arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]; the
// partition may be aws-cn or aws-us-gov.
// placeholderMarkers holds, for every alternative of placeholderText, a
// literal it cannot match without (lower case). The regexp backtracks over
// every position of every URL; most URLs hold none of these, and a substring
// scan rules them out far faster. Keep the two in step.
var placeholderMarkers = []string{"${", "{{", "<", "%", "__", "your", "xxxxxx", "todo", "fixme",
	"replace", "change", "goes", "placeholder", "account", ":region:", ":123456789012:"}

func mayHoldPlaceholder(s string) bool {
	// (?i) folds a few non-ASCII letters onto ASCII ones (the Kelvin sign
	// onto k, the long s onto s): leave anything non-ASCII to the regexp.
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return true
		}
	}
	lower := strings.ToLower(s)
	for _, m := range placeholderMarkers {
		if strings.Contains(lower, m) {
			return true
		}
	}
	return false
}

var lambdaARN = regexp.MustCompile(`^arn:aws(-[a-z]+)*:lambda:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?$`)

var regionKeys = []string{"NA", "EU", "FE"}

// lambdaOnly lists the APIs whose endpoints must be Lambda functions.
var lambdaOnly = []string{"smartHome", "music", "demandResponse", "video"}

// Rules 6, 12 and 13: every endpoint of every API and of events.
func (c *checker) endpoints(manifest map[string]any) {
	apis := asObj(manifest["apis"])
	for _, name := range sortedKeys(apis) {
		api := asObj(apis[name])
		if api == nil {
			continue
		}
		ptr := mPtr + "/apis/" + jsonfile.EscapePointer(name)
		lambda := slices.Contains(lambdaOnly, name)
		if ep, ok := api["endpoint"]; ok {
			c.endpoint(ptr+"/endpoint", ep, name, lambda)
		}
		// Video regions may host an https endpoint; the top-level one may not.
		c.regions(ptr, api, name, lambda && name != "video")
	}
	events, ok := manifest["events"].(map[string]any)
	if !ok {
		return
	}
	if ep, ok := events["endpoint"]; ok {
		c.endpoint(mPtr+"/events/endpoint", ep, "events", false)
	} else {
		c.report(mPtr+"/events/endpoint", "events.endpoint",
			"events has no endpoint: SMAPI requires one to deliver the subscribed events; add \"endpoint\": {\"uri\": \"arn:aws:lambda:...\"}")
	}
	c.regions(mPtr+"/events", events, "events", false)
}

func (c *checker) regions(ptr string, api map[string]any, name string, lambda bool) {
	regions := asObj(api["regions"])
	for _, r := range sortedKeys(regions) {
		rptr := child(ptr+"/regions", r)
		if !slices.Contains(regionKeys, r) {
			msg := fmt.Sprintf("region %q is not one of NA, EU, FE", r)
			if s := suggest(r, regionKeys, nil); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			c.report(rptr, "endpoint.region", msg)
		}
		if ep, ok := asObj(regions[r])["endpoint"]; ok {
			c.endpoint(rptr+"/endpoint", ep, name, lambda)
		}
	}
}

func (c *checker) endpoint(ptr string, v any, api string, lambdaOnly bool) {
	ep, ok := v.(map[string]any)
	if !ok {
		return // the schema reports the type
	}
	raw, has := ep["uri"]
	if !has {
		msg := "this endpoint has no uri, so a deploy keeps the live endpoint"
		if _, src := ep["sourceDir"]; src {
			msg += " (ask-cli fills it in when it deploys sourceDir; skillgate does not deploy code)"
		}
		c.report(ptr+"/uri", "endpoint.missing-uri", msg+": add the Lambda ARN or https URL to manage it here")
		return
	}
	uri, ok := asStr(raw)
	if !ok {
		return
	}
	if strings.TrimSpace(uri) == "" {
		c.report(ptr+"/uri", "endpoint.missing-uri",
			"this endpoint's uri is empty, so a deploy keeps the live endpoint: put the Lambda ARN or https URL here to manage it")
		return
	}
	uptr := ptr + "/uri"
	_, hasSSL := ep["sslCertificateType"]
	if tok, ok := placeholder(uri); ok {
		c.report(uptr, "placeholder.endpoint", fmt.Sprintf("endpoint uri %q is a template placeholder (%s): put the skill's Lambda ARN or https URL here", uri, tok))
		return
	}
	switch {
	case strings.HasPrefix(uri, "arn:"):
		if !lambdaARN.MatchString(uri) {
			c.report(uptr, "endpoint.lambda-arn",
				fmt.Sprintf("%q is not a well-formed Lambda ARN: expected arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER], e.g. arn:aws:lambda:us-east-1:123456789012:function:my-skill", uri))
		}
		if hasSSL {
			c.report(ptr+"/sslCertificateType", "endpoint.ssl-certificate-type",
				"sslCertificateType applies only to https endpoints: remove it from this Lambda endpoint")
		}
	case strings.HasPrefix(strings.ToLower(uri), "https://"):
		if lambdaOnly {
			c.report(uptr, "endpoint.uri", fmt.Sprintf("%s endpoints must be Lambda ARNs, not https URLs", api))
			return
		}
		if u, err := url.Parse(uri); err != nil || u.Host == "" {
			c.report(uptr, "endpoint.uri", fmt.Sprintf("%q is not a valid https URL", uri))
			return
		}
		if !hasSSL {
			c.report(ptr+"/sslCertificateType", "endpoint.ssl-certificate-type",
				"an https endpoint needs sslCertificateType (Trusted, Wildcard or SelfSigned; only Trusted can be certified)")
		}
	case strings.HasPrefix(strings.ToLower(uri), "http://"):
		c.report(uptr, "url.https", fmt.Sprintf("endpoint uri %q uses http; Alexa sends requests only over https", uri))
	default:
		what := "a Lambda ARN or an https URL"
		if lambdaOnly {
			what = "a Lambda ARN"
		}
		c.report(uptr, "endpoint.uri",
			fmt.Sprintf("endpoint uri %q is not %s (a function name alone is an ask-cli deploy setting, not something SMAPI accepts)", uri, what))
	}
}

// wakeWord matches "Alexa" as written in the supported languages' scripts.
var wakeWord = regexp.MustCompile(`^\s*((?i:alexa)([^\p{L}\p{N}]|$)|アレクサ|[أا]لي?كسا|एलेक्सा)`)

// Rule 7: example phrases.
func (c *checker) examplePhrases(pub map[string]any) {
	locales := asObj(pub["locales"])
	for _, l := range sortedKeys(locales) {
		entry := asObj(locales[l])
		if entry == nil {
			continue
		}
		ptr := child(pubPtr+"/locales", l) + "/examplePhrases"
		raw, has := entry["examplePhrases"]
		phrases, isArr := raw.([]any)
		if has && !isArr {
			continue // the schema reports the type
		}
		switch n := len(phrases); {
		case n == 0:
			c.report(ptr, "example-phrases.missing",
				fmt.Sprintf("locale %s has no examplePhrases: certification needs at least one, starting with \"Alexa\"", l))
			continue
		case n > 4:
			c.report(ptr, "example-phrases.count", fmt.Sprintf("locale %s has %d examplePhrases; SMAPI accepts at most 4 (the store shows 3)", l, n))
		case n == 4:
			c.report(ptr, "example-phrases.too-many", fmt.Sprintf("locale %s has 4 examplePhrases; the store shows only the first 3", l))
		}
		for i, p := range phrases {
			s, ok := asStr(p)
			if !ok {
				continue
			}
			iptr := ptr + "/" + strconv.Itoa(i)
			if n := utf8.RuneCountInString(s); n > 200 {
				c.report(iptr, "example-phrases.length", fmt.Sprintf("example phrase %d is %d characters long; the limit is 200", i+1, n))
			}
			if i == 0 && !wakeWord.MatchString(s) {
				c.report(iptr, "example-phrases.wake-word",
					fmt.Sprintf("the first example phrase %q must start with the wake word, e.g. \"Alexa, open <invocation name>\"", s))
			}
		}
	}
}

// Rule 9: child-directed skills and what they may not do.
func (c *checker) childDirected(manifest, pub, privacy map[string]any) {
	kid := isTrue(privacy["isChildDirected"])
	if kid {
		var what []string
		if isTrue(privacy["allowsPurchases"]) {
			what = append(what, "allows purchases")
		}
		if isTrue(privacy["containsAds"]) {
			what = append(what, "contains ads")
		}
		if names, _ := personalPermissions(manifest); len(names) > 0 {
			what = append(what, "asks for personal data ("+strings.Join(names, ", ")+")")
		}
		if len(what) > 0 {
			c.report(privacyPtr+"/isChildDirected", "child-directed.data",
				fmt.Sprintf("the skill is child-directed and %s: Alexa policy rejects most child-directed skills that do this", strings.Join(what, " and ")))
		}
	}
	if cat, ok := asStr(pub["category"]); ok && strings.HasPrefix(cat, "CHILDRENS_") && !kid {
		c.report(pubPtr+"/category", "child-directed.category",
			fmt.Sprintf("category %s is for children, but privacyAndCompliance.isChildDirected is not true: set it, or pick another category", cat))
	}
}

// Rule 10: smart home protocol version 2 is accepted but not certified.
func (c *checker) smartHome(manifest map[string]any) {
	v, ok := asStr(asObj(asObj(manifest["apis"])["smartHome"])["protocolVersion"])
	if ok && (v == "2" || v == "2.0") {
		c.report(mPtr+"/apis/smartHome/protocolVersion", "smart-home.protocol-version",
			fmt.Sprintf("protocolVersion %q: Smart Home API version 2 skills are no longer certified; move to \"3\"", v))
	}
}

// Rule 11: a category outside the documented list is a warning, since live
// skills use undocumented values such as RADIO.
func (c *checker) category(pub map[string]any) {
	cat, ok := asStr(pub["category"])
	if !ok || slices.Contains(c.data.categories, cat) {
		return
	}
	msg := fmt.Sprintf("category %q is not in the documented list", cat)
	if s := suggest(cat, c.data.categories, nil); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	} else {
		msg += " (some live skills use undocumented values; check it in the developer console)"
	}
	c.report(pubPtr+"/category", "category.unknown", msg)
}
