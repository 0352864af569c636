package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/skillgate/skillgate/internal/buildinfo"
)

func runVersion(_ context.Context, env *Env, args []string) int {
	fs := newFlagSet(env, "version", "[--json]", "print the version, commit and commit date of this skillgate binary")
	jsonOut := fs.Bool("json", false, "print them as a JSON object on stdout")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "skillgate version: unexpected argument %q\n", fs.Arg(0))
		return ExitUsage
	}
	info := buildinfo.Get()
	if *jsonOut {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(info); err != nil {
			fmt.Fprintf(env.Stderr, "skillgate version: %v\n", err)
			return ExitFailed
		}
		return ExitOK
	}
	fmt.Fprintf(env.Stdout, "skillgate %s\ncommit: %s\ndate:   %s\ngo:     %s %s\n",
		info.Version, orUnknown(info.Commit), orUnknown(info.Date), info.GoVersion, info.Platform)
	return ExitOK
}

// orUnknown prints "unknown" for what the build did not record (a plain
// `go build` outside a Git checkout, or with -buildvcs=false).
func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// version is the version reports, logs and the demo name.
func version() string { return buildinfo.Get().Version }
