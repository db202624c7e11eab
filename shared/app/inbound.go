package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	netmail "net/mail"
	"slices"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/emf"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/grammar"
	"github.com/carecoach/carecoach/shared/core/replytoken"
	"github.com/carecoach/carecoach/shared/ui/mail"
)

// InboundStore keeps what replies act on.
type InboundStore interface {
	Prompt(ctx context.Context, id string) (care.Prompt, error)
	ClaimMessage(ctx context.Context, messageID string) (bool, error)
	ReleaseMessage(ctx context.Context, messageID string) error
	SaveFeedback(ctx context.Context, f care.Feedback) (bool, error)
	SkipItem(ctx context.Context, promptID string, n int, at time.Time) error
	SaveClimateAnswer(ctx context.Context, a care.ClimateAnswer) (bool, error)
	MemberByEmail(ctx context.Context, email string) (care.Member, error)
	CheckBackStore     // checkback.go
	AskStore           // ask.go
	AgendaStore        // brief.go
	UpwardInboundStore // upward.go
}

// Verdicts are the receiving mail server's checks of a message.
type Verdicts struct {
	SPF, DKIM, DMARC, Spam, Virus string // PASS, FAIL, GRAY, PROCESSING_FAILED, DISABLED
	// DKIMDomains are the domains whose DKIM signatures the server verified.
	DKIMDomains []string
}

// Trusted says whether the sender is authenticated and the content clean:
// an SPF or DKIM pass, or a DMARC pass; and no spam or virus verdict.
func (v Verdicts) Trusted() (bool, string) {
	switch {
	case strings.EqualFold(v.Virus, "FAIL"):
		return false, "virus verdict"
	case strings.EqualFold(v.Spam, "FAIL"):
		return false, "spam verdict"
	case !pass(v.DMARC) && !pass(v.SPF) && !pass(v.DKIM):
		return false, fmt.Sprintf("sender not authenticated (spf=%s dkim=%s dmarc=%s)", v.SPF, v.DKIM, v.DMARC)
	case strings.EqualFold(v.DMARC, "FAIL"):
		return false, "dmarc failed"
	}
	return true, ""
}

func pass(s string) bool { return strings.EqualFold(s, "PASS") }

// MailReader reads raw MIME (package mimemail does, with enmime). It is
// injected so that functions which only send mail do not link a MIME
// parser. Input that is not mail at all is a care.EInvalid error; any other
// error is transient. Mail it can only partly read comes back with
// Unreadable set.
type MailReader func(io.Reader) (care.InboundMail, error)

// Inbound handles replies to prompts: checks that the reply is authentic
// and meant for this prompt, reads the manager's commands, records the
// feedback and tells the agent, the team and the manager.
type Inbound struct {
	Read      MailReader
	Store     InboundStore
	Directory Directory
	Mailer    Mailer
	Replies   Replies
	// Sender is carecoach's own From address ("carecoach
	// <carecoach@acme.example>" or bare); a reply-all that copies it is
	// still a reply. Addresses at Replies.Domain are carecoach's too.
	Sender string
	Now    func() time.Time
	Log    *slog.Logger
}

// Outcome says what became of one inbound message.
type Outcome struct {
	Accepted bool
	Reason   string // why it was refused; "" when accepted
	Recorded int    // feedback records stored
	Problems int    // lines of the reply that were not understood
	Answered bool   // the sender was emailed (a confirmation, or why nothing was read)
}

