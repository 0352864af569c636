package validate

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// The interaction model rules of issue 7. Like the manifest rules they read
// every value through accessors that tolerate any shape: SMAPI publishes no
// schema for models, so a value of the wrong type makes the rules that need
// it skip, never panic.

const (
	imPtr     = "/interactionModel"
	lmPtr     = imPtr + "/languageModel"
	intentPtr = lmPtr + "/intents"
)

// requiredIntents must be in every custom model: the build fails without them.
var requiredIntents = []string{"AMAZON.CancelIntent", "AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.NavigateHomeIntent"}

var (
	wakeWords    = []string{"alexa", "amazon", "echo", "computer"}
	launchWords  = []string{"ask", "tell", "open", "launch", "begin", "start", "load", "play", "resume", "run", "enable", "use"}
	articleWords = []string{"the", "a", "an", "for", "to", "of"}
)

// slotRef matches a {slot} placeholder in a sample utterance.
var slotRef = regexp.MustCompile(`\{([^{}]*)\}`)

// model is what the cross-checks need from one parsed model file.
type model struct {
	invocation string         // "" when absent or not a string
	samples    [][]sampleWord // every intent sample, as words
}

// checkModels runs the model rules on every model file and, with a v1
// manifest, the checks between the models and the manifest.
func checkModels(p *Package, manifest map[string]any) []Finding {
	var out []Finding
	published := asObj(asObj(manifest["publishingInformation"])["locales"])
	models := map[string]*model{}
	for _, l := range sortedKeys(p.Models) {
		doc := p.Models[l]
		top, ok := doc.Value.(map[string]any)
		if !ok {
			continue // did not parse, or not an object: already reported
		}
		mc := &modelChecker{checker: checker{doc: doc}, locale: l}
		models[l] = mc.run(top)
		// An invalid file name is locale.invalid already; saying it is also
		// unpublished adds nothing.
		if len(published) > 0 && isLocale(l) {
			if _, ok := published[l]; !ok {
				mc.report("", "model.locale-unpublished",
					fmt.Sprintf("the manifest does not publish locale %s, so this model is never used: add %s to publishingInformation.locales or delete the file", l, l))
			}
		}
		out = append(out, mc.out...)
	}
	if manifest == nil {
		return out
	}
	c := &checker{doc: p.Manifest}
	// A package without any model leaves the models to whatever is live (the
	// design covers models "where present"), and a lone skill.json cannot
	// show its models at all: only a package that keeps some models must keep
	// all of them.
	if _, custom := asObj(manifest["apis"])["custom"]; custom && len(p.Models) > 0 {
		for _, l := range sortedKeys(published) {
			if _, ok := p.Models[l]; ok {
				continue
			}
			file := path.Join(p.Root, "interactionModels", "custom", l+".json")
			c.report(child(pubPtr+"/locales", l), "model.missing-locale",
				fmt.Sprintf("locale %s is published, but %s does not exist: the build of a custom skill fails for a locale without a model; add the model (another locale's is a start) or stop publishing %s", l, file, l))
		}
	}
	for _, l := range sortedKeys(published) {
		if m := models[l]; m != nil && m.invocation != "" {
			c.examplePhrasesVsModel(l, asObj(published[l]), m)
		}
	}
	return append(out, c.out...)
}

type modelChecker struct {
	checker
	locale string
}

func (c *modelChecker) run(top map[string]any) *model {
	m := &model{}
	im := asObj(top["interactionModel"])
	if _, ok := top["interactionModel"]; ok && im == nil {
		return m // not an object: nothing below can be read
	}
	lm, isObj := im["languageModel"].(map[string]any)
	if _, has := im["languageModel"]; !has {
		c.report(lmPtr, "model.language-model",
			"the file has no interactionModel.languageModel: a model file holds {\"interactionModel\": {\"languageModel\": {\"invocationName\": ..., \"intents\": [...]}}}")
	}
	if isObj {
		m.invocation = c.invocationName(lm)
		types := c.slotTypes(lm)
		m.samples = c.intents(lm, types)
	}
	c.prompts(im)
	return m
}

