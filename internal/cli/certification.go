package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/skillgate/skillgate/internal/smapi"
)

func runCertification(ctx context.Context, env *Env, args []string) int {
	return runSMAPISubs(ctx, env, "certification", args, []smapiSub{
		{"submit", "submit the development stage for certification", runCertificationSubmit},
		{"withdraw", "withdraw the skill from certification", runCertificationWithdraw},
	})
}

func runCertificationSubmit(ctx context.Context, env *Env, args []string) int {
	const name = "certification submit"
	var o smapiOpts
	fs := newFlagSet(env, name, "--skill-id ID [--publication-method MANUAL_PUBLISHING|AUTO_PUBLISHING] [--version-message M]",
		"Submit the skill for certification (POST /v1/skills/{id}/submit). With\nAUTO_PUBLISHING (SMAPI's default) it goes live once certified.")
	addSMAPIFlags(fs, &o, true)
	method := newEnum("", smapi.ManualPublishing, smapi.AutoPublishing)
	fs.Var(method, "publication-method", "MANUAL_PUBLISHING or AUTO_PUBLISHING (default: SMAPI's, auto)")
	msg := fs.String("version-message", "", "description of this version (at most 300 characters)")
	c, skillID, code, ok := smapiSetup(env, name, fs, &o, args, func() bool {
		if n := len([]rune(*msg)); n > 300 {
			fmt.Fprintf(env.Stderr, "skillgate %s: --version-message has %d characters, at most 300\n", name, n)
			return false
		}
		return true
	})
	if !ok {
		return code
	}
	acc, err := c.SubmitCertification(ctx, skillID, smapi.CertificationOptions{PublicationMethod: method.value, VersionMessage: *msg})
	if err != nil {
		return smapiExit(env, name, err)
	}
	return acceptedOut(env, &o, name, skillID, acc, "submitted for certification")
}

func runCertificationWithdraw(ctx context.Context, env *Env, args []string) int {
	const name = "certification withdraw"
	var o smapiOpts
	fs := newFlagSet(env, name, "--skill-id ID --reason REASON [--message M]",
		"Withdraw the skill from certification (POST /v1/skills/{id}/withdraw). REASON is\none of "+strings.Join(smapi.WithdrawReasons, ", ")+";\n--message is expected with OTHER.")
	addSMAPIFlags(fs, &o, true)
	reason := newEnum("", smapi.WithdrawReasons...)
	fs.Var(reason, "reason", "why (required)")
	msg := fs.String("message", "", "explanation, for --reason OTHER")
	c, skillID, code, ok := smapiSetup(env, name, fs, &o, args, func() bool {
		if reason.value == "" {
			fmt.Fprintf(env.Stderr, "skillgate %s: --reason is required (%s)\n", name, strings.Join(smapi.WithdrawReasons, ", "))
			return false
		}
		return true
	})
	if !ok {
		return code
	}
	if err := c.WithdrawCertification(ctx, skillID, reason.value, *msg); err != nil {
		return smapiExit(env, name, err)
	}
	return acceptedOut(env, &o, name, skillID, &smapi.Accepted{}, "withdrawn from certification")
}
