package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/ui/mail"
)

// KudosMailbox is the local part of the address agents send kudos to.
const KudosMailbox = "kudos"

func (s *Inbound) addressedTo(msg care.InboundMail, mailbox string) bool {
	want := mailbox + "@" + strings.ToLower(s.Replies.Domain)
	for _, a := range append(append([]string{}, msg.To...), msg.Cc...) {
		if strings.EqualFold(a, want) {
			return true
		}
	}
	return false
}

// memberMail reads mail sent to one of carecoach's own addresses (what:
// "kudos", "ask"): the sender must be a team member, and the message is
// claimed so that a replay does nothing. why says why the mail is refused;
// an error is transient.
func (s *Inbound) memberMail(ctx context.Context, msg care.InboundMail, what string) (sender care.Member, team care.Team, why string, err error) {
	sender, err = s.Store.MemberByEmail(ctx, msg.From)
	if care.ErrorCode(err) == care.ENotFound {
		return sender, team, what + " sender is not a team member", nil
	}
	if err != nil {
		return sender, team, "", err
	}
	if team, err = s.Directory.Team(ctx, sender.Team); err != nil {
		return sender, team, "", fmt.Errorf("team %s: %w", sender.Team, err)
	}
	claimed, err := s.Store.ClaimMessage(ctx, msg.MessageID)
	if err != nil {
		return sender, team, "", err
	}
	if !claimed {
		return sender, team, "replayed Message-ID", nil
	}
	return sender, team, "", nil
}

// kudos records a teammate's thanks: the teammates are named with
// "@name" in the text or put in To / Cc next to the kudos address.
func (s *Inbound) kudos(ctx context.Context, msg care.InboundMail, refuse func(string, ...any) (Outcome, error)) (Outcome, error) {
	sender, team, why, err := s.memberMail(ctx, msg, "kudos")
	if err != nil {
		return Outcome{}, err
	}
	if why != "" {
		return refuse(why, "from", msg.From, "messageId", msg.MessageID)
	}
	n, err := s.giveKudos(ctx, team, sender, msg)
	if err != nil {
		if rerr := s.Store.ReleaseMessage(ctx, msg.MessageID); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return Outcome{}, err
	}
	s.Log.InfoContext(ctx, "kudos accepted", "from", msg.From, "recorded", n)
	return Outcome{Accepted: true, Recorded: n, Answered: true}, nil
}

func (s *Inbound) giveKudos(ctx context.Context, team care.Team, sender care.Member, msg care.InboundMail) (int, error) {
	mates, words := kudosFor(team, sender, msg, s.Replies.Domain)
	receipt := mail.KudosReceipt{Sender: sender, Address: KudosMailbox + "@" + s.Replies.Domain}
	switch {
	case msg.Unreadable != "":
		receipt.Problem = "I could not read your kudos: " + msg.Unreadable + ". Nothing was recorded: send them again without attachments or pasted pictures."
	case len(mates) == 0:
		receipt.Problem = "I could not tell who the kudos are for: name a teammate with @, e.g. \"kudos @ana for staying late to help Tom\", or put them in To or Cc."
	case words == "":
		receipt.Problem = "the kudos had no words: say what they did, e.g. \"kudos @ana for staying late to help Tom\"."
	}
	recorded := 0
	if receipt.Problem == "" {
		now := s.Now()
		for _, m := range mates {
			sum := sha256.Sum256([]byte(msg.MessageID + "\x00" + strings.ToLower(m.Email)))
			f := care.Feedback{
				ID: "kd-" + hex.EncodeToString(sum[:12]), Team: team.ID, From: strings.ToLower(sender.Email),
				AgentEmail: strings.ToLower(m.Email), AgentName: m.Name, Peer: true, Kind: care.Praise, Words: words, At: now, MessageID: msg.MessageID,
			}
			if _, err := s.Store.SaveFeedback(ctx, f); err != nil {
				return recorded, err
			}
			recorded++
			e, err := mail.KudosEmail(mail.Kudos{To: m, From: sender, TeamName: team.Name, Words: words})
			if err != nil {
				return recorded, err
			}
			if _, err := s.Mailer.Send(ctx, e); err != nil {
				return recorded, fmt.Errorf("send kudos to %s: %w", m.Email, err)
			}
			receipt.Delivered = append(receipt.Delivered, m.Name)
		}
	}
	e, err := mail.KudosReceiptEmail(receipt)
	if err != nil {
		return recorded, err
	}
	if _, err := s.Mailer.Send(ctx, e); err != nil {
		return recorded, fmt.Errorf("send kudos receipt: %w", err)
	}
	return recorded, nil
}

// kudosFor finds the teammates a kudos message is for and its words:
// "@ana", "@ana.silva" or a full address in the text, or teammates in
// To / Cc. The leading "kudos" and the mentions before the words go.
func kudosFor(team care.Team, sender care.Member, msg care.InboundMail, domain string) ([]care.Member, string) {
	var mates []care.Member
	add := func(m care.Member) {
		if strings.EqualFold(m.Email, sender.Email) {
			return
		}
		for _, x := range mates {
			if strings.EqualFold(x.Email, m.Email) {
				return
			}
		}
		mates = append(mates, m)
	}
	for _, m := range copiedMembers(team, msg) {
		add(m)
	}
	text := strings.TrimSpace(msg.Reply)
	if rest, ok := cutWordFold(text, "kudos"); ok {
		text = rest
	}
	fields := strings.Fields(text)
	lead := 0
	for i, f := range fields {
		if !strings.HasPrefix(f, "@") {
			continue
		}
		name := strings.ToLower(strings.Trim(f[1:], ",.:;!?"))
		for _, m := range team.Members {
			local, _, _ := strings.Cut(strings.ToLower(m.Email), "@")
			first := strings.ToLower(strings.Fields(m.Name + " x")[0])
			if name == first || name == local || name == strings.ToLower(m.Email) {
				add(m)
			}
		}
		if i == lead {
			lead++
		}
	}
	return mates, strings.TrimSpace(strings.Join(fields[lead:], " "))
}

// copiedMembers are the team members a message is addressed or copied
// to (To, then Cc): kudos for them, or a request for their feedback.
func copiedMembers(team care.Team, msg care.InboundMail) []care.Member {
	var out []care.Member
	for _, a := range append(append([]string{}, msg.To...), msg.Cc...) {
		for _, m := range team.Members {
			if strings.EqualFold(m.Email, a) {
				out = append(out, m)
			}
		}
	}
	return out
}

// cutWordFold removes a leading word, ignoring case.
func cutWordFold(s, word string) (string, bool) {
	if len(s) >= len(word) && strings.EqualFold(s[:len(word)], word) && (len(s) == len(word) || strings.ContainsRune(" \t\n:,!", rune(s[len(word)]))) {
		return strings.TrimLeft(s[len(word):], " \t\n:,!"), true
	}
	return s, false
}
