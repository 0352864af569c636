package validate

// Rules on the package as a whole, beyond its JSON documents: the files
// skill.json names with file:// URIs, the icons' format and size, and the
// size of the zip an import would upload. They need the package folder, so a
// lone skill.json is not checked by them.

import (
	"fmt"
	"image"
	_ "image/jpeg" // icons may be JPEG
	_ "image/png"  // or PNG
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/skillgate/skillgate/internal/jsonfile"
	"github.com/skillgate/skillgate/internal/skillpkg"
)

// iconSizes are the pixel sizes Alexa requires for the store icons (SMAPI:
// "Small icon size should be 108*108. Large icon size should be 512*512.").
var iconSizes = map[string]int{"smallIconUri": 108, "largeIconUri": 512}

// checkPackageFiles runs the package rules on a loaded folder package.
func checkPackageFiles(p *Package, manifest map[string]any) []Finding {
	if p.Root == "" || p.Manifest == nil {
		return nil
	}
	root := filepath.FromSlash(p.Root)
	var out []Finding
	report := func(ptr, rule, msg string) {
		if f, ok := p.Manifest.find(ptr, rule, msg); ok {
			out = append(out, f)
		}
	}
	if manifest != nil {
		walkStrings(manifest, "/manifest", func(ptr, s string) {
			checkFileURI(root, ptr, s, report)
		})
	}
	if f, ok := checkPackageSize(p, root); ok {
		out = append(out, f)
	}
	return out
}

// walkStrings calls f with the pointer and value of every string in v.
func walkStrings(v any, ptr string, f func(ptr, s string)) {
	switch t := v.(type) {
	case string:
		f(ptr, t)
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			walkStrings(t[k], ptr+"/"+jsonfile.EscapePointer(k), f)
		}
	case []any:
		for i, e := range t {
			walkStrings(e, fmt.Sprintf("%s/%d", ptr, i), f)
		}
	}
}

// checkFileURI checks one file:// URI: it names a regular file inside the
// package; an icon's file is a PNG or JPEG of the required size.
func checkFileURI(root, ptr, s string, report func(ptr, rule, msg string)) {
	if len(s) < 7 || !strings.EqualFold(s[:7], "file://") {
		return
	}
	rel := s[7:]
	if rel == "" || !fs.ValidPath(rel) || path.Clean(rel) != rel {
		report(ptr, "file.reference", fmt.Sprintf("%s does not name a file inside the package: write it relative to the package folder, as file://assets/images/icon.png (no leading /, no ..)", s))
		return
	}
	name := filepath.Join(root, filepath.FromSlash(rel))
	info, err := os.Stat(name)
	switch {
	case err != nil:
		report(ptr, "file.reference", fmt.Sprintf("%s: there is no file %s in the package; add it or fix the path", s, rel))
		return
	case !info.Mode().IsRegular():
		report(ptr, "file.reference", fmt.Sprintf("%s: %s is not a regular file", s, rel))
		return
	}
	field := ptr[strings.LastIndex(ptr, "/")+1:]
	if want, isIcon := iconSizes[field]; isIcon && strings.Contains(ptr, "/publishingInformation/locales/") {
		checkIcon(name, rel, field, want, ptr, report)
	}
}

// checkIcon reads an icon's image header (not the whole image).
func checkIcon(name, rel, field string, want int, ptr string, report func(ptr, rule, msg string)) {
	f, err := os.Open(name)
	if err != nil {
		report(ptr, "file.reference", fmt.Sprintf("%s cannot be read: %v", rel, err))
		return
	}
	defer f.Close()
	cfg, format, err := image.DecodeConfig(f)
	if err != nil || (format != "png" && format != "jpeg") {
		report(ptr, "icon.format", fmt.Sprintf("%s is not a PNG or JPEG image; Alexa takes %s as PNG or JPEG", rel, field))
		return
	}
	if cfg.Width != want || cfg.Height != want {
		report(ptr, "icon.size", fmt.Sprintf("%s is %d×%d pixels; %s must be %d×%d", rel, cfg.Width, cfg.Height, field, want, want))
	}
}

// checkPackageSize refuses a package whose zip would be over the size an
// import accepts. The sum of the files' sizes bounds the zip from above
// (give or take the zip's own headers) so most packages are never zipped
// here; only one that may be over the limit is.
func checkPackageSize(p *Package, root string) (Finding, bool) {
	var total int64
	_ = filepath.WalkDir(root, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				total += info.Size()
			}
		}
		return nil
	})
	const headroom = 1 << 20 // zip headers, for a package near the limit
	if total+headroom <= skillpkg.MaxZipBytes {
		return Finding{}, false
	}
	files, err := skillpkg.ReadDir(root)
	var size int
	if err == nil {
		var zip []byte
		zip, err = skillpkg.Pack(files)
		size = len(zip)
	}
	if err == nil && size <= skillpkg.MaxZipBytes {
		return Finding{}, false
	}
	msg := fmt.Sprintf("the package zips to %.1f MiB, more than the %d MiB a skill package import accepts; move large media to a CDN and refer to it by https URL", float64(size)/(1<<20), skillpkg.MaxZipBytes>>20)
	if err != nil {
		msg = fmt.Sprintf("the package holds %.1f MiB of files, more than the %d MiB a skill package import accepts (%v); move large media to a CDN and refer to it by https URL", float64(total)/(1<<20), skillpkg.MaxZipBytes>>20, err)
	}
	return p.Manifest.fileFinding("package.size", msg), true
}
