package validate

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/skillgate/skillgate/internal/jsonfile"
	"github.com/skillgate/skillgate/schemas"
)

// baseManifest passes every rule; each case below changes it a little.
const baseManifest = `{
  "manifest": {
    "manifestVersion": "1.0",
    "publishingInformation": {
      "locales": {
        "en-US": {
          "name": "Space Facts",
          "summary": "Facts about space.",
          "description": "Tells you a fact about space.",
          "examplePhrases": ["Alexa, open space facts", "Alexa, ask space facts for a fact"],
          "keywords": ["space", "facts"],
          "smallIconUri": "https://cdn.spacefacts.org/small.png",
          "largeIconUri": "https://cdn.spacefacts.org/large.png"
        },
        "en-GB": {
          "name": "Space Facts",
          "examplePhrases": ["Alexa, open space facts"]
        }
      },
      "isAvailableWorldwide": false,
      "distributionCountries": ["US", "GB"],
      "distributionMode": "PUBLIC",
      "category": "EDUCATION_AND_REFERENCE",
      "testingInstructions": "Say open space facts."
    },
    "privacyAndCompliance": {
      "allowsPurchases": false,
      "usesPersonalInfo": true,
      "isChildDirected": false,
      "isExportCompliant": true,
      "containsAds": false,
      "locales": {
        "en-US": {"privacyPolicyUrl": "https://spacefacts.org/privacy", "termsOfUseUrl": "https://spacefacts.org/terms"},
        "en-GB": {"privacyPolicyUrl": "https://spacefacts.org/privacy"}
      }
    },
    "permissions": [{"name": "alexa::profile:email:read"}],
    "apis": {
      "custom": {
        "endpoint": {"uri": "arn:aws:lambda:us-east-1:123412341234:function:space-facts:live"},
        "regions": {
          "EU": {"endpoint": {"uri": "https://eu.spacefacts.org/alexa", "sslCertificateType": "Trusted"}}
        },
        "interfaces": [{"type": "ALEXA_PRESENTATION_APL", "supportedViewports": [{"mode": "HUB", "shape": "ROUND"}]}]
      }
    },
    "events": {
      "endpoint": {"uri": "arn:aws:lambda:eu-west-1:123412341234:function:space-events"},
      "subscriptions": [{"eventName": "SKILL_ENABLED"}]
    }
  }
}`

// edit changes the base manifest: set a value at a pointer (creating
// objects on the way), or delete it when del is true.
type edit struct {
	ptr   string
	value any
	del   bool
}

func set(ptr string, v any) edit { return edit{ptr: ptr, value: v} }
func del(ptr string) edit        { return edit{ptr: ptr, del: true} }

