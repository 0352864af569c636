package diff

import (
	"testing"

	"github.com/skillgate/skillgate/internal/jsoncanon"
)

func BenchmarkCompare(b *testing.B) {
	live := readFile(b, "testdata/live.json")
	local := readFile(b, "testdata/local_changed.json")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compare(local, live, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSHA256(b *testing.B) {
	live := readFile(b, "testdata/live.json")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jsoncanon.SHA256(live); err != nil {
			b.Fatal(err)
		}
	}
}
