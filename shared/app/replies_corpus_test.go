package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/adapters/mimemail"
	"github.com/carecoach/carecoach/shared/adapters/sesmail"
	"github.com/carecoach/carecoach/shared/adapters/teamconfig"
	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/replytoken"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
	"github.com/carecoach/carecoach/shared/dev/emulators"
	"github.com/carecoach/carecoach/shared/wire"
)

// The reply corpus (events/replies) answers one digest: these are its
// prompt, token key and reply domain, and the time the replies arrive.
var (
	corpusKey    = care.Secret("corpus-reply-token-key-0123456789abcdef")
	corpusDomain = "reply.acme-support.example"
	corpusSent   = time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	corpusNow    = time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
)

func corpusPrompt() care.Prompt {
	moment := func(conn, ticket string, b care.Behaviour, k care.MomentKind, id, agent, what, subject string, at time.Time) care.Moment {
		m := care.NewMoment(care.TicketRef{Connection: conn, TicketID: ticket}, b, k, id)
		m.Team, m.AgentID, m.At, m.What, m.Subject = "support", agent, at, what, subject
		return m
	}
	return care.Prompt{ID: "d-3f9c2a7e5b1d4c60", Team: "support", Kind: care.DigestPrompt, Recipient: jordan, SentAt: corpusSent, ExpiresAt: corpusSent.Add(app.ReplyValidity),
		Items: []care.PromptItem{
			{N: 1, AgentEmail: ana, AgentName: "Ana Silva", TicketURL: "https://acme.zendesk.com/agent/tickets/5158",
				Moment: moment("acme-zendesk", "5158", care.Respond, care.Praise, "zd-5158-1", "1001", "Answered Maria Lopez 20 minutes after she wrote, before her office opened.", "Printer offline after <firmware> update", time.Date(2026, 11, 24, 8, 20, 0, 0, time.UTC))},
			{N: 2, AgentEmail: ana, AgentName: "Ana Silva", TicketURL: "https://acme.zendesk.com/agent/tickets/5158",
				Moment: moment("acme-zendesk", "5158", care.Commitment, care.Praise, "zd-5158-2", "1001", "Promised Maria Lopez a fix by Thursday 17:00 and delivered it at 15:30.", "Printer offline after <firmware> update", time.Date(2026, 11, 26, 15, 30, 0, 0, time.UTC))},
			{N: 3, AgentEmail: "priya@acme-support.example", AgentName: "Priya Natarajan", TicketURL: "https://acme.freshdesk.com/a/tickets/42",
				Moment: moment("acme-freshdesk", "42", care.FollowUpDone, care.Coaching, "fd-42-1", "priya@acme-support.example", "Did not follow up with Tom Becker 7 days after solving; he wrote again asking where his refund is.", "Refund not received for order #8812", time.Date(2026, 11, 27, 11, 5, 0, 0, time.UTC))},
		}}
}

// corpusWant is a message's expected file: what the manager meant.
type corpusWant struct {
	Client   string          `json:"client"`
	Shape    string          `json:"shape"`
	Accept   bool            `json:"accept"`
	Refuse   string          `json:"refuse"` // "machine" or "forward" when not accepted
	Answered bool            `json:"answered"`
	Commands []corpusCommand `json:"commands"`
	Problems int             `json:"problems"`
}

type corpusCommand struct {
	Item   int    `json:"item"`
	Words  string `json:"words,omitempty"`
	Share  bool   `json:"share,omitempty"`
	Reward string `json:"reward,omitempty"`
	Skip   bool   `json:"skip,omitempty"`
}

// refusals maps an expected file's refuse to the Outcome reason's prefix.
var refusals = map[string]string{"machine": "machine mail: ", "forward": "forwarded: ", "unreadable": "unreadable: "}

// corpusCase is one message of the corpus, read from events/replies.
type corpusCase struct {
	name string
	raw  []byte
	want corpusWant
}

