// Package project reads the files ask-cli v2 keeps in a skill project, so
// that skillgate needs no configuration of its own there: ask-resources.json
// names the skill package (profiles.<profile>.skillMetadata.src) and
// .ask/ask-states.json holds the skill id (profiles.<profile>.skillId).
//
// A file that exists but cannot be read as ask-cli wrote it is an error that
// names the file (and the line and column where that helps), never a silent
// fallback to a default: deploying the wrong package or the wrong skill is
// worse than stopping.
package project

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// File names, relative to the project folder, as ask-cli v2 writes them.
const (
	ResourcesFile  = "ask-resources.json"
	StatesFile     = ".ask/ask-states.json"
	DefaultPackage = "skill-package"
	DefaultProfile = "default"
	// ProfileEnv is the variable ask-cli itself reads for the profile.
	ProfileEnv = "ASK_DEFAULT_PROFILE"
)

// Sources, for Resolved.PathSource, SkillIDSource and ProfileSource.
const (
	SourceArgument  = "argument"    // given on the command line
	SourceResources = ResourcesFile // profiles.<profile>.skillMetadata.src
	SourceStates    = StatesFile    // profiles.<profile>.skillId
	SourceDefault   = "default"     // nothing configured: the ask-cli default
	SourceEnv       = ProfileEnv    // the profile came from the environment
	SourceNone      = ""            // no skill id anywhere
)

// Resolved is what Resolve settled on, and where each value came from, so
// the command can say so ("using skill-package from ask-resources.json
// (profile default)").
type Resolved struct {
	// Path is the skill package folder or skill.json file. Taken from
	// ask-resources.json it is joined to the folder Resolve was given.
	Path       string
	PathSource string // SourceArgument, SourceResources or SourceDefault
	// SkillID is empty when none was given and the states file has none
	// (a project that was never deployed).
	SkillID       string
	SkillIDSource string // SourceArgument, SourceStates or SourceNone
	Profile       string
	ProfileSource string // SourceArgument, SourceEnv or SourceDefault
}

// Notes returns one line per value that did not come from the command line,
// for the command to print on stderr.
func (r Resolved) Notes() []string {
	var notes []string
	switch r.PathSource {
	case SourceResources:
		notes = append(notes, fmt.Sprintf("using %s from %s (profile %s)", filepath.ToSlash(r.Path), ResourcesFile, r.Profile))
	case SourceDefault:
		notes = append(notes, fmt.Sprintf("using %s (no PATH given and no %s here)", filepath.ToSlash(r.Path), ResourcesFile))
	}
	if r.SkillIDSource == SourceStates {
		notes = append(notes, fmt.Sprintf("using skill id %s from %s (profile %s)", r.SkillID, StatesFile, r.Profile))
	}
	return notes
}

// Resolve works out the skill package, the skill id and the ask-cli profile
// for a command run in dir:
//
//   - profile: the profile argument, else getenv(ASK_DEFAULT_PROFILE), else "default";
//   - path: the path argument, else profiles.<profile>.skillMetadata.src of
//     dir/ask-resources.json (relative to that file), else dir/skill-package;
//   - skill id: the skillID argument, else profiles.<profile>.skillId of
//     dir/.ask/ask-states.json, else empty.
//
// A file is only read when its value is needed. A file that exists but is
// not valid JSON, has an unexpected shape, or lacks the profile, is an error
// naming the file.
func Resolve(dir, path, skillID, profile string, getenv func(string) string) (Resolved, error) {
	r, err := ResolvePath(dir, path, profile, getenv)
	if err != nil {
		return Resolved{}, err
	}
	if skillID != "" {
		r.SkillID, r.SkillIDSource = skillID, SourceArgument
	} else {
		id, err := SkillID(dir, r.Profile)
		if err != nil {
			return Resolved{}, err
		}
		if id != "" {
			r.SkillID, r.SkillIDSource = id, SourceStates
		}
	}
	return r, nil
}

// ResolvePath is Resolve without the skill id, for commands that do not
// talk to SMAPI (validate, migrate): .ask/ask-states.json is not read, so a
// broken one does not stop them.
func ResolvePath(dir, path, profile string, getenv func(string) string) (Resolved, error) {
	r := Resolved{}
	r.Profile, r.ProfileSource = Profile(profile, getenv)
	if path != "" {
		r.Path, r.PathSource = path, SourceArgument
		return r, nil
	}
	src, found, err := PackageSource(dir, r.Profile)
	if err != nil {
		return Resolved{}, err
	}
	if found {
		r.Path, r.PathSource = src, SourceResources
	} else {
		r.Path, r.PathSource = filepath.Join(dir, DefaultPackage), SourceDefault
	}
	return r, nil
}

