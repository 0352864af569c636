package discover

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const (
	v1Skill   = `{"manifest": {"manifestVersion": "1.0"}}`
	v0Skill   = "{\n  \"skillManifest\": {\"manifestVersion\": \"1.0\"}\n}\n"
	idAlpha   = "amzn1.ask.skill.aaaaaaaa-0000-0000-0000-000000000001"
	idProd    = "amzn1.ask.skill.aaaaaaaa-0000-0000-0000-000000000002"
	resources = `{"askcliResourcesVersion": "2020-03-31", "profiles": {
  "default": {"skillMetadata": {"src": "./skill-package"}, "code": {"default": {"src": "./lambda"}}},
  "prod": {"skillMetadata": {"src": "./skill-package"}}}}`
	states = `{"askcliStatesVersion": "2020-03-31", "profiles": {
  "default": {"skillId": "` + idAlpha + `", "skillMetadata": {"lastDeployHash": "x"}},
  "prod": {"skillId": "` + idProd + `"}}}`
)

// tree is a monorepo with every case Find must get right.
var tree = map[string]string{
	// An ask-cli v2 project: report its package folder with its skill id.
	"alpha/ask-resources.json":           resources,
	"alpha/.ask/ask-states.json":         states,
	"alpha/skill-package/skill.json":     v1Skill,
	"alpha/.ask/lambda/skill.json":       v1Skill, // build output: hidden, skipped
	"alpha/lambda/index.js":              "exports.handler = () => {};",
	"alpha/other/skill.json":             v1Skill, // inside alpha but not its package: no id
	"nested/deeper/beta/skill.json":      v0Skill, // nested, v0, no project
	"node_modules/pkg/skill.json":        v1Skill, // skipped
	"nested/node_modules/x/skill.json":   v1Skill, // skipped at any depth
	".github/skill.json":                 v1Skill, // hidden, skipped
	"gamma/skill.json":                   `{"name": "not an Alexa skill"}`,
	"gamma/package.json":                 `{}`,
	"broken/ask-resources.json":          `{"profiles": {"default": {"skillMetadata": {"src": "pkg"}}}}`,
	"broken/pkg/skill.json":              `{"manifest": oops`, // named by the project: counted
	"syntax/skill.json":                  `{"manifest" oops`,  // top-level key found before the error
	"a-b/c/skill.json":                   v1Skill,             // name clash with a/b-c
	"a/b-c/skill.json":                   v1Skill,
	"plain/skill-package/skill.json":     v1Skill, // .ask without ask-resources.json
	"plain/.ask/ask-states.json":         `{"profiles": {"default": {"skillId": "amzn1.ask.skill.plain"}}}`,
	"arrays/skill.json":                  `[{"manifest": {}}]`,
	"alpha/skill-package/assets/a.png":   "png",
	"nested/deeper/beta/models/x.json":   "{}",
	"alpha/skill-package/extra/note.txt": "x",
}

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestFind(t *testing.T) {
	t.Parallel()
	root := writeTree(t, tree)
	tests := []struct {
		name    string
		profile string
		want    []Package
	}{
		{"default profile", "", []Package{
			{Name: "a-b-c", Path: "a-b/c"},
			{Name: "a-b-c-2", Path: "a/b-c"},
			{Name: "alpha-other", Path: "alpha/other"},
			{Name: "alpha", Path: "alpha/skill-package", SkillID: idAlpha},
			{Name: "broken-pkg", Path: "broken/pkg"},
			{Name: "nested-deeper-beta", Path: "nested/deeper/beta"},
			{Name: "plain", Path: "plain/skill-package", SkillID: "amzn1.ask.skill.plain"},
			{Name: "syntax", Path: "syntax"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Find(context.Background(), root, Options{Profile: tt.profile})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got.Include); diff != "" {
				t.Errorf("Find() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFindProfile(t *testing.T) {
	t.Parallel()
	root := writeTree(t, map[string]string{
		"ask-resources.json":         resources,
		".ask/ask-states.json":       states,
		"skill-package/skill.json":   v1Skill,
		"skill-package/.hidden/x.js": "",
	})
	got, err := Find(context.Background(), root, Options{Profile: "prod"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Package{{Name: filepath.Base(root), Path: "skill-package", SkillID: idProd}}
	if diff := cmp.Diff(want, got.Include); diff != "" {
		t.Errorf("Find() mismatch (-want +got):\n%s", diff)
	}

	// A profile the project does not have is an error naming the file.
	_, err = Find(context.Background(), root, Options{Profile: "staging"})
	if err == nil || !strings.Contains(err.Error(), "ask-resources.json") || !strings.Contains(err.Error(), `no profile "staging"`) {
		t.Errorf("Find(profile staging) error = %v", err)
	}
}

func TestFindRootIsPackage(t *testing.T) {
	t.Parallel()
	root := writeTree(t, map[string]string{"skill.json": v0Skill})
	got, err := Find(context.Background(), root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Package{{Name: filepath.Base(root), Path: "."}}
	if diff := cmp.Diff(want, got.Include); diff != "" {
		t.Errorf("Find() mismatch (-want +got):\n%s", diff)
	}
}

func TestFindEmpty(t *testing.T) {
	t.Parallel()
	root := writeTree(t, map[string]string{"README.md": "nothing here"})
	got, err := Find(context.Background(), root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	// GitHub needs a list, never null, to evaluate include[0].
	if string(b) != `{"include":[]}` {
		t.Errorf("empty matrix = %s, want {\"include\":[]}", b)
	}
}

func TestFindErrors(t *testing.T) {
	t.Parallel()
	root := writeTree(t, map[string]string{
		"p/ask-resources.json":       resources,
		"p/.ask/ask-states.json":     `{"profiles": {"default": {"skillId": 7}}}`,
		"p/skill-package/skill.json": v1Skill,
	})
	_, err := Find(context.Background(), root, Options{})
	if err == nil || !strings.Contains(err.Error(), filepath.Join("p", ".ask", "ask-states.json")+":1:38: profiles.default.skillId must be a string") {
		t.Errorf("corrupt states: error = %v", err)
	}
	if _, err := Find(context.Background(), filepath.Join(root, "nope"), Options{}); err == nil {
		t.Error("missing root: no error")
	}
	if _, err := Find(context.Background(), filepath.Join(root, "p", "ask-resources.json"), Options{}); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("file as root: error = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Find(ctx, root, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: error = %v", err)
	}
}

func TestChangedSince(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	root := writeTree(t, map[string]string{
		"one/skill.json":               v1Skill,
		"two/skill-package/skill.json": v1Skill,
		"three/skill.json":             v1Skill,
		"four/skill.json":              v1Skill,
		"README.md":                    "x",
		".gitignore":                   "ignored/\n",
	})
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write := func(name, content string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run("init", "-q", "-b", "main")
	run("add", ".")
	run("commit", "-q", "-m", "base")
	run("checkout", "-q", "-b", "feature")
	write("two/skill-package/interactionModels/custom/en-US.json", "{}") // committed on the branch
	run("add", ".")
	run("commit", "-q", "-m", "two")
	run("checkout", "-q", "main")
	write("four/skill.json", `{"manifest": {"changed": "on main"}}`) // lands on main after the fork
	run("commit", "-q", "-am", "four on main")
	run("checkout", "-q", "feature")
	write("three/skill.json", `{"manifest": {"x": 1}}`) // uncommitted
	write("one/new.txt", "untracked")                   // untracked
	write("ignored/skill.json", v1Skill)                // ignored, and not a package in git's eyes

	got, err := Find(context.Background(), root, Options{ChangedSince: "main"})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, p := range got.Include {
		paths = append(paths, p.Path)
	}
	// four changed on main, not on this branch: the three-dot diff leaves it out.
	if diff := cmp.Diff([]string{"one", "three", "two/skill-package"}, paths); diff != "" {
		t.Errorf("changed since main (-want +got):\n%s", diff)
	}

	// From a sub-folder, paths are relative to it.
	files, err := Changed(context.Background(), filepath.Join(root, "two"), "main", "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"skill-package/interactionModels/custom/en-US.json"}, files); diff != "" {
		t.Errorf("Changed(two) (-want +got):\n%s", diff)
	}

	_, err = Find(context.Background(), root, Options{ChangedSince: "no-such-branch"})
	var ge *GitError
	if !errors.As(err, &ge) || !errors.Is(err, ErrGit) || !strings.Contains(err.Error(), "no-such-branch") {
		t.Errorf("bad ref: error = %v, want a GitError with git's message", err)
	}
	if _, err := Find(context.Background(), root, Options{ChangedSince: "--output=x"}); err == nil || !strings.Contains(err.Error(), "not a Git revision") {
		t.Errorf("option as ref: error = %v", err)
	}
}

// TestChangedSinceOutsideGit: --changed-since in a folder that is not in a
// Git work tree says so in one line (issue: git's whole "git diff
// --no-index" usage, a hundred lines, was the message).
func TestChangedSinceOutsideGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	root := writeTree(t, map[string]string{"one/skill.json": v1Skill})
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(root)) // the temp folder may sit inside a clone
	_, err := Find(context.Background(), root, Options{ChangedSince: "main"})
	if !errors.Is(err, ErrGit) || !strings.Contains(err.Error(), "not inside a Git work tree") || strings.Contains(err.Error(), "usage:") {
		t.Errorf("error = %v, want one line saying %s is not in a Git work tree", err, root)
	}
}
