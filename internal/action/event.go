package action

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/sethvargo/go-githubactions"

	"github.com/skillgate/skillgate/internal/jsonfile"
)

// event is what skillgate needs from the workflow run: which event, which
// pull request, which branch, which commit.
type event struct {
	Name          string // GITHUB_EVENT_NAME
	Owner, Repo   string // from GITHUB_REPOSITORY
	Ref           string // GITHUB_REF
	SHA           string // GITHUB_SHA
	PR            int    // pull request number, on pull_request events
	DefaultBranch string // from the payload's repository.default_branch
	APIURL        string // GITHUB_API_URL
}

// EventError is a missing or malformed event payload: exit code 2.
type EventError struct {
	Path string
	Err  error
}

func (e *EventError) Error() string {
	return fmt.Sprintf("GITHUB_EVENT_PATH %s: %v", e.Path, e.Err)
}

func (e *EventError) Unwrap() error { return e.Err }

// maxEventSize bounds the payload read: GitHub's payloads are at most a few
// MiB (a push with many commits); anything larger is not a payload.
const maxEventSize = 25 << 20

func readEvent(getenv func(string) string) (*event, error) {
	// go-githubactions' Context reads the variables; it would also read the
	// payload, with os.ReadFile, whole and whatever the file is (a named
	// pipe blocks it, /dev/zero never ends), so it gets a getenv without
	// GITHUB_EVENT_PATH and the payload is read below through a size limit.
	// Its error joins parse errors of numeric and boolean variables that
	// skillgate does not use (GITHUB_RUN_ID, ...); the fields used here are
	// strings, set either way.
	noPayload := func(k string) string {
		if k == "GITHUB_EVENT_PATH" {
			return ""
		}
		return getenv(k)
	}
	gc, _ := githubactions.New(githubactions.WithGetenv(noPayload)).Context()
	ev := &event{Name: gc.EventName, Ref: gc.Ref, SHA: gc.SHA, APIURL: gc.APIURL}
	if repo := gc.Repository; repo != "" {
		owner, name, ok := strings.Cut(repo, "/")
		if !ok || owner == "" || name == "" {
			return nil, fmt.Errorf("GITHUB_REPOSITORY %q is not owner/name", repo)
		}
		ev.Owner, ev.Repo = owner, name
	}
	path := getenv("GITHUB_EVENT_PATH")
	needsPayload := ev.Name == "pull_request" || ev.Name == "pull_request_target" || ev.Name == "push"
	if path == "" {
		if needsPayload {
			return nil, &EventError{Path: "(unset)", Err: fmt.Errorf("a %s event needs its payload: the runner sets GITHUB_EVENT_PATH", ev.Name)}
		}
		return ev, nil
	}
	// Only a regular file, and no more of it than a payload can be: a named
	// pipe would block the step and a device such as /dev/zero never ends.
	raw, err := jsonfile.ReadFile(path, maxEventSize)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &EventError{Path: path, Err: errors.New("the file does not exist")}
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &EventError{Path: path, Err: err}
	}
	var payload struct {
		Number      *int `json:"number"`
		PullRequest *struct {
			Number int `json:"number"`
		} `json:"pull_request"`
		Repository *struct {
			DefaultBranch string `json:"default_branch"`
		} `json:"repository"`
	}
	if err := json.Unmarshal(raw, &payload); err != nil {
		return nil, &EventError{Path: path, Err: fmt.Errorf("not a JSON event payload: %w", err)}
	}
	if payload.Repository != nil {
		ev.DefaultBranch = payload.Repository.DefaultBranch
	}
	switch ev.Name {
	case "pull_request", "pull_request_target":
		switch {
		case payload.PullRequest != nil && payload.PullRequest.Number > 0:
			ev.PR = payload.PullRequest.Number
		case payload.Number != nil && *payload.Number > 0:
			ev.PR = *payload.Number
		default:
			return nil, &EventError{Path: path, Err: fmt.Errorf("a %s payload without pull_request.number", ev.Name)}
		}
	case "push":
		if ev.DefaultBranch == "" {
			return nil, &EventError{Path: path, Err: errors.New("a push payload without repository.default_branch")}
		}
	}
	return ev, nil
}

// resolveMode turns mode "auto" into what to do for this event.
func resolveMode(mode string, ev *event) (string, string) {
	if mode != "auto" {
		return mode, "mode: " + mode
	}
	switch ev.Name {
	case "pull_request", "pull_request_target":
		return "plan", "auto: " + ev.Name + " event, so plan"
	case "push":
		if ev.Ref == "refs/heads/"+ev.DefaultBranch {
			return "deploy", "auto: push to the default branch " + ev.DefaultBranch + ", so deploy"
		}
		return "validate", "auto: push to " + ev.Ref + ", not the default branch " + ev.DefaultBranch + ", so validate only"
	}
	name := ev.Name
	if name == "" {
		name = "unknown"
	}
	return "validate", "auto: " + name + " event, so validate only"
}
