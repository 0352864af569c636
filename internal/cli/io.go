package cli

// Reading a command's input (a JSON file, stdin, a skill package's
// manifest) and writing JSON output, for every command.

import (
	"bytes"
	"context"
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
// unreadable file is a usage error; an interrupt while stdin is read
// (a terminal nobody types in) ends the command, nothing sent.
func readInput(ctx context.Context, env *Env, name string, args []string, what string) ([]byte, int, bool) {
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
		data, err = readStdin(ctx, env.Stdin)
		if ctx.Err() != nil {
			fmt.Fprintf(env.Stderr, "skillgate %s: interrupted while reading the %s from stdin; nothing was sent\n", name, what)
			return nil, ExitFailed, false
		}
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

// readStdin reads stdin up to maxInputSize, or until ctx ends: a read from
// a terminal or a pipe cannot be cancelled, so it runs on its own goroutine,
// left blocked when the command ends first.
func readStdin(ctx context.Context, r io.Reader) ([]byte, error) {
	type result struct {
		data []byte
		err  error
	}
	got := make(chan result, 1)
	go func() {
		data, err := io.ReadAll(io.LimitReader(r, maxInputSize+1))
		got <- result{data, err}
	}()
	select {
	case res := <-got:
		if res.err == nil && len(res.data) > maxInputSize {
			res.err = fmt.Errorf("larger than %d MiB", maxInputSize>>20)
		}
		return res.data, res.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
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