// Profile returns the ask-cli profile to use and where it came from: the
// flag value, else getenv(ASK_DEFAULT_PROFILE), else "default".
func Profile(flag string, getenv func(string) string) (profile, source string) {
	if flag != "" {
		return flag, SourceArgument
	}
	if getenv != nil {
		if p := getenv(ProfileEnv); p != "" {
			return p, SourceEnv
		}
	}
	return DefaultProfile, SourceDefault
}

// PackageSource reads dir/ask-resources.json and returns the skill package
// it names for profile, joined to dir. found is false when the file does not
// exist.
func PackageSource(dir, profile string) (src string, found bool, err error) {
	file := filepath.Join(dir, ResourcesFile)
	raw, root, err := load(file)
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	prof, err := profileNode(file, raw, root, profile)
	if err != nil {
		return "", false, err
	}
	at := "profiles." + profile
	meta := prof.get("skillMetadata")
	if meta == nil {
		return "", false, fmt.Errorf("%s: %s has no skillMetadata: add \"skillMetadata\": {\"src\": \"./skill-package\"} or pass the package PATH", file, at)
	}
	if err := expect(file, raw, meta, kindObject, at+".skillMetadata"); err != nil {
		return "", false, err
	}
	s := meta.get("src")
	if s == nil {
		return "", false, fmt.Errorf("%s: %s.skillMetadata has no src: add \"src\": \"./skill-package\" or pass the package PATH", file, at)
	}
	if err := expect(file, raw, s, kindString, at+".skillMetadata.src"); err != nil {
		return "", false, err
	}
	if strings.TrimSpace(s.str) == "" {
		line, col := position(raw, s.off)
		return "", false, fmt.Errorf("%s:%d:%d: %s.skillMetadata.src is empty: set it to the skill package folder (ask-cli uses \"./skill-package\")", file, line, col, at)
	}
	if filepath.IsAbs(s.str) {
		return filepath.Clean(s.str), true, nil
	}
	return filepath.Join(dir, filepath.FromSlash(s.str)), true, nil
}

// SkillID reads dir/.ask/ask-states.json and returns the skill id recorded
// for profile. It returns "" without error when the file does not exist or
// the profile has no skillId yet (ask-cli writes the id on first deploy).
func SkillID(dir, profile string) (string, error) {
	file := filepath.Join(dir, filepath.FromSlash(StatesFile))
	raw, root, err := load(file)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	prof, err := profileNode(file, raw, root, profile)
	if err != nil {
		return "", err
	}
	id := prof.get("skillId")
	if id == nil {
		return "", nil
	}
	if err := expect(file, raw, id, kindString, "profiles."+profile+".skillId"); err != nil {
		return "", err
	}
	v := strings.TrimSpace(id.str)
	if v != "" && strings.ContainsAny(v, " \t\r\n/?#") {
		line, col := position(raw, id.off)
		return "", fmt.Errorf("%s:%d:%d: profiles.%s.skillId %q is not a skill id (amzn1.ask.skill.…): fix it or pass --skill-id", file, line, col, profile, v)
	}
	return v, nil
}

// load reads and parses a file. A missing file is returned as an error
// matching fs.ErrNotExist; other read errors and syntax errors name the file.
func load(file string) ([]byte, *node, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, err
		}
		return nil, nil, fmt.Errorf("cannot read %s: %w", file, err)
	}
	root, err := parseJSON(raw)
	if err != nil {
		return nil, nil, syntaxError(file, raw, err)
	}
	return raw, root, nil
}

// profileNode returns profiles.<profile>, checking the shape on the way.
func profileNode(file string, raw []byte, root *node, profile string) (*node, error) {
	if err := expect(file, raw, root, kindObject, "the top level"); err != nil {
		return nil, err
	}
	profiles := root.get("profiles")
	if profiles == nil {
		return nil, fmt.Errorf("%s: no \"profiles\" object: this is not a file ask-cli v2 wrote; fix it or remove it", file)
	}
	if err := expect(file, raw, profiles, kindObject, "profiles"); err != nil {
		return nil, err
	}
	prof := profiles.get(profile)
	if prof == nil {
		have := "none"
		if len(profiles.keys) > 0 {
			have = strings.Join(unique(profiles.keys), ", ")
		}
		return nil, fmt.Errorf("%s: no profile %q (profiles: %s): pass --profile or set %s to one of them", file, profile, have, ProfileEnv)
	}
	if err := expect(file, raw, prof, kindObject, "profiles."+profile); err != nil {
		return nil, err
	}
	return prof, nil
}

func expect(file string, raw []byte, n *node, want kind, what string) error {
	if n.kind == want {
		return nil
	}
	line, col := position(raw, n.off)
	return fmt.Errorf("%s:%d:%d: %s must be %s, not %s", file, line, col, what, want, n.kind)
}

func unique(keys []string) []string {
	seen := make(map[string]bool, len(keys))
	var out []string
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}