func applyEdits(t *testing.T, edits []edit) []byte {
	t.Helper()
	var root any
	if err := json.Unmarshal([]byte(baseManifest), &root); err != nil {
		t.Fatal(err)
	}
	for _, e := range edits {
		toks := strings.Split(e.ptr[1:], "/")
		cur := root
		for i, tok := range toks {
			tok = jsonfile.UnescapePointer(tok)
			last := i == len(toks)-1
			switch c := cur.(type) {
			case map[string]any:
				if last {
					if e.del {
						delete(c, tok)
					} else {
						c[tok] = e.value
					}
					continue
				}
				if _, ok := c[tok]; !ok {
					c[tok] = map[string]any{}
				}
				cur = c[tok]
			case []any:
				n, err := strconv.Atoi(tok)
				if err != nil || n >= len(c) {
					t.Fatalf("bad edit pointer %s", e.ptr)
				}
				if last {
					c[n] = e.value
					continue
				}
				cur = c[n]
			default:
				t.Fatalf("bad edit pointer %s", e.ptr)
			}
		}
	}
	out, err := json.MarshalIndent(root, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func checkBytes(t *testing.T, raw []byte) []Finding {
	t.Helper()
	doc, findings := ParseDocument("skill.json", raw)
	findings = append(findings, Check(&Package{Manifest: doc})...)
	for _, f := range findings {
		checkFinding(t, &Package{Manifest: doc}, f)
	}
	return findings
}

const (
	pub = "/manifest/publishingInformation"
	en  = pub + "/locales/en-US"
	prv = "/manifest/privacyAndCompliance"
	cus = "/manifest/apis/custom"
)

type ruleCase struct {
	rule  string
	name  string
	edits []edit
	raw   string // used instead of edits when set
	want  string // pointer of the expected finding; "" means the rule must not fire
	msg   string // substring the message must hold
}

var ruleCases = []ruleCase{
	// Rule 1.
	{"distribution.worldwide-conflict", "false with countries", nil, "", "", ""},
	{"distribution.worldwide-conflict", "true without countries", []edit{set(pub+"/isAvailableWorldwide", true), del(pub + "/distributionCountries")}, "", "", ""},
	{"distribution.worldwide-conflict", "true with countries", []edit{set(pub+"/isAvailableWorldwide", true)}, "", pub + "/distributionCountries", "remove the list"},
	{"distribution.worldwide-conflict", "false without countries", []edit{set(pub+"/distributionCountries", []any{})}, "", pub + "/isAvailableWorldwide", "nowhere"},
	// Rule 2.
	{"distribution.country-code", "UK", []edit{set(pub+"/distributionCountries", []any{"US", "UK"})}, "", pub + "/distributionCountries/1", `did you mean "GB"?`},
	{"distribution.country-code", "USA", []edit{set(pub+"/distributionCountries", []any{"USA"})}, "", pub + "/distributionCountries/0", `did you mean "US"?`},
	{"distribution.country-code", "lower case", []edit{set(pub+"/distributionCountries", []any{"de"})}, "", pub + "/distributionCountries/0", `did you mean "DE"?`},
	{"distribution.country-code", "retired AN is in the model", []edit{set(pub+"/distributionCountries", []any{"AN"})}, "", "", ""},
	{"distribution.country-duplicate", "twice", []edit{set(pub+"/distributionCountries", []any{"US", "GB", "US"})}, "", pub + "/distributionCountries/2", "first at index 0"},
	// Rule 3.
	{"locale.invalid", "en-us", []edit{set(pub+"/locales/en-us", map[string]any{"name": "Space"})}, "", pub + "/locales/en-us", `did you mean "en-US"?`},
	{"locale.invalid", "en_US", []edit{set(prv+"/locales/en_US", map[string]any{})}, "", prv + "/locales/en_US", `did you mean "en-US"?`},
	{"locale.invalid", "en-UK", []edit{set(cus+"/locales/en-UK", map[string]any{})}, "", cus + "/locales/en-UK", `did you mean "en-GB"?`},
	{"locale.invalid", "cloned target", []edit{set(pub+"/automaticClonedLocale", map[string]any{"locales": []any{map[string]any{"source": "en-US", "targets": []any{"xx-YY"}}}})}, "", pub + "/automaticClonedLocale/locales/0/targets/0", "supported:"},
	{"locale.invalid", "supported locales", []edit{set(pub+"/locales/nl-NL", map[string]any{"name": "Ruimte", "examplePhrases": []any{"Alexa, open ruimte"}})}, "", "", ""},
	// Rule 4.
	{"privacy.policy-url-required", "missing for a published locale", []edit{del(prv + "/locales/en-GB/privacyPolicyUrl")}, "", prv + "/locales/en-GB/privacyPolicyUrl", "usesPersonalInfo is true"},
	{"privacy.policy-url-required", "purchases, no privacy block", []edit{del(prv), del(pub + "/locales/en-GB"), del("/manifest/permissions"), set(prv+"/allowsPurchases", true)}, "", prv + "/locales/en-US/privacyPolicyUrl", "allowsPurchases"},
	{"privacy.policy-url-required", "personal permission", []edit{set(prv+"/usesPersonalInfo", false), del(prv + "/locales/en-US/privacyPolicyUrl")}, "", prv + "/locales/en-US/privacyPolicyUrl", "alexa::profile:email:read"},
	{"privacy.policy-url-required", "no personal data", []edit{set(prv+"/usesPersonalInfo", false), del("/manifest/permissions"), del(prv + "/locales/en-GB/privacyPolicyUrl")}, "", "", ""},
	{"privacy.locale-unpublished", "privacy for an unpublished locale", []edit{set(prv+"/locales/de-DE", map[string]any{"privacyPolicyUrl": "https://spacefacts.org/de"})}, "", prv + "/locales/de-DE", "does not publish"},
	// Rule 5.
	{"url.https", "http privacy", []edit{set(prv+"/locales/en-US/privacyPolicyUrl", "http://spacefacts.org/privacy")}, "", prv + "/locales/en-US/privacyPolicyUrl", "https://spacefacts.org/privacy"},
	{"url.https", "relative icon", []edit{set(en+"/smallIconUri", "icons/small.png")}, "", en + "/smallIconUri", "not an absolute URL"},
	{"url.https", "http endpoint", []edit{set(cus+"/regions/EU/endpoint/uri", "http://eu.spacefacts.org/alexa")}, "", cus + "/regions/EU/endpoint/uri", "http"},
	{"url.amazon-host", "amazon in host", []edit{set(prv+"/locales/en-US/termsOfUseUrl", "https://spacefacts.s3.amazonaws.com/terms")}, "", prv + "/locales/en-US/termsOfUseUrl", `"amazon"`},
	{"url.amazon-host", "alexa subdomain", []edit{set(prv+"/locales/en-US/privacyPolicyUrl", "https://alexa.spacefacts.org/privacy")}, "", prv + "/locales/en-US/privacyPolicyUrl", `"alexa"`},
	{"url.amazon-host", "brand in the path is fine", []edit{set(prv+"/locales/en-US/privacyPolicyUrl", "https://spacefacts.org/alexa/privacy"), set(prv+"/locales/en-GB/privacyPolicyUrl", "https://laws.org/aws")}, "", "", ""},
	{"icon.file-uri", "file icon", []edit{set(en+"/largeIconUri", "file://assets/images/large.png")}, "", en + "/largeIconUri", "only inside a skill package"},
	// Rule 6.
	{"endpoint.lambda-arn", "short ARN", []edit{set(cus+"/endpoint/uri", "arn:aws:lambda:us-east-1:function:space")}, "", cus + "/endpoint/uri", "arn:aws:lambda:REGION:ACCOUNT:function:NAME"},
	{"endpoint.lambda-arn", "ARN with $LATEST", []edit{set(cus+"/endpoint/uri", "arn:aws:lambda:eu-west-1:123412341234:function:space-facts:$LATEST")}, "", "", ""},
	{"endpoint.uri", "function name", []edit{set(cus+"/endpoint/uri", "space-facts")}, "", cus + "/endpoint/uri", "not a Lambda ARN or an https URL"},
	{"endpoint.uri", "https on smart home", []edit{set("/manifest/apis/smartHome", map[string]any{"protocolVersion": "3", "endpoint": map[string]any{"uri": "https://spacefacts.org/sh"}})}, "", "/manifest/apis/smartHome/endpoint/uri", "must be Lambda ARNs"},
	{"endpoint.ssl-certificate-type", "https without type", []edit{del(cus + "/regions/EU/endpoint/sslCertificateType")}, "", cus + "/regions/EU/endpoint/sslCertificateType", "needs sslCertificateType"},
	{"endpoint.ssl-certificate-type", "ARN with type", []edit{set(cus+"/endpoint/sslCertificateType", "Trusted")}, "", cus + "/endpoint/sslCertificateType", "remove it"},
	{"endpoint.region", "US region", []edit{set(cus+"/regions/US", map[string]any{"endpoint": map[string]any{"uri": "arn:aws:lambda:us-east-1:123412341234:function:x"}})}, "", cus + "/regions/US", "NA, EU, FE"},
	{"endpoint.region", "Eu region", []edit{set(cus+"/regions/Eu", map[string]any{"endpoint": map[string]any{"uri": "arn:aws:lambda:us-east-1:123412341234:function:x"}})}, "", cus + "/regions/Eu", `did you mean "EU"?`},
	{"events.endpoint", "events without endpoint", []edit{del("/manifest/events/endpoint")}, "", "/manifest/events/endpoint", "requires one"},
	// Rule 7.
	{"example-phrases.missing", "no phrases", []edit{del(pub + "/locales/en-GB/examplePhrases")}, "", pub + "/locales/en-GB/examplePhrases", "at least one"},
	{"example-phrases.missing", "empty list", []edit{set(pub+"/locales/en-GB/examplePhrases", []any{})}, "", pub + "/locales/en-GB/examplePhrases", "at least one"},
	{"example-phrases.count", "five", []edit{set(en+"/examplePhrases", []any{"Alexa, a", "b", "c", "d", "e"})}, "", en + "/examplePhrases", "at most 4"},
	{"example-phrases.too-many", "four", []edit{set(en+"/examplePhrases", []any{"Alexa, a", "b", "c", "d"})}, "", en + "/examplePhrases", "first 3"},
	{"example-phrases.too-many", "three", []edit{set(en+"/examplePhrases", []any{"Alexa, a", "b", "c"})}, "", "", ""},
	{"example-phrases.length", "201 characters", []edit{set(en+"/examplePhrases", []any{"Alexa, ask space facts " + strings.Repeat("é", 178)})}, "", en + "/examplePhrases/0", "201 characters"},
	{"example-phrases.length", "200 characters", []edit{set(en+"/examplePhrases", []any{"Alexa, ask space facts " + strings.Repeat("é", 177)})}, "", "", ""},
	{"example-phrases.wake-word", "no wake word", []edit{set(en+"/examplePhrases", []any{"open space facts"})}, "", en + "/examplePhrases/0", "wake word"},
	{"example-phrases.wake-word", "Alexander is not Alexa", []edit{set(en+"/examplePhrases", []any{"Alexander, open space facts"})}, "", en + "/examplePhrases/0", "wake word"},
	{"example-phrases.wake-word", "Japanese", []edit{set(pub+"/locales/ja-JP", map[string]any{"name": "宇宙", "examplePhrases": []any{"アレクサ、宇宙を開いて"}})}, "", "", ""},
	// Rule 8.
	{"text.length", "summary 161", []edit{set(en+"/summary", strings.Repeat("a", 161))}, "", en + "/summary", "161 characters long; the limit is 160"},
	{"text.length", "summary 160", []edit{set(en+"/summary", strings.Repeat("ü", 160))}, "", "", ""},
	{"text.length", "name of one character", []edit{set(en+"/name", "S")}, "", en + "/name", "the minimum is 2"},
	{"text.length", "description 4001", []edit{set(en+"/description", strings.Repeat("a", 4001))}, "", en + "/description", "limit is 4000"},
	{"text.length", "testingInstructions 4001", []edit{set(pub+"/testingInstructions", strings.Repeat("a", 4001))}, "", pub + "/testingInstructions", "limit is 4000"},
	{"text.keywords", "31 keywords", []edit{set(en+"/keywords", make31())}, "", en + "/keywords", "at most 30"},
	{"text.keywords", "long keyword", []edit{set(en+"/keywords", []any{strings.Repeat("k", 151)})}, "", en + "/keywords/0", "limit is 150"},
	// Rule 9.
	{"child-directed.data", "child-directed with personal data", []edit{set(prv+"/isChildDirected", true)}, "", prv + "/isChildDirected", "alexa::profile:email:read"},
	{"child-directed.data", "child-directed with ads", []edit{set(prv+"/isChildDirected", true), set(prv+"/containsAds", true), del("/manifest/permissions")}, "", prv + "/isChildDirected", "contains ads"},
	{"child-directed.data", "child-directed alone", []edit{set(prv+"/isChildDirected", true), del("/manifest/permissions")}, "", "", ""},
	{"child-directed.category", "children's category", []edit{set(pub+"/category", "CHILDRENS_GAMES")}, "", pub + "/category", "isChildDirected"},
	{"child-directed.category", "children's category, child-directed", []edit{set(pub+"/category", "CHILDRENS_GAMES"), set(prv+"/isChildDirected", true), del("/manifest/permissions")}, "", "", ""},
	// Rule 10.
	{"smart-home.protocol-version", "version 2", []edit{set("/manifest/apis/smartHome", map[string]any{"protocolVersion": "2.0", "endpoint": map[string]any{"uri": "arn:aws:lambda:us-east-1:123412341234:function:sh"}})}, "", "/manifest/apis/smartHome/protocolVersion", `move to "3"`},
	{"smart-home.protocol-version", "version 3", []edit{set("/manifest/apis/smartHome", map[string]any{"protocolVersion": "3", "endpoint": map[string]any{"uri": "arn:aws:lambda:us-east-1:123412341234:function:sh"}})}, "", "", ""},
	// Rule 11.
	{"category.unknown", "RADIO", []edit{set(pub+"/category", "RADIO")}, "", pub + "/category", "not in the documented list"},
	{"category.unknown", "near miss", []edit{set(pub+"/category", "GAME")}, "", pub + "/category", `did you mean "GAMES"?`},
	// Rule 12.
	{"placeholder.endpoint", "YOUR_LAMBDA_ARN", []edit{set(cus+"/endpoint/uri", "YOUR_LAMBDA_ARN")}, "", cus + "/endpoint/uri", "YOUR_LAMBDA_ARN"},
	{"placeholder.endpoint", "XXXX account", []edit{set(cus+"/endpoint/uri", "arn:aws:lambda:us-east-1:XXXXXXXXXXXX:function:f")}, "", cus + "/endpoint/uri", "XXXXXXXXXXXX"},
	{"placeholder.endpoint", "template variable", []edit{set("/manifest/events/endpoint/uri", "${LAMBDA_ARN}")}, "", "/manifest/events/endpoint/uri", "${LAMBDA_ARN}"},
	{"placeholder.endpoint", "example.com", []edit{set(cus+"/regions/EU/endpoint/uri", "https://api.example.com/alexa")}, "", cus + "/regions/EU/endpoint/uri", "example.com"},
	{"placeholder.url", "your-domain privacy", []edit{set(prv+"/locales/en-US/privacyPolicyUrl", "https://your-domain.com/privacy")}, "", prv + "/locales/en-US/privacyPolicyUrl", "placeholder"},
	{"placeholder.url", "TODO icon", []edit{set(en+"/smallIconUri", "https://cdn.spacefacts.org/TODO.png")}, "", en + "/smallIconUri", "TODO"},
	// Rule 13.
	{"endpoint.missing-uri", "sourceDir only", []edit{set(cus+"/endpoint", map[string]any{"sourceDir": "lambda"})}, "", cus + "/endpoint/uri", "live endpoint"},
	{"endpoint.missing-uri", "empty uri", []edit{set(cus+"/endpoint/uri", "")}, "", cus + "/endpoint/uri", "live endpoint"},
	// Envelope and schema.
	{"manifest.v0-format", "skillManifest", nil, `{"skillManifest": {"manifestVersion": "1.0"}}`, "/skillManifest", "skillgate migrate"},
	{"schema.required", "no manifestVersion", []edit{del("/manifest/manifestVersion")}, "", "/manifest/manifestVersion", `"manifestVersion"`},
	{"schema.required", "no manifest", nil, `{"vendorId": "M1"}`, "/manifest", `"manifest"`},
	{"schema.required", "locale without name", []edit{del(pub + "/locales/en-GB/name")}, "", pub + "/locales/en-GB/name", `"name"`},
	{"schema.type", "boolean as string", []edit{set(prv+"/containsAds", "false")}, "", prv + "/containsAds", "must be a boolean, not a string"},
	{"schema.enum", "manifestVersion 2.0", []edit{set("/manifest/manifestVersion", "2.0")}, "", "/manifest/manifestVersion", `allowed: "1.0"`},
	{"schema.enum", "permission typo", []edit{set("/manifest/permissions/0/name", "alexa::profile:emails:read")}, "", "/manifest/permissions/0/name", `did you mean "alexa::profile:email:read"?`},
	{"schema.enum", "interface type", []edit{set(cus+"/interfaces/0/type", "AUDIOPLAYER")}, "", cus + "/interfaces/0/type", `did you mean "AUDIO_PLAYER"?`},
	{"schema.enum", "HTML interface is accepted", []edit{set(cus+"/interfaces/0/type", "ALEXA_PRESENTATION_HTML")}, "", "", ""},
	{"schema.const", "", nil, "", "", ""},
	{"schema.min-properties", "no locales", []edit{set(pub+"/locales", map[string]any{})}, "", pub + "/locales", "at least 1"},
	{"schema.max-properties", "two flash briefing locales", []edit{set("/manifest/apis/flashBriefing", map[string]any{"locales": map[string]any{"en-US": map[string]any{}, "en-GB": map[string]any{}}})}, "", "/manifest/apis/flashBriefing/locales", "at most 1"},
	{"schema.min-items", "empty viewports list is fine, empty tasks is not", []edit{set(cus+"/tasks", []any{})}, "", cus + "/tasks", "at least 1"},
	{"schema.max-items", "two prices", []edit{set(pub+"/paidSkillInformation", map[string]any{"pricing": map[string]any{"amazon.com": []any{
		map[string]any{"offerType": "ENTITLEMENT", "price": 1, "currency": "USD"}, map[string]any{"offerType": "ENTITLEMENT", "price": 2, "currency": "USD"}}},
		"taxInformation": map[string]any{"category": "SOFTWARE"}})}, "", pub + "/paidSkillInformation/pricing/amazon.com", "at most 1"},
	{"schema.min-length", "empty task name", []edit{set(cus+"/tasks", []any{map[string]any{"name": "", "version": "1"}})}, "", cus + "/tasks/0/name", "minimum is 1"},
	{"schema.max-length", "long feed name", []edit{set("/manifest/apis/flashBriefing", map[string]any{"locales": map[string]any{"en-US": map[string]any{"customErrorMessage": strings.Repeat("e", 101)}}})}, "", "/manifest/apis/flashBriefing/locales/en-US/customErrorMessage", "limit is 100"},
	{"schema.minimum", "no buttons", []edit{set(pub+"/gadgetSupport", map[string]any{"requirement": "OPTIONAL", "minGadgetButtons": 0})}, "", pub + "/gadgetSupport/minGadgetButtons", "minimum is 1"},
	{"schema.maximum", "five buttons", []edit{set(pub+"/gadgetSupport", map[string]any{"requirement": "OPTIONAL", "maxGadgetButtons": 5})}, "", pub + "/gadgetSupport/maxGadgetButtons", "maximum is 4"},
	{"schema.pattern", "free trial", []edit{set(pub+"/paidSkillInformation", map[string]any{"pricing": map[string]any{"amazon.com": []any{
		map[string]any{"offerType": "SUBSCRIPTION", "price": 1, "currency": "USD", "freeTrialInformation": map[string]any{"freeTrialDuration": "P2W"}}}},
		"taxInformation": map[string]any{"category": "SOFTWARE"}})}, "", pub + "/paidSkillInformation/pricing/amazon.com/0/freeTrialInformation/freeTrialDuration", "pattern"},
	// The valid side of rules whose invalid rows are above: each edit comes
	// close to the rule without breaking it.
	{"distribution.country-duplicate", "distinct countries", []edit{set(pub+"/distributionCountries", []any{"US", "GB", "DE"})}, "", "", ""},
	{"privacy.locale-unpublished", "privacy for a newly published locale", []edit{set(pub+"/locales/de-DE", map[string]any{"name": "Weltraum", "examplePhrases": []any{"Alexa, öffne Weltraum"}}), set(prv+"/locales/de-DE", map[string]any{"privacyPolicyUrl": "https://spacefacts.org/de"})}, "", "", ""},
	{"url.https", "https icon on a CDN", []edit{set(en+"/smallIconUri", "https://cdn.spacefacts.org/icons/small-108.png")}, "", "", ""},
	{"icon.file-uri", "https icon", []edit{set(en+"/largeIconUri", "https://cdn.spacefacts.org/icons/large-512.png")}, "", "", ""},
	{"endpoint.uri", "https endpoint on a custom skill", []edit{set(cus+"/endpoint", map[string]any{"uri": "https://spacefacts.org/alexa", "sslCertificateType": "Wildcard"})}, "", "", ""},
	{"endpoint.ssl-certificate-type", "https with SelfSigned", []edit{set(cus+"/regions/EU/endpoint/sslCertificateType", "SelfSigned")}, "", "", ""},
	{"endpoint.region", "NA and FE", []edit{set(cus+"/regions/NA", map[string]any{"endpoint": map[string]any{"uri": "arn:aws:lambda:us-east-1:123412341234:function:x"}}), set(cus+"/regions/FE", map[string]any{"endpoint": map[string]any{"uri": "arn:aws:lambda:us-west-2:123412341234:function:x"}})}, "", "", ""},
	{"events.endpoint", "events with an https endpoint", []edit{set("/manifest/events/endpoint", map[string]any{"uri": "https://events.spacefacts.org/alexa", "sslCertificateType": "Trusted"})}, "", "", ""},
	{"example-phrases.missing", "one phrase", []edit{set(pub+"/locales/en-GB/examplePhrases", []any{"Alexa, ask space facts for a fact"})}, "", "", ""},
	{"example-phrases.count", "four", []edit{set(en+"/examplePhrases", []any{"Alexa, a", "b", "c", "d"})}, "", "", ""},
	{"text.keywords", "30 keywords of 150 characters", []edit{set(en+"/keywords", keywords(30, 150))}, "", "", ""},
	{"category.unknown", "documented category", []edit{set(pub+"/category", "GAMES")}, "", "", ""},
	{"placeholder.endpoint", "real account and function", []edit{set(cus+"/endpoint/uri", "arn:aws:lambda:us-east-1:483920175634:function:space-facts-prod")}, "", "", ""},
	{"placeholder.url", "a real domain that says example in its path", []edit{set(prv+"/locales/en-US/privacyPolicyUrl", "https://spacefacts.org/example/privacy")}, "", "", ""},
	{"endpoint.missing-uri", "uri and sourceDir", []edit{set(cus+"/endpoint", map[string]any{"uri": "arn:aws:lambda:us-east-1:123412341234:function:space-facts", "sourceDir": "lambda"})}, "", "", ""},
	{"url.amazon-host", "plain host", []edit{set(prv+"/locales/en-US/termsOfUseUrl", "https://legal.spacefacts.org/terms")}, "", "", ""},
	{"endpoint.lambda-arn", "ARN with an alias", []edit{set(cus+"/endpoint/uri", "arn:aws:lambda:ap-northeast-1:123412341234:function:space-facts:prod")}, "", "", ""},
	{"distribution.worldwide-conflict", "true without a list", []edit{set(pub+"/isAvailableWorldwide", true), del(pub + "/distributionCountries")}, "", "", ""},
	// Keys Amazon's model does not define, where it lists every key.
	{"key.unknown", "every key known", nil, "", "", ""},
	{"key.unknown", "publishingInformation misspelt", []edit{set("/manifest/publishingInfromation", map[string]any{})}, "", "/manifest/publishingInfromation", "did you mean publishingInformation?"},
	{"key.unknown", "privacyAndCompliance misspelt", []edit{set("/manifest/privacyAndComplience", map[string]any{})}, "", "/manifest/privacyAndComplience", "did you mean privacyAndCompliance?"},
	{"key.unknown", "in publishingInformation", []edit{set(pub+"/distributionCountry", []any{"US"})}, "", pub + "/distributionCountry", "did you mean distributionCountries?"},
	{"key.unknown", "in privacyAndCompliance", []edit{set(prv+"/isExportComplaint", true)}, "", prv + "/isExportComplaint", "did you mean isExportCompliant?"},
	{"key.unknown", "in a locale block", []edit{set(en+"/summery", "Space facts")}, "", en + "/summery", "publishingInformation.locales.en-US has the key \"summery\""},
	{"key.unknown", "case in a privacy locale block", []edit{set(prv+"/locales/en-US/privacyPolicyURL", "https://spacefacts.org/privacy")}, "", prv + "/locales/en-US/privacyPolicyURL", "did you mean privacyPolicyUrl?"},
	{"key.unknown", "nothing close", []edit{set(pub+"/notes", "x")}, "", pub + "/notes", "remove it or use one of automaticClonedLocale, automaticDistribution, category"},
	{"key.unknown", "apis are not checked", []edit{set(cus+"/notes", "x")}, "", "", ""},
	{"schema.invalid", "", nil, "", "", ""},
	// Strict reading, as rules (positions are tested in document_test.go).
	{"json.syntax", "comma", nil, `{"manifest": {} "x": 1}`, "", "comma"},
	{"json.duplicate-key", "twice", nil, `{"manifest": {"manifestVersion": "1.0", "manifestVersion": "1.0"}}`, "/manifest/manifestVersion", "twice"},
	{"json.empty", "empty", nil, " ", "", "empty"},
	{"json.not-object", "array", nil, `[]`, "", "array"},
	{"json.invalid-utf8", "latin-1", nil, "{\"manifest\": {\"x\": \"caf\xe9\"}}", "", "UTF-8"},
	{"json.too-deep", "deep", nil, strings.Repeat("[", 70) + strings.Repeat("]", 70), "", "64"},
	{"json.too-large", "", nil, "", "", ""},
}

// keywords returns n keywords of length runes each, all distinct.
func keywords(n, length int) []any {
	out := make([]any, n)
	for i := range out {
		k := fmt.Sprintf("k%02d", i)
		out[i] = k + strings.Repeat("w", length-len(k))
	}
	return out
}

func make31() []any {
	out := make([]any, 31)
	for i := range out {
		out[i] = "k" + strconv.Itoa(i)
	}
	return out
}

func TestBaseManifestIsValid(t *testing.T) {
	if f := checkBytes(t, []byte(baseManifest)); len(f) != 0 {
		t.Fatalf("the base manifest has findings: %+v", f)
	}
}

func TestRules(t *testing.T) {
	for _, tc := range ruleCases {
		if tc.name == "" {
			continue // placeholders for ids tested elsewhere (see TestEveryRuleIsTested)
		}
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			raw := []byte(tc.raw)
			if tc.raw == "" {
				raw = applyEdits(t, tc.edits)
			}
			var hits []Finding
			for _, f := range checkBytes(t, raw) {
				if f.Rule == tc.rule {
					hits = append(hits, f)
				}
			}
			if tc.want == "" && tc.msg == "" {
				if len(hits) > 0 {
					t.Fatalf("valid case, but got %+v", hits)
				}
				return
			}
			if len(hits) != 1 {
				t.Fatalf("got %d %s findings, want 1: %+v", len(hits), tc.rule, hits)
			}
			if tc.want != "" && hits[0].Pointer != tc.want {
				t.Errorf("pointer %q, want %q", hits[0].Pointer, tc.want)
			}
			if !strings.Contains(hits[0].Message, tc.msg) {
				t.Errorf("message %q does not contain %q", hits[0].Message, tc.msg)
			}
		})
	}
}

