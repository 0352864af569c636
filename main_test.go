package main

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/skillgate/skillgate/internal/githubtest"
	"github.com/skillgate/skillgate/internal/skillpkg"
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
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"github-pr":        cmdGitHubPR,
			"github-comments":  cmdGitHubComments,
			"console-edit":     cmdConsoleEdit,
			"masked-only":      cmdMaskedOnly,
			"outputs":          cmdOutputs,
			"github-forbid":    cmdGitHubForbid,
			"github-ratelimit": cmdGitHubRateLimit,
			"scrub":            cmdScrub,
			"sim-package":      cmdSimPackage,
			"sim-requests":     cmdSimRequests,
			"mkpng":            cmdMkPNG,
		},
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

// cmdGitHubPR adds pull request NUMBER to OWNER/REPO on the fake GitHub;
// with a SHA it is merged as that commit.
//
//	github-pr OWNER/REPO NUMBER [MERGE_SHA]
func cmdGitHubPR(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || len(args) > 3 {
		ts.Fatalf("usage: github-pr OWNER/REPO NUMBER [MERGE_SHA]")
	}
	gh := ts.Value("github").(*githubtest.Server)
	owner, repo, _ := strings.Cut(args[0], "/")
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	if _, ok := gh.PullRequest(owner, repo, n); !ok {
		gh.AddPR(owner, repo, githubtest.PR{Number: n, Title: "Change the skill", HeadRef: "change", BaseRef: "main", HeadSHA: fmt.Sprintf("head%d", n)})
	}
	if len(args) == 3 && !gh.MergePR(owner, repo, n, args[2]) {
		ts.Fatalf("could not merge %s#%d", args[0], n)
	}
}

// cmdGitHubComments writes the comments of a pull request to FILE, each
// body after a "== comment ID by LOGIN" line, for grep.
//
//	github-comments OWNER/REPO NUMBER FILE
func cmdGitHubComments(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: github-comments OWNER/REPO NUMBER FILE")
	}
	gh := ts.Value("github").(*githubtest.Server)
	owner, repo, _ := strings.Cut(args[0], "/")
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	var b strings.Builder
	for _, c := range gh.Comments(owner, repo, n) {
		fmt.Fprintf(&b, "== comment %d by %s\n%s\n", c.ID, c.User.Login, c.Body)
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[2]), []byte(b.String()), 0o644))
}

// cmdConsoleEdit replaces the development manifest of SKILL_ID with FILE, as
// a teammate editing in the developer console would.
//
//	console-edit SKILL_ID FILE
func cmdConsoleEdit(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: console-edit SKILL_ID FILE")
	}
	sim := ts.Value("smapi").(*smapitest.Server)
	body, err := os.ReadFile(ts.MkAbs(args[1]))
	ts.Check(err)
	_, err = sim.SetManifest(args[0], "development", body)
	ts.Check(err)
}

// simAccessTokenPrefix starts every access token the simulator issues: no
// output may show one, not even masked (skillgate never prints it).
const simAccessTokenPrefix = "Atza|sim."

// cmdGitHubForbid makes the fake GitHub refuse comment writes with 403, as
// it does for a read-only GITHUB_TOKEN on a pull request from a fork.
//
//	github-forbid on|off
func cmdGitHubForbid(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 || (args[0] != "on" && args[0] != "off") {
		ts.Fatalf("usage: github-forbid on|off")
	}
	ts.Value("github").(*githubtest.Server).SetForbidCommentWrites(args[0] == "on")
}

// cmdGitHubRateLimit makes the fake GitHub answer every request with its
// primary rate limit, resetting at 2030-01-02T03:04:05Z, or lifts it.
//
//	github-ratelimit on|off
func cmdGitHubRateLimit(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 || (args[0] != "on" && args[0] != "off") {
		ts.Fatalf("usage: github-ratelimit on|off")
	}
	var rl *githubtest.RateLimit
	if args[0] == "on" {
		rl = &githubtest.RateLimit{Reset: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
	}
	ts.Value("github").(*githubtest.Server).SetRateLimit(rl)
}

// cmdMaskedOnly fails when FILE holds one of the script's secrets anywhere
// but on an ::add-mask:: line, or any access token the simulator issued.
//
//	masked-only FILE
func cmdMaskedOnly(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: masked-only FILE")
	}
	raw, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	for i, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "::add-mask::") {
			continue
		}
		for _, s := range []string{scriptClientSecret, scriptRefreshToken, scriptGitHubToken, simAccessTokenPrefix} {
			if strings.Contains(line, s) {
				ts.Fatalf("%s:%d holds a secret outside ::add-mask::: %s", args[0], i+1, line)
			}
		}
	}
}

