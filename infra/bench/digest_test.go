//go:build bench

package bench_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"golang.org/x/sync/errgroup"

	"github.com/carecoach/carecoach/infra/bench"
	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/adapters/sesmail"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/digest"
	"github.com/carecoach/carecoach/shared/dev/ddbproxy"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
	"github.com/carecoach/carecoach/shared/wire"
)

const (
	orgAgents   = 500
	orgManagers = 10
	digestRuns  = 5
)

// orgTeam is one 500-agent organisation: ten managers, fifty agents each.
func orgTeam() care.Team {
	t := care.Team{ID: "org", Name: "Customer Care", TimeZone: "Europe/London",
		Connections: []care.Connection{{ID: "org-zendesk", Kind: care.Zendesk, BaseURL: "https://org.zendesk.com"}}}
	for m := range orgManagers {
		t.Members = append(t.Members, care.Member{Name: fmt.Sprintf("Manager %d", m), Email: fmt.Sprintf("manager%d@org.example", m),
			HelpdeskIDs: map[string]string{"org-zendesk": strconv.Itoa(9000 + m)}})
	}
	for a := range orgAgents {
		t.Members = append(t.Members, care.Member{Name: fmt.Sprintf("Agent %d", a), Email: fmt.Sprintf("agent%d@org.example", a),
			HelpdeskIDs: map[string]string{"org-zendesk": strconv.Itoa(10000 + a)}, Manager: fmt.Sprintf("manager%d@org.example", a%orgManagers)})
	}
	return t
}

// seedOrg stores a week of moments and facts for every agent, and a few
// months of feedback.
func seedOrg(t *testing.T, store *dynamo.Store, team care.Team, to time.Time) (moments, facts, feedback int) {
	r := rand.New(rand.NewPCG(9, 9))
	behaviours := []care.Behaviour{care.Respond, care.FollowUpDone, care.Commitment, care.Escalate, care.Delight}
	var ms []care.Moment
	var fs []care.Fact
	for a := range orgAgents {
		agent := strconv.Itoa(10000 + a)
		for i := range 4 {
			ref := care.TicketRef{Connection: "org-zendesk", TicketID: strconv.Itoa(100000 + a*10 + i)}
			kind := care.Praise
			if r.IntN(3) == 0 {
				kind = care.Coaching
			}
			m := care.NewMoment(ref, behaviours[r.IntN(len(behaviours))], kind, "bench")
			m.Team, m.AgentID, m.At = team.ID, agent, to.Add(-time.Duration(r.Int64N(int64(7*24*time.Hour))))
			m.Subject, m.What = "Cannot log in after the update", "Answered Maria Lopez within 12 minutes."
			m.Quote = "Thank you so much, that fixed it and I can finally get back to work."
			ms = append(ms, m)
			for j, k := range []care.FactKind{care.FactResponded, care.FactResponded, care.FactSolved, care.FactFollowUpDue} {
				f := care.NewFact(ref, k, strconv.Itoa(j), to.Add(-time.Duration(r.Int64N(int64(14*24*time.Hour)))))
				f.Team, f.AgentID, f.Waited, f.First = team.ID, agent, time.Duration(r.Int64N(int64(30*time.Hour))), j == 0
				fs = append(fs, f)
			}
		}
		for i := range 3 {
			at := to.Add(-time.Duration(r.Int64N(int64(90 * 24 * time.Hour))))
			f := care.Feedback{ID: fmt.Sprintf("fb-%d-%d", a, i), Team: team.ID, From: fmt.Sprintf("manager%d@org.example", a%orgManagers),
				AgentEmail: fmt.Sprintf("agent%d@org.example", a), AgentName: fmt.Sprintf("Agent %d", a), Kind: care.Praise,
				Words: "Great work on the printer ticket.", At: at}
			if _, err := store.SaveFeedback(ctx, f); err != nil {
				t.Fatal(err)
			}
			feedback++
		}
	}
	if _, err := store.SaveMoments(ctx, ms); err != nil {
		t.Fatal(err)
	}
	if _, err := store.SaveFacts(ctx, fs); err != nil {
		t.Fatal(err)
	}
	return len(ms), len(fs), feedback
}

