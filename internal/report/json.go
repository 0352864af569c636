package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/skillgate/skillgate/internal/validate"
)

// jsonReport is the machine-readable contract of the README ("validate
// output"). It has its own
// types, not validate.Finding's tags, so a field added to Finding cannot
// change the contract by accident.
type jsonReport struct {
	Errors   int           `json:"errors"`
	Warnings int           `json:"warnings"`
	Findings []jsonFinding `json:"findings"` // never nil: readers get [] for none
}

type jsonFinding struct {
	File     string `json:"file"`
	Pointer  string `json:"pointer"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Severity string `json:"severity"`
	Rule     string `json:"rule"`
	Message  string `json:"message"`
}

// jsonWriter buffers the findings and prints one object on Flush.
type jsonWriter struct {
	w      io.Writer
	counts counter
	report jsonReport
}

var _ Writer = (*jsonWriter)(nil)

func newJSONWriter(w io.Writer) *jsonWriter {
	return &jsonWriter{w: w, report: jsonReport{Findings: []jsonFinding{}}}
}

func (j *jsonWriter) Write(f validate.Finding) {
	j.counts.add(f)
	j.report.Findings = append(j.report.Findings, jsonFinding{
		File:     f.File,
		Pointer:  f.Pointer,
		Line:     f.Line,
		Column:   f.Column,
		Severity: f.Severity.String(),
		Rule:     f.Rule,
		Message:  f.Message,
	})
}

func (j *jsonWriter) Flush() error {
	j.report.Errors, j.report.Warnings = j.counts.errors, j.counts.warnings
	enc := json.NewEncoder(j.w)
	// Messages quote user text such as "<b>" and "R&D"; keep them readable.
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(j.report); err != nil {
		return fmt.Errorf("writing the JSON report: %w", err)
	}
	return nil
}
