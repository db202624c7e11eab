package freshdesk_test

import (
	"testing"

	"github.com/carecoach/carecoach/shared/adapters/freshdesk"
)

func TestHTMLToText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain text is kept", "Refund please", "Refund please"},
		{"tags are removed", "<b>Refund</b> <i>please</i>", "Refund please"},
		{"entities are decoded", "Tom &amp; Anna &lt;3 &euro;59.90&nbsp;today &#39;ok&#39;", "Tom & Anna <3 €59.90 today 'ok'"},
		{"escaped markup stays text", "type &lt;b&gt;bold&lt;/b&gt;", "type <b>bold</b>"},
		{"a less-than sign that starts no tag is text", "takes < 5 days, 3<4", "takes < 5 days, 3<4"},
		{"br ends a line", "one<br>two<br/>three<BR />four", "one\ntwo\nthree\nfour"},
		{"two br leave one blank line, more do not add more", "one<br><br><br><br>two", "one\n\ntwo"},
		{"paragraphs and divs end lines", "<p>one</p><p>two</p><div>three</div>", "one\ntwo\nthree"},
		{"nested blocks do not stack blank lines", "<div><div><p>one</p></div></div><div><div>two</div></div>", "one\ntwo"},
		{"Freshdesk's empty div is a blank line", `<div dir="ltr">Hi,</div><div><br></div><div>Tom</div>`, "Hi,\n\nTom"},
		{"source line breaks and runs of spaces collapse", "one\n   two\t\tthree\r\n", "one two three"},
		{"leading and trailing whitespace and breaks go", "  <br><p> hi </p><br>  ", "hi"},
		{"list items are lines", "<ul><li>a</li><li>b</li></ul>", "a\nb"},
		{"table cells are separated by spaces", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"},
		{"comments are dropped", "a<!-- <p>hidden</p> -->b", "ab"},
		{"an unterminated comment hides the rest", "a<!-- never closed <p>x</p>", "a"},
		{"the shortest comments close themselves", "a<!-->b<!--->c<!---->d", "abcd"},
		{"style and script contents are dropped", "<style>p{color:red}</style><script>if (a<b) x()</script>shown", "shown"},
		{"a closing tag in upper case ends a script", "<SCRIPT>x</SCRIPT >shown", "shown"},
		{"a quoted attribute may contain >", `<a title="a > b" href='x>y'>link</a>`, "link"},
		{"a tag cut off at the end is dropped", "text <div class=", "text"},
		{"doctype and processing instructions are dropped", "<!DOCTYPE html><?xml version=\"1.0\"?>x", "x"},
		{"the attachments list Freshdesk appends is kept as lines", "hi\n\nAttachments :\n1. <a href='https://x/1'>invoice.pdf</a><br />2. <a href='https://x/2'>label.png</a>\n", "hi Attachments : 1. invoice.pdf\n2. label.png"},
		{"non-ASCII text survives", "<p>Grüße, Zoë — ünïcödé</p>", "Grüße, Zoë — ünïcödé"},
		{"a blockquote's lines are quoted with >", "Yes.<blockquote><div>Did it work?</div><div>Ana</div></blockquote>", "Yes.\n> Did it work?\n> Ana"},
		{"nested blockquotes are quoted once per level", "a<blockquote>b<blockquote>c</blockquote>d</blockquote>e", "a\n> b\n> > c\n> d\ne"},
		{"a stray closing blockquote quotes nothing", "a</blockquote>b", "a\nb"},
		{"empty input is empty", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := freshdesk.HTMLToText(tc.in); got != tc.want {
				t.Errorf("HTMLToText(%q)\n = %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}
