package wire_test

import (
	"context"
	"io"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/carecoach/carecoach/shared/adapters/apihistory"
	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/adapters/mimemail"
	"github.com/carecoach/carecoach/shared/adapters/sesmail"
	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/wire"
)

type secrets struct{}

func (secrets) WebhookSecret(context.Context, string) (care.Secret, error) { return nil, nil }
func (secrets) Get(context.Context, string) (care.Secret, error)           { return nil, nil }

type scheduler struct{}

func (scheduler) Schedule(context.Context, care.Task) error { return nil }
func (scheduler) Cancel(context.Context, care.Task) error   { return nil }

// Nothing here reaches AWS: the services are built, not run.
func parts() (wire.Base, *dynamo.Store, wire.Mail, apihistory.Opener) {
	cfg := aws.Config{Region: "us-east-1"}
	store := dynamo.New(dynamo.NewClient(cfg, "http://127.0.0.1:1"), "table", time.Now)
	mail := wire.Mail{Mailer: sesmail.New(sesmail.NewClient(cfg, "http://127.0.0.1:1"), "carecoach@acme.example", ""),
		From: "carecoach@acme.example", Keys: care.Secret("0123456789abcdef0123456789abcdef"), ReplyDomain: "reply.acme.example", SendRate: 14}
	return wire.Base{Now: time.Now, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, store, mail, apihistory.Opener{Tokens: secrets{}, Path: "/carecoach/test/"}
}

// unset names the fields of a built service left at their zero value,
// but for the ones that are optional by design.
func unset(v any, optional ...string) []string {
	rv := reflect.ValueOf(v).Elem()
	var out []string
	for i := range rv.NumField() {
		f := rv.Type().Field(i)
		if f.IsExported() && rv.Field(i).IsZero() && !contains(optional, f.Name) {
			out = append(out, f.Name)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Every port of every service is set: a port added to a service and not
// to its constructor fails here, not as a nil panic on the first event.
func TestEveryServiceIsBuiltWhole(t *testing.T) {
	base, store, mail, tokens := parts()
	must := func(v any, err error) any {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	process := must(wire.Process(base, store, scheduler{}, tokens)).(*app.Process)
	services := map[string]struct {
		svc      any
		optional []string
	}{
		"ingest":     {must(wire.Ingest(base, store, secrets{})), nil},
		"process":    {process, nil},
		"reconcile":  {must(wire.Reconcile(base, store, process, tokens)), []string{"MaxPages"}},
		"fire":       {must(wire.Fire(base, store, mail)), nil},
		"digests":    {must(wire.Digests(base, store, mail, "https://api.acme.example/dashboard")), nil},
		"climate":    {must(wire.Climate(base, store, mail)), nil},
		"checkbacks": {must(wire.CheckBacks(base, store, mail)), nil},
		"upward":     {must(wire.Upward(base, store, mail)), nil},
		"briefs":     {must(wire.Briefs(base, store, mail)), nil},
		"inbound":    {must(wire.Inbound(base, store, mail, mimemail.ReadInbound)), nil},
		"dashboards": {must(wire.Dashboards(base, store, mail.Keys)), nil},
	}
	for name, s := range services {
		if missing := unset(s.svc, s.optional...); len(missing) > 0 {
			t.Errorf("%s is built without %v", name, missing)
		}
	}
	ingest := services["ingest"].svc.(*app.Ingest)
	if _, ok := ingest.Connections.(*app.CachedConnections); !ok {
		t.Errorf("ingest reads connections through %T, not the cache", ingest.Connections)
	}
	for _, m := range []app.Mailer{services["fire"].svc.(*app.Fire).Mailer, services["digests"].svc.(*app.Digests).Mailer,
		services["climate"].svc.(*app.Climate).Mailer, services["checkbacks"].svc.(*app.CheckBacks).Mailer, services["briefs"].svc.(*app.Briefs).Mailer, services["upward"].svc.(*app.Upward).Mailer, services["inbound"].svc.(*app.Inbound).Mailer} {
		if _, ok := m.(app.CountingMailer); !ok {
			t.Errorf("a service mails through %T, not the counting mailer", m)
		}
	}
	if got := len(wire.Helpdesks()); got != 2 || wire.Helpdesks()[care.Zendesk] == nil || wire.Helpdesks()[care.Freshdesk] == nil {
		t.Errorf("help desks: %v", wire.Helpdesks())
	}
}

// A missing port is an error at start-up that names it, a nil pointer
// (a store that was never built) included.
func TestAMissingPortIsAnErrorNamingIt(t *testing.T) {
	base, store, mail, tokens := parts()
	var never *dynamo.Store
	noMailer := mail
	noMailer.Mailer = nil
	tests := []struct {
		name string
		err  func() error
		want string
	}{
		{"ingest without a store", func() error { _, err := wire.Ingest(base, nil, secrets{}); return err }, "wire ingest: missing store"},
		{"ingest with a store never built", func() error { _, err := wire.Ingest(base, never, secrets{}); return err }, "wire ingest: missing store"},
		{"process without tokens or a clock", func() error {
			_, err := wire.Process(wire.Base{Log: base.Log}, store, scheduler{}, apihistory.Opener{})
			return err
		}, "wire process: missing clock, tokens"},
		{"reconcile without process", func() error { _, err := wire.Reconcile(base, store, nil, tokens); return err }, "wire reconcile: missing process"},
		{"fire without a mailer", func() error { _, err := wire.Fire(base, store, noMailer); return err }, "wire fire: missing mailer"},
		{"inbound without a reader or a log", func() error {
			_, err := wire.Inbound(wire.Base{Now: time.Now}, store, mail, nil)
			return err
		}, "wire inbound: missing log, mail reader"},
		{"inbound without a reply domain", func() error {
			m := mail
			m.ReplyDomain = ""
			_, err := wire.Inbound(base, store, m, mimemail.ReadInbound)
			return err
		}, "reply domain"},
		{"dashboards without keys", func() error { _, err := wire.Dashboards(base, store, nil); return err }, "wire dashboards: missing token keys"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.err()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
