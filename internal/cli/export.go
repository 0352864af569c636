package cli

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/skillgate/skillgate/internal/project"
	"github.com/skillgate/skillgate/internal/skillpkg"
	"github.com/skillgate/skillgate/internal/smapi"
)

const exportDescription = `Write a skill's live package as an ask-cli v2 project in DIR (default: the
current folder): skill-package/ (skill.json, interaction models, assets and
every other file, as SMAPI exports them), ask-resources.json naming it, and
.ask/ask-states.json holding the skill id, so that a skill built in the
console moves into Git with one command and skillgate and ask-cli both work
there. It exports the stage (POST /v1/skills/{id}/stages/{stage}/exports),
waits for the export and downloads the zip.

Nothing is written when any of those files exists already, unless --force
is given (then they are overwritten; other files in DIR are left alone).

Exit 0 when the project was written, 1 when SMAPI refused or failed, 2 for
a usage or configuration error or a file that exists without --force.`

func runExport(ctx context.Context, env *Env, args []string) int {
	const name = "export"
	var o smapiOpts
	fs := newFlagSet(env, name, "--skill-id ID [--stage development|live] [--force] [DIR]", exportDescription)
	addSMAPIFlags(fs, &o, true)
	stage := stageFlag(fs)
	force := fs.Bool("force", false, "overwrite files that exist in DIR")
	timeout := fs.Duration("timeout", 5*time.Minute, "longest wait for the export")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 1 {
		fmt.Fprintf(env.Stderr, "skillgate %s: one DIR at most, got %q\n", name, fs.Args())
		return ExitUsage
	}
	dir := "."
	if fs.NArg() == 1 {
		dir = fs.Arg(0)
	}
	if *timeout <= 0 {
		fmt.Fprintf(env.Stderr, "skillgate %s: --timeout must be positive\n", name)
		return ExitUsage
	}
	// Before exporting anything: a DIR that is a file cannot take the project.
	if info, err := os.Stat(dir); err == nil && !info.IsDir() {
		fmt.Fprintf(env.Stderr, "skillgate %s: %s is not a folder: give the folder to write the ask-cli project into\n", name, dir)
		return ExitUsage
	}
	c, code, ok := smapiClientForSkillID(env, name, &o, ": the skill to export")
	if !ok {
		return code
	}
	profile, _ := project.Profile(o.profile, env.Getenv)
	files, etag, err := exportProject(ctx, c, o.skillID, stage.value, profile, *timeout)
	if err != nil {
		return smapiExit(env, name, err)
	}
	if err := skillpkg.WriteDir(dir, files, *force); err != nil {
		return smapiExit(env, name, err)
	}
	written := slices.Sorted(maps.Keys(files))
	if o.json {
		return jsonDone(env, name, struct {
			SkillID string   `json:"skillId"`
			Stage   string   `json:"stage"`
			ETag    string   `json:"eTag,omitempty"`
			Dir     string   `json:"dir"`
			Files   []string `json:"files"`
		}{o.skillID, stage.value, etag, dir, written})
	}
	for _, f := range written {
		fmt.Fprintln(env.Stdout, filepath.Join(dir, filepath.FromSlash(f)))
	}
	fmt.Fprintf(env.Stderr, "skillgate %s: wrote the %s package of %s (%d files) as an ask-cli project in %s\n",
		name, stage.value, o.skillID, len(written), dir)
	return ExitOK
}

// exportProject exports the stage's package and returns the project's
// files: the package under skill-package/, and the ask-cli files.
func exportProject(ctx context.Context, c *smapi.Client, skillID, stage, profile string, timeout time.Duration) (map[string][]byte, string, error) {
	pkg, err := smapi.ExportPackage(ctx, c, skillID, stage, smapi.WaitOptions{Timeout: timeout})
	if err != nil {
		return nil, "", err
	}
	unzipped, err := skillpkg.Unpack(pkg.Zip)
	if err != nil {
		return nil, "", fmt.Errorf("the exported package cannot be unpacked safely: %w", err)
	}
	files, err := project.NewFiles(profile, skillID)
	if err != nil {
		return nil, "", err
	}
	for n, b := range unzipped {
		files[project.DefaultPackage+"/"+n] = b
	}
	return files, pkg.ETag, nil
}
