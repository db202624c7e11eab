package mail

import (
	"fmt"

	"github.com/carecoach/carecoach/shared/core/care"
)

// The upward question's, results' and thanks' two parts.

const upwardQuestionWhy = "Sent by carecoach because your team asks, once a month, how well its managers support it."

func upwardQuestionHTML(v upwardQuestionView) string {
	var w writer
	w.raw(htmlHead, "One question about ")
	w.text(v.About)
	w.raw(htmlBody)
	w.markerHTML()
	w.raw("\n", htmlCard)
	w.hi(v.Name)
	w.raw(pOpen, "Once a month carecoach asks you one question about the support you get from <strong>")
	w.text(v.About)
	w.raw("</strong>:</p>\n", `<p style="margin:0 0 16px;font-size:18px;line-height:26px;font-weight:600;">`)
	w.text(v.Question)
	w.raw("</p>\n", pOpen, "Reply with a score from <strong>1 (not at all)</strong> to <strong>5 (fully)</strong>, and any words you like.</p>\n", pLabel)
	w.text(privacy(v))
	w.raw("</p>\n")
	w.howToReplyHTML(v.Help)
	w.raw("\n", htmlFooter, upwardQuestionWhy, htmlEnd)
	return w.String()
}

func upwardQuestionText(v upwardQuestionView) string {
	var w writer
	w.raw(care.ReplyMarker, "\n\n")
	w.hiText(v.Name)
	w.raw("Once a month carecoach asks you one question about the support you get from ", v.About, ":\n\n", v.Question, "\n\n")
	w.raw("Reply with a score from 1 (not at all) to 5 (fully), and any words you like.\n\n", privacy(v), "\n")
	w.raw("\n--\n")
	w.howToReplyText(v.Help)
	w.raw(upwardQuestionWhy, "\n")
	return w.String()
}

const upwardResultsWhy = "Sent by carecoach because your team asks, once a month, how well its managers support it. Answers are never shown with names."

// withheld is the results' note below the threshold.
func withheld(r UpwardResults) string {
	return fmt.Sprintf("%s this month. Answers stay private below %d, so there is no score and no words to show: nobody could be sure their answer was not recognised.",
		upper1(answered(r.Round)), r.ShowFrom)
}

func upper1(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

func upwardResultsHTML(r UpwardResults) string {
	var w writer
	v := r.Round
	w.raw(htmlHead, "How your team sees your support", htmlBody)
	w.markerHTML()
	w.raw("\n", htmlCard)
	w.hi(person(r.Manager.Name))
	w.raw(pOpen, "This month your team was asked: <strong>")
	w.text(v.Question)
	w.raw("</strong></p>\n", pOpen)
	if !v.Shown {
		w.text(withheld(r))
		w.raw("</p>\n")
	} else {
		w.text(upper1(answered(v)))
		w.raw(". Average: <strong>")
		w.text(average(v.Average))
		w.raw(" out of 5</strong>.</p>\n", `<table style="margin:0 0 16px;border-collapse:collapse;">`, "\n")
		for i := 4; i >= 0; i-- {
			w.raw(`<tr><td style="padding:2px 12px 2px 0;">`, scoreLabels[i], `</td><td style="padding:2px 0;">`, itoa(v.Scores[i]), "</td></tr>\n")
		}
		w.raw("</table>\n")
		if len(v.Words) > 0 {
			w.raw(pLabel, "What they said (in alphabetical order, without names):</p>\n")
			for _, words := range v.Words {
				w.raw(`<blockquote style="margin:0 0 8px;padding:8px 16px;border-left:4px solid #d0d7de;white-space:pre-wrap;">`)
				w.text(words)
				w.raw("</blockquote>\n")
			}
		}
		if len(r.Trend) > 0 {
			w.raw(pLabel, "The last months:</p>\n", `<ul style="margin:0 0 16px;padding-left:20px;">`, "\n")
			for _, m := range r.Trend {
				w.raw(`<li style="margin:0 0 4px;">`)
				w.text(trendLine(m, r.ShowFrom))
				w.raw("</li>\n")
			}
			w.raw("</ul>\n")
		}
	}
	w.howToReplyHTML(r.Help)
	w.raw("\n", htmlFooter, upwardResultsWhy, htmlEnd)
	return w.String()
}

func upwardResultsText(r UpwardResults) string {
	var w writer
	v := r.Round
	w.raw(care.ReplyMarker, "\n\n")
	w.hiText(person(r.Manager.Name))
	w.raw("This month your team was asked: ", v.Question, "\n\n")
	if !v.Shown {
		w.raw(withheld(r), "\n")
	} else {
		w.raw(upper1(answered(v)), ". Average: ", average(v.Average), " out of 5.\n\n")
		for i := 4; i >= 0; i-- {
			w.raw(scoreLabels[i], ": ", itoa(v.Scores[i]), "\n")
		}
		if len(v.Words) > 0 {
			w.raw("\nWhat they said (in alphabetical order, without names):\n")
			for _, words := range v.Words {
				w.raw("\n“", words, "”\n")
			}
		}
		if len(r.Trend) > 0 {
			w.raw("\nThe last months:\n")
			for _, m := range r.Trend {
				w.raw("- ", trendLine(m, r.ShowFrom), "\n")
			}
		}
	}
	w.raw("\n--\n")
	w.howToReplyText(r.Help)
	w.raw(upwardResultsWhy, "\n")
	return w.String()
}

func upwardThanksHTML(t UpwardThanks, from string) string {
	var w writer
	w.raw(htmlHead)
	w.text(from)
	w.raw(" thanks the team", htmlBody, htmlCard)
	w.hi(person(t.Agent.Name))
	w.raw(pOpen)
	w.text(from)
	w.raw(" read the team's answers about their support in ")
	w.text(t.Month)
	w.raw(", and wanted to say:</p>\n", `<blockquote style="margin:0 0 8px;padding:12px 16px;border-left:4px solid #1a7f37;background:#f6f7f9;font-size:18px;line-height:26px;white-space:pre-wrap;">`)
	w.text(t.Words)
	w.raw("</blockquote>\n", `<p style="margin:0 0 16px;color:#59636e;">— `)
	w.text(from)
	w.raw("</p>\n", htmlFooter, "Sent by carecoach to everyone who was asked about ")
	w.text(from)
	w.raw("'s support this month, whether or not they answered.", htmlEnd)
	return w.String()
}

func upwardThanksText(t UpwardThanks, from string) string {
	var w writer
	w.hiText(person(t.Agent.Name))
	w.raw(from, " read the team's answers about their support in ", t.Month, ", and wanted to say:\n\n", t.Words, "\n\n— ", from, "\n")
	w.raw("\n--\nSent by carecoach to everyone who was asked about ", from, "'s support this month, whether or not they answered.\n")
	return w.String()
}
