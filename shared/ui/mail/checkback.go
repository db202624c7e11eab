package mail

import (
	"fmt"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/digest"
)

// CheckBack asks a manager, some business days after their coaching,
// whether it worked: the ticket, what happened, what they said, and open
// questions to ask the agent. It is answerable ("done [note]", "later 2d").
type CheckBack struct {
	Manager   care.Member
	TeamID    string
	AgentName string
	TicketID  string
	Subject   string // the ticket's
	TicketURL string
	What      string // the moment: what happened
	Said      string // the manager's words then, verbatim
	SaidAt    time.Time
	// Alert: the words answered a bad-rating alert, not a digest item.
	Alert bool
	// Later: the manager asked to be reminded again.
	Later     bool
	Questions []string // open questions to ask the agent
	Help      string   // the reply grammar, for the footer
}

type checkBackView struct {
	CheckBack
	Name  string // the manager's name on one line, or ""
	Agent string // the agent's name on one line, or "the agent"
}

// CheckBackEmail composes the check-back to the manager.
func CheckBackEmail(c CheckBack) (care.Email, error) {
	switch {
	case c.Manager.Email == "":
		return care.Email{}, fmt.Errorf("check-back on ticket #%s: manager has no email address", c.TicketID)
	case strings.TrimSpace(c.Help) == "":
		return care.Email{}, fmt.Errorf("check-back on ticket #%s: no reply help: it must say how to answer", c.TicketID)
	}
	v := checkBackViewOf(c)
	h, t := checkBackHTML(v), checkBackText(v)
	return care.Email{
		To:      []string{c.Manager.Email},
		Subject: "Check back with " + v.Agent + " on " + work(c.TicketID, c.Subject),
		Text:    t,
		HTML:    h,
		Tags:    teamTags("checkback", firstNonEmpty(c.TeamID, c.Manager.Team)),
	}, nil
}

// CheckBackThanks brings the note a manager wrote with "done" to the
// agent: a thank-you about the named ticket. It is not answerable; a
// reply goes to the manager.
type CheckBackThanks struct {
	Agent     care.Member
	Manager   care.Member
	Note      string // verbatim
	TicketID  string
	Subject   string
	TicketURL string
}

type checkBackThanksView struct {
	CheckBackThanks
	From string // the manager's name on one line, or "Your manager"
}

// CheckBackThanksEmail composes the thank-you to the agent.
func CheckBackThanksEmail(c CheckBackThanks) (care.Email, error) {
	switch {
	case c.Agent.Email == "":
		return care.Email{}, fmt.Errorf("check-back thanks on ticket #%s: agent has no email address", c.TicketID)
	case strings.TrimSpace(c.Note) == "":
		return care.Email{}, fmt.Errorf("check-back thanks on ticket #%s: no note to pass on", c.TicketID)
	}
	v := checkBackThanksViewOf(c)
	h, t := checkBackThanksHTML(v), checkBackThanksText(v)
	e := care.Email{
		To:      []string{c.Agent.Email},
		Subject: v.From + " checked back on " + work(c.TicketID, c.Subject),
		Text:    t,
		HTML:    h,
		Tags:    teamTags("checkback_thanks", firstNonEmpty(c.Agent.Team, c.Manager.Team)),
	}
	if c.Manager.Email != "" {
		e.ReplyTo = []string{c.Manager.Email}
	}
	return e, nil
}

// DigestCheckBacks is the digest's "Checking back" section: the
// check-backs the manager did this week, those still waiting, and the
// follow-through over the last Weeks weeks.
type DigestCheckBacks struct {
	Done, Open      []CheckBackLine
	Asked, Followed int
	Weeks           int
}

// Rate is the follow-through as "67%".
func (d DigestCheckBacks) Rate() string { return digest.Percent(d.Followed, d.Asked) }

// CheckBackLine is one check-back in a digest.
type CheckBackLine struct {
	AgentName string
	TicketID  string
	TicketURL string
	At        time.Time // done, or asked
	Again     time.Time // put off: when the manager is asked again
	Note      string    // the note that went with done
	// Concern: a check-back on a climate answer, not on a ticket.
	Concern bool
}