// english reports whether the locale's invocation names follow the English
// rules: the launch and article word lists are English words, which mean
// something else in other languages (German "start", Spanish "a").
func english(locale string) bool { return strings.HasPrefix(locale, "en-") }

func (c *modelChecker) invocationName(lm map[string]any) string {
	ptr := lmPtr + "/invocationName"
	raw, has := lm["invocationName"]
	name, isStr := raw.(string)
	if has && !isStr {
		return ""
	}
	if strings.TrimSpace(name) == "" {
		c.report(ptr, "invocation.missing",
			"the model has no invocationName: add the name users say to open the skill, e.g. \"invocationName\": \"space facts\"")
		return ""
	}
	if msg := c.badCharacter(name); msg != "" {
		c.report(ptr, "invocation.characters", msg)
	}
	words := strings.Fields(name)
	// Japanese writes no spaces between words, so a count means nothing.
	if len(words) == 1 && !strings.HasPrefix(c.locale, "ja-") {
		c.report(ptr, "invocation.one-word",
			fmt.Sprintf("invocation name %q is one word: certification accepts one-word names only for a brand the publisher can prove it owns; otherwise use two words or more", name))
	}
	bare := make([]string, len(words))
	for i, w := range words {
		bare[i] = strings.TrimSuffix(strings.Trim(strings.ToLower(w), ".'"), "'s")
	}
	for _, w := range bare {
		if slices.Contains(wakeWords, w) {
			c.report(ptr, "invocation.wake-word",
				fmt.Sprintf("invocation name %q contains the wake word %q: Alexa would hear it as a new request; choose a name without alexa, amazon, echo or computer", name, w))
			break
		}
	}
	if !english(c.locale) {
		return name
	}
	if len(bare) == 2 {
		for _, w := range bare {
			if slices.Contains(articleWords, w) {
				c.report(ptr, "invocation.article",
					fmt.Sprintf("invocation name %q is two words, one of them %q: two-word names may not contain an article or a connecting word (the, a, an, for, to, of); use another word or a longer name", name, w))
				break
			}
		}
	}
	for i, w := range bare {
		launch := ""
		switch {
		case slices.Contains(launchWords, w):
			launch = w
		case w == "talk" && i+1 < len(bare) && bare[i+1] == "to":
			launch = "talk to"
		}
		if launch != "" {
			c.report(ptr, "invocation.launch-word",
				fmt.Sprintf("invocation name %q contains the launch word %q: users say it before the name (\"Alexa, %s ...\"), so Alexa cannot tell where the name starts; remove it", name, launch, launch))
			break
		}
	}
	return name
}

// badCharacter describes the first character an invocation name may not
// hold, or returns "".
func (c *modelChecker) badCharacter(name string) string {
	en := english(c.locale)
	for _, r := range name {
		switch {
		case r == ' ' || r == '\'' || r == '.':
			continue
		case en && r >= 'a' && r <= 'z':
			continue
		case !en && (unicode.IsLetter(r) && !unicode.IsUpper(r) && !unicode.IsTitle(r) || unicode.Is(unicode.M, r)):
			continue
		case unicode.IsUpper(r) || unicode.IsTitle(r):
			return fmt.Sprintf("invocation name %q has the upper-case letter %q: write it in lower case, %q", name, r, strings.ToLower(name))
		case unicode.IsDigit(r):
			return fmt.Sprintf("invocation name %q has the digit %q: spell numbers out as words (\"five\", not \"5\")", name, r)
		case en && unicode.IsLetter(r):
			return fmt.Sprintf("invocation name %q has %q: in English locales only the letters a to z are allowed, besides spaces, apostrophes and periods", name, r)
		}
		return fmt.Sprintf("invocation name %q has %q: only lower-case letters, spaces, apostrophes and periods are allowed", name, r)
	}
	return ""
}

