package devserver_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/teamconfig"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/devserver"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
	"github.com/carecoach/carecoach/shared/dev/localsched"
	"github.com/carecoach/carecoach/shared/dev/zendeskapitest"
)

type oneToken string

func (t oneToken) Get(context.Context, string) (care.Secret, error) { return care.Secret(t), nil }

func TestTheDevServerBackfillsAConnectionOnRequest(t *testing.T) {
	at := start.Add(-2 * time.Hour)
	api := zendeskapitest.New(t, []zendeskapitest.Event{
		{"id": 1, "ticket_id": 7001, "timestamp": at.Unix(), "created_at": at.UTC().Format(time.RFC3339), "updater_id": 9, "event_type": "Audit",
			"child_events": []any{
				map[string]any{"id": 11, "event_type": "Create", "field_name": "requester_id", "value": "9"},
				map[string]any{"id": 12, "event_type": "Create", "field_name": "status", "value": "new"},
				map[string]any{"id": 555, "event_type": "Comment", "body": "Nothing works.", "public": true, "author_id": 9},
			}},
	}, map[string]string{"9": "end-user"})
	team, err := teamconfig.Load("../../../infra/dev/team.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range team.Connections {
		if c.ID == "acme-zendesk" {
			team.Connections[i].BaseURL = api.URL
			team.Connections[i].API = &care.ConnectionAPI{Email: api.Email, TokenParam: "/carecoach/dev/helpdesk-tokens/acme-zendesk"}
		}
	}
	_, table := dynamotest.NewTable(t, stack.DynamoEndpoint)
	srv, err := devserver.Start(ctx, devserver.Config{
		Addr: "127.0.0.1:0", DynamoEndpoint: stack.DynamoEndpoint, SESEndpoint: stack.SESEndpoint,
		AWS: dynamotest.LocalConfig(), Table: table, Teams: []care.Team{team}, Secret: secret,
		MailFrom: "carecoach <carecoach@acme-support.example>", Clock: localsched.FixedClock(start),
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), HelpdeskTokens: oneToken(api.Token),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })

	var rep struct {
		Connections []struct {
			Connection string `json:"connection"`
			New        int    `json:"new"`
			Done       bool   `json:"done"`
		} `json:"connections"`
	}
	if code := postJSON(t, srv.URL+"/dev/reconcile?connection=acme-zendesk&since="+at.Add(-time.Hour).UTC().Format(time.RFC3339), &rep); code != http.StatusOK {
		t.Fatalf("POST /dev/reconcile: %d %+v", code, rep)
	}
	if len(rep.Connections) != 1 || rep.Connections[0].New != 2 || !rep.Connections[0].Done {
		t.Errorf("report %+v, want the ticket's creation and message imported", rep)
	}
	ref := care.TicketRef{Connection: "acme-zendesk", TicketID: "7001"}
	rec, err := srv.Store.LoadTicket(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if state := care.Fold(ref, rec.Timeline); state.AwaitingSince.IsZero() {
		t.Errorf("the imported customer message is not waiting for an answer: %+v", state)
	}
	var bad map[string]any
	if code := postJSON(t, srv.URL+"/dev/reconcile?since=yesterday", &bad); code != http.StatusBadRequest {
		t.Errorf("a since that is not a time: %d, want 400", code)
	}
	if devserver.EnvTokenName("/carecoach/dev/helpdesk-tokens/acme-zendesk") != "CARECOACH_TOKEN_ACME_ZENDESK" {
		t.Errorf("EnvTokenName = %s", devserver.EnvTokenName("/carecoach/dev/helpdesk-tokens/acme-zendesk"))
	}
}
