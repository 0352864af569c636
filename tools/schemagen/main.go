// Command schemagen derives skillgate's JSON Schemas (schemas/*.schema.json)
// from Amazon's SMAPI Swagger model, so that the enums (locales, countries,
// permissions, event names, interface types) and the text limits in the
// schemas are Amazon's, not retyped by hand.
//
// Amazon publishes no static JSON Schema for skill.json; the Swagger
// definitions v1.skill.Manifest.* are the closest machine-readable source.
// The generator converts them to draft 2020-12, splits them by concern into
// one file each, turns Swagger discriminators into if/then branches, and
// removes the few constraints that skillgate's cross-field rules report with
// a better message (each removal leaves a $comment naming the rule).
//
// Usage (from the repository root; see go:generate in schemas/):
//
//	go run ./tools/schemagen -spec tools/schemagen/testdata/manifest-model.json -out schemas
//
// -spec accepts the full spec.json as well as the trimmed copy kept in
// testdata, since only its definitions are read.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("schemagen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	spec := fs.String("spec", "tools/schemagen/testdata/manifest-model.json", "SMAPI Swagger model (spec.json or the trimmed copy)")
	out := fs.String("out", "schemas", "folder to write the *.schema.json files to")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	raw, err := os.ReadFile(*spec)
	if err != nil {
		fmt.Fprintf(stderr, "schemagen: %v\n", err)
		return 2
	}
	files, err := generate(raw)
	if err != nil {
		fmt.Fprintf(stderr, "schemagen: %v\n", err)
		return 1
	}
	for _, name := range sortedKeys(files) {
		if err := os.WriteFile(filepath.Join(*out, name), files[name], 0o644); err != nil {
			fmt.Fprintf(stderr, "schemagen: %v\n", err)
			return 1
		}
	}
	return 0
}

// BaseURL is the $id prefix of every generated schema. It is never fetched:
// the validator registers the embedded files under these URLs.
const BaseURL = "https://skillgate.dev/schemas/"

const defPrefix = "#/definitions/v1.skill.Manifest."

// concern names each schema file and the definition at its root.
type concern struct {
	file  string // without .schema.json
	title string
	root  string
	defs  []string
}

// concerns splits the model as issue 3 asks. Definitions not listed belong
// to "apis" (apis and endpoints are by far the largest part of the model).
var concerns = []concern{
	{"envelope", "skill.json envelope and manifestVersion", "SkillManifestEnvelope", []string{
		"SkillManifestEnvelope", "SkillManifest", "ManifestVersion",
		"AuthorizedClient", "AuthorizedClientLwa", "AuthorizedClientLwaApplication", "AuthorizedClientLwaApplicationAndroid",
	}},
	{"publishing", "manifest.publishingInformation and a locale entry", "SkillManifestPublishingInformation", []string{
		"SkillManifestPublishingInformation", "SkillManifestLocalizedPublishingInformation",
		"AutomaticClonedLocale", "LocalesByAutomaticClonedLocale", "AutomaticDistribution", "SourceLanguageForLocales",
		"ManifestGadgetSupport", "DistributionMode", "GadgetSupportRequirement", "CustomProductPrompts",
		"PaidSkillInformation", "MarketplacePricing", "OfferType", "Currency", "TaxInformation", "TaxInformationCategory",
		"SubscriptionInformation", "SubscriptionPaymentFrequency", "FreeTrialInformation",
	}},
	{"privacy", "manifest.privacyAndCompliance", "SkillManifestPrivacyAndCompliance", []string{
		"SkillManifestPrivacyAndCompliance", "ShoppingKit", "SkillManifestLocalizedPrivacyAndCompliance",
	}},
	{"distribution", "manifest.publishingInformation.distributionCountries", "DistributionCountryList", []string{
		"DistributionCountries",
	}},
	{"apis", "manifest.apis and endpoints", "SkillManifestApis", nil},
	{"permissions", "manifest.permissions", "PermissionList", []string{
		"PermissionItems", "PermissionName",
	}},
	{"events", "manifest.events", "SkillManifestEvents", []string{
		"SkillManifestEvents", "EventName", "EventNameType", "EventPublications",
	}},
}

