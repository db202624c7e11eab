// Package mimemail reads the replies managers send to carecoach's emails.
//
// Every carecoach prompt starts with [ReplyMarker]; a manager acts by
// replying above it. Inbound replies arrive as raw MIME (from S3 in
// production, from a local SMTP listener in development). [Parse] turns one
// raw message into a [Message] with the headers needed to thread and trust
// it, the full plain text, and [Message.Reply]: only what the sender wrote,
// with the quoted history and signature removed by [StripReply].
package mimemail

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"net/textproto"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/jhillyerd/enmime/v2"
	"github.com/jhillyerd/enmime/v2/mediatype"

	"github.com/carecoach/carecoach/shared/core/emailtext"
)

// ReplyMarker is the line every carecoach prompt starts with; text from this line on is quoted history.
const ReplyMarker = emailtext.ReplyMarker

// MaxSize caps a message (bigger ones are refused, never parsed): 10 MB,
// room for a reply with a screenshot or a photo in it. Parsing one takes
// about 0.2 s and 25 MB of memory.
const MaxSize = 10 << 20

// MaxText caps the text a reply is read from (its plain text part, or its
// HTML when it has no plain text): 1 MB, far more than anyone types.
const MaxText = 1 << 20

var (
	// ErrTooLarge is wrapped by the error Parse returns for a message of
	// more than MaxSize bytes. Such a message is not parsed.
	ErrTooLarge = errors.New("mimemail: message too large")
	// ErrTextTooLarge is wrapped (with ErrTooLarge) by the error Parse
	// returns for a message whose text is longer than MaxText.
	ErrTextTooLarge = fmt.Errorf("%w: text longer than MaxText", ErrTooLarge)
	// ErrNotMail is wrapped by the error Parse returns for input that is not
	// an email message it accepts: empty, not MIME, without a usable From
	// address, or with a pathological MIME structure (too many multipart
	// sections or parts).
	ErrNotMail = errors.New("mimemail: not an email message")
)

// parser trusts a part's declared charset. By default enmime runs charset
// detection on every text part and, when confident, overrides the declared
// charset; that is slow (most of Parse's time) and can turn correctly
// labelled text into mojibake. Detection still runs for parts that declare
// no charset. HTML is converted to text by htmlToText instead of by enmime,
// which bounds how deep quotes nest (readEnvelope never converts; the
// option keeps ReadEnvelope, the test oracle, from converting either).
var parser = enmime.NewParser(
	enmime.DisableCharacterDetection(true),
	enmime.DisableTextConversion(true),
)

// Limits on a message's MIME structure, checked on the raw bytes before
// enmime sees them. enmime's time grows exponentially with the depth of
// nested multiparts whose boundaries are never closed (22 levels, 1.2 KB:
// seconds; 30 levels: minutes) and quadratically with the number of parts
// (1,000 text parts in 1 MB: seconds and 1 GB of garbage). Replies have a
// handful of each; the counts below are upper bounds that are cheap to take.
const (
	maxMultiparts = 10  // occurrences of "multipart/"
	maxDelimiters = 200 // lines starting with "--" (each part starts with one)
)

// Message is one parsed inbound email.
type Message struct {
	MessageID string   // without angle brackets; "" if absent
	InReplyTo string   // the first message id of In-Reply-To, without angle brackets; "" if absent
	From      string   // the bare lower-cased address of the From header
	FromName  string   // the From header's display name, decoded; "" if none
	To, Cc    []string // bare lower-cased addresses
	Subject   string   // decoded
	Date      time.Time
	Text      string            // the full plain text (text/plain part, or HTML converted to text when there is no text part)
	Blocks    []emailtext.Block // what the sender wrote, block by block: see emailtext.Written
	Reply     string            // the blocks' texts joined by a blank line
	// Automatic says why the message was sent by a machine ("" if it was
	// not): see [Automatic].
	Automatic string
	// Forwarded says why the message is a forward ("" if it is not): see
	// [emailtext.Forwarded].
	Forwarded string
	// Headers needed for verdict checks when no SES event is available:
	AuthResults               []string // values of Authentication-Results headers, top first
	SpamVerdict, VirusVerdict string   // X-SES-Spam-Verdict / X-SES-Virus-Verdict if present
}

