package validate

import (
	"encoding/json"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/skillgate/skillgate/internal/jsonfile"
)

// modelSkill, modelEnUS and modelDeDE form a package that passes every
// rule; each case below edits it a little. The layout matters: the edits
// replace exact text, and the dialog's "intents": [{ is spelt apart from the
// language model's "intents": [ so that either can be found.
const modelSkill = `{
  "manifest": {
    "manifestVersion": "1.0",
    "publishingInformation": {
      "locales": {
        "en-US": {
          "name": "Space Facts",
          "examplePhrases": [
            "Alexa, open space facts",
            "Alexa, ask space facts for a fact",
            "Alexa, ask space facts to tell me about the red planet"
          ]
        },
        "de-DE": {
          "name": "Weltraumfakten",
          "examplePhrases": ["Alexa, öffne Fakten aus dem All", "Alexa, frag Fakten aus dem All nach einem Fakt"]
        }
      },
      "isAvailableWorldwide": true,
      "distributionMode": "PUBLIC",
      "category": "EDUCATION_AND_REFERENCE",
      "testingInstructions": "Say: Alexa, open space facts."
    },
    "apis": {
      "custom": {
        "endpoint": {"uri": "arn:aws:lambda:us-east-1:123412341234:function:space-facts"}
      }
    }
  }
}`

const modelEnUS = `{
  "interactionModel": {
    "languageModel": {
      "invocationName": "space facts",
      "intents": [
        {
          "name": "GetFactIntent",
          "slots": [],
          "samples": ["a fact", "give me a fact"]
        },
        {
          "name": "PlanetIntent",
          "slots": [
            {"name": "planet", "type": "PLANET", "samples": ["{planet}", "about {planet}"]},
            {"name": "when", "type": "AMAZON.DATE"}
          ],
          "samples": ["tell me about {planet}", "what happened on {planet} {when}"]
        },
        {"name": "AMAZON.CancelIntent", "samples": []},
        {"name": "AMAZON.HelpIntent", "samples": []},
        {"name": "AMAZON.StopIntent", "samples": []},
        {"name": "AMAZON.NavigateHomeIntent", "samples": []},
        {"name": "AMAZON.FallbackIntent", "samples": []}
      ],
      "types": [
        {
          "name": "PLANET",
          "values": [
            {"id": "MARS", "name": {"value": "mars", "synonyms": ["the red planet"]}},
            {"id": "VENUS", "name": {"value": "venus", "synonyms": ["the morning star"]}}
          ]
        }
      ]
    },
    "dialog": {
      "intents": [{
        "name": "PlanetIntent",
        "confirmationRequired": true,
        "prompts": {"confirmation": "Confirm.Intent.Planet"},
        "slots": [
          {
            "name": "planet",
            "type": "PLANET",
            "elicitationRequired": true,
            "prompts": {"elicitation": "Elicit.Slot.Planet"},
            "validations": [{"type": "hasEntityResolutionMatch", "prompt": "Invalid.Slot.Planet"}]
          }
        ]
      }]
    },
    "prompts": [
      {"id": "Confirm.Intent.Planet", "variations": [{"type": "PlainText", "value": "Shall I?"}]},
      {"id": "Elicit.Slot.Planet", "variations": [{"type": "PlainText", "value": "Which planet?"}]},
      {"id": "Invalid.Slot.Planet", "variations": [{"type": "PlainText", "value": "I do not know that one."}]}
    ]
  }
}`

const modelDeDE = `{
  "interactionModel": {
    "languageModel": {
      "invocationName": "fakten aus dem all",
      "intents": [
        {"name": "GetFactIntent", "samples": ["nach einem Fakt", "erzähl mir einen Fakt"]},
        {"name": "AMAZON.CancelIntent", "samples": []},
        {"name": "AMAZON.HelpIntent", "samples": []},
        {"name": "AMAZON.StopIntent", "samples": []},
        {"name": "AMAZON.NavigateHomeIntent", "samples": []},
        {"name": "AMAZON.FallbackIntent", "samples": []}
      ]
    }
  }
}`

// A Japanese locale, added by the cases that need one.
var (
	addJapanese = repl{"skill.json", `"de-DE": {`, `"ja-JP": {"name": "宇宙", "examplePhrases": ["アレクサ、宇宙の豆知識を開いて"]},
        "de-DE": {`}
	japaneseModel = repl{"ja-JP", "", strings.Replace(modelDeDE, "fakten aus dem all", "宇宙の豆知識", 1)}
)

