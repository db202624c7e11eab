package mail

import "github.com/carecoach/carecoach/shared/core/care"

// The digest's text part.

func digestText(v digestView) string {
	var w writer
	team := person(v.TeamName)
	w.raw(care.ReplyMarker, "\n\n")
	w.hiText(person(v.Manager.Name))
	if team != "" {
		w.raw("Your week in ", team)
	} else {
		w.raw("Your team’s week")
	}
	if v.Period != "" {
		w.raw(", ", v.Period)
	}
	if v.Summary != "" {
		w.raw(": ", v.Summary)
	}
	w.raw(".")
	if len(v.Praise) > 0 || len(v.Coaching) > 0 {
		w.raw("\nEach names a ticket and what happened, so your words can be specific.\nTo act on one, reply with its number and your words")
		if verbatim(v.Help) != "" {
			w.raw("; how is at the end")
		}
		w.raw(".")
	}
	w.raw("\n")
	for _, a := range v.Asks {
		w.raw("\nWaiting for your answer since ", day(a.AskedAt), ": ", firstNonEmpty(person(a.AgentName), "an agent"), " asked for your feedback on ticket #",
			a.TicketID, ": “", person(a.Question), "”. Reply to that email to answer.\n")
	}
	for _, c := range v.Corrections {
		w.raw("\nCorrection: item ", itoa(c.N), " of your digest of ", day(c.Digest), " (", firstNonEmpty(person(c.AgentName), "an agent"),
			", ticket #", c.TicketID, ") is withdrawn: ", person(c.Why), ".\n")
	}
	if v.DashboardURL != "" {
		w.raw("\nOpen your team's dashboard (scorecards and eight-week trends; the link is yours alone and works for two weeks):\n", v.DashboardURL, "\n")
	}
	if len(v.Praise) > 0 {
		w.raw("\nTO PRAISE\nCatch them doing things right: say what they did and why it matters.\n")
		for _, it := range v.Praise {
			w.itemText(it)
		}
	}
	if len(v.Coaching) > 0 {
		w.raw("\nTO COACH\nCoach on the ticket, not the person: what happened, and what would help next time.\n")
		for _, it := range v.Coaching {
			w.itemText(it)
		}
	}
	if len(v.Members) > 0 {
		w.raw("\nFEEDBACK CADENCE\n")
		if line := cadenceLine(v); line != "" {
			w.raw(line, "\n")
		}
		if len(v.Overdue) > 0 {
			w.raw("\nOverdue for feedback:\n")
			for _, r := range v.Overdue {
				w.raw("- ", person(r.Member.Name), ": ")
				if r.Last.IsZero() {
					w.raw("never had feedback\n")
				} else {
					w.raw("last feedback ", r.Since, " (", day(r.Last), ")\n")
				}
			}
		}
		w.raw("\nPraise : coaching for each member:\n")
		for _, r := range v.Members {
			w.raw("- ", person(r.Member.Name), ": ", r.Ratio)
			if r.Below {
				w.raw(", below target")
			}
			if r.Kudos > 0 {
				w.raw(" (+", itoa(r.Kudos), " kudos from teammates)")
			}
			w.raw("\n")
		}
	}
	if len(v.Questions) > 0 {
		w.raw("\nHOW THE TEAM FEELS\n")
		if v.ConcernHelp != "" {
			w.raw(v.ConcernHelp, "\n")
		}
		for _, q := range v.Questions {
			w.raw("\n", q.Question, "\n")
			for _, a := range q.Answers {
				w.raw("- ")
				if a.N > 0 {
					w.raw(itoa(a.N), ". ")
				}
				w.raw("“", person(excerpt(a.Answer)), "” — ", firstNonEmpty(person(a.Who), "anonymous"), "\n")
			}
		}
	}
	if c := v.CheckBacks; c != nil {
		w.checkBacksText(*c)
	}
	if u := v.Upward; u != nil {
		w.upwardText(*u)
	}
	if t := v.Trend; t != nil {
		w.raw("\nTRENDS (this week, with the week before)\n\nTickets solved: ", itoa(t.Solved), " (", itoa(t.PrevSolved), ")\nReopen rate: ", t.Reopen, " (", t.PrevReopen,
			")\nSatisfaction (good ratings): ", t.CSAT, " (", t.PrevCSAT, ")\n")
		if len(t.TopTags) > 0 {
			w.raw("\nWhat customers raised most:\n")
			for _, tag := range t.TopTags {
				w.raw("- ", person(tag.Tag), ": ", itoa(tag.Count), " (", itoa(tag.Previous), ")\n")
			}
		}
	}
	w.raw("\n")
	if d := v.DeadLetters; d != nil {
		w.raw("\nDeliveries carecoach could not process this week: ", itoa(d.Total), " (")
		for i, c := range d.PerDay {
			if i > 0 {
				w.raw(", ")
			}
			w.raw(day(c.Day), ": ", itoa(c.Count))
		}
		w.raw("). ", d.How, "\n")
	}
	w.raw("--\n")
	w.howToReplyText(v.Help)
	w.raw("Sent by carecoach because you lead ", firstNonEmpty(team, "this team"), " and get its digest, so that every piece of feedback you give is about a specific ticket.\n")
	return w.String()
}

// itemText writes one numbered moment.
func (w *writer) itemText(it DigestItem) {
	w.raw("\n", itoa(it.N), ". ", firstNonEmpty(person(it.AgentName), "An agent"))
	if b := it.Behaviour.Label(); b != "" {
		w.raw(" (", b, ")")
	}
	if it.What != "" {
		w.raw("\n   ", person(it.What))
	}
	w.raw("\n   Ticket #", it.TicketID, ": ", oneLine(it.Subject))
	if !it.At.IsZero() {
		w.raw(", ", when(it.At))
	}
	if it.TicketURL != "" {
		w.raw("\n   ", it.TicketURL)
	}
	if it.Quote != "" {
		w.raw("\n   The customer wrote: “", person(excerpt(it.Quote)), "”")
	}
	if it.Suggestion != "" {
		w.raw("\n   You could say: “", person(it.Suggestion), "”")
	}
	w.raw("\n")
}

// checkBacksText writes the "Checking back" section.
func (w *writer) checkBacksText(c DigestCheckBacks) {
	w.raw("\nCHECKING BACK\n")
	if len(c.Done) > 0 {
		w.raw("\nDone this week:\n")
		for _, l := range c.Done {
			w.raw("- ", firstNonEmpty(person(l.AgentName), "An agent"), ", ", lineWork(l), " (", day(l.At), ")")
			if l.Note != "" {
				w.raw(": “", person(excerpt(l.Note)), "”")
			}
			w.raw("\n")
		}
	}
	if len(c.Open) > 0 {
		w.raw("\nWaiting for you to check back:\n")
		for _, l := range c.Open {
			w.raw("- ", firstNonEmpty(person(l.AgentName), "An agent"), ", ", lineWork(l))
			switch {
			case !l.At.IsZero():
				w.raw(" (asked ", day(l.At), ")")
			case !l.Again.IsZero():
				w.raw(" (you asked to be reminded on ", day(l.Again), ")")
			}
			w.raw("\n")
		}
	}
	w.raw("\nFollow-through: ", itoa(c.Followed), " of ", plural(c.Asked, "check-back"), " done in the last ", itoa(c.Weeks), " weeks (", c.Rate(), ").\n")
}

// lineWork is what a check-back line is about: "ticket #42", or a
// climate answer.
func lineWork(l CheckBackLine) string {
	if l.Concern {
		return "what they raised"
	}
	return "ticket #" + l.TicketID
}