// Receive handles one raw message. Refusals (forged, replayed, machine
// mail, forwards, unreadable) record nothing and are not errors: retrying
// cannot change them. An error means a transient failure; the message may
// be retried.
//
// Who is answered: machine mail never (an answer to an auto-responder
// starts a mail loop), nor a sender whose reply fails the checks below
// (the answer would go to whoever forged it). An authenticated manager
// whose reply is a forward, or could not be read, gets one short email
// saying nothing was recorded and what to do instead.
func (s *Inbound) Receive(ctx context.Context, raw io.Reader, v Verdicts) (Outcome, error) {
	refuse := func(reason string, args ...any) (Outcome, error) {
		emf.Count(ctx, emf.RepliesRejected, 1)
		s.Log.WarnContext(ctx, "reply refused", append([]any{"reason", reason}, args...)...)
		return Outcome{Reason: reason}, nil
	}
	msg, err := s.Read(raw)
	if care.ErrorCode(err) == care.EInvalid {
		return refuse("unreadable message: " + care.ErrorMessage(err))
	}
	if err != nil {
		return Outcome{}, fmt.Errorf("read message: %w", err)
	}
	if msg.Automatic != "" {
		return refuse("machine mail: "+msg.Automatic, "from", msg.From, "messageId", msg.MessageID)
	}
	if ok, why := v.Trusted(); !ok {
		return refuse(why, "from", msg.From, "messageId", msg.MessageID)
	}
	if msg.MessageID == "" {
		return refuse("no Message-ID", "from", msg.From)
	}
	token, ok := s.tokenOf(msg)
	if !ok && s.addressedTo(msg, KudosMailbox) {
		if ok, why := v.FromDomainAuthenticated(msg.From); !ok {
			return refuse(why, "from", msg.From)
		}
		return s.kudos(ctx, msg, refuse)
	}
	if !ok && s.addressedTo(msg, AskMailbox) {
		if ok, why := v.FromDomainAuthenticated(msg.From); !ok {
			return refuse(strings.Replace(why, "kudos sender", "ask sender", 1), "from", msg.From)
		}
		return s.ask(ctx, msg, refuse)
	}
	if !ok {
		return refuse("not addressed to a reply address", "from", msg.From, "to", msg.To)
	}
	parsed, err := replytoken.Parse(token)
	if err != nil {
		return refuse(err.Error(), "from", msg.From)
	}
	prompt, err := s.Store.Prompt(ctx, parsed.PromptID)
	if care.ErrorCode(err) == care.ENotFound {
		return refuse("unknown prompt", "from", msg.From, "prompt", parsed.PromptID)
	}
	if err != nil {
		return Outcome{}, err
	}
	if !strings.EqualFold(msg.From, prompt.Recipient) {
		return refuse("sender is not the prompt's recipient", "from", msg.From, "prompt", prompt.ID)
	}
	if err := s.Replies.verify(parsed, prompt.Recipient, s.Now()); errors.Is(err, errNoKey) {
		return Outcome{}, err // retried: the reply may well be genuine
	} else if err != nil {
		return refuse(err.Error(), "from", msg.From, "prompt", prompt.ID)
	}
	notRead, why := s.notRead(msg)
	claimed, err := s.Store.ClaimMessage(ctx, msg.MessageID)
	if err != nil {
		return Outcome{}, err
	}
	if !claimed {
		return refuse("replayed Message-ID", "from", msg.From, "messageId", msg.MessageID)
	}
	act := func() (Outcome, error) {
		if notRead != "" {
			return Outcome{}, s.explain(ctx, prompt, msg, why)
		}
		switch prompt.Kind {
		case care.ClimatePrompt:
			return s.answer(ctx, prompt, msg)
		case care.CheckBackPrompt:
			return s.checkBackReply(ctx, prompt, msg)
		case care.AskPrompt:
			return s.askReply(ctx, prompt, msg)
		case care.UpwardPrompt:
			return s.upwardReply(ctx, prompt, msg)
		case care.UpwardResultsPrompt:
			return s.upwardThanks(ctx, prompt, msg)
		case care.BriefPrompt:
			return s.briefReply(ctx, prompt, msg)
		}
		return s.apply(ctx, prompt, msg)
	}
	o, err := act()
	if err != nil {
		if rerr := s.Store.ReleaseMessage(ctx, msg.MessageID); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return Outcome{}, err
	}
	if notRead != "" {
		o, _ = refuse(notRead, "from", msg.From, "prompt", prompt.ID)
		o.Answered = true
		return o, nil
	}
	emf.Count(ctx, emf.RepliesAccepted, 1)
	if prompt.Kind == care.UpwardPrompt {
		// An answer about one's manager is anonymous: the log does not
		// say whose it was, nor which question (whose prompt names them).
		s.Log.InfoContext(ctx, "reply accepted", "kind", prompt.Kind, "team", prompt.Team, "recorded", o.Recorded, "problems", o.Problems)
	} else {
		s.Log.InfoContext(ctx, "reply accepted", "from", msg.From, "prompt", prompt.ID, "recorded", o.Recorded, "problems", o.Problems)
	}
	o.Accepted, o.Answered = true, true
	return o, nil
}

// notRead says why an authentic reply is not read at all: the reason to
// log, and what to tell the sender. Both are "" for a reply to read.
func (s *Inbound) notRead(msg care.InboundMail) (reason, why string) {
	if msg.Unreadable != "" {
		return "unreadable: " + msg.Unreadable,
			"carecoach could not read your reply: " + msg.Unreadable + ". " +
				"Reply again without attachments or pasted pictures: a few lines of text are all carecoach needs."
	}
	var said []string
	if msg.Forwarded != "" {
		said = append(said, "it looks like a forward ("+msg.Forwarded+")")
	}
	if others := s.others(msg); len(others) > 0 {
		said = append(said, "it was also sent to "+strings.Join(others, ", "))
	}
	if len(said) == 0 {
		return "", ""
	}
	return "forwarded: " + strings.Join(said, "; "),
		"Nothing in your email was read: " + strings.Join(said, ", and ") + ". " +
			"carecoach acts only on replies sent to it alone, so that words meant for someone else never reach an agent. " +
			"To give feedback, reply to the email again, or to this one, with only carecoach in To and nobody in Cc."
}

