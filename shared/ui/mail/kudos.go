package mail

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Kudos is a teammate's thanks, delivered to the agent they thanked.
type Kudos struct {
	To       care.Member // the teammate thanked
	From     care.Member // who gives the kudos
	TeamName string
	Words    string // the sender's words, verbatim
}

type kudosView struct {
	Kudos
	Name   string // the thanked agent's name on one line, or ""
	Sender string // the sender's name on one line, or ""
	Team   string // the team's name on one line, or ""
	Said   string // the sender's words, without blank lines around them
}

// KudosEmail brings a teammate's thanks to the agent, in the teammate's own
// words. It is not answerable; a reply goes to the teammate who wrote.
func KudosEmail(k Kudos) (care.Email, error) {
	if k.To.Email == "" {
		return care.Email{}, fmt.Errorf("kudos from %s to %s: the teammate thanked has no email address", firstNonEmpty(k.From.Email, "(unknown)"), firstNonEmpty(person(k.To.Name), "(unnamed)"))
	}
	v := kudosViewOf(k)
	h, t := kudosHTML(v), kudosText(v)
	e := care.Email{
		To:      []string{k.To.Email},
		Subject: "Kudos from " + firstNonEmpty(v.Sender, "a teammate"),
		Text:    t,
		HTML:    h,
		Tags:    teamTags("kudos", firstNonEmpty(k.To.Team, k.From.Team)),
	}
	if k.From.Email != "" {
		// A reply is a conversation between teammates, not with carecoach.
		e.ReplyTo = []string{k.From.Email}
	}
	return e, nil
}

// KudosReceipt tells whoever sent kudos what carecoach did with them.
type KudosReceipt struct {
	Sender    care.Member
	Delivered []string // the names of the teammates it went to
	Problem   string   // "" when all was understood; else what was not
	Address   string   // the kudos address, e.g. kudos@reply.acme.example
}

type kudosReceiptView struct {
	KudosReceipt
	Name string   // the sender's name on one line, or ""
	To   []string // the names it went to, on one line each
	Whom string   // those names as a phrase: "Ana Silva and Sam Okoye"
}

// noTeammate is the problem with kudos that reached nobody and said no more.
const noTeammate = "It named no teammate carecoach knows, so there was nobody to deliver it to."

// KudosReceiptEmail confirms kudos to the sender: recorded and delivered to
// whom, or — when not understood — a clear explanation and how to write it:
// a line like "kudos @ana for …" to the kudos address, or the teammate in
// To or Cc of a mail to it. It is not answerable: kudos are sent afresh.
func KudosReceiptEmail(r KudosReceipt) (care.Email, error) {
	if r.Sender.Email == "" {
		return care.Email{}, fmt.Errorf("kudos receipt for %s: sender has no email address", firstNonEmpty(person(r.Sender.Name), "(unnamed)"))
	}
	v := kudosReceiptViewOf(r)
	h, t := kudosReceiptHTML(v), kudosReceiptText(v)
	whom := v.Whom
	if len(v.To) > 3 {
		whom = strconv.Itoa(len(v.To)) + " teammates"
	}
	var subject string
	switch {
	case len(v.To) == 0:
		subject = "Your kudos was not delivered: how to send it"
	case v.Problem != "":
		subject = "Kudos delivered to " + whom + ", but part of it was not understood"
	default:
		subject = "Kudos delivered to " + whom
	}
	return care.Email{
		To:      []string{r.Sender.Email},
		Subject: subject,
		Text:    t,
		HTML:    h,
		Tags:    teamTags("kudos_receipt", r.Sender.Team),
	}, nil
}

// and joins names the way a person would: "Ana", "Ana and Sam", "Ana, Sam
// and Priya".
func and(names []string) string {
	switch n := len(names); n {
	case 0:
		return ""
	case 1:
		return names[0]
	default:
		return strings.Join(names[:n-1], ", ") + " and " + names[n-1]
	}
}
