package cli

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/skillgate/skillgate/internal/deploy"
	"github.com/skillgate/skillgate/internal/project"
	"github.com/skillgate/skillgate/internal/skillpkg"
	"github.com/skillgate/skillgate/internal/smapi"
)

// deployCreate is a deploy with no skill id anywhere (no --skill-id, none
// in .ask/ask-states.json): like ask deploy's first run, it creates the
// skill from the whole package (upload, POST /v1/skills/imports, the
// import and its builds waited for), prints the new id on stdout and, in
// an ask-cli project, records it in .ask/ask-states.json so that the next
// deploy updates that skill through an import with If-Match. Always an
// import, even for a package of skill.json and models alone: the import
// creates the manifest and every model in one step, where the manifest API
// would need a create and a write per locale.
func deployCreate(ctx context.Context, env *Env, client *smapi.Client, c deployConfig, resolved project.Resolved, root string) int {
	switch {
	case c.opts.ExpectETag != "" || c.opts.ExpectSHA256 != "":
		return deployFail(env, ExitUsage, "--expect-etag and --expect-sha256 name a live skill, but no skill id was given (--skill-id, or profiles.%s.skillId in %s): pass the skill id, or drop them to create the skill", resolved.Profile, project.StatesFile)
	case c.opts.Submit != deploy.SubmitNone:
		return deployFail(env, ExitUsage, "--submit %s: no skill id was given (--skill-id, or profiles.%s.skillId in %s), so this deploy would create the skill; create it first (deploy without --submit), then deploy again with --submit", c.opts.Submit, resolved.Profile, project.StatesFile)
	}
	vendor := c.vendorID
	if vendor == "" {
		vendor = client.VendorID()
	}
	if vendor == "" {
		return deployFail(env, ExitUsage, "no skill id was given (--skill-id, or profiles.%s.skillId in %s), so the deploy would create the skill, which needs a vendor id: pass --vendor-id or set %s", resolved.Profile, project.StatesFile, smapi.EnvVendorID)
	}
	files, err := skillpkg.ReadDir(filepath.FromSlash(root))
	if err != nil {
		return deployFail(env, ExitUsage, "%v", err)
	}
	fmt.Fprintf(env.Stderr, "skillgate deploy: no skill id (--skill-id, or profiles.%s.skillId in %s): creating the skill through upload and import, as ask deploy does\n", resolved.Profile, project.StatesFile)
	st, err := importNewSkill(ctx, env, client, vendor, files, c.opts.Timeout)
	if err != nil {
		return smapiExit(env, "deploy", err)
	}
	id := st.Skill.SkillID
	recorded, err := project.RecordSkillID(".", resolved.Profile, id)
	if err != nil {
		// The skill exists now: say which it is, so it is not created twice.
		fmt.Fprintln(env.Stdout, id)
		return deployFail(env, ExitFailed, "created skill %s, but could not record it: %v; pass --skill-id %s from now on", id, err, id)
	}
	return deployCreated(env, c.json, st, resolved.Profile, recorded, len(files))
}

// deployCreated reports the skill a deploy created: its id alone on stdout
// (or the --json object), where it was recorded on stderr.
func deployCreated(env *Env, asJSON bool, st *smapi.ImportStatus, profile string, recorded bool, files int) int {
	id := st.Skill.SkillID
	states := ""
	if recorded {
		states = filepath.ToSlash(project.StatesFile)
	}
	if asJSON {
		if err := printJSON(env.Stdout, struct {
			SkillID    string `json:"skillId"`
			Status     string `json:"status"`
			ETag       string `json:"eTag,omitempty"`
			Path       string `json:"path"`
			StatesFile string `json:"statesFile,omitempty"`
		}{id, st.Status, st.Skill.ETag, "package", states}); err != nil {
			return deployFail(env, ExitFailed, "write the outcome: %v", err)
		}
	} else {
		fmt.Fprintln(env.Stdout, id)
	}
	fmt.Fprintf(env.Stderr, "skillgate deploy: created skill %s from the package (%d files, package ETag %s)\n", id, files, st.Skill.ETag)
	if recorded {
		fmt.Fprintf(env.Stderr, "skillgate deploy: recorded it as profiles.%s.skillId in %s; the next deploy updates it\n", profile, states)
	} else {
		fmt.Fprintf(env.Stderr, "skillgate deploy: no %s here, so the id is recorded nowhere: pass --skill-id %s to every later deploy\n", project.ResourcesFile, id)
	}
	return ExitOK
}
