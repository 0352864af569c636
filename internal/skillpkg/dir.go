package skillpkg

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// ReadDir reads every file of a skill package folder, path (with /) →
// bytes, as ask-cli zips it for a deploy: names starting with a dot (and
// what is under them) are left out, as ask-cli's glob does. The total is
// bounded by MaxUnpackedBytes.
func ReadDir(dir string) (map[string][]byte, error) {
	files := map[string][]byte{}
	left := int64(MaxUnpackedBytes)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		tooLarge := fmt.Errorf("%s: the package is larger than %d MiB unpacked", dir, MaxUnpackedBytes>>20)
		if info, err := os.Stat(p); err == nil && info.Size() > left {
			return tooLarge // before reading it
		}
		b, err := os.ReadFile(p) // follows a link, as ask-cli's zip does
		if err != nil {
			return err
		}
		if left -= int64(len(b)); left < 0 {
			return tooLarge
		}
		files[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the skill package: %w", err)
	}
	return files, nil
}

// ExistsError lists the files WriteDir refused to overwrite.
type ExistsError struct {
	Dir   string
	Paths []string
}

func (e *ExistsError) Error() string {
	const show = 5
	list := e.Paths
	more := ""
	if len(list) > show {
		more = fmt.Sprintf(" and %d more", len(list)-show)
		list = list[:show]
	}
	return fmt.Sprintf("%s already holds %s%s; pass --force to overwrite them, or choose another folder",
		e.Dir, strings.Join(list, ", "), more)
}

// WriteDir writes files (path with / → bytes) under dir, creating folders
// as needed. Unless overwrite is set, it first checks that none exists and
// writes nothing when one does (*ExistsError). Every write goes through an
// os.Root on dir, so no name, and no link met on the way, can put a file
// outside it.
func WriteDir(dir string, files map[string][]byte, overwrite bool) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	names := slices.Sorted(maps.Keys(files))
	var exist []string
	for _, n := range names {
		if !fs.ValidPath(n) || path.Clean(n) != n {
			return fmt.Errorf("refusing to write %q: not a clean relative path", n)
		}
		if _, err := root.Lstat(filepath.FromSlash(n)); err == nil {
			exist = append(exist, n)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if len(exist) > 0 && !overwrite {
		return &ExistsError{Dir: dir, Paths: exist}
	}
	for _, n := range names {
		name := filepath.FromSlash(n)
		if d := filepath.Dir(name); d != "." {
			if err := root.MkdirAll(d, 0o755); err != nil {
				return err
			}
		}
		if err := root.WriteFile(name, files[n], 0o644); err != nil {
			return err
		}
	}
	return nil
}