// TestEveryRuleIsTested keeps ruleList and the tests in step: every
// registered rule has a valid and an invalid case here, in the strict-reading
// table, or in a dedicated test named in covered.
func TestEveryRuleIsTested(t *testing.T) {
	covered := map[string]string{
		"json.too-large": "TestParseDocumentTooLarge, TestLoadTooLarge",
		"schema.const":   "TestSchemaConst",
		"schema.invalid": "TestSchemaFallback",
		"file.reference": "TestPackageRules",
		"icon.format":    "TestPackageRules",
		"icon.size":      "TestPackageRules",
		"package.size":   "TestPackageRules",
	}
	// The valid case of every manifest rule is the base manifest
	// (TestBaseManifestIsValid); rules with a boundary have explicit ones.
	invalid := map[string]bool{}
	valid := map[string]bool{}
	for _, tc := range ruleCases {
		switch {
		case tc.name == "":
		case tc.want != "" || tc.msg != "":
			invalid[tc.rule] = true
		default:
			valid[tc.rule] = true
		}
	}
	// Every manifest rule has a valid row of its own, next to the shared
	// base manifest; the schema and syntax rules are the schema's and the
	// reader's, tested with their boundaries in their own tests.
	for _, tc := range ruleCases {
		if !valid[tc.rule] && !strings.HasPrefix(tc.rule, "schema.") && !strings.HasPrefix(tc.rule, "json.") && tc.rule != "manifest.v0-format" {
			t.Errorf("rule %s has no valid case in ruleCases", tc.rule)
		}
	}
	// Model rules have theirs in modelCases, valid ones included.
	for _, tc := range modelCases {
		if tc.sev != 0 {
			invalid[tc.rule] = true
		} else {
			valid[tc.rule] = true
		}
	}
	for _, tc := range modelCases {
		if !valid[tc.rule] {
			t.Errorf("rule %s has no valid case in modelCases", tc.rule)
		}
	}
	for _, r := range Rules() {
		if _, ok := covered[r.ID]; ok {
			continue
		}
		if !invalid[r.ID] {
			t.Errorf("rule %s has no invalid case in ruleCases", r.ID)
		}
	}
	ids := map[string]bool{}
	for i, r := range ruleList {
		if ids[r.ID] {
			t.Errorf("rule %s registered twice", r.ID)
		}
		ids[r.ID] = true
		if i > 0 && ruleList[i-1].ID > r.ID {
			t.Errorf("ruleList not sorted at %s", r.ID)
		}
		if r.Summary == "" || r.Help == "" || (r.Severity != Error && r.Severity != Warning) {
			t.Errorf("rule %s is incomplete: %+v", r.ID, r)
		}
	}
	for _, tc := range ruleCases {
		if !ids[tc.rule] {
			t.Errorf("test case for unregistered rule %s", tc.rule)
		}
	}
	for _, tc := range modelCases {
		if !ids[tc.rule] {
			t.Errorf("model test case for unregistered rule %s", tc.rule)
		}
	}
}

