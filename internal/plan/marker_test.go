package plan

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMarkerString(t *testing.T) {
	t.Parallel()
	m := Marker{
		Skill: "amzn1.ask.skill.0f6f-42", Stage: "development",
		ETag: `W/"abc=="`, SHA256: strings.Repeat("ab", 32),
		Models: map[string]string{"en-US": "ff", "de-DE": NoModel},
		Extra:  map[string]string{"model.en-US": "ignored", "etag": "ignored", "": "ignored", "a": "1", "z": "2"},
	}
	want := `<!-- skillgate:plan skill=amzn1.ask.skill.0f6f-42 stage=development etag=W/"abc==" sha256=` +
		strings.Repeat("ab", 32) + ` a=1 model.de-DE=none model.en-US=ff z=2 -->`
	if got := m.String(); got != want {
		t.Errorf("String() =\n%s\nwant\n%s", got, want)
	}
}

func TestMarkerRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		m    Marker
	}{
		{"plain", Marker{Skill: "amzn1.ask.skill.1", Stage: "development", ETag: "abc123", SHA256: "00ff"}},
		{"quoted etag", Marker{Skill: "s", Stage: "live", ETag: `"5d41402abc4b2a76b9719d911017c592"`, SHA256: "x"}},
		{"weak etag", Marker{Skill: "s", Stage: "development", ETag: `W/"0815"`}},
		{"etag with spaces", Marker{Skill: "s", Stage: "d", ETag: `W/"a b	c"`}},
		{"comment terminator", Marker{Skill: "s", Stage: "d", ETag: `x-->y--!>z`}},
		{"percent and equals", Marker{Skill: "s", Stage: "d", ETag: "100%=a=b"}},
		{"newline", Marker{Skill: "s", Stage: "d", ETag: "a\nb\r\n"}},
		{"non-ASCII", Marker{Skill: "sküll", Stage: "d", ETag: "é—✓"}},
		{"empty etag and hash", Marker{Skill: "s", Stage: "d"}},
		{"html", Marker{Skill: "s", Stage: "d", ETag: "<!-- <b>&amp;</b>"}},
		{"models and extra", Marker{Skill: "s", Stage: "d", ETag: "e", SHA256: "h",
			Models: map[string]string{"en-US": "aa", "de-DE": "b b"},
			Extra:  map[string]string{"odd key=x": "v>w", "k%": "", "package.etag": "p"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := tt.m.String()
			if strings.ContainsAny(s, "\n\r") || strings.Count(s, "-->") != 1 || !strings.HasSuffix(s, " -->") {
				t.Errorf("String() = %q: not one line closed once", s)
			}
			body := "intro text\n" + s + "\n\n## Plan\n| a | b |\n<!-- skillgate:plan skill=other stage=x -->\n"
			got, ok := ParseMarker(body)
			if !ok {
				t.Fatalf("ParseMarker(%q) = false", s)
			}
			if diff := cmp.Diff(tt.m, got); diff != "" {
				t.Errorf("round trip of %q (-want +got):\n%s", s, diff)
			}
		})
	}
}

func TestParseMarkerRejects(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, body string }{
		{"empty", ""},
		{"no marker", "## Plan\nno changes"},
		{"other tool", "<!-- tfcmt:plan skill=s stage=d -->"},
		{"unclosed", "<!-- skillgate:plan skill=s stage=d"},
		{"closed on a later line", "<!-- skillgate:plan skill=s stage=d\n-->"},
		{"prefix of a longer word", "<!-- skillgate:planned skill=s stage=d -->"},
		{"token without =", "<!-- skillgate:plan skill=s stage=d bogus -->"},
		{"bad escape", "<!-- skillgate:plan skill=s stage=d etag=%zz -->"},
		{"no skill", "<!-- skillgate:plan stage=d etag=e -->"},
		{"empty stage", "<!-- skillgate:plan skill=s stage= -->"},
		{"empty key", "<!-- skillgate:plan skill=s stage=d =v -->"},
	}
	for _, tt := range tests {
		if m, ok := ParseMarker(tt.body); ok {
			t.Errorf("%s: ParseMarker(%q) = %+v, true; want false", tt.name, tt.body, m)
		}
	}
}

func TestParseMarkerFirstKeyWins(t *testing.T) {
	t.Parallel()
	m, ok := ParseMarker("<!-- skillgate:plan skill=a stage=d skill=b etag=1 etag=2 -->")
	if !ok || m.Skill != "a" || m.ETag != "1" {
		t.Errorf("got %+v, %v; want the first skill and etag", m, ok)
	}
}

// TestMarkerCompatible: markers written before the plan package (model
// keys among the extra ones) read into Models, and write back byte for byte.
func TestMarkerCompatible(t *testing.T) {
	t.Parallel()
	old := `<!-- skillgate:plan skill=amzn1.ask.skill.1 stage=development etag="e" sha256=ab model.de-DE=none model.en-US=cd -->`
	m, ok := ParseMarker("## heading\n" + old + "\nbody")
	if !ok {
		t.Fatal("an existing marker did not parse")
	}
	if d := cmp.Diff(map[string]string{"de-DE": NoModel, "en-US": "cd"}, m.Models); d != "" || m.Extra != nil {
		t.Errorf("Models (-want +got):\n%s; Extra = %v", d, m.Extra)
	}
	if m.String() != old {
		t.Errorf("String() = %q, want %q", m.String(), old)
	}
}

func TestMatches(t *testing.T) {
	t.Parallel()
	body := Marker{Skill: "s", Stage: "development", ETag: "e"}.String() + "\nplan"
	for _, tt := range []struct {
		skill, stage, body string
		want               bool
	}{
		{"s", "development", body, true},
		{"s", "live", body, false},
		{"t", "development", body, false},
		{"s", "development", "no marker", false},
	} {
		if got := Matches(tt.skill, tt.stage)(tt.body); got != tt.want {
			t.Errorf("Matches(%q, %q)(%q) = %v", tt.skill, tt.stage, tt.body, got)
		}
	}
}

func FuzzMarkerRoundTrip(f *testing.F) {
	f.Add("amzn1.ask.skill.1", "development", `W/"x"`, "ab", "model.en-US", "cd")
	f.Add("s", "d", "-->", "", "k=", "v w")
	f.Fuzz(func(t *testing.T, skill, stage, etag, sha, k, v string) {
		m := Marker{Skill: skill, Stage: stage, ETag: etag, SHA256: sha, Extra: map[string]string{k: v}}
		got, ok := ParseMarker(m.String())
		if skill == "" || stage == "" {
			if ok {
				t.Fatalf("a marker without skill or stage parsed: %+v", got)
			}
			return
		}
		if !ok {
			t.Fatalf("ParseMarker(%q) = false", m.String())
		}
		// A key that spells a field is written by the field alone, so the
		// marker, not the Marker value, is what must survive.
		if got.String() != m.String() {
			t.Fatalf("round trip of %q gave %q", m.String(), got.String())
		}
		if !known(k) && k != "" && got.Extra[k] != v {
			t.Fatalf("extra key %q = %q, want %q", k, got.Extra[k], v)
		}
	})
}