// repl edits one file of the package: it replaces old, which must occur
// exactly once, with new. With old "" it writes new as the whole file; with
// both "" it deletes the file. The file is "skill.json" or a model's locale.
type repl struct{ file, old, new string }

// modelMark, put into an edit's new text, is where the expected finding must
// be: the test takes line and column from the fixture text itself, not from
// the position map under test.
const modelMark = "«"

type modelCase struct {
	rule  string
	name  string
	edits []repl
	sev   Severity // 0: a valid case, the rule must not fire
	ptr   string   // the finding's pointer
	msg   string   // a substring of its message
}

const (
	mEN = "/manifest/publishingInformation/locales/en-US"
	mDE = "/manifest/publishingInformation/locales/de-DE"
	lmI = "/interactionModel/languageModel/intents"
	lmT = "/interactionModel/languageModel/types/0"
	dlg = "/interactionModel/dialog/intents/0"
)

func enUS(old, new string) repl { return repl{"en-US", old, new} }
func de(old, new string) repl   { return repl{"de-DE", old, new} }
func sk(old, new string) repl   { return repl{"skill.json", old, new} }

// invocation sets the en-US invocation name; markedInvocation expects the
// finding there.
func invocation(name string) repl       { return enUS(`"space facts"`, name) }
func markedInvocation(name string) repl { return enUS(`"space facts"`, modelMark+name) }

