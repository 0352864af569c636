package validate

import (
	"sort"
	"sync"
)

// Rule describes one rule id the validator can emit. The list feeds SARIF's
// tool.driver.rules and the README's rule table, so every id emitted anywhere
// in this package must be registered here.
type Rule struct {
	ID       string   // stable dotted id, e.g. "distribution.country-code"
	Severity Severity // default severity
	Summary  string   // one line, for README and SARIF shortDescription
	Help     string   // what to do about it, for SARIF help
}

// ruleList is filled as rules are written; keep it sorted by ID.
var ruleList = []Rule{
	{"category.unknown", Warning, "publishingInformation.category is not in the documented list of 59 categories",
		"Use a documented category (the message suggests the nearest one). Live skills use some undocumented values such as RADIO, so this is only a warning."},
	{"child-directed.category", Warning, "a CHILDRENS_* category without isChildDirected: true",
		"Set privacyAndCompliance.isChildDirected to true, or choose a category that is not for children."},
	{"child-directed.data", Warning, "a child-directed skill that allows purchases, contains ads or asks for personal data",
		"Alexa policy rejects most child-directed skills that sell, advertise or collect personal data: remove these or reconsider isChildDirected."},
	{"dialog.prompt-missing", Error, "a prompt id used by the dialog model is not defined in interactionModel.prompts",
		"Every prompt id referenced from dialog.intents[].prompts, slots[].prompts and slots[].validations[].prompt needs an entry with that id in interactionModel.prompts; add it or fix the reference."},
	{"distribution.country-code", Error, "a distributionCountries entry is not a country code SMAPI accepts",
		"Use upper-case ISO 3166-1 alpha-2 codes from the SMAPI model (241 values): GB, not UK; US, not USA."},
	{"distribution.country-duplicate", Error, "a country is listed twice in distributionCountries",
		"Remove the repeated entry."},
	{"distribution.worldwide-conflict", Error, "isAvailableWorldwide contradicts distributionCountries",
		"With isAvailableWorldwide true, list no countries; with false, list at least one."},
	{"endpoint.lambda-arn", Error, "an endpoint uri starting with arn: is not a well-formed Lambda ARN",
		"Write arn:aws:lambda:REGION:ACCOUNT:function:NAME, optionally followed by :QUALIFIER (an alias or version)."},
	{"endpoint.missing-uri", Warning, "an endpoint has no uri, so a deploy keeps the live endpoint",
		"ask-cli projects often leave the uri out because the infrastructure deploy fills it in. Add it to manage the endpoint from the repository."},
	{"endpoint.region", Error, "a regions key is not NA, EU or FE",
		"Regional endpoints are keyed NA (North America), EU (Europe, India) and FE (Far East)."},
	{"endpoint.ssl-certificate-type", Error, "sslCertificateType is missing on an https endpoint, or present on a Lambda endpoint",
		"Give https endpoints sslCertificateType Trusted, Wildcard or SelfSigned (only Trusted can be certified); remove it from Lambda ARNs."},
	{"endpoint.uri", Error, "an endpoint uri is neither a Lambda ARN nor an https URL (or an https URL where only Lambda is allowed)",
		"Use the function's full ARN or an https URL. Smart home, music, demand response and video skills must use Lambda ARNs."},
	{"events.endpoint", Error, "events is present without an endpoint",
		"Add events.endpoint with the uri that receives skill events."},
	{"example-phrases.count", Error, "a locale has more than 4 examplePhrases",
		"SMAPI accepts at most 4 example phrases; the store shows 3."},
	{"example-phrases.invocation-name", Error, "the first example phrase does not name the invocation name right after the wake word",
		"Certification expects the first phrase to be the wake word, an optional launch phrase and the model's invocationName, e.g. \"Alexa, open space facts\" or \"Alexa, ask space facts for a fact\". Case and punctuation do not matter. An error because certification rejects it; the launch phrases known are per language (en, de, fr, es, it, pt, nl, hi; ar and ja are checked loosely)."},
	{"example-phrases.length", Error, "an example phrase is longer than 200 characters",
		"Shorten the phrase to 200 characters or fewer."},
	{"example-phrases.missing", Warning, "a published locale has no examplePhrases",
		"Certification needs at least one example phrase, the first starting with the wake word."},
	{"example-phrases.no-matching-sample", Warning, "an example phrase's request matches no sample utterance of the locale's model",
		"Stripped of wake word, launch phrase, invocation name and connecting words, each example phrase should be a sample utterance ({slot} matches one or more words). Add it as a sample or reword the phrase. A warning: Alexa may still resolve the phrase. Not checked for ja-JP."},
	{"example-phrases.too-many", Warning, "a locale has 4 examplePhrases; the store shows only 3",
		"Keep the three best phrases."},
	{"example-phrases.wake-word", Error, "the first example phrase does not start with the wake word",
		"Start the first phrase with \"Alexa\", e.g. \"Alexa, open space facts\"."},
	{"file.reference", Error, "a file:// URI in skill.json names no file inside the package",
		"Write file:// URIs relative to the package folder (file://assets/images/en-US_largeIconUri.png) and add the file: an import refuses a package whose URIs name nothing."},
	{"icon.file-uri", Warning, "an icon is a file:// URI, which SMAPI takes only inside a skill package",
		"skillgate deploy sends a package with file:// icons through an upload and import, as ask-cli does; a lone skill.json with file:// icons cannot be deployed through the manifest API. Use an https URL to keep the icon out of the package."},
	{"icon.format", Error, "an icon file is not a PNG or JPEG image",
		"Save the icon as PNG (or JPEG); the format is read from the file's header, not its name."},
	{"icon.size", Error, "an icon file is not 108×108 (small) or 512×512 (large) pixels",
		"Resize the icon: smallIconUri must be 108×108 pixels and largeIconUri 512×512, as SMAPI requires."},
	{"intent.fallback-missing", Warning, "the model has no AMAZON.FallbackIntent",
		"Without it, requests the model does not cover go to the closest intent, often the wrong one. Add {\"name\": \"AMAZON.FallbackIntent\", \"samples\": []}."},
	{"intent.required-builtin", Error, "AMAZON.CancelIntent, HelpIntent, StopIntent or NavigateHomeIntent is missing",
		"Every custom model needs these four built-in intents; add the missing one with \"samples\": []."},
	{"invocation.article", Error, "a two-word invocation name contains the, a, an, for, to or of",
		"Two-word names may not contain an article or connecting word (\"the facts\", \"for fun\"): use another word or a longer name. English locales only: the words mean something else in other languages."},
	{"invocation.characters", Error, "the invocation name has characters other than lower-case letters, spaces, apostrophes and periods",
		"Write the name in lower case and spell numbers out (\"five\"). English locales allow only a to z; other locales any lower-case or caseless letter (with combining marks)."},
	{"invocation.launch-word", Error, "the invocation name contains a launch word (ask, tell, open, start, play, talk to, ...)",
		"Users say launch words before the name, so Alexa cannot tell where it starts: remove ask, tell, open, launch, begin, start, load, play, resume, run, enable, use or talk to. English locales only."},
	{"invocation.missing", Error, "the model has no invocationName, or an empty one",
		"Add the name users say to open the skill to interactionModel.languageModel.invocationName."},
	{"invocation.one-word", Warning, "the invocation name is a single word",
		"Certification accepts one-word names only for a brand the publisher can prove it owns; otherwise use two words or more. A warning because skillgate cannot tell a brand. Not checked for ja-JP, which writes no spaces."},
	{"invocation.wake-word", Error, "the invocation name contains alexa, amazon, echo or computer",
		"A wake word in the name makes Alexa hear a new request: choose a name without them."},
	{"json.duplicate-key", Error, "a key appears twice in one object",
		"JSON readers keep only the last value, which hides the first: remove one of them."},
	{"json.empty", Error, "the file is empty",
		"A skill.json holds one JSON object, {\"manifest\": {...}}; an interaction model one JSON object, {\"interactionModel\": {\"languageModel\": {...}}}."},
	{"json.invalid-utf8", Error, "the file is not valid UTF-8",
		"Save the file as UTF-8."},
	{"json.not-object", Error, "the top level of the file is null or not an object",
		"A skill.json holds one JSON object, {\"manifest\": {...}}; an interaction model one JSON object, {\"interactionModel\": {\"languageModel\": {...}}}."},
	{"json.syntax", Error, "the file is not valid JSON",
		"Fix the syntax at the position shown: often a missing or extra comma, or an unclosed bracket or string."},
	{"json.too-deep", Error, "objects and arrays are nested more than 64 levels deep",
		"Neither a skill.json nor an interaction model is ever this deep: check the file is the one you meant."},
	{"json.too-large", Error, "the file is larger than 5 MiB and was not read",
		"A skill.json is a few kilobytes and an interaction model rarely more than a megabyte: check the file is the one you meant."},
	{"key.unknown", Warning, "a key Amazon's model does not define, in an object whose keys it lists in full",
		"SMAPI ignores keys it does not know, so a misspelt key (publishingInfromation) loses its value silently. Checked in the manifest's top level, publishingInformation, privacyAndCompliance, their locale blocks, and each intent and slot of a model; the message suggests the closest known key."},
	{"locale.invalid", Error, "a locale key or name is not a locale Alexa supports",
		"Use one of the 17 supported locales, written like en-US (language lower case, region upper case, hyphen)."},
	{"manifest.v0-format", Error, "the file uses the v0 format (skillManifest)",
		"Run skillgate migrate -w to rewrite it as v1 (manifest)."},
	{"model.language-model", Error, "a model file has no interactionModel.languageModel",
		"A model file holds {\"interactionModel\": {\"languageModel\": {\"invocationName\": ..., \"intents\": [...]}}}, as ask-cli and the developer console write it."},
	{"model.locale-unpublished", Warning, "a model file is for a locale the manifest does not publish",
		"Add the locale to publishingInformation.locales or delete interactionModels/custom/<locale>.json; until then the model is never used."},
	{"model.missing-locale", Error, "a published locale of a custom skill has no model file, in a package that keeps models",
		"The build fails for a locale without a model: add interactionModels/custom/<locale>.json or stop publishing the locale. Not checked for a lone skill.json or a package without any model, whose models are left as they are live."},
	{"package.size", Error, "the package would zip to more than the 50 MiB a skill package import accepts",
		"Move large media (audio, video, big images) out of the package to a CDN and refer to it by https URL."},
	{"placeholder.endpoint", Error, "an endpoint uri is still a template placeholder",
		"Replace it with the skill's Lambda ARN or https URL."},
	{"placeholder.url", Warning, "a URL is still a template placeholder (example.com, your-domain.com, ...)",
		"Replace it with the real address."},
	{"privacy.locale-unpublished", Warning, "privacyAndCompliance has a locale that publishingInformation does not publish",
		"Add the locale to publishingInformation.locales or remove the privacy entry."},
	{"privacy.policy-url-required", Error, "a published locale has no privacyPolicyUrl although the skill handles personal data or purchases",
		"Certification requires a privacy policy for every published locale when usesPersonalInfo or allowsPurchases is true or a permission reads personal data."},
	{"sample.duplicate", Warning, "a sample utterance appears twice in one intent",
		"Compared without case and extra spaces; remove the repeated one."},
	{"sample.duplicate-across-intents", Error, "the same sample utterance is in two intents",
		"Alexa cannot tell which intent the user means: keep the sample in one intent (compared without case and extra spaces)."},
	{"sample.unknown-slot", Error, "a {slot} in a sample utterance is not a slot of its intent",
		"Add the slot to the intent's slots or fix its name in the sample (intent samples and slot samples are both checked)."},
	{"schema.const", Error, "a value differs from the only one allowed",
		"Use the value the message names."},
	{"schema.enum", Error, "a value is not one of the allowed values",
		"Use one of the values the message lists (the full lists are in schemas/)."},
	{"schema.invalid", Error, "the value breaks a schema rule not covered by a more specific id",
		"Read the message; the schemas are in schemas/."},
	{"schema.max-items", Error, "an array has more items than allowed", "Remove items down to the limit."},
	{"schema.max-length", Error, "a string is longer than allowed", "Shorten it to the limit."},
	{"schema.max-properties", Error, "an object has more entries than allowed", "Remove entries down to the limit."},
	{"schema.maximum", Error, "a number is larger than allowed", "Use a number within the limit."},
	{"schema.min-items", Error, "an array has fewer items than required", "Add items, or remove the empty array."},
	{"schema.min-length", Error, "a string is shorter than allowed", "Lengthen it to the minimum."},
	{"schema.min-properties", Error, "an object has fewer entries than required", "Add entries, or remove the empty object."},
	{"schema.minimum", Error, "a number is smaller than allowed", "Use a number within the limit."},
	{"schema.pattern", Error, "a string does not match the required pattern", "Write the value in the form the pattern requires."},
	{"schema.required", Error, "a required property is missing", "Add the property the message names."},
	{"schema.type", Error, "a value has the wrong JSON type", "Use the type the message names (e.g. true, not \"true\")."},
	{"slot-type.duplicate-value", Warning, "a custom slot type lists a value or synonym twice",
		"Values and synonyms are compared together, without case and extra spaces. A warning: the model builds, but entity resolution matches several values for the repeated word; remove one."},
	{"slot-type.no-values", Error, "a custom slot type has no values and no valueSupplier",
		"Add values to the type, or use a built-in AMAZON.* type instead."},
	{"slot.unknown-type", Error, "a slot's type is neither defined in languageModel.types nor a built-in AMAZON.* type",
		"Define the type in languageModel.types or fix the name (built-in types start with AMAZON.); a slot without a type is reported too."},
	{"smart-home.protocol-version", Warning, "smartHome.protocolVersion is 2, which is no longer certified",
		"Move the skill to Smart Home API version 3."},
	{"text.keywords", Error, "more than 30 keywords, or a keyword longer than 150 characters",
		"Keep at most 30 keywords of at most 150 characters each."},
	{"text.length", Error, "a store text is outside its length limits",
		"name at least 2 characters; summary at most 160; description, updatesDescription and testingInstructions at most 4000."},
	{"url.amazon-host", Error, "a privacy or terms URL has alexa, amazon or aws in its host name",
		"Alexa policy rejects these brands in the domain of linked pages; host the page elsewhere (they may appear in the path)."},
	{"url.https", Error, "a URL is not an absolute https URL",
		"Privacy, terms, icon and endpoint URLs must be absolute and use https."},
}

// Rules returns every rule the validator can emit, sorted by ID.
func Rules() []Rule {
	out := append([]Rule(nil), ruleList...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

var ruleIndex = sync.OnceValue(func() map[string]Rule {
	m := make(map[string]Rule, len(ruleList))
	for _, r := range ruleList {
		m[r.ID] = r
	}
	return m
})

// severityOf is a rule's severity. A test checks that every id emitted is
// registered; an unregistered one counts as an error rather than vanishing.
func severityOf(rule string) Severity {
	if r, ok := ruleIndex()[rule]; ok {
		return r.Severity
	}
	return Error
}