// TestSchemaConst and TestSchemaFallback feed the converter errors the
// generated schemas cannot produce from a manifest (their only consts sit
// in if-branches, which never report), so that the messages are still tested.
func TestSchemaConst(t *testing.T) {
	set, err := compiled()
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := ParseDocument("x.json", []byte(`{"manifest": {"t": "b"}}`))
	loc := schemas.BaseURL + "apis.schema.json#/$defs/Interface/allOf/0/if/properties/type/const"
	want, _ := jsonfile.Resolve(set.docs[schemas.BaseURL+"apis.schema.json"], "/$defs/Interface/allOf/0/if/properties/type/const")
	fs := set.leaf(doc, &jsonschema.ValidationError{AbsoluteKeywordLocation: loc, InstanceLocation: "/manifest/t"})
	if len(fs) != 1 || fs[0].Rule != "schema.const" || fs[0].Message != fmt.Sprintf("manifest.t must be %q", want) || fs[0].Line != 1 || fs[0].Column != 20 {
		t.Fatalf("const: %+v", fs)
	}
	// A valid value: the base manifest passes the same schema.
	if f := checkBytes(t, []byte(baseManifest)); len(f) != 0 {
		t.Fatal(f)
	}
}

func TestSchemaFallback(t *testing.T) {
	set, err := compiled()
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := ParseDocument("x.json", []byte(`{"manifest": {"a~b": [1, 1]}}`))
	fs := set.leaf(doc, &jsonschema.ValidationError{
		AbsoluteKeywordLocation: schemas.BaseURL + "apis.schema.json#/$defs/X/uniqueItems",
		InstanceLocation:        "/manifest/a~0b", Message: "items at index 0 and 1 are equal",
	})
	if len(fs) != 1 || fs[0].Rule != "schema.invalid" || fs[0].Message != "manifest.a~b: items at index 0 and 1 are equal" || fs[0].Pointer != "/manifest/a~0b" {
		t.Fatalf("fallback: %+v", fs)
	}
	// The library escapes instance tokens for URLs on top of RFC 6901.
	if got := instancePointer("/manifest/publishingInformation/locales/en%20US/a~1b"); got != "/manifest/publishingInformation/locales/en US/a~1b" {
		t.Errorf("instancePointer = %q", got)
	}
}

