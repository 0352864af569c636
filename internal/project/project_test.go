package project

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Shapes as ask-cli v2 writes them (askcliResourcesVersion 2020-03-31).
const (
	resourcesDefault = `{
  "askcliResourcesVersion": "2020-03-31",
  "profiles": {
    "default": {
      "skillMetadata": {
        "src": "./skill-package"
      },
      "code": {
        "default": {
          "src": "./lambda"
        }
      },
      "skillInfrastructure": {
        "type": "@ask-cli/lambda-deployer",
        "userConfig": {"runtime": "nodejs18.x", "handler": "index.handler", "awsRegion": "us-east-1"}
      }
    },
    "prod": {
      "skillMetadata": {
        "src": "./packages/prod"
      }
    }
  }
}
`
	statesDefault = `{
  "askcliStatesVersion": "2020-03-31",
  "profiles": {
    "default": {
      "skillId": "amzn1.ask.skill.11111111-2222-3333-4444-555555555555",
      "skillMetadata": {
        "lastDeployHash": "abc"
      },
      "code": {}
    },
    "prod": {
      "skillId": "amzn1.ask.skill.99999999-2222-3333-4444-555555555555"
    },
    "fresh": {
      "skillInfrastructure": {"@ask-cli/lambda-deployer": {"deployState": {}}}
    }
  }
}
`
)

