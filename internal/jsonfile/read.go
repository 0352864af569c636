// Package jsonfile reads the JSON files skillgate is given (a skill.json, an
// interaction model, an ask-cli project file, a GitHub event payload) and
// keeps the place of every value, so that each message can send the user
// to a line and a column.
//
// It is the one place that decides how input files are opened (regular files
// only, through a size limit), how JSON is parsed with positions, and how a
// byte offset becomes a line and a column.
package jsonfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrNotRegular is wrapped by ReadFile's error for a path that is not a
// regular file (a folder, a named pipe, a device, a socket).
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is wrapped by ReadFile's error for a file over the limit.
var ErrTooLarge = errors.New("file too large")

// ReadFile reads the regular file name, at most limit bytes of it.
//
// The file is opened without blocking and checked on the open descriptor
// before a byte is read: a named pipe would otherwise block the read until a
// writer comes (forever, and deaf to SIGTERM while the open waits), and a
// device such as /dev/zero never ends. A missing file is an error matching
// fs.ErrNotExist; every error names the path.
func ReadFile(name string, limit int64) ([]byte, error) {
	f, err := os.OpenFile(name, openFlags, 0)
	if err != nil {
		// A socket cannot be opened at all (ENXIO): say what it is.
		if info, serr := os.Stat(name); serr == nil && !info.Mode().IsRegular() {
			return nil, notRegular(name, info.Mode())
		}
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, notRegular(name, info.Mode())
	}
	raw, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(raw)) > limit {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("%w: more than %s", ErrTooLarge, sizeString(limit))}
	}
	return raw, nil
}

func notRegular(name string, m fs.FileMode) error {
	return &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("%w: it is %s", ErrNotRegular, DescribeMode(m))}
}

// DescribeMode names a file type the way a user would ("a named pipe
// (FIFO)", "a folder"), for messages about a path that is not a regular file.
func DescribeMode(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}

func sizeString(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