// slotTypes checks languageModel.types and returns the custom type names.
func (c *modelChecker) slotTypes(lm map[string]any) map[string]bool {
	names := map[string]bool{}
	for i, t := range asArr(lm["types"]) {
		typ := asObj(t)
		if typ == nil {
			continue
		}
		tptr := lmPtr + "/types/" + strconv.Itoa(i)
		name, _ := asStr(typ["name"])
		if name != "" {
			names[name] = true
		}
		label := name
		if label == "" {
			label = fmt.Sprintf("type %d", i)
		}
		raw, has := typ["values"]
		values, isArr := raw.([]any)
		if has && !isArr {
			continue
		}
		if _, catalog := typ["valueSupplier"]; len(values) == 0 && !catalog {
			c.report(tptr+"/values", "slot-type.no-values",
				fmt.Sprintf("slot type %s has no values: the build fails for a custom type without values; add some, or use a built-in AMAZON.* type", label))
			continue
		}
		seen := map[string]string{}
		check := func(ptr, v, owner string) {
			key := strings.Join(strings.Fields(strings.ToLower(v)), " ")
			if key == "" {
				return
			}
			if first, dup := seen[key]; dup {
				c.report(ptr, "slot-type.duplicate-value",
					fmt.Sprintf("%q is already in slot type %s (%s): remove this one; a value or synonym listed twice makes entity resolution match several values", v, label, first))
				return
			}
			seen[key] = owner
		}
		for j, v := range values {
			vname := asObj(asObj(v)["name"])
			vptr := fmt.Sprintf("%s/values/%d/name", tptr, j)
			value, _ := asStr(vname["value"])
			owner := fmt.Sprintf("value %q", value)
			if value != "" {
				check(vptr+"/value", value, owner)
			}
			for k, s := range asArr(vname["synonyms"]) {
				if syn, ok := asStr(s); ok {
					check(fmt.Sprintf("%s/synonyms/%d", vptr, k), syn, "a synonym of "+owner)
				}
			}
		}
	}
	return names
}

// intents checks the intents, their samples and their slots, and returns
// the samples for the cross-checks.
func (c *modelChecker) intents(lm map[string]any, types map[string]bool) [][]sampleWord {
	raw, has := lm["intents"]
	intents, isArr := raw.([]any)
	if has && !isArr {
		return nil
	}
	c.builtinIntents(intents)
	seen := &samplesSeen{owner: map[string]string{}}
	customTypes := sortedKeys(types)
	for i, in := range intents {
		intent := asObj(in)
		if intent == nil {
			continue
		}
		it := newIntentScope(i, intent)
		c.keysIn(it.ptr, it.name, intent, intentKeys)
		c.intentSamples(it, intent, seen)
		c.intentSlots(it, intent, types, customTypes)
	}
	return seen.all
}

// builtinIntents reports the built-in intents every custom model needs.
func (c *modelChecker) builtinIntents(intents []any) {
	present := map[string]bool{}
	for _, in := range intents {
		if n, ok := asStr(asObj(in)["name"]); ok {
			present[n] = true
		}
	}
	for _, n := range requiredIntents {
		if !present[n] {
			c.report(intentPtr, "intent.required-builtin",
				fmt.Sprintf("%s is missing: every custom model needs %s; add {\"name\": %q, \"samples\": []}", n, strings.Join(requiredIntents, ", "), n))
		}
	}
	if !present["AMAZON.FallbackIntent"] {
		c.report(intentPtr, "intent.fallback-missing",
			"AMAZON.FallbackIntent is missing: without it, requests the model does not cover go to the closest intent, often the wrong one; add {\"name\": \"AMAZON.FallbackIntent\", \"samples\": []}")
	}
}

// intentScope is one intent as its samples are checked: where it is, what
// messages call it, and its slot names.
type intentScope struct {
	ptr       string
	name      string
	slots     map[string]bool
	slotNames []string // in file order
}

func newIntentScope(i int, intent map[string]any) *intentScope {
	it := &intentScope{ptr: intentPtr + "/" + strconv.Itoa(i), slots: map[string]bool{}}
	it.name, _ = asStr(intent["name"])
	if it.name == "" {
		it.name = fmt.Sprintf("intent %d", i)
	}
	for _, s := range asArr(intent["slots"]) {
		if n, ok := asStr(asObj(s)["name"]); ok {
			it.slots[n] = true
			it.slotNames = append(it.slotNames, n)
		}
	}
	return it
}

