package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/grammar"
	"github.com/carecoach/carecoach/shared/core/playbook"
	"github.com/carecoach/carecoach/shared/ui/mail"
)

// AskMailbox is the local part of the address agents ask for feedback at.
const AskMailbox = "ask"

// AskStore keeps feedback requests, and what asking needs: the ticket's
// timeline and the prompts that ask each person.
type AskStore interface {
	PutFeedbackRequest(ctx context.Context, r care.FeedbackRequest) (bool, error)
	FeedbackRequest(ctx context.Context, ref care.AskRef) (care.FeedbackRequest, error)
	// UpdateFeedbackRequest replaces r if it is still at version; false
	// when an answer changed it first.
	UpdateFeedbackRequest(ctx context.Context, r care.FeedbackRequest, version int) (bool, error)
	LoadTicket(ctx context.Context, ref care.TicketRef) (care.TicketRecord, error)
	PutPrompt(ctx context.Context, p care.Prompt) (bool, error)
	MarkPromptSent(ctx context.Context, id string, at time.Time) error
}

// ask handles a team member's mail to the ask address: a ticket number
// and a question reach their manager and the teammates they name, each as
// an answerable email; the member gets a receipt, or why nothing went.
func (s *Inbound) ask(ctx context.Context, msg care.InboundMail, refuse func(string, ...any) (Outcome, error)) (Outcome, error) {
	sender, team, why, err := s.memberMail(ctx, msg, "ask")
	if err != nil {
		return Outcome{}, err
	}
	if why != "" {
		return refuse(why, "from", msg.From, "messageId", msg.MessageID)
	}
	o, err := s.askFor(ctx, team, memberOf(team, sender.Email), msg)
	if err != nil {
		if rerr := s.Store.ReleaseMessage(ctx, msg.MessageID); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return Outcome{}, err
	}
	s.Log.InfoContext(ctx, "feedback request", "from", msg.From, "asked", o.Recorded, "problems", o.Problems)
	o.Accepted, o.Answered = true, true
	return o, nil
}

// askFor stores the request and asks each person, or explains why not.
func (s *Inbound) askFor(ctx context.Context, team care.Team, sender care.Member, msg care.InboundMail) (Outcome, error) {
	receipt := mail.AskReceipt{Asker: sender, Address: AskMailbox + "@" + s.Replies.Domain}
	a, problems := grammar.ParseAsk(msg.Subject, msg.Reply)
	var asked []care.Asked
	var rec care.TicketRecord
	var ref care.TicketRef
	var err error
	switch {
	case team.Ask.Off:
		receipt.Problem = "your team does not ask for feedback through carecoach (askForFeedback is off in its settings): ask your manager directly."
	case msg.Unreadable != "":
		receipt.Problem = "I could not read your mail: " + msg.Unreadable + ". Send it again without attachments or pasted pictures."
	case len(problems) > 0:
		receipt.Problem = problems[0].Why + "."
	default:
		ref, rec, err = s.findTicket(ctx, team, a.Tickets)
		if err != nil {
			return Outcome{}, err
		}
		if ref.IsZero() {
			receipt.Problem = "carecoach knows no ticket #" + strings.Join(a.Tickets[:min(len(a.Tickets), maxTicketCandidates)], " or #") + " in your team's help desks: check the number and send your question again."
			break
		}
		// Teammates in To or Cc are asked as if named with "@".
		mentions := a.Mentions
		for _, m := range copiedMembers(team, msg) {
			mentions = append(mentions, strings.ToLower(m.Email))
		}
		asked, receipt.Unknown = askees(team, sender, mentions)
		if len(asked) == 0 {
			receipt.Problem = "there was nobody to ask: you have no manager in carecoach, and you named no teammate it knows."
		}
	}
	if receipt.Problem != "" {
		return Outcome{Problems: 1}, s.sendAskReceipt(ctx, receipt)
	}
	t := care.Fold(ref, rec.Timeline)
	sum := sha256.Sum256([]byte(team.ID + "\x00" + msg.MessageID))
	r := care.FeedbackRequest{
		ID: "ask-" + hex.EncodeToString(sum[:12]), Team: team.ID, Asker: strings.ToLower(sender.Email), AskerName: sender.Name,
		Ticket: ref, Subject: t.Subject, TicketURL: team.TicketURL(ref), Question: a.Question, AskedAt: s.Now(), MessageID: msg.MessageID,
	}
	for _, p := range asked {
		sum := sha256.Sum256([]byte(r.ID + "\x00" + p.Email))
		p.PromptID = "a-" + hex.EncodeToString(sum[:8])
		r.Asked = append(r.Asked, p)
	}
	created, err := s.Store.PutFeedbackRequest(ctx, r)
	if err != nil {
		return Outcome{}, err
	}
	if !created { // a retry of this mail: finish asking as first stored
		if r, err = s.Store.FeedbackRequest(ctx, r.Ref()); err != nil {
			return Outcome{}, err
		}
	}
	loc := playbook.ForTeam(team).Location
	timeline := mail.TimelineOf(rec.Timeline, loc, namer(team, ref.Connection))
	for _, p := range r.Asked {
		if err := s.askOne(ctx, team, sender, r, p, timeline, loc); err != nil {
			return Outcome{}, err
		}
		receipt.Sent = append(receipt.Sent, p.Name)
	}
	receipt.TicketID, receipt.Subject = r.Ticket.TicketID, r.Subject
	return Outcome{Recorded: 1, Problems: len(receipt.Unknown)}, s.sendAskReceipt(ctx, receipt)
}

