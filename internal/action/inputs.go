package action

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sethvargo/go-githubactions"

	"github.com/skillgate/skillgate/internal/deploy"
	"github.com/skillgate/skillgate/internal/smapi"
)

// Inputs are the Action's inputs (action.yml), read from INPUT_<NAME> with the
// name upper-cased and its hyphens kept (INPUT_SKILL-ID): the runner's way
// for Docker actions, which action.yml's composite run step follows.
type Inputs struct {
	SkillPackage string
	SkillID      string
	Stage        string
	Mode         string
	ClientID     string
	ClientSecret string
	RefreshToken string
	GitHubToken  string
	Comment      bool
	Submit       string
	PublishesAt  time.Time
	Timeout      time.Duration
	// RequestTimeout is the deadline of each SMAPI or LWA request; zero
	// leaves it to SKILLGATE_REQUEST_TIMEOUT, else smapi's 30 s.
	RequestTimeout time.Duration
	FailOn         string
	Drift          string
	SMAPIURL       string
	LWAURL         string
}

// InputError is a bad input value: the step fails with exit code 2.
type InputError struct {
	Input string
	Value string
	Want  string
}

func (e *InputError) Error() string {
	return fmt.Sprintf("input %s: %q is not valid: %s", e.Input, e.Value, e.Want)
}

// readInputs reads and checks every input, applying action.yml's defaults so
// the binary behaves the same when an input is absent from the environment
// (for example when run by hand with GITHUB_ACTIONS=true).
func readInputs(getenv func(string) string) (Inputs, error) {
	// go-githubactions reads INPUT_<NAME> upper-cased with the hyphens kept
	// (INPUT_SKILL-ID), as the runner sets them for Docker actions, and trims
	// the value.
	gha := githubactions.New(githubactions.WithGetenv(getenv))
	get := func(name, def string) string {
		v := gha.GetInput(name)
		if v == "" {
			return def
		}
		return v
	}
	oneOf := func(name, def string, allowed ...string) (string, error) {
		v := get(name, def)
		for _, a := range allowed {
			if v == a {
				return v, nil
			}
		}
		return "", &InputError{Input: name, Value: v, Want: "use one of " + strings.Join(allowed, ", ")}
	}

	in := Inputs{
		SkillPackage: get("skill-package", "skill-package"),
		SkillID:      get("skill-id", ""),
		ClientID:     get("client-id", ""),
		ClientSecret: get("client-secret", ""),
		RefreshToken: get("refresh-token", ""),
		GitHubToken:  get("github-token", ""),
		SMAPIURL:     get("smapi-url", "https://api.amazonalexa.com"),
		LWAURL:       get("lwa-url", "https://api.amazon.com"),
	}
	var err error
	if in.Stage, err = oneOf("stage", "development", "development", "live"); err != nil {
		return in, err
	}
	if in.Mode, err = oneOf("mode", "auto", "auto", "validate", "plan", "deploy"); err != nil {
		return in, err
	}
	if in.Submit, err = oneOf("submit", "none", "none", "certification", "publication"); err != nil {
		return in, err
	}
	if in.FailOn, err = oneOf("fail-on", "error", "error", "warning"); err != nil {
		return in, err
	}
	if in.Drift, err = oneOf("drift", "fail", "fail", "warn", "ignore"); err != nil {
		return in, err
	}
	c := get("comment", "true")
	if in.Comment, err = strconv.ParseBool(c); err != nil {
		return in, &InputError{Input: "comment", Value: c, Want: "use true or false"}
	}
	t := get("timeout", "15m")
	if in.Timeout, err = time.ParseDuration(t); err != nil || in.Timeout <= 0 {
		return in, &InputError{Input: "timeout", Value: t, Want: "use a positive Go duration such as 15m or 90s"}
	}
	rt := get("request-timeout", "")
	if in.RequestTimeout, err = smapi.ParseRequestTimeout(rt); err != nil {
		return in, &InputError{Input: "request-timeout", Value: rt, Want: "use a positive Go duration such as 30s or 2m, or leave it empty for the default"}
	}
	p := get("publishes-at", "")
	if in.PublishesAt, err = deploy.ParsePublishesAt(p, in.Submit); err != nil {
		var ce *deploy.ConfigError
		if errors.As(err, &ce) {
			return in, &InputError{Input: ce.Field, Value: p, Want: ce.Message}
		}
		return in, err
	}
	for name, u := range map[string]string{"smapi-url": in.SMAPIURL, "lwa-url": in.LWAURL} {
		if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
			return in, &InputError{Input: name, Value: u, Want: "use an absolute http(s) URL"}
		}
	}
	return in, nil
}

// hasCredentials reports whether the LWA credentials are there. Pull requests
// from forks run without secrets, so all three arrive empty.
func (in Inputs) hasCredentials() bool {
	return in.ClientID != "" && in.ClientSecret != "" && in.RefreshToken != ""
}
