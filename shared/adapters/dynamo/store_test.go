package dynamo_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
	"github.com/carecoach/carecoach/shared/dev/emulators"
)

var stack *emulators.Stack

func TestMain(m *testing.M) { os.Exit(emulators.RunTests(m, &stack)) }

var (
	ctx = context.Background()
	t0  = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	ref = care.TicketRef{Connection: "acme-zendesk", TicketID: "5158"}
)

func fixedNow() time.Time { return t0 }

func TestTableIsCreatedFromTheTemplate(t *testing.T) {
	db, name := dynamotest.NewTable(t, stack.DynamoEndpoint)
	desc, err := db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: &name})
	if err != nil {
		t.Fatal(err)
	}
	tbl := desc.Table
	if len(tbl.GlobalSecondaryIndexes) != 1 || aws.ToString(tbl.GlobalSecondaryIndexes[0].IndexName) != "gsi1" {
		t.Errorf("indexes = %+v, want gsi1", tbl.GlobalSecondaryIndexes)
	}
	if tbl.StreamSpecification == nil || tbl.StreamSpecification.StreamViewType != types.StreamViewTypeNewImage {
		t.Errorf("stream = %+v, want NEW_IMAGE", tbl.StreamSpecification)
	}
	ttl, err := db.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: &name})
	if err != nil {
		t.Fatal(err)
	}
	if d := ttl.TimeToLiveDescription; d.TimeToLiveStatus != types.TimeToLiveStatusEnabled || aws.ToString(d.AttributeName) != "ttl" {
		t.Errorf("ttl = %s on %q, want ENABLED on ttl", d.TimeToLiveStatus, aws.ToString(d.AttributeName))
	}
}

func TestADeliveryIsStoredOnceWhateverHowOftenItArrives(t *testing.T) {
	store, db, name := dynamotest.NewStore(t, stack.DynamoEndpoint, fixedNow)
	d := care.Delivery{Connection: "acme-zendesk", Source: care.Zendesk, DedupeKey: "01HZX", ReceivedAt: t0, Body: []byte(`{"a":1}`)}
	created, err := store.PutDelivery(ctx, d)
	if err != nil || !created {
		t.Fatalf("first put: created=%v err=%v, want created", created, err)
	}
	again := d
	again.Body = []byte(`{"a":2}`)
	created, err = store.PutDelivery(ctx, again)
	if err != nil || created {
		t.Fatalf("second put: created=%v err=%v, want a duplicate", created, err)
	}
	if n := dynamotest.Count(t, db, name); n != 1 {
		t.Errorf("table holds %d items, want 1", n)
	}
	got, ok := dynamotest.Delivery(t, db, name, d.Connection, d.DedupeKey)
	if !ok {
		t.Fatal("the delivery is not stored")
	}
	if !reflect.DeepEqual(got, d) {
		t.Errorf("read back %+v, want the first delivery %+v", got, d)
	}

	// The stream image of the item decodes to the same delivery.
	res, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &name, Key: map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: "RAW#acme-zendesk#01HZX"}, "sk": &types.AttributeValueMemberS{Value: "RAW"}}})
	if err != nil {
		t.Fatal(err)
	}
	fromImage, ok, err := dynamo.DeliveryFromImage(res.Item)
	if err != nil || !ok || !reflect.DeepEqual(fromImage, d) {
		t.Errorf("from image: %+v ok=%v err=%v, want %+v", fromImage, ok, err, d)
	}
	if ttl, ok := res.Item["ttl"].(*types.AttributeValueMemberN); !ok || ttl.Value != strconv.FormatInt(t0.Add(30*24*time.Hour).Unix(), 10) {
		t.Errorf("ttl = %v, want 30 days after %s", res.Item["ttl"], t0)
	}
}

func TestTheLargestDeliveryFitsInOneItemAndALargerOneIsRefused(t *testing.T) {
	store, db, name := dynamotest.NewStore(t, stack.DynamoEndpoint, fixedNow)
	// The longest ids there can be: a 63-character connection id (the team
	// file's limit) and a Zendesk dedupe key around a 64-character event id.
	conn := "c" + strings.Repeat("x", 62)
	key := "zd-evt-" + strings.Repeat("e", 64)
	body := bytes.Repeat([]byte("x"), care.MaxDeliveryBody)
	d := care.Delivery{Connection: conn, Source: care.Zendesk, DedupeKey: key, ReceivedAt: t0, Body: body}
	if created, err := store.PutDelivery(ctx, d); err != nil || !created {
		t.Fatalf("a %d-byte delivery: created %v, err %v; want it stored in one item", len(body), created, err)
	}
	got, ok := dynamotest.Delivery(t, db, name, conn, key)
	if !ok || !bytes.Equal(got.Body, body) {
		t.Fatalf("read back %d bytes (stored: %v), want the %d stored", len(got.Body), ok, len(body))
	}
	// Its dead letter (the delivery, a long reason) fits too.
	if err := store.DeadLetter(ctx, d, strings.Repeat("why ", 10_000)); err != nil {
		t.Fatalf("dead-lettering the largest delivery: %v", err)
	}
	before := dynamotest.Count(t, db, name)
	d.DedupeKey, d.Body = "zd-evt-larger", append(body, 'x')
	_, err := store.PutDelivery(ctx, d)
	if care.ErrorCode(err) != care.ETooLarge {
		t.Errorf("a body one byte over: err %v, want too_large", err)
	}
	if after := dynamotest.Count(t, db, name); after != before {
		t.Errorf("items %d → %d, want nothing written", before, after)
	}
}

