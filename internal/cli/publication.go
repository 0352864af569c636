package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/skillgate/skillgate/internal/deploy"
	"github.com/skillgate/skillgate/internal/smapi"
)

func runPublication(ctx context.Context, env *Env, args []string) int {
	return runSMAPISubs(ctx, env, "publication", args, []smapiSub{
		{"get", "show the latest publication request", runPublicationGet},
		{"submit", "publish a certified skill, now or at --publishes-at", runPublicationSubmit},
		{"unpublish", "hide or remove a live skill", runPublicationUnpublish},
	})
}

func runPublicationGet(ctx context.Context, env *Env, args []string) int {
	const name = "publication get"
	var o smapiOpts
	fs := newFlagSet(env, name, "--skill-id ID", "Show the latest publication request (GET /v1/skills/{id}/publications/~latest).")
	addSMAPIFlags(fs, &o, true)
	c, skillID, code, ok := smapiSetup(env, name, fs, &o, args, nil)
	if !ok {
		return code
	}
	p, err := c.GetLatestPublication(ctx, skillID)
	if err != nil {
		return smapiExit(env, name, err)
	}
	if o.json {
		return jsonDone(env, name, rawJSON(p.Raw))
	}
	line := "publication: " + p.Status
	if !p.PublishesAt.IsZero() {
		line += ", publishes at " + p.PublishesAt.UTC().Format(time.RFC3339)
	}
	fmt.Fprintln(env.Stdout, line)
	return ExitOK
}

func runPublicationSubmit(ctx context.Context, env *Env, args []string) int {
	const name = "publication submit"
	var o smapiOpts
	fs := newFlagSet(env, name, "--skill-id ID [--publishes-at RFC3339]",
		"Publish a certified skill (POST /v1/skills/{id}/publications), now or at\n--publishes-at (up to six months ahead).")
	addSMAPIFlags(fs, &o, true)
	at := fs.String("publishes-at", "", "publication time, RFC 3339 (e.g. 2030-01-02T15:04:05Z); default now")
	var when time.Time
	c, skillID, code, ok := smapiSetup(env, name, fs, &o, args, func() bool {
		if *at == "" {
			return true
		}
		t, err := deploy.ParsePublishesAt(*at, deploy.SubmitPublication)
		if err != nil {
			fmt.Fprintf(env.Stderr, "skillgate %s: --%v\n", name, err)
			return false
		}
		when = t
		return true
	})
	if !ok {
		return code
	}
	acc, err := c.SubmitPublication(ctx, skillID, when)
	if err != nil {
		return smapiExit(env, name, err)
	}
	return acceptedOut(env, &o, name, skillID, acc, "submitted for publication")
}

func runPublicationUnpublish(ctx context.Context, env *Env, args []string) int {
	const name = "publication unpublish"
	var o smapiOpts
	fs := newFlagSet(env, name, "--skill-id ID --type HIDE|REMOVE --reason REASON",
		"Unpublish a live skill (POST /v1/skills/{id}/unpublish). HIDE keeps it for users\nwho enabled it; REMOVE disables it for everyone. REASON is one of:\n  "+strings.Join(smapi.UnpublishReasons, "\n  "))
	addSMAPIFlags(fs, &o, true)
	typ := newEnum("", smapi.UnpublishHide, smapi.UnpublishRemove)
	fs.Var(typ, "type", "HIDE or REMOVE (required)")
	reason := newEnum("", smapi.UnpublishReasons...)
	fs.Var(reason, "reason", "why (required), one of the reasons above")
	c, skillID, code, ok := smapiSetup(env, name, fs, &o, args, func() bool {
		if typ.value == "" || reason.value == "" {
			fmt.Fprintf(env.Stderr, "skillgate %s: --type and --reason are required\n", name)
			return false
		}
		return true
	})
	if !ok {
		return code
	}
	acc, err := c.Unpublish(ctx, skillID, typ.value, reason.value)
	if err != nil {
		return smapiExit(env, name, err)
	}
	return acceptedOut(env, &o, name, skillID, acc, "unpublish requested")
}