// Categories are not in the SMAPI model (it types category as a free
// string). This is the documented "Category enumeration" of the Skill
// Manifest Schema page of Amazon's documentation (59 values).
var categories = []string{
	"ALARMS_AND_CLOCKS", "ASTROLOGY", "BUSINESS_AND_FINANCE", "CALCULATORS", "CALENDARS_AND_REMINDERS",
	"CHILDRENS_EDUCATION_AND_REFERENCE", "CHILDRENS_GAMES", "CHILDRENS_MUSIC_AND_AUDIO", "CHILDRENS_NOVELTY_AND_HUMOR",
	"COMMUNICATION", "CONNECTED_CAR", "COOKING_AND_RECIPE", "CURRENCY_GUIDES_AND_CONVERTERS", "DATING",
	"DELIVERY_AND_TAKEOUT", "DEVICE_TRACKING", "EDUCATION_AND_REFERENCE", "EVENT_FINDERS", "EXERCISE_AND_WORKOUT",
	"FASHION_AND_STYLE", "FLIGHT_FINDERS", "FRIENDS_AND_FAMILY", "GAME_INFO_AND_ACCESSORY", "GAMES",
	"HEALTH_AND_FITNESS", "HOTEL_FINDERS", "KNOWLEDGE_AND_TRIVIA", "MOVIE_AND_TV_KNOWLEDGE_AND_TRIVIA",
	"MOVIE_INFO_AND_REVIEWS", "MOVIE_SHOWTIMES", "MUSIC_AND_AUDIO_ACCESSORIES", "MUSIC_AND_AUDIO_KNOWLEDGE_AND_TRIVIA",
	"MUSIC_INFO_REVIEWS_AND_RECOGNITION_SERVICE", "NAVIGATION_AND_TRIP_PLANNER", "NEWS", "NOVELTY",
	"ORGANIZERS_AND_ASSISTANTS", "PETS_AND_ANIMAL", "PODCAST", "PUBLIC_TRANSPORTATION", "RELIGION_AND_SPIRITUALITY",
	"RESTAURANT_BOOKING_INFO_AND_REVIEW", "SCHOOLS", "SCORE_KEEPING", "SELF_IMPROVEMENT", "SHOPPING", "SMART_HOME",
	"SOCIAL_NETWORKING", "SPORTS_GAMES", "SPORTS_NEWS", "STREAMING_SERVICE", "TAXI_AND_RIDESHARING",
	"TO_DO_LISTS_AND_NOTES", "TRANSLATORS", "TV_GUIDES", "UNIT_CONVERTERS", "WEATHER", "WINE_AND_BEVERAGE",
	"ZIP_CODE_LOOKUP",
}

type obj = map[string]any

type generator struct {
	defs   map[string]obj    // short name -> Swagger definition
	fileOf map[string]string // short name -> concern file
	// subtypes: base definition -> discriminator value -> subtype name
	subtypes map[string]map[string]string
}

func generate(spec []byte) (map[string][]byte, error) {
	g, err := newGenerator(spec)
	if err != nil {
		return nil, err
	}
	out, err := g.schemas()
	if err != nil {
		return nil, err
	}
	return encodeSchemas(out)
}

