package skillpkg

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/skillgate/skillgate/internal/jsonfile"
)

// ErrNotInPackage is wrapped by ReadDir's error for an entry that is not a
// regular file inside the package folder: a named pipe, a device, a socket,
// or a link that leads out of the folder.
var ErrNotInPackage = errors.New("not a regular file inside the package")

// ReadDir reads every file of a skill package folder, path (with /) →
// bytes, as ask-cli zips it for a deploy: names starting with a dot (and
// what is under them) are left out, as ask-cli's glob does. The total is
// bounded by MaxUnpackedBytes.
//
// Files are read through an os.Root on dir and must be regular files: a link
// to another file of the package is followed, as ask-cli does, but a link
// leading out of the folder is refused (a link to /proc/self/environ would
// upload the step's secrets with the package), and so is a named pipe (its
// read would wait for ever) or a device (/dev/zero never ends).
func ReadDir(dir string) (map[string][]byte, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("reading the skill package %s: %w", dir, err)
	}
	defer root.Close()
	files := map[string][]byte{}
	left := int64(MaxUnpackedBytes)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
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
		b, err := readRegular(root, rel, left)
		if err != nil {
			return err
		}
		left -= int64(len(b))
		files[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the skill package %s: %w", dir, err)
	}
	return files, nil
}

// readRegular reads the regular file name under root, at most limit bytes:
// its type is checked before it is opened and again on the open file.
func readRegular(root *os.Root, name string, limit int64) ([]byte, error) {
	slash := filepath.ToSlash(name)
	notIn := func(why string) error {
		return fmt.Errorf("%s: %w: %s; skillgate reads only regular files inside the package folder, as SMAPI takes only those", slash, ErrNotInPackage, why)
	}
	info, err := root.Stat(name) // follows links, within root only
	if err != nil {
		if l, lerr := root.Lstat(name); lerr == nil && l.Mode()&fs.ModeSymlink != 0 {
			return nil, notIn("it is a link that leads outside the package folder (or nowhere)")
		}
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, notIn("it is " + jsonfile.DescribeMode(info.Mode()))
	}
	tooLarge := fmt.Errorf("the package is larger than %d MiB unpacked", MaxUnpackedBytes>>20)
	if info.Size() > limit {
		return nil, tooLarge // before reading it
	}
	f, err := root.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil || !info.Mode().IsRegular() {
		return nil, notIn("it changed while being read")
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err == nil && int64(len(b)) > limit {
		err = tooLarge
	}
	return b, err
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
