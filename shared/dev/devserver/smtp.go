package devserver

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"

	"github.com/emersion/go-smtp"

	"github.com/carecoach/carecoach/shared/adapters/mimemail"
	"github.com/carecoach/carecoach/shared/app"
)

// smtpInbox is the local stand-in for SES receiving: an SMTP listener on
// localhost whose messages go through the same inbound service. Locally
// every sender counts as authenticated (there is no DNS to check).
type smtpInbox struct {
	server  *smtp.Server
	inbound *app.Inbound
	log     *slog.Logger
	// received, when set, hears each outcome (tests wait on it).
	received func(app.Outcome)
}

func newSMTPInbox(in *app.Inbound, log *slog.Logger, received func(app.Outcome)) *smtpInbox {
	b := &smtpInbox{inbound: in, log: log, received: received}
	s := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{inbox: b}, nil }))
	s.Domain = "localhost"
	s.MaxMessageBytes = mimemail.MaxSize
	s.MaxRecipients = 50
	b.server = s
	return b
}

func (b *smtpInbox) serve(ln net.Listener) error { return b.server.Serve(ln) }

func (b *smtpInbox) close() error { return b.server.Close() }

type smtpSession struct{ inbox *smtpInbox }

func (s *smtpSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *smtpSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *smtpSession) Reset()                               {}
func (s *smtpSession) Logout() error                        { return nil }

func (s *smtpSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(io.LimitReader(r, mimemail.MaxSize+1))
	if err != nil {
		return err
	}
	local := app.Verdicts{SPF: "PASS", DKIM: "PASS", DMARC: "PASS", Spam: "PASS", Virus: "PASS"}
	out, err := s.inbox.inbound.Receive(context.Background(), bytes.NewReader(raw), local)
	if err != nil {
		s.inbox.log.Error("inbound message failed", "error", err)
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	if s.inbox.received != nil {
		s.inbox.received(out)
	}
	return nil
}
