package plan

// The plan of the package's other files: icons and other assets, APL
// documents, in-skill product files and whatever else an ask-cli v2
// skill-package holds beside skill.json and the models. SMAPI carries them
// only inside a package import, so the plan reads them from an export of
// the live package, and only for a package that holds such files.

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/skillgate/skillgate/internal/diff"
	"github.com/skillgate/skillgate/internal/jsoncanon"
	"github.com/skillgate/skillgate/internal/skillpkg"
	"github.com/skillgate/skillgate/internal/smapi"
	"github.com/skillgate/skillgate/internal/validate"
)

// PackageReader reads the live skill package; a Reader that implements it
// (as *smapi.Client does) gets the package's other files planned too.
type PackageReader interface {
	ReadPackage(ctx context.Context, skillID, stage string) (*smapi.ExportedPackage, error)
}

var _ PackageReader = (*smapi.Client)(nil)

// readFiles plans the package's other files when the package folder holds
// what only an import carries: it exports the live package, records its
// ETag and each live file's sha256 in the marker, and lists the files that
// differ. JSON files are compared by their canonical form, so a file only
// re-indented is not a change; any other file by its bytes.
func (p *Plan) readFiles(ctx context.Context, r Reader, pkg *validate.Package, opts Options) error {
	pr, ok := r.(PackageReader)
	if !ok || pkg == nil || pkg.Root == "" {
		return nil
	}
	local, err := skillpkg.ReadDir(pkg.Root)
	if err != nil {
		return err
	}
	if p.ImportReason = skillpkg.ImportReason(local, p.Skill); p.ImportReason == "" {
		return nil
	}
	var live map[string][]byte
	err = opts.Step("read the live package", func() (string, error) {
		exp, err := pr.ReadPackage(ctx, p.Skill, p.Stage)
		if err != nil {
			return "", fmt.Errorf("read the %s skill package of %s: %w", p.Stage, p.Skill, err)
		}
		if live, err = skillpkg.Unpack(exp.Zip); err != nil {
			return "", fmt.Errorf("the %s skill package of %s: %w", p.Stage, p.Skill, err)
		}
		p.PackageETag = exp.ETag
		return "OK", nil
	})
	if err != nil {
		return err
	}
	p.Marker.Package = p.PackageETag
	p.Files = []skillpkg.Change{}
	for _, ch := range skillpkg.Compare(others(live), others(local)) {
		if ch.Kind == skillpkg.Changed && strings.HasSuffix(ch.Path, ".json") {
			if jsoncanon.Equal(live[ch.Path], local[ch.Path]) {
				continue // only re-indented or reordered
			}
			ch.Fields, ch.MoreFields, _ = skillpkg.JSONPointers(live[ch.Path], local[ch.Path], maxFields)
		}
		p.Files = append(p.Files, ch)
	}
	// The marker is one line at the top of the comment: per-file hashes
	// only for packages of a modest size. Without them the drift guard
	// still compares the package ETag; it just cannot name the files.
	if liveOthers := others(live); len(liveOthers) <= maxMarkerFiles {
		for name, b := range liveOthers {
			setItem(&p.Marker.Files, name, skillpkg.SHA256(b))
		}
	}
	return nil
}

// maxFields bounds the pointers listed for one changed JSON file.
const maxFields = 5

// maxMarkerFiles bounds the file.<path> keys of a marker (about 90
// characters each).
const maxMarkerFiles = 50

// others keeps the files the resource APIs do not carry.
func others(files map[string][]byte) map[string][]byte {
	out := map[string][]byte{}
	for n, b := range files {
		if !skillpkg.IsResource(n) {
			out[n] = b
		}
	}
	return out
}

// jsonPlan is `skillgate diff --format json`: the manifest and model diff
// as it always was, plus the package's other files when the plan read the
// live package. Files is left out only when the package was not read, so
// "files": [] says "compared, nothing differs".
type jsonPlan struct {
	diff.JSONResult
	ImportReason string            `json:"importReason,omitempty"`
	Files        []skillpkg.Change `json:"files,omitzero"`
}

// JSON writes the plan as diff.Result.JSON does, with importReason and
// files (each with path, kind, size, sha256, oldSize and oldSha256 for a
// changed file, and the JSON Pointers at which a JSON file differs) added
// when the package holds files only an import carries.
func (p *Plan) JSON(w io.Writer) error {
	changes := p.Changes
	if changes == nil { // validating only: nothing was compared
		changes = &diff.Result{}
	}
	return diff.EncodeJSON(w, jsonPlan{JSONResult: changes.JSONValue(), ImportReason: p.ImportReason, Files: p.Files})
}