// newGenerator reads the model's v1.skill.Manifest.* definitions, assigns
// each to its concern file and indexes the discriminated subtypes.
func newGenerator(spec []byte) (*generator, error) {
	var model struct {
		Definitions map[string]obj `json:"definitions"`
	}
	if err := json.Unmarshal(spec, &model); err != nil {
		return nil, fmt.Errorf("reading the model: %w", err)
	}
	g := &generator{defs: map[string]obj{}, fileOf: map[string]string{}, subtypes: map[string]map[string]string{}}
	for name, d := range model.Definitions {
		if short, ok := strings.CutPrefix(name, "v1.skill.Manifest."); ok {
			g.defs[short] = d
			g.fileOf[short] = "apis"
		}
	}
	if len(g.defs) == 0 {
		return nil, errors.New("no v1.skill.Manifest.* definitions in the model: is this Amazon's SMAPI spec.json?")
	}
	for _, c := range concerns {
		for _, d := range c.defs {
			if _, ok := g.defs[d]; !ok && d != "DistributionCountries" {
				return nil, fmt.Errorf("definition v1.skill.Manifest.%s is missing from the model", d)
			}
			g.fileOf[d] = c.file
		}
	}
	g.fileOf["DistributionCountryList"] = "distribution"
	g.fileOf["PermissionList"] = "permissions"
	g.fileOf["locale"] = "publishing"
	g.fileOf["category"] = "publishing"
	for name, d := range g.defs {
		v, ok := d["x-discriminator-value"].(string)
		if !ok {
			continue
		}
		all, _ := d["allOf"].([]any)
		if len(all) == 0 {
			return nil, fmt.Errorf("%s has a discriminator value but no allOf", name)
		}
		base := refName(all[0])
		if g.subtypes[base] == nil {
			g.subtypes[base] = map[string]string{}
		}
		g.subtypes[base][v] = name
	}
	return g, nil
}

// schemas converts every definition into the $defs of its concern file,
// adds the synthetic definitions and applies the overrides.
func (g *generator) schemas() (map[string]obj, error) {
	locales, err := g.locales()
	if err != nil {
		return nil, err
	}
	out := map[string]obj{}
	for _, c := range concerns {
		out[c.file] = obj{}
	}
	for name := range g.defs {
		out[g.fileOf[name]][name] = g.definition(name)
	}
	// Synthetic definitions: the locale and category lists, and list roots
	// so that distribution.schema.json and permissions.schema.json describe
	// the arrays they name.
	out["publishing"]["locale"] = obj{"type": "string", "enum": toAny(locales),
		"description": "A locale Alexa supports (from the SMAPI model's LocalizedName.locale pattern)."}
	out["publishing"]["category"] = obj{"type": "string", "enum": toAny(categories),
		"$comment": "Documented categories; not referenced by any property because live skills use values outside this list (rule category.unknown, a warning).",
	}
	out["distribution"]["DistributionCountryList"] = obj{"type": "array", "items": obj{"$ref": "#/$defs/DistributionCountries"},
		"$comment": "Duplicates are reported by rule distribution.country-duplicate; unknown codes by distribution.country-code."}
	out["permissions"]["PermissionList"] = obj{"type": "array", "items": obj{"$ref": "#/$defs/PermissionItems"}}
	if err := g.override(out); err != nil {
		return nil, err
	}
	return out, nil
}

// encodeSchemas writes one schema file per concern around its $defs.
func encodeSchemas(out map[string]obj) (map[string][]byte, error) {
	files := map[string][]byte{}
	for _, c := range concerns {
		doc := obj{
			"$schema":  "https://json-schema.org/draft/2020-12/schema",
			"$id":      BaseURL + c.file + ".schema.json",
			"title":    c.title,
			"$comment": "Generated by tools/schemagen from Amazon's SMAPI model (v1.skill.Manifest.* definitions, Apache-2.0). Do not edit by hand: change the generator and run go generate ./schemas.",
			"$ref":     "#/$defs/" + c.root,
			"$defs":    out[c.file],
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc); err != nil {
			return nil, fmt.Errorf("encoding %s: %w", c.file, err)
		}
		files[c.file+".schema.json"] = buf.Bytes()
	}
	return files, nil
}

var localePattern = regexp.MustCompile(`^\^\(([A-Za-z|-]+)\)\$$`)

// locales reads the 17 supported locales from the only place the model
// lists them: the pattern of LocalizedName.locale.
func (g *generator) locales() ([]string, error) {
	ln := g.defs["LocalizedName"]
	props, _ := ln["properties"].(obj)
	loc, _ := props["locale"].(obj)
	p, _ := loc["pattern"].(string)
	m := localePattern.FindStringSubmatch(p)
	if m == nil {
		return nil, fmt.Errorf("LocalizedName.locale pattern %q is not a list of locales", p)
	}
	return strings.Split(m[1], "|"), nil
}

