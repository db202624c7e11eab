package mimemail

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// renderText renders a parsed HTML document as text the way html2text
// (github.com/inbucket/html2text v1.0.0, what enmime uses) does with its
// default options, so that a reply reads the same as when enmime converted
// it: a blank line around paragraphs, lists and tables, a line end after a
// div, "> " before every line of a blockquote (one ">" per level, lines in
// quotes broken at 74 characters), "* " before list items, "*text*" for
// bold, "text ( url )" for links, underlined h1 to h3, pre kept as is,
// head, script and style dropped, runs of white space as one space.
//
// It is a port of html2text's renderer without the options carecoach never
// set (pretty tables, omitted links, text only), which keeps html2text, and
// through it a table-drawing library, out of the inbound Lambda.
// htmltext_test.go holds it to html2text byte for byte.
func renderText(doc *html.Node) string {
	r := textRenderer{}
	r.traverse(doc)
	return strings.TrimSpace(collapseBlankLines(strings.ReplaceAll(r.buf.String(), "\n ", "\n")))
}

// textRenderer is html2text's textifyTraverseContext.
type textRenderer struct {
	buf             strings.Builder
	prefix          string // written after every line end: the quote marks
	endsWithSpace   bool   // the last piece written ended with white space
	justClosedDiv   bool
	blockquoteLevel int
	lineLength      int // runes since the last line end
	isPre           bool
}

func (r *textRenderer) traverse(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		if r.isPre {
			r.emit(n.Data)
		} else {
			r.emit(strings.TrimSpace(collapseSpacing(n.Data)))
		}
	case html.ElementNode:
		r.element(n)
	default:
		r.children(n)
	}
}

func (r *textRenderer) children(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.traverse(c)
	}
}

func (r *textRenderer) element(n *html.Node) {
	r.justClosedDiv = false
	switch n.DataAtom {
	case atom.Br:
		r.emit("\n")
	case atom.H1, atom.H2, atom.H3:
		sub := textRenderer{} // as html2text: no quote prefix inside
		sub.children(n)
		s := sub.buf.String()
		width := 0
		for _, line := range strings.Split(s, "\n") {
			if l := utf8.RuneCountInString(line); l-1 > width {
				width = l - 1
			}
		}
		rule := "-"
		if n.DataAtom == atom.H1 {
			rule = "*"
		}
		divider := strings.Repeat(rule, width)
		if n.DataAtom == atom.H3 {
			r.emit("\n\n" + s + "\n" + divider + "\n\n")
			return
		}
		r.emit("\n\n" + divider + "\n" + s + "\n" + divider + "\n\n")
	case atom.Blockquote:
		r.blockquoteLevel++
		r.prefix = strings.Repeat(">", r.blockquoteLevel) + " "
		r.emit("\n")
		if r.blockquoteLevel == 1 {
			r.emit("\n")
		}
		r.children(n)
		r.blockquoteLevel--
		r.prefix = strings.Repeat(">", r.blockquoteLevel)
		if r.blockquoteLevel > 0 {
			r.prefix += " "
		}
		r.emit("\n\n")
	case atom.Div:
		if r.lineLength > 0 {
			r.emit("\n")
		}
		r.children(n)
		if !r.justClosedDiv {
			r.emit("\n")
		}
		r.justClosedDiv = true
	case atom.Li:
		r.emit("* ")
		r.children(n)
		r.emit("\n")
	case atom.B, atom.Strong:
		sub := textRenderer{endsWithSpace: true}
		sub.children(n)
		r.emit("*" + sub.buf.String() + "*")
	case atom.A:
		r.link(n)
	case atom.P, atom.Ul, atom.Table:
		r.emit("\n\n")
		r.children(n)
		r.emit("\n\n")
	case atom.Pre:
		r.isPre = true
		r.children(n)
		r.isPre = false
	case atom.Style, atom.Script, atom.Head:
	default: // tfoot, th, tr, td and every other element: their children
		r.children(n)
	}
}

// link renders an <a>: its text (or the alt text of an image that is its
// only child), then "( href )" unless the href, less "mailto:", is empty or
// is the whole text.
func (r *textRenderer) link(n *html.Node) {
	text := ""
	if c := n.FirstChild; c != nil && c.NextSibling == nil && c.Type == html.TextNode {
		text = c.Data
	}
	if img := n.FirstChild; img != nil && n.LastChild == img && img.DataAtom == atom.Img {
		r.emit(attr(img, "alt"))
	} else {
		r.children(n)
	}
	href := strings.TrimPrefix(strings.TrimSpace(attr(n, "href")), "mailto:")
	if href != "" && href != text {
		r.emit("( " + href + " )")
	}
}

// emit writes a piece of text: a space first unless either side of the
// join is white space (or the piece starts with "."), the quote prefix
// after every line end.
func (r *textRenderer) emit(data string) {
	if data == "" {
		return
	}
	for _, line := range r.breakLongLines(data) {
		first, _ := utf8.DecodeRuneInString(line)
		if !unicode.IsSpace(first) && !r.endsWithSpace && !strings.HasPrefix(data, ".") {
			r.buf.WriteByte(' ')
			r.lineLength++
		}
		last, _ := utf8.DecodeLastRuneInString(line)
		r.endsWithSpace = unicode.IsSpace(last)
		for _, c := range line {
			r.buf.WriteRune(c)
			r.lineLength++
			if c == '\n' {
				r.lineLength = 0
				r.buf.WriteString(r.prefix)
			}
		}
	}
}

// maxLineLen is where html2text breaks lines inside blockquotes.
const maxLineLen = 74

// breakLongLines is html2text's: inside a blockquote, data is cut at the
// last white space before the line would pass maxLineLen runes (or, with
// none, at the first after), each piece but the last ending in "\n".
func (r *textRenderer) breakLongLines(data string) []string {
	if r.blockquoteLevel == 0 {
		return []string{data}
	}
	var (
		out      []string
		runes    = []rune(data)
		existing = r.lineLength
	)
	if existing >= maxLineLen {
		out = append(out, "\n")
		existing = 0
	}
	for len(runes)+existing > maxLineLen {
		i := maxLineLen - existing
		for i >= 0 && !unicode.IsSpace(runes[i]) {
			i--
		}
		if i == -1 {
			i = maxLineLen - existing
			for i < len(runes) && !unicode.IsSpace(runes[i]) {
				i++
			}
		}
		out = append(out, string(runes[:i])+"\n")
		for i < len(runes) && unicode.IsSpace(runes[i]) {
			i++
		}
		runes = runes[i:]
		existing = 0
	}
	if len(runes) > 0 {
		out = append(out, string(runes))
	}
	return out
}

// collapseSpacing replaces each run of spaces, tabs, CRs and LFs by one
// space (html2text's `[ \r\n\t]+`).
func collapseSpacing(s string) string {
	if !strings.ContainsAny(s, "\r\n\t") && !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	inRun := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ' ', '\r', '\n', '\t':
			if !inRun {
				b.WriteByte(' ')
			}
			inRun = true
		default:
			b.WriteByte(c)
			inRun = false
		}
	}
	return b.String()
}

// collapseBlankLines replaces each run of two or more "\n" by exactly two
// (html2text's `\n\n+`).
func collapseBlankLines(s string) string {
	if !strings.Contains(s, "\n\n\n") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	run := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			run++
			if run <= 2 {
				b.WriteByte('\n')
			}
			continue
		}
		run = 0
		b.WriteByte(s[i])
	}
	return b.String()
}
