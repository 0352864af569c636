package validate

import (
	"slices"
	"strings"
)

// countryAliases are codes people write for a country that ISO 3166-1 spells
// differently. Keys are upper case.
var countryAliases = map[string]string{
	"UK":  "GB",
	"ENG": "GB",
	"GBR": "GB",
	"USA": "US",
	"UAE": "AE",
	"DEU": "DE",
	"FRA": "FR",
	"ESP": "ES",
	"ITA": "IT",
	"JPN": "JP",
	"CAN": "CA",
	"AUS": "AU",
	"IND": "IN",
	"BRA": "BR",
	"MEX": "MX",
	"GER": "DE",
}

// suggest returns the allowed value v most likely stands for, or "" when
// none is close enough to be worth saying. It tries, in order: an alias
// (UK -> GB), the same value up to case and - versus _ (en_us -> en-US),
// then the nearest value by edit distance when it is near and unambiguous.
func suggest(v string, allowed []string, aliases map[string]string) string {
	if v == "" || slices.Contains(allowed, v) {
		return ""
	}
	norm := func(s string) string { return strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), "_", "-")) }
	if a, ok := aliases[norm(v)]; ok && slices.Contains(allowed, a) {
		return a
	}
	for _, a := range allowed {
		if norm(a) == norm(v) {
			return a
		}
	}
	best, bestD, ties := "", 1<<30, 0
	for _, a := range allowed {
		d := editDistance(norm(v), norm(a))
		switch {
		case d < bestD:
			best, bestD, ties = a, d, 0
		case d == bestD:
			ties++
		}
	}
	// Short codes are one edit away from many others ("UK" from "UA", "UG",
	// "US"): only suggest when the distance is small relative to the length
	// and only one value is that close.
	limit := max(1, len([]rune(v))/4)
	if len([]rune(v)) <= 3 {
		limit = 0
	}
	if bestD <= limit && ties == 0 {
		return best
	}
	return ""
}

// suggestLocale knows one more slip than suggest: the United Kingdom is GB
// in locales too (en-UK -> en-GB).
func suggestLocale(v string) string {
	data, err := loadedData()
	if err != nil {
		return ""
	}
	lang, region, ok := strings.Cut(strings.ReplaceAll(v, "_", "-"), "-")
	if ok {
		if r, alias := countryAliases[strings.ToUpper(region)]; alias {
			for _, l := range data.locales {
				if strings.EqualFold(l, lang+"-"+r) {
					return l
				}
			}
		}
	}
	if s := suggest(v, data.locales, nil); s != "" {
		return s
	}
	// Same language, unsupported region (ar-EG): name the supported ones.
	var same []string
	for _, l := range data.locales {
		if strings.EqualFold(strings.SplitN(l, "-", 2)[0], lang) {
			same = append(same, l)
		}
	}
	if len(same) == 1 {
		return same[0]
	}
	return ""
}

func isLocale(v string) bool {
	data, err := loadedData()
	return err == nil && slices.Contains(data.locales, v)
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
