package validate

import (
	"os"
	"strings"
	"testing"
)

// TestREADMEListsEveryRule keeps the README's rule table (between the
// rules:begin and rules:end markers) and the registry in step: every rule
// the validator can emit is documented, with its severity, and the table
// names no rule that does not exist.
func TestREADMEListsEveryRule(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(raw), "<!-- rules:begin -->")
	table, _, ok2 := strings.Cut(table, "<!-- rules:end -->")
	if !ok || !ok2 {
		t.Fatal("README.md has no <!-- rules:begin --> ... <!-- rules:end --> table")
	}
	documented := map[string]string{} // id -> severity
	for _, line := range strings.Split(table, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 4 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			continue
		}
		id := strings.Trim(strings.TrimSpace(cells[1]), "`")
		documented[id] = strings.TrimSpace(cells[2])
	}
	for _, r := range Rules() {
		sev, ok := documented[r.ID]
		switch {
		case !ok:
			t.Errorf("rule %s is not in the README's rule table", r.ID)
		case sev != r.Severity.String():
			t.Errorf("README gives rule %s severity %q, the registry %q", r.ID, sev, r.Severity)
		}
		delete(documented, r.ID)
	}
	for id := range documented {
		t.Errorf("README lists rule %s, which the validator does not have", id)
	}
}
