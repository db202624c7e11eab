package mimemail_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf8"

	"github.com/jhillyerd/enmime/v2"

	"github.com/carecoach/carecoach/shared/adapters/mimemail"
)

const (
	replyAddr = "reply+01jexkq8z5r6t7v8w9x0y1z2a3.9f86d081884c7d65@in.acme-support.example"
	digestID  = "0102019398a1b2c3-5d6e7f80-1a2b-4c3d-9e8f-0a1b2c3d4e5f-000000@eu-west-1.amazonses.com"
	subject   = "Your team’s week — 3 wins to celebrate"
	sesAuth   = "amazonses.com; spf=pass (spfCheck: domain of acme-support.example designates 203.0.113.25 as permitted sender) client-ip=203.0.113.25; envelope-from=%s; helo=mail-eu1.acme-support.example; dkim=pass header.i=@acme-support.example; dmarc=pass header.from=acme-support.example;"
	// html2text renders <ol> items as "* …", so the number is not part of it.
	digestItem = "Ana Silva answered Maria Lopez within 12 minutes on ticket #5158"
)

var cet = time.FixedZone("", 60*60)

func sesAuthFor(envelopeFrom string) string { return fmt.Sprintf(sesAuth, envelopeFrom) }

var fixtures = []struct {
	name string
	file string
	want mimemail.Message // Text is not compared; see the checks below
}{
	{
		name: "a Gmail reply with a wrapped attribution line",
		file: "gmail-reply.eml",
		want: mimemail.Message{
			MessageID: "CAF8xK2pR7mN3qW5tY9vB1cD4eH6jL0sU2wX8zA+q3e@mail.gmail.com",
			InReplyTo: digestID,
			From:      "priya.natarajan@acme-support.example",
			To:        []string{replyAddr},
			Subject:   "Re: " + subject,
			Date:      time.Date(2026, 12, 7, 9, 31, 2, 0, cet),
			Reply: "1: Brilliant work on #5158 — exactly what we want. share\n" +
				"2: reward: lunch on me\n" +
				"skip 3",
			AuthResults:  []string{sesAuthFor("priya.natarajan@acme-support.example")},
			SpamVerdict:  "PASS",
			VirusVerdict: "PASS",
		},
	},
	{
		name: "an Outlook desktop reply in windows-1252 with Original Message and a signature",
		file: "outlook-desktop-reply.eml",
		want: mimemail.Message{
			MessageID: "DB9PR04MB8412C3E5A1F2B7D94E6A0C1D8F2A9@DB9PR04MB8412.eurprd04.prod.outlook.com",
			InReplyTo: digestID,
			From:      "jordan.reyes@acme-support.example",
			To:        []string{replyAddr},
			Cc:        []string{"ana.silva@acme-support.example"},
			Subject:   "RE: " + subject,
			Date:      time.Date(2026, 12, 7, 8, 40, 19, 0, time.UTC),
			Reply: "1: share\n" +
				"2: reward: team breakfast on Friday – Ben’s pick\n" +
				"skip 3",
			AuthResults: []string{
				sesAuthFor("Jordan.Reyes@acme-support.example"),
				"dkim=none (message not signed) header.d=none;dmarc=none action=none header.from=acme-support.example;",
			},
			SpamVerdict:  "PASS",
			VirusVerdict: "PASS",
		},
	},
	{
		name: "an Outlook web reply with a From/Sent block and no separator",
		file: "outlook-web-reply.eml",
		want: mimemail.Message{
			MessageID: "AM0PR07MB6179A2B4C8D1E3F5A7B9C0D2E4F6A8B@AM0PR07MB6179.eurprd07.prod.outlook.com",
			InReplyTo: digestID,
			From:      "sam.oneill@acme-support.example",
			To:        []string{replyAddr},
			Subject:   "Re: " + subject,
			Date:      time.Date(2026, 12, 7, 8, 52, 44, 0, time.UTC),
			Reply: "1: share <b>this</b> with the whole team please\n" +
				"skip 2\n" +
				"skip 3",
			AuthResults:  []string{sesAuthFor("sam.oneill@acme-support.example")},
			SpamVerdict:  "GRAY",
			VirusVerdict: "PASS",
		},
	},
	{
		name: "an Apple Mail reply from an iPhone with a quoted attribution",
		file: "apple-mail-reply.eml",
		want: mimemail.Message{
			MessageID: "7C2E9A14-3B5D-4F6E-8A1C-2D3E4F5A6B7C@acme-support.example",
			InReplyTo: digestID,
			From:      "lea.martin@acme-support.example",
			To:        []string{replyAddr},
			Subject:   "Re: " + subject,
			Date:      time.Date(2026, 12, 7, 9, 47, 31, 0, cet),
			Reply: "1: love this, share\n" +
				"3: reward: coffee voucher <script>alert(1)</script>",
			AuthResults:  []string{sesAuthFor("lea.martin@acme-support.example")},
			SpamVerdict:  "PASS",
			VirusVerdict: "PASS",
		},
	},
	{
		name: "an HTML-only reply from the local SMTP listener",
		file: "html-only-reply.eml",
		want: mimemail.Message{
			MessageID: "20261207081958.4f2a1c@mail.acme-support.example",
			InReplyTo: digestID,
			From:      "chen.wei@acme-support.example",
			To:        []string{replyAddr},
			Cc:        []string{"ana.silva@acme-support.example", "ben.okafor@acme-support.example"},
			Subject:   "Re: " + subject,
			Date:      time.Date(2026, 12, 7, 9, 19, 58, 0, cet),
			Reply: "skip 1\n" +
				"2: share — Ben nailed the VAT question\n" +
				"3: reward: <b>half day off</b>",
		},
	},
	{
		name: "a German Thunderbird reply, format=flowed, with a -- signature",
		file: "german-reply.eml",
		want: mimemail.Message{
			MessageID: "c3a1f7e2-9b4d-4e8a-b6f1-2d5c8e9a0b13@acme-support.example",
			InReplyTo: digestID,
			From:      "joerg.becker@acme-support.example",
			To:        []string{replyAddr},
			Subject:   "Re: " + subject,
			Date:      time.Date(2026, 12, 7, 10, 2, 37, 0, cet),
			Reply: "1: Großartige Arbeit bei #5158 – genau so wollen wir das, Ana hat Maria super betreut. share\n" +
				"2: reward: Mittagessen geht auf mich\n" +
				"skip 3",
			AuthResults:  []string{sesAuthFor("joerg.becker@acme-support.example")},
			SpamVerdict:  "PASS",
			VirusVerdict: "PASS",
		},
	},
}