func TestTimelineTasksAndState(t *testing.T) {
	store, db, name := dynamotest.NewStore(t, stack.DynamoEndpoint, fixedNow)
	ins := []care.Interaction{
		{ID: "zd-2", Ticket: ref, Kind: care.AgentReply, At: t0.Add(time.Hour), ActorID: "1001", Body: "Fixed"},
		{ID: "zd-1", Ticket: ref, Kind: care.CustomerMessage, At: t0, ActorID: "9001", Body: "Broken <b>&</b>", Snapshot: care.Snapshot{Subject: "Printer", AssigneeID: "1001", Tags: []string{"printer"}}},
	}
	for range 2 { // storing twice is harmless
		if err := store.SaveInteractions(ctx, ins); err != nil {
			t.Fatal(err)
		}
	}
	if n := dynamotest.Count(t, db, name); n != 2 {
		t.Fatalf("table holds %d items after saving 2 interactions twice, want 2", n)
	}
	state := care.Fold(ref, ins)
	task := care.NewTask(ref, care.RespondCheck, "zd-1", t0.Add(24*time.Hour))
	for i, want := range []bool{true, false} {
		created, err := store.PutTask(ctx, task)
		if err != nil || created != want {
			t.Fatalf("put task #%d: created=%v err=%v, want %v", i+1, created, err, want)
		}
	}

	rec, err := store.LoadTicket(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Timeline) != 2 || rec.Timeline[0].ID != "zd-1" || rec.Timeline[1].ID != "zd-2" {
		t.Fatalf("timeline = %+v, want zd-1 then zd-2", rec.Timeline)
	}
	if !reflect.DeepEqual(rec.Timeline[0], ins[1]) {
		t.Errorf("stored interaction\n got %+v\nwant %+v", rec.Timeline[0], ins[1])
	}
	if got := care.Fold(ref, rec.Timeline); !reflect.DeepEqual(got, state) {
		t.Errorf("state folded from the loaded timeline\n got %+v\nwant %+v", got, state)
	}
	if len(rec.Tasks) != 1 || !reflect.DeepEqual(rec.Tasks[0], task) {
		t.Errorf("tasks = %+v, want [%+v]", rec.Tasks, task)
	}

	// An interaction, the agent's reply too, is its own item and nothing
	// more: no index entry (each would cost write units; nothing reads one).
	scan, err := db.Scan(ctx, &dynamodb.ScanInput{TableName: &name})
	if err != nil {
		t.Fatal(err)
	}
	for _, item := range scan.Items {
		if _, indexed := item["gsi1pk"]; indexed {
			t.Errorf("item %v is on gsi1, want no interaction indexed", item["sk"])
		}
	}

	ok, err := store.TransitionTask(ctx, ref, task.ID, care.TaskPending, care.TaskDone, "reminded")
	if err != nil || !ok {
		t.Fatalf("pending→done: ok=%v err=%v", ok, err)
	}
	ok, err = store.TransitionTask(ctx, ref, task.ID, care.TaskPending, care.TaskDone, "again")
	if err != nil || ok {
		t.Fatalf("second pending→done: ok=%v err=%v, want refused", ok, err)
	}
	got, err := store.Task(ctx, ref, task.ID)
	if err != nil || got.Status != care.TaskDone || got.Outcome != "reminded" {
		t.Errorf("task = %+v err=%v, want done/reminded", got, err)
	}
	if _, err := store.Task(ctx, ref, "t-missing"); care.ErrorCode(err) != care.ENotFound {
		t.Errorf("missing task error = %v, want not found", err)
	}
}

