package discover

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"sort"
	"strings"
)

// GitError is a git command that failed; Stderr is git's own message
// ("fatal: ambiguous argument 'main...HEAD': unknown revision ...").
type GitError struct {
	Args   []string
	Stderr string
	Err    error
}

func (e *GitError) Error() string {
	msg := strings.TrimSpace(e.Stderr)
	if msg == "" {
		msg = e.Err.Error()
	}
	return fmt.Sprintf("git %s: %s", strings.Join(e.Args, " "), msg)
}

// Unwrap lets errors.Is(err, ErrGit) match.
func (e *GitError) Unwrap() []error { return []error{ErrGit, e.Err} }

// Changed lists the files under root, relative to it and slash-separated,
// that differ from rev. That is the union of:
//
//   - what this branch changed since it forked from rev (git diff rev...HEAD,
//     the three-dot form a pull request shows, so commits that landed on rev
//     meanwhile do not count);
//   - what is not committed yet: staged and unstaged changes against HEAD,
//     and untracked files that .gitignore does not exclude.
//
// The second part makes a local run before committing agree with the CI run
// after pushing; in CI the checkout is clean and it adds nothing. Renames
// count at both their old and new path. The history must reach the merge
// base: in GitHub Actions check out with fetch-depth: 0.
func Changed(ctx context.Context, root, rev, gitPath string) ([]string, error) {
	if strings.HasPrefix(rev, "-") || strings.TrimSpace(rev) == "" {
		return nil, fmt.Errorf("--changed-since %q is not a Git revision: give a branch, tag or commit such as origin/main", rev)
	}
	if gitPath == "" {
		gitPath = "git"
	}
	// Outside a work tree "git diff" falls back to --no-index and prints its
	// whole usage: say what is wrong in one line instead.
	if _, err := git(ctx, root, gitPath, []string{"rev-parse", "--is-inside-work-tree"}); err != nil {
		var ge *GitError
		if errors.As(err, &ge) && strings.Contains(ge.Stderr, "not a git repository") {
			ge.Stderr = fmt.Sprintf("%s is not inside a Git work tree: --changed-since compares Git revisions, so run it in a clone (in GitHub Actions, after actions/checkout with fetch-depth: 0)", root)
		}
		return nil, err
	}
	runs := [][]string{
		{"diff", "--name-only", "--no-renames", "--relative", "-z", rev + "...HEAD", "--"},
		{"diff", "--name-only", "--no-renames", "--relative", "-z", "HEAD", "--"},
		{"ls-files", "--others", "--exclude-standard", "-z"},
	}
	seen := map[string]bool{}
	for _, args := range runs {
		out, err := git(ctx, root, gitPath, args)
		if err != nil {
			return nil, err
		}
		for _, f := range strings.Split(string(out), "\x00") {
			if f != "" {
				seen[f] = true
			}
		}
	}
	files := make([]string, 0, len(seen))
	for f := range seen {
		files = append(files, f)
	}
	sort.Strings(files)
	return files, nil
}

func git(ctx context.Context, dir, gitPath string, args []string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, gitPath, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, &GitError{Args: args, Stderr: stderr.String(), Err: err}
	}
	return stdout.Bytes(), nil
}
