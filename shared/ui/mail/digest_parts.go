package mail

import "github.com/carecoach/carecoach/shared/core/care"

// The digest's two parts.

// Cells of the digest's tables.
const (
	tdName  = `<td style="padding:4px 12px 4px 0;border-top:1px solid #d0d7de;">`
	tdCount = `<td style="padding:4px 12px 4px 0;border-top:1px solid #d0d7de;text-align:right;">`
	tdLast  = `<td style="padding:4px 0;border-top:1px solid #d0d7de;text-align:right;">`
	tableOf = `<table role="presentation" style="border-collapse:collapse;width:100%;margin:0 0 16px;font-size:14px;">`
	h2      = `<h2 style="margin:24px 0 4px;font-size:18px;">`
)

// cadenceLine is the line under "Feedback cadence", or "".
func cadenceLine(v digestView) string {
	var s string
	if v.CadenceDays != 0 {
		s = "Everyone gets direct feedback at least every " + plural(v.CadenceDays, "day") + "."
	}
	if v.Target != "" {
		if v.CadenceDays != 0 {
			s += " "
		}
		s += "Aim for at least " + v.Target + " praise to coaching."
	}
	return s
}

func digestHTML(v digestView) string {
	var w writer
	team := person(v.TeamName)
	w.raw(htmlHead, "Your team this week")
	if v.Period != "" {
		w.raw(" (")
		w.text(v.Period)
		w.raw(")")
	}
	w.raw(htmlBody)
	w.markerHTML()
	w.raw("\n", htmlCard)
	w.hi(person(v.Manager.Name))
	w.raw(pOpen)
	if team != "" {
		w.raw("Your week in <strong>")
		w.text(team)
		w.raw("</strong>")
	} else {
		w.raw("Your team’s week")
	}
	if v.Period != "" {
		w.raw(", ")
		w.text(v.Period)
	}
	if v.Summary != "" {
		w.raw(": <strong>")
		w.text(v.Summary)
		w.raw("</strong>")
	}
	w.raw(".")
	if len(v.Praise) > 0 || len(v.Coaching) > 0 {
		w.raw(" Each names a ticket and what happened, so your words can be specific. To act on one, reply with its number and your words")
		if verbatim(v.Help) != "" {
			w.raw("; how is at the end")
		}
		w.raw(".")
	}
	w.raw("</p>\n")
	for _, a := range v.Asks {
		w.raw(`<p style="margin:0 0 16px;padding:8px 12px;background:#ddf4ff;border-radius:6px;font-size:14px;">Waiting for your answer since `)
		w.text(day(a.AskedAt))
		w.raw(": ")
		w.text(firstNonEmpty(person(a.AgentName), "an agent"))
		w.raw(" asked for your feedback on ticket #")
		w.text(a.TicketID)
		w.raw(": “")
		w.text(person(a.Question))
		w.raw("”. Reply to that email to answer.</p>\n")
	}
	for _, c := range v.Corrections {
		w.raw(`<p style="margin:0 0 16px;padding:8px 12px;background:#fff8c5;border-radius:6px;font-size:14px;">Correction: item `, itoa(c.N), " of your digest of ")
		w.text(day(c.Digest))
		w.raw(" (")
		w.text(firstNonEmpty(person(c.AgentName), "an agent"))
		w.raw(", ticket #")
		w.text(c.TicketID)
		w.raw(") is withdrawn: ")
		w.text(person(c.Why))
		w.raw(".</p>\n")
	}
	if v.DashboardURL != "" {
		w.raw(pOpen, `<a href="`)
		w.href(v.DashboardURL)
		w.raw(`" style="color:#0b57d0;font-weight:600;">Open your team's dashboard</a> <span style="font-size:12px;color:#59636e;">· scorecards and eight-week trends; the link is yours alone and works for two weeks</span></p>`, "\n")
	}
	if len(v.Praise) > 0 {
		w.raw(`<h2 style="margin:24px 0 4px;font-size:18px;color:#1a7f37;">To praise</h2>`, "\n",
			`<p style="margin:0 0 12px;font-size:14px;color:#59636e;">Catch them doing things right: say what they did and why it matters.</p>`, "\n")
		for _, it := range v.Praise {
			w.itemHTML(it)
		}
	}
	if len(v.Coaching) > 0 {
		w.raw(`<h2 style="margin:24px 0 4px;font-size:18px;color:#9a6700;">To coach</h2>`, "\n",
			`<p style="margin:0 0 12px;font-size:14px;color:#59636e;">Coach on the ticket, not the person: what happened, and what would help next time.</p>`, "\n")
		for _, it := range v.Coaching {
			w.itemHTML(it)
		}
	}
	if len(v.Members) > 0 {
		w.cadenceHTML(v)
	}
	if len(v.Questions) > 0 {
		w.raw(h2, "How the team feels</h2>\n")
		if v.ConcernHelp != "" {
			w.raw(`<p style="margin:0 0 8px;font-size:13px;color:#59636e;">`)
			w.text(v.ConcernHelp)
			w.raw("</p>\n")
		}
		for _, q := range v.Questions {
			w.raw(`<p style="margin:12px 0 8px;color:#59636e;">`)
			w.text(q.Question)
			w.raw("</p>\n")
			for _, a := range q.Answers {
				w.raw(`<blockquote style="margin:0 0 8px;padding:8px 16px;border-left:4px solid #d0d7de;white-space:pre-wrap;">`)
				w.text(excerpt(a.Answer))
				w.raw("</blockquote>\n", `<p style="margin:0 0 12px;font-size:13px;color:#59636e;">`)
				if a.N > 0 {
					w.raw("<strong>", itoa(a.N), "</strong> ")
				}
				w.raw("— ")
				w.text(firstNonEmpty(person(a.Who), "anonymous"))
				w.raw("</p>\n")
			}
		}
	}
	if v.CheckBacks != nil {
		w.checkBacksHTML(*v.CheckBacks)
	}
	if v.Upward != nil {
		w.upwardHTML(*v.Upward)
	}
	if v.Trend != nil {
		w.trendHTML(*v.Trend)
	}
	if d := v.DeadLetters; d != nil {
		w.raw(`<p style="margin:24px 0 0;font-size:13px;color:#59636e;">Deliveries carecoach could not process this week: <strong>`, itoa(d.Total), "</strong> (")
		for i, c := range d.PerDay {
			if i > 0 {
				w.raw(", ")
			}
			w.text(day(c.Day))
			w.raw(": ", itoa(c.Count))
		}
		w.raw("). ")
		w.text(d.How)
		w.raw("</p>\n")
	}
	w.howToReplyHTML(v.Help)
	w.raw("\n", htmlFooter, "Sent by carecoach because you lead ")
	w.text(firstNonEmpty(team, "this team"))
	w.raw(" and get its digest, so that every piece of feedback you give is about a specific ticket.", htmlEnd)
	return w.String()
}

