package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/adapters/httpapi"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/dashtoken"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
	"github.com/carecoach/carecoach/shared/wire"
)

const (
	lead     = "lead@acme-support.example"
	tokenKey = "httpapi-test-token-key-0123456789"
)

// dashboards is the api handler on a fresh table holding a team of n
// members with `weeks` weeks of moments, facts and feedback before now.
func dashboards(tb testing.TB, n, weeks int) (h http.Handler, db *dynamodb.Client, table, token string) {
	tb.Helper()
	store, db, table := dynamotest.NewStore(tb, stack.DynamoEndpoint, func() time.Time { return now })
	team := care.Team{ID: "support", Name: "Customer Support", Managers: []string{lead},
		Connections: []care.Connection{{ID: "acme-zendesk", Kind: care.Zendesk, BaseURL: "https://acme.zendesk.com"}}}
	for i := range n {
		team.Members = append(team.Members, care.Member{Name: fmt.Sprintf("Agent %02d", i), Email: fmt.Sprintf("agent%02d@acme-support.example", i),
			HelpdeskIDs: map[string]string{"acme-zendesk": strconv.Itoa(2000 + i)}})
	}
	ctx := context.Background()
	if err := store.PutTeam(ctx, team); err != nil {
		tb.Fatal(err)
	}
	seed(tb, store, team, weeks)
	svc, err := wire.Dashboards(wire.Base{Now: func() time.Time { return now }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, store, care.Secret(tokenKey))
	if err != nil {
		tb.Fatal(err)
	}
	token, err = dashtoken.Sign([]byte(tokenKey), "support", lead, now.Add(time.Hour))
	if err != nil {
		tb.Fatal(err)
	}
	return httpapi.API(svc, svc.Log), db, table, token
}

// seed writes, for each member and week: four answers (one late), a
// rating, a follow-up due and done, a kept commitment, one piece of
// manager feedback and the lead's check-back on it (done for even
// members). Members are written in parallel.
func seed(tb testing.TB, store *dynamo.Store, team care.Team, weeks int) {
	tb.Helper()
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, len(team.Members))
	for i, m := range team.Members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			agent := m.HelpdeskIDs["acme-zendesk"]
			var facts []care.Fact
			var moments []care.Moment
			for w := range weeks {
				at := now.Add(-time.Duration(w)*7*24*time.Hour - time.Duration(i+1)*time.Hour)
				ref := care.TicketRef{Connection: "acme-zendesk", TicketID: fmt.Sprintf("%d%02d", 5000+i, w)}
				for k, waited := range []time.Duration{20 * time.Minute, 2 * time.Hour, 5 * time.Hour, 30 * time.Hour} {
					f := care.NewFact(ref, care.FactResponded, strconv.Itoa(k), at)
					f.Team, f.AgentID, f.Waited, f.First = team.ID, agent, waited, k == 0
					facts = append(facts, f)
				}
				for _, f := range []care.Fact{care.NewFact(ref, care.FactRated, "r", at), care.NewFact(ref, care.FactFollowUpDue, "s", at)} {
					f.Team, f.AgentID, f.Rating = team.ID, agent, map[bool]string{true: "good", false: "bad"}[w%4 != 0]
					facts = append(facts, f)
				}
				for _, b := range []care.Behaviour{care.Respond, care.FollowUpDone, care.Commitment} {
					kind := care.Praise
					if b == care.Respond {
						kind = care.Coaching
					}
					mo := care.NewMoment(ref, b, kind, "a")
					mo.Team, mo.AgentID, mo.At, mo.What = team.ID, agent, at, "Something specific happened on this ticket."
					moments = append(moments, mo)
				}
				fb := care.Feedback{ID: fmt.Sprintf("fb-%d-%d", i, w), Team: team.ID, From: lead, AgentEmail: m.Email, Kind: care.Praise, Ticket: ref, Words: "Thank you", At: at}
				if _, err := store.SaveFeedback(ctx, fb); err != nil {
					errs <- err
					return
				}
				// The lead checks back on the feedback: done for even
				// members, waiting for odd ones.
				cb := care.CheckBack{ID: "cb-" + fb.ID, Team: team.ID, Manager: lead, AgentEmail: m.Email, AgentName: m.Name, FeedbackID: fb.ID,
					SaidAt: at, DueAt: at.Add(10 * time.Minute), SentAt: at.Add(10 * time.Minute), Status: care.CheckBackPending}
				if i%2 == 0 {
					cb.Status, cb.DoneAt = care.CheckBackDone, at.Add(20*time.Minute)
				}
				if _, err := store.PutCheckBack(ctx, cb); err != nil {
					errs <- err
					return
				}
				// Each member asks the lead for feedback; the lead answers
				// the even members' 30 minutes later.
				req := care.FeedbackRequest{ID: fmt.Sprintf("ask-%d-%d", i, w), Team: team.ID, Asker: strings.ToLower(m.Email), AskerName: m.Name,
					Ticket: ref, Question: "How did I do?", AskedAt: at, MessageID: fmt.Sprintf("m-%d-%d", i, w), Asked: []care.Asked{{Email: lead, Name: "Lead", PromptID: "p"}}}
				if i%2 == 0 {
					req.Asked[0].AnsweredAt = at.Add(30 * time.Minute)
				}
				if _, err := store.PutFeedbackRequest(ctx, req); err != nil {
					errs <- err
					return
				}
			}
			if _, err := store.SaveFacts(ctx, facts); err != nil {
				errs <- err
				return
			}
			if _, err := store.SaveMoments(ctx, moments); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		tb.Fatal(err)
	}
}

