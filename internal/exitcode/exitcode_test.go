package exitcode

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"testing"

	"github.com/google/go-github/v92/github"
	"github.com/skillgate/skillgate/internal/deploy"
	"github.com/skillgate/skillgate/internal/jsonfile"
	"github.com/skillgate/skillgate/internal/skillpkg"
	"github.com/skillgate/skillgate/internal/smapi"
)

func TestOf(t *testing.T) {
	t.Parallel()
	wrap := func(err error) error { return fmt.Errorf("read the manifest: %w", err) }
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, OK},
		{"usage", Usagef("--timeout %s: give a positive duration", "0s"), Usage},
		{"missing credentials", wrap(&smapi.ConfigError{Missing: []string{smapi.EnvClientID}}), Usage},
		{"bad deploy option", &deploy.ConfigError{Field: "submit", Message: "bad"}, Usage},
		{"LWA refused", wrap(&smapi.LWAError{Status: http.StatusBadRequest, Code: "invalid_grant"}), Usage},
		{"LWA failing", wrap(&smapi.LWAError{Status: http.StatusServiceUnavailable}), Failed},
		{"LWA without a token", &smapi.LWAError{Problem: "answered without an access token"}, Failed},
		{"SMAPI 401", wrap(&smapi.Error{Status: http.StatusUnauthorized}), Usage},
		{"SMAPI 403", &smapi.Error{Status: http.StatusForbidden}, Failed},
		{"SMAPI 404", &smapi.Error{Status: http.StatusNotFound}, Failed},
		{"SMAPI 5xx after retries", &smapi.Error{Status: http.StatusBadGateway, Attempts: 5}, Failed},
		{"no answer", &smapi.TimeoutError{Operation: "GetManifest", Service: "SMAPI"}, Failed},
		{"refused deploy", &deploy.RefusedError{Reason: "drift"}, Failed},
		{"failed build", &deploy.BuildError{Messages: []string{"x"}}, Failed},
		{"files a write would overwrite", fmt.Errorf("export: %w", &skillpkg.ExistsError{Dir: "d", Paths: []string{"skill.json"}}), Usage},
		{"interrupted", wrap(context.Canceled), Failed},
		{"GitHub refused the token", wrap(&github.ErrorResponse{Response: &http.Response{StatusCode: http.StatusUnauthorized}}), Usage},
		{"GitHub 404", &github.ErrorResponse{Response: &http.Response{StatusCode: http.StatusNotFound}}, Failed},
		{"a package file that is not a regular file in it", fmt.Errorf("reading the skill package: %w", skillpkg.ErrNotInPackage), Usage},
		{"an input that is not a regular file", &fs.PathError{Op: "read", Path: "p", Err: jsonfile.ErrNotRegular}, Usage},
		{"anything else", errors.New("boom"), Failed},
	}
	for _, tt := range tests {
		if got := Of(tt.err); got != tt.want {
			t.Errorf("%s: Of(%v) = %d, want %d", tt.name, tt.err, got, tt.want)
		}
	}
}
