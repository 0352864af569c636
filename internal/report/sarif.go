package report

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/skillgate/skillgate/internal/validate"
)

const (
	toolName           = "skillgate"
	toolInformationURI = "https://github.com/skillgate/skillgate"
)

// sarifWriter buffers results into one SARIF 2.1.0 log with a single run, the
// shape github/codeql-action/upload-sarif accepts: every rule declared in
// tool.driver.rules, each result pointing at its rule by id and index, and
// a relative artifact URI so code scanning resolves it against the checkout.
type sarifWriter struct {
	w   io.Writer
	run *sarif.Run
	// ruleIndex maps rule ids to their position in tool.driver.rules.
	ruleIndex map[string]int
}

var _ Writer = (*sarifWriter)(nil)

func newSARIFWriter(w io.Writer, opts Options) *sarifWriter {
	run := sarif.NewRunWithInformationURI(toolName, toolInformationURI)
	// Finding columns count code points; SARIF's default would be UTF-16
	// code units, off by one after every character outside the BMP.
	run.WithColumnKind("unicodeCodePoints")
	if opts.ToolVersion != "" {
		run.Tool.Driver.WithVersion(opts.ToolVersion)
	}
	s := &sarifWriter{w: w, run: run, ruleIndex: map[string]int{}}
	rules := opts.Rules
	if rules == nil {
		rules = validate.Rules()
	}
	for _, r := range rules {
		s.addRule(r)
	}
	return s
}

// addRule declares r in tool.driver.rules, once per id.
func (s *sarifWriter) addRule(r validate.Rule) int {
	if i, ok := s.ruleIndex[r.ID]; ok {
		return i
	}
	d := s.run.AddRule(r.ID).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(r.Severity)))
	if r.Summary != "" {
		d.WithShortDescription(sarif.NewMultiformatMessageString().WithText(r.Summary))
	}
	if r.Help != "" {
		d.WithHelp(sarif.NewMultiformatMessageString().WithText(r.Help))
	}
	i := len(s.run.Tool.Driver.Rules) - 1
	s.ruleIndex[r.ID] = i
	return i
}

func (s *sarifWriter) Write(f validate.Finding) {
	// A rule missing from the list would leave a dangling ruleId, which code
	// scanning shows without any description; declare it from the finding.
	idx := s.addRule(validate.Rule{ID: f.Rule, Severity: f.Severity})
	phys := sarif.NewPhysicalLocation().WithArtifactLocation(sarif.NewSimpleArtifactLocation(artifactURI(f.File)))
	if f.Line > 0 {
		region := sarif.NewRegion().WithStartLine(f.Line)
		if f.Column > 0 {
			region.WithStartColumn(f.Column)
		}
		phys.WithRegion(region)
	}
	result := sarif.NewRuleResult(f.Rule).
		WithRuleIndex(idx).
		WithLevel(sarifLevel(f.Severity)).
		WithMessage(sarif.NewTextMessage(f.Message)).
		AddLocation(sarif.NewLocationWithPhysicalLocation(phys))
	if f.Pointer != "" {
		result.WithProperties(sarif.NewPropertyBag().Add("pointer", f.Pointer))
	}
	s.run.AddResult(result)
}

// sarifLog is the top-level SARIF 2.1.0 object, shaped and ordered as
// go-sarif's Report marshals it. skillgate writes its own instead of using
// sarif.Report because that type's Validate method links a second JSON
// Schema library (xeipuuv/gojsonschema) and the 112 KB SARIF schema into
// the binary: text/template looks methods up by name, so the linker keeps
// every exported method of every type that reaches an interface. The runs
// themselves are still go-sarif's types.
type sarifLog struct {
	Schema                   string                      `json:"$schema"`
	Version                  string                      `json:"version"`
	Runs                     []*sarif.Run                `json:"runs"`
	InlineExternalProperties []*sarif.ExternalProperties `json:"inlineExternalProperties,omitempty"`
	Properties               *sarif.PropertyBag          `json:"properties,omitempty"`
}

// sarifSchemaURI is the $schema go-sarif's NewReport writes for 2.1.0.
const sarifSchemaURI = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/main/sarif-2.1/schema/sarif-schema-2.1.0.json"

func (s *sarifWriter) Flush() error {
	if err := s.run.DedupeArtifacts(); err != nil {
		return fmt.Errorf("writing the SARIF report: %w", err)
	}
	log := sarifLog{Schema: sarifSchemaURI, Version: "2.1.0", Runs: []*sarif.Run{s.run}, Properties: sarif.NewPropertyBag()}
	b, err := json.MarshalIndent(log, "", "  ")
	if err != nil {
		return fmt.Errorf("writing the SARIF report: %w", err)
	}
	if _, err := s.w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("writing the SARIF report: %w", err)
	}
	return nil
}

func sarifLevel(s validate.Severity) string {
	switch s {
	case validate.Error:
		return sarif.LevelError
	case validate.Warning:
		return sarif.LevelWarning
	}
	return sarif.LevelNote
}

// artifactURI turns a finding's slash-separated path into a URI reference:
// relative paths stay relative (code scanning resolves them against the
// repository root), absolute ones become file URIs, and characters such as
// spaces are percent-encoded.
func artifactURI(file string) string {
	if strings.HasPrefix(file, "/") {
		return (&url.URL{Scheme: "file", Path: file}).String()
	}
	return (&url.URL{Path: file}).String()
}