func refName(v any) string {
	o, _ := v.(obj)
	r, _ := o["$ref"].(string)
	return strings.TrimPrefix(r, defPrefix)
}

func (g *generator) ref(from, name string) string {
	if g.fileOf[name] == from {
		return "#/$defs/" + name
	}
	return g.fileOf[name] + ".schema.json#/$defs/" + name
}

// definition converts one Swagger definition. A subtype (allOf [base, ext]
// with x-discriminator-value) becomes only its extension; the base gets an
// if/then per discriminator value pointing at it.
func (g *generator) definition(name string) obj {
	d := g.defs[name]
	file := g.fileOf[name]
	if _, ok := d["x-discriminator-value"]; ok {
		all, _ := d["allOf"].([]any)
		ext := obj{"type": "object"}
		for _, part := range all[1:] {
			if o, ok := part.(obj); ok {
				ext = g.convert(o, file)
			}
		}
		if desc, ok := d["description"].(string); ok {
			ext["description"] = desc
		}
		return ext
	}
	s := g.convert(d, file)
	if subs := g.subtypes[name]; len(subs) > 0 {
		prop := discriminatorProperty(d)
		var branches []any
		for _, v := range sortedKeys(subs) {
			branches = append(branches, obj{
				"if":   obj{"properties": obj{prop: obj{"const": v}}, "required": []any{prop}},
				"then": obj{"$ref": g.ref(file, subs[v])},
			})
		}
		s["allOf"] = branches
	}
	return s
}

func discriminatorProperty(d obj) string {
	if p, ok := d["discriminator"].(string); ok {
		return p
	}
	props, _ := d["properties"].(obj)
	for _, k := range sortedKeys(props) {
		if o, ok := props[k].(obj); ok && o["x-isDiscriminator"] == true {
			return k
		}
	}
	// AuthorizedClient declares no discriminator; its one required
	// property (authenticationProvider) plays that part.
	if req, ok := d["required"].([]any); ok && len(req) == 1 {
		if r, ok := req[0].(string); ok {
			return r
		}
	}
	return "type"
}

// kept lists the Swagger keywords that mean the same in JSON Schema 2020-12.
// "format" is dropped: the model uses non-standard formats, and the uri
// format on endpoints is checked by the endpoint rules.
var kept = []string{"type", "enum", "description", "minLength", "maxLength", "minItems", "maxItems",
	"minProperties", "maxProperties", "minimum", "maximum", "pattern"}

func (g *generator) convert(s obj, file string) obj {
	out := obj{}
	if _, ok := s["$ref"]; ok {
		out["$ref"] = g.ref(file, refName(s))
		if desc, ok := s["description"].(string); ok {
			out["description"] = desc
		}
		return out
	}
	for _, k := range kept {
		if v, ok := s[k]; ok {
			out[k] = v
		}
	}
	if req, ok := s["required"].([]any); ok && len(req) > 0 {
		r := slices.Clone(req)
		sort.Slice(r, func(i, j int) bool { return fmt.Sprint(r[i]) < fmt.Sprint(r[j]) })
		out["required"] = r
	}
	if props, ok := s["properties"].(obj); ok {
		p := obj{}
		for k, v := range props {
			if o, ok := v.(obj); ok {
				p[k] = g.convert(o, file)
			}
		}
		out["properties"] = p
	}
	if items, ok := s["items"].(obj); ok {
		out["items"] = g.convert(items, file)
	}
	switch ap := s["additionalProperties"].(type) {
	case obj:
		out["additionalProperties"] = g.convert(ap, file)
	case bool:
		out["additionalProperties"] = ap
	}
	if all, ok := s["allOf"].([]any); ok {
		var parts []any
		for _, p := range all {
			if o, ok := p.(obj); ok {
				parts = append(parts, g.convert(o, file))
			}
		}
		out["allOf"] = parts
	}
	return out
}

