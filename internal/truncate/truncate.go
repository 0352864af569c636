// Package truncate shortens text to a number of characters (Unicode code
// points) without ever cutting one in two: byte slicing could leave half a
// UTF-8 sequence at the end of a comment, a table cell or an error message.
// GitHub counts a comment's length in characters too, so the counts agree
// with its limit.
package truncate

import "unicode/utf8"

// Runes returns the first n characters of s, or s when it is no longer.
func Runes(s string, n int) string {
	if n <= 0 {
		return ""
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

// Ellipsis returns s when it has at most n characters; otherwise its first
// n-1 characters followed by "…", so the result has exactly n characters and
// says that something was left out.
func Ellipsis(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return Runes(s, n-1) + "…"
}