func TestResolve(t *testing.T) {
	t.Parallel()
	const (
		idDefault = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"
		idProd    = "amzn1.ask.skill.99999999-2222-3333-4444-555555555555"
	)
	tests := []struct {
		name      string
		resources string // "" means no file
		states    string
		path, id  string
		profile   string
		env       map[string]string
		want      Resolved // Path relative to the project folder
		wantErr   string   // substring; the file name is checked separately
		errFile   string
	}{
		{
			name: "nothing at all: ask-cli defaults",
			want: Resolved{Path: "skill-package", PathSource: SourceDefault, Profile: "default", ProfileSource: SourceDefault},
		},
		{
			name:      "both files, default profile",
			resources: resourcesDefault, states: statesDefault,
			want: Resolved{Path: "skill-package", PathSource: SourceResources, SkillID: idDefault, SkillIDSource: SourceStates, Profile: "default", ProfileSource: SourceDefault},
		},
		{
			name:      "profile from the environment",
			resources: resourcesDefault, states: statesDefault,
			env:  map[string]string{ProfileEnv: "prod"},
			want: Resolved{Path: "packages/prod", PathSource: SourceResources, SkillID: idProd, SkillIDSource: SourceStates, Profile: "prod", ProfileSource: SourceEnv},
		},
		{
			name:      "profile argument beats the environment",
			resources: resourcesDefault, states: statesDefault,
			profile: "default", env: map[string]string{ProfileEnv: "prod"},
			want: Resolved{Path: "skill-package", PathSource: SourceResources, SkillID: idDefault, SkillIDSource: SourceStates, Profile: "default", ProfileSource: SourceArgument},
		},
		{
			name:      "arguments win and the files are not read",
			resources: "{broken", states: "{broken",
			path: "elsewhere", id: "amzn1.ask.skill.given",
			want: Resolved{Path: "elsewhere", PathSource: SourceArgument, SkillID: "amzn1.ask.skill.given", SkillIDSource: SourceArgument, Profile: "default", ProfileSource: SourceDefault},
		},
		{
			name:   "states without resources: default package, id from states",
			states: statesDefault,
			want:   Resolved{Path: "skill-package", PathSource: SourceDefault, SkillID: idDefault, SkillIDSource: SourceStates, Profile: "default", ProfileSource: SourceDefault},
		},
		{
			name:      "never deployed: profile without skillId",
			resources: `{"profiles":{"fresh":{"skillMetadata":{"src":"pkg"}}}}`, states: statesDefault,
			profile: "fresh",
			want:    Resolved{Path: "pkg", PathSource: SourceResources, Profile: "fresh", ProfileSource: SourceArgument},
		},
		{
			name:      "empty skillId is no id",
			resources: resourcesDefault, states: `{"profiles":{"default":{"skillId":""}}}`,
			want: Resolved{Path: "skill-package", PathSource: SourceResources, Profile: "default", ProfileSource: SourceDefault},
		},
		{
			name:      "resources: bad JSON",
			resources: "{\n  \"profiles\": {\n    \"default\": {,\n  }\n}\n",
			errFile:   ResourcesFile, wantErr: ":3:17: invalid JSON",
		},
		{
			name:      "resources: truncated",
			resources: "{\n  \"profiles\": {",
			errFile:   ResourcesFile, wantErr: ":2:16: invalid JSON: the file ends in the middle of a value",
		},
		{
			name:      "resources: trailing garbage",
			resources: "{\"profiles\":{}} x",
			errFile:   ResourcesFile, wantErr: ":1:17: invalid JSON: invalid character 'x' after top-level value",
		},
		{
			name:      "resources: top level is an array",
			resources: "[]",
			errFile:   ResourcesFile, wantErr: ":1:1: the top level must be an object, not an array",
		},
		{
			name:      "resources: no profiles",
			resources: `{"askcliResourcesVersion": "2020-03-31"}`,
			errFile:   ResourcesFile, wantErr: `no "profiles" object`,
		},
		{
			name:      "resources: profiles is a list",
			resources: "{\n\t\"profiles\": [1]\n}",
			errFile:   ResourcesFile, wantErr: ":2:14: profiles must be an object, not an array",
		},
		{
			name:      "resources: profile missing",
			resources: resourcesDefault,
			profile:   "staging",
			errFile:   ResourcesFile, wantErr: `no profile "staging" (profiles: default, prod): pass --profile or set ASK_DEFAULT_PROFILE`,
		},
		{
			name:      "resources: profile is a string",
			resources: `{"profiles": {"default": "x"}}`,
			errFile:   ResourcesFile, wantErr: ":1:26: profiles.default must be an object, not a string",
		},
		{
			name:      "resources: no skillMetadata",
			resources: `{"profiles": {"default": {"code": {}}}}`,
			errFile:   ResourcesFile, wantErr: "profiles.default has no skillMetadata",
		},
		{
			name:      "resources: src is a number",
			resources: "{\"profiles\": {\"default\": {\"skillMetadata\": {\n  \"src\": 42}}}}",
			errFile:   ResourcesFile, wantErr: ":2:10: profiles.default.skillMetadata.src must be a string, not an integer",
		},
		{
			name:      "resources: src missing",
			resources: `{"profiles": {"default": {"skillMetadata": {}}}}`,
			errFile:   ResourcesFile, wantErr: "profiles.default.skillMetadata has no src",
		},
		{
			name:      "resources: src empty",
			resources: `{"profiles": {"default": {"skillMetadata": {"src": " "}}}}`,
			errFile:   ResourcesFile, wantErr: ":1:52: profiles.default.skillMetadata.src is empty",
		},
		{
			name:      "states: bad JSON",
			resources: resourcesDefault, states: "{\"profiles\": {\"default\": {\"skillId\": 'x'}}}",
			errFile: StatesFile, wantErr: ":1:38: invalid JSON",
		},
		{
			name:      "states: profile missing",
			resources: resourcesDefault, states: statesDefault,
			profile: "other",
			errFile: ResourcesFile, wantErr: `no profile "other"`,
		},
		{
			name:      "states: profile missing (resources has it)",
			resources: `{"profiles":{"other":{"skillMetadata":{"src":"p"}}}}`, states: statesDefault,
			profile: "other",
			errFile: StatesFile, wantErr: `no profile "other" (profiles: default, prod, fresh)`,
		},
		{
			name:      "states: skillId is a number",
			resources: resourcesDefault, states: "{\"profiles\": {\"default\": {\n    \"skillId\": 12}}}",
			errFile: StatesFile, wantErr: ":2:16: profiles.default.skillId must be a string, not an integer",
		},
		{
			name:      "states: skillId is not an id",
			resources: resourcesDefault, states: `{"profiles": {"default": {"skillId": "my skill"}}}`,
			errFile: StatesFile, wantErr: `:1:38: profiles.default.skillId "my skill" is not a skill id`,
		},
		{
			name:      "states: null profiles",
			resources: resourcesDefault, states: `{"profiles": null}`,
			errFile: StatesFile, wantErr: ":1:14: profiles must be an object, not null",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := writeProject(t, tt.resources, tt.states)
			getenv := func(k string) string { return tt.env[k] }
			got, err := Resolve(dir, tt.path, tt.id, tt.profile, getenv)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("Resolve() = %+v, want error containing %q", got, tt.wantErr)
				}
				wantFile := filepath.Join(dir, filepath.FromSlash(tt.errFile))
				if !strings.HasPrefix(err.Error(), wantFile) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Resolve() error = %q, want it to start with %s and contain %q", err, wantFile, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve() error = %v", err)
			}
			if got.PathSource != SourceArgument {
				rel, err := filepath.Rel(dir, got.Path)
				if err != nil {
					t.Fatal(err)
				}
				got.Path = filepath.ToSlash(rel)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Resolve() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestResolveRelativeDir(t *testing.T) {
	// The CLI passes "." for the working directory: the path must stay
	// relative so messages and findings show "skill-package/skill.json".
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, ResourcesFile), resourcesDefault)
	t.Chdir(dir)
	got, err := Resolve(".", "", "", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Path != "skill-package" {
		t.Errorf("Path = %q, want skill-package", got.Path)
	}
}

