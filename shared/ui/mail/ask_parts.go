package mail

import "github.com/carecoach/carecoach/shared/core/care"

// The request for feedback's, its receipt's and its answer's two parts.

const askQuoteHTML = `<blockquote style="margin:0 0 16px;padding:12px 16px;border-left:4px solid #0b57d0;background:#f6f7f9;white-space:pre-wrap;">`

// timelineHTML writes a ticket's story as the alert does.
func (w *writer) timelineHTML(entries []TimelineEntry) {
	if len(entries) == 0 {
		return
	}
	w.raw(pLabel, "How the ticket went:</p>\n", `<table role="presentation" style="border-collapse:collapse;width:100%;margin:0 0 16px;font-size:14px;">`)
	for _, e := range entries {
		w.raw("\n", `<tr><td style="padding:4px 12px 4px 0;vertical-align:top;white-space:nowrap;color:#59636e;">`)
		w.text(when(e.At))
		w.raw(`</td><td style="padding:4px 0;vertical-align:top;"><strong>`)
		w.text(e.Who)
		w.raw("</strong> ")
		w.text(e.What)
		w.raw("</td></tr>")
	}
	w.raw("\n</table>\n")
}

func timelineText(w *writer, entries []TimelineEntry) {
	if len(entries) == 0 {
		return
	}
	w.raw("\nHow the ticket went:\n")
	for _, e := range entries {
		w.raw("\n- ", when(e.At), "  ", e.Who, " ", e.What)
	}
	w.raw("\n")
}

func askRequestHTML(v askRequestView) string {
	var w writer
	w.raw(htmlHead)
	w.text(v.Agent)
	w.raw(" asks for your feedback", htmlBody)
	w.markerHTML()
	w.raw("\n", htmlCard)
	w.hi(v.Name)
	w.raw(pOpen, "<strong>")
	w.text(v.Agent)
	w.raw("</strong> asks for your feedback on\n")
	w.workHTML(v.TicketID, v.TicketURL, "their work")
	w.subjectHTML(v.Subject)
	if !v.AskedAt.IsZero() {
		w.raw(" (")
		w.text(whenShort(v.AskedAt))
		w.raw(")")
	}
	w.raw(".</p>\n", pLabel, "Their question:</p>\n", askQuoteHTML)
	w.text(v.Question)
	w.raw("</blockquote>\n")
	if len(v.Others) > 0 {
		w.raw(pOpen, "Also asked: ")
		w.text(and(v.Others))
		w.raw(".</p>\n")
	}
	w.timelineHTML(v.Timeline)
	if v.TicketURL != "" {
		w.button("Open ticket #", v.TicketID, v.TicketURL)
		w.raw("\n")
	}
	w.raw(pOpen, "Your answer goes to ")
	w.text(v.Agent)
	w.raw(" as you write it")
	w.raw(either(v.Peer, ", as feedback from a teammate.", ", and counts as your feedback to them."), "</p>\n")
	w.howToReplyHTML(v.Help)
	w.raw("\n", htmlFooter, "Sent by carecoach because ")
	w.text(v.Agent)
	w.raw(" asked you for feedback on ")
	w.text(workText(v.TicketID, "their work"))
	w.raw(".", htmlEnd)
	return w.String()
}

func askRequestText(v askRequestView) string {
	var w writer
	w.raw(care.ReplyMarker, "\n\n")
	w.hiText(v.Name)
	w.raw(v.Agent, " asks for your feedback on ", workText(v.TicketID, "their work"), subjectText(v.Subject))
	if !v.AskedAt.IsZero() {
		w.raw(" (", whenShort(v.AskedAt), ")")
	}
	w.raw(".\n\nTheir question:\n\n", v.Question, "\n")
	if len(v.Others) > 0 {
		w.raw("\nAlso asked: ", and(v.Others), ".\n")
	}
	timelineText(&w, v.Timeline)
	if v.TicketURL != "" {
		w.raw("\nOpen the ticket: ", v.TicketURL, "\n")
	}
	w.raw("\nYour answer goes to ", v.Agent, " as you write it", either(v.Peer, ", as feedback from a teammate.", ", and counts as your feedback to them."), "\n\n--\n")
	w.howToReplyText(v.Help)
	w.raw("Sent by carecoach because ", v.Agent, " asked you for feedback on ", workText(v.TicketID, "their work"), ".\n")
	return w.String()
}

// askHowTo is the receipt's reminder of how to ask.
func askHowTo(address string) (lead, example string) {
	return "To ask for feedback, mail " + firstNonEmpty(address, "carecoach's ask address") + " the ticket's number and your question, naming teammates to ask with @ (your manager is always asked), e.g.",
		"#5158 @priya How could I have explained the firmware rollback better?"
}

