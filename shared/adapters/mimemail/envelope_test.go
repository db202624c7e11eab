package mimemail

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// readEnvelope replaces enmime's ReadEnvelope (which links html2text) and
// must read what it read: these tests hold it to ReadEnvelope, run with the
// same parser, on the fixtures, the reply corpus, the MIME shapes below and
// whatever the fuzzer makes of them.

// mailFiles are this package's fixtures and the reply corpus (events/replies).
func mailFiles(t testing.TB) map[string][]byte {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join("testdata", "*.eml"))
	corpus, _ := filepath.Glob(filepath.Join("..", "..", "..", "events", "replies", "*.eml"))
	names = append(names, corpus...)
	if len(names) < 50 {
		t.Fatalf("found %d messages; want the fixtures and the reply corpus", len(names))
	}
	out := map[string][]byte{}
	for _, name := range names {
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(name)] = raw
	}
	return out
}

const shapeFrom = "From: =?utf-8?q?J=C3=B6rg?= <a@b.example>\r\nTo: reply+x@in.example\r\nSubject: Re: hi\r\n"

// mimeShapes are the body layouts whose choice of text and HTML body
// readEnvelope mirrors, named for what they are.
var mimeShapes = []struct{ name, raw string }{
	{"plain text without Content-Type", shapeFrom + "\r\nskip 1\r\n"},
	{"plain text in latin-1", shapeFrom + "Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\ncaf\xe9 1: share\r\n"},
	{"HTML only", shapeFrom + "Content-Type: text/html; charset=utf-8\r\n\r\n<p>skip 1</p>\r\n"},
	{"HTML only, no charset, a windows-1252 meta", shapeFrom + "Content-Type: text/html\r\n\r\n<html><head><meta charset=\"windows-1252\"></head><body>caf\xe9 \x93share\x94</body></html>\r\n"},
	{"HTML only, no charset, a utf-8 meta", shapeFrom + "Content-Type: text/html\r\n\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">caf\xc3\xa9\r\n"},
	{"HTML only, no charset, an unknown meta charset", shapeFrom + "Content-Type: text/html\r\n\r\n<meta charset=\"x-klingon\">caf\xe9\r\n"},
	{"a text part that is an attachment", shapeFrom + "Content-Type: text/plain; name=notes.txt\r\nContent-Disposition: attachment; filename=notes.txt\r\n\r\nnot a reply\r\n"},
	{"a text part inline with a file name", shapeFrom + "Content-Type: text/plain\r\nContent-Disposition: inline; filename=notes.txt\r\n\r\nskip 1\r\n"},
	{"a PDF alone", shapeFrom + "Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n"},
	{"a Content-Type of attachment", shapeFrom + "Content-Type: attachment; filename=x.txt\r\n\r\nx\r\n"},
	{"a multipart without a boundary", shapeFrom + "Content-Type: multipart/mixed\r\n\r\nskip 1\r\n"},
	{"an unknown multipart", shapeFrom + "Content-Type: multipart/foo; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\none\r\n--b\r\nContent-Type: text/plain\r\n\r\ntwo\r\n--b--\r\n"},
	{"alternative: text then HTML", shapeFrom + "Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nskip 1\r\n--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>skip 1</p>\r\n--b--\r\n"},
	{"alternative: HTML then text", shapeFrom + "Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>h</p>\r\n--b\r\nContent-Type: text/plain\r\n\r\nt\r\n--b--\r\n"},
	{"alternative: a nested text found breadth first", shapeFrom + "Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: multipart/mixed; boundary=c\r\n\r\n--c\r\nContent-Type: text/plain\r\n\r\ndeep\r\n--c--\r\n--b\r\nContent-Type: text/plain\r\n\r\nshallow\r\n--b--\r\n"},
	{"alternative: a text attachment is not the body", shapeFrom + "Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment\r\n\r\nfile\r\n--b\r\nContent-Type: text/plain\r\n\r\nbody\r\n--b--\r\n"},
	{"mixed: text, an inline image, more text (Apple Mail)", shapeFrom + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nabove\r\n--b\r\nContent-Type: image/png\r\nContent-Disposition: inline; filename=a.png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b\r\nContent-Type: text/plain\r\nContent-Disposition: inline\r\n\r\nbelow\r\n--b--\r\n"},
	{"mixed: a text attachment after the body", shapeFrom + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nskip 1\r\n--b\r\nContent-Type: text/plain; name=log.txt\r\nContent-Disposition: attachment; filename=log.txt\r\n\r\nlog\r\n--b--\r\n"},
	{"mixed: alternative inside, HTML attachment", shapeFrom + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: multipart/alternative; boundary=c\r\n\r\n--c\r\nContent-Type: text/plain\r\n\r\nt\r\n--c\r\nContent-Type: multipart/related; boundary=d\r\n\r\n--d\r\nContent-Type: text/html\r\n\r\n<p>h</p>\r\n--d\r\nContent-Type: image/png\r\nContent-ID: <x>\r\n\r\nPNG\r\n--d--\r\n--c--\r\n--b\r\nContent-Type: text/html\r\nContent-Disposition: attachment; filename=a.html\r\n\r\n<p>attached</p>\r\n--b--\r\n"},
	{"mixed: only an HTML attachment", shapeFrom + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/html\r\nContent-Disposition: attachment\r\n\r\n<p>a</p>\r\n--b--\r\n"},
	{"related: HTML and an image", shapeFrom + "Content-Type: multipart/related; boundary=b\r\n\r\n--b\r\nContent-Type: text/html; charset=windows-1252\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p>caf=E9</p>\r\n--b\r\nContent-Type: image/gif\r\n\r\nGIF\r\n--b--\r\n"},
	{"signed: the text inside", shapeFrom + "Content-Type: multipart/signed; protocol=\"application/pgp-signature\"; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nskip 1\r\n--b\r\nContent-Type: application/pgp-signature\r\n\r\nsig\r\n--b--\r\n"},
	{"a part without Content-Type in a multipart", shapeFrom + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nno type\r\n--b--\r\n"},
	{"headers: encoded words, a broken To, a Date", "From: =?iso-8859-1?q?J=F6rg_B?= <j@b.example>\r\nTo: x <reply+t@in.example> (work, \"broken\r\nCc: a@b.example b@c.example\r\nSubject: =?windows-1252?q?=93Re=94:_caf=E9?= =?utf-8?b?4oCU?=\r\nDate: Mon, 7 Dec 2026 09:31:02 +0100\r\nAuthentication-Results: one\r\nAuthentication-Results: =?utf-8?q?tw=C3=B6?=\r\n\r\nhi\r\n"},
	{"headers: an empty From, a group, no Date", "From: \r\nTo: team: a@b.example, c@d.example;\r\nDate: soon\r\n\r\nhi\r\n"},
}

// charsetLabels are charsets that encoded words and HTML bodies use, by the
// names mail clients write.
var charsetLabels = []string{"utf-8", "UTF-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "ISO-8859-1", "iso8859-1", "latin1", "l1",
	"iso-8859-2", "iso-8859-7", "iso-8859-9", "iso-8859-15", "8859-2", "8859_15", "8859-1",
	"windows-1250", "windows-1251", "windows-1252", "cp1252", "windows-1253", "windows-1254", "windows-1257",
	"koi8-r", "koi8-u", "ibm866", "cp850", "ibm850",
	"shift_jis", "cp932", "euc-jp", "iso-2022-jp", "gb2312", "gbk", "cp936", "gb18030", "hz-gb-2312", "big5", "euc-kr", "ks_c_5601-1987",
	"utf-7", "utf-16le", "utf-16", "utf-16be", "utf8mb4", "macintosh", "x-mac-cyrillic", "tis-620", "iso-8859-8-i",
	"csiso2022kr", "x-user-defined", "238", "x-unknown", ""}

// encodedWord is text as a Q-encoded word of a charset (bytes, not
// necessarily valid in it: both decoders must see the same).
func encodedWord(charset string, raw []byte) string {
	var b strings.Builder
	fmt.Fprintf(&b, "=?%s?q?", charset)
	for _, c := range raw {
		fmt.Fprintf(&b, "=%02X", c)
	}
	b.WriteString("?=")
	return b.String()
}

func charsetShapes() []struct{ name, raw string } {
	sample := []byte("Gr\xfc\xdfe \xe9\xe8 \x93q\x94 \x80 \xa4\xb3 \xc1\xc2\xe0\xe1\xff +ZeVnLIqe-")
	var out []struct{ name, raw string }
	for _, cs := range charsetLabels {
		out = append(out, struct{ name, raw string }{
			"a subject and a sender's name in " + cs,
			"From: " + encodedWord(cs, sample) + " <a@b.example>\r\nSubject: Re: " + encodedWord(cs, sample) + "\r\n\r\nhi\r\n",
		}, struct{ name, raw string }{
			"an HTML body whose meta names " + cs,
			"From: a@b.example\r\nContent-Type: text/html\r\n\r\n<meta charset=\"" + cs + "\"><p>" + string(sample) + "</p>\r\n",
		})
	}
	return out
}

func TestReadEnvelopeReadsWhatEnmimeRead(t *testing.T) {
	for name, raw := range mailFiles(t) {
		t.Run(name, func(t *testing.T) { sameEnvelope(t, raw) })
	}
	for _, s := range mimeShapes {
		t.Run(s.name, func(t *testing.T) { sameEnvelope(t, []byte(s.raw)) })
	}
	for _, s := range charsetShapes() {
		t.Run(s.name, func(t *testing.T) { sameEnvelope(t, []byte(s.raw)) })
	}
}

func FuzzReadEnvelopeReadsWhatEnmimeRead(f *testing.F) {
	for _, raw := range mailFiles(f) {
		f.Add(raw)
	}
	for _, s := range mimeShapes {
		f.Add([]byte(s.raw))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if checkStructure(raw) != nil {
			return // Parse never reads these
		}
		sameEnvelope(t, raw)
	})
}

// envelopeHeaders are the headers Parse reads.
var envelopeHeaders = []string{"Subject", "Message-Id", "In-Reply-To", "X-Ses-Spam-Verdict", "X-Ses-Virus-Verdict", "Date", "From", "To"}

// sameEnvelope fails unless readEnvelope and enmime's ReadEnvelope agree
// on everything Parse reads of raw.
func sameEnvelope(t *testing.T, raw []byte) {
	t.Helper()
	want, werr := parser.ReadEnvelope(bytes.NewReader(raw))
	got, gerr := readEnvelope(bytes.NewReader(raw))
	if (werr != nil) != (gerr != nil) {
		t.Fatalf("readEnvelope error %v; ReadEnvelope's %v", gerr, werr)
	}
	if werr != nil {
		return
	}
	if got.Text != want.Text {
		t.Errorf("Text = %q\nReadEnvelope's %q", got.Text, want.Text)
	}
	if got.HTML != want.HTML {
		t.Errorf("HTML = %q\nReadEnvelope's %q", got.HTML, want.HTML)
	}
	if got.Root.ContentType != want.Root.ContentType || !reflect.DeepEqual(got.Root.Header, want.Root.Header) {
		t.Errorf("root = %q %v\nReadEnvelope's %q %v", got.Root.ContentType, got.Root.Header, want.Root.ContentType, want.Root.Header)
	}
	for _, h := range envelopeHeaders {
		if g, w := got.header(h), want.GetHeader(h); g != w {
			t.Errorf("header %s = %q; ReadEnvelope's %q", h, g, w)
		}
	}
	if g, w := got.headerValues("Authentication-Results"), want.GetHeaderValues("Authentication-Results"); !reflect.DeepEqual(g, w) {
		t.Errorf("Authentication-Results = %q; ReadEnvelope's %q", g, w)
	}
	for _, h := range []string{"From", "To", "Cc"} {
		g, gerr := got.addressList(h)
		w, werr := want.AddressList(h)
		if (gerr != nil) != (werr != nil) || errors.Is(gerr, mail.ErrHeaderNotPresent) != errors.Is(werr, mail.ErrHeaderNotPresent) {
			t.Errorf("%s: error %v; ReadEnvelope's %v", h, gerr, werr)
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s = %v; ReadEnvelope's %v", h, g, w)
		}
	}
	gd, gerr := got.date()
	wd, werr := want.Date()
	if (gerr != nil) != (werr != nil) || !gd.Equal(wd) {
		t.Errorf("Date = %v, %v; ReadEnvelope's %v, %v", gd, gerr, wd, werr)
	}
}

// The charset shapes test something: the sample decodes to different text
// in different charsets, and the decoders agree on it.
func TestCharsetShapesDecodeTheSampleDifferently(t *testing.T) {
	seen := map[string]bool{}
	for _, cs := range []string{"windows-1252", "iso-8859-2", "koi8-r", "shift_jis"} {
		env, err := readEnvelope(strings.NewReader("Subject: " + encodedWord(cs, []byte("\xe9\xe8\xc1")) + "\r\n\r\nx"))
		if err != nil {
			t.Fatal(err)
		}
		s := env.header("Subject")
		if strings.Contains(s, "=?") || seen[s] {
			t.Errorf("%s: subject %q not decoded, or decoded as another charset", cs, s)
		}
		seen[s] = true
	}
	if _, err := (&mime.WordDecoder{}).DecodeHeader(encodedWord("windows-1252", []byte("x"))); err == nil {
		t.Error("the standard decoder knows windows-1252: the charset reader is not exercised")
	}
}

// mutate damages a message the way broken mail is damaged: bytes flipped,
// lines dropped or repeated, the message cut short, a header line from one
// message spliced into another.
func mutate(r *rand.Rand, raw, other []byte) []byte {
	out := bytes.Clone(raw)
	for range 1 + r.IntN(4) {
		if len(out) == 0 {
			break
		}
		switch i := r.IntN(len(out)); r.IntN(5) {
		case 0:
			out[i] = "\x00\r\n -:;=\"<>?@\xff"[r.IntN(14)]
		case 1:
			out = out[:i]
		case 2:
			lines := bytes.SplitAfter(out, []byte("\n"))
			j := r.IntN(len(lines))
			lines = append(lines[:j], lines[j+1:]...)
			out = bytes.Join(lines, nil)
		case 3:
			lines := bytes.SplitAfter(out, []byte("\n"))
			j := r.IntN(len(lines))
			out = bytes.Join(append(lines[:j+1], lines[j:]...), nil)
		case 4:
			lines := bytes.SplitAfter(other, []byte("\n"))
			l := lines[r.IntN(min(len(lines), 40))]
			out = append(out[:i:i], append(bytes.Clone(l), out[i:]...)...)
		}
	}
	return out
}

func TestReadEnvelopeReadsWhatEnmimeReadOfDamagedMail(t *testing.T) {
	var all [][]byte
	for _, raw := range mailFiles(t) {
		all = append(all, raw)
	}
	for _, s := range mimeShapes {
		all = append(all, []byte(s.raw))
	}
	r := rand.New(rand.NewPCG(16, 2026))
	read, bodies := 0, map[string]bool{}
	for i := range 3000 {
		raw := mutate(r, all[r.IntN(len(all))], all[r.IntN(len(all))])
		if checkStructure(raw) != nil {
			continue
		}
		t.Run(fmt.Sprint(i), func(t *testing.T) { sameEnvelope(t, raw) })
		if env, err := readEnvelope(bytes.NewReader(raw)); err == nil {
			read++
			bodies[env.Text+"\x00"+env.HTML] = true
		}
	}
	t.Logf("%d damaged messages read alike, %d distinct bodies", read, len(bodies))
	if read < 1500 || len(bodies) < 1000 {
		t.Errorf("%d damaged messages read, %d distinct bodies: the damage is too much or too little to test anything", read, len(bodies))
	}
}