// askOne sends one person the request, as a prompt of its own, once.
func (s *Inbound) askOne(ctx context.Context, team care.Team, sender care.Member, r care.FeedbackRequest, p care.Asked, timeline []mail.TimelineEntry, loc *time.Location) error {
	ref := r.Ref()
	ref.Peer = p.Peer
	prompt := care.Prompt{
		ID: p.PromptID, Team: team.ID, Kind: care.AskPrompt, Recipient: p.Email, ExpiresAt: r.AskedAt.Add(s.Replies.Valid), Ask: &ref,
		Items: []care.PromptItem{{N: 1, AgentEmail: r.Asker, AgentName: r.AskerName, TicketURL: r.TicketURL,
			Moment: care.Moment{Ticket: r.Ticket, Team: team.ID, Subject: r.Subject}}},
	}
	var others []string
	for _, o := range r.Asked {
		if o.Email != p.Email {
			others = append(others, o.Name)
		}
	}
	_, err := sendPrompt(ctx, s.Store, s.Mailer, s.Replies, prompt, s.Now, func() (care.Email, error) {
		return mail.AskRequestEmail(mail.AskRequest{
			To: memberOf(team, p.Email), Asker: sender, TeamID: team.ID, Peer: p.Peer, TicketID: r.Ticket.TicketID, Subject: r.Subject, TicketURL: r.TicketURL,
			Question: r.Question, AskedAt: r.AskedAt.In(loc), Others: others, Timeline: timeline, Help: grammar.AskHelp(p.Peer),
		})
	})
	if err != nil {
		return fmt.Errorf("ask %s: %w", p.Email, err)
	}
	return nil
}

func (s *Inbound) sendAskReceipt(ctx context.Context, r mail.AskReceipt) error {
	e, err := mail.AskReceiptEmail(r)
	if err != nil {
		return err
	}
	if _, err := s.Mailer.Send(ctx, e); err != nil {
		return fmt.Errorf("send ask receipt to %s: %w", r.Asker.Email, err)
	}
	return nil
}

// maxTicketCandidates is how many of the numbers in an ask mail are
// looked up: the subject's and the first few in the text.
const maxTicketCandidates = 5

// findTicket is the first of the numbers that names a ticket of one of the
// team's connections, with its record; a zero ref when none does.
func (s *Inbound) findTicket(ctx context.Context, team care.Team, numbers []string) (care.TicketRef, care.TicketRecord, error) {
	for _, n := range numbers[:min(len(numbers), maxTicketCandidates)] {
		for _, c := range team.Connections {
			ref := care.TicketRef{Connection: c.ID, TicketID: n}
			rec, err := s.Store.LoadTicket(ctx, ref)
			if err != nil {
				return care.TicketRef{}, care.TicketRecord{}, err
			}
			if len(rec.Timeline) > 0 {
				return ref, rec, nil
			}
		}
	}
	return care.TicketRef{}, care.TicketRecord{}, nil
}

// askees are whom a member's request goes to: their managers (the one
// they name, else the team's), then the teammates they named with @, each
// once and never themselves; and the names that are nobody on the team.
func askees(team care.Team, sender care.Member, mentions []string) (asked []care.Asked, unknown []string) {
	managers := team.ManagersOf(sender)
	isManager := func(addr string) bool {
		for _, m := range managers {
			if strings.EqualFold(m, addr) {
				return true
			}
		}
		return false
	}
	add := func(m care.Member) {
		addr := strings.ToLower(m.Email)
		if addr == strings.ToLower(sender.Email) {
			return
		}
		for _, a := range asked {
			if a.Email == addr {
				return
			}
		}
		asked = append(asked, care.Asked{Email: addr, Name: m.Name, Peer: !isManager(addr)})
	}
	for _, addr := range managers {
		add(memberOf(team, addr))
	}
	for _, name := range mentions {
		found := false
		for _, m := range team.Members {
			local, _, _ := strings.Cut(strings.ToLower(m.Email), "@")
			first := strings.ToLower(strings.Fields(m.Name + " x")[0])
			if name == first || name == local || name == strings.ToLower(m.Email) {
				add(m)
				found = true
			}
		}
		if !found {
			unknown = append(unknown, name)
		}
	}
	return asked, unknown
}