func askReceiptHTML(v askReceiptView) string {
	var w writer
	w.raw(htmlHead, either(v.Problem == "", "Your question was sent", "Your request for feedback was not sent"), htmlBody, htmlCard)
	w.hi(v.Name)
	if v.Problem == "" {
		w.raw(pOpen, "Your question about\n")
		w.workHTML(v.TicketID, "", "your ticket")
		w.subjectHTML(v.Subject)
		w.raw(" went to <strong>")
		w.text(v.Whom)
		w.raw("</strong>. Their answers will reach you by email.</p>\n")
	} else {
		w.raw(pOpen, "<strong>Nothing was sent:</strong> ")
		w.text(v.Problem)
		w.raw("</p>\n")
	}
	if v.Unknown != "" {
		w.raw(pOpen, "carecoach found nobody on your team called ")
		w.text(v.Unknown)
		w.raw(", so they were not asked: name a teammate by first name (@priya), the start of their address (@priya.n) or their whole address.</p>\n")
	}
	lead, example := askHowTo(v.Address)
	w.raw(pLabel)
	w.text(lead)
	w.raw("</p>\n", `<p style="margin:0 0 16px;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;">`)
	w.text(example)
	w.raw("</p>\n", htmlFooter, "Sent by carecoach because you mailed ")
	w.text(firstNonEmpty(v.Address, "its ask address"))
	w.raw(".", htmlEnd)
	return w.String()
}

func askReceiptText(v askReceiptView) string {
	var w writer
	w.hiText(v.Name)
	if v.Problem == "" {
		w.raw("Your question about ", workText(v.TicketID, "your ticket"), subjectText(v.Subject), " went to ", v.Whom, ". Their answers will reach you by email.\n")
	} else {
		w.raw("NOTHING WAS SENT: ", v.Problem, "\n")
	}
	if v.Unknown != "" {
		w.raw("\ncarecoach found nobody on your team called ", v.Unknown,
			", so they were not asked: name a teammate by first name (@priya), the start of their address (@priya.n) or their whole address.\n")
	}
	lead, example := askHowTo(v.Address)
	w.raw("\n", lead, "\n\n  ", example, "\n\n--\nSent by carecoach because you mailed ", firstNonEmpty(v.Address, "its ask address"), ".\n")
	return w.String()
}

func askAnswerHTML(v askAnswerView) string {
	var w writer
	w.raw(htmlHead)
	w.text(v.By)
	w.raw(" answered your question", htmlBody, htmlCard)
	w.hi(v.Name)
	w.raw(pOpen, "<strong>")
	w.text(v.By)
	w.raw("</strong> answered your question about\n")
	w.workHTML(v.TicketID, v.TicketURL, "your work")
	w.subjectHTML(v.Subject)
	w.raw(either(v.Praise, " with praise:", ":"), "</p>\n")
	w.raw(`<blockquote style="margin:0 0 8px;padding:12px 16px;border-left:4px solid #1a7f37;background:#f6f7f9;font-size:18px;line-height:26px;white-space:pre-wrap;">`)
	w.text(v.Words)
	w.raw("</blockquote>\n", `<p style="margin:0 0 16px;color:#59636e;">— `)
	w.text(v.By)
	w.raw("</p>\n")
	if v.Question != "" {
		w.raw(pLabel, "You asked:</p>\n", quoteHTML)
		w.text(v.Question)
		w.raw("</blockquote>\n")
	}
	if v.TicketURL != "" {
		w.button("Open ticket #", v.TicketID, v.TicketURL)
		w.raw("\n")
	}
	if v.From.Email != "" {
		w.raw(pOpen, "Reply to this email to answer ")
		w.text(v.By)
		w.raw(" directly.</p>\n")
	}
	w.raw(htmlFooter, "Sent by carecoach because you asked for feedback on ")
	w.text(workText(v.TicketID, "your work"))
	w.raw(".", htmlEnd)
	return w.String()
}

func askAnswerText(v askAnswerView) string {
	var w writer
	w.hiText(v.Name)
	w.raw(v.By, " answered your question about ", workText(v.TicketID, "your work"), subjectText(v.Subject), either(v.Praise, " with praise:", ":"),
		"\n\n", v.Words, "\n\n— ", v.By, "\n")
	if v.Question != "" {
		w.raw("\nYou asked:\n\n", v.Question, "\n")
	}
	if v.TicketURL != "" {
		w.raw("\nOpen the ticket: ", v.TicketURL, "\n")
	}
	if v.From.Email != "" {
		w.raw("\nReply to this email to answer ", v.By, " directly.\n")
	}
	w.raw("\n--\nSent by carecoach because you asked for feedback on ", workText(v.TicketID, "your work"), ".\n")
	return w.String()
}
