package mimemail

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxQuoteDepth caps how many blockquotes renderText nests. It prefixes
// every line with one ">" per level, so 500 nested blockquotes around
// 200,000 short lines (1 MB of HTML) would become 100 MB of text.
const maxQuoteDepth = 8

func parseHTML(s string) *html.Node {
	doc, err := html.Parse(strings.NewReader(strings.TrimPrefix(s, "\ufeff")))
	if err != nil {
		return nil
	}
	return doc
}

// htmlToText renders an HTML body as text the way enmime did (html2text:
// blockquotes become ">" lines, links "text ( url )", bold "*text*"; see
// renderText), with blockquotes nested deeper than maxQuoteDepth rendered
// as plain blocks.
func htmlToText(doc *html.Node) string {
	if doc == nil {
		return ""
	}
	flattenDeepQuotes(doc, 0)
	return renderText(doc)
}

func flattenDeepQuotes(n *html.Node, depth int) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		d := depth
		if c.Type == html.ElementNode && c.DataAtom == atom.Blockquote {
			if depth >= maxQuoteDepth {
				c.DataAtom, c.Data = atom.Div, "div"
			} else {
				d++
			}
		}
		flattenDeepQuotes(c, d)
	}
}

// mayHaveSignature is a cheap test for whether an HTML body can hold a
// signature container htmlSignatures would find.
func mayHaveSignature(s string) bool {
	return strings.Contains(s, "ignature") || strings.Contains(s, "_MailAutoSig")
}

// htmlSignatures returns the text of each signature container that comes
// before the first quote in an HTML body: the element with id="Signature"
// (Outlook on the web, new Outlook), "AppleMailSignature" or Yahoo's
// "ymail_…_signature", class "gmail_signature" (or data-smartmail),
// "moz-signature" (Thunderbird), "protonmail_signature_block" or
// "signature", and Outlook desktop's "_MailAutoSig" bookmark. Containers in
// the quoted history (after a blockquote, Gmail's gmail_quote, Outlook's
// divRplyFwdMsg or appendonsend, an <hr>, …) are the earlier message's.
func htmlSignatures(doc *html.Node) []string {
	if doc == nil {
		return nil
	}
	var (
		out  []string
		stop bool
		walk func(n *html.Node)
	)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && !stop; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch {
			case quoteContainer(c):
				stop = true
				return
			case signatureContainer(c):
				out = append(out, textOf(c))
				continue
			}
			walk(c)
		}
	}
	walk(doc)
	return out
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, names ...string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		for _, name := range names {
			if strings.EqualFold(c, name) {
				return true
			}
		}
	}
	return false
}

func signatureContainer(n *html.Node) bool {
	id := strings.ToLower(attr(n, "id"))
	switch {
	case id == "signature", id == "applemailsignature",
		strings.HasPrefix(id, "ymail_") && strings.HasSuffix(id, "signature"):
		return true
	case n.DataAtom == atom.A && attr(n, "name") == "_MailAutoSig":
		return true
	case strings.EqualFold(attr(n, "data-smartmail"), "gmail_signature"):
		return true
	}
	return hasClass(n, "gmail_signature", "moz-signature", "protonmail_signature_block", "signature")
}

func quoteContainer(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Blockquote, atom.Hr:
		return true
	}
	switch id := strings.ToLower(attr(n, "id")); {
	case id == "divrplyfwdmsg", id == "appendonsend", id == "mail-editor-reference-message-container",
		strings.HasPrefix(id, "yahoo_quoted"):
		return true
	}
	if hasClass(n, "gmail_quote", "gmail_attr", "gmail_quote_container", "yahoo_quoted", "protonmail_quote", "moz-cite-prefix", "OutlookMessageHeader") {
		return true
	}
	// Outlook for Windows draws a rule above the quoted message's header
	// block and marks it no other way.
	style := strings.ToLower(strings.ReplaceAll(attr(n, "style"), " ", ""))
	return strings.Contains(style, "border-top:solid#e1e1e1") || strings.Contains(style, "border-top:solid#b5c4df")
}

// textOf is an element's text, a line for each block element and <br>.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Head:
				return
			case atom.Br:
				b.WriteByte('\n')
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.P, atom.Div, atom.Tr, atom.Li, atom.Table, atom.H1, atom.H2, atom.H3, atom.H4:
				b.WriteByte('\n')
			}
		}
	}
	walk(n)
	return b.String()
}
