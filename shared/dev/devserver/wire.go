package devserver

import (
	"github.com/carecoach/carecoach/shared/adapters/apihistory"
	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/adapters/mimemail"
	"github.com/carecoach/carecoach/shared/adapters/sesmail"
	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/dev/localsched"
	"github.com/carecoach/carecoach/shared/wire"
)

// services are the functions' services, built by the same constructors as
// the Lambdas. Only the adapters differ: the local scheduler for
// EventBridge Scheduler, the in-process stream for DynamoDB's, one dev
// secret for SSM's, tokens from the environment, the local SES.
type services struct {
	ingest     *app.Ingest
	process    *app.Process
	reconcile  *app.Reconcile
	fire       *app.Fire
	digests    *app.Digests
	climate    *app.Climate
	checkBacks *app.CheckBacks
	upward     *app.Upward
	briefs     *app.Briefs
	inbound    *app.Inbound // nil without an inbox
	dashboards *app.Dashboards
	stream     *stream
}

func wireServices(cfg Config, store *dynamo.Store, sched *localsched.Scheduler, url string) (services, error) {
	var s services
	var err error
	base := wire.Base{Now: cfg.Clock.Now, Log: cfg.Log}
	tokens := apihistory.Opener{Tokens: cfg.HelpdeskTokens}
	if tokens.Tokens == nil {
		tokens.Tokens = EnvTokens{}
	}
	if s.process, err = wire.Process(base, store, sched, tokens); err != nil {
		return s, err
	}
	s.stream = newStream(s.process, cfg.Log)
	if s.ingest, err = wire.Ingest(base, s.stream.wrap(store), sameSecret(cfg.Secret)); err != nil {
		return s, err
	}
	if cfg.Helpdesks != nil { // a test's failing help desk
		s.ingest.Helpdesks, s.process.Helpdesks = cfg.Helpdesks, cfg.Helpdesks
	}
	if s.reconcile, err = wire.Reconcile(base, store, s.process, tokens); err != nil {
		return s, err
	}
	mail := wire.Mail{Mailer: sesmail.New(sesmail.NewClient(cfg.AWS, cfg.SESEndpoint), cfg.MailFrom, ""),
		From: cfg.MailFrom, Keys: cfg.TokenKey, ReplyDomain: cfg.ReplyDomain}
	if s.fire, err = wire.Fire(base, store, mail); err != nil {
		return s, err
	}
	// Digests link to this server's dashboards, signed with the token key.
	dashboards := ""
	if len(cfg.TokenKey) > 0 {
		dashboards = url + "/dashboard"
	}
	if s.digests, err = wire.Digests(base, store, mail, dashboards); err != nil {
		return s, err
	}
	if s.climate, err = wire.Climate(base, store, mail); err != nil {
		return s, err
	}
	if s.upward, err = wire.Upward(base, store, mail); err != nil {
		return s, err
	}
	if s.briefs, err = wire.Briefs(base, store, mail); err != nil {
		return s, err
	}
	if s.checkBacks, err = wire.CheckBacks(base, store, mail); err != nil {
		return s, err
	}
	if cfg.SMTPAddr != "" {
		if s.inbound, err = wire.Inbound(base, store, mail, mimemail.ReadInbound); err != nil {
			return s, err
		}
	}
	s.dashboards, err = wire.Dashboards(base, store, cfg.TokenKey)
	return s, err
}
