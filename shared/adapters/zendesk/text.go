package zendesk

import (
	"crypto/sha256"
	"encoding/hex"
	"html"
	"strings"
	"unicode/utf8"

	"github.com/carecoach/carecoach/shared/core/emailtext"
)

// maxBody caps the text kept from one comment. Zendesk allows comments far
// longer than anybody reads in a reminder, and the interaction has to fit in
// a DynamoDB item (400 KB) next to everything else.
const maxBody = 32 << 10

// plainText returns a comment's text: body when Zendesk sent it (it is
// already plain text), otherwise html_body with the markup removed.
func plainText(body, htmlBody string) string {
	text := body
	if strings.TrimSpace(text) == "" && htmlBody != "" {
		text = stripTags(htmlBody)
	}
	return truncate(strings.TrimSpace(text), maxBody)
}

// customerWords keeps what a customer wrote in a comment, as they wrote it:
// without the quoted history, the signature and the sign-off that a reply
// by email carries (the same reader as managers' replies, package
// emailtext). A comment that is nothing but those is kept whole rather
// than lost.
func customerWords(text, name string) string {
	if words := emailtext.JoinBlocks(emailtext.Written(text, emailtext.Hints{Sender: name})); words != "" {
		return words
	}
	return text
}

// truncate cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// blockTags end a line when they open or close, so paragraphs stay apart.
var blockTags = map[string]bool{
	"br": true, "p": true, "div": true, "li": true, "tr": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"blockquote": true, "pre": true, "table": true, "ul": true, "ol": true,
}

// stripTags turns HTML into text with the standard library only (x/net/html
// is not a dependency). It is not a sanitizer: the result is text and must be
// escaped again wherever it is shown as HTML. It drops tags, comments and the
// contents of script and style, breaks lines at block elements and decodes
// entities once, at the end, so "&lt;b&gt;" becomes the text "<b>" and is
// never re-read as a tag.
func stripTags(s string) string {
	lower := asciiLower(s) // same length as s, so indexes carry over
	var out strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '<' || !startsTag(s[i+1:]) {
			out.WriteByte(s[i])
			i++
			continue
		}
		end := strings.IndexByte(s[i:], '>')
		if strings.HasPrefix(s[i:], "<!--") {
			end = strings.Index(s[i:], "-->")
			if end >= 0 {
				end += 2
			}
		}
		if end < 0 {
			break // an unterminated tag swallows the rest, as browsers do
		}
		name, closing := tagName(s[i+1 : i+end])
		i += end + 1
		if !closing && (name == "script" || name == "style") {
			i = skipElement(lower, i, name)
		}
		if blockTags[name] {
			out.WriteByte('\n')
		}
	}
	return squeezeLines(html.UnescapeString(out.String()))
}

// startsTag reports whether the text after a '<' opens markup; "a < b" is
// text, not a tag.
func startsTag(rest string) bool {
	if rest == "" {
		return false
	}
	c := rest[0]
	return c == '/' || c == '!' || c == '?' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// tagName returns the lower-cased element name of a tag's inside.
func tagName(inside string) (name string, closing bool) {
	if strings.HasPrefix(inside, "/") {
		closing = true
		inside = inside[1:]
	}
	end := strings.IndexAny(inside, " \t\r\n/>")
	if end < 0 {
		end = len(inside)
	}
	return strings.ToLower(inside[:end]), closing
}

// skipElement returns the index just past </name>, or len(lower) if it never
// closes. lower is the input lower-cased once, so a body full of script tags
// costs linear time, not quadratic.
func skipElement(lower string, from int, name string) int {
	idx := strings.Index(lower[from:], "</"+name)
	if idx < 0 {
		return len(lower)
	}
	end := strings.IndexByte(lower[from+idx:], '>')
	if end < 0 {
		return len(lower)
	}
	return from + idx + end + 1
}

// asciiLower lower-cases ASCII letters only. Unlike strings.ToLower it never
// changes the length, so indexes into it are indexes into the original.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// squeezeLines trims each line and keeps at most one blank line in a row.
func squeezeLines(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	kept := lines[:0]
	blank := false
	for _, line := range lines {
		line = strings.TrimSpace(line)
		if line == "" {
			if blank || len(kept) == 0 {
				continue
			}
			blank = true
		} else {
			blank = false
		}
		kept = append(kept, line)
	}
	return strings.TrimSpace(strings.Join(kept, "\n"))
}

// safeID reports whether s can be used as it is inside keys and interaction
// ids: short, and only characters that need no escaping anywhere.
func safeID(s string, maxLen int) bool {
	if s == "" || len(s) > maxLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':'
		if !ok {
			return false
		}
	}
	return true
}

// keyPart returns s if it is safe to embed, else "h-" and a hash of it, so
// every derived key stays short and stable whatever the sender put there.
func keyPart(s string) string {
	if safeID(s, 64) {
		return s
	}
	return "h-" + hashHex([]byte(s), 20)
}

// hashHex returns the first n bytes of sha256(b) in hex.
func hashHex(b []byte, n int) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:n])
}