// cmdOutputs rewrites a GITHUB_OUTPUT file, which go-githubactions writes in
// the runner's heredoc form (name<<DELIM, value lines, DELIM), as one
// name=value line per output, for grep.
//
//	outputs GITHUB_OUTPUT_FILE OUT
func cmdOutputs(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: outputs GITHUB_OUTPUT_FILE OUT")
	}
	raw, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	var b strings.Builder
	lines := strings.Split(string(raw), "\n")
	for i := 0; i < len(lines); i++ {
		name, delim, ok := strings.Cut(lines[i], "<<")
		if !ok {
			if lines[i] != "" {
				b.WriteString(lines[i] + "\n")
			}
			continue
		}
		var value []string
		for i++; i < len(lines) && lines[i] != delim; i++ {
			value = append(value, lines[i])
		}
		fmt.Fprintf(&b, "%s=%s\n", name, strings.Join(value, "\\n"))
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(b.String()), 0o644))
}

// Patterns cmdScrub -times replaces: a measured duration as Go prints it
// (95ms, 1.5s, 2m0s), the "ms" and "elapsedMs" of deploy --json, and an
// RFC 3339 time.
var (
	scrubDuration = regexp.MustCompile(`\b[0-9]+(\.[0-9]+)?(ns|µs|ms|s|m[0-9]+s|h[0-9]+m[0-9]+s)\b`)
	scrubMillis   = regexp.MustCompile(`("(ms|elapsedMs)": )[0-9]+`)
	scrubTime     = regexp.MustCompile(`\b[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})`)
)

// cmdScrub writes the last command's stdout or stderr (or a file) to OUT,
// with what differs from run to run replaced by a fixed name, so that
// `cmp OUT want` compares the rest of the output whole and UPDATE_SCRIPTS=1
// can refresh want: the script's work folder becomes $WORK, the
// repository's testdata/packages (wherever it is checked out) $PACKAGES,
// the simulator's and the fake GitHub's URLs (random ports) $SMAPI_URL and
// $GITHUB_API_URL; with -times, measured durations become <dur>, the
// milliseconds of deploy --json 0 and RFC 3339 times <time>.
//
//	scrub [-times] stdout|stderr|FILE OUT
func cmdScrub(ts *testscript.TestScript, neg bool, args []string) {
	times := len(args) > 0 && args[0] == "-times"
	if times {
		args = args[1:]
	}
	if neg || len(args) != 2 {
		ts.Fatalf("usage: scrub [-times] stdout|stderr|FILE OUT")
	}
	s := ts.ReadFile(args[0])
	for _, v := range []string{"WORK", "PACKAGES", "SMAPI_URL", "GITHUB_API_URL"} {
		if val := ts.Getenv(v); val != "" {
			s = strings.ReplaceAll(s, val, "$"+v)
		}
	}
	if times {
		s = scrubTime.ReplaceAllString(s, "<time>")
		s = scrubMillis.ReplaceAllString(s, "${1}0")
		s = scrubDuration.ReplaceAllString(s, "<dur>")
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(s), 0o644))
}

// cmdSimPackage creates a skill in the simulator from the skill package
// folder DIR, as an ask-cli deploy would, and sets VAR to its id.
//
//	sim-package DIR VAR
func cmdSimPackage(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: sim-package DIR VAR")
	}
	files, err := skillpkg.ReadDir(ts.MkAbs(args[0]))
	ts.Check(err)
	id, err := ts.Value("smapi").(*smapitest.Server).AddPackage(files)
	ts.Check(err)
	ts.Setenv(args[1], id)
}

// cmdSimRequests checks that the simulator saw exactly N requests of METHOD
// whose path ends in SUFFIX since the script started.
//
//	sim-requests METHOD SUFFIX N
func cmdSimRequests(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: sim-requests METHOD SUFFIX N")
	}
	want, err := strconv.Atoi(args[2])
	ts.Check(err)
	got := 0
	for _, r := range ts.Value("smapi").(*smapitest.Server).Requests() {
		if r.Method == args[0] && strings.HasSuffix(r.Path, args[1]) {
			got++
		}
	}
	if got != want {
		ts.Fatalf("the simulator saw %d %s …%s requests, want %d", got, args[0], args[1], want)
	}
}

// cmdMkPNG writes a SIZE×SIZE PNG of one grey SHADE to FILE.
//
//	mkpng FILE SIZE SHADE
func cmdMkPNG(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: mkpng FILE SIZE SHADE")
	}
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	shade, err := strconv.Atoi(args[2])
	ts.Check(err)
	img := image.NewGray(image.Rect(0, 0, n, n))
	for i := range img.Pix {
		img.Pix[i] = uint8(shade)
	}
	var b bytes.Buffer
	ts.Check(png.Encode(&b, img))
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), b.Bytes(), 0o644))
}
