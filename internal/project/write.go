package project

import (
	"encoding/json"
	"path/filepath"
)

// File versions ask-cli v2 writes at the top of its files.
const (
	resourcesVersion = "2020-03-31"
	statesVersion    = "2020-03-31"
)

// NewFiles returns the ask-cli v2 project files for a skill whose package
// is in DefaultPackage: ask-resources.json naming it for profile, and
// .ask/ask-states.json holding skillID, keyed by their paths relative to
// the project folder (with /).
func NewFiles(profile, skillID string) (map[string][]byte, error) {
	type obj = map[string]any
	resources := obj{
		"askcliResourcesVersion": resourcesVersion,
		"profiles": obj{profile: obj{
			"skillMetadata": obj{"src": "./" + DefaultPackage},
		}},
	}
	states := obj{
		"askcliStatesVersion": statesVersion,
		"profiles":            obj{profile: obj{"skillId": skillID}},
	}
	out := map[string][]byte{}
	for name, v := range map[string]any{ResourcesFile: resources, filepath.ToSlash(StatesFile): states} {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return nil, err
		}
		out[name] = append(b, '\n')
	}
	return out, nil
}
