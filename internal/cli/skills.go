package cli

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/skillgate/skillgate/internal/smapi"
)

func runSkills(ctx context.Context, env *Env, args []string) int {
	return runSMAPISubs(ctx, env, "skills", args, []smapiSub{
		{"list", "list the vendor's skills", runSkillsList},
		{"get", "print a stage's manifest and its ETag", runSkillsGet},
		{"create", "create a skill from a skill package and print its id", runSkillsCreate},
		{"delete", "delete a skill", runSkillsDelete},
	})
}

func runSkillsList(ctx context.Context, env *Env, args []string) int {
	const name = "skills list"
	var o smapiOpts
	fs := newFlagSet(env, name, "[--vendor-id V] [--skill-id ID]... [--max-results N] [--next-token T]",
		"List the vendor's skills, one page at a time (GET /v1/skills). --skill-id (up to 10)\nselects skills and excludes paging.")
	addSMAPIFlags(fs, &o, false)
	vendor := fs.String("vendor-id", "", "vendor id (default $ASK_VENDOR_ID)")
	var ids stringsFlag
	fs.Var(&ids, "skill-id", "list only this skill (repeatable, at most 10)")
	maxResults := fs.Int("max-results", 0, "skills per page, at most 50")
	next := fs.String("next-token", "", "continue after a truncated page")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if code, ok := noArgs(env, name, fs); !ok {
		return code
	}
	opts := smapi.ListOptions{MaxResults: *maxResults, NextToken: *next, SkillIDs: ids}
	switch {
	case *maxResults < 0 || *maxResults > smapi.MaxListResults:
		fmt.Fprintf(env.Stderr, "skillgate %s: --max-results must be between 1 and %d\n", name, smapi.MaxListResults)
		return ExitUsage
	case len(ids) > smapi.MaxListSkillIDs:
		fmt.Fprintf(env.Stderr, "skillgate %s: at most %d --skill-id\n", name, smapi.MaxListSkillIDs)
		return ExitUsage
	case len(ids) > 0 && (*maxResults != 0 || *next != ""):
		fmt.Fprintf(env.Stderr, "skillgate %s: --skill-id cannot be combined with --max-results or --next-token\n", name)
		return ExitUsage
	}
	c, v, code, ok := smapiVendorClient(env, name, &o, *vendor)
	if !ok {
		return code
	}
	list, err := c.ListSkills(ctx, v, opts)
	if err != nil {
		return smapiExit(env, name, err)
	}
	if o.json {
		if err := printJSON(env.Stdout, list.Raw); err != nil {
			return smapiExit(env, name, err)
		}
		return ExitOK
	}
	if len(list.Skills) == 0 {
		fmt.Fprintln(env.Stdout, "no skills")
	} else {
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SKILL ID\tSTAGE\tSTATUS\tNAME\tLAST UPDATED")
		for _, s := range list.Skills {
			updated := "-"
			if !s.LastUpdated.IsZero() {
				updated = s.LastUpdated.UTC().Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.SkillID, s.Stage, s.PublicationStatus, skillName(s.NameByLocale), updated)
		}
		tw.Flush()
	}
	if list.IsTruncated && list.NextToken != "" {
		fmt.Fprintf(env.Stdout, "\nmore skills: skillgate skills list --next-token %s\n", list.NextToken)
	}
	return ExitOK
}

// skillName picks en-US, else the first locale's name.
func skillName(byLocale map[string]string) string {
	if n, ok := byLocale["en-US"]; ok {
		return n
	}
	locales := make([]string, 0, len(byLocale))
	for l := range byLocale {
		locales = append(locales, l)
	}
	sort.Strings(locales)
	if len(locales) == 0 {
		return "-"
	}
	return byLocale[locales[0]]
}

func runSkillsGet(ctx context.Context, env *Env, args []string) int {
	const name = "skills get"
	t, code, ok := stageSetup(env, name, "--skill-id ID [--stage development|live]",
		"Print a stage's manifest on stdout and its ETag on stderr\n(GET /v1/skills/{id}/stages/{stage}/manifest), so that\n\"skillgate skills get --skill-id ID > skill.json\" keeps a clean file.\nWith --json, print {\"skillId\", \"stage\", \"etag\", \"body\"} on stdout.", false, args)
	if !ok {
		return code
	}
	m, err := t.c.GetManifest(ctx, t.skillID, t.stage)
	if err != nil {
		return smapiExit(env, name, err)
	}
	return documentOut(env, &t.o, name, document{SkillID: t.skillID, Stage: t.stage, ETag: m.ETag, Body: rawJSON(m.Body)})
}

