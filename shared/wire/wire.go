// Package wire builds the application services from their adapters, the
// one way: the Lambda mains, the dev server, the bench and the tests call
// these constructors, so what runs locally is what runs on Lambda (the
// connection cache, the counting mailer, survey comments, the help desks).
//
// A constructor takes every port its service needs as an argument, so a
// forgotten one does not compile, and refuses a nil one with an error
// naming it, at start-up rather than as a nil panic on the first event.
// The caller builds the adapters that differ between AWS and the dev
// server (the table's store, SES or the local one, EventBridge Scheduler or
// the local scheduler, SSM or local secrets). Every function links this
// package, so it imports only the light adapters that every caller shares
// (the help desks' parsers and API readers); heavy ones, such as the MIME
// reader only inbound needs, are passed in.
package wire

import (
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/apihistory"
	"github.com/carecoach/carecoach/shared/adapters/freshdesk"
	"github.com/carecoach/carecoach/shared/adapters/freshdeskapi"
	"github.com/carecoach/carecoach/shared/adapters/helpdeskapi"
	"github.com/carecoach/carecoach/shared/adapters/zendesk"
	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
)

// Base is what every service takes: its clock (time.Now on Lambda, the dev
// clock locally) and its log.
type Base struct {
	Now func() time.Time
	Log *slog.Logger
}

// Mail is what every service that emails shares: the mailer (SES, or the
// local SES), carecoach's From address, and how replies come back.
type Mail struct {
	Mailer app.Mailer
	// From is carecoach's own address; inbound takes a reply-all that
	// copies it for a reply.
	From string
	// Keys sign reply tokens (and, derived, dashboard links).
	Keys app.TokenKeys
	// ReplyDomain is the domain of reply+<token>@ addresses.
	ReplyDomain string
	// SendRate is the SES account's maximum send rate, emails a second,
	// that the digests sent side by side keep to; 0: not paced.
	SendRate float64
}

// Helpdesks is the one map of help desk adapters, by kind. A new help
// desk is added here.
func Helpdesks() map[care.Source]app.Helpdesk {
	return map[care.Source]app.Helpdesk{care.Zendesk: zendesk.Helpdesk{}, care.Freshdesk: freshdesk.Helpdesk{}}
}

// IngestStore is what ingest keeps: deliveries, and the connections it
// checks them against.
type IngestStore interface {
	app.Connections
	app.DeliveryStore
}

// Ingest is the webhook service. It reads connections through a cache
// (app.ConnectionTTL), so a webhook is one write, not a read and a write.
func Ingest(b Base, store IngestStore, secrets app.Secrets) (*app.Ingest, error) {
	if err := required("ingest", b, "store", store, "secrets", secrets); err != nil {
		return nil, err
	}
	return &app.Ingest{
		Helpdesks:   Helpdesks(),
		Connections: &app.CachedConnections{Next: store, TTL: app.ConnectionTTL, Now: b.Now},
		Secrets:     secrets,
		Deliveries:  store,
		Now:         b.Now,
		Log:         b.Log,
	}, nil
}

// ProcessStore is what process reads and writes: tickets and their tasks,
// dead letters, connections and teams (for each team's playbook).
type ProcessStore interface {
	app.TicketStore
	app.DeadLetters
	app.Connections
	app.Teams
}

// Process is the stream service. tokens reads a connection's help desk API
// token (from SSM under its Path on AWS) for the comment of a Freshdesk
// rating, which webhooks cannot carry.
func Process(b Base, store ProcessStore, scheduler app.Scheduler, tokens apihistory.Opener) (*app.Process, error) {
	if err := required("process", b, "store", store, "scheduler", scheduler, "tokens", tokens.Tokens); err != nil {
		return nil, err
	}
	return &app.Process{
		Helpdesks:      Helpdesks(),
		Tickets:        store,
		DeadLetters:    store,
		Scheduler:      scheduler,
		Playbooks:      app.TeamPlaybooks{Connections: store, Teams: store},
		SurveyComments: freshdeskapi.Comments{Token: tokens.Token},
		Connections:    store,
		Now:            b.Now,
		Log:            b.Log,
	}, nil
}