func parseFile(t testing.TB, file string) mimemail.Message {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	m, err := mimemail.Parse(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("Parse(%s): %v", file, err)
	}
	return m
}

func TestParseFixtures(t *testing.T) {
	for _, tc := range fixtures {
		t.Run(tc.name, func(t *testing.T) {
			got := parseFile(t, tc.file)
			want := tc.want

			if got.MessageID != want.MessageID {
				t.Errorf("MessageID = %q, want %q", got.MessageID, want.MessageID)
			}
			if got.InReplyTo != want.InReplyTo {
				t.Errorf("InReplyTo = %q, want %q", got.InReplyTo, want.InReplyTo)
			}
			if got.From != want.From {
				t.Errorf("From = %q, want %q", got.From, want.From)
			}
			if !slices.Equal(got.To, want.To) {
				t.Errorf("To = %q, want %q", got.To, want.To)
			}
			if !slices.Equal(got.Cc, want.Cc) {
				t.Errorf("Cc = %q, want %q", got.Cc, want.Cc)
			}
			if got.Subject != want.Subject {
				t.Errorf("Subject = %q, want %q", got.Subject, want.Subject)
			}
			if !got.Date.Equal(want.Date) {
				t.Errorf("Date = %v, want %v", got.Date, want.Date)
			}
			if !slices.Equal(got.AuthResults, want.AuthResults) {
				t.Errorf("AuthResults = %q,\nwant %q", got.AuthResults, want.AuthResults)
			}
			if got.SpamVerdict != want.SpamVerdict || got.VirusVerdict != want.VirusVerdict {
				t.Errorf("verdicts = %q/%q, want %q/%q", got.SpamVerdict, got.VirusVerdict, want.SpamVerdict, want.VirusVerdict)
			}
			if got.Reply != want.Reply {
				t.Errorf("Reply =\n%s\n---- want\n%s", got.Reply, want.Reply)
			}

			// Text is the whole plain text, quoted digest included.
			for _, s := range []string{mimemail.ReplyMarker, digestItem, want.Reply} {
				if !strings.Contains(got.Text, s) {
					t.Errorf("Text lacks %q:\n%s", s, got.Text)
				}
			}
			if !utf8.ValidString(got.Text) || strings.Contains(got.Text, "\r") {
				t.Errorf("Text is not valid UTF-8 with \\n line ends: %q", got.Text)
			}
			// Belt and braces on Reply: nothing of the digest or signatures.
			for _, s := range []string{mimemail.ReplyMarker, "Ana Silva answered", "carecoach", "wrote", "schrieb",
				"From:", "Sent", "Kind regards", "Team Lead", "Jörg Becker", "Teamleitung", "--"} {
				if strings.Contains(got.Reply, s) {
					t.Errorf("Reply contains %q:\n%s", s, got.Reply)
				}
			}
		})
	}
}

