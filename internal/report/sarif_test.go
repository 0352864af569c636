package report

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/skillgate/skillgate/internal/validate"
)

// Every golden case passes go-sarif's validation against the SARIF 2.1.0
// schema, which github/codeql-action/upload-sarif also applies.
func TestSARIFSchema(t *testing.T) {
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			out := render(t, FormatSARIF, tc.findings, nil)
			// Strict: read the log as written, without go-sarif filling in
			// arrays we may have left out.
			log, err := sarif.FromBytes(out, sarif.WithStrictValidation())
			if err != nil {
				t.Fatalf("reading the SARIF log: %v", err)
			}
			if err := log.Validate(); err != nil {
				t.Fatalf("schema validation: %v", err)
			}
			checkSARIF(t, log, tc.findings)
		})
	}
}

// The schema check above must be able to fail: a region with line 0 is not
// valid SARIF.
func TestSARIFSchemaRejectsInvalid(t *testing.T) {
	out := render(t, FormatSARIF, goldenCases()[1].findings, nil)
	broken := strings.Replace(string(out), `"startLine": 4`, `"startLine": 0`, 1)
	if broken == string(out) {
		t.Fatal("test setup: startLine not found")
	}
	log, err := sarif.FromBytes([]byte(broken), sarif.WithStrictValidation())
	if err != nil {
		t.Fatal(err)
	}
	if err := log.Validate(); err == nil {
		t.Error("a region with startLine 0 passed validation")
	}
}

// checkSARIF compares the log with the findings field by field.
func checkSARIF(t *testing.T, log *sarif.Report, findings []validate.Finding) {
	t.Helper()
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %q with %d runs, want 2.1.0 with one", log.Version, len(log.Runs))
	}
	run := log.Runs[0]
	if run.ColumnKind == nil || *run.ColumnKind != "unicodeCodePoints" {
		t.Errorf("columnKind = %v, want unicodeCodePoints", run.ColumnKind)
	}
	d := run.Tool.Driver
	if *d.Name != "skillgate" || *d.InformationURI != "https://github.com/skillgate/skillgate" || d.Version == nil || *d.Version != "v1.2.3" {
		t.Errorf("driver name %q, informationUri %q, version %v", *d.Name, *d.InformationURI, d.Version)
	}
	for i, r := range testRules {
		got := d.Rules[i]
		if *got.ID != r.ID || *got.ShortDescription.Text != r.Summary || *got.Help.Text != r.Help || got.DefaultConfiguration.Level != r.Severity.String() {
			b, _ := json.Marshal(got)
			t.Errorf("rule %d = %s, want %+v", i, b, r)
		}
	}
	if len(run.Results) != len(findings) {
		t.Fatalf("%d results, want %d", len(run.Results), len(findings))
	}
	for i, f := range findings {
		r := run.Results[i]
		if *r.RuleID != f.Rule || *d.Rules[r.RuleIndex].ID != f.Rule {
			t.Errorf("result %d: ruleId %q, rule at index %d is %q; want %q", i, *r.RuleID, r.RuleIndex, *d.Rules[r.RuleIndex].ID, f.Rule)
		}
		if r.Level != f.Severity.String() || *r.Message.Text != f.Message {
			t.Errorf("result %d: level %q message %q", i, r.Level, *r.Message.Text)
		}
		loc := r.Locations[0].PhysicalLocation
		if f.Line > 0 && (*loc.Region.StartLine != f.Line || (f.Column > 0 && *loc.Region.StartColumn != f.Column)) {
			t.Errorf("result %d: region %d:%v, want %d:%d", i, *loc.Region.StartLine, loc.Region.StartColumn, f.Line, f.Column)
		}
		u, err := url.Parse(*loc.ArtifactLocation.URI)
		if err != nil || strings.TrimPrefix(u.Path, "./") != f.File || (u.Scheme != "") != strings.HasPrefix(f.File, "/") {
			t.Errorf("result %d: uri %q does not name %q (relative paths must stay relative)", i, *loc.ArtifactLocation.URI, f.File)
		}
	}
}

// With no rules given, the driver declares every rule the validator can emit.
func TestSARIFDeclaresEveryValidatorRule(t *testing.T) {
	var buf bytes.Buffer
	w, err := New(FormatSARIF, &buf, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	log, err := sarif.FromBytes(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	declared := map[string]bool{}
	for _, r := range log.Runs[0].Tool.Driver.Rules {
		declared[*r.ID] = true
	}
	rules := validate.Rules()
	for _, r := range rules {
		if !declared[r.ID] {
			t.Errorf("rule %s is not declared", r.ID)
		}
	}
	if len(declared) != len(rules) {
		t.Errorf("%d rules declared, validate.Rules() has %d", len(declared), len(rules))
	}
	if err := log.Validate(); err != nil {
		t.Errorf("schema validation: %v", err)
	}
}

func TestArtifactURI(t *testing.T) {
	tests := []struct{ in, want string }{
		{"skill-package/skill.json", "skill-package/skill.json"},
		{"my skill/skill.json", "my%20skill/skill.json"},
		{"a:b/skill.json", "./a:b/skill.json"},
		{"100%/x.json", "100%25/x.json"},
		{"/abs/skill.json", "file:///abs/skill.json"},
		{"skills/ünïcode.json", "skills/%C3%BCn%C3%AFcode.json"},
	}
	for _, tt := range tests {
		if got := artifactURI(tt.in); got != tt.want {
			t.Errorf("artifactURI(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
