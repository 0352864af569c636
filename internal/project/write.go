package project

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/skillgate/skillgate/internal/jsonfile"
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

// RecordSkillID records skillID as profiles.<profile>.skillId in
// dir/.ask/ask-states.json, as ask-cli's first deploy does, so that the
// next command finds the skill without --skill-id. It writes only in an
// ask-cli project (dir holds ResourcesFile) and reports whether it did.
// The rest of an existing states file is kept; a file that is not an
// ask-cli states file is an error, never overwritten.
func RecordSkillID(dir, profile, skillID string) (written bool, err error) {
	if _, err := os.Stat(filepath.Join(dir, ResourcesFile)); errors.Is(err, fs.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("cannot read %s: %w", filepath.Join(dir, ResourcesFile), err)
	}
	name := filepath.Join(dir, filepath.FromSlash(StatesFile))
	states := map[string]any{"askcliStatesVersion": statesVersion}
	raw, err := jsonfile.ReadFile(name, maxFileSize)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return false, fmt.Errorf("cannot read %s: %w", name, err)
	default:
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber() // keep numbers as ask-cli wrote them
		if err := dec.Decode(&states); err != nil || states == nil {
			return false, fmt.Errorf("%s is not an ask-cli states file (%v): fix or remove it, then record the skill id in profiles.%s.skillId", name, err, profile)
		}
	}
	profiles, ok := states["profiles"].(map[string]any)
	if !ok && states["profiles"] != nil {
		return false, fmt.Errorf("%s: profiles must be an object: fix it, then record the skill id in profiles.%s.skillId", name, profile)
	}
	if profiles == nil {
		profiles = map[string]any{}
	}
	prof, ok := profiles[profile].(map[string]any)
	if !ok && profiles[profile] != nil {
		return false, fmt.Errorf("%s: profiles.%s must be an object: fix it, then record the skill id in profiles.%s.skillId", name, profile, profile)
	}
	if prof == nil {
		prof = map[string]any{}
	}
	prof["skillId"] = skillID
	profiles[profile] = prof
	states["profiles"] = profiles
	return true, writeAtomic(name, states)
}

// writeAtomic writes v as indented JSON to name through a temporary file
// in the same folder, so an interrupted write never leaves half a file.
func writeAtomic(name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(name), err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".ask-states-*.json")
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename, a no-op
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}
