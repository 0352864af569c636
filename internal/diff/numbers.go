// Package diff compares documents: a skill manifest or interaction model
// kept in a repository with the one SMAPI serves. It renders the result for
// a terminal and for machines (JSON); internal/plan reads the live side and
// renders the pull-request comment.
//
// Both sides are first brought to the canonical form of internal/jsoncanon
// (sorted keys, two-space indent, numbers as written) so that what the
// service rewrites on its own (key order, number spelling, hosted icon URLs,
// endpoints the infrastructure owns) never shows up as a change. The same
// canonical form feeds the sha256 in the plan marker, which the deploy
// recomputes to detect drift.
package diff

import (
	"encoding/json"
	"strconv"
	"strings"
)

// numbersEqual reports whether two JSON numbers denote the same value,
// whatever their spelling ("1", "1.0", "10e-1"). It works on the decimal
// digits rather than through big.Rat so a hostile exponent such as 1e999999999
// cannot make it allocate or spin.
func numbersEqual(a, b json.Number) bool {
	if a == b {
		return true
	}
	na, oka := normalizeNumber(string(a))
	nb, okb := normalizeNumber(string(b))
	return oka && okb && na == nb
}

type normNumber struct {
	neg    bool
	digits string // significant digits, no leading or trailing zeros; "" for zero
	exp    int64  // value = digits × 10^exp
}

func normalizeNumber(s string) (normNumber, bool) {
	var n normNumber
	if strings.HasPrefix(s, "-") {
		n.neg = true
		s = s[1:]
	}
	mant, expPart, hasExp := strings.Cut(strings.ToLower(s), "e")
	if hasExp {
		e, err := strconv.ParseInt(strings.TrimPrefix(expPart, "+"), 10, 32)
		if err != nil {
			return n, false
		}
		n.exp = e
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	if intPart == "" && frac == "" {
		return n, false
	}
	digits := intPart + frac
	for _, r := range digits {
		if r < '0' || r > '9' {
			return n, false
		}
	}
	n.exp -= int64(len(frac))
	digits = strings.TrimLeft(digits, "0")
	trimmed := strings.TrimRight(digits, "0")
	n.exp += int64(len(digits) - len(trimmed))
	n.digits = trimmed
	if n.digits == "" {
		return normNumber{}, true // -0 and 0.000 are zero
	}
	return n, true
}
