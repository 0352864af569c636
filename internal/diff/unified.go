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
	ops := lineOps(a, b)
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
		aLine -= i - start // back to the equal lines before the change
		bLine -= i - start
		end := hunkEnd(ops, i, context)
		na, nb := writeHunk(&out, ops[start:end], aLine, bLine)
		aLine += na
		bLine += nb
		i = end
	}
	return out.String(), nil
}

// lineOps is the line diff from a to b, one op per line.
func lineOps(a, b string) []lineOp {
	dmp := diffmatchpatch.New()
	ca, cb, lines := dmp.DiffLinesToChars(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(ca, cb, false), lines)
	var ops []lineOp
	for _, d := range diffs {
		for _, l := range splitLines(d.Text) {
			ops = append(ops, lineOp{d.Type, l})
		}
	}
	return ops
}

// hunkEnd is the exclusive end of the hunk whose first change is ops[i]: it
// takes in every change closer than 2*context equal lines to the previous
// one, then context equal lines.
func hunkEnd(ops []lineOp, i, context int) int {
	end := i
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
			return min(end+context, run)
		}
		end = run
	}
	return end
}

// writeHunk writes one hunk starting at line aLine of a and bLine of b,
// and returns how many lines of a and of b it spans.
func writeHunk(out *strings.Builder, ops []lineOp, aLine, bLine int) (na, nb int) {
	for _, o := range ops {
		if o.op != diffmatchpatch.DiffInsert {
			na++
		}
		if o.op != diffmatchpatch.DiffDelete {
			nb++
		}
	}
	fmt.Fprintf(out, "@@ -%s +%s @@\n", hunkRange(aLine, na), hunkRange(bLine, nb))
	for _, o := range ops {
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
	return na, nb
}

// unifiedDiff is the unified diff from live to local under the names and
// context of o ("live" and "local" by default). newFile says the live side
// does not exist: its header is /dev/null, as diff -N writes it.
func (o Options) unifiedDiff(live, local []byte, newFile bool) (string, error) {
	from, to := o.FromFile, o.ToFile
	if from == "" {
		from = "live"
	}
	if to == "" {
		to = "local"
	}
	if newFile {
		from = "/dev/null"
	}
	ctx := o.Context
	switch {
	case ctx == 0:
		ctx = DefaultContext
	case ctx < 0:
		ctx = 0
	}
	return unified(string(live), string(local), from, to, ctx)
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
