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

	"github.com/skillgate/skillgate/internal/jsonfile"
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

// ManifestName is the skill manifest's file name in a skill package.
const ManifestName = "skill.json"

// ManifestFile returns the skill.json of path, which names a skill package
// folder (as ask-cli lays out skill-package/) or a skill.json file itself;
// folder reports which. An error names the path and says what to give.
func ManifestFile(path string) (file string, folder bool, err error) {
	info, err := os.Stat(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return "", false, fmt.Errorf("cannot open %s: %w (give the skill-package folder or its skill.json)", filepath.ToSlash(path), err)
	}
	if !info.IsDir() {
		return path, false, nil
	}
	file = filepath.Join(path, ManifestName)
	if _, err := os.Lstat(file); errors.Is(err, fs.ErrNotExist) {
		return "", true, fmt.Errorf("%s holds no skill.json: give the skill package folder (ask-cli calls it skill-package) or the path of its skill.json: %w",
			filepath.ToSlash(filepath.Clean(path)), fs.ErrNotExist)
	}
	return file, true, nil
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
	f, err := load(filepath.Join(dir, ResourcesFile))
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	at := "/profiles/" + jsonfile.EscapePointer(profile)
	name := "profiles." + profile
	prof, err := f.profile(profile)
	if err != nil {
		return "", false, err
	}
	meta, ok := prof["skillMetadata"]
	if !ok {
		return "", false, fmt.Errorf("%s: %s has no skillMetadata: add \"skillMetadata\": {\"src\": \"./skill-package\"} or pass the package PATH", f.name, name)
	}
	if err := f.expect(at+"/skillMetadata", meta, "an object", name+".skillMetadata"); err != nil {
		return "", false, err
	}
	s, ok := meta.(map[string]any)["src"]
	if !ok {
		return "", false, fmt.Errorf("%s: %s.skillMetadata has no src: add \"src\": \"./skill-package\" or pass the package PATH", f.name, name)
	}
	if err := f.expect(at+"/skillMetadata/src", s, "a string", name+".skillMetadata.src"); err != nil {
		return "", false, err
	}
	folder := s.(string)
	if strings.TrimSpace(folder) == "" {
		return "", false, fmt.Errorf("%s: %s.skillMetadata.src is empty: set it to the skill package folder (ask-cli uses \"./skill-package\")", f.at(at+"/skillMetadata/src"), name)
	}
	if filepath.IsAbs(folder) {
		return filepath.Clean(folder), true, nil
	}
	return filepath.Join(dir, filepath.FromSlash(folder)), true, nil
}

// SkillID reads dir/.ask/ask-states.json and returns the skill id recorded
// for profile. It returns "" without error when the file does not exist or
// the profile has no skillId yet (ask-cli writes the id on first deploy).
func SkillID(dir, profile string) (string, error) {
	f, err := load(filepath.Join(dir, filepath.FromSlash(StatesFile)))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	prof, err := f.profile(profile)
	if err != nil {
		return "", err
	}
	id, ok := prof["skillId"]
	if !ok {
		return "", nil
	}
	at := "/profiles/" + jsonfile.EscapePointer(profile) + "/skillId"
	if err := f.expect(at, id, "a string", "profiles."+profile+".skillId"); err != nil {
		return "", err
	}
	v := strings.TrimSpace(id.(string))
	if v != "" && strings.ContainsAny(v, " \t\r\n/?#") {
		return "", fmt.Errorf("%s: profiles.%s.skillId %q is not a skill id (amzn1.ask.skill.…): fix it or pass --skill-id", f.at(at), profile, v)
	}
	return v, nil
}

// maxFileSize bounds the ask-cli files read: they hold a few profiles.
const maxFileSize = 1 << 20

// maxDepth bounds their nesting; ask-cli writes four levels.
const maxDepth = 64

// file is an ask-cli file as read.
type file struct {
	name string
	tree *jsonfile.Tree
}

// load reads and parses a file. A missing file is returned as an error
// matching fs.ErrNotExist; other read errors and syntax errors name the file.
func load(name string) (*file, error) {
	raw, err := jsonfile.ReadFile(name, maxFileSize)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("cannot read %s: %w", name, err)
	}
	tree, err := jsonfile.Parse(raw, maxDepth)
	var se *jsonfile.SyntaxError
	var de *jsonfile.DepthError
	switch {
	case errors.As(err, &se):
		pos := jsonfile.PositionOf(raw, se.Offset)
		return nil, fmt.Errorf("%s:%d:%d: %w", name, pos.Line, pos.Column, err)
	case errors.As(err, &de):
		pos := jsonfile.PositionOf(raw, de.Offset)
		return nil, fmt.Errorf("%s:%d:%d: %w: this is not a file ask-cli wrote", name, pos.Line, pos.Column, err)
	case err != nil:
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &file{name: name, tree: tree}, nil
}

// at is "file:line:column" of the value at pointer.
func (f *file) at(pointer string) string {
	pos, _ := f.tree.Pos(pointer)
	return fmt.Sprintf("%s:%d:%d", f.name, pos.Line, pos.Column)
}

// profile returns profiles.<profile>, checking the shape on the way.
func (f *file) profile(profile string) (map[string]any, error) {
	if err := f.expect("", f.tree.Value, "an object", "the top level"); err != nil {
		return nil, err
	}
	profiles, ok := f.tree.Value.(map[string]any)["profiles"]
	if !ok {
		return nil, fmt.Errorf("%s: no \"profiles\" object: this is not a file ask-cli v2 wrote; fix it or remove it", f.name)
	}
	if err := f.expect("/profiles", profiles, "an object", "profiles"); err != nil {
		return nil, err
	}
	prof, ok := profiles.(map[string]any)[profile]
	if !ok {
		have := "none"
		if keys := f.tree.Keys("/profiles"); len(keys) > 0 {
			have = strings.Join(keys, ", ")
		}
		return nil, fmt.Errorf("%s: no profile %q (profiles: %s): pass --profile or set %s to one of them", f.name, profile, have, ProfileEnv)
	}
	at := "/profiles/" + jsonfile.EscapePointer(profile)
	if err := f.expect(at, prof, "an object", "profiles."+profile); err != nil {
		return nil, err
	}
	return prof.(map[string]any), nil
}

// expect checks that v, the value at pointer, is of the kind want
// (as jsonfile.Kind names it; "a number" takes integers too).
func (f *file) expect(pointer string, v any, want, what string) error {
	got := jsonfile.Kind(v)
	if got == want {
		return nil
	}
	return fmt.Errorf("%s: %s must be %s, not %s", f.at(pointer), what, want, got)
}
