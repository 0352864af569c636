// Package schemas holds skillgate's JSON Schemas (draft 2020-12) for
// skill.json, one file per concern, embedded into the binary.
//
// The files are generated from Amazon's SMAPI model by tools/schemagen and
// committed so that they can be reviewed; a test in tools/schemagen fails
// when they drift from the generator. Each file's $id starts with BaseURL;
// nothing is fetched from there: the validator registers the embedded
// bytes under those URLs.
package schemas

import (
	"embed"
	"io/fs"
)

//go:generate go run ../tools/schemagen -spec ../tools/schemagen/testdata/manifest-model.json -out .

// BaseURL is the prefix of every schema's $id.
const BaseURL = "https://skillgate.dev/schemas/"

// Root is the schema a whole skill.json is validated against; it refers to
// the others.
const Root = "envelope.schema.json"

//go:embed *.schema.json
var files embed.FS

// FS returns the embedded schema files, named like "envelope.schema.json".
func FS() fs.FS { return files }

// Names lists the embedded schema files in lexical order.
func Names() []string {
	entries, err := files.ReadDir(".")
	if err != nil {
		// An embed.FS root always reads; keep the signature simple.
		return nil
	}
	out := make([]string, 0, len(entries))
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}