// Parse reads one raw message (at most MaxSize bytes; larger → an error that
// says so, wrapped around ErrTooLarge). It reads at most MaxSize+1 bytes from
// r. Input that is not an email message it can read gives an error wrapped
// around ErrNotMail. With either error, the Message holds what the header
// says (From, To, Subject, Automatic, …) when the header could be read, so
// that the sender can be told why nothing was done; its texts are empty.
//
// Texts are valid UTF-8 (invalid bytes become U+FFFD) with "\n" line ends;
// a format=flowed text part is unwrapped. A missing or unparsable Date gives
// a zero Date, not an error. When a header occurs more than once, the topmost
// value is used (SES prepends its own headers).
func Parse(r io.Reader) (Message, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return Message{}, fmt.Errorf("mimemail: read message: %w", err)
	}
	if len(raw) > MaxSize {
		m, _ := parseHeader(raw)
		return m, fmt.Errorf("%w: more than %d bytes (MaxSize); not parsed", ErrTooLarge, MaxSize)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return Message{}, fmt.Errorf("%w: empty input", ErrNotMail)
	}
	if err := checkStructure(raw); err != nil {
		m, _ := parseHeader(raw)
		return m, err
	}
	env, err := readEnvelope(bytes.NewReader(raw))
	if err != nil {
		m, _ := parseHeader(raw)
		// enmime quotes the offending input in its errors; quote and cap it
		// so a hostile message cannot forge log lines.
		return m, fmt.Errorf("%w: %s", ErrNotMail, emailtext.Quote(err.Error()))
	}

	from, err := env.addressList("From")
	if err != nil || len(from) == 0 || !strings.Contains(from[0].Address, "@") {
		return Message{}, fmt.Errorf("%w: no valid From address", ErrNotMail)
	}
	source := env.Text // what the reply is read from
	if strings.TrimSpace(source) == "" {
		source = env.HTML
	}
	if len(source) > MaxText {
		m, _ := parseHeader(raw)
		return m, fmt.Errorf("%w: %d bytes; not read", ErrTextTooLarge, len(source))
	}

	m := Message{
		MessageID:    messageID(env.header("Message-Id")),
		InReplyTo:    messageID(env.header("In-Reply-To")),
		From:         bareAddress(from[0].Address),
		FromName:     oneLine(from[0].Name),
		To:           addresses(env, "To"),
		Cc:           addresses(env, "Cc"),
		Subject:      oneLine(env.header("Subject")),
		SpamVerdict:  oneLine(env.header("X-Ses-Spam-Verdict")),
		VirusVerdict: oneLine(env.header("X-Ses-Virus-Verdict")),
	}
	if d, err := env.date(); err == nil {
		m.Date = d
	}
	for _, v := range env.headerValues("Authentication-Results") {
		m.AuthResults = append(m.AuthResults, oneLine(v))
	}
	if env.Root != nil {
		m.Automatic = Automatic(env.Root.Header, env.Root.ContentType, m.Subject)
	}

	text := env.Text
	if flowed, delsp := isFlowed(env); flowed {
		text = emailtext.Unflow(emailtext.NormalizeNewlines(text), delsp)
	}
	hints := emailtext.Hints{Sender: m.FromName, Address: m.From}
	switch {
	case strings.TrimSpace(text) == "" && env.HTML != "":
		doc := parseHTML(env.HTML)
		hints.Signatures = htmlSignatures(doc)
		text = htmlToText(doc)
	case env.HTML != "" && len(env.HTML) <= MaxText && mayHaveSignature(env.HTML):
		hints.Signatures = htmlSignatures(parseHTML(env.HTML))
	}
	m.Text = strings.ToValidUTF8(emailtext.NormalizeNewlines(text), "\uFFFD")
	m.Blocks = emailtext.Written(m.Text, hints)
	m.Reply = emailtext.JoinBlocks(m.Blocks)
	m.Forwarded = emailtext.Forwarded(m.Subject, m.Text)
	return m, nil
}

// parseHeader reads only the header of a message that cannot be parsed
// whole: enough to know who sent it, to whom, and whether a machine did.
// It fails when the header has no valid From address.
func parseHeader(raw []byte) (Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{}, fmt.Errorf("%w: unreadable header", ErrNotMail)
	}
	h := textproto.MIMEHeader(msg.Header)
	from, err := mail.ParseAddress(decodeHeader(h.Get("From")))
	if err != nil || !strings.Contains(from.Address, "@") {
		return Message{}, fmt.Errorf("%w: no valid From address", ErrNotMail)
	}
	m := Message{
		MessageID:    messageID(h.Get("Message-Id")),
		InReplyTo:    messageID(h.Get("In-Reply-To")),
		From:         bareAddress(from.Address),
		FromName:     oneLine(from.Name),
		To:           headerAddresses(h.Get("To")),
		Cc:           headerAddresses(h.Get("Cc")),
		Subject:      oneLine(decodeHeader(h.Get("Subject"))),
		SpamVerdict:  oneLine(h.Get("X-Ses-Spam-Verdict")),
		VirusVerdict: oneLine(h.Get("X-Ses-Virus-Verdict")),
	}
	if d, err := msg.Header.Date(); err == nil {
		m.Date = d
	}
	for _, v := range h.Values("Authentication-Results") {
		m.AuthResults = append(m.AuthResults, oneLine(v))
	}
	ct, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	m.Automatic = Automatic(h, ct, m.Subject)
	return m, nil
}

