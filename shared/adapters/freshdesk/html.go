package freshdesk

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Freshdesk renders comments and descriptions as the HTML its editor
// stored. carecoach keeps plain text: it is what reminder emails quote and
// what people read in the timeline. A small converter is enough here,
// because the input is the help desk's own sanitized markup, not arbitrary
// web pages; it follows the browser rules that matter for text:
//
//   - "<" starts markup only when a letter, "/", "!" or "?" follows;
//     otherwise it is text ("refund takes < 5 days").
//   - Comments, and the contents of script, style and title, are dropped.
//   - Quoted attribute values may contain ">".
//   - Entities are decoded only in text, after markup is removed, so an
//     escaped "&lt;b&gt;" stays the text "<b>".
//   - All whitespace, including non-breaking spaces and the source's own
//     line breaks, collapses to single spaces; <br> and block elements
//     (<p>, <div>, <li>, …) end lines; at most one blank line is kept; the
//     result has no leading or trailing whitespace.
//   - Lines inside <blockquote> start with "> " (once per level), as mail
//     clients write quoted history in plain text, so that the reader of a
//     customer's words (package emailtext) can leave the quote out.

// htmlToText reduces HTML to plain text.
func htmlToText(s string) string {
	var out textBuilder
	for i := 0; i < len(s); {
		if s[i] != '<' {
			j := strings.IndexByte(s[i:], '<')
			if j < 0 {
				j = len(s) - i
			}
			out.text(html.UnescapeString(s[i : i+j]))
			i += j
			continue
		}
		rest := s[i+1:]
		switch {
		case strings.HasPrefix(rest, "!--"):
			// Searching from the first '-' lets "<!-->" close itself, as
			// it does in a browser.
			end := strings.Index(rest[1:], "-->")
			if end < 0 {
				return out.String() // an unterminated comment hides the rest
			}
			i += 1 + 1 + end + 3
		case rest != "" && startsMarkup(rest[0]):
			end := tagEnd(s, i+1)
			name, closing := tagName(s[i+1 : end])
			i = end
			if !closing && rawText[name] {
				i = skipRawText(s, i, name)
				continue
			}
			out.tag(name, closing)
		default:
			out.text("<")
			i++
		}
	}
	return out.String()
}

func startsMarkup(c byte) bool {
	return c == '/' || c == '!' || c == '?' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// tagEnd returns the index just past the tag that starts at s[from-1] ==
// '<': after its '>', or len(s) for a tag cut off by the end of input,
// which a browser drops too. A quote right after '=' opens a value that
// may contain '>'.
func tagEnd(s string, from int) int {
	prev := byte(0) // previous non-space byte
	for i := from; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '>':
			return i + 1
		case (c == '"' || c == '\'') && prev == '=':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return len(s)
			}
			i += 1 + j
			prev = c
		case c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f':
			prev = c
		}
	}
	return len(s)
}

// tagName returns the lower-cased ASCII name of the tag whose text (without
// the leading '<') is given, and whether it is a closing tag.
func tagName(tag string) (name string, closing bool) {
	if strings.HasPrefix(tag, "/") {
		closing, tag = true, tag[1:]
	}
	n := 0
	for n < len(tag) && (isASCIILetter(tag[n]) || '0' <= tag[n] && tag[n] <= '9') {
		n++
	}
	return asciiLower(tag[:n]), closing
}

// rawText elements hold text that is not shown.
var rawText = map[string]bool{"script": true, "style": true, "title": true}

// skipRawText returns the index of the closing tag of name at or after i,
// or len(s) when there is none (a browser would treat the rest as that
// element's content too).
func skipRawText(s string, i int, name string) int {
	closer := "</" + name
	for j := i; j+len(closer) <= len(s); j++ {
		if s[j] == '<' && asciiLower(s[j:j+len(closer)]) == closer {
			return j
		}
	}
	return len(s)
}

// blocks are elements that start and end lines.
var blocks = map[string]bool{
	"p": true, "div": true, "li": true, "ul": true, "ol": true, "dl": true, "dt": true, "dd": true,
	"table": true, "tr": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"blockquote": true, "pre": true, "hr": true, "section": true, "article": true, "header": true,
	"footer": true, "address": true, "center": true, "form": true, "fieldset": true,
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// asciiLower lower-cases ASCII letters only, so byte offsets never move
// (strings.ToLower can change the length of non-ASCII text).
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// textBuilder collects words and line breaks, writing whitespace only
// between words so that the result never starts or ends with it.
type textBuilder struct {
	b        strings.Builder
	inLine   bool // the current line has a word
	space    bool // a space is owed before the next word
	newlines int  // line breaks owed before the next word, at most 2
	quote    int  // blockquote depth: each line starts with that many "> "
}

func (t *textBuilder) text(s string) {
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		if w == 1 && r == utf8.RuneError {
			r = 0 // an invalid byte is not a space; copy it as it is
		}
		if unicode.IsSpace(r) {
			if t.inLine {
				t.space = true
			}
			i += w
			continue
		}
		t.settle()
		t.b.WriteString(s[i : i+w])
		t.inLine = true
		i += w
	}
}

// settle writes the whitespace owed before a word, and a quoted line's
// "> " marks.
func (t *textBuilder) settle() {
	lineStart := t.b.Len() == 0
	switch {
	case t.newlines > 0:
		if t.b.Len() > 0 {
			t.b.WriteString("\n\n"[:t.newlines])
		}
		lineStart = true
	case t.space:
		t.b.WriteByte(' ')
	}
	if lineStart && !t.inLine {
		t.b.WriteString(strings.Repeat("> ", t.quote))
	}
	t.newlines, t.space = 0, false
}

func (t *textBuilder) tag(name string, closing bool) {
	if name == "blockquote" {
		// A quote starts and ends on a line of its own.
		if t.inLine || t.b.Len() > 0 {
			t.newlines = max(t.newlines, 1)
			t.inLine, t.space = false, false
		}
		if closing {
			t.quote = max(t.quote-1, 0)
		} else {
			t.quote = min(t.quote+1, 8)
		}
		return
	}
	switch {
	case name == "br":
		// Every <br> is a line break, so <br><br> leaves a blank line.
		t.newlines = min(t.newlines+1, 2)
		t.inLine, t.space = false, false
	case blocks[name]:
		// A block only ends a line that has something on it, so nested
		// <div><div> do not stack up blank lines.
		if t.inLine {
			t.newlines = max(t.newlines, 1)
			t.inLine, t.space = false, false
		}
	case name == "td" || name == "th":
		if t.inLine {
			t.space = true
		}
	}
}

func (t *textBuilder) String() string { return t.b.String() }

// splitAuthor separates the "Author Name : " prefix that Freshdesk puts in
// front of {{ticket.latest_public_comment}} and
// {{ticket.latest_private_comment}} ("System" when no user wrote it). A
// comment without the prefix is returned whole.
func splitAuthor(comment string) (author, body string) {
	i := strings.Index(comment, " : ")
	if i <= 0 || i > 200 || strings.ContainsAny(comment[:i], "<>\n") {
		return "", comment
	}
	return strings.Join(strings.Fields(html.UnescapeString(comment[:i])), " "), comment[i+3:]
}
