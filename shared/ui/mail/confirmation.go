package mail

import (
	"fmt"
	"strings"

	"github.com/carecoach/carecoach/shared/core/care"
)

// ProblemLine is one line of a manager's reply that carecoach could not
// understand, and why.
type ProblemLine struct {
	Line      int // 1-based in the reply; 0 when unknown
	Text, Why string
}

// Confirmation tells a manager what carecoach did with their reply.
type Confirmation struct {
	Manager  care.Member
	Subject  string   // the subject of the email they replied to
	Recorded []string // one line per recorded action, e.g. "Praise for Ana Silva on #5158 — shared with the team, reward: lunch on me"
	Skipped  []string // e.g. "3. Priya Natarajan — missed follow-up on #42"
	Problems []ProblemLine
	// Refused, when set, says why nothing in the reply was read at all
	// (a forward, a message too large to read) and what to do instead; the
	// lists above are then empty.
	Refused string
	Help    string // the reply grammar, for the footer
}

// ConfirmationEmail answers a manager's reply: what was recorded, what was
// skipped, and — clearly and kindly — what was not understood and how to
// say it. It is answerable: both parts open with care.ReplyMarker and end
// with Help, so the manager can reply again with the corrected lines.
func ConfirmationEmail(c Confirmation) (care.Email, error) {
	if c.Manager.Email == "" {
		return care.Email{}, fmt.Errorf("confirmation of a reply to %q: manager has no email address", oneLine(c.Subject))
	}
	h, t := confirmationHTML(c), confirmationText(c)
	return care.Email{
		To:      []string{c.Manager.Email},
		Subject: re(c.Subject),
		Text:    t,
		HTML:    h,
		Tags:    teamTags("confirmation", c.Manager.Team),
	}, nil
}

// re is the subject of a reply: "Re: " once, however many times (and in
// whatever case) it was answered before.
func re(subject string) string {
	s := oneLine(subject)
	for len(s) >= 3 && strings.EqualFold(s[:3], "re:") {
		s = strings.TrimSpace(s[3:])
	}
	return "Re: " + oneLine(s)
}
