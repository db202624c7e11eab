package mail

import "github.com/carecoach/carecoach/shared/core/care"

// The check-back's and the check-back thanks' two parts.

func checkBackViewOf(c CheckBack) checkBackView {
	return checkBackView{CheckBack: c, Name: person(c.Manager.Name), Agent: firstNonEmpty(person(c.AgentName), "the agent")}
}

func checkBackThanksViewOf(c CheckBackThanks) checkBackThanksView {
	return checkBackThanksView{CheckBackThanks: c, From: firstNonEmpty(person(c.Manager.Name), "Your manager")}
}

// workHTML writes "ticket #42", linked when there is a URL, or else.
func (w *writer) workHTML(id, url, orElse string) {
	if url == "" && id == "" {
		w.raw(orElse)
		return
	}
	w.ticketLink("ticket #", id, url)
}

// workText is "ticket #42", or orElse without a ticket.
func workText(id, orElse string) string {
	if id == "" {
		return orElse
	}
	return "ticket #" + id
}

// subjectHTML writes ": <strong>subject</strong>" when there is one.
func (w *writer) subjectHTML(s string) {
	if s != "" {
		w.raw(": <strong>")
		w.text(oneLine(s))
		w.raw("</strong>")
	}
}

// subjectText is ": subject" when there is one.
func subjectText(s string) string {
	if s == "" {
		return ""
	}
	return ": " + oneLine(s)
}

// checkedBack is the check-back's question, up to the agent's name.
func checkedBack(v checkBackView) string {
	if v.Later {
		return "As you asked, a reminder: have"
	}
	s := "A few days ago you gave " + v.Agent + " coaching"
	if v.Alert {
		s += " after a bad rating"
	}
	return s + ". Have"
}

func checkBackHTML(v checkBackView) string {
	var w writer
	w.raw(htmlHead, "Check back with ")
	w.text(v.Agent)
	w.raw(htmlBody)
	w.markerHTML()
	w.raw("\n", htmlCard)
	w.hi(v.Name)
	w.raw(pOpen)
	w.text(checkedBack(v))
	w.raw(" you checked back with <strong>")
	w.text(v.Agent)
	w.raw("</strong> on\n")
	w.workHTML(v.TicketID, v.TicketURL, "their work")
	w.subjectHTML(v.Subject)
	w.raw("?</p>\n")
	if v.What != "" {
		w.raw(pLabel, "What happened:</p>\n", pOpen)
		w.text(v.What)
		w.raw("</p>\n")
	}
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
	w.raw(pLabel, "A few open questions to ask ")
	w.text(v.Agent)
	w.raw(":</p>\n", `<ul style="margin:0 0 16px;padding-left:20px;">`, "\n")
	for _, q := range v.Questions {
		w.raw(`<li style="margin:0 0 4px;">`)
		w.text(q)
		w.raw("</li>\n")
	}
	w.raw("</ul>\n", pOpen, "Checking back shows ")
	w.text(v.Agent)
	w.raw(" that the coaching mattered, and tells you whether it worked.</p>\n")
	if v.TicketURL != "" {
		w.button("Open ticket #", v.TicketID, v.TicketURL)
		w.raw("\n")
	}
	w.howToReplyHTML(v.Help)
	w.raw("\n", htmlFooter, "Sent by carecoach because your team checks back on coaching a few business days after it is given.", htmlEnd)
	return w.String()
}

func checkBackText(v checkBackView) string {
	var w writer
	w.raw(care.ReplyMarker, "\n\n")
	w.hiText(v.Name)
	w.raw(checkedBack(v), " you checked back with ", v.Agent, " on ", workText(v.TicketID, "their work"), subjectText(v.Subject), "?\n")
	if v.What != "" {
		w.raw("\nWhat happened:\n", person(v.What), "\n")
	}
	if v.Said != "" {
		w.raw("\nWhat you said")
		if !v.SaidAt.IsZero() {
			w.raw(" on ", day(v.SaidAt))
		}
		w.raw(":\n\n", v.Said, "\n")
	}
	w.raw("\nA few open questions to ask ", v.Agent, ":\n")
	for _, q := range v.Questions {
		w.raw("\n- ", q)
	}
	w.raw("\n\nChecking back shows ", v.Agent, " that the coaching mattered, and tells you whether it worked.\n")
	if v.TicketURL != "" {
		w.raw("\nOpen the ticket: ", v.TicketURL, "\n")
	}
	w.raw("\n--\n")
	w.howToReplyText(v.Help)
	w.raw("Sent by carecoach because your team checks back on coaching a few business days after it is given.\n")
	return w.String()
}

func checkBackThanksHTML(v checkBackThanksView) string {
	var w writer
	w.raw(htmlHead)
	w.text(v.From)
	w.raw(" checked back", htmlBody, htmlCard)
	w.hi(person(v.Agent.Name))
	w.raw(pOpen)
	w.text(v.From)
	w.raw(" checked back on\n")
	w.workHTML(v.TicketID, v.TicketURL, "your work")
	w.subjectHTML(v.Subject)
	w.raw(", and wanted to say:</p>\n", `<blockquote style="margin:0 0 8px;padding:12px 16px;border-left:4px solid #1a7f37;background:#f6f7f9;font-size:18px;line-height:26px;white-space:pre-wrap;">`)
	w.text(v.Note)
	w.raw("</blockquote>\n", `<p style="margin:0 0 16px;color:#59636e;">— `)
	w.text(v.From)
	w.raw("</p>\n")
	if v.TicketURL != "" {
		w.button("Open ticket #", v.TicketID, v.TicketURL)
		w.raw("\n")
	}
	w.raw(htmlFooter, "Sent by carecoach because ")
	w.text(v.From)
	w.raw(" checked back with you after coaching on ")
	w.text(workText(v.TicketID, "your work"))
	w.raw(".", htmlEnd)
	return w.String()
}

func checkBackThanksText(v checkBackThanksView) string {
	var w writer
	w.hiText(person(v.Agent.Name))
	w.raw(v.From, " checked back on ", workText(v.TicketID, "your work"), subjectText(v.Subject), ", and wanted to say:\n\n", v.Note, "\n\n— ", v.From, "\n")
	if v.TicketURL != "" {
		w.raw("\nOpen the ticket: ", v.TicketURL, "\n")
	}
	w.raw("\n--\nSent by carecoach because ", v.From, " checked back with you after coaching on ", workText(v.TicketID, "your work"), ".\n")
	return w.String()
}