func TestTeamLookups(t *testing.T) {
	store, _, _ := dynamotest.NewStore(t, stack.DynamoEndpoint, fixedNow)
	team := care.Team{
		ID: "support", Name: "Support", TimeZone: "Europe/London",
		Connections: []care.Connection{{ID: "acme-zendesk", Kind: care.Zendesk, BaseURL: "https://acme.zendesk.com"}},
		Members:     []care.Member{{Name: "Ana Silva", Email: "ana@acme.example", HelpdeskIDs: map[string]string{"acme-zendesk": "1001"}}},
	}
	if err := store.PutTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	conn, err := store.Connection(ctx, "acme-zendesk")
	if err != nil || conn.Team != "support" || conn.Kind != care.Zendesk || conn.BaseURL != "https://acme.zendesk.com" {
		t.Errorf("connection = %+v err=%v", conn, err)
	}
	m, err := store.MemberByHelpdeskID(ctx, "acme-zendesk", "1001")
	if err != nil || m.Email != "ana@acme.example" || m.Team != "support" {
		t.Errorf("member = %+v err=%v", m, err)
	}
	if _, err := store.Connection(ctx, "nope"); care.ErrorCode(err) != care.ENotFound {
		t.Errorf("unknown connection error = %v, want not found", err)
	}
}

