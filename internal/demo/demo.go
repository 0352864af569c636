// Package demo runs skillgate's whole story offline, in one process: the
// embedded SMAPI simulator stands in for Amazon, an in-process fake GitHub
// for the pull request, and the real Action code runs against both. It is
// what `skillgate demo` prints, so a new user sees validation, the plan
// comment, the drift guard and a deploy without credentials or a network.
package demo

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/skillgate/skillgate/internal/action"
	"github.com/skillgate/skillgate/internal/githubtest"
	"github.com/skillgate/skillgate/internal/report"
	"github.com/skillgate/skillgate/internal/smapi"
	"github.com/skillgate/skillgate/internal/smapitest"
	"github.com/skillgate/skillgate/internal/validate"
)

//go:embed skill/*.json
var skillFiles embed.FS

// The demo's made-up identities. The credentials are fake and only valid
// against the in-process simulator; the Action masks them all the same.
const (
	skillID      = "amzn1.ask.skill.5f1c0a1e-demo-4b7e-9d3a-skillgate"
	owner        = "octo-org"
	repo         = "space-facts"
	clientID     = "amzn1.application-oa2-client.demo"
	clientSecret = "demo-client-secret"
	refreshToken = "Atzr|demo-refresh-token"
	githubToken  = "ghs_demoGitHubToken"
)

// Options configure one demo run.
type Options struct {
	Stdout io.Writer
	// Out, when not empty, is a folder that keeps the PR comment, the
	// deployment summary and the Action's outputs as files.
	Out string
	// BuildTime is how long the simulator's builds take; zero means 1.5 s,
	// long enough to show the progress lines.
	BuildTime time.Duration
	Version   string
}

// Run plays the demo. The error says which step did not behave as the
// story expects (a bug, since everything is in-process).
func Run(ctx context.Context, opts Options) error {
	if opts.BuildTime == 0 {
		opts.BuildTime = 1500 * time.Millisecond
	}
	live, err := skillFiles.ReadFile("skill/live.json")
	if err != nil {
		return err
	}
	sim := smapitest.NewServer(
		smapitest.WithCredentials(clientID, clientSecret, refreshToken),
		smapitest.WithSkill(skillID, live),
		smapitest.WithBuildTime(opts.BuildTime),
	)
	defer sim.Close()
	gh := githubtest.NewServer(githubtest.WithToken(githubToken), githubtest.WithUser("space-facts-bot"))
	defer gh.Close()

	work, err := os.MkdirTemp("", "skillgate-demo-")
	if err != nil {
		return fmt.Errorf("demo: a temporary folder: %w", err)
	}
	defer os.RemoveAll(work)
	if opts.Out != "" {
		if err := os.MkdirAll(opts.Out, 0o755); err != nil {
			return fmt.Errorf("demo: --out %s: %w", opts.Out, err)
		}
	}
	d := &story{opts: opts, sim: sim, gh: gh, work: work, w: opts.Stdout}
	return d.play(ctx)
}

type story struct {
	opts Options
	sim  *smapitest.Server
	gh   *githubtest.Server
	work string
	w    io.Writer
	step int
}

// play tells the story in five acts; each stops the demo with an error when
// the real code does not behave as the story expects.
func (d *story) play(ctx context.Context) error {
	d.printf("skillgate demo: a skill repository, a pull request and a merge, all offline.\n")
	d.printf("SMAPI simulator at %s, fake GitHub at %s; skill %s.\n", d.sim.URL, d.gh.URL, skillID)
	for _, act := range []func(context.Context) error{d.validateLocally, d.planFirstPR, d.editInConsole, d.refuseDrift, d.deploySecondPR} {
		if err := act(ctx); err != nil {
			return err
		}
	}
	d.printf("\nDone: the plan was shown, a console edit was protected, and the deploy went through.\n")
	return nil
}