var modelCases = []modelCase{
	// Model files and published locales.
	{"model.locale-unpublished", "every model's locale published", nil, 0, "", ""},
	{"model.locale-unpublished", "fr-FR model", []repl{{"fr-FR", "", modelMark + modelDeDE}}, Warning, "", "does not publish locale fr-FR"},
	{"model.locale-unpublished", "misnamed file is locale.invalid only", []repl{{"fr-XX", "", modelDeDE}}, 0, "", ""},
	{"model.missing-locale", "no de-DE model", []repl{{"de-DE", "", ""}, sk(`"de-DE": {`, `"de-DE": `+modelMark+`{`)}, Error, mDE, "interactionModels/custom/de-DE.json does not exist"},
	{"model.missing-locale", "a package without models", []repl{{"de-DE", "", ""}, {"en-US", "", ""}}, 0, "", ""},
	{"model.language-model", "no languageModel", []repl{{"en-US", "", `{"interactionModel": ` + modelMark + `{"dialog": {}}}`}}, Error, "/interactionModel/languageModel", "no interactionModel.languageModel"},
	{"model.language-model", "languageModel of the wrong type", []repl{{"en-US", "", `{"interactionModel": {"languageModel": []}}`}}, 0, "", ""},
	// invocationName.
	{"invocation.missing", "empty", []repl{markedInvocation(`""`)}, Error, "/interactionModel/languageModel/invocationName", "no invocationName"},
	{"invocation.missing", "absent", []repl{enUS(`"invocationName": "space facts",`, ""), enUS(`"languageModel": {`, `"languageModel": `+modelMark+`{`)}, Error, "/interactionModel/languageModel/invocationName", "no invocationName"},
	{"invocation.missing", "a number is not reported", []repl{enUS(`"space facts"`, "7")}, 0, "", ""},
	{"invocation.characters", "upper case", []repl{markedInvocation(`"Space Facts"`)}, Error, "/interactionModel/languageModel/invocationName", `write it in lower case, "space facts"`},
	{"invocation.characters", "digit", []repl{markedInvocation(`"space facts 2"`)}, Error, "/interactionModel/languageModel/invocationName", "spell numbers out"},
	{"invocation.characters", "accent in English", []repl{markedInvocation(`"café facts"`)}, Error, "/interactionModel/languageModel/invocationName", "only the letters a to z"},
	{"invocation.characters", "hyphen", []repl{markedInvocation(`"space-facts"`)}, Error, "/interactionModel/languageModel/invocationName", "only lower-case letters, spaces, apostrophes and periods"},
	{"invocation.characters", "apostrophes and periods", []repl{invocation(`"bob's k. c. r. w. facts"`)}, 0, "", ""},
	{"invocation.characters", "umlaut in German", []repl{de(`"fakten aus dem all"`, `"fakten über das all"`)}, 0, "", ""},
	{"invocation.characters", "upper case in German", []repl{de(`"fakten aus dem all"`, modelMark+`"Fakten aus dem All"`)}, Error, "/interactionModel/languageModel/invocationName", "lower case"},
	{"invocation.one-word", "one word", []repl{markedInvocation(`"spacefacts"`)}, Warning, "/interactionModel/languageModel/invocationName", "one word"},
	{"invocation.one-word", "Japanese", []repl{addJapanese, japaneseModel}, 0, "", ""},
	{"invocation.article", "the facts", []repl{markedInvocation(`"the facts"`)}, Error, "/interactionModel/languageModel/invocationName", `"the"`},
	{"invocation.article", "for fun", []repl{markedInvocation(`"for fun"`)}, Error, "/interactionModel/languageModel/invocationName", `"for"`},
	{"invocation.article", "three words", []repl{invocation(`"facts of space"`)}, 0, "", ""},
	{"invocation.wake-word", "alexa", []repl{markedInvocation(`"alexa facts"`)}, Error, "/interactionModel/languageModel/invocationName", `"alexa"`},
	{"invocation.wake-word", "amazon's in German", []repl{de(`"fakten aus dem all"`, modelMark+`"amazon's fakten"`)}, Error, "/interactionModel/languageModel/invocationName", `"amazon"`},
	{"invocation.wake-word", "echoes", []repl{invocation(`"echoes of space"`)}, 0, "", ""},
	{"invocation.launch-word", "play", []repl{markedInvocation(`"play space facts"`)}, Error, "/interactionModel/languageModel/invocationName", `"play"`},
	{"invocation.launch-word", "talk to", []repl{markedInvocation(`"talk to space facts"`)}, Error, "/interactionModel/languageModel/invocationName", `"talk to"`},
	{"invocation.launch-word", "player", []repl{invocation(`"space player"`)}, 0, "", ""},
	{"invocation.launch-word", "English words in German", []repl{de(`"fakten aus dem all"`, `"start fakten"`)}, 0, "", ""},
	// Intents.
	{"intent.required-builtin", "no StopIntent", []repl{enUS(`{"name": "AMAZON.StopIntent", "samples": []},`, ""), enUS(`"intents": [`+"\n", `"intents": `+modelMark+"[\n")}, Error, lmI, "AMAZON.StopIntent is missing"},
	{"intent.required-builtin", "intents of the wrong type", []repl{de(`"intents": [`, `"intents": "none", "x": [`)}, 0, "", ""},
	{"intent.fallback-missing", "FallbackIntent present", nil, 0, "", ""},
	{"intent.fallback-missing", "no FallbackIntent", []repl{enUS(`,
        {"name": "AMAZON.FallbackIntent", "samples": []}`, ""), enUS(`"intents": [`+"\n", `"intents": `+modelMark+"[\n")}, Warning, lmI, "AMAZON.FallbackIntent is missing"},
	// Samples.
	{"sample.duplicate-across-intents", "in two intents", []repl{enUS(`"tell me about {planet}",`, `"tell me about {planet}", `+modelMark+`"Give me a  Fact",`)}, Error, lmI + "/1/samples/1", "in both GetFactIntent and PlanetIntent"},
	{"sample.duplicate-across-intents", "different samples", []repl{enUS(`"tell me about {planet}",`, `"tell me about {planet}", "give me a fact about {planet}",`)}, 0, "", ""},
	{"sample.duplicate", "same words, other slots", []repl{enUS(`"tell me about {planet}",`, `"tell me about {planet}", "tell me about {when}",`)}, 0, "", ""},
	{"sample.duplicate", "twice in one intent", []repl{enUS(`"give me a fact"]`, `"give me a fact", `+modelMark+`" A fact"]`)}, Warning, lmI + "/0/samples/2", "(first at index 0)"},
	{"sample.unknown-slot", "slots of the intent, spaces inside braces", []repl{enUS(`"what happened on {planet} {when}"`, `"what happened on { planet } {when}"`)}, 0, "", ""},
	{"sample.unknown-slot", "misspelt slot", []repl{enUS(`"tell me about {planet}"`, modelMark+`"tell me about {planets}"`)}, Error, lmI + "/1/samples/0", "did you mean {planet}?"},
	{"sample.unknown-slot", "slot sample", []repl{enUS(`"about {planet}"`, modelMark+`"about {moon}"`)}, Error, lmI + "/1/slots/0/samples/1", "(planet, when)"},
	{"sample.unknown-slot", "intent without slots", []repl{enUS(`"give me a fact"`, modelMark+`"give me a fact about {planet}"`)}, Error, lmI + "/0/samples/1", "add the slot"},
	// Keys of intents and slots.
	{"key.unknown", "every intent and slot key known", nil, 0, "", ""},
	{"key.unknown", "misspelt samples of an intent", []repl{enUS(`"samples": ["a fact", "give me a fact"]`, modelMark+`"sample": ["a fact", "give me a fact"]`)}, Warning, lmI + "/0/sample", "GetFactIntent has the key \"sample\", which Amazon's model does not define, so SMAPI ignores it: did you mean samples?"},
	{"key.unknown", "misspelt type of a slot", []repl{enUS(`{"name": "when", "type": "AMAZON.DATE"}`, `{"name": "when", "type": "AMAZON.DATE", `+modelMark+`"multipleValue": {"enabled": true}}`)}, Warning, lmI + "/1/slots/1/multipleValue", "slot when of PlanetIntent has the key \"multipleValue\""},
	{"key.unknown", "dialog intents have keys of their own", []repl{enUS(`"confirmationRequired": true,`, `"confirmationRequired": true, "delegationStrategy": "ALWAYS",`)}, 0, "", ""},
	// Slots and slot types.
	{"slot.unknown-type", "misspelt type", []repl{enUS(`{"name": "planet", "type": "PLANET",`, `{"name": "planet", "type": `+modelMark+`"PLANETS",`)}, Error, lmI + "/1/slots/0/type", `did you mean "PLANET"?`},
	{"slot.unknown-type", "no type", []repl{enUS(`{"name": "when", "type": "AMAZON.DATE"}`, modelMark+`{"name": "when"}`)}, Error, lmI + "/1/slots/1/type", "has no type"},
	{"slot.unknown-type", "built-in type", []repl{enUS(`"AMAZON.DATE"`, `"AMAZON.US_CITY"`)}, 0, "", ""},
	{"slot-type.no-values", "empty values", []repl{enUS(`"values": [`, `"values": `+modelMark+`[], "old": [`)}, Error, lmT + "/values", "PLANET has no values"},
	{"slot-type.no-values", "catalog", []repl{enUS(`"values": [`, `"valueSupplier": {"type": "CatalogValueSupplier"}, "old": [`)}, 0, "", ""},
	{"slot-type.duplicate-value", "synonym twice", []repl{enUS(`"the morning star"`, modelMark+`"The  Red Planet"`)}, Warning, lmT + "/values/1/name/synonyms/0", `(a synonym of value "mars")`},
	{"slot-type.duplicate-value", "value equal to its synonym", []repl{enUS(`"value": "venus"`, `"value": "the morning star"`), enUS(`["the morning star"]`, `[`+modelMark+`"the morning star"]`)}, Warning, lmT + "/values/1/name/synonyms/0", `(value "the morning star")`},
	{"slot-type.duplicate-value", "similar synonyms", []repl{enUS(`"the morning star"`, `"red planet"`)}, 0, "", ""},
	{"slot-type.duplicate-value", "value twice", []repl{enUS(`"value": "venus"`, `"value": `+modelMark+`"Mars"`)}, Warning, lmT + "/values/1/name/value", `(value "mars")`},
	// Dialog prompts.
	{"dialog.prompt-missing", "elicitation", []repl{enUS(`"elicitation": "Elicit.Slot.Planet"`, `"elicitation": `+modelMark+`"Elicit.Slot.Planets"`)}, Error, dlg + "/slots/0/prompts/elicitation", `did you mean "Elicit.Slot.Planet"?`},
	{"dialog.prompt-missing", "validation", []repl{enUS(`"prompt": "Invalid.Slot.Planet"`, `"prompt": `+modelMark+`"Nope"`)}, Error, dlg + "/slots/0/validations/0/prompt", "add a prompt with this id"},
	{"dialog.prompt-missing", "intent confirmation", []repl{enUS(`{"id": "Confirm.Intent.Planet", "variations": [{"type": "PlainText", "value": "Shall I?"}]},`, ""), enUS(`"confirmation": "Confirm.Intent.Planet"`, `"confirmation": `+modelMark+`"Confirm.Intent.Planet"`)}, Error, dlg + "/prompts/confirmation", "dialog intent PlanetIntent (confirmation)"},
	{"dialog.prompt-missing", "prompts of the wrong type", []repl{enUS(`"prompts": [`, `"prompts": {}, "old": [`), enUS(`"Elicit.Slot.Planet"}`, `"Nope"}`)}, 0, "", ""},
	// Example phrases against the models.
	{"example-phrases.invocation-name", "misspelt name", []repl{sk(`"Alexa, open space facts"`, modelMark+`"Alexa, open space fact"`)}, Error, mEN + "/examplePhrases/0", `does not name the invocation name "space facts"`},
	{"example-phrases.invocation-name", "name at the end", []repl{sk(`"Alexa, open space facts"`, modelMark+`"Alexa, give me a fact from space facts"`)}, Error, mEN + "/examplePhrases/0", "has words other than a launch phrase before"},
	{"example-phrases.invocation-name", "case, punctuation and talk to", []repl{sk(`"Alexa, open space facts"`, `"Alexa: talk to SPACE-FACTS!"`)}, 0, "", ""},
	{"example-phrases.invocation-name", "German name differs", []repl{sk(`"Alexa, öffne Fakten aus dem All"`, modelMark+`"Alexa, öffne Weltraumfakten"`)}, Error, mDE + "/examplePhrases/0", `"Alexa, öffne fakten aus dem all"`},
	{"example-phrases.invocation-name", "Japanese", []repl{addJapanese, japaneseModel}, 0, "", ""},
	{"example-phrases.invocation-name", "Japanese name differs", []repl{addJapanese, japaneseModel, sk(`["アレクサ、宇宙の豆知識を開いて"]`, `[`+modelMark+`"アレクサ、天気を開いて"]`)}, Error, "/manifest/publishingInformation/locales/ja-JP/examplePhrases/0", "宇宙の豆知識"},
	{"example-phrases.invocation-name", "no wake word is example-phrases.wake-word", []repl{sk(`"Alexa, open space facts"`, `"open facts"`)}, 0, "", ""},
	{"example-phrases.no-matching-sample", "unknown request", []repl{sk(`"Alexa, ask space facts for a fact"`, modelMark+`"Alexa, ask space facts for the weather"`)}, Warning, mEN + "/examplePhrases/1", `the request "for the weather"`},
	{"example-phrases.no-matching-sample", "without the invocation name", []repl{sk(`"Alexa, ask space facts for a fact"`, modelMark+`"Alexa, ask space fact for a fact"`)}, Warning, mEN + "/examplePhrases/1", `does not name the invocation name "space facts"`},
	{"example-phrases.no-matching-sample", "first phrase with a request", []repl{sk(`"Alexa, open space facts"`, modelMark+`"Alexa, ask space facts how far the moon is"`)}, Warning, mEN + "/examplePhrases/0", "matches no sample"},
	{"example-phrases.no-matching-sample", "German", []repl{sk(`"Alexa, frag Fakten aus dem All nach einem Fakt"`, modelMark+`"Alexa, frag Fakten aus dem All nach dem Wetter"`)}, Warning, mDE + "/examplePhrases/1", "the de-DE model"},
	{"example-phrases.no-matching-sample", "two slots", []repl{sk(`"Alexa, ask space facts for a fact"`, `"Alexa, ask space facts what happened on the morning star last week"`)}, 0, "", ""},
	{"example-phrases.no-matching-sample", "name at the end", []repl{sk(`"Alexa, ask space facts for a fact"`, `"Alexa, give me a fact using space facts"`)}, 0, "", ""},
	{"example-phrases.no-matching-sample", "launch phrase only", []repl{sk(`"Alexa, ask space facts for a fact"`, `"Alexa, start space facts"`)}, 0, "", ""},
	{"example-phrases.no-matching-sample", "follow-up without wake word", []repl{sk(`"Alexa, ask space facts for a fact"`, `"Give me a fact."`)}, 0, "", ""},
	{"example-phrases.no-matching-sample", "phrase of the wrong type", []repl{sk(`"Alexa, ask space facts for a fact"`, `null`)}, 0, "", ""},
}

