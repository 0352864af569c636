package cli

import (
	"context"
	"flag"
	"fmt"
)

func runInteractionModel(ctx context.Context, env *Env, args []string) int {
	return runSMAPISubs(ctx, env, "interaction-model", args, []smapiSub{
		{"get", "print a locale's interaction model (ETag on stderr)", runInteractionModelGet},
		{"head", "print a locale's interaction model ETag", runInteractionModelHead},
		{"put", "replace a locale's interaction model from FILE or stdin", runInteractionModelPut},
	})
}

// modelFlags registers --locale and --stage.
func modelFlags(env *Env, name, synopsis, description string, o *smapiOpts) (fsStage *enumFlag, locale *string, fs *flag.FlagSet) {
	f := newFlagSet(env, name, synopsis, description)
	addSMAPIFlags(f, o, true)
	locale = f.String("locale", "", "locale, e.g. en-US (required)")
	return stageFlag(f), locale, f
}

func needLocale(env *Env, name string, locale *string) func() bool {
	return func() bool {
		if *locale == "" {
			fmt.Fprintf(env.Stderr, "skillgate %s: --locale is required (e.g. --locale en-US)\n", name)
			return false
		}
		return true
	}
}

func runInteractionModelGet(ctx context.Context, env *Env, args []string) int {
	const name = "interaction-model get"
	t, code, ok := stageSetup(env, name, "--skill-id ID --locale L [--stage S]",
		"Print a locale's interaction model on stdout and its ETag on stderr\n(GET /v1/skills/{id}/stages/{stage}/interactionModel/locales/{locale}).", true, args)
	if !ok {
		return code
	}
	m, err := t.c.GetInteractionModel(ctx, t.skillID, t.stage, t.locale)
	if err != nil {
		return smapiExit(env, name, err)
	}
	return documentOut(env, &t.o, name, document{SkillID: t.skillID, Stage: t.stage, Locale: t.locale, ETag: m.ETag, Body: rawJSON(m.Body)})
}

func runInteractionModelHead(ctx context.Context, env *Env, args []string) int {
	const name = "interaction-model head"
	t, code, ok := stageSetup(env, name, "--skill-id ID --locale L [--stage S]",
		"Print a locale's interaction model ETag (HEAD …/interactionModel/locales/{locale}).\nExit 1 when the model does not exist.", true, args)
	if !ok {
		return code
	}
	etag, err := t.c.HeadInteractionModel(ctx, t.skillID, t.stage, t.locale)
	if err != nil {
		return smapiExit(env, name, err)
	}
	if t.o.json {
		return jsonDone(env, name, map[string]string{"skillId": t.skillID, "stage": t.stage, "locale": t.locale, "etag": etag})
	}
	fmt.Fprintln(env.Stdout, etag)
	return ExitOK
}

func runInteractionModelPut(ctx context.Context, env *Env, args []string) int {
	const name = "interaction-model put"
	var o smapiOpts
	stage, locale, fs := modelFlags(env, name, "--skill-id ID --locale L [--stage S] [--if-match ETAG] [FILE]",
		"Replace a locale's interaction model with FILE (or stdin) and start its build\n(PUT …/interactionModel/locales/{locale}). Follow the build with\nskillgate status --resource interactionModel --wait.", &o)
	ifMatch := fs.String("if-match", "", "ETag the change is based on; SMAPI refuses (412) when the model changed since (default: the ETag of a read just before the write)")
	c, skillID, body, code, ok := smapiPutSetup(ctx, env, name, fs, &o, args, "interaction model", needLocale(env, name, locale))
	if !ok {
		return code
	}
	// The read is a GET, not a HEAD: for a locale with no model yet SMAPI
	// answers 404, and Amazon's model declares that answer with an error
	// body a HEAD cannot carry (Prism flags it in the conformance run).
	pre, err := writePrecondition(ctx, *ifMatch, func(ctx context.Context) (string, error) {
		m, err := c.GetInteractionModel(ctx, skillID, stage.value, *locale)
		if err != nil {
			return "", err
		}
		return m.ETag, nil
	})
	if err != nil {
		return smapiExit(env, name, err)
	}
	acc, err := c.PutInteractionModel(ctx, skillID, stage.value, *locale, body, pre)
	if err != nil {
		return smapiExit(env, name, err)
	}
	return acceptedOut(env, &o, name, skillID, acc, "interaction model "+*locale+" accepted, build started")
}
