package diff

import (
	"fmt"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// maxDiffLines bounds the lines go-diff's line mode can index: it maps each
// distinct line to one rune and panics past about 1.1 million. A manifest is
// nowhere near that; the bound turns a pathological input into an error.
const maxDiffLines = 1_000_000

type lineOp struct {
	op   diffmatchpatch.Operation
	text string // one line, with its trailing newline
}

// unified returns a unified diff (as diff -u and git print it) from a to b,
// or "" when they are equal. Both texts end with a newline, as canonical
// forms do.
func unified(a, b, fromFile, toFile string, context int) (string, error) {
	if a == b {
		return "", nil
	}
	if n := strings.Count(a, "\n") + strings.Count(b, "\n"); n > maxDiffLines {
		return "", fmt.Errorf("the manifests have %d lines between them, more than the %d a diff can show; check that the file is a skill manifest", n, maxDiffLines)
	}
	dmp := diffmatchpatch.New()
	ca, cb, lines := dmp.DiffLinesToChars(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(ca, cb, false), lines)

	var ops []lineOp
	for _, d := range diffs {
		for _, l := range splitLines(d.Text) {
			ops = append(ops, lineOp{d.Type, l})
		}
	}

	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", fromFile, toFile)
	// Walk the ops, cutting them into hunks: a hunk spans from context lines
	// before its first change to context lines after its last, and two
	// changes closer than 2*context lines share one hunk.
	aLine, bLine := 1, 1 // line numbers of ops[i] in a and b
	for i := 0; i < len(ops); {
		if ops[i].op == diffmatchpatch.DiffEqual {
			i++
			aLine++
			bLine++
			continue
		}
		start := max(i-context, 0)
		for j := i - 1; j >= start; j-- { // equal lines before the change
			aLine--
			bLine--
		}
		end := i // exclusive end of the hunk
		for end < len(ops) {
			if ops[end].op != diffmatchpatch.DiffEqual {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].op == diffmatchpatch.DiffEqual {
				run++
			}
			if run == len(ops) || run-end > 2*context {
				end = min(end+context, run)
				break
			}
			end = run
		}
		var na, nb int
		for _, o := range ops[start:end] {
			if o.op != diffmatchpatch.DiffInsert {
				na++
			}
			if o.op != diffmatchpatch.DiffDelete {
				nb++
			}
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(aLine, na), hunkRange(bLine, nb))
		for _, o := range ops[start:end] {
			switch o.op {
			case diffmatchpatch.DiffEqual:
				out.WriteByte(' ')
			case diffmatchpatch.DiffDelete:
				out.WriteByte('-')
			case diffmatchpatch.DiffInsert:
				out.WriteByte('+')
			}
			out.WriteString(o.text)
			if !strings.HasSuffix(o.text, "\n") {
				out.WriteString("\n\\ No newline at end of file\n")
			}
		}
		aLine += na
		bLine += nb
		i = end
	}
	return out.String(), nil
}

// hunkRange formats one side of a hunk header the way GNU diff does: an
// empty range names the line before it, and a count of one is left out.
func hunkRange(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start-1)
	case 1:
		return fmt.Sprintf("%d", start)
	}
	return fmt.Sprintf("%d,%d", start, n)
}

// splitLines splits s after each newline, keeping the newlines.
func splitLines(s string) []string {
	var out []string
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}
