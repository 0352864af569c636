package prcomment_test

import (
	"context"
	"fmt"

	"github.com/skillgate/skillgate/internal/githubtest"
	"github.com/skillgate/skillgate/internal/plan"
	"github.com/skillgate/skillgate/internal/prcomment"
)

// A plan run on each push of a pull request, then the deploy after merge:
// the comment is created once, edited in place, and read back.
func Example() {
	gh := githubtest.NewServer(githubtest.WithActionsToken(), githubtest.WithPathPrefix("/api/v3"))
	defer gh.Close()
	gh.AddPR("acme", "skills", githubtest.PR{Number: 7, HeadSHA: "head7"})

	ctx := context.Background()
	c, err := prcomment.New("ghs_example", gh.URL, gh.Client())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, etag := range []string{`"v1"`, `"v2"`, `"v2"`} {
		m := plan.Marker{Skill: "amzn1.ask.skill.1", Stage: "development", ETag: etag, SHA256: "ab12"}
		res, err := c.Upsert(ctx, "acme", "skills", 7, plan.Matches(m.Skill, m.Stage), m.String()+"\n**1 change** in publishing")
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(res.Action)
	}

	gh.MergePR("acme", "skills", 7, "merge7")
	found, err := c.FindMerged(ctx, "acme", "skills", "merge7", plan.Matches("amzn1.ask.skill.1", "development"))
	if err != nil || found == nil {
		fmt.Println("no plan", err)
		return
	}
	m, _ := plan.ParseMarker(found.Body)
	fmt.Println("plan on PR", found.PR, "etag", m.ETag)
	// Output:
	// created
	// updated
	// unchanged
	// plan on PR 7 etag "v2"
}
