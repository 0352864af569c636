package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/skillgate/skillgate/internal/deploy"
	"github.com/skillgate/skillgate/internal/skillpkg"
	"github.com/skillgate/skillgate/internal/smapi"
)

// createFromPackage creates the skill through a package import when PATH
// (args, resolved to the manifest file) is a package folder holding what
// the manifest API cannot carry; done is false otherwise, and the caller
// creates it from the manifest as before.
func createFromPackage(ctx context.Context, env *Env, c *smapi.Client, vendor string, args []string, manifestFile string, asJSON bool, timeout time.Duration) (code int, done bool) {
	const name = "skills create"
	if len(args) == 1 {
		if info, err := os.Stat(args[0]); err != nil || !info.IsDir() {
			return ExitOK, false // a skill.json file: the manifest API
		}
	}
	dir := filepath.Dir(manifestFile)
	files, err := skillpkg.ReadDir(dir)
	if err != nil {
		return smapiExit(env, name, err), true
	}
	why := skillpkg.ImportReason(files, "")
	if why == "" {
		return ExitOK, false
	}
	fmt.Fprintf(env.Stderr, "skillgate %s: through upload and import: %s\n", name, why)
	st, err := importNewSkill(ctx, env, c, vendor, files, timeout)
	if err != nil {
		return smapiExit(env, name, err), true
	}
	id := st.Skill.SkillID
	if asJSON {
		return jsonDone(env, name, struct {
			SkillID string `json:"skillId"`
			Status  string `json:"status"`
			ETag    string `json:"eTag,omitempty"`
		}{id, st.Status, st.Skill.ETag}), true
	}
	fmt.Fprintln(env.Stdout, id)
	fmt.Fprintf(env.Stderr, "created skill %s from the package %s (%d files)\n", id, dir, len(files))
	return ExitOK, true
}

// importNewSkill creates a skill of vendor from the package files (upload,
// POST /v1/skills/imports) and waits for the import and its builds,
// progress on stderr: `skills create` and a deploy that finds no skill id
// both create a skill this way, as ask deploy does. The status it returns
// names the new skill.
func importNewSkill(ctx context.Context, env *Env, c *smapi.Client, vendor string, files map[string][]byte, timeout time.Duration) (*smapi.ImportStatus, error) {
	zip, err := skillpkg.Pack(files)
	if err != nil {
		return nil, err
	}
	st, err := deploy.CreateFromPackage(ctx, c, vendor, zip, smapi.WaitOptions{Timeout: timeout, OnProgress: func(p smapi.Progress) {
		fmt.Fprintf(env.Stderr, "[%s] %s\n", p.Elapsed.Round(time.Second), progressLine(p.States))
	}})
	if err != nil {
		return nil, err
	}
	if st.Skill == nil || st.Skill.SkillID == "" {
		return nil, fmt.Errorf("the import SUCCEEDED but named no skill id; list the vendor's skills to find it")
	}
	return st, nil
}
