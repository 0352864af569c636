package validate

import "sort"

// Rule describes one rule id the validator can emit. The list feeds SARIF's
// tool.driver.rules and the README's rule table, so every id emitted anywhere
// in this package must be registered here.
type Rule struct {
	ID       string   // stable dotted id, e.g. "distribution.country-code"
	Severity Severity // default severity
	Summary  string   // one line, for README and SARIF shortDescription
	Help     string   // what to do about it, for SARIF help
}

// ruleList is filled as rules are written; keep it sorted by ID.
var ruleList = []Rule{}

// Rules returns every rule the validator can emit, sorted by ID.
func Rules() []Rule {
	out := append([]Rule(nil), ruleList...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