var modelFiles = map[string]string{"skill.json": modelSkill, "en-US": modelEnUS, "de-DE": modelDeDE}

func modelFilePath(name string) string {
	if name == "skill.json" {
		return name
	}
	return "interactionModels/custom/" + name + ".json"
}

// buildModelPackage applies the edits and returns the files by path and
// where the mark was (file, line, column), the mark removed.
func buildModelPackage(t *testing.T, edits []repl) (files map[string]string, markFile string, line, col int) {
	t.Helper()
	texts := map[string]string{}
	for k, v := range modelFiles {
		texts[k] = v
	}
	for _, e := range edits {
		switch {
		case e.old == "" && e.new == "":
			delete(texts, e.file)
		case e.old == "":
			texts[e.file] = e.new
		default:
			if n := strings.Count(texts[e.file], e.old); n != 1 {
				t.Fatalf("edit of %s: %q occurs %d times", e.file, e.old, n)
			}
			texts[e.file] = strings.Replace(texts[e.file], e.old, e.new, 1)
		}
	}
	files = map[string]string{}
	for name, text := range texts {
		if i := strings.Index(text, modelMark); i >= 0 {
			if markFile != "" {
				t.Fatal("more than one mark")
			}
			markFile = modelFilePath(name)
			before := text[:i]
			line = strings.Count(before, "\n") + 1
			col = utf8.RuneCountInString(before[strings.LastIndex(before, "\n")+1:]) + 1
			text = before + text[i+len(modelMark):]
		}
		files["pkg/"+modelFilePath(name)] = text
	}
	return files, markFile, line, col
}