// samplesSeen collects the model's samples across intents.
type samplesSeen struct {
	all   [][]sampleWord
	owner map[string]string // normalized sample -> intent that has it
}

// slotRefs reports each {slot} of a sample that is not a slot of the intent.
func (c *modelChecker) slotRefs(it *intentScope, ptr, sample string) {
	for _, m := range slotRef.FindAllStringSubmatch(sample, -1) {
		ref := strings.TrimSpace(m[1])
		if it.slots[ref] {
			continue
		}
		msg := fmt.Sprintf("sample %q uses {%s}, but %s has no slot named %q", sample, ref, it.name, ref)
		switch s := suggest(ref, it.slotNames, nil); {
		case s != "":
			msg += fmt.Sprintf(": did you mean {%s}?", s)
		case len(it.slotNames) > 0:
			msg += ": add the slot to the intent or use one of its slots (" + strings.Join(it.slotNames, ", ") + ")"
		default:
			msg += ": add the slot to the intent's slots"
		}
		c.report(ptr, "sample.unknown-slot", msg)
	}
}

// intentSamples checks an intent's samples: their {slot}s, and repeats
// within the intent and across intents.
func (c *modelChecker) intentSamples(it *intentScope, intent map[string]any, seen *samplesSeen) {
	inIntent := map[string]int{}
	for j, s := range asArr(intent["samples"]) {
		sample, ok := asStr(s)
		key := strings.Join(strings.Fields(strings.ToLower(sample)), " ")
		if !ok || key == "" {
			continue
		}
		sptr := it.ptr + "/samples/" + strconv.Itoa(j)
		c.slotRefs(it, sptr, sample)
		seen.all = append(seen.all, sampleWords(sample))
		if first, dup := inIntent[key]; dup {
			c.report(sptr, "sample.duplicate",
				fmt.Sprintf("sample %q appears twice in %s (first at index %d): remove this one", sample, it.name, first))
			continue
		}
		inIntent[key] = j
		if other, dup := seen.owner[key]; dup && other != it.name {
			c.report(sptr, "sample.duplicate-across-intents",
				fmt.Sprintf("sample %q is in both %s and %s: Alexa cannot tell which intent the user means; keep it in one of them", sample, other, it.name))
			continue
		}
		seen.owner[key] = it.name
	}
}

// intentSlots checks an intent's slots: the {slot}s of their samples and
// their types.
func (c *modelChecker) intentSlots(it *intentScope, intent map[string]any, types map[string]bool, customTypes []string) {
	for k, s := range asArr(intent["slots"]) {
		slot := asObj(s)
		if slot == nil {
			continue
		}
		sptr := it.ptr + "/slots/" + strconv.Itoa(k)
		sname, _ := asStr(slot["name"])
		c.keysIn(sptr, fmt.Sprintf("slot %s of %s", sname, it.name), slot, slotKeys)
		for m, v := range asArr(slot["samples"]) {
			if sample, ok := asStr(v); ok {
				c.slotRefs(it, fmt.Sprintf("%s/samples/%d", sptr, m), sample)
			}
		}
		c.slotType(it, sptr, slot, types, customTypes)
	}
}

// slotType reports a slot without a type, or with a type that is neither
// built in nor defined in languageModel.types.
func (c *modelChecker) slotType(it *intentScope, sptr string, slot map[string]any, types map[string]bool, customTypes []string) {
	sname, _ := asStr(slot["name"])
	raw, has := slot["type"]
	if !has {
		c.report(sptr+"/type", "slot.unknown-type",
			fmt.Sprintf("slot %s of %s has no type: give it a custom type from languageModel.types or a built-in AMAZON.* type", sname, it.name))
		return
	}
	t, ok := asStr(raw)
	if !ok || strings.HasPrefix(t, "AMAZON.") || types[t] {
		return
	}
	msg := fmt.Sprintf("slot %s of %s has type %q, which languageModel.types does not define and which is not a built-in AMAZON.* type", sname, it.name, t)
	if s := suggest(t, customTypes, nil); s != "" {
		msg += fmt.Sprintf(": did you mean %q?", s)
	} else {
		msg += ": define the type or fix its name"
	}
	c.report(sptr+"/type", "slot.unknown-type", msg)
}

