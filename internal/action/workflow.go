package action

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/sethvargo/go-githubactions"

	"github.com/skillgate/skillgate/internal/jsonfile"
)

// workflow is the runner's side of a step: workflow commands on stdout
// (annotations, masks), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY. It wraps
// go-githubactions so that a file command that cannot be written becomes an
// error instead of the library's panic, and so that every line printed
// passes through the secret redactor first.
type workflow struct {
	gha     *githubactions.Action
	getenv  func(string) string
	out     io.Writer // redacting stdout
	secrets []string
	err     error // first file-command error
}

func newWorkflow(getenv func(string) string, stdout io.Writer) *workflow {
	w := &workflow{getenv: getenv}
	w.out = &redactWriter{w: stdout, secrets: &w.secrets}
	w.gha = githubactions.New(githubactions.WithGetenv(getenv), githubactions.WithWriter(w.out))
	return w
}

// mask registers a secret: the runner hides it from the log, and our own
// writer redacts it too, in case a line reaches a log the runner does not mask.
func (w *workflow) mask(values ...string) {
	for _, v := range values {
		if strings.TrimSpace(v) == "" {
			continue
		}
		w.secrets = append(w.secrets, v)
		if len(v) < minSecretLen {
			// No real credential is this short (see minSecretLen), and the
			// runner would hide every occurrence of it in the job log, each
			// "a" of every later step's output for a client id of "a".
			continue
		}
		// The mask line itself must carry the value: write it past the redactor.
		fmt.Fprintf(w.out.(*redactWriter).w, "::add-mask::%s\n", v)
	}
}

// checkFiles verifies up front that GITHUB_OUTPUT and GITHUB_STEP_SUMMARY can
// be appended to, so that a bad runner environment fails the step at once with
// a clear message instead of after a deploy.
//
// The runner gives regular files. Anything else but a character device
// (/dev/null, for a run by hand) is refused before it is opened: opening a
// named pipe with no reader waits for one for ever, deaf to SIGTERM.
func (w *workflow) checkFiles() error {
	for _, name := range []string{"GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY"} {
		p := w.getenv(name)
		if p == "" {
			continue
		}
		if info, err := os.Stat(p); err == nil && !info.Mode().IsRegular() && info.Mode()&fs.ModeCharDevice == 0 {
			return fmt.Errorf("%s: cannot append to %s: not a regular file: it is %s", name, p, jsonfile.DescribeMode(info.Mode()))
		}
		f, err := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return fmt.Errorf("%s: cannot append to %s: %w", name, p, err)
		}
		f.Close()
	}
	return nil
}

func (w *workflow) fileCommand(env string, f func()) {
	if w.getenv(env) == "" {
		return // not on a runner: outputs are printed by the caller instead
	}
	defer func() {
		if p := recover(); p != nil && w.err == nil {
			w.err = fmt.Errorf("writing %s: %v", env, p)
		}
	}()
	f()
}

// setOutput writes an output as it is: a later step reads the value, and a
// redactor that rewrote it (a one-letter client id turned the skill id into
// ***mzn1.***sk.skill…) would break that step. Outputs carry ids, counts
// and statuses, never an input's secret.
func (w *workflow) setOutput(k, v string) {
	w.fileCommand("GITHUB_OUTPUT", func() { w.gha.SetOutput(k, v) })
}

func (w *workflow) summary(markdown string) {
	w.fileCommand("GITHUB_STEP_SUMMARY", func() { w.gha.AddStepSummary(redact(markdown, w.secrets)) })
}

func (w *workflow) notice(format string, args ...any)  { w.gha.Noticef(format, args...) }
func (w *workflow) warning(format string, args ...any) { w.gha.Warningf(format, args...) }
func (w *workflow) errorf(format string, args ...any)  { w.gha.Errorf(format, args...) }
func (w *workflow) println(format string, args ...any) { fmt.Fprintf(w.out, format+"\n", args...) }

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

// minSecretLen is the length from which a masked value is redacted wherever
// it appears. Real LWA client ids, secrets, refresh tokens and GitHub tokens
// are dozens of characters long; a shorter value (a placeholder such as "a"
// or "test") would otherwise rewrite every word that contains it, so it is
// redacted only where it stands as a whole value.
const minSecretLen = 8

// redact replaces the secrets in s with ***, the longest first so that a
// secret containing another is hidden whole.
func redact(s string, secrets []string) string {
	sorted := slices.Clone(secrets)
	slices.SortStableFunc(sorted, func(a, b string) int { return len(b) - len(a) })
	for _, v := range sorted {
		switch {
		case v == "":
		case len(v) >= minSecretLen:
			s = strings.ReplaceAll(s, v, "***")
		default:
			s = replaceWhole(s, v)
		}
	}
	return s
}

// replaceWhole replaces v with *** where it stands as a whole value: a whole
// line, a quoted string, or the value of a key=value field. A short value
// between spaces is a word of a sentence ("must be a current access token"
// with a client id of "a"), not a secret, and stays.
func replaceWhole(s, v string) string {
	var b strings.Builder
	start := 0 // s[:start] is written
	for from := 0; ; {
		i := strings.Index(s[from:], v)
		if i < 0 {
			break
		}
		i += from
		j := i + len(v)
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[j:])
		if (i == 0 || opensValue(before)) && (j == len(s) || closesValue(after)) {
			b.WriteString(s[start:i])
			b.WriteString("***")
			start, from = j, j
			continue
		}
		from = i + 1
	}
	b.WriteString(s[start:])
	return b.String()
}

// opensValue reports whether r can stand just before a whole value: a line
// start, a quote, or the = of a field.
func opensValue(r rune) bool { return strings.ContainsRune("\n\"'=`", r) }

// closesValue reports whether r can stand just after a whole value: a line
// end, a quote, or what ends a field (a separator, a space, a bracket).
func closesValue(r rune) bool { return strings.ContainsRune("\r\n\"'`&,; )]}", r) }