func readCorpus(tb testing.TB) []corpusCase {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "events", "replies", "*.eml"))
	if err != nil {
		tb.Fatal(err)
	}
	var out []corpusCase
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		j, err := os.ReadFile(strings.TrimSuffix(f, ".eml") + ".json")
		if err != nil {
			tb.Fatalf("%s has no expected file: %v", f, err)
		}
		c := corpusCase{name: strings.TrimSuffix(filepath.Base(f), ".eml"), raw: raw}
		dec := json.NewDecoder(bytes.NewReader(j))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c.want); err != nil {
			tb.Fatalf("%s.json: %v", c.name, err)
		}
		if !c.want.Accept && refusals[c.want.Refuse] == "" {
			tb.Fatalf("%s.json: refuse %q is none of machine, forward, unreadable", c.name, c.want.Refuse)
		}
		out = append(out, c)
	}
	return out
}

// TestTheReplyCorpus sends every message of events/replies, as SES stores
// it, through the real inbound service (DynamoDB Local, the SES emulator)
// and checks the outcome, each stored command and every email sent against
// the message's expected file. It logs a line per message and the totals,
// and writes them to build/artifacts/reply-corpus.txt.
func TestTheReplyCorpus(t *testing.T) {
	cases := readCorpus(t)
	accepted, refused := 0, 0
	for _, c := range cases {
		if c.want.Accept {
			accepted++
		} else {
			refused++
		}
	}
	if accepted < 40 || refused < 10 {
		t.Fatalf("the corpus has %d replies to accept and %d to refuse; it needs at least 40 and 10", accepted, refused)
	}
	team, err := teamconfig.Load("../../infra/dev/team.yaml")
	if err != nil {
		t.Fatal(err)
	}
	prompt := corpusPrompt()
	token, err := replytoken.Sign(corpusKey, prompt.ID, prompt.Recipient, prompt.ExpiresAt)
	if err != nil {
		t.Fatal(err)
	}
	replyAddr := replytoken.Address(token, corpusDomain)

	var report strings.Builder
	passed := 0
	for _, c := range cases {
		ok := t.Run(c.name, func(t *testing.T) {
			if !bytes.Contains(bytes.ToLower(c.raw), []byte(replyAddr)) {
				t.Fatalf("the message is not addressed to the corpus digest's reply address %s", replyAddr)
			}
			store, db, table := dynamotest.NewStore(t, stack.DynamoEndpoint, func() time.Time { return corpusNow })
			if err := store.PutTeam(ctx, team); err != nil {
				t.Fatal(err)
			}
			if _, err := store.PutPrompt(ctx, prompt); err != nil {
				t.Fatal(err)
			}
			if err := stack.ClearEmails(ctx); err != nil {
				t.Fatal(err)
			}
			var logs bytes.Buffer
			in, err := wire.Inbound(wire.Base{Now: func() time.Time { return corpusNow }, Log: slog.New(slog.NewJSONHandler(&logs, nil))}, store, wire.Mail{
				Mailer: sesmail.New(sesmail.NewClient(dynamotest.LocalConfig(), stack.SESEndpoint), "carecoach <carecoach@acme-support.example>", ""),
				From:   "carecoach <carecoach@acme-support.example>", Keys: corpusKey, ReplyDomain: corpusDomain,
			}, mimemail.ReadInbound)
			if err != nil {
				t.Fatal(err)
			}
			o, err := in.Receive(ctx, bytes.NewReader(c.raw), passing)
			if err != nil {
				t.Fatalf("Receive: %v", err)
			}
			if o.Accepted != c.want.Accept {
				t.Errorf("accepted = %v (reason %q), want %v", o.Accepted, o.Reason, c.want.Accept)
			}
			if !c.want.Accept && !strings.HasPrefix(o.Reason, refusals[c.want.Refuse]) {
				t.Errorf("refused because %q, want a %s refusal", o.Reason, c.want.Refuse)
			}
			if o.Problems != c.want.Problems {
				t.Errorf("%d lines not understood, want %d", o.Problems, c.want.Problems)
			}
			got := corpusCommands(t, store, db, table, prompt, o)
			if !slices.Equal(got, c.want.Commands) {
				t.Errorf("commands\n got %s\nwant %s", jsonOf(got), jsonOf(c.want.Commands))
			}
			for _, cmd := range got {
				if w := quotedOrSigned(cmd.Words + "\n" + cmd.Reward); w != "" {
					t.Errorf("item %d's words hold %q, quoted or signature text", cmd.Item, w)
				}
			}
			sent, err := stack.SentEmails(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if answered := len(sentToAddr(sent, jordan)) > 0; answered != c.want.Answered || o.Answered != c.want.Answered {
				t.Errorf("answered = %v (outcome %v), want %v", answered, o.Answered, c.want.Answered)
			}
			if !c.want.Accept && len(sent) > len(sentToAddr(sent, jordan)) {
				t.Errorf("a refused message sent email to someone other than its sender: %d emails", len(sent))
			}
			if c.want.Refuse == "machine" && len(sent) > 0 {
				t.Errorf("machine mail was answered: %d emails (a mail loop)", len(sent))
			}
		})
		verdict := "ok  "
		if ok {
			passed++
		} else {
			verdict = "FAIL"
		}
		outcome := "accept"
		if !c.want.Accept {
			outcome = "refuse (" + c.want.Refuse + ")"
		}
		fmt.Fprintf(&report, "%s %-45s %-18s %d commands  %s\n", verdict, c.name, outcome, len(c.want.Commands), c.want.Client)
	}
	fmt.Fprintf(&report, "\n%d of %d messages right: %d to accept, %d to refuse\n", passed, len(cases), accepted, refused)
	t.Log("\n" + report.String())
	if err := os.MkdirAll("../../build/artifacts", 0o755); err == nil {
		_ = os.WriteFile("../../build/artifacts/reply-corpus.txt", []byte(report.String()), 0o644)
	}
}

// corpusCommands reads back what one message recorded: the feedback of the
// prompt's agents for this message, and the prompt's skipped items.
func corpusCommands(t *testing.T, store *dynamo.Store, db *dynamodb.Client, table string, p care.Prompt, o app.Outcome) []corpusCommand {
	t.Helper()
	byItem := map[int]corpusCommand{}
	seen := map[string]bool{}
	for _, it := range p.Items {
		if seen[it.AgentEmail] {
			continue
		}
		seen[it.AgentEmail] = true
		for _, f := range dynamotest.MemberFeedback(t, store, p.Team, it.AgentEmail, corpusNow) {
			n := slices.IndexFunc(p.Items, func(i care.PromptItem) bool { return i.Moment.ID == f.MomentID }) + 1
			byItem[n] = corpusCommand{Item: n, Words: f.Words, Share: f.Shared, Reward: f.Reward}
		}
	}
	skips, err := db.Query(ctx, &dynamodb.QueryInput{
		TableName:              aws.String(table),
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :skip)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: "PROMPT#" + p.ID}, ":skip": &types.AttributeValueMemberS{Value: "SKIP#"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, item := range skips.Items {
		var n int
		fmt.Sscanf(item["sk"].(*types.AttributeValueMemberS).Value, "SKIP#%d", &n)
		byItem[n] = corpusCommand{Item: n, Skip: true}
	}
	if len(byItem) != o.Recorded+len(skips.Items) {
		t.Errorf("%d records read back, but the outcome says %d recorded and %d skipped", len(byItem), o.Recorded, len(skips.Items))
	}
	var out []corpusCommand
	for n := 1; n <= len(p.Items); n++ {
		if c, ok := byItem[n]; ok {
			out = append(out, c)
		}
	}
	return out
}

// quotedOrSigned returns a piece of stored text that came from the quoted
// digest or a signature, or "".
func quotedOrSigned(s string) string {
	for _, bad := range []string{
		mimemail.ReplyMarker, "wrote:", "schrieb", "a écrit", "escribió", "escreveu", "From:", "Sent:", "Von:", "Gesendet:",
		"Answered Maria Lopez", "You could say", "How to reply", "Example: 1 share", "Praise : coaching",
		"Jordan Reyes", "Team Lead", "+44", "Sent from my", "Get Outlook", "Acme Support Ltd",
	} {
		if strings.Contains(s, bad) {
			return bad
		}
	}
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), ">") {
			return line
		}
	}
	return ""
}

func sentToAddr(sent []emulators.SentEmail, addr string) []emulators.SentEmail {
	var out []emulators.SentEmail
	for _, e := range sent {
		for _, to := range e.To {
			if strings.Contains(strings.ToLower(to), addr) {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