// TestPlaceholderMarkers: the cheap pre-filter never hides a match of the
// regexp: every string the regexp matches holds one of the markers.
func TestPlaceholderMarkers(t *testing.T) {
	for _, s := range []string{"${ARN}", "{{endpoint}}", "<your lambda>", "%LAMBDA_ARN%", "__LAMBDA_ENDPOINT__",
		"YOUR_LAMBDA_ARN", "https://yourdomain.com", "arn:aws:lambda:us-east-1:XXXXXXXXXXXX:function:f", "TODO", "FixMe",
		"replace-me", "CHANGEME", "url-goes-here", "PLACEHOLDER", "ACCOUNT_ID", "arn:aws:lambda:REGION:1:function:x",
		"arn:aws:lambda:us-east-1:123456789012:function:x"} {
		if placeholderText.FindString(s) == "" {
			t.Errorf("%q: the regexp does not match it; fix the test", s)
		}
		if !mayHoldPlaceholder(s) {
			t.Errorf("%q matches the regexp but the pre-filter rules it out", s)
		}
	}
	if mayHoldPlaceholder("https://cdn.spacefacts.org/icons/small-108.png") {
		t.Error("an ordinary URL should be ruled out by the pre-filter")
	}
}

// FuzzPlaceholderMarkers checks the same on any input.
func FuzzPlaceholderMarkers(f *testing.F) {
	f.Add("${X}")
	f.Add("https://example.org/a")
	f.Fuzz(func(t *testing.T, s string) {
		if placeholderText.FindString(s) != "" && !mayHoldPlaceholder(s) {
			t.Errorf("%q matches the regexp but the pre-filter rules it out", s)
		}
	})
}
