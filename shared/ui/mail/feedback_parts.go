package mail

import "github.com/carecoach/carecoach/shared/core/care"

// The feedback's and the recognition's two parts.

func feedbackViewOf(f Feedback) feedbackView {
	return feedbackView{Feedback: f, From: firstNonEmpty(person(f.Manager.Name), "Your manager"), Coach: f.Kind == care.Coaching}
}

func recognitionViewOf(r Recognition) recognitionView {
	v := recognitionView{
		Recognition: r,
		From:        firstNonEmpty(person(r.Manager.Name), "Your manager"),
		Whom:        firstNonEmpty(person(r.Agent.Name), "a teammate"),
		Wrote:       "your manager's",
	}
	if n := person(r.Manager.Name); n != "" {
		v.Wrote = n + "'s"
	}
	return v
}

// either is a when the condition holds, else b.
func either[T any](cond bool, a, b T) T {
	if cond {
		return a
	}
	return b
}

func feedbackHTML(v feedbackView) string {
	var w writer
	w.raw(htmlHead)
	w.text(v.From)
	w.raw(" on ")
	w.text(workText(v.TicketID, "your work"))
	w.raw(htmlBody, htmlCard)
	w.hi(person(v.Agent.Name))
	w.raw(pOpen)
	w.text(v.From)
	w.raw(" ", either(v.Coach, "looked at", "noticed what you did on"), "\n")
	w.workHTML(v.TicketID, v.TicketURL, "your work")
	w.subjectHTML(v.Subject)
	w.raw(either(v.Coach, ", and has a word to help", ", and wanted you to hear it"), either(v.Words != "", ":", "."), "</p>\n")
	if v.Words != "" {
		w.raw(`<blockquote style="margin:0 0 8px;padding:12px 16px;border-left:4px solid `, either(v.Coach, "#9a6700", "#1a7f37"),
			`;background:#f6f7f9;font-size:18px;line-height:26px;white-space:pre-wrap;">`)
		w.text(v.Words)
		w.raw("</blockquote>\n", `<p style="margin:0 0 16px;color:#59636e;">— `)
		w.text(v.From)
		w.raw("</p>\n")
	}
	if v.What != "" {
		w.raw(pLabel, "What happened")
		if !v.At.IsZero() {
			w.raw(" on ")
			w.text(when(v.At))
		}
		w.raw(":</p>\n", pOpen)
		w.text(v.What)
		w.raw("</p>\n")
	}
	if v.Reward != "" {
		w.raw(pOpen, "<strong>Your reward:</strong> ")
		w.text(v.Reward)
		w.raw("</p>\n")
	}
	if v.Shared {
		w.raw(pOpen)
		w.text(v.From)
		w.raw(" also shared this with the team", either(v.Coach, "", ", so everyone sees what good looks like"), ".</p>\n")
	}
	if v.Coach {
		w.raw(pOpen, "This is about one ticket, and it is how the whole team gets better. ")
		if v.Manager.Email != "" {
			w.raw("Reply to this email to talk it through with ")
			w.text(v.From)
			w.raw(".")
		} else {
			w.text(v.From)
			w.raw(" is happy to talk it through.")
		}
		w.raw("</p>\n")
	}
	if v.TicketURL != "" {
		w.button("Open ticket #", v.TicketID, v.TicketURL)
		w.raw("\n")
	}
	w.raw(htmlFooter, "Sent by carecoach because ")
	w.text(v.From)
	w.raw(" gave you ", either(v.Coach, "coaching", "praise"), " on ")
	w.text(workText(v.TicketID, "your work"))
	w.raw(".", htmlEnd)
	return w.String()
}

