package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
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

// setupScript prepares each script's environment. Servers the scripts need
// (the SMAPI simulator, the fake GitHub API) are started here and their URLs
// exported, so scripts never reach the internet.
func setupScript(env *testscript.Env) error {
	env.Setenv("GITHUB_ACTIONS", "")
	// The shared skill packages in testdata/packages, for scripts to copy in.
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	env.Setenv("PACKAGES", filepath.Join(wd, "testdata", "packages"))
	return nil
}