// validateLocally: the author changes the skill on a branch and validates it.
func (d *story) validateLocally(context.Context) error {
	if err := d.checkout("proposed.json"); err != nil {
		return err
	}
	d.heading("The author edits skill-package/skill.json and runs: skillgate validate")
	res, err := validate.ValidatePath(d.pkg())
	if err != nil {
		return fmt.Errorf("demo: validate: %w", err)
	}
	var found bytes.Buffer
	w, err := report.New(report.FormatText, &found, report.Options{Source: res.Package.Source})
	if err != nil {
		return err
	}
	for _, f := range res.Findings {
		w.Write(f)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	d.printf("%s", indentText(found.String()))
	return nil
}

// planFirstPR: the pull request runs the plan and gets its sticky comment.
func (d *story) planFirstPR(ctx context.Context) error {
	d.gh.AddPR(owner, repo, githubtest.PR{Number: 42, Title: "Friendlier store text", HeadRef: "store-text", BaseRef: "main", HeadSHA: "1a2b3c4"})
	d.heading("Pull request #42 opened: the Action plans (mode auto, pull_request event)")
	if _, code, err := d.action(ctx, "plan-42", pullRequest(42, "1a2b3c4")); err != nil || code != 0 {
		return stepError("the plan of #42", code, err)
	}
	d.heading("The sticky comment on #42, as GitHub renders it from this Markdown")
	return d.showComment(42, "")
}

// editInConsole: a teammate changes the live skill in the developer console.
func (d *story) editInConsole(context.Context) error {
	d.heading("Meanwhile a teammate edits the testing instructions in the developer console")
	console, _ := skillFiles.ReadFile("skill/console.json")
	etag, err := d.sim.SetManifest(skillID, "development", console)
	if err != nil {
		return fmt.Errorf("demo: console edit: %w", err)
	}
	d.printf("  the live development manifest now has ETag %s\n", etag)
	return nil
}

// refuseDrift: the merge's deploy finds the console edit and refuses to
// overwrite it.
func (d *story) refuseDrift(ctx context.Context) error {
	d.gh.MergePR(owner, repo, 42, "5d6e7f8")
	d.heading("#42 is merged: the Action deploys (push to main), and the drift guard refuses")
	if _, code, err := d.action(ctx, "deploy-42", push("5d6e7f8")); err != nil || code != 1 {
		return stepError("the drift guard on #42 (it should refuse, exit 1)", code, err)
	}
	d.printf("  exit 1: nothing was written; the teammate's edit is still live.\n")
	return nil
}

// deploySecondPR: the author takes the console edit into a new pull
// request, which plans and deploys.
func (d *story) deploySecondPR(ctx context.Context) error {
	if err := d.checkout("rebased.json"); err != nil {
		return err
	}
	d.gh.AddPR(owner, repo, githubtest.PR{Number: 43, Title: "Friendlier store text, with the console edit", HeadRef: "store-text-2", BaseRef: "main", HeadSHA: "9a8b7c6"})
	d.heading("Pull request #43 carries the console edit too: a fresh plan")
	if _, code, err := d.action(ctx, "plan-43", pullRequest(43, "9a8b7c6")); err != nil || code != 0 {
		return stepError("the plan of #43", code, err)
	}

	d.gh.MergePR(owner, repo, 43, "e1f2a3b")
	d.heading("#43 is merged: PUT with If-Match, the build, the deployment summary")
	outputs, code, err := d.action(ctx, "deploy-43", push("e1f2a3b"))
	if err != nil || code != 0 {
		return stepError("the deploy of #43", code, err)
	}
	return d.showDeploy(outputs)
}

// showDeploy prints what the deploy left behind (the summary, the outputs,
// the comment) and keeps them in --out.
func (d *story) showDeploy(outputs string) error {
	d.heading("The deployment summary (GITHUB_STEP_SUMMARY)")
	summary, err := os.ReadFile(filepath.Join(d.work, "deploy-43.summary.md"))
	if err != nil {
		return err
	}
	d.printf("%s", indentText(string(summary)))
	d.heading("The Action's outputs (GITHUB_OUTPUT)")
	d.printf("%s", indentText(outputs))
	d.heading("The comment on #43 after the deploy")
	if err := d.showComment(43, "comment.md"); err != nil {
		return err
	}
	if err := d.keep("summary.md", summary); err != nil {
		return err
	}
	if err := d.keep("outputs.txt", []byte(outputs)); err != nil {
		return err
	}
	// The diff-file output points into the demo's temporary folder, which
	// goes away at exit: keep a copy.
	if p := outputValue(outputs, "diff-file"); p != "" {
		b, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("demo: the diff-file output: %w", err)
		}
		if err := d.keep("deploy.diff", b); err != nil {
			return err
		}
	}
	if d.opts.Out != "" {
		d.printf("\nKept comment.md, summary.md, outputs.txt and deploy.diff in %s\n", d.opts.Out)
	}
	return nil
}

func stepError(what string, code int, err error) error {
	if err != nil {
		return fmt.Errorf("demo: %s: %w", what, err)
	}
	return fmt.Errorf("demo: %s ended with exit code %d", what, code)
}

func (d *story) pkg() string { return filepath.Join(d.work, "skill-package") }

// checkout writes one of the embedded versions as the package's skill.json.
func (d *story) checkout(name string) error {
	b, err := skillFiles.ReadFile("skill/" + name)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(d.pkg(), 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(d.pkg(), "skill.json"), b, 0o644)
}

func pullRequest(n int, sha string) map[string]string {
	return map[string]string{
		"GITHUB_EVENT_NAME": "pull_request",
		"GITHUB_REF":        fmt.Sprintf("refs/pull/%d/merge", n),
		"GITHUB_SHA":        sha,
		"payload":           fmt.Sprintf(`{"action":"opened","number":%d,"pull_request":{"number":%d},"repository":{"default_branch":"main"}}`, n, n),
	}
}