func feedbackText(v feedbackView) string {
	var w writer
	w.hiText(person(v.Agent.Name))
	w.raw(v.From, " ", either(v.Coach, "looked at", "noticed what you did on"), " ", workText(v.TicketID, "your work"), subjectText(v.Subject),
		either(v.Coach, ", and has a word to help", ", and wanted you to hear it"), either(v.Words != "", ":", "."), "\n")
	if v.Words != "" {
		w.raw("\n", v.Words, "\n\n— ", v.From, "\n")
	}
	if v.What != "" {
		w.raw("\nWhat happened")
		if !v.At.IsZero() {
			w.raw(" on ", when(v.At))
		}
		w.raw(":\n", person(v.What), "\n")
	}
	if v.Reward != "" {
		w.raw("\nYour reward: ", person(v.Reward), "\n")
	}
	if v.Shared {
		w.raw("\n", v.From, " also shared this with the team", either(v.Coach, "", ", so everyone sees what good looks like"), ".\n")
	}
	if v.Coach {
		w.raw("\nThis is about one ticket, and it is how the whole team gets better. ")
		if v.Manager.Email != "" {
			w.raw("Reply to this email to talk it through with ", v.From, ".\n")
		} else {
			w.raw(v.From, " is happy to talk it through.\n")
		}
	}
	if v.TicketURL != "" {
		w.raw("\nOpen the ticket: ", v.TicketURL, "\n")
	}
	w.raw("\n--\nSent by carecoach because ", v.From, " gave you ", either(v.Coach, "coaching", "praise"), " on ", workText(v.TicketID, "your work"), ".\n")
	return w.String()
}

func recognitionHTML(v recognitionView) string {
	var w writer
	team := person(v.TeamName)
	w.raw(htmlHead)
	w.text(v.From)
	w.raw(" recognises ")
	w.text(v.Whom)
	w.raw(htmlBody, htmlCard, pOpen, "Hi ")
	w.text(firstNonEmpty(team, "everyone"))
	w.raw(",</p>\n", pOpen)
	w.text(v.From)
	w.raw(" wants the whole team to see what <strong>")
	w.text(v.Whom)
	w.raw("</strong> did")
	if v.TicketID != "" {
		w.raw(" on\n")
		w.ticketLink("ticket #", v.TicketID, v.TicketURL)
		w.subjectHTML(v.Subject)
	}
	w.raw(".</p>\n")
	if v.What != "" {
		w.raw(`<p style="margin:0 0 4px;color:#59636e;">What `)
		w.text(v.Whom)
		w.raw(" did:</p>\n", pOpen)
		w.text(v.What)
		w.raw("</p>\n")
	}
	if v.WhyItMatters != "" {
		w.raw(`<p style="margin:0 0 4px;color:#59636e;">Why it matters:</p>`, "\n", pOpen)
		w.text(v.WhyItMatters)
		w.raw("</p>\n")
	}
	if v.Words != "" {
		w.raw(pLabel, "In ")
		w.text(v.Wrote)
		w.raw(" words:</p>\n", `<blockquote style="margin:0 0 16px;padding:12px 16px;border-left:4px solid #1a7f37;background:#f6f7f9;font-size:18px;line-height:26px;white-space:pre-wrap;">`)
		w.text(v.Words)
		w.raw("</blockquote>\n")
	}
	if v.Reward != "" {
		w.raw(pOpen, "<strong>Reward:</strong> ")
		w.text(v.Reward)
		w.raw("</p>\n")
	}
	w.raw(htmlFooter, "Sent by carecoach because ")
	w.text(v.From)
	w.raw(" shared praise for ")
	w.text(v.Whom)
	w.raw(" with ")
	w.text(firstNonEmpty(team, "the team"))
	w.raw(".", htmlEnd)
	return w.String()
}

func recognitionText(v recognitionView) string {
	var w writer
	team := person(v.TeamName)
	w.raw("Hi ", firstNonEmpty(team, "everyone"), ",\n\n", v.From, " wants the whole team to see what ", v.Whom, " did")
	if v.TicketID != "" {
		w.raw(" on ticket #", v.TicketID, subjectText(v.Subject))
	}
	w.raw(".\n")
	if v.What != "" {
		w.raw("\nWhat ", v.Whom, " did:\n", person(v.What), "\n")
	}
	if v.WhyItMatters != "" {
		w.raw("\nWhy it matters:\n", person(v.WhyItMatters), "\n")
	}
	if v.Words != "" {
		w.raw("\nIn ", v.Wrote, " words:\n\n", v.Words, "\n")
	}
	if v.Reward != "" {
		w.raw("\nReward: ", person(v.Reward), "\n")
	}
	if v.TicketURL != "" {
		w.raw("\nThe ticket: ", v.TicketURL, "\n")
	}
	w.raw("\n--\nSent by carecoach because ", v.From, " shared praise for ", v.Whom, " with ", firstNonEmpty(team, "the team"), ".\n")
	return w.String()
}