// prompts checks that every prompt id the dialog model uses is defined.
func (c *modelChecker) prompts(im map[string]any) {
	raw, has := im["prompts"]
	list, isArr := raw.([]any)
	if has && !isArr {
		return // the ids cannot be known
	}
	var ids []string
	for _, p := range list {
		if id, ok := asStr(asObj(p)["id"]); ok {
			ids = append(ids, id)
		}
	}
	check := func(ptr, id, what string) {
		if slices.Contains(ids, id) {
			return
		}
		msg := fmt.Sprintf("%s uses prompt %q, which interactionModel.prompts does not define", what, id)
		if s := suggest(id, ids, nil); s != "" {
			msg += fmt.Sprintf(": did you mean %q?", s)
		} else {
			msg += ": add a prompt with this id or fix the reference"
		}
		c.report(ptr, "dialog.prompt-missing", msg)
	}
	refs := func(ptr string, prompts any, what string) {
		obj := asObj(prompts)
		for _, k := range sortedKeys(obj) {
			if id, ok := asStr(obj[k]); ok {
				check(child(ptr, k), id, what+" ("+k+")")
			}
		}
	}
	dptr := imPtr + "/dialog/intents"
	for i, in := range asArr(asObj(im["dialog"])["intents"]) {
		intent := asObj(in)
		iptr := dptr + "/" + strconv.Itoa(i)
		name, _ := asStr(intent["name"])
		refs(iptr+"/prompts", intent["prompts"], "dialog intent "+name)
		for j, s := range asArr(intent["slots"]) {
			slot := asObj(s)
			sptr := iptr + "/slots/" + strconv.Itoa(j)
			sname, _ := asStr(slot["name"])
			what := fmt.Sprintf("slot %s of dialog intent %s", sname, name)
			refs(sptr+"/prompts", slot["prompts"], what)
			for k, v := range asArr(slot["validations"]) {
				if id, ok := asStr(asObj(v)["prompt"]); ok {
					check(fmt.Sprintf("%s/validations/%d/prompt", sptr, k), id, "a validation of "+what)
				}
			}
		}
	}
}

// language holds what the example phrase checks must know of a language:
// the launch phrases and connecting words that may surround the invocation
// name and the request. The lists need not be complete: a phrase they do not
// cover draws at most a finding that the phrase reads oddly.
type language struct {
	launch  [][]string      // launch phrases, each as words
	connect map[string]bool // connecting words
	open    string          // a first example phrase, with %s for the invocation name
	loose   bool            // the lists are too thin to require them before the name
}

func newLanguage(open, launch, connect string, loose bool) *language {
	l := &language{connect: map[string]bool{}, open: open, loose: loose}
	for _, p := range strings.Split(launch, ",") {
		if w := words(p); len(w) > 0 {
			l.launch = append(l.launch, w)
		}
	}
	for _, w := range strings.Fields(connect) {
		l.connect[w] = true
	}
	return l
}

const (
	enLaunch  = "ask, tell, open, launch, begin, start, load, play, resume, run, enable, use, talk to, let me talk to, let's play"
	enConnect = "to for and if whether about that the from by with using on in of"
)