func TestARemovedConnectionAndItsMemberLookupsAreGone(t *testing.T) {
	store, _, _ := dynamotest.NewStore(t, stack.DynamoEndpoint, fixedNow)
	team := care.Team{
		ID: "support", Name: "Support",
		Connections: []care.Connection{{ID: "acme-zendesk", Kind: care.Zendesk}, {ID: "acme-freshdesk", Kind: care.Freshdesk}},
		Members:     []care.Member{{Name: "Ana Silva", Email: "ana@acme.example", HelpdeskIDs: map[string]string{"acme-zendesk": "1001", "acme-freshdesk": "ana@acme.example"}}},
	}
	if err := store.PutTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	if err := store.RemoveConnection(ctx, team, "acme-zendesk", []string{"1001"}); err == nil {
		t.Error("removing a connection the team still lists: no error")
	}
	team.Connections = team.Connections[1:]
	team.Members[0].HelpdeskIDs = map[string]string{"acme-freshdesk": "ana@acme.example"}
	if err := store.RemoveConnection(ctx, team, "acme-zendesk", []string{"1001"}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Connection(ctx, "acme-zendesk"); care.ErrorCode(err) != care.ENotFound {
		t.Errorf("the removed connection: %v, want not found", err)
	}
	if _, err := store.MemberByHelpdeskID(ctx, "acme-zendesk", "1001"); care.ErrorCode(err) != care.ENotFound {
		t.Errorf("the member by the removed connection's id: %v, want not found", err)
	}
	if m, err := store.MemberByHelpdeskID(ctx, "acme-freshdesk", "ana@acme.example"); err != nil || len(m.HelpdeskIDs) != 1 {
		t.Errorf("the member by the other connection: %+v %v", m, err)
	}
	if got, err := store.Team(ctx, "support"); err != nil || len(got.Connections) != 1 {
		t.Errorf("stored team %+v %v", got, err)
	}
}

func TestDeadLettersKeepTheDeliveryAndTheReason(t *testing.T) {
	store, _, _ := dynamotest.NewStore(t, stack.DynamoEndpoint, fixedNow)
	d := care.Delivery{Connection: "acme-zendesk", Source: care.Zendesk, DedupeKey: "k1", ReceivedAt: t0, Body: []byte(`{}`)}
	if err := store.DeadLetter(ctx, d, "no ticket id"); err != nil {
		t.Fatal(err)
	}
	got, err := store.DeadLetters(ctx, "acme-zendesk")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Reason != "no ticket id" || !reflect.DeepEqual(got[0].Delivery, d) {
		t.Errorf("dead letters = %+v", got)
	}
}

func TestMomentsAreStoredOnceAndListedByTeamAndTime(t *testing.T) {
	store, _, _ := dynamotest.NewStore(t, stack.DynamoEndpoint, fixedNow)
	praise := care.NewMoment(ref, care.Respond, care.Praise, "zd-1")
	praise.Team, praise.AgentID, praise.At, praise.What = "support", "1001", t0.Add(25*time.Minute), "Answered within 25 minutes."
	coach := care.NewMoment(ref, care.Commitment, care.Coaching, "due@x")
	coach.Team, coach.AgentID, coach.At, coach.What = "support", "1001", t0.Add(50*time.Hour), "Missed the date."
	other := care.NewMoment(care.TicketRef{Connection: "x", TicketID: "1"}, care.Respond, care.Praise, "y")
	other.Team, other.At = "billing", t0
	n, err := store.SaveMoments(ctx, []care.Moment{praise, coach, other})
	if err != nil || n != 3 {
		t.Fatalf("saved %d, err %v", n, err)
	}
	again := praise
	again.What = "rewritten"
	if n, err := store.SaveMoments(ctx, []care.Moment{again}); err != nil || n != 0 {
		t.Fatalf("saving an existing moment again: saved %d err %v, want 0", n, err)
	}
	got, err := store.TeamMoments(ctx, "support", t0, t0.Add(72*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !reflect.DeepEqual(got[0], praise) || got[1].ID != coach.ID {
		t.Errorf("team moments = %+v, want praise then coaching, unchanged", got)
	}
	if got, _ := store.TeamMoments(ctx, "support", t0, t0.Add(time.Hour)); len(got) != 1 {
		t.Errorf("first hour holds %d moments, want 1", len(got))
	}
	rec, _ := store.LoadTicket(ctx, ref)
	if len(rec.Moments) != 2 {
		t.Errorf("ticket holds %d moments, want 2", len(rec.Moments))
	}
}

func TestAWithdrawnMomentLeavesTheTeamsIndexForItsWithdrawalsAndCanComeBack(t *testing.T) {
	store, _, _ := dynamotest.NewStore(t, stack.DynamoEndpoint, fixedNow)
	coach := care.NewMoment(ref, care.Respond, care.Coaching, "zd-1")
	coach.Team, coach.AgentID, coach.At, coach.What = "support", "1001", t0.Add(24*time.Hour), "Maria waited 24 hours."
	if _, err := store.SaveMoments(ctx, []care.Moment{coach}); err != nil {
		t.Fatal(err)
	}
	withdrawnAt := t0.Add(8 * 24 * time.Hour) // the week after
	for range 2 {                             // twice changes nothing
		if err := store.WithdrawMoment(ctx, coach, withdrawnAt, "an answer reached carecoach late"); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := store.TeamMoments(ctx, "support", t0, t0.Add(72*time.Hour)); len(got) != 0 {
		t.Errorf("a withdrawn moment is still on the team's index: %+v", got)
	}
	got, err := store.TeamWithdrawals(ctx, "support", withdrawnAt.Add(-time.Hour), withdrawnAt.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != coach.ID || !got[0].WithdrawnAt.Equal(withdrawnAt) || got[0].WithdrawnWhy != "an answer reached carecoach late" {
		t.Errorf("withdrawals = %+v, want the coaching with when and why", got)
	}
	if earlier, _ := store.TeamWithdrawals(ctx, "support", t0, withdrawnAt.Add(-time.Hour)); len(earlier) != 0 {
		t.Errorf("a withdrawal is listed by when it was withdrawn, not by the moment's time: %+v", earlier)
	}
	if rec, _ := store.LoadTicket(ctx, ref); len(rec.Moments) != 1 || !rec.Moments[0].Withdrawn() {
		t.Errorf("ticket moments %+v, want the moment kept, withdrawn", rec.Moments)
	}
	if err := store.ReinstateMoment(ctx, coach); err != nil {
		t.Fatal(err)
	}
	if got, _ := store.TeamMoments(ctx, "support", t0, t0.Add(72*time.Hour)); len(got) != 1 || got[0].Withdrawn() {
		t.Errorf("a reinstated moment: %+v, want it back on the index, standing", got)
	}
	if got, _ := store.TeamWithdrawals(ctx, "support", withdrawnAt.Add(-time.Hour), withdrawnAt.Add(time.Hour)); len(got) != 0 {
		t.Errorf("a reinstated moment is still listed as withdrawn")
	}
	missing := care.NewMoment(ref, care.Respond, care.Coaching, "never-stored")
	missing.Team = "support"
	if err := store.WithdrawMoment(ctx, missing, withdrawnAt, "x"); err == nil {
		t.Error("withdrawing a moment that was never stored succeeded")
	}
}

func TestACorrectedFactMovesAndADroppedOneGoes(t *testing.T) {
	store, _, _ := dynamotest.NewStore(t, stack.DynamoEndpoint, fixedNow)
	late := care.NewFact(ref, care.FactResponded, "zd-1", t0.Add(10*24*time.Hour))
	late.Team, late.Waited = "support", 240*time.Hour
	wrong := care.NewFact(ref, care.FactResponded, "zd-2", t0)
	wrong.Team = "support"
	if _, err := store.SaveFacts(ctx, []care.Fact{late, wrong}); err != nil {
		t.Fatal(err)
	}
	early := late
	early.At, early.Waited = t0.Add(time.Hour), time.Hour
	if err := store.PutFacts(ctx, []care.Fact{early}); err != nil {
		t.Fatal(err)
	}
	if err := store.DeleteFacts(ctx, []care.Fact{wrong, wrong}); err != nil {
		t.Fatal(err)
	}
	got, err := store.TeamFacts(ctx, "support", t0, t0.Add(30*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != late.ID || got[0].Waited != time.Hour || !got[0].At.Equal(early.At) {
		t.Errorf("facts = %+v, want only the corrected one, at its new time", got)
	}
}

func TestPromptsFeedbackAndReplays(t *testing.T) {
	store, _, _ := dynamotest.NewStore(t, stack.DynamoEndpoint, fixedNow)
	p := care.Prompt{ID: "p-1", Team: "support", Kind: care.DigestPrompt, Recipient: "jordan@acme.example", SentAt: t0, ExpiresAt: t0.Add(30 * 24 * time.Hour),
		Items: []care.PromptItem{{N: 1, Moment: care.Moment{ID: "m-1", Ticket: ref, Kind: care.Praise}, AgentEmail: "ana@acme.example", AgentName: "Ana"}}}
	for i, want := range []bool{true, false} {
		if created, err := store.PutPrompt(ctx, p); err != nil || created != want {
			t.Fatalf("put prompt #%d: created=%v err=%v, want %v", i+1, created, err, want)
		}
	}
	got, err := store.Prompt(ctx, "p-1")
	if err != nil || !reflect.DeepEqual(got, p) {
		t.Errorf("prompt = %+v, %v", got, err)
	}
	if _, err := store.Prompt(ctx, "p-2"); care.ErrorCode(err) != care.ENotFound {
		t.Errorf("missing prompt: %v", err)
	}

	if last, err := store.TeamLastFeedback(ctx, "support"); err != nil || len(last) != 0 {
		t.Errorf("last feedback before any = %v, %v", last, err)
	}
	for i, at := range []time.Time{t0.Add(time.Hour), t0.Add(48 * time.Hour)} {
		f := care.Feedback{ID: fmt.Sprintf("fb-%d", i), Team: "support", From: "jordan@acme.example", AgentEmail: "Ana@acme.example", Kind: care.Praise, Words: "great", At: at}
		if created, err := store.SaveFeedback(ctx, f); err != nil || !created {
			t.Fatalf("save feedback: %v %v", created, err)
		}
		if created, _ := store.SaveFeedback(ctx, f); created {
			t.Fatal("the same feedback was stored twice")
		}
	}
	if last, _ := store.TeamLastFeedback(ctx, "support"); len(last) != 1 || !last["ana@acme.example"].Equal(t0.Add(48*time.Hour)) {
		t.Errorf("last feedback = %v, want Ana's (by lower-case address) at %s", last, t0.Add(48*time.Hour))
	}
	if fb, _ := store.TeamFeedback(ctx, "support", t0.Add(24*time.Hour), t0.Add(72*time.Hour)); len(fb) != 1 || fb[0].ID != "fb-1" {
		t.Errorf("feedback from day 1 = %+v, want fb-1 once", fb)
	}

	for i, want := range []bool{true, false} {
		if claimed, err := store.ClaimMessage(ctx, "CAF=abc@mail.gmail.com"); err != nil || claimed != want {
			t.Fatalf("claim #%d: %v %v, want %v", i+1, claimed, err, want)
		}
	}
	if err := store.ReleaseMessage(ctx, "CAF=abc@mail.gmail.com"); err != nil {
		t.Fatal(err)
	}
	if claimed, _ := store.ClaimMessage(ctx, "CAF=abc@mail.gmail.com"); !claimed {
		t.Error("a released message could not be claimed again")
	}
}

func TestFactsAreCountedByTeamAndPeriod(t *testing.T) {
	store, _, _ := dynamotest.NewStore(t, stack.DynamoEndpoint, fixedNow)
	solved := care.NewFact(ref, care.FactSolved, "a", t0)
	solved.Team, solved.Tags = "support", []string{"printer"}
	rated := care.NewFact(ref, care.FactRated, "r", t0.Add(8*24*time.Hour))
	rated.Team, rated.Rating = "support", "good"
	if n, err := store.SaveFacts(ctx, []care.Fact{solved, rated, solved}); err != nil || n != 2 {
		t.Fatalf("saved %d, %v", n, err)
	}
	week1, _ := store.TeamFacts(ctx, "support", t0.Add(-time.Hour), t0.Add(7*24*time.Hour))
	week2, _ := store.TeamFacts(ctx, "support", t0.Add(7*24*time.Hour), t0.Add(14*24*time.Hour))
	if len(week1) != 1 || week1[0].Tags[0] != "printer" || len(week2) != 1 || week2[0].Rating != "good" {
		t.Errorf("week 1 %+v, week 2 %+v", week1, week2)
	}
}

// The digest's trends read facts through a projection and a filter: every
// fact of a kind they count, with its kind, rating and tags as stored, in
// the order TeamFacts gives, and no other kind.
func TestTrendFactsAreTheCountedKindsKindRatingAndTags(t *testing.T) {
	store, _, _ := dynamotest.NewStore(t, stack.DynamoEndpoint, fixedNow)
	var fs []care.Fact
	for i, k := range []care.FactKind{care.FactSolved, care.FactResponded, care.FactRated, care.FactFollowUpDue, care.FactReopened, care.FactRated, care.FactSolved} {
		f := care.NewFact(ref, k, strconv.Itoa(i), t0.Add(time.Duration(i)*36*time.Hour))
		f.Team, f.AgentID, f.Waited, f.First, f.Anchor = "support", "42", time.Hour, i == 1, strconv.Itoa(i)
		switch k {
		case care.FactSolved:
			f.Tags = []string{"printer", "tag-" + strconv.Itoa(i)}
		case care.FactRated:
			f.Rating = []string{"good", "bad"}[i%2]
		}
		fs = append(fs, f)
	}
	if _, err := store.SaveFacts(ctx, fs); err != nil {
		t.Fatal(err)
	}
	from, to := t0.Add(-time.Hour), t0.Add(14*24*time.Hour)
	all, err := store.TeamFacts(ctx, "support", from, to)
	if err != nil {
		t.Fatal(err)
	}
	got, err := store.TeamTrendFacts(ctx, "support", from, to)
	if err != nil {
		t.Fatal(err)
	}
	var want []care.Fact
	for _, f := range all {
		if f.Kind == care.FactSolved || f.Kind == care.FactReopened || f.Kind == care.FactRated {
			want = append(want, care.Fact{Kind: f.Kind, Rating: f.Rating, Tags: f.Tags})
		}
	}
	if len(all) != len(fs) || len(want) != 5 || !reflect.DeepEqual(got, want) {
		t.Errorf("trend facts = %+v, want %+v (of %d facts)", got, want, len(all))
	}
	if got, err := store.TeamTrendFacts(ctx, "support", to, to.Add(7*24*time.Hour)); err != nil || got != nil {
		t.Errorf("trend facts of an empty period = %+v, %v", got, err)
	}
}

func TestMembersByEmailAndClimateAnswers(t *testing.T) {
	store, _, _ := dynamotest.NewStore(t, stack.DynamoEndpoint, fixedNow)
	team := care.Team{ID: "support", Members: []care.Member{{Name: "Ana Silva", Email: "Ana.Silva@acme.example"}}}
	if err := store.PutTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	if m, err := store.MemberByEmail(ctx, "ana.silva@ACME.example"); err != nil || m.Name != "Ana Silva" || m.Team != "support" {
		t.Errorf("member by email = %+v, %v", m, err)
	}
	if _, err := store.MemberByEmail(ctx, "nobody@acme.example"); care.ErrorCode(err) != care.ENotFound {
		t.Errorf("unknown address: %v", err)
	}
	a := care.ClimateAnswer{Team: "support", PromptID: "q-1", Who: "ana.silva@acme.example", Question: "Q?", Answer: "A!", At: t0}
	for i, want := range []bool{true, false} {
		if created, err := store.SaveClimateAnswer(ctx, a); err != nil || created != want {
			t.Fatalf("save #%d: %v %v", i+1, created, err)
		}
	}
	if got, _ := store.ClimateAnswers(ctx, "support", t0.Add(-time.Hour), t0.Add(time.Hour)); len(got) != 1 || got[0].Answer != "A!" {
		t.Errorf("answers = %+v", got)
	}
	if got, _ := store.ClimateAnswers(ctx, "support", t0.Add(time.Hour), t0.Add(2*time.Hour)); len(got) != 0 {
		t.Errorf("answers outside the period = %+v", got)
	}
}

func TestATeamsFeedbackAndCadenceAreOneQueryEach(t *testing.T) {
	store, _, _ := dynamotest.NewStore(t, stack.DynamoEndpoint, fixedNow)
	give := func(id, team, agent string, at time.Time) {
		t.Helper()
		f := care.Feedback{ID: id, Team: team, From: "jordan@x.example", AgentEmail: agent, Kind: care.Praise, Words: "Thanks", At: at}
		if _, err := store.SaveFeedback(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	// Saved out of order, across three months, for two teams.
	give("late", "support", "Ana@X.example", t0.Add(-2*time.Hour))
	give("early", "support", "ana@x.example", t0.AddDate(0, -2, 0))
	give("middle", "support", "priya@x.example", t0.AddDate(0, -1, 0))
	give("other-team", "billing", "ana@x.example", t0.Add(-time.Hour))
	give("late", "support", "Ana@X.example", t0.Add(-2*time.Hour)) // a retry stores nothing twice

	tests := []struct {
		name     string
		from, to time.Time
		want     []string
	}{
		{"a window across months lists the team's feedback oldest first", t0.AddDate(0, -3, 0), t0, []string{"early", "middle", "late"}},
		{"the window's start leaves older feedback out", t0.AddDate(0, 0, -40), t0, []string{"middle", "late"}},
		{"the window's end leaves later feedback out", t0.AddDate(0, -3, 0), t0.AddDate(0, 0, -7), []string{"early", "middle"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fb, err := store.TeamFeedback(ctx, "support", tt.from, tt.to)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range fb {
				got = append(got, f.ID)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("feedback %v, want %v", got, tt.want)
			}
		})
	}

	last, err := store.TeamLastFeedback(ctx, "support")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Time{"ana@x.example": t0.Add(-2 * time.Hour), "priya@x.example": t0.AddDate(0, -1, 0)}
	if len(last) != len(want) {
		t.Fatalf("last feedback %v, want %v", last, want)
	}
	for who, at := range want {
		if !last[who].Equal(at) {
			t.Errorf("%s last heard %v, want the latest, %v, whatever the order of saving", who, last[who], at)
		}
	}
}

// Everything the store writes about people carries a TTL of the time it
// happened plus the configured retention; only team configuration stays.
func TestEveryRecordAboutPeopleExpiresAfterTheRetention(t *testing.T) {
	store, db, name := dynamotest.NewStore(t, stack.DynamoEndpoint, fixedNow)
	const day = 24 * time.Hour
	retain := dynamo.Retention{Records: 100 * day, Raw: 10 * day}
	store.WithRetention(retain)

	at := t0.Add(-3 * day) // when things happened, before now (t0)
	d := care.Delivery{Connection: "acme-zendesk", Source: care.Zendesk, DedupeKey: "k1", ReceivedAt: t0, Body: []byte(`{"a":1}`)}
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	_, err := store.PutDelivery(ctx, d)
	must("delivery", err)
	must("dead letter", store.DeadLetter(ctx, d, "poison"))
	must("interaction", store.SaveInteractions(ctx, []care.Interaction{{ID: "zd-1", Ticket: ref, Kind: care.CustomerMessage, At: at, ActorID: "9001", Body: "Broken"}}))
	task := care.NewTask(ref, care.RespondCheck, "zd-1", at.Add(day))
	_, err = store.PutTask(ctx, task)
	must("task", err)
	m := care.NewMoment(ref, care.Respond, care.Praise, "zd-1")
	m.Team, m.At = "support", at
	_, err = store.SaveMoments(ctx, []care.Moment{m})
	must("moment", err)
	f := care.NewFact(ref, care.FactSolved, "a", at)
	f.Team = "support"
	_, err = store.SaveFacts(ctx, []care.Fact{f})
	must("fact", err)
	// Rewritten by late evidence, a moment and a fact still expire.
	late := care.NewMoment(ref, care.Respond, care.Coaching, "zd-2")
	late.Team, late.At = "support", at
	must("updated moment", store.UpdateMoment(ctx, late))
	must("reinstated moment", store.ReinstateMoment(ctx, m))
	corrected := care.NewFact(ref, care.FactResponded, "b", at)
	corrected.Team = "support"
	must("corrected fact", store.PutFacts(ctx, []care.Fact{corrected}))
	_, err = store.PutPrompt(ctx, care.Prompt{ID: "p-1", Team: "support", Recipient: "jordan@acme.example", SentAt: t0, ExpiresAt: t0.Add(30 * day)})
	must("prompt", err)
	_, err = store.SaveFeedback(ctx, care.Feedback{ID: "fb-1", Team: "support", From: "jordan@acme.example", AgentEmail: "ana@acme.example", Kind: care.Praise, Words: "great", At: at})
	must("feedback", err)
	must("skip", store.SkipItem(ctx, "p-1", 2, at))
	_, err = store.ClaimMessage(ctx, "CAF=abc@mail.gmail.com")
	must("claim", err)
	_, err = store.SaveClimateAnswer(ctx, care.ClimateAnswer{Team: "support", PromptID: "p-2", Who: "ana@acme.example", Question: "How was it?", Answer: "Good", At: at})
	must("climate answer", err)
	must("team", store.PutTeam(ctx, care.Team{ID: "support", Connections: []care.Connection{{ID: "acme-zendesk", Kind: care.Zendesk}},
		Members: []care.Member{{Name: "Ana", Email: "ana@acme.example", HelpdeskIDs: map[string]string{"acme-zendesk": "1001"}}}}))

	records, raw := at.Add(retain.Records).Unix(), t0.Add(retain.Raw).Unix()
	want := map[string]int64{ // by item type; 0: no TTL
		"raw": raw, "dead": raw,
		"interaction": records, "moment": records, "fact": records, "feedback": records, "last_feedback": records,
		"skip": records, "climate_answer": records,
		"task":            task.DueAt.Add(retain.Records).Unix(),
		"prompt":          t0.Add(retain.Records).Unix(), // its expiry plus 90 days (120 days) is past the records' 100
		"inbound_message": t0.Add(retain.Records).Unix(), // a year, capped by the records' retention
		"team":            0, "connection": 0, "member": 0,
	}
	seen := map[string]bool{}
	out, err := db.Scan(ctx, &dynamodb.ScanInput{TableName: &name})
	if err != nil {
		t.Fatal(err)
	}
	for _, item := range out.Items {
		typ := item["type"].(*types.AttributeValueMemberS).Value
		seen[typ] = true
		exp, known := want[typ]
		if !known {
			t.Errorf("item type %q: no retention rule in this test; every item about people needs a TTL", typ)
			continue
		}
		var got int64
		if v, ok := item["ttl"].(*types.AttributeValueMemberN); ok {
			got, _ = strconv.ParseInt(v.Value, 10, 64)
		}
		if got != exp {
			t.Errorf("%s item %s: ttl %s, want %s", typ, item["pk"].(*types.AttributeValueMemberS).Value, when(got), when(exp))
		}
	}
	for typ := range want {
		if !seen[typ] {
			t.Errorf("no %s item was written: the test misses a writer", typ)
		}
	}
}

func when(unix int64) string {
	if unix == 0 {
		return "none"
	}
	return time.Unix(unix, 0).UTC().Format(time.DateOnly)
}

func TestRetentionFromDays(t *testing.T) {
	r, err := dynamo.RetentionFromDays("400", "30")
	if err != nil || r.Records != 400*24*time.Hour || r.Raw != 30*24*time.Hour {
		t.Errorf("400, 30: %+v %v", r, err)
	}
	for _, bad := range [][2]string{{"", "30"}, {"29", "30"}, {"400", "0"}, {"1y", "30"}, {"400", "-1"}} {
		if _, err := dynamo.RetentionFromDays(bad[0], bad[1]); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestAReplayedDeadLetterIsRequeuedAndGoesUnlessItFailedAgain(t *testing.T) {
	now := t0
	store, db, name := dynamotest.NewStore(t, stack.DynamoEndpoint, func() time.Time { return now })
	d := care.Delivery{Connection: "acme-zendesk", Source: care.Zendesk, DedupeKey: "k1", ReceivedAt: t0, Body: []byte(`{"a":1}`)}
	if _, err := store.PutDelivery(ctx, d); err != nil {
		t.Fatal(err)
	}
	if err := store.DeadLetter(ctx, d, "a parser bug"); err != nil {
		t.Fatal(err)
	}
	dls, _ := store.DeadLetters(ctx, "acme-zendesk")
	if err := store.Requeue(ctx, d); err != nil {
		t.Fatal(err)
	}
	if got, ok := dynamotest.Delivery(t, db, name, "acme-zendesk", "k1"); !ok || string(got.Body) != `{"a":1}` {
		t.Errorf("requeued delivery %+v (stored: %v), want it stored again", got, ok)
	}

	// It failed again before the old record was removed: the new reason stays.
	now = t0.Add(time.Minute)
	if err := store.DeadLetter(ctx, d, "still broken"); err != nil {
		t.Fatal(err)
	}
	if deleted, err := store.DeleteDeadLetter(ctx, dls[0]); err != nil || deleted {
		t.Errorf("deleting the old record over a new failure: deleted=%v err=%v, want kept", deleted, err)
	}
	again, _ := store.DeadLetters(ctx, "acme-zendesk")
	if len(again) != 1 || again[0].Reason != "still broken" {
		t.Fatalf("dead letters %+v, want the new failure", again)
	}
	if deleted, err := store.DeleteDeadLetter(ctx, again[0]); err != nil || !deleted {
		t.Errorf("deleting the current record: deleted=%v err=%v", deleted, err)
	}
	if left, _ := store.DeadLetters(ctx, "acme-zendesk"); len(left) != 0 {
		t.Errorf("dead letters left: %+v", left)
	}
	in := func(from, to time.Time) int {
		got, err := store.DeadLettersReceived(ctx, "acme-zendesk", from, to)
		if err != nil {
			t.Fatal(err)
		}
		return len(got)
	}
	_ = store.DeadLetter(ctx, d, "again")
	if in(t0, t0.Add(time.Second)) != 1 || in(t0.Add(time.Second), t0.Add(time.Hour)) != 0 {
		t.Error("dead letters are not listed by when their delivery was received")
	}
}
