package mail

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/ui/htmlesc"
)

// Emails are written by plain Go code, not text/template or html/template:
// a binary that executes a template keeps every exported method of every
// type it links (the template engine looks methods up by name at run time),
// and every function links this package. Each email has a function for its
// HTML part and one for its text part. In HTML every value is escaped the
// way html/template escapes it in the same place (text, <title> and quoted
// attribute values: escapeText; links: escapeURL, or normalizeURL after a
// fixed "mailto:"); the text part is written as it comes. A differential
// test (parts_test.go) holds both parts byte for byte to the templates they
// replaced (testdata/templates), on the golden inputs and on hostile ones.

// writer builds one part of an email.
type writer struct{ strings.Builder }

// raw writes the email's own markup, or text in a text part.
func (w *writer) raw(s ...string) {
	for _, p := range s {
		w.WriteString(p)
	}
}

// text writes a value as HTML element text or a quoted attribute value.
func (w *writer) text(s string) { w.WriteString(escapeText(s)) }

// href writes a link that is a whole attribute value.
func (w *writer) href(u string) { w.WriteString(escapeURL(u)) }

// Escaping is package htmlesc's, shared with the dashboard.
var (
	escapeText   = htmlesc.Text
	escapeURL    = htmlesc.URL
	normalizeURL = htmlesc.NormalizedURL
)

// when is a moment as emails print it: "Mon 30 Nov 09:00 GMT".
func when(t time.Time) string { return t.Format("Mon 2 Jan 15:04 MST") }

// whenShort is when without the zone, for subjects that are already long.
func whenShort(t time.Time) string { return t.Format("Mon 2 Jan 15:04") }

// day is a date as emails print it: "Mon 30 Nov".
func day(t time.Time) string { return t.Format("Mon 2 Jan") }

// hours is a window in whole hours: "24 hours".
func hours(d time.Duration) string { return fmt.Sprintf("%.0f hours", d.Hours()) }

// itoa prints a count.
func itoa(n int) string { return strconv.Itoa(n) }

// The opening of an HTML email, up to its <title>'s text.
const htmlHead = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>"

// The end of the <title> and the start of the body, up to the card.
const htmlBody = "</title></head>\n<body style=\"margin:0;padding:24px;background:#f6f7f9;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1f2328;\">\n"

// The card that holds an email's content.
const htmlCard = "<div style=\"max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px;\">\n"

// The end of every HTML email, after its footer paragraph.
const htmlEnd = "</p>\n</div>\n</body>\n</html>\n"

// The footer paragraph's opening.
const htmlFooter = "<p style=\"margin:24px 0 0;font-size:12px;color:#59636e;\">"

// Paragraph openings the emails share.
const (
	pOpen   = "<p style=\"margin:0 0 16px;\">"
	pLabel  = "<p style=\"margin:0 0 8px;color:#59636e;\">"
	aLink   = "\" style=\"color:#0b57d0;\">"
	aButton = "\" style=\"display:inline-block;background:#0b57d0;color:#ffffff;text-decoration:none;padding:10px 16px;border-radius:6px;\">"
)

// quoteHTML is the blockquote an agent's email quotes the customer in.
const quoteHTML = "<blockquote style=\"margin:0 0 16px;padding:8px 16px;border-left:4px solid #d0d7de;color:#1f2328;white-space:pre-wrap;\">"

// hi writes "Hi Ana," with the name escaped, or "Hi," without one.
func (w *writer) hi(name string) {
	w.raw(pOpen, "Hi")
	if name != "" {
		w.raw(" ")
		w.text(name)
	}
	w.raw(",</p>\n")
}

// ticketLink writes "ticket #5158", linked when there is a URL.
func (w *writer) ticketLink(label, id, url string) {
	if url != "" {
		w.raw(`<a href="`)
		w.href(url)
		w.raw(aLink, label)
		w.text(id)
		w.raw("</a>")
		return
	}
	w.raw(label)
	w.text(id)
}

// button writes the paragraph with the big "Open ticket #5158" link.
func (w *writer) button(label, id, url string) {
	w.raw(pOpen, `<a href="`)
	w.href(url)
	w.raw(aButton, label)
	w.text(id)
	w.raw("</a></p>")
}

// markerHTML is the answerable emails' first line (answerable.go).
func (w *writer) markerHTML() {
	w.raw(`<p style="max-width:560px;margin:0 auto 8px;font-size:11px;line-height:16px;color:#8c959f;">`)
	w.text(care.ReplyMarker)
	w.raw("</p>")
}

// howToReplyHTML is the answerable emails' footer; nothing without help.
func (w *writer) howToReplyHTML(help string) {
	v := verbatim(help)
	if v == "" {
		return
	}
	w.raw(`<div style="margin:24px 0 0;padding:12px 16px;background:#f6f7f9;border-radius:6px;">
<p style="margin:0 0 8px;font-size:13px;font-weight:600;">How to reply</p>
<div style="white-space:pre-wrap;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;line-height:18px;color:#1f2328;">`)
	w.text(v)
	w.raw("</div>\n</div>")
}

// howToReplyText is the text part's footer; nothing without help.
func (w *writer) howToReplyText(help string) {
	if v := verbatim(help); v != "" {
		w.raw("How to reply:\n\n", v, "\n\n")
	}
}

// hiText writes a text part's "Hi Ana," and the blank line after it.
func (w *writer) hiText(name string) {
	w.raw("Hi")
	if name != "" {
		w.raw(" ", name)
	}
	w.raw(",\n\n")
}

// The paragraph that invites an agent to ask for feedback on the ticket an
// email is about, by replying (the email's Reply-To is the ask address).
const (
	askHTML = "\n<p style=\"margin:0 0 16px;color:#59636e;\">Want a second opinion on this ticket? Reply <strong>ask</strong> and your question (name teammates with @ to ask them too): your manager gets it with the ticket's history.</p>"
	askText = "\nWant a second opinion on this ticket? Reply \"ask\" and your question (name teammates with @ to ask them too): your manager gets it with the ticket's history.\n"
)

// askReplyTo is the Reply-To of an agent's email about a ticket: the ask
// address, when the team asks for feedback through carecoach.
func askReplyTo(ask string) []string {
	if ask == "" {
		return nil
	}
	return []string{ask}
}
