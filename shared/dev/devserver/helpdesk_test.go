package devserver_test

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/teamconfig"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/devserver"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
	"github.com/carecoach/carecoach/shared/dev/localsched"
)

// startServerWith starts the dev server with the demo team, changed.
func startServerWith(t *testing.T, change func(*care.Team)) *devserver.Server {
	t.Helper()
	team, err := teamconfig.Load("../../../infra/dev/team.yaml")
	if err != nil {
		t.Fatal(err)
	}
	change(&team)
	if err := team.Validate(); err != nil {
		t.Fatal(err)
	}
	_, table := dynamotest.NewTable(t, stack.DynamoEndpoint)
	srv, err := devserver.Start(ctx, devserver.Config{
		Addr: "127.0.0.1:0", DynamoEndpoint: stack.DynamoEndpoint, SESEndpoint: stack.SESEndpoint,
		AWS: dynamotest.LocalConfig(), Table: table, Teams: []care.Team{team}, Secret: secret,
		MailFrom: "carecoach <carecoach@acme-support.example>", Clock: localsched.FixedClock(time.Date(2026, 12, 3, 14, 30, 0, 0, time.UTC)),
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), ReplyDomain: "reply.acme-support.example", TokenKey: care.Secret("test-reply-token-key-0123456789"),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	if err := stack.ClearEmails(ctx); err != nil {
		t.Fatal(err)
	}
	return srv
}

func postFreshdesk(t *testing.T, srv *devserver.Server, sample string) {
	t.Helper()
	resp, err := devserver.Deliver(ctx, srv.URL, care.Freshdesk, "acme-freshdesk", secret, sampleBody(t, sample), srv.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("%s refused with %d", sample, resp.StatusCode)
	}
	if err := srv.Idle(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestAFreshdeskDateWithoutAnOffsetIsReadInTheConnectionsTimeZone(t *testing.T) {
	ticket43 := care.TicketRef{Connection: "acme-freshdesk", TicketID: "43"}
	t.Run("a connection in India reads IST as India's", func(t *testing.T) {
		srv := startServerWith(t, func(team *care.Team) { team.Connections[1].TimeZone = "Asia/Kolkata" })
		postFreshdesk(t, srv, "freshdesk-due-date-changed-account-format")
		rec, err := srv.Store.LoadTicket(ctx, ticket43)
		if err != nil {
			t.Fatal(err)
		}
		state := care.Fold(ticket43, rec.Timeline)
		if want := time.Date(2026, 12, 4, 14, 30, 0, 0, time.UTC); !state.DueAt.Equal(want) || !state.UpdatedAt.Equal(time.Date(2026, 12, 3, 14, 25, 0, 0, time.UTC)) {
			t.Errorf("due %s, updated %s; want the due date and the event time read in Asia/Kolkata", state.DueAt, state.UpdatedAt)
		}
	})
	t.Run("a connection in London does not guess what IST means, and keeps the rest", func(t *testing.T) {
		srv := startServerWith(t, func(*care.Team) {})
		postFreshdesk(t, srv, "freshdesk-due-date-changed-account-format")
		rec, err := srv.Store.LoadTicket(ctx, ticket43)
		if err != nil {
			t.Fatal(err)
		}
		state := care.Fold(ticket43, rec.Timeline)
		if len(rec.Timeline) != 1 || rec.Timeline[0].Kind != care.ChangeUnread || !state.DueAt.IsZero() || state.Subject == "" {
			t.Errorf("timeline %+v, state %+v: want a partial event, no due date, the snapshot kept", rec.Timeline, state)
		}
		if dls, _ := srv.DeadLetters(ctx); len(dls) != 0 {
			t.Errorf("dead letters %+v, want none", dls)
		}
	})
}

func TestAReminderQuotesTheCustomersWordsNotTheirEmailsHistory(t *testing.T) {
	srv, _ := startServer(t)
	post(t, srv, sampleBody(t, "zendesk-ticket-comment-added-customer-email-reply")) // Maria writes by email at 16:45
	advance(t, srv, 32*time.Hour)
	var reminder string
	for _, e := range emailsTo(t, agentEmail) {
		if strings.Contains(e.Subject, "waiting for your answer") {
			reminder = e.Text + e.HTML
		}
	}
	if !strings.Contains(reminder, "It worked for an hour, then went offline again.") {
		t.Fatalf("the reminder does not quote Maria's words:\n%s", reminder)
	}
	for _, history := range []string{"switch the printer off", "Sent from my iPhone", "Ana Silva <support@acme.zendesk.com>"} {
		if strings.Contains(reminder, history) {
			t.Errorf("the reminder quotes %q, which Maria did not write in this message", history)
		}
	}
}
