package mail

import (
	"strconv"

	"github.com/carecoach/carecoach/shared/core/care"
)

// The confirmation's two parts.

// outcome is the confirmation's first sentence after the thanks.
func outcome(c Confirmation) string {
	switch {
	case c.Refused != "":
		return "carecoach did not read it, so nothing was recorded."
	case len(c.Recorded) > 0 || len(c.Skipped) > 0 || len(c.Problems) > 0:
		return "Here is what carecoach did with it."
	default:
		return "It had nothing carecoach could act on, so nothing was recorded."
	}
}

// oneOrMany is one when there is one problem line, else many.
func oneOrMany(c Confirmation, one, many string) string {
	if len(c.Problems) == 1 {
		return one
	}
	return many
}

func confirmationHTML(c Confirmation) string {
	var w writer
	subject := oneLine(c.Subject)
	w.raw(htmlHead, "Your reply: ")
	w.text(subject)
	w.raw(htmlBody)
	w.markerHTML()
	w.raw("\n", htmlCard)
	w.hi(person(c.Manager.Name))
	w.raw(pOpen, "Thanks for your reply to <strong>")
	w.text(subject)
	w.raw("</strong>. ", outcome(c), "</p>\n")
	if c.Refused != "" {
		w.raw(`<h2 style="margin:24px 0 8px;font-size:18px;color:#9a6700;">Nothing recorded</h2>`, "\n", pOpen)
		w.text(person(c.Refused))
		w.raw("</p>\n")
	}
	if len(c.Recorded) > 0 {
		w.raw(`<h2 style="margin:24px 0 8px;font-size:18px;color:#1a7f37;">Recorded</h2>`, "\n", `<ul style="margin:0 0 16px;padding-left:24px;">`)
		w.items(c.Recorded)
	}
	if len(c.Skipped) > 0 {
		w.raw(`<h2 style="margin:24px 0 8px;font-size:18px;">Skipped</h2>`, "\n", `<ul style="margin:0 0 16px;padding-left:24px;color:#59636e;">`)
		w.items(c.Skipped)
	}
	if len(c.Problems) > 0 {
		w.raw(`<h2 style="margin:24px 0 8px;font-size:18px;color:#9a6700;">Not understood</h2>`, "\n",
			`<p style="margin:0 0 8px;">carecoach could not read `, oneOrMany(c, "this line", "these "+strconv.Itoa(len(c.Problems))+" lines"),
			", so nothing was done with ", oneOrMany(c, "it", "them"), ":</p>\n",
			`<table role="presentation" style="border-collapse:collapse;width:100%;margin:0 0 16px;font-size:14px;">`)
		for _, p := range c.Problems {
			w.raw("\n", `<tr><td style="padding:6px 12px 6px 0;vertical-align:top;white-space:nowrap;color:#59636e;border-top:1px solid #d0d7de;">`)
			if p.Line != 0 {
				w.raw("Line ", strconv.Itoa(p.Line))
			}
			w.raw(`</td><td style="padding:6px 0;vertical-align:top;border-top:1px solid #d0d7de;"><code style="white-space:pre-wrap;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;">`)
			w.text(person(p.Text))
			w.raw("</code>")
			if p.Why != "" {
				w.raw(`<br><span style="color:#59636e;">`)
				w.text(p.Why)
				w.raw("</span>")
			}
			w.raw("</td></tr>")
		}
		w.raw("\n</table>\n", pOpen, "No harm done: reply with just ", oneOrMany(c, "that line", "those lines"), ", written as shown under “How to reply”")
		if len(c.Recorded) > 0 {
			w.raw("; what is recorded above stays recorded")
		}
		w.raw(".</p>\n")
	}
	w.howToReplyHTML(c.Help)
	w.raw("\n", htmlFooter, "Sent by carecoach because you replied to “")
	w.text(subject)
	w.raw("”.", htmlEnd)
	return w.String()
}

// items writes a list's items, each on one line, and closes the list.
func (w *writer) items(lines []string) {
	for _, l := range lines {
		w.raw("\n", `<li style="margin:0 0 4px;">`)
		w.text(person(l))
		w.raw("</li>")
	}
	w.raw("\n</ul>\n")
}

func confirmationText(c Confirmation) string {
	var w writer
	subject := oneLine(c.Subject)
	w.raw(care.ReplyMarker, "\n\n")
	w.hiText(person(c.Manager.Name))
	w.raw("Thanks for your reply to “", subject, "”. ", outcome(c), "\n")
	if c.Refused != "" {
		w.raw("\nNOTHING RECORDED\n", person(c.Refused), "\n")
	}
	if len(c.Recorded) > 0 {
		w.raw("\nRECORDED\n")
		for _, l := range c.Recorded {
			w.raw("- ", person(l), "\n")
		}
	}
	if len(c.Skipped) > 0 {
		w.raw("\nSKIPPED\n")
		for _, l := range c.Skipped {
			w.raw("- ", person(l), "\n")
		}
	}
	if len(c.Problems) > 0 {
		w.raw("\nNOT UNDERSTOOD\ncarecoach could not read ", oneOrMany(c, "this line", "these "+strconv.Itoa(len(c.Problems))+" lines"),
			", so nothing was done with ", oneOrMany(c, "it", "them"), ":\n")
		for _, p := range c.Problems {
			w.raw("\n")
			if p.Line != 0 {
				w.raw("Line ", strconv.Itoa(p.Line), ": ")
			}
			w.raw(person(p.Text), "\n")
			if p.Why != "" {
				w.raw("  ", person(p.Why), "\n")
			}
		}
		w.raw("\nNo harm done: reply with just ", oneOrMany(c, "that line", "those lines"), ", written as shown under “How to reply”")
		if len(c.Recorded) > 0 {
			w.raw("; what is recorded above stays recorded")
		}
		w.raw(".\n")
	}
	w.raw("\n--\n")
	w.howToReplyText(c.Help)
	w.raw("Sent by carecoach because you replied to “", subject, "”.\n")
	return w.String()
}
