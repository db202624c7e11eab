package mail

import (
	"strings"

	"github.com/carecoach/carecoach/shared/core/care"
)

// The brief's and the agenda's two parts. An item reads the same in both,
// but for the team a climate answer is never named, a question asked is
// not either, nor whose ticket a ticket worth discussing was, and praise
// is thanks to the person.

// itemLead is the words an item opens with, before its ticket.
func itemLead(it care.AgendaItem, team bool) string {
	who := person(it.Who)
	switch it.Kind {
	case care.AgendaClimate:
		by := "someone"
		if !team && person(it.By) != "" {
			by = person(it.By)
		}
		return "Asked “" + oneLine(it.Title) + "”, " + by + " said:"
	case care.AgendaAsk:
		if team || who == "" {
			return "A question about"
		}
		return who + " asked about"
	case care.AgendaTrend:
		return person(it.Title) + ": " + person(it.Text)
	case care.AgendaBadRating:
		return "Bad rating on"
	case care.AgendaReopened:
		return "Reopened:"
	case care.AgendaEscalated:
		return "Escalated:"
	case care.AgendaPraised:
		if team {
			return "Thank you, " + firstNonEmpty(who, "team") + ", for"
		}
		return firstNonEmpty(who, "Someone") + " on"
	case care.AgendaKudos:
		return "Thank you, " + firstNonEmpty(who, "team") + ", from " + firstNonEmpty(person(it.By), "a teammate") + ":"
	}
	return ""
}

// itemAgent is whose ticket a ticket worth discussing is: " (Ana)", in
// the manager's brief only. The team talks about the ticket, not about who
// had it: praise in public, coaching in private.
func itemAgent(it care.AgendaItem, team bool) string {
	if team || it.Section != care.AgendaTickets || person(it.Who) == "" {
		return ""
	}
	return " (" + person(it.Who) + ")"
}

// itemWords are the item's own words under its lead: the answer, the
// question, what happened, the kudos.
func itemWords(it care.AgendaItem) string {
	if it.Kind == care.AgendaTrend {
		return ""
	}
	return strings.TrimSpace(it.Text)
}

func (w *writer) agendaItemHTML(n int, it care.AgendaItem, team bool) {
	w.raw(`<li value="`, itoa(n), `" style="margin:0 0 12px;">`)
	w.text(itemLead(it, team))
	if it.TicketID != "" {
		w.raw(" ")
		w.ticketLink("ticket #", it.TicketID, it.TicketURL)
		w.subjectHTML(it.Subject)
	}
	w.text(itemAgent(it, team))
	if it.Praised && !team {
		w.raw(` <em style="color:#1a7f37;">you praised this</em>`)
	}
	if words := itemWords(it); words != "" {
		w.raw(`<br><span style="white-space:pre-wrap;">`)
		w.text(quoted(it, words))
		w.raw("</span>")
	}
	if q := strings.TrimSpace(it.Quote); q != "" {
		w.raw("\n", quoteHTML)
		w.text(q)
		w.raw("</blockquote>")
	}
	w.raw("</li>\n")
}

func (w *writer) agendaItemText(n int, it care.AgendaItem, team bool) {
	w.raw(itoa(n), ". ", itemLead(it, team))
	if it.TicketID != "" {
		w.raw(" ticket #", it.TicketID, subjectText(it.Subject))
	}
	w.raw(itemAgent(it, team))
	if it.Praised && !team {
		w.raw(" [you praised this]")
	}
	w.raw("\n")
	if words := itemWords(it); words != "" {
		w.raw("   ", indent(quoted(it, words)), "\n")
	}
	if q := strings.TrimSpace(it.Quote); q != "" {
		w.raw("   The customer wrote: “", indent(q), "”\n")
	}
	if it.TicketURL != "" {
		w.raw("   ", it.TicketURL, "\n")
	}
}

// quoted puts people's own words in quotes; carecoach's sentences not.
func quoted(it care.AgendaItem, words string) string {
	switch it.Kind {
	case care.AgendaClimate, care.AgendaAsk, care.AgendaKudos:
		return "“" + words + "”"
	}
	return words
}

// indent keeps a multi-line text under its item.
func indent(s string) string { return strings.ReplaceAll(s, "\n", "\n   ") }

// bySection groups items by section, in the sections' order.
func bySection(items []care.AgendaItem) map[care.AgendaSection][]care.AgendaItem {
	out := map[care.AgendaSection][]care.AgendaItem{}
	for _, it := range items {
		out[it.Section] = append(out[it.Section], it)
	}
	return out
}

