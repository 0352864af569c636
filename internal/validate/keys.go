package validate

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/skillgate/skillgate/internal/jsonfile"
	"github.com/skillgate/skillgate/schemas"
)

// Amazon's model leaves every manifest object open (no additionalProperties:
// false), so a misspelt key (publishingInfromation) passes the schemas and
// SMAPI drops it without a word. Where the model lists every key an object
// can have, rule key.unknown reports any other key, with the closest known
// one when it is near.
//
// The manifest levels read their keys from the embedded schemas' properties
// (generated from the model's v1.skill.Manifest.* definitions). Levels whose
// keys depend on a type discriminator (apis, events, permissions) are not
// checked: their variants are listed elsewhere and grow with new interfaces.
var manifestLevels = []struct {
	file, def string
}{
	{"envelope.schema.json", "SkillManifest"},
	{"publishing.schema.json", "SkillManifestPublishingInformation"},
	{"publishing.schema.json", "SkillManifestLocalizedPublishingInformation"},
	{"privacy.schema.json", "SkillManifestPrivacyAndCompliance"},
	{"privacy.schema.json", "SkillManifestLocalizedPrivacyAndCompliance"},
}

// The interaction model has no embedded schema (SMAPI publishes none for
// the file ask-cli writes); these are the properties of the model's
// v1.skill.interactionModel.Intent and v1.skill.interactionModel.SlotDefinition
// definitions, the objects of languageModel.intents and of their slots.
var (
	intentKeys = []string{"generatedBy", "name", "samples", "slots"}
	slotKeys   = []string{"multipleValues", "name", "samples", "type"}
)

// knownKeys is the key list of each manifest level, by $defs name.
var knownKeys = sync.OnceValues(func() (map[string][]string, error) {
	data, err := loadedData()
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, l := range manifestLevels {
		v, _ := jsonfile.Resolve(data.docs[schemas.BaseURL+l.file], "/$defs/"+l.def+"/properties")
		props, _ := v.(map[string]any)
		if len(props) == 0 {
			return nil, fmt.Errorf("schema %s has no $defs/%s/properties", l.file, l.def)
		}
		out[l.def] = sortedKeys(props)
	}
	return out, nil
})

// unknownKeys reports the keys of the manifest's closed levels that
// Amazon's model does not define.
func (c *checker) unknownKeys(manifest, pub, privacy map[string]any) {
	known, err := knownKeys()
	if err != nil {
		return // the schemas did not load: reported as schema.invalid
	}
	c.keysIn(mPtr, "manifest", manifest, known["SkillManifest"])
	c.keysIn(pubPtr, "publishingInformation", pub, known["SkillManifestPublishingInformation"])
	for _, l := range sortedKeys(asObj(pub["locales"])) {
		c.keysIn(child(pubPtr+"/locales", l), "publishingInformation.locales."+l,
			asObj(asObj(pub["locales"])[l]), known["SkillManifestLocalizedPublishingInformation"])
	}
	c.keysIn(privacyPtr, "privacyAndCompliance", privacy, known["SkillManifestPrivacyAndCompliance"])
	for _, l := range sortedKeys(asObj(privacy["locales"])) {
		c.keysIn(child(privacyPtr+"/locales", l), "privacyAndCompliance.locales."+l,
			asObj(asObj(privacy["locales"])[l]), known["SkillManifestLocalizedPrivacyAndCompliance"])
	}
}

// keysIn reports each key of obj, the object at ptr that messages call
// what, that is not one of known.
func (c *checker) keysIn(ptr, what string, obj map[string]any, known []string) {
	for _, k := range sortedKeys(obj) {
		if slices.Contains(known, k) {
			continue
		}
		msg := fmt.Sprintf("%s has the key %q, which Amazon's model does not define, so SMAPI ignores it", what, k)
		if s := suggest(k, known, nil); s != "" {
			msg += fmt.Sprintf(": did you mean %s?", s)
		} else {
			msg += ": remove it or use one of " + strings.Join(known, ", ")
		}
		if f, ok := c.doc.findKey(child(ptr, k), "key.unknown", msg); ok {
			c.out = append(c.out, f)
		}
	}
}
