package mimemail

import (
	"strings"

	"github.com/inbucket/html2text"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxQuoteDepth caps how many blockquotes html2text nests. It prefixes every
// line with one ">" per level, so 500 nested blockquotes around 200,000
// short lines (1 MB of HTML) would become 100 MB of text.
const maxQuoteDepth = 8

// htmlToText renders an HTML body as text the way enmime does (html2text:
// blockquotes become ">" lines, links "text ( url )", bold "*text*"), with
// blockquotes nested deeper than maxQuoteDepth rendered as plain blocks.
func htmlToText(s string) string {
	doc, err := html.Parse(strings.NewReader(strings.TrimPrefix(s, "\ufeff")))
	if err != nil {
		return ""
	}
	flattenDeepQuotes(doc, 0)
	text, err := html2text.FromHTMLNode(doc)
	if err != nil {
		return ""
	}
	return text
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