// sectionsHTML writes the items section by section: in the manager's
// brief under the brief's headings and with the numbers the manager
// replies with; for the team under the agenda's, numbered from 1.
func (w *writer) sectionsHTML(items []care.AgendaItem, team bool) {
	n := 0
	groups := bySection(items)
	for _, s := range sections {
		its := groups[s.id]
		if len(its) == 0 {
			continue
		}
		w.raw(`<h2 style="font-size:16px;margin:24px 0 8px;">`)
		w.text(either(team, s.team, s.brief))
		w.raw("</h2>\n", `<ol style="margin:0 0 16px;padding-left:24px;">`, "\n")
		for _, it := range its {
			n++
			w.agendaItemHTML(either(team, n, it.N), it, team)
		}
		w.raw("</ol>\n")
	}
}

// sectionsText is sectionsHTML's text part.
func (w *writer) sectionsText(items []care.AgendaItem, team bool) {
	n := 0
	groups := bySection(items)
	for _, s := range sections {
		its := groups[s.id]
		if len(its) == 0 {
			continue
		}
		w.raw("\n", strings.ToUpper(either(team, s.team, s.brief)), "\n\n")
		for _, it := range its {
			n++
			w.agendaItemText(either(team, n, it.N), it, team)
		}
	}
}

func briefHTML(b Brief) string {
	var w writer
	name := teamName(b.TeamName, b.TeamID)
	w.raw(htmlHead, "Your brief for ")
	w.text(name)
	w.raw("&#39;s meeting", htmlBody)
	w.markerHTML()
	w.raw("\n", htmlCard)
	w.hi(person(b.Manager.Name))
	w.raw(pOpen, "Here is what you could bring to ")
	w.text(name)
	w.raw("&#39;s meeting on <strong>")
	w.text(when(b.Meeting))
	w.raw("</strong>, from the week of ")
	w.text(day(b.From))
	w.raw(" to ")
	w.text(day(b.To))
	w.raw(`. Reply "send" and carecoach mails it to the whole team as the agenda, or pick the items to send by their numbers.</p>`, "\n")
	w.sectionsHTML(b.Items, false)
	w.raw(pOpen, "Climate answers go to the team without names, whoever gave them.</p>\n")
	w.howToReplyHTML(b.Help)
	w.raw("\n", htmlFooter, "Sent by carecoach because your team meets every week and you look after some of its members.", htmlEnd)
	return w.String()
}

func briefText(b Brief) string {
	var w writer
	name := teamName(b.TeamName, b.TeamID)
	w.raw(care.ReplyMarker, "\n\n")
	w.hiText(person(b.Manager.Name))
	w.raw("Here is what you could bring to ", name, "'s meeting on ", when(b.Meeting), ", from the week of ", day(b.From), " to ", day(b.To),
		`. Reply "send" and carecoach mails it to the whole team as the agenda, or pick the items to send by their numbers.`, "\n")
	w.sectionsText(b.Items, false)
	w.raw("\nClimate answers go to the team without names, whoever gave them.\n\n--\n")
	w.howToReplyText(b.Help)
	w.raw("Sent by carecoach because your team meets every week and you look after some of its members.\n")
	return w.String()
}

func agendaHTML(a Agenda) string {
	var w writer
	from := firstNonEmpty(person(a.Manager.Name), "Your manager")
	w.raw(htmlHead, "Agenda for our meeting", htmlBody, htmlCard)
	w.hi(teamName(a.TeamName, a.TeamID))
	w.raw(pOpen, "The agenda for our meeting on <strong>")
	w.text(when(a.Meeting))
	w.raw("</strong>, from ")
	w.text(from)
	w.raw(".</p>\n")
	if note := strings.TrimSpace(a.Note); note != "" {
		w.raw(`<blockquote style="margin:0 0 16px;padding:12px 16px;border-left:4px solid #0b57d0;background:#f6f7f9;white-space:pre-wrap;">`)
		w.text(note)
		w.raw("</blockquote>\n")
	}
	w.sectionsHTML(a.Items, true)
	w.raw(htmlFooter, "Sent by carecoach for ")
	w.text(from)
	w.raw(", who picked these items from the week; a reply goes to them.", htmlEnd)
	return w.String()
}

func agendaText(a Agenda) string {
	var w writer
	from := firstNonEmpty(person(a.Manager.Name), "Your manager")
	w.hiText(teamName(a.TeamName, a.TeamID))
	w.raw("The agenda for our meeting on ", when(a.Meeting), ", from ", from, ".\n")
	if note := strings.TrimSpace(a.Note); note != "" {
		w.raw("\n", note, "\n")
	}
	w.sectionsText(a.Items, true)
	w.raw("\n--\nSent by carecoach for ", from, ", who picked these items from the week; a reply goes to them.\n")
	return w.String()
}