func TestNotes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		r    Resolved
		want []string
	}{
		{"all from files", Resolved{Path: "skill-package", PathSource: SourceResources, SkillID: "amzn1.ask.skill.x", SkillIDSource: SourceStates, Profile: "default"},
			[]string{"using skill-package from ask-resources.json (profile default)", "using skill id amzn1.ask.skill.x from .ask/ask-states.json (profile default)"}},
		{"default package", Resolved{Path: "skill-package", PathSource: SourceDefault, Profile: "default"},
			[]string{"using skill-package (no PATH given and no ask-resources.json here)"}},
		{"all given", Resolved{Path: "p", PathSource: SourceArgument, SkillID: "x", SkillIDSource: SourceArgument, Profile: "default"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, tt.r.Notes()); diff != "" {
				t.Errorf("Notes() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUnreadableFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// A folder where the file should be: reading fails with something other
	// than "does not exist", which must not fall back to the default.
	if err := os.MkdirAll(filepath.Join(dir, ResourcesFile), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := Resolve(dir, "", "", "", nil)
	if err == nil || !strings.Contains(err.Error(), "cannot read") {
		t.Fatalf("Resolve() error = %v, want a read error", err)
	}
}

// writeProject writes an ask-cli project's files into a new folder, each
// only when given.
func writeProject(t *testing.T, resources, states string) string {
	t.Helper()
	dir := t.TempDir()
	if resources != "" {
		writeFile(t, filepath.Join(dir, ResourcesFile), resources)
	}
	if states != "" {
		writeFile(t, filepath.Join(dir, filepath.FromSlash(StatesFile)), states)
	}
	return dir
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestResolvePathIgnoresStates(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, ResourcesFile), resourcesDefault)
	writeFile(t, filepath.Join(dir, StatesFile), "{broken")
	got, err := ResolvePath(dir, "", "prod", nil)
	if err != nil {
		t.Fatalf("ResolvePath() error = %v", err)
	}
	if want := filepath.Join(dir, "packages", "prod"); got.Path != want || got.SkillID != "" {
		t.Errorf("ResolvePath() = %+v, want Path %s and no skill id", got, want)
	}
	if _, err := Resolve(dir, "", "", "prod", nil); err == nil {
		t.Error("Resolve() with a broken states file: no error")
	}
}

func TestRecordSkillID(t *testing.T) {
	t.Parallel()
	const resources = `{"askcliResourcesVersion":"2020-03-31","profiles":{"default":{"skillMetadata":{"src":"./skill-package"}}}}`
	tests := []struct {
		name      string
		resources string // "" means no ask-resources.json
		states    string // "" means no states file
		written   bool
		wantErr   string
		want      map[string]any // the states file afterwards, when written
	}{
		{name: "not an ask-cli project", states: ""},
		{name: "no states file yet", resources: resources, written: true, want: map[string]any{
			"askcliStatesVersion": "2020-03-31",
			"profiles":            map[string]any{"dev": map[string]any{"skillId": "amzn1.ask.skill.new"}},
		}},
		{name: "other profiles and keys kept", resources: resources,
			states:  `{"askcliStatesVersion":"2020-03-31","profiles":{"default":{"skillId":"amzn1.ask.skill.old"},"dev":{"skillInfrastructure":{"n":1.50}}}}`,
			written: true, want: map[string]any{
				"askcliStatesVersion": "2020-03-31",
				"profiles": map[string]any{
					"default": map[string]any{"skillId": "amzn1.ask.skill.old"},
					"dev":     map[string]any{"skillId": "amzn1.ask.skill.new", "skillInfrastructure": map[string]any{"n": json.Number("1.50")}},
				},
			}},
		{name: "broken states file left alone", resources: resources, states: `{"profiles":`, wantErr: "is not an ask-cli states file"},
		{name: "profiles not an object", resources: resources, states: `{"profiles":[]}`, wantErr: "profiles must be an object"},
		{name: "profile not an object", resources: resources, states: `{"profiles":{"dev":"x"}}`, wantErr: "profiles.dev must be an object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := writeProject(t, tt.resources, tt.states)
			statesName := filepath.Join(dir, filepath.FromSlash(StatesFile))
			written, err := RecordSkillID(dir, "dev", "amzn1.ask.skill.new")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				if b, _ := os.ReadFile(statesName); string(b) != tt.states {
					t.Fatalf("the states file was changed to %s", b)
				}
				return
			}
			if err != nil || written != tt.written {
				t.Fatalf("RecordSkillID = %v, %v; want %v, nil", written, err, tt.written)
			}
			b, err := os.ReadFile(statesName)
			if !tt.written {
				if err == nil {
					t.Fatalf("a states file was written outside an ask-cli project: %s", b)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			dec := json.NewDecoder(bytes.NewReader(b))
			dec.UseNumber()
			var got map[string]any
			if err := dec.Decode(&got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("states file (-want +got):\n%s", diff)
			}
			if id, err := SkillID(dir, "dev"); err != nil || id != "amzn1.ask.skill.new" {
				t.Errorf("SkillID afterwards = %q, %v", id, err)
			}
		})
	}
}