// namer names help desk users for a timeline from the team's roster.
func namer(team care.Team, conn string) func(string) string {
	return func(id string) string {
		for _, m := range team.Members {
			if id != "" && strings.EqualFold(m.HelpdeskIDs[conn], id) {
				return m.Name
			}
		}
		return ""
	}
}

// askReply records an answer to a request for feedback: it goes to the
// agent who asked and counts as feedback (from a teammate: peer feedback).
// A second answer from the same person changes nothing and says so; a
// retry of the same message finishes what it started.
func (s *Inbound) askReply(ctx context.Context, p care.Prompt, msg care.InboundMail) (Outcome, error) {
	team, err := s.Directory.Team(ctx, p.Team)
	if err != nil {
		return Outcome{}, fmt.Errorf("team %s: %w", p.Team, err)
	}
	conf := mail.Confirmation{Manager: memberOf(team, p.Recipient), Subject: msg.Subject, Help: grammarHelp(p)}
	problem := func(why string) (Outcome, error) {
		conf.Problems = append(conf.Problems, mail.ProblemLine{Why: why})
		return Outcome{Problems: len(conf.Problems)}, s.confirm(ctx, p, conf)
	}
	ans, problems := grammar.ParseAnswer(msg.Reply)
	if len(problems) > 0 || p.Ask == nil {
		for _, pr := range problems {
			conf.Problems = append(conf.Problems, mail.ProblemLine{Line: pr.Line, Text: pr.Text, Why: pr.Why})
		}
		return Outcome{Problems: len(conf.Problems)}, s.confirm(ctx, p, conf)
	}
	sum := sha256.Sum256([]byte(p.Ask.ID + "\x00" + p.Recipient))
	fbID := "af-" + hex.EncodeToString(sum[:12])
	now := s.Now()
	var r care.FeedbackRequest
	for attempt := 0; ; attempt++ {
		r, err = s.Store.FeedbackRequest(ctx, *p.Ask)
		if care.ErrorCode(err) == care.ENotFound {
			return problem("carecoach no longer keeps this request, so nothing was recorded")
		}
		if err != nil {
			return Outcome{}, err
		}
		next, why := r.Answer(p.Recipient, msg.MessageID, fbID, now)
		if why != "" {
			return problem(why)
		}
		if next.Version == r.Version {
			break // this very message was recorded before: finish it
		}
		ok, err := s.Store.UpdateFeedbackRequest(ctx, next, r.Version)
		if err != nil {
			return Outcome{}, err
		}
		if ok {
			r = next
			break
		}
		if attempt == 2 {
			return Outcome{}, fmt.Errorf("feedback request %s keeps changing under answer %s", r.ID, msg.MessageID)
		}
	}
	var me care.Asked
	for _, a := range r.Asked {
		if strings.EqualFold(a.Email, p.Recipient) {
			me = a
		}
	}
	kind := care.Coaching
	if ans.Praise || me.Peer {
		kind = care.Praise
	}
	f := care.Feedback{
		ID: fbID, Team: r.Team, From: strings.ToLower(p.Recipient), AgentEmail: r.Asker, AgentName: r.AskerName, Peer: me.Peer, Kind: kind,
		Ticket: r.Ticket, Words: ans.Words, At: me.AnsweredAt, PromptID: p.ID, MessageID: me.MessageID,
	}
	if _, err := s.Store.SaveFeedback(ctx, f); err != nil {
		return Outcome{}, err
	}
	e, err := mail.AskAnswerEmail(mail.AskAnswer{
		Asker: memberOf(team, r.Asker), From: memberOf(team, p.Recipient), Peer: me.Peer, Praise: kind == care.Praise && !me.Peer, Words: ans.Words,
		Question: r.Question, TicketID: r.Ticket.TicketID, Subject: r.Subject, TicketURL: r.TicketURL,
	})
	if err != nil {
		return Outcome{}, err
	}
	if _, err := s.Mailer.Send(ctx, e); err != nil {
		return Outcome{}, fmt.Errorf("send answer to %s: %w", r.Asker, err)
	}
	as := "as feedback from a teammate"
	if !me.Peer {
		as = "as " + string(kind)
	}
	conf.Recorded = append(conf.Recorded, "Your answer to "+r.AskerName+" on "+work(r.Ticket.TicketID, r.Subject)+": sent to "+r.AskerName+" and recorded "+as)
	s.Log.InfoContext(ctx, "feedback request answered", "request", r.ID, "from", p.Recipient, "peer", me.Peer)
	return Outcome{Recorded: 1}, s.confirm(ctx, p, conf)
}

// asksView is the head of the digest: the requests waiting for the
// manager, each question cut to a line.
func asksView(rs []care.FeedbackRequest, loc *time.Location) []mail.DigestAsk {
	var out []mail.DigestAsk
	for _, r := range rs {
		out = append(out, mail.DigestAsk{AgentName: r.AskerName, TicketID: r.Ticket.TicketID, AskedAt: r.AskedAt.In(loc), Question: clipLine(r.Question, 160)})
	}
	return out
}