// ReconcileStore is what reconcile reads and writes besides what process
// does: the connections, their cursors and the tickets' timelines.
type ReconcileStore interface {
	app.Connections
	app.Cursors
	app.TicketStore
}

// Reconcile reads each connection's help desk API (with tokens) and feeds
// what the webhooks missed through process.
func Reconcile(b Base, store ReconcileStore, process *app.Process, tokens apihistory.Opener) (*app.Reconcile, error) {
	if err := required("reconcile", b, "store", store, "process", process, "tokens", tokens.Tokens); err != nil {
		return nil, err
	}
	return &app.Reconcile{
		Connections: store,
		Histories:   tokens,
		Cursors:     store,
		Tickets:     store,
		Process:     process,
		RateLimited: helpdeskapi.RateLimited,
		Now:         b.Now,
		Log:         b.Log,
	}, nil
}

// FireStore is what fire reads and writes: the task, its ticket, the
// connection and the team's directory.
type FireStore interface {
	app.TaskStore
	app.Connections
	app.Directory
}

// Fire runs a task when it comes due.
func Fire(b Base, store FireStore, mail Mail) (*app.Fire, error) {
	if err := required("fire", b, "store", store, "mailer", mail.Mailer, "reply token keys", mail.Keys); err != nil {
		return nil, err
	}
	return &app.Fire{Tasks: store, Connections: store, Directory: store, Mailer: mail.mailer(), Replies: mail.replies(), Now: b.Now, Log: b.Log}, nil
}

// DigestStore is what the weekly digest reads.
type DigestStore interface {
	app.DigestStore
	app.Directory
}

// Digests sends each manager's weekly digest, linking to the team's
// dashboard under dashboardURL ("" for no link).
func Digests(b Base, store DigestStore, mail Mail, dashboardURL string) (*app.Digests, error) {
	if err := required("digests", b, "store", store, "mailer", mail.Mailer, "reply token keys", mail.Keys); err != nil {
		return nil, err
	}
	return &app.Digests{
		Store: store, Directory: store, Mailer: mail.mailer(), Replies: mail.replies(),
		Dashboard: DashboardLinks(mail.Keys, dashboardURL), SendRate: mail.SendRate,
		Now: b.Now, Log: b.Log,
	}, nil
}

// DashboardLinks signs links to a team's dashboard under baseURL ("" for
// none) with the reply token keys (dashtoken derives its own key).
func DashboardLinks(keys app.TokenKeys, baseURL string) app.DashboardLinks {
	return app.DashboardLinks{Key: keys, BaseURL: baseURL, Valid: app.DashboardValidity}
}

// ClimateStore is what the weekly climate question needs.
type ClimateStore interface {
	app.PromptStore
	app.Directory
}

// Climate asks each agent the week's climate question.
func Climate(b Base, store ClimateStore, mail Mail) (*app.Climate, error) {
	if err := required("climate", b, "store", store, "mailer", mail.Mailer, "reply token keys", mail.Keys); err != nil {
		return nil, err
	}
	return &app.Climate{Store: store, Directory: store, Mailer: mail.mailer(), Replies: mail.replies(), Now: b.Now, Log: b.Log}, nil
}

// CheckBackStore is what the daily check-back job reads and writes.
type CheckBackStore interface {
	app.DueCheckBackStore
	app.Directory
}

// CheckBacks emails managers the check-backs that are due.
func CheckBacks(b Base, store CheckBackStore, mail Mail) (*app.CheckBacks, error) {
	if err := required("check-backs", b, "store", store, "mailer", mail.Mailer, "reply token keys", mail.Keys); err != nil {
		return nil, err
	}
	return &app.CheckBacks{Store: store, Directory: store, Mailer: mail.mailer(), Replies: mail.replies(), Now: b.Now, Log: b.Log}, nil
}

