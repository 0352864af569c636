package cli

import (
	"context"
	"strings"
	"testing"
)

// TestDeployExpectSHA256 refuses an --expect-sha256 that is not a sha256 as
// a usage error, before any request (issue: "--expect-sha256 zz", or the
// 12-character short form the messages print, was compared with the live
// hash and reported as drift, exit 1).
func TestDeployExpectSHA256(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"zz", "19a6928bfaca", strings.Repeat("g", 64)} {
		var out, errb strings.Builder
		code := Run(context.Background(), []string{"deploy", "--skill-id", "amzn1.ask.skill.x", "--expect-sha256", v}, &Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
		if code != ExitUsage || !strings.Contains(errb.String(), "--expect-sha256") || !strings.Contains(errb.String(), "64 hexadecimal") {
			t.Errorf("--expect-sha256 %s: exit %d, stderr %q; want %d naming the flag", v, code, errb.String(), ExitUsage)
		}
	}
	c, code, ok := parseDeploy(&Env{Stderr: &strings.Builder{}}, []string{"--expect-sha256", strings.Repeat("AB", 32)})
	if !ok || code != ExitOK || c.opts.ExpectSHA256 != strings.Repeat("ab", 32) {
		t.Errorf("upper-case hex: ok %v, code %d, ExpectSHA256 %q; want it accepted in lower case", ok, code, c.opts.ExpectSHA256)
	}
}