// languages is keyed by the language part of the locale; Japanese is
// checked apart (see startsWithName) because it writes no spaces.
var languages = map[string]*language{
	"en": newLanguage("Alexa, open %s", enLaunch, enConnect, false),
	"de": newLanguage("Alexa, öffne %s",
		"öffne, öffnen, frag, frage, fragen, sag, sage, starte, starten, start, beginne, beginnen, lade, spiel, spiele, spielen, aktiviere, benutze, nutze, rede mit, sprich mit, bitte",
		"nach ob zu zum zur mit von vom bei für und dass über um den die das der dem sie ab", false),
	"fr": newLanguage("Alexa, ouvre %s",
		"ouvre, ouvrir, lance, lancer, demande, dis, joue, démarre, commence, active, utilise, parle à, parle avec",
		"à au aux de du des d pour si s que qu et sur le la les l avec", false),
	"es": newLanguage("Alexa, abre %s",
		"abre, abrir, pide, pídele, pregunta, pregúntale, dile, inicia, empieza, comienza, lanza, juega, pon, activa, usa, habla con",
		"a al que si por para de del y sobre el la los las con en", false),
	"it": newLanguage("Alexa, apri %s",
		"apri, chiedi, domanda, di, dì, avvia, inizia, lancia, gioca, attiva, usa, parla con",
		"a al allo alla ad di del della che se per e su con il lo la i gli le da l", false),
	"pt": newLanguage("Alexa, abra %s",
		"abra, abre, abrir, peça, pede, pergunte, pergunta, diga, inicie, iniciar, comece, começar, jogue, ative, use, fale com",
		"a ao à para que se de do da e sobre o os as com no na por", false),
	"nl": newLanguage("Alexa, open %s",
		"open, vraag, start, begin, speel, zeg, activeer, gebruik, praat met",
		"om of naar voor met aan te en de het een over dat van", false),
	"hi": newLanguage("Alexa, open %s", enLaunch+", खोलो, खोलें, शुरू करो, चलाओ, पूछो, बताओ", enConnect+" से को के की का में और", false),
	"ar": newLanguage("أليكسا، افتح %s", "افتح, اطلب, اسأل, اسال, شغل, ابدأ, ابدا", "عن من إلى الى في و ل على أن ان", true),
}

// launchAt returns how many words of a launch phrase start at w[i], or 0.
func (l *language) launchAt(w []string, i int) int {
	best := 0
	for _, p := range l.launch {
		if len(p) > best && i+len(p) <= len(w) && slices.Equal(w[i:i+len(p)], p) {
			best = len(p)
		}
	}
	return best
}

// lead reports whether w is nothing but launch phrases and connecting words,
// as the words between the wake word and the invocation name must be.
func (l *language) lead(w []string) bool {
	if l.loose {
		return len(w) <= 2
	}
	for i := 0; i < len(w); {
		if n := l.launchAt(w, i); n > 0 {
			i += n
			continue
		}
		if !l.connect[w[i]] {
			return false
		}
		i++
	}
	return true
}

// covered reports whether a request, the words of an example phrase
// around the invocation name, matches a sample. Launch phrases and
// connecting words at its edges may or may not be part of the sample, so
// every way of trimming them is tried; nothing left means the phrase only
// opens the skill.
func (l *language) covered(req []string, samples [][]sampleWord) bool {
	starts := []int{0}
	for i := 0; i < len(req); {
		n := l.launchAt(req, i)
		if n == 0 && l.connect[req[i]] {
			n = 1
		}
		if n == 0 {
			break
		}
		i += n
		starts = append(starts, i)
	}
	for _, s := range starts {
		ends := []int{len(req)}
		for e := len(req); e > s && (l.connect[req[e-1]] || l.launchAt(req, e-1) == 1); e-- {
			ends = append(ends, e-1)
		}
		for _, e := range ends {
			if e <= s {
				return true
			}
			for _, sample := range samples {
				if matches(req[s:e], sample) {
					return true
				}
			}
		}
	}
	return false
}

// sampleWord is one word of a sample utterance, or a {slot} placeholder.
type sampleWord struct {
	word string
	slot bool
}

func sampleWords(s string) []sampleWord {
	var out []sampleWord
	last := 0
	for _, loc := range slotRef.FindAllStringIndex(s, -1) {
		for _, w := range words(s[last:loc[0]]) {
			out = append(out, sampleWord{word: w})
		}
		out = append(out, sampleWord{slot: true})
		last = loc[1]
	}
	for _, w := range words(s[last:]) {
		out = append(out, sampleWord{word: w})
	}
	return out
}

// words splits text the way the example phrase checks compare it: lower
// case, punctuation (apostrophes and periods included) between words.
// Phrases are written ("Alexa, ask K. C. R. W.") and samples and names
// are spoken forms ("k. c. r. w."), so only the words can be compared.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.M, r)
	})
}