func validateModelPackage(t *testing.T, files map[string]string) (*Result, string) {
	t.Helper()
	dir := writeFiles(t, files)
	r, err := ValidatePath(filepath.Join(dir, "pkg"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Findings {
		checkFinding(t, r.Package, f)
	}
	return r, filepath.ToSlash(filepath.Join(dir, "pkg")) + "/"
}

func TestModelBaseIsValid(t *testing.T) {
	files, _, _, _ := buildModelPackage(t, nil)
	if r, _ := validateModelPackage(t, files); len(r.Findings) != 0 {
		t.Fatalf("the base package has findings: %+v", r.Findings)
	}
}

func TestModelRules(t *testing.T) {
	for _, tc := range modelCases {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			files, markFile, line, col := buildModelPackage(t, tc.edits)
			if (tc.sev == 0) != (markFile == "") {
				t.Fatal("a case has a mark exactly when it expects a finding")
			}
			r, root := validateModelPackage(t, files)
			var hits []Finding
			for _, f := range r.Findings {
				if f.Rule == tc.rule {
					hits = append(hits, f)
				}
			}
			if tc.sev == 0 {
				if len(hits) > 0 {
					t.Fatalf("valid case, but got %+v", hits)
				}
				return
			}
			if len(hits) != 1 {
				t.Fatalf("got %d %s findings, want 1: %+v", len(hits), tc.rule, hits)
			}
			f := hits[0]
			if f.File != root+markFile || f.Line != line || f.Column != col {
				t.Errorf("at %s:%d:%d, want %s:%d:%d", strings.TrimPrefix(f.File, root), f.Line, f.Column, markFile, line, col)
			}
			if f.Severity != tc.sev {
				t.Errorf("severity %s, want %s", f.Severity, tc.sev)
			}
			if f.Pointer != tc.ptr {
				t.Errorf("pointer %q, want %q", f.Pointer, tc.ptr)
			}
			if !strings.Contains(f.Message, tc.msg) {
				t.Errorf("message %q does not contain %q", f.Message, tc.msg)
			}
		})
	}
}

