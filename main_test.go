package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/skillgate/skillgate/internal/githubtest"
	"github.com/skillgate/skillgate/internal/smapitest"
)

// TestMain lets testscript run the real binary's main in-process: scripts in
// testdata/script call "skillgate" as a user would.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"skillgate": main,
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       os.Getenv("UPDATE_SCRIPTS") == "1",
		RequireExplicitExec: true,
		Setup:               setupScript,
	})
}

// Credentials the scripts' simulator requires. Scripts check that none of
// them ever reaches stdout or stderr.
const (
	scriptClientID     = "test-client"
	scriptClientSecret = "test-secret"
	scriptRefreshToken = "test-refresh"
	scriptGitHubToken  = "ghs_test-github-token"
	scriptSkillID      = "amzn1.ask.skill.demo"
)

// setupScript prepares each script's environment: a fresh SMAPI simulator
// with amzn1.ask.skill.demo preloaded from testdata/packages/valid, and a
// fake GitHub API, both on loopback; their URLs and the credentials they
// accept are exported the way a user (ASK_*) and the runner (GITHUB_*,
// INPUT_*) would, so scripts never reach the internet.
func setupScript(env *testscript.Env) error {
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	packages := filepath.Join(wd, "testdata", "packages")
	manifest, err := os.ReadFile(filepath.Join(packages, "valid", "skill.json"))
	if err != nil {
		return err
	}
	sim := smapitest.NewServer(
		smapitest.WithCredentials(scriptClientID, scriptClientSecret, scriptRefreshToken),
		smapitest.WithSkill(scriptSkillID, manifest),
		smapitest.WithBuildTime(50*time.Millisecond),
	)
	env.Defer(sim.Close)
	gh := githubtest.NewServer(githubtest.WithToken(scriptGitHubToken))
	env.Defer(gh.Close)

	env.Setenv("PACKAGES", packages)
	env.Setenv("GITHUB_ACTIONS", "")
	env.Setenv("ASK_SMAPI_SERVER_BASE_URL", sim.URL)
	env.Setenv("ASK_LWA_TOKEN_HOST", sim.URL)
	env.Setenv("ASK_CLIENT_ID", scriptClientID)
	env.Setenv("ASK_CLIENT_SECRET", scriptClientSecret)
	env.Setenv("ASK_REFRESH_TOKEN", scriptRefreshToken)
	env.Setenv("ASK_VENDOR_ID", smapitest.DefaultVendorID)
	env.Setenv("SMAPI_URL", sim.URL)
	env.Setenv("GITHUB_API_URL", gh.URL)
	env.Setenv("GITHUB_TOKEN_VALUE", scriptGitHubToken)
	env.Setenv("SKILL_ID", scriptSkillID)
	env.Values["github"] = gh
	env.Values["smapi"] = sim
	return nil
}