// others are the addresses in To and Cc besides the sender's own and
// carecoach's (the reply domain's, and the address carecoach sends from).
func (s *Inbound) others(msg care.InboundMail) []string {
	own := ""
	if a, err := netmail.ParseAddress(s.Sender); err == nil {
		own = a.Address
	}
	var out []string
	for _, addr := range append(append([]string{}, msg.To...), msg.Cc...) {
		_, domain, _ := strings.Cut(addr, "@")
		switch {
		case addr == "", strings.EqualFold(addr, msg.From), strings.EqualFold(addr, own),
			strings.EqualFold(domain, s.Replies.Domain), slices.Contains(out, addr):
			continue
		}
		out = append(out, addr)
	}
	return out
}

// explain tells the sender of an authentic reply that carecoach did not
// read it, why, and what to do; the email can be answered like the prompt.
func (s *Inbound) explain(ctx context.Context, p care.Prompt, msg care.InboundMail, why string) error {
	team, err := s.Directory.Team(ctx, p.Team)
	if err != nil {
		return fmt.Errorf("team %s: %w", p.Team, err)
	}
	return s.confirm(ctx, p, mail.Confirmation{Manager: memberOf(team, p.Recipient), Subject: msg.Subject, Refused: why, Help: grammarHelp(p)})
}

func (s *Inbound) tokenOf(msg care.InboundMail) (string, bool) {
	for _, addr := range append(append([]string{}, msg.To...), msg.Cc...) {
		if token, ok := replytoken.FromAddress(addr, s.Replies.Domain); ok {
			return token, true
		}
	}
	return "", false
}

func grammarPrompt(p care.Prompt) grammar.Prompt {
	return grammar.Prompt{Items: len(p.Items), Single: p.Kind == care.AlertPrompt}
}

func grammarHelp(p care.Prompt) string {
	switch p.Kind {
	case care.ClimatePrompt:
		return ""
	case care.CheckBackPrompt:
		return grammar.CheckBackHelp()
	case care.AskPrompt:
		return grammar.AskHelp(p.Ask != nil && p.Ask.Peer)
	case care.UpwardPrompt:
		return grammar.UpwardHelp()
	case care.UpwardResultsPrompt:
		return grammar.UpwardThanksHelp()
	case care.BriefPrompt:
		return grammar.BriefHelp(len(p.Agenda))
	}
	return grammar.Help(grammarPrompt(p))
}

// blocks are what the manager wrote, each block about the item quoted
// right above it, if any.
func blocks(msg care.InboundMail, items int) []grammar.Block {
	if len(msg.Written) == 0 {
		return []grammar.Block{{Text: msg.Reply}}
	}
	out := make([]grammar.Block, len(msg.Written))
	for i, w := range msg.Written {
		out[i] = grammar.Block{Text: w.Text, Item: grammar.QuotedItem(w.Quoted, items)}
	}
	return out
}

// Commands reads what a reply to p asks: the pure part of handling it,
// from the blocks the manager wrote to the commands and the problems.
func Commands(msg care.InboundMail, p care.Prompt) ([]grammar.Command, []grammar.Problem) {
	return grammar.ParseBlocks(blocks(msg, len(p.Items)), grammarPrompt(p))
}

