package diff

import (
	"testing"
	"unicode/utf8"
)

// BenchmarkCompareAndRender measures what one plan costs: the diff of two
// realistic manifests (two locales, endpoints, icons, events) and the PR
// comment. The aim is well under a millisecond.
func BenchmarkCompareAndRender(b *testing.B) {
	live := readFile(b, "testdata/live.json")
	local := readFile(b, "testdata/local_changed.json")
	b.ReportAllocs()
	for b.Loop() {
		r, err := Compare(local, live, Options{FromFile: "live/development", ToFile: "skill-package/skill.json"})
		if err != nil {
			b.Fatal(err)
		}
		if s := RenderComment(Comment{Marker: marker, Skill: "amzn1.ask.skill.demo", Stage: "development", Result: r}); utf8.RuneCountInString(s) > MaxCommentLen {
			b.Fatal("comment over the limit")
		}
	}
}

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
		if _, err := SHA256(live); err != nil {
			b.Fatal(err)
		}
	}
}
