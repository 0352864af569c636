package action

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sethvargo/go-githubactions"
)

// runner wraps go-githubactions so that a file command that cannot be written
// becomes an error instead of the library's panic, and so that every line
// printed passes through the secret redactor first.
type runner struct {
	gha     *githubactions.Action
	getenv  func(string) string
	out     io.Writer // redacting stdout
	secrets []string
	err     error // first file-command error
}

func newRunner(getenv func(string) string, stdout io.Writer) *runner {
	r := &runner{getenv: getenv}
	r.out = &redactWriter{w: stdout, secrets: &r.secrets}
	r.gha = githubactions.New(githubactions.WithGetenv(getenv), githubactions.WithWriter(r.out))
	return r
}

// mask registers a secret: the runner hides it from the log, and our own
// writer redacts it too, in case a line reaches a log the runner does not mask.
func (r *runner) mask(values ...string) {
	for _, v := range values {
		if strings.TrimSpace(v) == "" {
			continue
		}
		// The mask line itself must carry the value: write it past the redactor.
		fmt.Fprintf(r.out.(*redactWriter).w, "::add-mask::%s\n", v)
		r.secrets = append(r.secrets, v)
	}
}

// checkFiles verifies up front that GITHUB_OUTPUT and GITHUB_STEP_SUMMARY can
// be appended to, so that a bad runner environment fails the step at once with
// a clear message instead of after a deploy.
func (r *runner) checkFiles() error {
	for _, name := range []string{"GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY"} {
		p := r.getenv(name)
		if p == "" {
			continue
		}
		f, err := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return fmt.Errorf("%s: cannot append to %s: %w", name, p, err)
		}
		f.Close()
	}
	return nil
}

func (r *runner) fileCommand(env string, f func()) {
	if r.getenv(env) == "" {
		return // not on a runner: outputs are printed by the caller instead
	}
	defer func() {
		if p := recover(); p != nil && r.err == nil {
			r.err = fmt.Errorf("writing %s: %v", env, p)
		}
	}()
	f()
}

func (r *runner) setOutput(k, v string) {
	r.fileCommand("GITHUB_OUTPUT", func() { r.gha.SetOutput(k, redact(v, r.secrets)) })
}

func (r *runner) summary(markdown string) {
	r.fileCommand("GITHUB_STEP_SUMMARY", func() { r.gha.AddStepSummary(redact(markdown, r.secrets)) })
}

func (r *runner) notice(format string, args ...any)  { r.gha.Noticef(format, args...) }
func (r *runner) warning(format string, args ...any) { r.gha.Warningf(format, args...) }
func (r *runner) errorf(format string, args ...any)  { r.gha.Errorf(format, args...) }
func (r *runner) println(format string, args ...any) { fmt.Fprintf(r.out, format+"\n", args...) }

// redactWriter replaces every registered secret with *** before writing.
type redactWriter struct {
	w       io.Writer
	secrets *[]string
}

func (rw *redactWriter) Write(p []byte) (int, error) {
	if len(*rw.secrets) == 0 {
		return rw.w.Write(p)
	}
	if _, err := io.WriteString(rw.w, redact(string(p), *rw.secrets)); err != nil {
		return 0, err
	}
	return len(p), nil
}

func redact(s string, secrets []string) string {
	for _, v := range secrets {
		if v != "" {
			s = strings.ReplaceAll(s, v, "***")
		}
	}
	return s
}