// apply records what the manager said and tells everyone concerned.
func (s *Inbound) apply(ctx context.Context, p care.Prompt, msg care.InboundMail) (Outcome, error) {
	team, err := s.Directory.Team(ctx, p.Team)
	if err != nil {
		return Outcome{}, fmt.Errorf("team %s: %w", p.Team, err)
	}
	manager := memberOf(team, p.Recipient)
	cmds, problems := Commands(msg, p)
	now := s.Now()
	conf := mail.Confirmation{Manager: manager, Subject: msg.Subject, Help: grammarHelp(p)}
	for _, pr := range problems {
		conf.Problems = append(conf.Problems, mail.ProblemLine{Line: pr.Line, Text: pr.Text, Why: pr.Why})
	}
	recorded := 0
	for _, c := range cmds {
		item := p.Items[c.Item-1]
		m := item.Moment
		if item.Concern != nil {
			n, err := s.answerConcern(ctx, team, manager, p, c, item, msg.MessageID, &conf)
			recorded += n
			if err != nil {
				return Outcome{Recorded: recorded}, err
			}
			continue
		}
		if c.Skip {
			if err := s.Store.SkipItem(ctx, p.ID, c.Item, now); err != nil {
				return Outcome{Recorded: recorded}, err
			}
			conf.Skipped = append(conf.Skipped, fmt.Sprintf("%d. %s: %s", c.Item, item.AgentName, m.What))
			continue
		}
		if c.Words == "" && !c.Share && c.Reward == "" {
			continue
		}
		sum := sha256.Sum256([]byte(p.ID + "\x00" + fmt.Sprint(c.Item) + "\x00" + msg.MessageID))
		f := care.Feedback{
			ID: "fb-" + hex.EncodeToString(sum[:12]), Team: p.Team, From: p.Recipient, AgentEmail: item.AgentEmail, AgentName: item.AgentName,
			Kind: m.Kind, MomentID: m.ID, Ticket: m.Ticket, Words: c.Words, Reward: c.Reward, Shared: c.Share,
			At: now, PromptID: p.ID, MessageID: msg.MessageID,
		}
		if _, err := s.Store.SaveFeedback(ctx, f); err != nil {
			return Outcome{Recorded: recorded}, err
		}
		recorded++
		if err := s.tell(ctx, team, manager, item, f); err != nil {
			return Outcome{Recorded: recorded}, err
		}
		due, err := s.scheduleCheckBack(ctx, team, p, item, f)
		if err != nil {
			return Outcome{Recorded: recorded}, err
		}
		conf.Recorded = append(conf.Recorded, describe(f, item, due))
	}
	return Outcome{Recorded: recorded, Problems: len(conf.Problems)}, s.confirm(ctx, p, conf)
}

// confirm answers the sender of a reply, answerable again.
func (s *Inbound) confirm(ctx context.Context, p care.Prompt, conf mail.Confirmation) error {
	email, err := mail.ConfirmationEmail(conf)
	if err != nil {
		return err
	}
	if email.ReplyTo, err = s.Replies.address(p); err != nil {
		return err
	}
	if _, err := s.Mailer.Send(ctx, email); err != nil {
		return fmt.Errorf("send confirmation: %w", err)
	}
	return nil
}

// tell sends the agent the manager's words and, when shared, the team a
// recognition email.
func (s *Inbound) tell(ctx context.Context, team care.Team, manager care.Member, item care.PromptItem, f care.Feedback) error {
	agent := memberOf(team, item.AgentEmail)
	m := item.Moment
	e, err := mail.FeedbackEmail(mail.Feedback{
		Agent: agent, Manager: manager, Kind: f.Kind, Words: f.Words, Reward: f.Reward, What: m.What,
		Subject: m.Subject, TicketID: m.Ticket.TicketID, TicketURL: item.TicketURL, At: f.At, Shared: f.Shared,
	})
	if err != nil {
		return err
	}
	if _, err := s.Mailer.Send(ctx, e); err != nil {
		return fmt.Errorf("send feedback to %s: %w", agent.Email, err)
	}
	if !f.Shared {
		return nil
	}
	var to []string
	for _, mem := range team.Members {
		to = append(to, mem.Email)
	}
	e, err = mail.RecognitionEmail(mail.Recognition{
		To: to, TeamName: team.Name, Agent: agent, Manager: manager, What: m.What, WhyItMatters: mail.WhyItMatters(m.Behaviour),
		Words: f.Words, Reward: f.Reward, Subject: m.Subject, TicketID: m.Ticket.TicketID, TicketURL: item.TicketURL,
	})
	if err != nil {
		return err
	}
	if _, err := s.Mailer.Send(ctx, e); err != nil {
		return fmt.Errorf("send recognition: %w", err)
	}
	return nil
}

func describe(f care.Feedback, item care.PromptItem, checkBack time.Time) string {
	kind := "Praise"
	if f.Kind == care.Coaching {
		kind = "Coaching"
	}
	line := fmt.Sprintf("%s for %s on #%s", kind, item.AgentName, item.Moment.Ticket.TicketID)
	var extra []string
	if f.Shared {
		extra = append(extra, "shared with the team")
	}
	if f.Reward != "" {
		extra = append(extra, "reward: "+f.Reward)
	}
	if !checkBack.IsZero() {
		extra = append(extra, "carecoach asks you on "+checkBack.Format("Mon 2 Jan")+" whether it worked")
	}
	if len(extra) > 0 {
		line += ": " + strings.Join(extra, ", ")
	}
	return line
}