// override adjusts the converted model where skillgate knows more than the
// Swagger file, or where a cross-field rule reports the same thing better.
// Each change is recorded in a $comment so a reviewer sees why.
func (g *generator) override(out map[string]obj) error {
	for _, e := range g.edits() {
		o, err := lookup(out, e.file, e.def, e.path...)
		if err != nil {
			return err
		}
		e.apply(o)
	}
	return nil
}

// lookup finds the object at path inside definition def of file.
func lookup(out map[string]obj, file, def string, path ...string) (obj, error) {
	cur, ok := out[file][def].(obj)
	if !ok {
		return nil, fmt.Errorf("override: %s is not in %s", def, file)
	}
	for _, p := range path {
		next, ok := cur[p].(obj)
		if !ok {
			return nil, fmt.Errorf("override: %s/%s has no %q", def, strings.Join(path, "/"), p)
		}
		cur = next
	}
	return cur, nil
}

// edit is one override: apply changes the object at path in def of file.
type edit struct {
	file, def string
	path      []string
	apply     func(obj)
}

// edits lists the overrides, in the order they are applied.
func (g *generator) edits() []edit {
	return []edit{
		{"envelope", "SkillManifestEnvelope", nil, func(o obj) {
			o["required"] = []any{"manifest"}
			o["$comment"] = "A v0 file (skillManifest) is reported by rule manifest.v0-format before the schemas run."
		}},
		{"envelope", "SkillManifest", nil, func(o obj) {
			o["required"] = []any{"manifestVersion"}
			o["$comment"] = "manifestVersion is required by the Skill Manifest Schema page, though optional in the model."
		}},
		{"apis", "SkillManifestEndpoint", nil, endpointOverride},
		{"apis", "LambdaEndpoint", nil, endpointOverride},
		{"events", "SkillManifestEvents", nil, func(o obj) {
			delete(o, "required")
			o["$comment"] = "A missing endpoint is reported by rule events.endpoint."
		}},
		{"publishing", "SkillManifestLocalizedPublishingInformation", []string{"properties", "examplePhrases"}, func(o obj) {
			delete(o, "maxItems")
			if it, ok := o["items"].(obj); ok {
				delete(it, "maxLength")
			}
			o["$comment"] = "Count (at most 4) and length (at most 200) are reported by rules example-phrases.count and example-phrases.length."
		}},
		{"publishing", "SkillManifestPublishingInformation", []string{"properties", "category"}, func(o obj) {
			o["$comment"] = "A free string in the model; unknown values are a warning (rule category.unknown) against #/$defs/category."
		}},
		{"publishing", "SkillManifestPublishingInformation", []string{"properties", "distributionCountries"}, replaceWithRef("distribution.schema.json")},
		{"apis", "LocalizedName", []string{"properties", "locale"}, replaceWithRef("publishing.schema.json#/$defs/locale")},
		{"envelope", "SkillManifest", []string{"properties", "permissions"}, replaceWithRef("permissions.schema.json")},
		{"apis", "Interface", []string{"properties", "type"}, func(o obj) {
			// The discriminator values include ALEXA_PRESENTATION_HTML,
			// which the InterfaceType enum lacks.
			enum := g.enum("InterfaceType")
			for _, v := range sortedKeys(g.subtypes["Interface"]) {
				if !slices.Contains(enum, any(v)) {
					enum = append(enum, v)
				}
			}
			o["enum"] = enum
		}},
	}
}

// replaceWithRef makes a property a bare $ref to a definition kept in one
// place.
func replaceWithRef(ref string) func(obj) {
	return func(o obj) {
		for k := range o {
			delete(o, k)
		}
		o["$ref"] = ref
	}
}

func endpointOverride(o obj) {
	delete(o, "required")
	if props, ok := o["properties"].(obj); ok {
		if uri, ok := props["uri"].(obj); ok {
			delete(uri, "pattern")
		}
	}
	o["$comment"] = "uri (missing: endpoint.missing-uri, a warning; shape: endpoint.lambda-arn, endpoint.uri) and sslCertificateType (endpoint.ssl-certificate-type) are checked by cross-field rules."
}

func (g *generator) enum(name string) []any {
	e, _ := g.defs[name]["enum"].([]any)
	return slices.Clone(e)
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
