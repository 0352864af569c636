// Package skillpkg reads and writes whole ask-cli v2 skill packages: the
// skill-package folder as path → bytes, zipped for an import or unzipped
// from an export. Unzipping is bounded (entries, unpacked size) and refuses
// any entry that could land outside the package, because export zips come
// from the network and are written to disk.
package skillpkg

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
)

// Limits of a skill package.
//
// Neither Amazon's SMAPI model nor the SMAPI reference material this project
// keeps states a figure: the model only declares that both import operations
// answer 413 "Payload too large". MaxZipBytes is therefore skillgate's own
// decision, 50 MiB, the size AWS Lambda accepts for a directly uploaded zip
// (the other upload limit a skill team meets); the validator refuses a
// larger package before any upload, and the simulator refuses a larger PUT.
const (
	// MaxZipBytes caps a package zip.
	MaxZipBytes = 50 << 20
	// MaxEntries caps the entries of a package zip.
	MaxEntries = 1000
	// MaxUnpackedBytes caps the total size of a package's files once
	// unzipped, counted while reading (entry headers can lie).
	MaxUnpackedBytes = 100 << 20
)

// Manifest is the path of the skill manifest in a package.
const Manifest = "skill.json"

// Error is a package zip refused by Unpack.
type Error struct{ Msg string }

func (e *Error) Error() string { return "skill package: " + e.Msg }

func badPackage(format string, args ...any) error {
	return &Error{Msg: fmt.Sprintf(format, args...)}
}

// Unpack reads a skill package zip into memory, path → bytes, refusing
// anything outside the limits: too many entries, too much data, absolute
// paths, ".." or backslashes, links, duplicates. Nothing is written to disk.
// A package whose files sit in one top folder (skill-package/skill.json) is
// read as if they were at the root.
func Unpack(data []byte) (map[string][]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, badPackage("not a zip file: %v", err)
	}
	if len(zr.File) > MaxEntries {
		return nil, badPackage("%d entries, more than the %d allowed", len(zr.File), MaxEntries)
	}
	files := map[string][]byte{}
	left := int64(MaxUnpackedBytes)
	for _, f := range zr.File {
		name, err := entryName(f)
		if err != nil {
			return nil, err
		}
		if name == "" { // a directory
			continue
		}
		if _, dup := files[name]; dup {
			return nil, badPackage("entry %q appears twice", name)
		}
		b, err := readEntry(f, left)
		if err != nil {
			return nil, err
		}
		left -= int64(len(b))
		files[name] = b
	}
	return stripTopFolder(files), nil
}

// entryName checks an entry's name and type; "" means a directory.
func entryName(f *zip.File) (string, error) {
	name := f.Name
	switch {
	case f.Mode()&fs.ModeSymlink != 0:
		return "", badPackage("entry %q is a symbolic link", name)
	case strings.Contains(name, `\`):
		return "", badPackage("entry %q has a backslash; zip paths use /", name)
	case strings.HasPrefix(name, "/") || (len(name) > 1 && name[1] == ':'):
		return "", badPackage("entry %q is an absolute path", name)
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." {
			return "", badPackage("entry %q leaves the package (..)", name)
		}
	}
	if f.FileInfo().IsDir() || strings.HasSuffix(name, "/") {
		return "", nil
	}
	clean := path.Clean(name)
	if clean != name || clean == "." {
		return "", badPackage("entry %q is not a clean relative path", name)
	}
	return clean, nil
}

// readEntry reads one entry with at most left bytes to spare.
func readEntry(f *zip.File, left int64) ([]byte, error) {
	if int64(f.UncompressedSize64) > left || f.UncompressedSize64 > MaxUnpackedBytes {
		return nil, badPackage("unpacked size over %d MiB (at %q)", MaxUnpackedBytes>>20, f.Name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, badPackage("entry %q: %v", f.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, left+1))
	switch {
	case int64(len(b)) > left:
		return nil, badPackage("unpacked size over %d MiB (at %q)", MaxUnpackedBytes>>20, f.Name)
	case errors.Is(err, zip.ErrChecksum), errors.Is(err, zip.ErrFormat):
		return nil, badPackage("entry %q is corrupt: %v", f.Name, err)
	case err != nil:
		return nil, badPackage("entry %q: %v", f.Name, err)
	}
	return b, nil
}

// stripTopFolder moves the files of a package zipped with its folder
// (skill-package/skill.json) to the root.
func stripTopFolder(files map[string][]byte) map[string][]byte {
	if _, ok := files[Manifest]; ok || len(files) == 0 {
		return files
	}
	top := ""
	for name := range files {
		dir, _, ok := strings.Cut(name, "/")
		if !ok || (top != "" && dir != top) {
			return files
		}
		top = dir
	}
	out := make(map[string][]byte, len(files))
	for name, b := range files {
		out[strings.TrimPrefix(name, top+"/")] = b
	}
	return out
}

// Pack zips files in path order, deflated, with no timestamps, so the same
// package always gives the same bytes.
func Pack(files map[string][]byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(files[name]); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