// itemHTML writes one numbered moment.
func (w *writer) itemHTML(it DigestItem) {
	w.raw(`<table role="presentation" style="border-collapse:collapse;width:100%;margin:0 0 16px;">`, "\n",
		`<tr><td style="width:32px;padding:0 8px 0 0;vertical-align:top;font-size:18px;font-weight:600;color:`,
		either(it.Kind == care.Coaching, "#9a6700", "#1a7f37"), `;">`, itoa(it.N), "</td>\n",
		`<td style="vertical-align:top;">`, "\n", `<p style="margin:0 0 4px;"><strong>`)
	w.text(firstNonEmpty(person(it.AgentName), "An agent"))
	w.raw("</strong>")
	if b := it.Behaviour.Label(); b != "" {
		w.raw(` <span style="font-size:12px;color:#59636e;">· `)
		w.text(b)
		w.raw("</span>")
	}
	w.raw("</p>\n")
	if it.What != "" {
		w.raw(`<p style="margin:0 0 4px;">`)
		w.text(it.What)
		w.raw("</p>")
	}
	w.raw("\n", `<p style="margin:0 0 4px;font-size:14px;color:#59636e;">`)
	w.ticketLink("ticket #", it.TicketID, it.TicketURL)
	w.raw(": ")
	w.text(oneLine(it.Subject))
	if !it.At.IsZero() {
		w.raw(" · ")
		w.text(when(it.At))
	}
	w.raw("</p>\n")
	if it.Quote != "" {
		w.raw(`<blockquote style="margin:0 0 4px;padding:4px 12px;border-left:4px solid #d0d7de;font-size:14px;white-space:pre-wrap;">`)
		w.text(excerpt(it.Quote))
		w.raw("</blockquote>\n")
	}
	if it.Suggestion != "" {
		w.raw(`<p style="margin:0;font-size:14px;">You could say: <em>“`)
		w.text(it.Suggestion)
		w.raw("”</em></p>\n")
	}
	w.raw("</td></tr>\n</table>\n")
}