func get(h http.Handler, path string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestTheScorecardsAPI(t *testing.T) {
	h, _, _, token := dashboards(t, 3, 2)
	expired, _ := dashtoken.Sign([]byte(tokenKey), "support", lead, now.Add(-time.Second))
	other, _ := dashtoken.Sign([]byte(tokenKey), "billing", lead, now.Add(time.Hour))
	api := "/api/teams/support/scorecards"
	tests := []struct {
		name   string
		path   string
		header []string
		status int
		code   string
	}{
		{"a signed link gets the team's scorecards", api + "?t=" + token, nil, 200, ""},
		{"the token may come as a bearer token", api, []string{"Authorization", "Bearer " + token}, 200, ""},
		{"no token is unauthorized", api, nil, 401, "unauthorized"},
		{"a tampered token is unauthorized", api + "?t=" + token[:len(token)-1] + "A", nil, 401, "unauthorized"},
		{"an expired token is unauthorized", api + "?t=" + expired, nil, 401, "unauthorized"},
		{"another team's token is forbidden", api + "?t=" + other, nil, 403, "forbidden"},
		{"an unknown team looks like a bad link, not like a missing team", "/api/teams/billing/scorecards?t=" + other, nil, 401, "unauthorized"},
		{"weeks must be a number", api + "?weeks=many&t=" + token, nil, 400, "invalid"},
		{"from must come before to", api + "?from=2026-11-29&to=2026-11-01&t=" + token, nil, 400, "invalid"},
		{"weeks and dates do not mix", api + "?weeks=2&from=2026-11-01&t=" + token, nil, 400, "invalid"},
		{"the period is checked only after the link", api + "?weeks=many", nil, 401, "unauthorized"},
		{"an unknown path is not found", "/api/teams", nil, 404, "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(h, tt.path, tt.header...)
			if rec.Code != tt.status || rec.Header().Get("Cache-Control") != "no-store" || rec.Header().Get("Referrer-Policy") != "no-referrer" {
				t.Fatalf("status %d, Cache-Control %q, Referrer-Policy %q; want %d, no-store, no-referrer:\n%s", rec.Code, rec.Header().Get("Cache-Control"), rec.Header().Get("Referrer-Policy"), tt.status, rec.Body)
			}
			var body map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("not JSON: %v", err)
			}
			if tt.status != 200 {
				if body["code"] != tt.code || body["error"] == "" || body["members"] != nil || body["totals"] != nil {
					t.Errorf("refusal %v: want code %q, a message and no data", body, tt.code)
				}
				return
			}
			members, _ := body["members"].([]any)
			weeks, _ := body["weeks"].([]any)
			if len(members) != 3 || len(weeks) != 8 || body["totals"] == nil {
				t.Errorf("%d members, %d weeks: %s", len(members), len(weeks), rec.Body)
			}
		})
	}
	// The default period (four weeks) holds both seeded weeks: per member
	// 3 of 4 answers in the window, 2 follow-ups due and done, 2 praise.
	var sc struct {
		Totals struct {
			ResponseWindow struct{ Kept, Missed int }
			FollowUps      struct{ Due, Done int }
			Feedback       struct{ Manager, Praise int }
			CSAT           struct{ Good, Bad int }
		}
		CheckBacks struct {
			Managers []map[string]any
			Totals   map[string]any
		}
	}
	if err := json.Unmarshal(get(h, api+"?t="+token).Body.Bytes(), &sc); err != nil {
		t.Fatal(err)
	}
	if tot := sc.Totals; tot.ResponseWindow.Kept != 18 || tot.ResponseWindow.Missed != 6 || tot.FollowUps.Due != 6 || tot.FollowUps.Done != 6 || tot.Feedback.Praise != 6 || tot.CSAT.Bad != 3 {
		t.Errorf("totals %+v", tot)
	}
	// Check-backs: members 0 and 2 done twice, member 1 waiting twice.
	want := map[string]any{"manager": lead, "asked": 6.0, "done": 4.0, "waiting": 2.0, "upcoming": 0.0, "followThroughPct": 100 * 4 / 6.0}
	if m := sc.CheckBacks.Managers; len(m) != 1 || fmt.Sprint(m[0]) != fmt.Sprint(want) {
		t.Errorf("check-backs per manager %v, want [%v]", m, want)
	}
	delete(want, "manager")
	if tot := sc.CheckBacks.Totals; fmt.Sprint(tot) != fmt.Sprint(want) {
		t.Errorf("check-back totals %v, want %v", tot, want)
	}
	// Asking: every member asked twice; the even ones were answered in
	// 30 minutes, the odd one not at all.
	var asking struct{ Asking []map[string]any }
	if err := json.Unmarshal(get(h, api+"?t="+token).Body.Bytes(), &asking); err != nil {
		t.Fatal(err)
	}
	if len(asking.Asking) != 3 {
		t.Fatalf("asking %v, want the three members", asking.Asking)
	}
	for i, a := range asking.Asking {
		want := map[string]any{"asked": 2.0, "answered": 2.0, "medianMinutesToAnswer": 30.0}
		if i%2 == 1 {
			want["answered"], want["medianMinutesToAnswer"] = 0.0, nil
		}
		for k, v := range want {
			if a[k] != v {
				t.Errorf("member %d asking %v: %s is %v, want %v", i, a, k, a[k], v)
			}
		}
	}
	// A period without coaching: no managers, no rate.
	var empty struct {
		CheckBacks struct {
			Managers []any
			Totals   map[string]any
		}
	}
	if err := json.Unmarshal(get(h, api+"?from=2025-01-01&to=2025-01-31&t="+token).Body.Bytes(), &empty); err != nil {
		t.Fatal(err)
	}
	if e := get(h, api+"?from=2025-01-01&to=2025-01-31&t="+token).Body.String(); !strings.Contains(e, `"asking":[]`) {
		t.Errorf("asking in an empty period is not an empty list: %s", e)
	}
	if empty.CheckBacks.Managers == nil || len(empty.CheckBacks.Managers) != 0 || empty.CheckBacks.Totals["followThroughPct"] != nil || empty.CheckBacks.Totals["asked"] != 0.0 {
		t.Errorf("check-backs of an empty period: %+v", empty.CheckBacks)
	}
}

