package sesmail_test

import (
	"context"
	"os"
	"slices"
	"testing"

	"github.com/carecoach/carecoach/shared/adapters/sesmail"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
	"github.com/carecoach/carecoach/shared/dev/emulators"
)

var stack *emulators.Stack

func TestMain(m *testing.M) { os.Exit(emulators.RunTests(m, &stack)) }

func TestAnEmailArrivesAsComposed(t *testing.T) {
	ctx := context.Background()
	s := sesmail.New(sesmail.NewClient(dynamotest.LocalConfig(), stack.SESEndpoint), "carecoach <carecoach@acme.example>", "")
	e := care.Email{
		To:      []string{"ana@acme.example"},
		ReplyTo: []string{"reply+abc@in.acme.example"},
		Subject: "Ticket #5158 is waiting — Grüße <&>",
		Text:    "plain body",
		HTML:    "<p>html body</p>",
		Tags:    map[string]string{"kind": "respond_reminder", "connection": "acme.zendesk"},
	}
	id, err := s.Send(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	sent, err := stack.SentEmails(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got *emulators.SentEmail
	for i := range sent {
		if sent[i].MessageID == id {
			got = &sent[i]
		}
	}
	if got == nil {
		t.Fatalf("message %s not in the SES store (%d messages)", id, len(sent))
	}
	if got.Subject != e.Subject || got.Text != e.Text || got.HTML != e.HTML {
		t.Errorf("content changed: %+v", got)
	}
	if len(got.To) != 1 || got.To[0] != "ana@acme.example" || len(got.ReplyTo) != 1 || got.ReplyTo[0] != "reply+abc@in.acme.example" {
		t.Errorf("addressing changed: to=%v replyTo=%v", got.To, got.ReplyTo)
	}
	if got.From != "carecoach <carecoach@acme.example>" {
		t.Errorf("from = %q", got.From)
	}
	want := []emulators.EmailHeader{{Name: "Auto-Submitted", Value: "auto-generated"}, {Name: "X-Auto-Response-Suppress", Value: "OOF, AutoReply"}}
	if !slices.Equal(got.Headers, want) {
		t.Errorf("headers = %+v, want %+v: auto-responders must be told not to answer", got.Headers, want)
	}
}

func TestAnEmailWithoutRecipientIsRefused(t *testing.T) {
	s := sesmail.New(sesmail.NewClient(dynamotest.LocalConfig(), stack.SESEndpoint), "carecoach@acme.example", "")
	if _, err := s.Send(context.Background(), care.Email{Subject: "x"}); err == nil {
		t.Error("sent an email with no recipient")
	}
}
