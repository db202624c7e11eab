package mail

import (
	"fmt"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// A climate answer can raise a problem. The manager answers it from the
// digest (its number), and carecoach brings the words to whoever wrote it
// (ConcernReply); some business days later it asks the manager whether the
// problem is solved (ConcernCheckBack), and the note that goes with
// "done" reaches the writer too. On a team whose answers are anonymous the
// manager is never told who wrote it, and every email says so.

// ConcernReply brings a manager's words on a climate answer to whoever
// wrote it: the first answer, or (Note) the note of a check-back. It is
// not answerable by carecoach: on a named team a reply goes to the
// manager; on an anonymous one there is no Reply-To, since a reply would
// tell the manager who wrote it.
type ConcernReply struct {
	Agent            care.Member // whoever wrote the climate answer
	Manager          care.Member
	Question, Answer string // the climate question and their answer, verbatim
	Words            string // the manager's, verbatim
	Anonymous        bool
	// Note: the words are the note the manager wrote when checking back.
	Note bool
}

type concernReplyView struct {
	ConcernReply
	From string // the manager's name on one line, or "Your manager"
}

// ConcernReplyEmail composes the manager's words to the writer.
func ConcernReplyEmail(c ConcernReply) (care.Email, error) {
	switch {
	case c.Agent.Email == "":
		return care.Email{}, fmt.Errorf("answer to a climate answer: its writer has no email address")
	case strings.TrimSpace(c.Words) == "":
		return care.Email{}, fmt.Errorf("answer to a climate answer: no words to pass on")
	}
	v := concernReplyView{ConcernReply: c, From: firstNonEmpty(person(c.Manager.Name), "Your manager")}
	subject := v.From + " answered what you raised"
	if c.Note {
		subject = v.From + " checked back on what you raised"
	}
	e := care.Email{
		To:      []string{c.Agent.Email},
		Subject: subject + ": “" + clip(oneLine(c.Question), 80) + "”",
		Text:    concernReplyText(v),
		HTML:    concernReplyHTML(v),
		Tags:    teamTags("concern_reply", firstNonEmpty(c.Agent.Team, c.Manager.Team)),
	}
	if !c.Anonymous && c.Manager.Email != "" {
		e.ReplyTo = []string{c.Manager.Email}
	}
	return e, nil
}

// concernLead is the email's first sentence, without its end.
func concernLead(v concernReplyView) string {
	if v.Note {
		return v.From + " checked back on what you raised about the team, and wanted to say"
	}
	return v.From + " read what you raised about the team, and answers"
}

// concernAfter is what the writer can do next.
func concernAfter(v concernReplyView) string {
	if v.Anonymous {
		return "Your answer stays anonymous: carecoach passed this on without telling " + v.From + " who wrote it. To talk it through, write to " + v.From + " yourself (that tells them it was you)."
	}
	return "Reply to talk it through with " + v.From + "."
}

func concernReplyHTML(v concernReplyView) string {
	var w writer
	w.raw(htmlHead)
	w.text(v.From)
	w.raw(" answered what you raised", htmlBody, htmlCard)
	w.hi(person(v.Agent.Name))
	w.raw(pOpen)
	w.text(concernLead(v))
	w.raw(":</p>\n", `<blockquote style="margin:0 0 8px;padding:12px 16px;border-left:4px solid #1a7f37;background:#f6f7f9;font-size:18px;line-height:26px;white-space:pre-wrap;">`)
	w.text(v.Words)
	w.raw("</blockquote>\n", `<p style="margin:0 0 16px;color:#59636e;">— `)
	w.text(v.From)
	w.raw("</p>\n", pLabel, "You were asked: ")
	w.text(oneLine(v.Question))
	w.raw("</p>\n", pLabel, "You answered:</p>\n", quoteHTML)
	w.text(excerpt(v.Answer))
	w.raw("</blockquote>\n", pOpen)
	w.text(concernAfter(v))
	w.raw("</p>\n", htmlFooter, "Sent by carecoach because you answered your team's climate question and ")
	w.text(v.From)
	w.raw(" answered you.", htmlEnd)
	return w.String()
}

func concernReplyText(v concernReplyView) string {
	var w writer
	w.hiText(person(v.Agent.Name))
	w.raw(concernLead(v), ":\n\n", v.Words, "\n\n— ", v.From, "\n\nYou were asked: ", oneLine(v.Question), "\nYou answered:\n\n", excerpt(v.Answer), "\n\n", concernAfter(v), "\n")
	w.raw("\n--\nSent by carecoach because you answered your team's climate question and ", v.From, " answered you.\n")
	return w.String()
}

// ConcernCheckBack asks a manager, some business days after they answered
// a climate answer, whether the problem it raised is solved. It is
// answerable ("done [note]", "later 2d").
type ConcernCheckBack struct {
	Manager          care.Member
	TeamID           string
	AgentName        string // who wrote it; "" when answers are anonymous
	Question, Answer string
	Said             string // the manager's words then, verbatim
	SaidAt           time.Time
	Later            bool // the manager asked to be reminded again
	Questions        []string
	Help             string // the reply grammar, for the footer
}

type concernCheckBackView struct {
	ConcernCheckBack
	Name   string // the manager's name on one line, or ""
	Writer string // the writer's name on one line, or "someone on your team"
}

// ConcernCheckBackEmail composes the check-back on a climate answer.
func ConcernCheckBackEmail(c ConcernCheckBack) (care.Email, error) {
	switch {
	case c.Manager.Email == "":
		return care.Email{}, fmt.Errorf("check-back on a climate answer: manager has no email address")
	case strings.TrimSpace(c.Help) == "":
		return care.Email{}, fmt.Errorf("check-back on a climate answer: no reply help: it must say how to answer")
	}
	v := concernCheckBackView{ConcernCheckBack: c, Name: person(c.Manager.Name), Writer: firstNonEmpty(person(c.AgentName), "someone on your team")}
	subject := "Check back on what your team raised"
	if c.AgentName != "" {
		subject = "Check back with " + v.Writer + " on what they raised"
	}
	return care.Email{
		To:      []string{c.Manager.Email},
		Subject: subject + ": “" + clip(oneLine(c.Question), 80) + "”",
		Text:    concernCheckBackText(v),
		HTML:    concernCheckBackHTML(v),
		Tags:    teamTags("concern_checkback", firstNonEmpty(c.TeamID, c.Manager.Team)),
	}, nil
}

// concernAsk is the check-back's question.
func concernAsk(v concernCheckBackView) string {
	lead := "A few days ago you answered what " + v.Writer + " raised in the climate question."
	if v.Later {
		lead = "As you asked, a reminder about what " + v.Writer + " raised in the climate question."
	}
	return lead + " Is it solved?"
}

// concernDone is what "done" with a note does.
func concernDone(v concernCheckBackView) string {
	if v.AgentName == "" {
		return "A note after \"done\" reaches whoever wrote it, without telling you who."
	}
	return "A note after \"done\" reaches " + v.Writer + "."
}

func concernCheckBackHTML(v concernCheckBackView) string {
	var w writer
	w.raw(htmlHead, "Check back on what your team raised", htmlBody)
	w.markerHTML()
	w.raw("\n", htmlCard)
	w.hi(v.Name)
	w.raw(pOpen)
	w.text(concernAsk(v))
	w.raw("</p>\n", pLabel, "The question: ")
	w.text(oneLine(v.Question))
	w.raw("</p>\n", pLabel, "What ")
	w.text(v.Writer)
	w.raw(" answered:</p>\n", quoteHTML)
	w.text(excerpt(v.Answer))
	w.raw("</blockquote>\n")
	if v.Said != "" {
		w.raw(pLabel, "What you said")
		if !v.SaidAt.IsZero() {
			w.raw(" on ")
			w.text(day(v.SaidAt))
		}
		w.raw(":</p>\n", `<blockquote style="margin:0 0 16px;padding:12px 16px;border-left:4px solid #9a6700;background:#f6f7f9;white-space:pre-wrap;">`)
		w.text(v.Said)
		w.raw("</blockquote>\n")
	}
	w.raw(pLabel, "A few open questions:</p>\n", `<ul style="margin:0 0 16px;padding-left:20px;">`, "\n")
	for _, q := range v.Questions {
		w.raw(`<li style="margin:0 0 4px;">`)
		w.text(q)
		w.raw("</li>\n")
	}
	w.raw("</ul>\n", pOpen)
	w.text(concernDone(v))
	w.raw("</p>\n")
	w.howToReplyHTML(v.Help)
	w.raw("\n", htmlFooter, "Sent by carecoach because you answered a climate answer from your digest, and your team checks back a few business days later.", htmlEnd)
	return w.String()
}

func concernCheckBackText(v concernCheckBackView) string {
	var w writer
	w.raw(care.ReplyMarker, "\n\n")
	w.hiText(v.Name)
	w.raw(concernAsk(v), "\n\nThe question: ", oneLine(v.Question), "\nWhat ", v.Writer, " answered:\n\n", excerpt(v.Answer), "\n")
	if v.Said != "" {
		w.raw("\nWhat you said")
		if !v.SaidAt.IsZero() {
			w.raw(" on ", day(v.SaidAt))
		}
		w.raw(":\n\n", v.Said, "\n")
	}
	w.raw("\nA few open questions:\n")
	for _, q := range v.Questions {
		w.raw("\n- ", q)
	}
	w.raw("\n\n", concernDone(v), "\n\n--\n")
	w.howToReplyText(v.Help)
	w.raw("Sent by carecoach because you answered a climate answer from your digest, and your team checks back a few business days later.\n")
	return w.String()
}