// cadenceHTML writes the "Feedback cadence" section.
func (w *writer) cadenceHTML(v digestView) {
	w.raw(h2, "Feedback cadence</h2>\n")
	if line := cadenceLine(v); line != "" {
		w.raw(`<p style="margin:0 0 12px;font-size:14px;color:#59636e;">`)
		w.text(line)
		w.raw("</p>\n")
	}
	if len(v.Overdue) > 0 {
		w.raw(`<p style="margin:0 0 8px;">Overdue for feedback:</p>`, "\n", `<ul style="margin:0 0 16px;padding-left:24px;">`)
		for _, r := range v.Overdue {
			w.raw("\n", `<li style="margin:0 0 4px;"><strong>`)
			w.text(person(r.Member.Name))
			w.raw("</strong>: ")
			if r.Last.IsZero() {
				w.raw("never had feedback")
			} else {
				w.raw("last feedback ")
				w.text(r.Since)
				w.raw(" (")
				w.text(day(r.Last))
				w.raw(")")
			}
			w.raw("</li>")
		}
		w.raw("\n</ul>")
	}
	w.raw("\n", tableOf, "\n",
		`<tr><th style="padding:4px 12px 4px 0;text-align:left;color:#59636e;font-weight:normal;">Member</th><th style="padding:4px 12px 4px 0;text-align:left;color:#59636e;font-weight:normal;">Praise : coaching</th><th style="padding:4px 0;text-align:left;color:#59636e;font-weight:normal;">Last feedback</th></tr>`)
	for _, r := range v.Members {
		w.raw("\n<tr>", tdName)
		w.text(person(r.Member.Name))
		w.raw("</td>", tdName)
		w.text(r.Ratio)
		if r.Below {
			w.raw(` <span style="color:#9a6700;">below target</span>`)
		}
		if r.Kudos > 0 {
			w.raw(` <span style="color:#59636e;">(+`, itoa(r.Kudos), " kudos from teammates)</span>")
		}
		w.raw(`</td><td style="padding:4px 0;border-top:1px solid #d0d7de;`, either(r.Overdue, "color:#b42318;", ""), `">`)
		if r.Last.IsZero() {
			w.raw("never")
		} else {
			w.text(day(r.Last))
		}
		w.raw("</td></tr>")
	}
	w.raw("\n</table>\n")
}

// checkBacksHTML writes the "Checking back" section.
func (w *writer) checkBacksHTML(c DigestCheckBacks) {
	w.raw(h2, "Checking back</h2>\n")
	if len(c.Done) > 0 {
		w.raw(`<p style="margin:12px 0 4px;color:#59636e;">Done this week:</p>`, "\n", `<ul style="margin:0 0 12px;padding-left:20px;">`, "\n")
		for _, l := range c.Done {
			w.checkBackLineHTML(l)
			w.raw(" (")
			w.text(day(l.At))
			w.raw(")")
			if l.Note != "" {
				w.raw(": “")
				w.text(excerpt(l.Note))
				w.raw("”")
			}
			w.raw("</li>\n")
		}
		w.raw("</ul>\n")
	}
	if len(c.Open) > 0 {
		w.raw(`<p style="margin:12px 0 4px;color:#59636e;">Waiting for you to check back:</p>`, "\n", `<ul style="margin:0 0 12px;padding-left:20px;">`, "\n")
		for _, l := range c.Open {
			w.checkBackLineHTML(l)
			switch {
			case !l.At.IsZero():
				w.raw(" (asked ")
				w.text(day(l.At))
				w.raw(")")
			case !l.Again.IsZero():
				w.raw(" (you asked to be reminded on ")
				w.text(day(l.Again))
				w.raw(")")
			}
			w.raw("</li>\n")
		}
		w.raw("</ul>\n")
	}
	w.raw(pOpen, "Follow-through: <strong>", itoa(c.Followed), " of ")
	w.text(plural(c.Asked, "check-back"))
	w.raw("</strong> done in the last ", itoa(c.Weeks), " weeks (")
	w.text(c.Rate())
	w.raw(").</p>\n")
}

// checkBackLineHTML opens a check-back's item: who, and on which ticket.
func (w *writer) checkBackLineHTML(l CheckBackLine) {
	w.raw(`<li style="margin:0 0 4px;">`)
	w.text(firstNonEmpty(person(l.AgentName), "An agent"))
	w.raw(", ")
	if l.Concern {
		w.raw("what they raised")
		return
	}
	w.ticketLink("ticket #", l.TicketID, l.TicketURL)
}

// trendHTML writes the "Trends" section.
func (w *writer) trendHTML(t trendView) {
	w.raw(h2, "Trends</h2>\n", tableOf, "\n",
		`<tr><th style="padding:4px 12px 4px 0;text-align:left;color:#59636e;font-weight:normal;"></th><th style="padding:4px 12px 4px 0;text-align:right;color:#59636e;font-weight:normal;">This week</th><th style="padding:4px 0;text-align:right;color:#59636e;font-weight:normal;">Week before</th></tr>`, "\n")
	row := func(label, now, before string) {
		w.raw("<tr>", tdName, label, "</td>", tdCount)
		w.text(now)
		w.raw("</td>", tdLast)
		w.text(before)
		w.raw("</td></tr>\n")
	}
	row("Tickets solved", itoa(t.Solved), itoa(t.PrevSolved))
	row("Reopen rate", t.Reopen, t.PrevReopen)
	row("Satisfaction (good ratings)", t.CSAT, t.PrevCSAT)
	w.raw("</table>\n")
	if len(t.TopTags) > 0 {
		w.raw(pLabel, "What customers raised most:</p>\n", tableOf)
		for _, tag := range t.TopTags {
			w.raw("\n<tr>", tdName)
			w.text(person(tag.Tag))
			w.raw("</td>", tdCount, itoa(tag.Count), "</td>", `<td style="padding:4px 0;border-top:1px solid #d0d7de;text-align:right;color:#59636e;">`, itoa(tag.Previous), " the week before</td></tr>")
		}
		w.raw("\n</table>")
	}
	w.raw("\n")
}
