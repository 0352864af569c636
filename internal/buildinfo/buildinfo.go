// Package buildinfo says which skillgate this is. A release binary carries
// the version, commit and commit date GoReleaser stamps in with
// -ldflags -X (see .goreleaser.yaml); a binary built with
// `go install github.com/skillgate/skillgate@vX.Y.Z` carries none of them,
// and then the Go toolchain's own record (runtime/debug.ReadBuildInfo)
// gives the module version and, for a build from a checkout, the commit.
package buildinfo

import (
	"runtime"
	"runtime/debug"
)

// Set with -ldflags "-X github.com/skillgate/skillgate/internal/buildinfo.version=v1.2.3"
// (and .commit, .date) by the release build. Variables because -X can only
// set package-level strings; nothing else writes them.
var (
	version = ""
	commit  = ""
	date    = ""
)

// Devel is the version of a binary that says nothing about where it came
// from (a plain `go build` in a checkout).
const Devel = "devel"

// Info identifies a skillgate binary.
type Info struct {
	// Version is the release tag (v1.2.3), the module version of a
	// `go install …@vX.Y.Z` build, or Devel.
	Version string `json:"version"`
	// Commit is the full Git commit the binary was built from, "" if unknown.
	Commit string `json:"commit"`
	// Date is the commit's time in RFC 3339 (the release build stamps the
	// commit date, not the build time, so that rebuilding a tag yields the
	// same binary), "" if unknown.
	Date string `json:"date"`
	// GoVersion is the Go toolchain that built the binary.
	GoVersion string `json:"goVersion"`
	// Platform is GOOS/GOARCH.
	Platform string `json:"platform"`
}

// Get returns this binary's Info.
func Get() Info {
	bi, _ := debug.ReadBuildInfo()
	return resolve(Info{Version: version, Commit: commit, Date: date}, bi)
}

// UserAgent is the User-Agent skillgate sends to SMAPI, Login with Amazon
// and GitHub: product/version, so that a service's logs tell releases apart.
func UserAgent() string {
	return "skillgate/" + Get().Version + " (+https://github.com/skillgate/skillgate)"
}

// resolve fills what stamped leaves empty from the toolchain's build info.
func resolve(stamped Info, bi *debug.BuildInfo) Info {
	info := stamped
	info.GoVersion = runtime.Version()
	info.Platform = runtime.GOOS + "/" + runtime.GOARCH
	if bi == nil {
		if info.Version == "" {
			info.Version = Devel
		}
		return info
	}
	info.GoVersion = bi.GoVersion
	if info.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		info.Version = bi.Main.Version
	}
	if info.Version == "" {
		info.Version = Devel
	}
	for _, s := range bi.Settings {
		switch {
		case s.Key == "vcs.revision" && info.Commit == "":
			info.Commit = s.Value
		case s.Key == "vcs.time" && info.Date == "":
			info.Date = s.Value
		}
	}
	return info
}
