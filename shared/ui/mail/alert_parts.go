package mail

import (
	"strconv"

	"github.com/carecoach/carecoach/shared/core/care"
)

// The bad-rating alert's two parts.

// rated is the alert's opening: "On Mon 30 Nov 10:00 GMT, Maria Lopez" or
// "A customer".
func rated(v alertView) (on, who string) {
	if v.RatedAt.IsZero() {
		return "", firstNonEmpty(v.Customer, "A customer")
	}
	return when(v.RatedAt), firstNonEmpty(v.Customer, "a customer")
}

func alertHTML(v alertView) string {
	var w writer
	id := v.Ticket.Ref.TicketID
	w.raw(htmlHead, "Bad rating on ticket #")
	w.text(id)
	w.raw(htmlBody)
	if v.Help != "" {
		w.markerHTML()
		w.raw("\n")
	}
	w.raw(htmlCard)
	w.hi(v.Manager.Name)
	w.raw(pOpen)
	if on, who := rated(v); on != "" {
		w.raw("On <strong>")
		w.text(on)
		w.raw("</strong>, ")
		w.text(who)
	} else {
		w.text(who)
	}
	w.raw(" rated the service <strong style=\"color:#b42318;\">bad</strong> on\n")
	w.ticketLink("ticket #", id, v.TicketURL)
	w.raw(":\n<strong>")
	w.text(oneLine(v.Ticket.Subject))
	w.raw("</strong>.\n")
	switch {
	case v.AgentName == "":
		w.raw("The ticket was unassigned.")
	case v.Agent.Email != "":
		w.raw(`<a href="mailto:`, normalizeURL(v.Agent.Email), aLink)
		w.text(v.AgentName)
		w.raw("</a> owned the ticket.")
	default:
		w.text(v.AgentName)
		w.raw(" owned the ticket.")
	}
	w.raw("</p>\n")
	if v.Comment != "" {
		w.raw(pLabel, "What they said:</p>\n", quoteHTML)
		w.text(excerpt(v.Comment))
		w.raw("</blockquote>")
	} else {
		w.raw(`<p style="margin:0 0 16px;color:#59636e;">They left no comment.</p>`)
	}
	w.raw("\n")
	if len(v.Timeline) > 0 {
		w.raw(pLabel, "How the ticket went:</p>\n", `<table role="presentation" style="border-collapse:collapse;width:100%;margin:0 0 16px;font-size:14px;">`)
		for _, e := range v.Timeline {
			w.raw("\n", `<tr><td style="padding:4px 12px 4px 0;vertical-align:top;white-space:nowrap;color:#59636e;">`)
			w.text(when(e.At))
			w.raw(`</td><td style="padding:4px 0;vertical-align:top;"><strong>`)
			w.text(e.Who)
			w.raw("</strong> ")
			w.text(e.What)
			w.raw("</td></tr>")
		}
		w.raw("\n</table>")
	}
	w.raw("\n", pLabel, "For the debrief:</p>\n", `<ol style="margin:0 0 16px;padding-left:24px;">`)
	for _, q := range v.Debrief {
		w.raw("\n", `<li style="margin:0 0 4px;">`)
		w.text(q)
		w.raw("</li>")
	}
	w.raw("\n</ol>\n", pOpen, "Treat it as a crisis: ")
	if v.AgentName != "" {
		w.raw("talk it through with ")
		w.text(v.AgentName)
		w.raw(" today")
	} else {
		w.raw("decide today who owns it")
	}
	w.raw(", while it is fresh.</p>\n")
	if v.TicketURL != "" {
		w.button("Open ticket #", id, v.TicketURL)
	}
	w.raw("\n")
	if v.Help != "" {
		w.raw(`<p style="margin:24px 0 0;">To give `)
		if v.AgentName != "" {
			w.text(v.AgentName)
			w.raw(" ")
		}
		w.raw("feedback on this moment, just reply with your words: they are recorded as feedback on ticket #")
		w.text(id)
		w.raw(".</p>\n")
		w.howToReplyHTML(v.Help)
		w.raw("\n")
	}
	w.raw(htmlFooter, "Sent by carecoach because a customer rated ticket #")
	w.text(id)
	w.raw(" bad and your team treats every failure as a crisis.", htmlEnd)
	return w.String()
}

func alertText(v alertView) string {
	var w writer
	id := v.Ticket.Ref.TicketID
	if v.Help != "" {
		w.raw(care.ReplyMarker, "\n\n")
	}
	w.hiText(v.Manager.Name)
	if on, who := rated(v); on != "" {
		w.raw("On ", on, ", ", who)
	} else {
		w.raw(who)
	}
	w.raw(" rated the service bad on ticket #", id, ": ", oneLine(v.Ticket.Subject), ".\n")
	if v.AgentName != "" {
		w.raw(v.AgentName)
		if v.Agent.Email != "" {
			w.raw(" (", v.Agent.Email, ")")
		}
		w.raw(" owned the ticket.\n")
	} else {
		w.raw("The ticket was unassigned.\n")
	}
	if v.Comment != "" {
		w.raw("\nWhat they said:\n\n", excerpt(v.Comment), "\n")
	} else {
		w.raw("\nThey left no comment.\n")
	}
	if len(v.Timeline) > 0 {
		w.raw("\nHow the ticket went:\n")
		for _, e := range v.Timeline {
			w.raw("\n- ", when(e.At), "  ", e.Who, " ", e.What)
		}
		w.raw("\n")
	}
	w.raw("\nFor the debrief:\n")
	for i, q := range v.Debrief {
		w.raw("\n", strconv.Itoa(i+1), ". ", q)
	}
	w.raw("\n\nTreat it as a crisis: ")
	if v.AgentName != "" {
		w.raw("talk it through with ", v.AgentName, " today")
	} else {
		w.raw("decide today who owns it")
	}
	w.raw(", while it is fresh.\n")
	if v.TicketURL != "" {
		w.raw("\nOpen the ticket: ", v.TicketURL, "\n")
	}
	w.raw("\n--\n")
	if v.Help != "" {
		w.raw("To give ")
		if v.AgentName != "" {
			w.raw(v.AgentName, " ")
		}
		w.raw("feedback on this moment, just reply with your words: they are recorded as feedback on ticket #", id, ".\n\n")
		w.howToReplyText(v.Help)
	}
	w.raw("Sent by carecoach because a customer rated ticket #", id, " bad and your team treats every failure as a crisis.\n")
	return w.String()
}