// matches reports whether the words fit the sample, a slot taking one word
// or more.
func matches(phrase []string, sample []sampleWord) bool {
	// prev[j]: the words so far fit sample[:j].
	prev := make([]bool, len(sample)+1)
	prev[0] = true
	for _, w := range phrase {
		cur := make([]bool, len(sample)+1)
		for j := 1; j <= len(sample); j++ {
			if sample[j-1].slot {
				cur[j] = prev[j-1] || prev[j]
			} else {
				cur[j] = prev[j-1] && sample[j-1].word == w
			}
		}
		prev = cur
	}
	return prev[len(sample)]
}

func indexWords(w, sub []string) int {
	for i := 0; i+len(sub) <= len(w); i++ {
		if slices.Equal(w[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// startsWithName is the Japanese first-phrase check: the name follows the
// wake word directly ("アレクサ、宇宙の豆知識を開いて"), with no spaces to
// split words on.
func startsWithName(phrase, name string) bool {
	p := strings.Join(words(phrase), "")
	for _, w := range []string{"アレクサ", "alexa"} {
		if strings.HasPrefix(p, w) {
			p = p[len(w):]
			break
		}
	}
	return strings.HasPrefix(p, strings.Join(words(name), ""))
}

// examplePhrasesVsModel checks a locale's example phrases against its
// model: the first names the invocation name right after the wake word, and
// each one's request is something the model understands.
func (c *checker) examplePhrasesVsModel(locale string, entry map[string]any, m *model) {
	phrases, _ := entry["examplePhrases"].([]any)
	name := words(m.invocation)
	if len(name) == 0 {
		return
	}
	lang, known := languages[strings.SplitN(locale, "-", 2)[0]]
	ja := strings.HasPrefix(locale, "ja-")
	if !known && !ja {
		lang = newLanguage("Alexa, open %s", "", "", true)
	}
	ptr := child(pubPtr+"/locales", locale) + "/examplePhrases"
	modelFile := "the " + locale + " model"
	for i, p := range phrases {
		s, ok := asStr(p)
		if !ok {
			continue
		}
		iptr := ptr + "/" + strconv.Itoa(i)
		wake := wakeWord.MatchString(s)
		if ja {
			// Samples are not compared: Japanese needs a word splitter.
			if i == 0 && wake && !startsWithName(s, m.invocation) {
				c.report(iptr, "example-phrases.invocation-name",
					fmt.Sprintf("the first example phrase %q does not name the invocation name %q of %s right after the wake word: start it like %q", s, m.invocation, modelFile, fmt.Sprintf("アレクサ、%sを開いて", m.invocation)))
			}
			continue
		}
		w := words(s)
		if wake && len(w) > 0 {
			w = w[1:]
		}
		at := indexWords(w, name)
		// Without the wake word the first phrase is example-phrases.wake-word
		// already, and where the name should be cannot be told.
		if i == 0 && wake && (at < 0 || !lang.lead(w[:at])) {
			what := "does not name"
			if at >= 0 {
				what = "has words other than a launch phrase before"
			}
			c.report(iptr, "example-phrases.invocation-name",
				fmt.Sprintf("the first example phrase %q %s the invocation name %q of %s: certification expects the name right after the wake word, as in %q", s, what, m.invocation, modelFile, fmt.Sprintf(lang.open, m.invocation)))
			continue
		}
		var reqs [][]string
		switch {
		case at < 0:
			reqs = [][]string{w}
		case at+len(name) == len(w):
			reqs = [][]string{w[:at]} // "Alexa, get a fact from space facts"
		case lang.lead(w[:at]):
			reqs = [][]string{w[at+len(name):]} // "Alexa, ask space facts for a fact"
		default:
			reqs = [][]string{w[:at], w[at+len(name):]}
		}
		if slices.ContainsFunc(reqs, func(r []string) bool { return lang.covered(r, m.samples) }) {
			continue
		}
		req := strings.Join(reqs[len(reqs)-1], " ")
		msg := fmt.Sprintf("example phrase %q: the request %q matches no sample utterance of %s", s, req, modelFile)
		if at < 0 {
			msg += fmt.Sprintf(" (and the phrase does not name the invocation name %q)", m.invocation)
		}
		c.report(iptr, "example-phrases.no-matching-sample",
			msg+": certification tries every example phrase, so add the request as a sample of the intent that handles it ({slot} for the variable words) or reword the phrase")
	}
}
