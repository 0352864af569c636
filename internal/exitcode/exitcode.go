// Package exitcode is skillgate's one exit-code policy. Every front-end (each
// CLI command, each Action mode) hands the error it ended with to Of and exits
// with the answer, so the same failure gives the same code everywhere.
//
// The policy lives in its own small package rather than in smapi's errors
// because it spans the packages that own the typed errors: smapi (refused or
// missing credentials, SMAPI's answers), deploy (a bad option, a refusal, a
// failed build) and go-github's answer to the GitHub token. They are
// imported here; none imports this package, and the front-ends import all.
package exitcode

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/google/go-github/v92/github"
	"github.com/skillgate/skillgate/internal/deploy"
	"github.com/skillgate/skillgate/internal/jsonfile"
	"github.com/skillgate/skillgate/internal/skillpkg"
	"github.com/skillgate/skillgate/internal/smapi"
)

// The exit codes README.md documents ("Exit codes").
const (
	// OK is success: no finding at or above the threshold, deployed, or
	// nothing to deploy.
	OK = 0
	// Failed is work that failed: findings, a failed or timed-out build, a
	// refused deploy, an error answer from SMAPI, or a service that kept
	// failing (or never answered) after its retries.
	Failed = 1
	// Usage is a problem the user fixes before anything can run: a bad flag
	// or input, missing or refused credentials, an unreadable file.
	Usage = 2
)

// UsageError marks an error the front-end found in what it was given (a
// flag, an input, a file it could not read) as a usage error.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }

func (e *UsageError) Unwrap() error { return e.Err }

// AsUsage marks err as a usage error; nil stays nil.
func AsUsage(err error) error {
	if err == nil {
		return nil
	}
	return &UsageError{Err: err}
}

// Usagef is AsUsage(fmt.Errorf(format, a...)).
func Usagef(format string, a ...any) error { return &UsageError{Err: fmt.Errorf(format, a...)} }

// Of is the exit code for err, the error a command or an Action run ended
// with: OK for nil; Usage for a usage error, a configuration problem (a
// missing credential, a malformed endpoint or timeout, a bad deploy option)
// and credentials LWA, SMAPI or GitHub refused; Failed for everything else, which
// includes a refused deploy, a failed or timed-out build, an error answer
// from SMAPI (404, 403, 409, 412...), a service still failing after its
// retries, a host that does not answer, and an interrupted run.
func Of(err error) int {
	if err == nil {
		return OK
	}
	var (
		usage  *UsageError
		config *smapi.ConfigError
		option *deploy.ConfigError
		lwa    *smapi.LWAError
		api    *smapi.Error
		gh     *github.ErrorResponse
		exists *skillpkg.ExistsError
	)
	switch {
	case errors.As(err, &usage), errors.As(err, &config), errors.As(err, &option):
		return Usage
	case errors.Is(err, skillpkg.ErrNotInPackage), errors.Is(err, jsonfile.ErrNotRegular):
		// An input that is not a file skillgate reads (a named pipe, a
		// device, a link out of the package) is unreadable input.
		return Usage
	case errors.As(err, &exists):
		// Files a write would overwrite without --force: the user's call.
		return Usage
	case errors.As(err, &lwa):
		if lwa.Refused() {
			return Usage
		}
	case errors.As(err, &api):
		if api.Status == http.StatusUnauthorized {
			return Usage
		}
	case errors.As(err, &gh):
		// GitHub refusing the github-token (reading the plan back at
		// deploy) is refused credentials too.
		if gh.Response != nil && gh.Response.StatusCode == http.StatusUnauthorized {
			return Usage
		}
	}
	return Failed
}