var wordDecoder = mime.WordDecoder{CharsetReader: func(charset string, input io.Reader) (io.Reader, error) {
	// Headers in other charsets keep their encoded words: the addresses
	// in them are ASCII either way.
	return nil, fmt.Errorf("charset %s not decoded", charset)
}}

func decodeHeader(v string) string {
	if d, err := wordDecoder.DecodeHeader(v); err == nil {
		return d
	}
	return v
}

// headerAddresses are the bare lower-cased addresses of an address header
// value, also when the strict parser rejects it.
func headerAddresses(v string) []string {
	list, err := mail.ParseAddressList(decodeHeader(v))
	var out []string
	if err == nil {
		for _, a := range list {
			out = append(out, bareAddress(a.Address))
		}
		return out
	}
	for _, a := range addrSpec().FindAllString(v, -1) {
		out = append(out, bareAddress(a))
	}
	return out
}

// checkStructure refuses messages whose MIME structure would make enmime
// slow; see maxMultiparts and maxDelimiters.
func checkStructure(raw []byte) error {
	if n := bytes.Count(bytes.ToLower(raw), []byte("multipart/")); n > maxMultiparts {
		return fmt.Errorf("%w: %d multipart sections (at most %d); not parsed", ErrNotMail, n, maxMultiparts)
	}
	n := bytes.Count(raw, []byte("\n--"))
	if bytes.HasPrefix(raw, []byte("--")) {
		n++
	}
	if n > maxDelimiters {
		return fmt.Errorf("%w: %d lines starting with \"--\" (at most %d); not parsed", ErrNotMail, n, maxDelimiters)
	}
	return nil
}

// isFlowed reports whether the plain text comes from a format=flowed part
// (RFC 3676) and whether that part has delsp=yes.
func isFlowed(env *envelope) (flowed, delsp bool) {
	if env.Root == nil {
		return false, false
	}
	p := env.Root.BreadthMatchFirst(func(p *enmime.Part) bool {
		return p.ContentType == "text/plain" && p.Disposition != "attachment"
	})
	if p == nil || len(bytes.TrimSpace(p.Content)) == 0 {
		return false, false // the text, if any, was converted from HTML
	}
	// enmime leaves Part.ContentTypeParams empty when parsing; read the
	// parameters from the header.
	_, params, _, err := mediatype.Parse(p.Header.Get("Content-Type"))
	if err != nil {
		return false, false
	}
	return strings.EqualFold(params["format"], "flowed"), strings.EqualFold(params["delsp"], "yes")
}

// addresses returns the bare lower-cased addresses of an address header.
// An address list the strict parser rejects still yields the addr-specs it
// plainly contains, so one malformed entry does not hide the reply address.
func addresses(env *envelope, header string) []string {
	list, err := env.addressList(header)
	if err == nil {
		var out []string
		for _, a := range list {
			if a.Address != "" {
				out = append(out, bareAddress(a.Address))
			}
		}
		return out
	}
	if errors.Is(err, mail.ErrHeaderNotPresent) {
		return nil
	}
	var out []string
	for _, a := range addrSpec().FindAllString(env.header(header), -1) {
		out = append(out, bareAddress(a))
	}
	return out
}

// addrSpec is compiled on first use (as every pattern here): init is cold
// start.
var addrSpec = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`[^\s<>"(),;:\[\]@]+@[^\s<>"(),;:\[\]@]+\.[^\s<>"(),;:\[\]@]+`)
})

func bareAddress(a string) string {
	return strings.ToLower(strings.TrimSpace(strings.ToValidUTF8(a, "\uFFFD")))
}

// messageID returns the first message id in a Message-ID, In-Reply-To or
// References value, without angle brackets.
func messageID(v string) string {
	v = strings.TrimSpace(strings.ToValidUTF8(v, "\uFFFD"))
	if i := strings.IndexByte(v, '<'); i >= 0 {
		if j := strings.IndexByte(v[i:], '>'); j > 0 {
			return strings.TrimSpace(v[i+1 : i+j])
		}
	}
	if f := strings.Fields(v); len(f) > 0 {
		return strings.Trim(f[0], "<>")
	}
	return ""
}

// oneLine makes a header value valid UTF-8 on one line with single spaces.
func oneLine(v string) string {
	return strings.Join(strings.Fields(strings.ToValidUTF8(v, "\uFFFD")), " ")
}