func TestTheDashboardPageRefusesWithAPageAndNoData(t *testing.T) {
	h, _, _, token := dashboards(t, 2, 1)
	ok := get(h, "/dashboard/support?t="+token)
	if ok.Code != 200 || !strings.Contains(ok.Body.String(), "Agent 01") || !strings.Contains(ok.Header().Get("Content-Security-Policy"), "default-src 'none'") {
		t.Fatalf("signed: %d %v", ok.Code, ok.Header())
	}
	for _, tt := range []struct {
		name, path string
		status     int
	}{
		{"no token", "/dashboard/support", 401},
		{"a tampered token", "/dashboard/support?t=" + strings.Replace(token, ".", ".1", 1), 401},
		{"another team", "/dashboard/billing?t=" + token, 403},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(h, tt.path)
			if rec.Code != tt.status || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") || strings.Contains(rec.Body.String(), "Agent 0") || !strings.Contains(rec.Body.String(), `id="error"`) {
				t.Errorf("status %d, %s:\n%.300s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
			}
		})
	}
}

// BenchmarkDashboard serves the dashboard page of a 50-member team with
// eight weeks of data against DynamoDB Local, next to one raw Query of a
// week of the team's moments (one gsi1 partition) in the same run: the
// ratio is what a page costs in queries' worth. Run with `make bench`.
func BenchmarkDashboard(b *testing.B) {
	h, db, table, token := dashboards(b, 50, 8)
	monday := now.UTC().Truncate(24 * time.Hour)
	monday = monday.AddDate(0, 0, -(int(monday.Weekday())+6)%7)
	week := "MOMENTS#support#w" + monday.Format("2006-01-02") // this week's moments: one gsi1 partition
	b.Run("one raw Query (baseline)", func(b *testing.B) {
		for range b.N {
			_, err := db.Query(b.Context(), &dynamodb.QueryInput{
				TableName: &table, IndexName: aws.String("gsi1"),
				KeyConditionExpression:    aws.String("gsi1pk = :pk"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: week}},
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("dashboard page, 50 members, 8 weeks", func(b *testing.B) {
		for range b.N {
			rec := get(h, "/dashboard/support?t="+token)
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d: %.300s", rec.Code, rec.Body)
			}
		}
	})
}

// Without its token keys (SSM failed at start) the api cannot check a
// link: that is its own failure, answered 500 so that the manager tries
// again, never 401, which would tell them the link is bad.
func TestALinkThatCannotBeCheckedForWantOfAKeyIsNotCalledBad(t *testing.T) {
	store, _, _ := dynamotest.NewStore(t, stack.DynamoEndpoint, func() time.Time { return now })
	team := care.Team{ID: "support", Name: "Customer Support", Managers: []string{lead}}
	if err := store.PutTeam(context.Background(), team); err != nil {
		t.Fatal(err)
	}
	svc, err := wire.Dashboards(wire.Base{Now: func() time.Time { return now }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, store, care.Secret(nil))
	if err != nil {
		t.Fatal(err)
	}
	token, err := dashtoken.Sign([]byte(tokenKey), "support", lead, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	rec := get(httpapi.API(svc, svc.Log), "/api/teams/support/scorecards?t="+token)
	if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "token key") {
		t.Errorf("status %d %s, want 500 without the cause", rec.Code, rec.Body)
	}
}
