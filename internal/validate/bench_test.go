package validate

import (
	"path/filepath"
	"testing"

	"github.com/skillgate/skillgate/schemas"
)

// BenchmarkValidatePackage validates one realistic package in-process (the
// KCRW production skill: five locales, cloned locales, regions) once the
// schemas are compiled.
func BenchmarkValidatePackage(b *testing.B) {
	dir := b.TempDir()
	src := filepath.Join("testdata", "corpus", "KCRW-org__KCRW-Alexa-Skill__skill-package_skill.json")
	raw := mustRead(b, src)
	writeFile(b, filepath.Join(dir, "skill.json"), raw)
	// The first run compiles the schemas pruned for this manifest.
	if _, err := ValidatePath(dir); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ValidatePath(dir); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCorpus validates every corpus file once per iteration.
func BenchmarkCorpus(b *testing.B) {
	files := corpusFiles(b)
	// The first round compiles the schemas pruned for each manifest.
	for _, f := range files {
		if _, err := ValidatePath(f); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			if _, err := ValidatePath(f); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkCompileSchemas compiles all the schemas, unpruned: what a cold
// process paid before the pruning (BenchmarkCompileForPackage).
func BenchmarkCompileSchemas(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := compileSchemas(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompileForPackage compiles the schemas pruned for the manifest
// of testdata/packages/valid, what a cold `skillgate validate` of it does.
func BenchmarkCompileForPackage(b *testing.B) {
	raw := mustRead(b, filepath.Join("..", "..", "testdata", "packages", "valid", "skill.json"))
	doc, _ := ParseDocument("skill.json", raw)
	data, err := loadedData()
	if err != nil {
		b.Fatal(err)
	}
	keys := map[string]bool{}
	collectKeys(doc.Value, keys)
	b.ReportAllocs()
	for b.Loop() {
		p := &pruner{docs: data.docs, keys: keys, reached: map[string]bool{}}
		if _, err := p.compile(schemas.BaseURL + schemas.Root); err != nil {
			b.Fatal(err)
		}
	}
}
