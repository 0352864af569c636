package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/skillgate/skillgate/internal/jsonfile"
	"github.com/skillgate/skillgate/schemas"
)

// schemaData is the parsed JSON of the embedded schemas, which messages read
// keyword values from (the allowed values, the limit), and the enums the
// cross-field rules share with the schemas.
type schemaData struct {
	docs        map[string]any // schema URL -> parsed schema
	locales     []string
	countries   []string
	categories  []string
	permissions []string
}

// schemaSet is the compiled root schema with its data.
type schemaSet struct {
	*schemaData
	root *jsonschema.Schema
}

// Both are built on first use, not at package init, so commands that never
// validate pay nothing, and loading a package (which checks model file names
// against the locales) does not compile the schemas.
var (
	loadedData = sync.OnceValues(loadSchemaData)
	compiled   = sync.OnceValues(compileSchemas)
)

func loadSchemaData() (*schemaData, error) {
	data := &schemaData{docs: map[string]any{}}
	for _, name := range schemas.Names() {
		b, err := fs.ReadFile(schemas.FS(), name)
		if err != nil {
			return nil, fmt.Errorf("reading embedded schema %s: %w", name, err)
		}
		var doc any
		if err := json.Unmarshal(b, &doc); err != nil {
			return nil, fmt.Errorf("parsing schema %s: %w", name, err)
		}
		data.docs[schemas.BaseURL+name] = doc
	}
	for _, e := range []struct {
		dst  *[]string
		file string
		def  string
	}{
		{&data.locales, "publishing.schema.json", "locale"},
		{&data.countries, "distribution.schema.json", "DistributionCountries"},
		{&data.categories, "publishing.schema.json", "category"},
		{&data.permissions, "permissions.schema.json", "PermissionName"},
	} {
		v, _ := jsonfile.Resolve(data.docs[schemas.BaseURL+e.file], "/$defs/"+e.def+"/enum")
		*e.dst = append(*e.dst, stringsOf(v)...)
		if len(*e.dst) == 0 {
			return nil, fmt.Errorf("schema %s has no $defs/%s enum", e.file, e.def)
		}
	}
	return data, nil
}

func compileSchemas() (*schemaSet, error) {
	data, err := loadedData()
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.LoadURL = func(s string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("schema %s is not embedded (skillgate never fetches schemas)", s)
	}
	for _, name := range schemas.Names() {
		b, err := fs.ReadFile(schemas.FS(), name)
		if err != nil {
			return nil, fmt.Errorf("reading embedded schema %s: %w", name, err)
		}
		if err := c.AddResource(schemas.BaseURL+name, bytes.NewReader(b)); err != nil {
			return nil, fmt.Errorf("loading schema %s: %w", name, err)
		}
	}
	root, err := c.Compile(schemas.BaseURL + schemas.Root)
	if err != nil {
		return nil, fmt.Errorf("compiling schemas: %w", err)
	}
	return &schemaSet{schemaData: data, root: root}, nil
}

// schemaFindings validates the decoded manifest and turns every leaf error
// into a finding.
func (s *schemaSet) findings(doc *Document) []Finding {
	err := s.root.Validate(doc.Value)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		f, _ := doc.find("", "schema.invalid", "the schema check could not run: "+err.Error())
		return []Finding{f}
	}
	var out []Finding
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		out = append(out, s.leaf(doc, e)...)
	}
	walk(ve)
	return out
}

// instancePointer turns the library's InstanceLocation, whose tokens are
// JSON-pointer escaped and then URL-path escaped, into an RFC 6901 pointer.
func instancePointer(loc string) string {
	if loc == "" {
		return ""
	}
	toks := strings.Split(strings.TrimPrefix(loc, "/"), "/")
	for i, t := range toks {
		if u, err := url.PathUnescape(t); err == nil {
			toks[i] = u
		}
	}
	return "/" + strings.Join(toks, "/")
}

func (s *schemaSet) leaf(doc *Document, e *jsonschema.ValidationError) []Finding {
	ptr := instancePointer(e.InstanceLocation)
	schemaURL, frag, _ := strings.Cut(e.AbsoluteKeywordLocation, "#")
	keyword := frag[strings.LastIndexByte(frag, '/')+1:]
	kw, _ := jsonfile.Resolve(s.docs[schemaURL], frag)
	value, _ := jsonfile.Resolve(doc.Value, ptr)
	name := displayName(ptr)
	var out []Finding
	add := func(ptr, rule, msg string) {
		if f, ok := doc.find(ptr, rule, msg); ok {
			out = append(out, f)
		}
	}
	switch keyword {
	case "required":
		missingRequired(ptr, name, value, kw, add)
	case "type":
		add(ptr, "schema.type", fmt.Sprintf("%s must be %s, not %s", name, typeNames(kw), jsonfile.Kind(value)))
	case "enum":
		rule, msg := enumFinding(ptr, name, value, kw)
		add(ptr, rule, msg)
	case "const":
		add(ptr, "schema.const", fmt.Sprintf("%s must be %s", name, jsonText(kw)))
	case "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties":
		rule, msg := sizeFinding(keyword, ptr, name, value, kw)
		add(ptr, rule, msg)
	case "minimum":
		add(ptr, "schema.minimum", fmt.Sprintf("%s is %v; the minimum is %s", name, value, jsonText(kw)))
	case "maximum":
		add(ptr, "schema.maximum", fmt.Sprintf("%s is %v; the maximum is %s", name, value, jsonText(kw)))
	case "pattern":
		add(ptr, "schema.pattern", fmt.Sprintf("%s: %s does not match the pattern %s", name, jsonText(value), jsonText(kw)))
	default:
		add(ptr, "schema.invalid", fmt.Sprintf("%s: %s", name, e.Message))
	}
	return out
}