// measureDigests sends the weekly digests of a 500-agent organisation
// (ten managers) through the digest service, against DynamoDB Local
// behind a counting proxy and the local SES, and compares the handler time
// with a raw Query of one day's moments measured in the same run.
func measureDigests(t *testing.T, r *report) {
	p, err := ddbproxy.Start(stack.DynamoEndpoint, ddbproxy.Options{ConsumedCapacity: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	cfg := dynamotest.LocalConfig()
	cfg.HTTPClient = &http.Client{Transport: transport(t)}
	_, table := dynamotest.NewTable(t, stack.DynamoEndpoint)
	db := dynamo.NewClient(cfg, p.URL())
	to := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	store := dynamo.New(db, table, func() time.Time { return to })
	team := orgTeam()
	if err := store.PutTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	nm, nf, nfb := seedOrg(t, store, team, to)
	mailer := sesmail.New(sesmail.NewClient(dynamotest.LocalConfig(), stack.SESEndpoint), "carecoach@org.example", "")

	// Baseline: the same partitions the digest reads, as raw paged
	// queries side by side, without decoding, in the same run and through
	// the same proxy: what any design storing this data must pay.
	// The digest reads of the facts only those its trends count, and of
	// those only kind, rating and tags (dynamo.Store.TeamTrendFacts): the
	// baseline reads the fact partitions with the same filter and
	// projection, so it stays the raw read of the same data.
	type part struct {
		index, key string
		trends     bool
	}
	var parts []part
	monday := func(t time.Time) string {
		d := t.UTC().Truncate(24 * time.Hour)
		return "w" + d.AddDate(0, 0, -(int(d.Weekday())+6)%7).Format("2006-01-02")
	}
	weeks := map[string]bool{}
	for d := range 15 {
		weeks[monday(to.AddDate(0, 0, -d))] = true
	}
	for w := range weeks {
		parts = append(parts, part{index: "gsi1", key: "MOMENTS#org#" + w}, part{index: "gsi1", key: "FACTS#org#" + w, trends: true})
	}
	parts = append(parts, part{index: "gsi1", key: "FEEDBACK#org#" + to.AddDate(0, -1, 0).Format("2006-01")},
		part{index: "gsi1", key: "FEEDBACK#org#" + to.Format("2006-01")}, part{key: "LASTFEEDBACK#org"})
	rawRun := func() time.Duration {
		t0 := time.Now()
		g, gctx := errgroup.WithContext(ctx)
		for _, pt := range parts {
			g.Go(func() error {
				in := &dynamodb.QueryInput{TableName: aws.String(table), KeyConditionExpression: aws.String("pk = :pk"),
					ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: pt.key}}}
				if pt.index != "" {
					in.IndexName, in.KeyConditionExpression = aws.String(pt.index), aws.String("gsi1pk = :pk")
				}
				if pt.trends {
					in.ProjectionExpression, in.FilterExpression = aws.String("#kind, #rating, #tags"), aws.String("#kind IN (:k0, :k1, :k2)")
					in.ExpressionAttributeNames = map[string]string{"#kind": "kind", "#rating": "rating", "#tags": "tags"}
					for i, k := range []care.FactKind{care.FactSolved, care.FactReopened, care.FactRated} {
						in.ExpressionAttributeValues[fmt.Sprintf(":k%d", i)] = &types.AttributeValueMemberS{Value: string(k)}
					}
				}
				for {
					out, err := db.Query(gctx, in)
					if err != nil {
						return err
					}
					if in.ExclusiveStartKey = out.LastEvaluatedKey; in.ExclusiveStartKey == nil {
						return nil
					}
				}
			})
		}
		if err := g.Wait(); err != nil {
			t.Fatal(err)
		}
		return time.Since(t0)
	}

	var stats ddbproxy.Stats
	emails := 0
	handlerRun := func(run int) time.Duration {
		// Every run sends the digests of the same period, so that each
		// reads the same data as the baseline: the previous run's prompts
		// are deleted first (a digest is sent once per period and manager).
		forgetDigests(t, db, table, team, to)
		now := to
		digests, err := wire.Digests(wire.Base{Now: func() time.Time { return now }, Log: quiet}, store,
			wire.Mail{Mailer: mailer, From: "carecoach@org.example", Keys: care.Secret(tokenKey), ReplyDomain: "reply.org.example"}, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := stack.ClearEmails(ctx); err != nil {
			t.Fatal(err)
		}
		p.Reset()
		t0 := time.Now()
		if err := digests.Send(ctx, team.ID); err != nil {
			t.Fatal(err)
		}
		took := time.Since(t0)
		stats = p.Snapshot()
		sent, err := stack.SentEmails(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if emails = len(sent); emails != orgManagers {
			t.Fatalf("run %d sent %d digests, want one per manager (%d)", run, emails, orgManagers)
		}
		return took
	}
	// One round of each unmeasured (the first digests parse the mail
	// templates, the first queries open connections and warm DynamoDB
	// Local's paths), then the measured rounds alternate which side goes
	// first (ABBA), so a machine busier in one half of the section does not
	// load one side only.
	handlerRun(-1)
	rawRun()
	var handler, raw []time.Duration
	for run := range digestRuns {
		if run%2 == 0 {
			handler = append(handler, handlerRun(run))
			raw = append(raw, rawRun())
		} else {
			raw = append(raw, rawRun())
			handler = append(handler, handlerRun(run))
		}
	}
	if emails != orgManagers {
		t.Errorf("sent %d digests, want one per manager (%d)", emails, orgManagers)
	}
	slices.Sort(handler)
	slices.Sort(raw)
	med, rawMed := bench.Percentile(handler, 50), bench.Percentile(raw, 50)
	tot := stats.Total()
	ops := map[string]int{}
	for op, s := range stats.Ops {
		ops[op] = s.Requests
	}
	scans := stats.Ops["Scan"].Requests
	// Issue 16: the digests within 1.3× the raw reads of the same data.
	// Both sides run in the same section, in alternating rounds, so a
	// loaded machine moves both; the absolute time is for scale.
	r.target("500-agent digests ÷ raw queries of the same data", "≤ 1.3×", fmt.Sprintf("%.2f× (%s median, raw %s)", float64(med)/float64(rawMed), ms(med), ms(rawMed)), float64(med) <= 1.3*float64(rawMed))
	r.missed("What the digests add to the raw reads: the team's item and the queries with nothing in them here (withdrawals, climate, check-backs, requests for feedback, upward feedback's rounds), decoding the moments and feedback with attributevalue's reflection, and the ten prompts' writes, reads and sends (up to ten at once). The facts are read as the trends need them (solved, reopened and rated, three attributes) and the team's digests share one preparation. What would close the rest: the ten prompts stored in one BatchWriteItem before the sends (today each is a conditional put, then a sent mark after its email), and moments decoded by hand instead of by reflection.")
	r.target("500-agent digests, reads", "key / index queries only", fmt.Sprintf("%d Scan", scans), scans == 0)
	r.section(`## Digests of a 500-agent organisation

One team of %d agents under %d managers (fifty each), with a week of moments (%d) and facts (%d) and three months of feedback (%d items), stored through the store. The digest service sends every manager's digest (one email each, to the local SES) %d times, all for the same period (the prompts of the run before deleted first, since a digest goes once per period and manager), after one unmeasured round, in rounds alternating with the baseline's (ABBA); DynamoDB Local is behind the counting proxy.

- Handler time, median of %d: **%s** (min %s, max %s).
- Baseline, same run: the partitions the digest reads (%d: the weeks of moments and of facts, two months of feedback, the last-feedback records), as raw paged queries side by side without decoding (the facts, like the digest's, filtered to the kinds the trends count and projected to kind, rating and tags): median **%s**. The digests take **%.1f×** that: decoding, building ten digests, storing ten prompts and sending ten emails.
- DynamoDB requests per run: %d (%s); %.0f read units. Scan: %d.`,
		orgAgents, orgManagers, nm, nf, nfb, digestRuns, digestRuns, ms(med), ms(handler[0]), ms(handler[len(handler)-1]),
		len(parts), ms(rawMed), float64(med)/float64(rawMed), tot.Requests, opCounts(ops), tot.ReadUnits, scans)
}

// forgetDigests deletes the digest prompts of team's managers for the
// period ending at to, named as app.digestPromptID names them, so that the
// same period's digests can be sent again. A name that drifted from the
// service's would leave the prompts, and the next run would send nothing:
// handlerRun fails then.
func forgetDigests(t *testing.T, db *dynamodb.Client, table string, team care.Team, to time.Time) {
	t.Helper()
	for _, manager := range digest.Managers(team) {
		sum := sha256.Sum256([]byte(team.ID + "\x00" + manager + "\x00" + to.UTC().Format("2006-01-02")))
		id := "d-" + hex.EncodeToString(sum[:8])
		_, err := db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(table), Key: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: "PROMPT#" + id}, "sk": &types.AttributeValueMemberS{Value: "PROMPT"}}})
		if err != nil {
			t.Fatal(err)
		}
	}
}