func push(sha string) map[string]string {
	return map[string]string{
		"GITHUB_EVENT_NAME": "push",
		"GITHUB_REF":        "refs/heads/main",
		"GITHUB_SHA":        sha,
		"payload":           `{"ref":"refs/heads/main","repository":{"default_branch":"main"}}`,
	}
}

// action runs the real Action code with the environment a runner would set,
// printing its log indented. It returns the outputs as name=value lines.
func (d *story) action(ctx context.Context, name string, event map[string]string) (string, int, error) {
	eventPath := filepath.Join(d.work, name+".event.json")
	outPath := filepath.Join(d.work, name+".output")
	summaryPath := filepath.Join(d.work, name+".summary.md")
	if err := os.WriteFile(eventPath, []byte(event["payload"]), 0o644); err != nil {
		return "", 0, err
	}
	env := map[string]string{
		"GITHUB_ACTIONS":      "true",
		"GITHUB_REPOSITORY":   owner + "/" + repo,
		"GITHUB_EVENT_PATH":   eventPath,
		"GITHUB_OUTPUT":       outPath,
		"GITHUB_STEP_SUMMARY": summaryPath,
		"GITHUB_API_URL":      d.gh.URL,
		"RUNNER_TEMP":         d.work,
		"INPUT_SKILL-PACKAGE": d.pkg(),
		"INPUT_SKILL-ID":      skillID,
		"INPUT_CLIENT-ID":     clientID,
		"INPUT_CLIENT-SECRET": clientSecret,
		"INPUT_REFRESH-TOKEN": refreshToken,
		"INPUT_GITHUB-TOKEN":  githubToken,
		"INPUT_SMAPI-URL":     d.sim.URL,
		"INPUT_LWA-URL":       d.sim.URL,
	}
	for k, v := range event {
		if k != "payload" {
			env[k] = v
		}
	}
	var log bytes.Buffer
	code := action.Run(ctx, action.Config{
		Getenv:     func(k string) string { return env[k] },
		Stdout:     &log,
		HTTPClient: d.sim.Client(),
		Version:    d.opts.Version,
		Dir:        d.work,
		// Poll quickly: the simulator's build takes a second or two.
		Schedule: smapi.Schedule{Initial: 250 * time.Millisecond, Factor: 1.5, Max: time.Second, Heartbeat: 30 * time.Second},
	})
	d.printf("%s", indentText(stepLog(log.String())))
	raw, err := os.ReadFile(outPath)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", code, err
	}
	return parseOutputs(string(raw)), code, nil
}

// showComment prints the skillgate comment of pull request n, and keeps it
// as file keep under --out when keep is not empty.
func (d *story) showComment(n int, keep string) error {
	comments := d.gh.Comments(owner, repo, n)
	if len(comments) != 1 {
		return fmt.Errorf("demo: pull request #%d has %d comments, want exactly one sticky comment", n, len(comments))
	}
	body := comments[0].Body
	d.printf("%s", indentText(body))
	if keep != "" {
		return d.keep(keep, []byte(body))
	}
	return nil
}

func (d *story) keep(name string, b []byte) error {
	if d.opts.Out == "" {
		return nil
	}
	if err := os.WriteFile(filepath.Join(d.opts.Out, name), b, 0o644); err != nil {
		return fmt.Errorf("demo: --out: %w", err)
	}
	return nil
}

func (d *story) heading(s string) {
	d.step++
	d.printf("\n== %d. %s\n", d.step, s)
}

func (d *story) printf(format string, a ...any) { fmt.Fprintf(d.w, format, a...) }

// stepLog drops the ::add-mask:: lines: the runner consumes them, a
// reader of the job log never sees them.
func stepLog(s string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(s, "\n") {
		if !strings.HasPrefix(line, "::add-mask::") {
			b.WriteString(line)
		}
	}
	return b.String()
}

func indentText(s string) string {
	if s == "" {
		return ""
	}
	s = strings.TrimRight(s, "\n")
	return "  | " + strings.ReplaceAll(s, "\n", "\n  | ") + "\n"
}

// outputValue finds name=value among parseOutputs' lines.
func outputValue(outputs, name string) string {
	for _, line := range strings.Split(outputs, "\n") {
		if v, ok := strings.CutPrefix(line, name+"="); ok {
			return v
		}
	}
	return ""
}

// parseOutputs turns GITHUB_OUTPUT's heredoc records (name<<DELIM, value,
// DELIM) into name=value lines.
func parseOutputs(raw string) string {
	var b strings.Builder
	lines := strings.Split(raw, "\n")
	for i := 0; i < len(lines); i++ {
		name, delim, ok := strings.Cut(lines[i], "<<")
		if !ok {
			continue
		}
		var value []string
		for i++; i < len(lines) && lines[i] != delim; i++ {
			value = append(value, lines[i])
		}
		fmt.Fprintf(&b, "%s=%s\n", name, strings.Join(value, "\\n"))
	}
	return b.String()
}
