package mimemail

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/jhillyerd/enmime/v2"
	"github.com/jhillyerd/enmime/v2/mediatype"
)

// envelope is what Parse reads of a message: its part tree and the text and
// HTML bodies that enmime's EnvelopeFromPart would choose. Parse used to
// call enmime's ReadEnvelope, which links html2text and, through it, a
// table renderer (tablewriter) into the inbound Lambda even with text
// conversion disabled; reading the parts and choosing the bodies here keeps
// them out. envelope_test.go holds every field to ReadEnvelope's.
//
// Deliberately not mirrored, since Parse reads none of them: the
// Attachments, Inlines, OtherParts and Errors lists, and the warning
// EnvelopeFromPart adds when a message has no text/plain part.
type envelope struct {
	Root       *enmime.Part
	Text, HTML string
}

// readEnvelope parses raw with parser and chooses the bodies by enmime's
// rules (EnvelopeFromPart, v2.4.1):
//   - a multipart root (any multipart/ type, which needs a boundary): for
//     multipart/alternative the text is the first text/plain part that is
//     not an attachment, breadth first; for every other multipart, all such
//     parts depth first, joined by "\n--\n". The HTML is the first text/html
//     part that is not an attachment, depth first. Inline parts count as
//     bodies; an attachment (Content-Disposition: attachment) never does.
//   - a single-part root that is binary (not text/plain or text/html, or
//     marked as an attachment): no bodies.
//   - a single-part text/html root: the HTML (re-decoded from the charset
//     its <meta> names when Content-Type names none, as enmime does); any
//     other single text part: the text.
func readEnvelope(r io.Reader) (*envelope, error) {
	root, err := parser.ReadParts(r)
	if err != nil {
		return nil, fmt.Errorf("read parts: %w", err)
	}
	e := &envelope{Root: root}
	ctype, params, _, err := mediatype.Parse(root.Header.Get("Content-Type"))
	switch {
	case err == nil && strings.HasPrefix(ctype, "multipart/"):
		if params["boundary"] == "" {
			return nil, errors.New("multipart message without a boundary parameter")
		}
		e.multipartBodies(ctype)
	case binaryBody(root):
	case err == nil && ctype == "text/html":
		e.HTML = string(root.Content)
		if params["charset"] == "" {
			e.HTML = htmlInMetaCharset(e.HTML, root.Content)
		}
	default:
		e.Text = string(root.Content)
	}
	return e, nil
}

func (e *envelope) multipartBodies(ctype string) {
	isText := func(p *enmime.Part) bool { return p.ContentType == "text/plain" && p.Disposition != "attachment" }
	if ctype == "multipart/alternative" {
		if p := e.Root.BreadthMatchFirst(isText); p != nil {
			e.Text = string(p.Content)
		}
	} else {
		var b strings.Builder
		for i, p := range e.Root.DepthMatchAll(isText) {
			if i > 0 {
				b.WriteString("\n--\n")
			}
			b.Write(p.Content)
		}
		e.Text = b.String()
	}
	if p := e.Root.DepthMatchFirst(func(p *enmime.Part) bool {
		return p.ContentType == "text/html" && p.Disposition != "attachment"
	}); p != nil {
		e.HTML = string(p.Content)
	}
}

// binaryBody reports whether a single-part message is an attachment rather
// than a body (enmime's detectBinaryBody): a text/plain or text/html part
// (or one without Content-Type) only when its disposition is attachment;
// any other type always, as is a part whose disposition is attachment or
// inline with parameters, or whose Content-Type is "attachment".
func binaryBody(root *enmime.Part) bool {
	disposition, dparams, _, _ := mediatype.Parse(root.Header.Get("Content-Disposition"))
	disposition = strings.ToLower(disposition)
	ctypeHeader := root.Header.Get("Content-Type")
	ctype, _, _, err := mediatype.Parse(ctypeHeader)
	ctype = strings.ToLower(ctype)
	if ctypeHeader == "" || (err == nil && (ctype == "text/plain" || ctype == "text/html")) {
		return disposition == "attachment"
	}
	if disposition == "attachment" || (disposition == "inline" && len(dparams) > 0) || ctype == "attachment" {
		return true
	}
	return ctype != "text/plain" && ctype != "text/html"
}

// metaCharset is enmime's pattern for the charset an HTML body declares.
var metaCharset = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)<meta.*charset="?\s*(?P<charset>[a-zA-Z0-9_.:-]+)\s*"?`)
})

// htmlInMetaCharset is an HTML body without a declared charset, decoded
// from the charset its <meta> tag names (as enmime does, from the part's
// content as already decoded); the body unchanged when there is none or it
// is unknown.
func htmlInMetaCharset(html string, content []byte) string {
	m := metaCharset().FindStringSubmatch(html)
	if m == nil {
		return html
	}
	enc, err := charsetEncoding(m[1])
	if err != nil {
		return html
	}
	if enc == nil {
		return string(content)
	}
	out, err := enc.NewDecoder().Bytes(content)
	if err != nil {
		return html
	}
	return string(out)
}

// wordDecoderExt decodes RFC 2047 encoded words in any charset
// charsetEncoding knows.
var wordDecoderExt = &mime.WordDecoder{CharsetReader: func(charset string, input io.Reader) (io.Reader, error) {
	enc, err := charsetEncoding(charset)
	if err != nil {
		return nil, err
	}
	if enc == nil {
		return input, nil
	}
	return enc.NewDecoder().Reader(input), nil
}}

// decodeExtHeader decodes a header value's encoded words; the value
// unchanged when one cannot be decoded.
func decodeExtHeader(v string) string {
	if !strings.Contains(v, "=?") {
		return v
	}
	d, err := wordDecoderExt.DecodeHeader(v)
	if err != nil {
		return v
	}
	return d
}

// header is the decoded topmost value of a header; "" if absent.
func (e *envelope) header(name string) string {
	return decodeExtHeader(e.Root.Header.Get(name))
}

// headerValues are the decoded values of a header, top first.
func (e *envelope) headerValues(name string) []string {
	raw := e.Root.Header.Values(name)
	out := make([]string, 0, len(raw))
	for _, v := range raw {
		out = append(out, decodeExtHeader(v))
	}
	return out
}

// addressList parses an address header as enmime's ParseAddressList does
// (its tolerance of missing commas included), with names decoded.
// mail.ErrHeaderNotPresent when the header is absent or empty.
func (e *envelope) addressList(name string) ([]*mail.Address, error) {
	list, err := enmime.ParseAddressList(e.Root.Header.Get(name))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return list, nil
}

// date is the Date header's time; mail.ErrHeaderNotPresent when absent.
func (e *envelope) date() (time.Time, error) {
	v := e.header("Date")
	if v == "" {
		return time.Time{}, mail.ErrHeaderNotPresent
	}
	t, err := mail.ParseDate(v)
	if err != nil {
		return time.Time{}, fmt.Errorf("date: %w", err)
	}
	return t, nil
}