// TestModelRulesExactPositions spells out a few positions as numbers, as a
// reader of the fixtures would count them.
func TestModelRulesExactPositions(t *testing.T) {
	files, _, _, _ := buildModelPackage(t, []repl{
		invocation(`"Space Facts"`), // names compare without case: phrase 2 still matches
		enUS(`{"name": "AMAZON.StopIntent", "samples": []},`, ""),
		sk(`"Alexa, open space facts"`, `"Alexa, open space fact"`),
		sk(`"Alexa, ask space facts for a fact"`, `"Alexa, ask space facts for the weather"`),
	})
	r, root := validateModelPackage(t, files)
	var got []string
	for _, f := range r.Findings {
		got = append(got, strings.TrimPrefix(f.File, root)+":"+itoa(f.Line)+":"+itoa(f.Column)+" "+f.Severity.String()+" "+f.Rule)
	}
	want := []string{
		"interactionModels/custom/en-US.json:4:25 error invocation.characters",
		"interactionModels/custom/en-US.json:5:18 error intent.required-builtin",
		"skill.json:9:13 error example-phrases.invocation-name",
		"skill.json:10:13 warning example-phrases.no-matching-sample",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestModelRulesSurviveAnyShape puts a value of every JSON type in place of
// every value of the models and of the published locales, and deletes each
// one: the rules must neither panic nor report a position the map does not
// give.
func TestModelRulesSurviveAnyShape(t *testing.T) {
	replacements := []any{nil, "x", json.Number("1"), true, []any{}, map[string]any{}, []any{nil, 1, "{x}"}}
	mutate := func(name, src string, keep func(ptr string) bool) {
		doc, _ := ParseDocument(name, []byte(src))
		for _, ptr := range doc.Pointers() {
			if ptr == "" || !keep(ptr) {
				continue
			}
			for i := -1; i < len(replacements); i++ {
				var root any
				if err := json.Unmarshal([]byte(src), &root); err != nil {
					t.Fatal(err)
				}
				if i < 0 {
					root = setPointer(root, ptr, nil, true)
				} else {
					root = setPointer(root, ptr, replacements[i], false)
				}
				raw, err := json.Marshal(root)
				if err != nil {
					t.Fatal(err)
				}
				p := modelPackageInMemory(t, map[string][]byte{name: raw})
				for _, f := range Check(p) {
					checkFinding(t, p, f)
				}
			}
		}
	}
	mutate("en-US", modelEnUS, func(string) bool { return true })
	mutate("de-DE", modelDeDE, func(string) bool { return true })
	mutate("skill.json", modelSkill, func(ptr string) bool {
		return strings.HasPrefix(ptr, "/manifest/publishingInformation/locales") || strings.HasPrefix(ptr, "/manifest/apis")
	})
}

func modelPackageInMemory(t *testing.T, override map[string][]byte) *Package {
	t.Helper()
	p := &Package{Root: "pkg", Models: map[string]*Document{}}
	names := sortedKeys(modelFiles)
	sort.Strings(names)
	for _, name := range names {
		raw, ok := override[name]
		if !ok {
			raw = []byte(modelFiles[name])
		}
		doc, _ := ParseDocument("pkg/"+modelFilePath(name), raw)
		if name == "skill.json" {
			p.Manifest = doc
		} else {
			p.Models[name] = doc
		}
	}
	return p
}

// setPointer sets (or deletes) the value at ptr and returns the root.
func setPointer(root any, ptr string, v any, del bool) any {
	toks := strings.Split(ptr[1:], "/")
	cur := root
	for i, tok := range toks {
		tok = jsonfile.UnescapePointer(tok)
		last := i == len(toks)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				if del {
					delete(c, tok)
				} else {
					c[tok] = v
				}
				return root
			}
			cur = c[tok]
		case []any:
			n := 0
			for _, r := range tok {
				n = n*10 + int(r-'0')
			}
			if last {
				if del {
					c[n] = nil // keeps the indexes of later siblings
				} else {
					c[n] = v
				}
				return root
			}
			cur = c[n]
		}
	}
	return root
}

func TestSampleMatching(t *testing.T) {
	cases := []struct {
		phrase, sample string
		want           bool
	}{
		{"tell me about mars", "tell me about {planet}", true},
		{"tell me about the red planet", "Tell me about {planet}", true},
		{"tell me about", "tell me about {planet}", false},
		{"what happened on mars last week", "what happened on {planet} {when}", true},
		{"what happened on mars", "what happened on {planet} {when}", false},
		{"what's new", "what's new", true},
		{"k. c. r. w.", "k c r w", true},
		{"a fact", "a fact please", false},
	}
	for _, tc := range cases {
		if got := matches(words(tc.phrase), sampleWords(tc.sample)); got != tc.want {
			t.Errorf("matches(%q, %q) = %v, want %v", tc.phrase, tc.sample, got, tc.want)
		}
	}
}
