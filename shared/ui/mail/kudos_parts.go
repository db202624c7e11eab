package mail

import "strings"

// The kudos' and the kudos receipt's two parts.

func kudosViewOf(k Kudos) kudosView {
	return kudosView{
		Kudos:  k,
		Name:   person(k.To.Name),
		Sender: person(k.From.Name),
		Team:   person(k.TeamName),
		Said:   strings.TrimSpace(strings.ReplaceAll(k.Words, "\r\n", "\n")),
	}
}

func kudosReceiptViewOf(r KudosReceipt) kudosReceiptView {
	r.Problem = person(r.Problem)
	v := kudosReceiptView{Name: person(r.Sender.Name)}
	for _, n := range r.Delivered {
		v.To = append(v.To, firstNonEmpty(person(n), "a teammate"))
	}
	if len(v.To) == 0 && r.Problem == "" {
		r.Problem = noTeammate
	}
	v.KudosReceipt, v.Whom = r, and(v.To)
	return v
}

func kudosHTML(v kudosView) string {
	var w writer
	w.raw(htmlHead, "Kudos from ")
	w.text(firstNonEmpty(v.Sender, "a teammate"))
	w.raw(htmlBody, htmlCard)
	w.hi(v.Name)
	w.raw(pOpen, "<strong>")
	w.text(firstNonEmpty(v.Sender, "A teammate"))
	w.raw("</strong> sent you kudos")
	if v.Team != "" {
		w.raw(" in ")
		w.text(v.Team)
	}
	w.raw(either(v.Said != "", ":", "."), "</p>\n")
	if v.Said != "" {
		w.raw(`<blockquote style="margin:0 0 8px;padding:12px 16px;border-left:4px solid #1a7f37;background:#f6f7f9;font-size:18px;line-height:26px;white-space:pre-wrap;">`)
		w.text(v.Said)
		w.raw("</blockquote>\n", `<p style="margin:0 0 16px;color:#59636e;">— `)
		w.text(firstNonEmpty(v.Sender, "a teammate"))
		w.raw("</p>\n")
	}
	w.raw(pOpen, "Your manager sees how many kudos you get, next to the feedback they give you.")
	if v.From.Email != "" {
		w.raw(" Reply to this email to answer ")
		w.text(firstNonEmpty(v.Sender, "your teammate"))
		w.raw(" directly.")
	}
	w.raw("</p>\n", htmlFooter, "Sent by carecoach because ")
	w.text(firstNonEmpty(v.Sender, "a teammate"))
	w.raw(" gave you kudos")
	if v.Team != "" {
		w.raw(" in ")
		w.text(v.Team)
	}
	w.raw(".", htmlEnd)
	return w.String()
}

func kudosText(v kudosView) string {
	var w writer
	w.hiText(v.Name)
	w.raw(firstNonEmpty(v.Sender, "A teammate"), " sent you kudos")
	if v.Team != "" {
		w.raw(" in ", v.Team)
	}
	w.raw(either(v.Said != "", ":", "."), "\n")
	if v.Said != "" {
		w.raw("\n", v.Said, "\n\n— ", firstNonEmpty(v.Sender, "a teammate"), "\n")
	}
	w.raw("\nYour manager sees how many kudos you get, next to the feedback they give you.")
	if v.From.Email != "" {
		w.raw(" Reply to this email to answer ", firstNonEmpty(v.Sender, "your teammate"), " directly.")
	}
	w.raw("\n\n--\nSent by carecoach because ", firstNonEmpty(v.Sender, "a teammate"), " gave you kudos")
	if v.Team != "" {
		w.raw(" in ", v.Team)
	}
	w.raw(".\n")
	return w.String()
}

// kudosAddress writes the kudos address as a mailto link.
func (w *writer) kudosAddress(a string) {
	if a == "" {
		w.raw("the kudos address")
		return
	}
	w.raw(`<a href="mailto:`, normalizeURL(a), aLink)
	w.text(a)
	w.raw("</a>")
}

func kudosReceiptHTML(v kudosReceiptView) string {
	var w writer
	delivered := len(v.To) > 0
	w.raw(htmlHead, either(delivered, "Kudos delivered", "Your kudos was not delivered"), htmlBody, htmlCard)
	w.hi(v.Name)
	if delivered {
		w.raw(pOpen, "Your kudos is recorded and was delivered to <strong>")
		w.text(v.Whom)
		w.raw("</strong>. The team’s digest counts it next to the manager’s own feedback. Thanks for noticing good work.</p>\n")
	} else {
		w.raw(pOpen, "Thanks for wanting to thank a teammate. carecoach could not understand your kudos, so it was <strong>not delivered</strong> and nothing was recorded.</p>\n")
	}
	if v.Problem != "" {
		w.raw(`<h2 style="margin:24px 0 8px;font-size:18px;color:#9a6700;">Not understood</h2>`, "\n")
		if delivered {
			w.raw(`<p style="margin:0 0 8px;">Part of it was not understood, so nothing was done with that part:</p>`, "\n")
		}
		w.raw(`<p style="margin:0 0 16px;padding:8px 16px;border-left:4px solid #d0d7de;">`)
		w.text(v.Problem)
		w.raw("</p>\n", pOpen, "No harm done: send ", either(delivered, "that part", "your kudos"), " again, written in one of these ways.</p>\n",
			`<h2 style="margin:24px 0 8px;font-size:18px;">How to send kudos</h2>`, "\n",
			`<ol style="margin:0 0 16px;padding-left:24px;">`, "\n",
			`<li style="margin:0 0 12px;">Write to `)
		w.kudosAddress(v.Address)
		w.raw(" with one line for each teammate, naming them after an @:<br>\n",
			`<code style="display:inline-block;margin:8px 0 0;padding:4px 8px;background:#f6f7f9;border-radius:4px;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;">kudos @ana for covering my queue on Friday</code></li>`, "\n",
			`<li style="margin:0 0 4px;">Or write to `)
		w.kudosAddress(v.Address)
		w.raw(" with your teammates in To or Cc, and your thanks in the message.</li>\n</ol>\n")
	}
	w.raw(htmlFooter, "Sent by carecoach because you sent kudos")
	if v.Address != "" {
		w.raw(" to ")
		w.text(v.Address)
	}
	w.raw(".", htmlEnd)
	return w.String()
}

func kudosReceiptText(v kudosReceiptView) string {
	var w writer
	delivered := len(v.To) > 0
	w.hiText(v.Name)
	if delivered {
		w.raw("Your kudos is recorded and was delivered to ", v.Whom, ". The team’s digest counts it next to the manager’s own feedback. Thanks for noticing good work.\n")
	} else {
		w.raw("Thanks for wanting to thank a teammate. carecoach could not understand your kudos, so it was not delivered and nothing was recorded.\n")
	}
	if v.Problem != "" {
		address := firstNonEmpty(v.Address, "the kudos address")
		w.raw("\n", either(delivered, "Part of it was not understood, so nothing was done with that part:", "What was not understood:"), "\n\n  ", v.Problem,
			"\n\nNo harm done: send ", either(delivered, "that part", "your kudos"), " again, written in one of these ways.\n\nHOW TO SEND KUDOS\n\n1. Write to ", address,
			" with one line for each teammate, naming them after an @:\n\n   kudos @ana for covering my queue on Friday\n\n2. Or write to ", address,
			" with your teammates in To or Cc, and your thanks in the message.\n")
	}
	w.raw("\n--\nSent by carecoach because you sent kudos")
	if v.Address != "" {
		w.raw(" to ", v.Address)
	}
	w.raw(".\n")
	return w.String()
}
