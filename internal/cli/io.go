package cli

// Reading a command's input (a JSON file, stdin, a skill package's
// manifest) and writing JSON output, for every command.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"

	"github.com/skillgate/skillgate/internal/jsonfile"
	"github.com/skillgate/skillgate/internal/project"
	"github.com/skillgate/skillgate/internal/validate"
)

// printJSON writes v (or raw JSON bytes) indented, one document per call.
func printJSON(w io.Writer, v any) error {
	var data []byte
	switch x := v.(type) {
	case []byte:
		data = x
	case json.RawMessage:
		data = x
	default:
		var err error
		if data, err = json.Marshal(v); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, data, "", "  "); err != nil {
		return fmt.Errorf("SMAPI sent a body that is not JSON: %w", err)
	}
	buf.WriteByte('\n')
	_, err := w.Write(buf.Bytes())
	return err
}

// maxInputSize bounds a JSON document read from FILE or stdin.
const maxInputSize = 10 << 20

// readInput reads FILE, "-" or no argument meaning stdin. A missing or
// unreadable file is a usage error.
func readInput(env *Env, name string, args []string, what string) ([]byte, int, bool) {
	if len(args) > 1 {
		fmt.Fprintf(env.Stderr, "skillgate %s: one %s file at most, got %d arguments\n", name, what, len(args))
		return nil, ExitUsage, false
	}
	var (
		data []byte
		err  error
		src  = "stdin"
	)
	if len(args) == 0 || args[0] == "-" {
		data, err = io.ReadAll(io.LimitReader(env.Stdin, maxInputSize))
	} else {
		src = args[0]
		data, err = jsonfile.ReadFile(args[0], maxInputSize)
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "skillgate %s: reading the %s from %s: %v\n", name, what, src, err)
		return nil, ExitUsage, false
	}
	if !json.Valid(data) {
		fmt.Fprintf(env.Stderr, "skillgate %s: the %s in %s is not valid JSON; run skillgate validate to see where\n", name, what, src)
		return nil, ExitUsage, false
	}
	return data, ExitOK, true
}

// skillManifestFile reads PATH's skill.json (PATH a folder or the file);
// with no PATH, the ask-cli project's package or skill-package.
func skillManifestFile(env *Env, name string, args []string, profile string) ([]byte, string, int, bool) {
	path := ""
	if len(args) > 1 {
		fmt.Fprintf(env.Stderr, "skillgate %s: one PATH at most, got %d arguments\n", name, len(args))
		return nil, "", ExitUsage, false
	}
	if len(args) == 1 {
		path = args[0]
	}
	r, err := project.ResolvePath(".", path, profile, env.Getenv)
	if err != nil {
		fmt.Fprintf(env.Stderr, "skillgate %s: %v\n", name, err)
		return nil, "", ExitUsage, false
	}
	file, _, err := project.ManifestFile(r.Path)
	if err != nil {
		fmt.Fprintf(env.Stderr, "skillgate %s: %v\n", name, err)
		return nil, "", ExitUsage, false
	}
	data, err := jsonfile.ReadFile(file, validate.MaxFileSize)
	if err != nil {
		fmt.Fprintf(env.Stderr, "skillgate %s: reading the skill manifest: %v\n", name, err)
		return nil, "", ExitUsage, false
	}
	if !json.Valid(data) {
		fmt.Fprintf(env.Stderr, "skillgate %s: %s is not valid JSON; run skillgate validate %s to see where\n", name, file, filepath.Dir(file))
		return nil, "", ExitUsage, false
	}
	return data, file, ExitOK, true
}
