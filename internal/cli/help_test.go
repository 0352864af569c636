package cli

import (
	"context"
	"strings"
	"testing"
)

// TestHelpOnEveryCommand runs -h on every command and subcommand: each
// prints its usage (on stdout or stderr), exits 0 and sends no request
// (there is no server in this test to send one to).
func TestHelpOnEveryCommand(t *testing.T) {
	t.Parallel()
	var args [][]string
	for _, c := range commands() {
		args = append(args, []string{c.name, "-h"})
	}
	for _, sub := range [][]string{
		{"skills", "list"}, {"skills", "get"}, {"skills", "create"}, {"skills", "delete"},
		{"publication", "get"}, {"publication", "submit"}, {"publication", "unpublish"},
		{"certification", "submit"}, {"certification", "withdraw"},
		{"interaction-model", "get"}, {"interaction-model", "head"}, {"interaction-model", "put"},
		{"account-linking", "get"}, {"account-linking", "put"}, {"account-linking", "delete"},
	} {
		args = append(args, append(sub, "-h"))
	}
	args = append(args, []string{"help"}, []string{"help", "deploy"}, []string{"-h"}, []string{"--help"})
	for _, a := range args {
		t.Run(strings.Join(a, " "), func(t *testing.T) {
			t.Parallel()
			var out, errb strings.Builder
			code := Run(context.Background(), a, &Env{Stdout: &out, Stderr: &errb})
			if code != ExitOK {
				t.Fatalf("exit %d, want 0; stderr:\n%s", code, errb.String())
			}
			text := out.String() + errb.String()
			if !strings.Contains(text, "Usage: skillgate") && !strings.Contains(text, "Usage:\n  skillgate") {
				t.Errorf("no usage text:\n%s", text)
			}
		})
	}
}

func TestUnknownCommand(t *testing.T) {
	t.Parallel()
	for _, a := range [][]string{{"deploy-now"}, {"help", "nope"}, {"validate", "--no-such-flag"}} {
		var out, errb strings.Builder
		if code := Run(context.Background(), a, &Env{Stdout: &out, Stderr: &errb}); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", a, code, ExitUsage)
		}
		if errb.Len() == 0 {
			t.Errorf("%v: nothing on stderr", a)
		}
	}
}
