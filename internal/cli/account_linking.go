package cli

import (
	"context"
	"fmt"
)

func runAccountLinking(ctx context.Context, env *Env, args []string) int {
	return runSMAPISubs(ctx, env, "account-linking", args, []smapiSub{
		{"get", "print a stage's account linking (ETag on stderr)", runAccountLinkingGet},
		{"put", "set a stage's account linking from FILE or stdin", runAccountLinkingPut},
		{"delete", "remove a stage's account linking", runAccountLinkingDelete},
	})
}

func runAccountLinkingGet(ctx context.Context, env *Env, args []string) int {
	const name = "account-linking get"
	t, code, ok := stageSetup(env, name, "--skill-id ID [--stage S]",
		"Print a stage's account linking on stdout and its ETag on stderr\n(GET /v1/skills/{id}/stages/{stage}/accountLinkingClient).", false, args)
	if !ok {
		return code
	}
	a, err := t.c.GetAccountLinking(ctx, t.skillID, t.stage)
	if err != nil {
		return smapiExit(env, name, err)
	}
	return documentOut(env, &t.o, name, document{SkillID: t.skillID, Stage: t.stage, ETag: a.ETag, Body: rawJSON(a.Body)})
}

func runAccountLinkingPut(ctx context.Context, env *Env, args []string) int {
	const name = "account-linking put"
	var o smapiOpts
	fs := newFlagSet(env, name, "--skill-id ID [--stage S] [--if-match ETAG] [FILE]",
		"Set a stage's account linking from FILE (or stdin)\n(PUT /v1/skills/{id}/stages/{stage}/accountLinkingClient). FILE holds\n{\"accountLinkingRequest\": {…}} or the object \"account-linking get\" prints.")
	addSMAPIFlags(fs, &o, true)
	stage := stageFlag(fs)
	ifMatch := fs.String("if-match", "", "ETag the change is based on; SMAPI refuses (412) when it changed since (default: the ETag of a read just before the write)")
	c, skillID, body, code, ok := smapiPutSetup(ctx, env, name, fs, &o, args, "account linking", nil)
	if !ok {
		return code
	}
	pre, err := writePrecondition(ctx, *ifMatch, func(ctx context.Context) (string, error) {
		a, err := c.GetAccountLinking(ctx, skillID, stage.value)
		if err != nil {
			return "", err
		}
		return a.ETag, nil
	})
	if err != nil {
		return smapiExit(env, name, err)
	}
	acc, err := c.PutAccountLinking(ctx, skillID, stage.value, body, pre)
	if err != nil {
		return smapiExit(env, name, err)
	}
	return acceptedOut(env, &o, name, skillID, acc, "account linking updated")
}

func runAccountLinkingDelete(ctx context.Context, env *Env, args []string) int {
	const name = "account-linking delete"
	t, code, ok := stageSetup(env, name, "--skill-id ID [--stage S]",
		"Remove a stage's account linking (DELETE /v1/skills/{id}/stages/{stage}/accountLinkingClient).", false, args)
	if !ok {
		return code
	}
	if err := t.c.DeleteAccountLinking(ctx, t.skillID, t.stage); err != nil {
		return smapiExit(env, name, err)
	}
	if t.o.json {
		return jsonDone(env, name, map[string]string{"skillId": t.skillID, "stage": t.stage, "result": "deleted"})
	}
	fmt.Fprintf(env.Stdout, "%s: account linking deleted from %s\n", t.skillID, t.stage)
	return ExitOK
}