// UpwardStore is what the weekly upward feedback job reads and writes.
type UpwardStore interface {
	app.UpwardStore
	app.Directory
}

// Upward asks each member the month's question about their manager and
// shows each manager the results.
func Upward(b Base, store UpwardStore, mail Mail) (*app.Upward, error) {
	if err := required("upward", b, "store", store, "mailer", mail.Mailer, "reply token keys", mail.Keys); err != nil {
		return nil, err
	}
	return &app.Upward{Store: store, Directory: store, Mailer: mail.mailer(), Replies: mail.replies(), Now: b.Now, Log: b.Log}, nil
}

// BriefStore is what the weekly meeting brief reads and writes.
type BriefStore interface {
	app.BriefStore
	app.Directory
}

// Briefs sends each manager their brief before the team's weekly meeting.
func Briefs(b Base, store BriefStore, mail Mail) (*app.Briefs, error) {
	if err := required("briefs", b, "store", store, "mailer", mail.Mailer, "reply token keys", mail.Keys); err != nil {
		return nil, err
	}
	return &app.Briefs{Store: store, Directory: store, Mailer: mail.mailer(), Replies: mail.replies(), Now: b.Now, Log: b.Log}, nil
}

// InboundStore is what inbound reads and writes.
type InboundStore interface {
	app.InboundStore
	app.Directory
}

// Inbound reads managers' replies and peers' kudos. read parses MIME
// (mimemail.ReadInbound); it is passed in so that only inbound links it.
func Inbound(b Base, store InboundStore, mail Mail, read app.MailReader) (*app.Inbound, error) {
	if err := required("inbound", b, "store", store, "mailer", mail.Mailer, "reply token keys", mail.Keys, "mail reader", read); err != nil {
		return nil, err
	}
	if mail.From == "" || mail.ReplyDomain == "" {
		return nil, fmt.Errorf("wire inbound: needs carecoach's From address and reply domain to tell its own addresses from others")
	}
	return &app.Inbound{Read: read, Store: store, Directory: store, Mailer: mail.mailer(), Replies: mail.replies(), Sender: mail.From, Now: b.Now, Log: b.Log}, nil
}

// DashboardStore is what the dashboard reads.
type DashboardStore interface {
	app.ScorecardStore
	app.Teams
}

// Dashboards serves a team's scorecards to the holder of a link signed
// with keys.
func Dashboards(b Base, store DashboardStore, keys app.TokenKeys) (*app.Dashboards, error) {
	if err := required("dashboards", b, "store", store, "token keys", keys); err != nil {
		return nil, err
	}
	return &app.Dashboards{Store: store, Teams: store, Key: keys, Now: b.Now, Log: b.Log}, nil
}

// mailer counts every email sent (metric EmailsSent).
func (m Mail) mailer() app.Mailer { return app.CountingMailer{Mailer: m.Mailer} }

func (m Mail) replies() app.Replies {
	return app.Replies{Key: m.Keys, Domain: m.ReplyDomain, Valid: app.ReplyValidity}
}

// required names every missing port of a service: the clock, the log and
// each (name, value) pair given.
func required(service string, b Base, named ...any) error {
	var missing []string
	if b.Now == nil {
		missing = append(missing, "clock")
	}
	if b.Log == nil {
		missing = append(missing, "log")
	}
	for i := 0; i+1 < len(named); i += 2 {
		if isNil(named[i+1]) {
			missing = append(missing, named[i].(string))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("wire %s: missing %s", service, strings.Join(missing, ", "))
	}
	return nil
}

// isNil is true for a nil interface and for an interface holding a nil
// pointer, map or func (a *dynamo.Store that was never built). A nil
// slice is a value: an empty care.Secret is a key, if a poor one.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Func, reflect.Interface, reflect.Chan:
		return rv.IsNil()
	}
	return false
}
