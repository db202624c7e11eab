package mimemail

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/inbucket/html2text"
)

// renderText replaces html2text (which links a table-drawing library) and
// must render what it rendered: these tests hold it to html2text itself,
// byte for byte, on every HTML body of the fixtures and the reply corpus,
// on the snippets below, on random documents made of the tags mail uses and
// on whatever the fuzzer makes of them. html2text is a test dependency only.
//
// Deliberate differences: none. (html2text's pretty tables, omitted links
// and text-only output are options carecoach never set, so they are not
// ported and not compared.)

// sameText fails unless renderText and html2text render body alike, as
// Parse renders it (quotes nested deeper than maxQuoteDepth flattened).
func sameText(t *testing.T, body string) {
	t.Helper()
	doc := parseHTML(body)
	if doc == nil {
		t.Fatalf("unparsable HTML %q", body)
	}
	flattenDeepQuotes(doc, 0)
	want, err := html2text.FromHTMLNode(doc)
	if err != nil {
		t.Fatalf("html2text: %v", err)
	}
	if got := renderText(doc); got != want {
		t.Fatalf("renderText(%q) =\n%q\nhtml2text's\n%q", body, got, want)
	}
}

func TestRenderTextMatchesHTML2TextOnEveryHTMLBody(t *testing.T) {
	n := 0
	for name, raw := range mailFiles(t) {
		env, err := readEnvelope(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if env.HTML == "" {
			continue
		}
		n++
		t.Run(name, func(t *testing.T) { sameText(t, env.HTML) })
	}
	if n < 30 {
		t.Errorf("%d HTML bodies; want those of the fixtures and the corpus", n)
	}
}

// htmlSnippets are what mail clients put in a reply, one thing at a time.
var htmlSnippets = []string{
	"",
	"plain words",
	"<p>skip 1</p><p>2: share</p>",
	"<div>skip 1</div><div><br></div><div>2: reward: lunch</div>",
	"<div dir=\"ltr\">a<div>b</div>c</div>",
	"line one<br>line two<br/><br>line four",
	"<blockquote>quoted <b>bold</b></blockquote>after",
	"<blockquote><p>one</p><blockquote><p>two</p><blockquote>three</blockquote></blockquote>back</blockquote>out",
	"<blockquote type=\"cite\">" + strings.Repeat("a long quoted line of words that needs breaking ", 6) + "</blockquote>",
	"<blockquote>" + strings.Repeat("x", 200) + " tail</blockquote>",
	"<blockquote>short<br>" + strings.Repeat("wörd ", 30) + "<br>" + strings.Repeat("y", 80) + "</blockquote>",
	"<a href=\"https://acme.zendesk.com/agent/tickets/5158\">ticket #5158</a>",
	"<a href=\"https://x.example\">https://x.example</a>",
	"<a href=\" mailto:ana@x.example \">Ana</a> and <a href=\"mailto:ben@x.example\">ben@x.example</a>",
	"<a href=\"\">empty</a><a>none</a><a href=\"/u\"><img src=\"l.png\" alt=\"logo\"></a><a href=\"/v\"><img src=\"l.png\"></a>",
	"<a href=\"/w\"><span>two</span> nodes</a>",
	"<b>bold</b> <strong>strong</strong><b> spaced </b>.<b>x</b>",
	"<ul><li>one</li><li>two <b>2</b></li></ul><ol><li>first</li><li>second</li></ol>",
	"<h1>Title</h1><h2>Sub\ntitle</h2><h3>Small</h3><h4>four</h4>",
	"<table><tr><th>Name</th><th>Score</th></tr><tr><td>Ana</td><td>12</td></tr><tfoot><tr><td>sum</td></tr></tfoot></table>",
	"<table role=\"presentation\"><tr><td><p>1</p></td><td><div>Ana Silva · responsiveness</div></td></tr></table>",
	"<pre>  keep\n    this  </pre> then  collapse   this",
	"<head><title>t</title><style>p{}</style></head><body><script>alert(1)</script>body</body>",
	"&lt;script&gt; &amp; &nbsp;x&nbsp; &quot;q&quot; &#8212; &eacute; &copy;",
	"a\tb\r\nc  d\n\n\ne",
	".starts with a dot <b>.b</b>.",
	"<span>in</span><span>line</span> <i>it</i><u>u</u><font>f</font>",
	"<div class=\"gmail_quote\">On Mon, 30 Nov 2026 at 08:00, carecoach &lt;carecoach@acme-support.example&gt; wrote:<br><blockquote class=\"gmail_quote\" style=\"margin:0 0 0 .8ex\">quoted</blockquote></div>",
	"<hr><div id=\"divRplyFwdMsg\"><b>From:</b> carecoach<br><b>Sent:</b> Monday</div>",
	"<p>\u00a0</p><p>\u2003em space\u2003</p><div>\u200bzero width</div>",
	"invalid \xff\xfe bytes <b>\xc3</b>",
	"<div><div><div>deep</div></div></div>x<div></div><div>y</div>",
	"<p>a</p>" + strings.Repeat("<blockquote>", 12) + "deep" + strings.Repeat("</blockquote>", 12),
}

func TestRenderTextMatchesHTML2TextOnMailSnippets(t *testing.T) {
	for i, s := range htmlSnippets {
		t.Run(fmt.Sprint(i), func(t *testing.T) { sameText(t, s) })
	}
}

// randomHTML builds a document of the tags mail uses, nested at random,
// with text that has runs of white space, entities, long words and
// non-ASCII letters.
func randomHTML(r *rand.Rand, depth int) string {
	tags := []string{"p", "div", "br", "blockquote", "a", "b", "strong", "i", "span", "ul", "ol", "li",
		"h1", "h2", "h3", "table", "tr", "td", "th", "tfoot", "pre", "img", "hr", "style", "font", "center"}
	words := []string{"skip", "1:", "share", " ", "  ", "\n", "\t", "reward:", "lunch", "&amp;", "&nbsp;", "&lt;b&gt;", ".",
		"Ana", "Jörg", "naïve", "—", "ticket #5158", strings.Repeat("long", 25), "a b c d e f g h i j k l m n o p q r s t u v w x y z"}
	var b strings.Builder
	for range 1 + r.IntN(5) {
		if depth > 6 || r.IntN(3) == 0 {
			b.WriteString(words[r.IntN(len(words))])
			continue
		}
		tag := tags[r.IntN(len(tags))]
		switch tag {
		case "br", "hr":
			b.WriteString("<" + tag + ">")
			continue
		case "img":
			fmt.Fprintf(&b, `<img src="x.png" alt="%s">`, words[r.IntN(len(words))])
			continue
		case "a":
			hrefs := []string{"https://x.example/t", "mailto:ana@x.example", "", " skip ", "ticket #5158"}
			fmt.Fprintf(&b, `<a href="%s">`, hrefs[r.IntN(len(hrefs))])
		default:
			b.WriteString("<" + tag + ">")
		}
		b.WriteString(randomHTML(r, depth+1))
		b.WriteString("</" + tag + ">")
	}
	return b.String()
}

func TestRenderTextMatchesHTML2TextOnRandomMailHTML(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 2026))
	for i := range 3000 {
		doc := randomHTML(r, 0)
		t.Run(fmt.Sprint(i), func(t *testing.T) { sameText(t, doc) })
	}
}

func FuzzRenderTextMatchesHTML2Text(f *testing.F) {
	for _, s := range htmlSnippets {
		f.Add(s)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		f.Add(randomHTML(r, 0))
	}
	f.Fuzz(func(t *testing.T, body string) {
		if len(body) > 20000 {
			return
		}
		sameText(t, body)
	})
}