// The HTML part alone (as html2text renders it) must give the same commands
// as the text part, up to blank lines: some clients send only HTML.
func TestParseHTMLPartAloneGivesTheSameReply(t *testing.T) {
	for _, tc := range fixtures {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			html := htmlPart(t, raw)
			msg := "From: someone@acme-support.example\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
			got, err := mimemail.Parse(strings.NewReader(msg))
			if err != nil {
				t.Fatal(err)
			}
			if a, b := dropBlankLines(got.Reply), dropBlankLines(tc.want.Reply); a != b {
				t.Errorf("Reply from HTML =\n%s\n---- want\n%s", a, b)
			}
		})
	}
}

// htmlPart returns the decoded HTML body of a raw message.
func htmlPart(t *testing.T, raw []byte) string {
	t.Helper()
	env, err := enmime.ReadEnvelope(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if env.HTML == "" {
		t.Fatal("fixture has no HTML part")
	}
	return env.HTML
}

func dropBlankLines(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestParseHeaders(t *testing.T) {
	tests := []struct {
		name  string
		raw   string
		check func(t *testing.T, m mimemail.Message)
	}{
		{
			name: "addresses are bare and lower-cased, display names and groups dropped",
			raw: "From: \"Reyes, Jordan\" <Jordan.Reyes@ACME-Support.Example>\r\n" +
				"To: =?utf-8?q?care=C3=A7oach?= <Reply+ABC@In.Acme-Support.Example>, b@c.example\r\n" +
				"Cc: Team: Ana <ana@x.example>, ben@x.example;\r\n\r\nhi\r\n",
			check: func(t *testing.T, m mimemail.Message) {
				if m.From != "jordan.reyes@acme-support.example" {
					t.Errorf("From = %q", m.From)
				}
				if want := []string{"reply+abc@in.acme-support.example", "b@c.example"}; !slices.Equal(m.To, want) {
					t.Errorf("To = %q, want %q", m.To, want)
				}
				if want := []string{"ana@x.example", "ben@x.example"}; !slices.Equal(m.Cc, want) {
					t.Errorf("Cc = %q, want %q", m.Cc, want)
				}
			},
		},
		{
			name: "a malformed To header still yields the addresses in it",
			raw:  "From: a@b.example\r\nTo: carecoach <reply+tok@in.acme-support.example> (work, \"broken\r\n\r\nhi\r\n",
			check: func(t *testing.T, m mimemail.Message) {
				if want := []string{"reply+tok@in.acme-support.example"}; !slices.Equal(m.To, want) {
					t.Errorf("To = %q, want %q", m.To, want)
				}
			},
		},
		{
			name: "message ids lose their angle brackets and In-Reply-To keeps the first id",
			raw: "From: a@b.example\r\nMessage-ID:\r\n <abc@x.example>\r\n" +
				"In-Reply-To: <first@ses.example> <second@ses.example>\r\n\r\nhi\r\n",
			check: func(t *testing.T, m mimemail.Message) {
				if m.MessageID != "abc@x.example" || m.InReplyTo != "first@ses.example" {
					t.Errorf("MessageID, InReplyTo = %q, %q", m.MessageID, m.InReplyTo)
				}
			},
		},
		{
			name: "absent headers give zero values, not errors",
			raw:  "From: a@b.example\r\n\r\nhi\r\n",
			check: func(t *testing.T, m mimemail.Message) {
				if m.MessageID != "" || m.InReplyTo != "" || m.To != nil || m.Cc != nil || m.Subject != "" ||
					!m.Date.IsZero() || m.AuthResults != nil || m.SpamVerdict != "" || m.VirusVerdict != "" {
					t.Errorf("got %+v", m)
				}
				if m.Text != "hi\n" || m.Reply != "hi" {
					t.Errorf("Text, Reply = %q, %q", m.Text, m.Reply)
				}
			},
		},
		{
			name: "an unparsable Date gives a zero Date",
			raw:  "From: a@b.example\r\nDate: yesterday-ish\r\n\r\nhi\r\n",
			check: func(t *testing.T, m mimemail.Message) {
				if !m.Date.IsZero() {
					t.Errorf("Date = %v", m.Date)
				}
			},
		},
		{
			name: "the topmost verdict header wins over one the sender added lower down",
			raw: "X-SES-Spam-Verdict: FAIL\r\nX-SES-Virus-Verdict: FAIL\r\n" +
				"Authentication-Results: amazonses.com; dmarc=fail header.from=b.example;\r\n" +
				"From: a@b.example\r\nX-SES-Spam-Verdict: PASS\r\nX-SES-Virus-Verdict: PASS\r\n" +
				"Authentication-Results: forged.example; dmarc=pass\r\n\r\nhi\r\n",
			check: func(t *testing.T, m mimemail.Message) {
				if m.SpamVerdict != "FAIL" || m.VirusVerdict != "FAIL" {
					t.Errorf("verdicts = %q/%q", m.SpamVerdict, m.VirusVerdict)
				}
				want := []string{"amazonses.com; dmarc=fail header.from=b.example;", "forged.example; dmarc=pass"}
				if !slices.Equal(m.AuthResults, want) {
					t.Errorf("AuthResults = %q", m.AuthResults)
				}
			},
		},
		{
			name: "invalid UTF-8 in an 8-bit body and subject becomes U+FFFD",
			raw:  "From: a@b.example\r\nSubject: caf\xe9\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n1: share \xe4\xff\r\n",
			check: func(t *testing.T, m mimemail.Message) {
				if !utf8.ValidString(m.Subject) || !utf8.ValidString(m.Text) || !utf8.ValidString(m.Reply) {
					t.Errorf("not valid UTF-8: %q %q %q", m.Subject, m.Text, m.Reply)
				}
				if !strings.HasPrefix(m.Reply, "1: share ") {
					t.Errorf("Reply = %q", m.Reply)
				}
			},
		},
		{
			name: "a format=flowed delsp=yes text is unwrapped without the extra space",
			raw: "From: a@b.example\r\nContent-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\r\n\r\n" +
				"1: share, Ana wa \r\ns quick\r\n\r\n> quoted \r\n> on\r\n",
			check: func(t *testing.T, m mimemail.Message) {
				if m.Text != "1: share, Ana was quick\n\n> quotedon\n" || m.Reply != "1: share, Ana was quick" {
					t.Errorf("Text, Reply = %q, %q", m.Text, m.Reply)
				}
			},
		},
		{
			name: "a format=flowed text keeps the signature separator and quote depth",
			raw: "From: a@b.example\r\nContent-Type: text/plain; charset=utf-8; format=flowed\r\n\r\n" +
				"skip 1 \r\nand 2\r\n-- \r\nJo\r\n>> deep \r\n> shallow\r\n",
			check: func(t *testing.T, m mimemail.Message) {
				if m.Text != "skip 1 and 2\n-- \nJo\n>> deep \n> shallow\n" || m.Reply != "skip 1 and 2" {
					t.Errorf("Text, Reply = %q, %q", m.Text, m.Reply)
				}
			},
		},
		{
			name: "a text that is not flowed keeps its line breaks",
			raw:  "From: a@b.example\r\nContent-Type: text/plain\r\n\r\nskip 1 \r\nskip 2\r\n",
			check: func(t *testing.T, m mimemail.Message) {
				if m.Reply != "skip 1\nskip 2" {
					t.Errorf("Reply = %q", m.Reply)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := mimemail.Parse(strings.NewReader(tc.raw))
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, m)
		})
	}
}

func TestParseRejectsWhatIsNotMail(t *testing.T) {
	tests := []struct {
		name string
		raw  string
	}{
		{"empty input", ""},
		{"only white space", " \r\n\t\n"},
		{"a line of prose", "hello world\nthis is garbage"},
		{"binary bytes", "\x00\x01\x02\xff\xfe\x89PNG\r\n\x1a\n"},
		{"a JSON document", `{"From": "a@b.example", "Subject": "hi"}`},
		{"an HTML page", "<!DOCTYPE html>\n<html><body>From: a@b.example</body></html>"},
		{"headers without From", "Subject: hi\r\nTo: reply+x@in.acme-support.example\r\n\r\nbody"},
		{"a From header without an address", "From: carecoach\r\nSubject: hi\r\n\r\nbody"},
		{"an SES notification instead of the raw message", `{"notificationType":"Received","mail":{"source":"a@b.example"}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := mimemail.Parse(strings.NewReader(tc.raw))
			if !errors.Is(err, mimemail.ErrNotMail) {
				t.Fatalf("Parse = %+v, %v; want an error wrapping ErrNotMail", m, err)
			}
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Errorf("error message spans lines: %q", err)
			}
		})
	}
}

func TestParseReturnsReadErrors(t *testing.T) {
	boom := errors.New("s3 connection reset")
	_, err := mimemail.Parse(iotest.ErrReader(boom))
	if !errors.Is(err, boom) || errors.Is(err, mimemail.ErrNotMail) {
		t.Fatalf("err = %v; want it to wrap the read error", err)
	}
}

// endless is an unbounded message: headers, then body bytes forever.
type endless struct {
	head []byte
	read int64
}

func (e *endless) Read(p []byte) (int, error) {
	if e.read > 64*mimemail.MaxSize {
		return 0, io.EOF // safety net should Parse ignore the limit
	}
	n := 0
	for n < len(p) {
		if e.read < int64(len(e.head)) {
			c := copy(p[n:], e.head[e.read:])
			n += c
			e.read += int64(c)
			continue
		}
		p[n] = 'a'
		n++
		e.read++
	}
	return n, nil
}

func TestParseRefusesAMessageOverMaxSizeWithoutReadingItAll(t *testing.T) {
	r := &endless{head: []byte("From: a@b.example\r\nSubject: big\r\n\r\n")}
	_, err := mimemail.Parse(r)
	if !errors.Is(err, mimemail.ErrTooLarge) {
		t.Fatalf("err = %v; want ErrTooLarge", err)
	}
	if !strings.Contains(err.Error(), "too large") {
		t.Errorf("error does not say why: %q", err)
	}
	if r.read > mimemail.MaxSize+1 {
		t.Errorf("read %d bytes; want at most MaxSize+1 = %d", r.read, mimemail.MaxSize+1)
	}
}

func TestParseAcceptsAMessageOfExactlyMaxSize(t *testing.T) {
	head := "From: a@b.example\r\nSubject: big\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/plain\r\n\r\nskip 1\r\n--b\r\nContent-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\n\r\n"
	tail := "\r\n--b--\r\n"
	line := strings.Repeat("QUJD", 19) + "\r\n"
	var b strings.Builder
	b.WriteString(head)
	for b.Len()+len(line)+len(tail) <= mimemail.MaxSize {
		b.WriteString(line)
	}
	b.WriteString(strings.Repeat("Q", mimemail.MaxSize-b.Len()-len(tail)))
	b.WriteString(tail)
	if b.Len() != mimemail.MaxSize {
		t.Fatalf("built %d bytes", b.Len())
	}
	m, err := mimemail.Parse(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if m.Reply != "skip 1" {
		t.Errorf("Reply = %q", m.Reply)
	}

	_, err = mimemail.Parse(strings.NewReader(b.String() + "z"))
	if !errors.Is(err, mimemail.ErrTooLarge) {
		t.Fatalf("one byte more: err = %v; want ErrTooLarge", err)
	}
}

func TestParseRefusesATextLongerThanMaxText(t *testing.T) {
	for _, ctype := range []string{"text/plain", "text/html"} {
		t.Run(ctype, func(t *testing.T) {
			raw := "From: Jo <a@b.example>\r\nContent-Type: " + ctype + "\r\n\r\nskip 1\r\n" + strings.Repeat("more words\r\n", mimemail.MaxText/12+1)
			m, err := mimemail.Parse(strings.NewReader(raw))
			if !errors.Is(err, mimemail.ErrTextTooLarge) || !errors.Is(err, mimemail.ErrTooLarge) {
				t.Fatalf("err = %v; want ErrTextTooLarge", err)
			}
			if m.From != "a@b.example" || m.Reply != "" {
				t.Errorf("From, Reply = %q, %q", m.From, m.Reply)
			}
		})
	}
}

// nestedUnclosed is a message with depth nested multiparts whose boundaries
// are never closed: enmime's parse time doubles with every level.
func nestedUnclosed(depth int) string {
	var b strings.Builder
	b.WriteString("From: a@b.example\r\n")
	for i := range depth {
		fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n", i, i)
	}
	b.WriteString("Content-Type: text/plain\r\n\r\nskip 1\r\n")
	return b.String()
}

func manyParts(n int) string {
	var b strings.Builder
	b.WriteString("From: a@b.example\r\nContent-Type: multipart/mixed; boundary=top\r\n\r\n")
	for range n {
		b.WriteString("--top\r\nContent-Type: text/plain\r\n\r\nx\r\n")
	}
	b.WriteString("--top--\r\n")
	return b.String()
}

func TestParseBoundsPathologicalStructure(t *testing.T) {
	tests := []struct {
		name   string
		raw    string
		refuse bool
	}{
		{"ten nested multiparts parse", nestedUnclosed(10), false},
		{"thirty nested unclosed multiparts are refused, not parsed for minutes", nestedUnclosed(30), true},
		{"a hundred parts parse", manyParts(100), false},
		{"five thousand parts are refused", manyParts(5000), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			m, err := mimemail.Parse(strings.NewReader(tc.raw))
			if tc.refuse {
				if !errors.Is(err, mimemail.ErrNotMail) {
					t.Fatalf("err = %v; want ErrNotMail", err)
				}
			} else if err != nil || m.Reply == "" {
				t.Fatalf("Parse = %q, %v", m.Reply, err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func TestParseBoundsDeeplyNestedHTMLQuotes(t *testing.T) {
	// 500 nested blockquotes around 100,000 lines: html2text alone would
	// prefix each line with 500 ">" (50 MB of text).
	raw := "From: a@b.example\r\nContent-Type: text/html\r\n\r\n<p>skip 1</p>" +
		strings.Repeat("<blockquote>", 500) + strings.Repeat("y<br>", 100000)
	m, err := mimemail.Parse(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Text) > 3*len(raw) {
		t.Errorf("Text is %d bytes from %d bytes of HTML", len(m.Text), len(raw))
	}
	if m.Reply != "skip 1" {
		t.Errorf("Reply = %q", m.Reply)
	}
	if !strings.Contains(m.Text, "\n>>>>>>>> y\n") || strings.Contains(m.Text, ">>>>>>>>>") {
		t.Errorf("quotes are not capped at 8 levels: %q", m.Text[:200])
	}
}

func TestParseUsesHTMLWhenTheTextPartIsBlank(t *testing.T) {
	raw := "From: a@b.example\r\nContent-Type: multipart/alternative; boundary=x\r\n\r\n" +
		"--x\r\nContent-Type: text/plain\r\n\r\n \r\n" +
		"--x\r\nContent-Type: text/html\r\n\r\n<div>skip 2</div><blockquote>" + mimemail.ReplyMarker + "</blockquote>\r\n--x--\r\n"
	m, err := mimemail.Parse(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if m.Reply != "skip 2" {
		t.Errorf("Reply = %q, Text = %q", m.Reply, m.Text)
	}
}
