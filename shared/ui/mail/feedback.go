package mail

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Feedback is a manager's words to one agent about one specific moment.
type Feedback struct {
	Agent     care.Member
	Manager   care.Member
	Kind      care.MomentKind // praise | coaching
	Words     string          // the manager's words, verbatim
	Reward    string
	What      string // the moment: what happened
	Subject   string
	TicketID  string
	TicketURL string
	At        time.Time
	Shared    bool // also shared with the team
}

type feedbackView struct {
	Feedback
	From  string // the manager's name on one line, or "Your manager"
	Coach bool
}

// FeedbackEmail brings a manager's words to the agent: praise framed as
// recognition, coaching framed as support, always about the named ticket and
// what happened there. It is not answerable; replies go to the manager.
func FeedbackEmail(f Feedback) (care.Email, error) {
	switch {
	case f.Agent.Email == "":
		return care.Email{}, fmt.Errorf("feedback on ticket #%s: agent has no email address", f.TicketID)
	case f.Kind != care.Praise && f.Kind != care.Coaching:
		return care.Email{}, fmt.Errorf("feedback on ticket #%s: kind %q is neither praise nor coaching", f.TicketID, f.Kind)
	}
	v := feedbackViewOf(f)
	h, t := feedbackHTML(v), feedbackText(v)
	subject := v.From + " on " + work(f.TicketID, f.Subject)
	e := care.Email{
		To:      []string{f.Agent.Email},
		Subject: subject,
		Text:    t,
		HTML:    h,
		Tags:    teamTags("feedback", firstNonEmpty(f.Agent.Team, f.Manager.Team)),
	}
	if f.Manager.Email != "" {
		// A reply is a conversation with the manager, not with carecoach.
		e.ReplyTo = []string{f.Manager.Email}
	}
	return e, nil
}

// work names the work feedback is about, for a subject: "ticket #5158:
// Printer offline after firmware update".
func work(ticketID, subject string) string {
	switch {
	case ticketID == "":
		return "your work: " + oneLine(subject)
	case strings.TrimSpace(subject) == "":
		return "ticket #" + ticketID
	default:
		return "ticket #" + ticketID + ": " + oneLine(subject)
	}
}

// Recognition is praise a manager shares with the whole team: what one
// agent did, why it matters, and the manager's words.
type Recognition struct {
	To           []string // the team's addresses
	TeamName     string
	Agent        care.Member
	Manager      care.Member
	What         string // what they did
	WhyItMatters string // why it matters, e.g. "Customers who hear back within the hour stay with us."
	Words        string // the manager's words
	Reward       string
	Subject      string
	TicketID     string
	TicketURL    string
}

type recognitionView struct {
	Recognition
	From  string // the manager's name on one line, or "Your manager"
	Whom  string // the agent's name on one line, or "a teammate"
	Wrote string // "Jordan Reyes's" words, or "your manager's"
}

// RecognitionEmail tells the whole team what one agent did on a named
// ticket and why it matters, in the manager's words. It is not answerable.
func RecognitionEmail(r Recognition) (care.Email, error) {
	to := slices.DeleteFunc(slices.Clone(r.To), func(a string) bool { return strings.TrimSpace(a) == "" })
	if len(to) == 0 {
		return care.Email{}, fmt.Errorf("recognition of %s on ticket #%s: the team has no email addresses", person(r.Agent.Name), r.TicketID)
	}
	v := recognitionViewOf(r)
	h, t := recognitionHTML(v), recognitionText(v)
	subject := v.From + " recognises " + v.Whom
	switch what := strings.TrimRight(clip(person(r.What), 90), "."); {
	case what != "":
		subject += ": " + what
	case r.TicketID != "" || strings.TrimSpace(r.Subject) != "":
		subject += " for " + strings.TrimPrefix(work(r.TicketID, r.Subject), "your work: ")
	}
	return care.Email{
		To:      to,
		Subject: subject,
		Text:    t,
		HTML:    h,
		Tags:    teamTags("recognition", firstNonEmpty(r.Agent.Team, r.Manager.Team)),
	}, nil
}

// WhyItMatters explains a behaviour in one sentence, for recognition emails.
func WhyItMatters(b care.Behaviour) string {
	switch b {
	case care.Respond:
		return "Customers who hear back quickly know someone is on it, and they stay with us."
	case care.FollowUpDone:
		return "Checking in after solving shows customers we care that it stayed solved, not just that the ticket closed."
	case care.Commitment:
		return "Keeping the date we promised is how customers learn they can trust our word."
	case care.Escalate:
		return "Escalating early gets the customer to the right person before the wait becomes the problem."
	case care.Delight:
		return "A delighted customer comes back, and tells others how we treated them."
	default:
		return "Moments like this are the care we promise every customer."
	}
}