func runSkillsCreate(ctx context.Context, env *Env, args []string) int {
	const name = "skills create"
	var o smapiOpts
	fs := newFlagSet(env, name, "[PATH] [--vendor-id V] [--wait] [--timeout 15m]",
		"Create a skill from PATH's skill.json (POST /v1/skills) and print the new skill id.\nPATH is a skill package folder or a skill.json file; default: the ask-cli\nproject's package, else skill-package. --wait waits for the manifest build.\nA package folder holding files only an import carries (icons and other assets,\nfile:// URIs) is created whole instead, as ask deploy does: uploaded and\nimported (POST /v1/skills/imports), always waiting for the import.")
	addSMAPIFlags(fs, &o, false)
	fs.StringVar(&o.profile, "profile", "", "ask-cli profile for ask-resources.json (default: $ASK_DEFAULT_PROFILE or default)")
	vendor := fs.String("vendor-id", "", "vendor id (default $ASK_VENDOR_ID)")
	wait := fs.Bool("wait", false, "wait until the new skill's manifest build finishes")
	timeout := fs.Duration("timeout", 15*time.Minute, "longest wait with --wait")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	manifest, file, code, ok := skillManifestFile(env, name, fs.Args(), o.profile)
	if !ok {
		return code
	}
	c, v, code, ok := smapiVendorClient(env, name, &o, *vendor)
	if !ok {
		return code
	}
	if code, done := createFromPackage(ctx, env, c, v, fs.Args(), file, o.json, *timeout); done {
		return code
	}
	id, acc, err := c.CreateSkill(ctx, v, manifest)
	if err != nil {
		return smapiExit(env, name, err)
	}
	result := struct {
		SkillID  string `json:"skillId"`
		Location string `json:"location,omitempty"`
		Status   string `json:"status,omitempty"`
	}{SkillID: id, Location: acc.Location}
	if !o.json {
		fmt.Fprintln(env.Stdout, id)
		fmt.Fprintf(env.Stderr, "created skill %s from %s\n", id, file)
	}
	if *wait {
		_, err := smapi.WaitForBuild(ctx, c, id, []string{smapi.ResourceManifest}, smapi.WaitOptions{
			Timeout: *timeout,
			OnProgress: func(p smapi.Progress) {
				fmt.Fprintf(env.Stderr, "[%s] %s\n", p.Elapsed.Round(time.Second), progressLine(p.States))
			},
		})
		if err != nil {
			if o.json {
				result.Status = smapi.StatusFailed
				_ = printJSON(env.Stdout, result)
			}
			return smapiExit(env, name, err)
		}
		result.Status = smapi.StatusSucceeded
	}
	if o.json {
		if err := printJSON(env.Stdout, result); err != nil {
			return smapiExit(env, name, err)
		}
	}
	return ExitOK
}

func runSkillsDelete(ctx context.Context, env *Env, args []string) int {
	const name = "skills delete"
	var o smapiOpts
	fs := newFlagSet(env, name, "--skill-id ID",
		"Delete a skill (DELETE /v1/skills/{id}). SMAPI refuses while the skill is live,\nin certification, or building.")
	addSMAPIFlags(fs, &o, true)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if code, ok := noArgs(env, name, fs); !ok {
		return code
	}
	// Deleting is not something to infer from a project file.
	c, code, ok := smapiClientForSkillID(env, name, &o, "")
	if !ok {
		return code
	}
	if err := c.DeleteSkill(ctx, o.skillID); err != nil {
		return smapiExit(env, name, err)
	}
	if o.json {
		return jsonDone(env, name, map[string]string{"skillId": o.skillID, "result": "deleted"})
	}
	fmt.Fprintf(env.Stdout, "deleted skill %s\n", o.skillID)
	return ExitOK
}

// rawJSON embeds already-encoded JSON in a value printed with printJSON.
type rawJSON []byte

func (r rawJSON) MarshalJSON() ([]byte, error) {
	if len(strings.TrimSpace(string(r))) == 0 {
		return []byte("null"), nil
	}
	return r, nil
}

func jsonDone(env *Env, name string, v any) int {
	if err := printJSON(env.Stdout, v); err != nil {
		return smapiExit(env, name, err)
	}
	return ExitOK
}
