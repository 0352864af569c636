package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/skillgate/skillgate/internal/deploy"
	"github.com/skillgate/skillgate/internal/exitcode"
	"github.com/skillgate/skillgate/internal/skillpkg"
	"github.com/skillgate/skillgate/internal/smapi"
)

// packageDeployOutcome is the --json outcome of a whole-package deploy.
type packageDeployOutcome struct {
	Path      string                `json:"path"` // always "package": the upload and import path
	Reason    string                `json:"reason"`
	SkillID   string                `json:"skillId"`
	Imported  bool                  `json:"imported"`
	ETag      string                `json:"eTag,omitempty"`
	Changes   []skillpkg.Change     `json:"changes"`
	Resources []smapi.ResourceState `json:"resources,omitempty"`
	Error     string                `json:"error,omitempty"`
}

// deployWholePackage deploys the package folder at path through upload and
// import when the per-resource writes cannot carry it (deploy.PackagePath);
// done is false when they can, and the caller deploys as before.
func deployWholePackage(ctx context.Context, env *Env, c deployConfig, path, skillID string, client *smapi.Client) (code int, done bool) {
	if info, err := os.Stat(path); err != nil || !info.IsDir() {
		return ExitOK, false // a lone skill.json: the manifest API carries it
	}
	files, err := skillpkg.ReadDir(path)
	if err != nil {
		return deployFail(env, ExitUsage, "%v", err), true
	}
	why := deploy.PackagePath(files, skillID)
	if why == "" {
		return ExitOK, false
	}
	if c.opts.ExpectETag != "" || c.opts.ExpectSHA256 != "" || c.opts.Submit != deploy.SubmitNone {
		return deployFail(env, ExitUsage, "this deploy goes through a package import (%s); --expect-etag, --expect-sha256 and --submit apply to per-resource deploys: the import is guarded by the If-Match of the package exported just before", why), true
	}
	fmt.Fprintf(env.Stderr, "skillgate deploy: the whole package through upload and import: %s\n", why)
	res, err := deploy.DeployPackage(ctx, client, deploy.PackageInput{Files: files, SkillID: skillID, Wait: smapi.WaitOptions{
		Timeout: c.opts.Timeout,
		OnProgress: func(p smapi.Progress) {
			fmt.Fprintf(env.Stderr, "[%s] %s\n", p.Elapsed.Round(time.Second), progressLine(p.States))
		},
	}})
	out := packageDeployOutcome{Path: "package", Reason: why, SkillID: skillID, Changes: []skillpkg.Change{}}
	if res != nil {
		out.Imported, out.ETag, out.Resources = res.Imported, res.ETag, res.Resources
		out.Changes = append(out.Changes, res.Changes...)
	}
	if err != nil {
		out.Error = err.Error()
	}
	if c.json {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if werr := enc.Encode(out); werr != nil {
			return deployFail(env, ExitFailed, "write the outcome: %v", werr), true
		}
	} else {
		writePackageOutcome(env, out)
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "skillgate deploy: %v\n", err)
	}
	return exitcode.Of(err), true
}

func writePackageOutcome(env *Env, out packageDeployOutcome) {
	w := env.Stdout
	fmt.Fprintf(w, "skillgate deploy: %s through a package import\n", out.SkillID)
	for _, ch := range out.Changes {
		switch ch.Kind {
		case skillpkg.Changed:
			fmt.Fprintf(w, "  changed %s (%d → %d bytes, sha256 %.12s → %.12s)\n", ch.Path, ch.OldSize, ch.Size, ch.OldSHA256, ch.SHA256)
		default:
			fmt.Fprintf(w, "  %s %s (%d bytes, sha256 %.12s)\n", ch.Kind, ch.Path, ch.Size, ch.SHA256)
		}
	}
	if !out.Imported && out.Error == "" {
		fmt.Fprintf(w, "no changes: the live package equals the repository's; nothing was uploaded\n")
		return
	}
	for _, r := range out.Resources {
		fmt.Fprintf(w, "  %s\n", r)
	}
	if out.Error == "" {
		fmt.Fprintf(w, "deployed %d file change(s); the package's ETag is now %s\n", len(out.Changes), out.ETag)
	}
}