// missingRequired reports each property of the required list kw that the
// object value at ptr lacks, at the pointer the property would have.
func missingRequired(ptr, name string, value, kw any, add func(ptr, rule, msg string)) {
	obj, _ := value.(map[string]any)
	req, _ := kw.([]any)
	for _, r := range req {
		prop, _ := r.(string)
		if _, ok := obj[prop]; ok {
			continue
		}
		add(ptr+"/"+jsonfile.EscapePointer(prop), "schema.required",
			fmt.Sprintf("%s is missing the required property %q", name, prop))
	}
}

// enumFinding is the rule and message for a value outside the enum kw:
// a suggestion when one allowed value is close, else the allowed list.
func enumFinding(ptr, name string, value, kw any) (rule, msg string) {
	allowed := stringsOf(kw)
	got := fmt.Sprint(value)
	if str, ok := value.(string); ok {
		got = strconv.Quote(str)
	}
	rule = "schema.enum"
	msg = fmt.Sprintf("%s: %s is not an allowed value", name, got)
	if countryItem.MatchString(ptr) {
		rule = "distribution.country-code"
		msg = fmt.Sprintf("%s is not a country code SMAPI accepts (ISO 3166-1 alpha-2, upper case)", got)
	}
	if str, ok := value.(string); ok {
		if sug := suggest(str, allowed, countryAliases); sug != "" {
			return rule, msg + fmt.Sprintf("; did you mean %q?", sug)
		}
	}
	return rule, msg + "; allowed: " + listValues(allowed)
}

// sizeFinding is the rule and message for a string, array or object at ptr
// outside the length, item or entry limit kw of keyword.
func sizeFinding(keyword, ptr, name string, value, kw any) (rule, msg string) {
	limit := jsonText(kw)
	switch keyword {
	case "minLength", "maxLength":
		str, _ := value.(string)
		n := utf8.RuneCountInString(str)
		rule, msg = "schema.min-length", fmt.Sprintf("%s is %d characters long; the minimum is %s", name, n, limit)
		if keyword == "maxLength" {
			rule, msg = "schema.max-length", fmt.Sprintf("%s is %d characters long; the limit is %s", name, n, limit)
		}
		return textRule(ptr, rule), msg
	case "minItems", "maxItems":
		arr, _ := value.([]any)
		rule, msg = "schema.min-items", fmt.Sprintf("%s has %d items; at least %s are needed", name, len(arr), limit)
		if keyword == "maxItems" {
			rule, msg = "schema.max-items", fmt.Sprintf("%s has %d items; at most %s are allowed", name, len(arr), limit)
		}
		return textRule(ptr, rule), msg
	}
	obj, _ := value.(map[string]any)
	rule, msg = "schema.min-properties", fmt.Sprintf("%s has %d entries; at least %s are needed", name, len(obj), limit)
	if keyword == "maxProperties" {
		rule, msg = "schema.max-properties", fmt.Sprintf("%s has %d entries; at most %s are allowed", name, len(obj), limit)
	}
	return rule, msg
}

var countryItem = regexp.MustCompile(`^/manifest/publishingInformation/distributionCountries/\d+$`)

// textRule gives the store texts' limits (issue 3, rule 8) their own rule
// ids; the limits themselves come from the schemas.
func textRule(ptr, rule string) string {
	switch {
	case textField.MatchString(ptr):
		return "text.length"
	case keywordsField.MatchString(ptr):
		return "text.keywords"
	}
	return rule
}

var (
	textField     = regexp.MustCompile(`^/manifest/publishingInformation/(testingInstructions|locales/[^/]+/(name|summary|description|updatesDescription))$`)
	keywordsField = regexp.MustCompile(`^/manifest/publishingInformation/locales/[^/]+/keywords(/\d+)?$`)
)

// displayName renders a pointer the way people write the path:
// manifest.apis.custom.interfaces[0].type.
func displayName(ptr string) string {
	if ptr == "" {
		return "the file"
	}
	var b strings.Builder
	for i, t := range strings.Split(ptr[1:], "/") {
		t = jsonfile.UnescapePointer(t)
		if _, err := strconv.Atoi(t); err == nil {
			b.WriteString("[" + t + "]")
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(t)
	}
	return b.String()
}

func typeNames(kw any) string {
	names := map[string]string{"string": "a string", "number": "a number", "integer": "an integer",
		"boolean": "a boolean", "object": "an object", "array": "an array", "null": "null"}
	var parts []string
	for _, t := range stringsOf(kw) {
		parts = append(parts, names[t])
	}
	if t, ok := kw.(string); ok {
		parts = append(parts, names[t])
	}
	return strings.Join(parts, " or ")
}

func stringsOf(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		} else {
			out = append(out, jsonText(x))
		}
	}
	return out
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// listValues quotes the allowed values, shortening long lists: the full
// lists are in the schemas and the README.
func listValues(values []string) string {
	const show = 12
	q := make([]string, 0, show)
	for i, v := range values {
		if i == show {
			break
		}
		q = append(q, strconv.Quote(v))
	}
	s := strings.Join(q, ", ")
	if len(values) > show {
		s += fmt.Sprintf(" and %d more", len(values)-show)
	}
	return s
}
