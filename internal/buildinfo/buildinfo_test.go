package buildinfo

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestResolve(t *testing.T) {
	t.Parallel()
	platform := runtime.GOOS + "/" + runtime.GOARCH
	vcs := []debug.BuildSetting{
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
		{Key: "vcs.time", Value: "2026-11-30T09:00:00Z"},
	}
	for _, tc := range []struct {
		name    string
		stamped Info
		bi      *debug.BuildInfo
		want    Info
	}{
		{
			name:    "release build: the stamps win over the toolchain's record",
			stamped: Info{Version: "v1.2.3", Commit: "fedcba", Date: "2026-12-01T10:00:00Z"},
			bi:      &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}, Settings: vcs},
			want:    Info{Version: "v1.2.3", Commit: "fedcba", Date: "2026-12-01T10:00:00Z", GoVersion: "go1.26.0", Platform: platform},
		},
		{
			name: "go install …@v1.4.0: the module version",
			bi:   &debug.BuildInfo{GoVersion: "go1.26.1", Main: debug.Module{Path: "github.com/skillgate/skillgate", Version: "v1.4.0"}},
			want: Info{Version: "v1.4.0", GoVersion: "go1.26.1", Platform: platform},
		},
		{
			name: "go build in a checkout: devel, with the commit and its time",
			bi:   &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}, Settings: vcs},
			want: Info{Version: Devel, Commit: "0123456789abcdef0123456789abcdef01234567", Date: "2026-11-30T09:00:00Z", GoVersion: "go1.26.0", Platform: platform},
		},
		{
			name: "no build info at all",
			want: Info{Version: Devel, GoVersion: runtime.Version(), Platform: platform},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, resolve(tc.stamped, tc.bi)); diff != "" {
				t.Errorf("resolve (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUserAgentNamesTheVersion(t *testing.T) {
	t.Parallel()
	ua := UserAgent()
	if want := "skillgate/" + Get().Version + " "; !strings.HasPrefix(ua, want) {
		t.Errorf("UserAgent() = %q, want it to start with %q", ua, want)
	}
}
