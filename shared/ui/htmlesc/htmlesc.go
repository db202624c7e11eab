// Package htmlesc escapes values for the HTML that carecoach writes by
// hand (the emails in package mail, the dashboard page), exactly as
// html/template escapes them in the same place. The HTML is not a template
// because a binary that executes one keeps every exported method of every
// type it links (the engine looks methods up by name), which cost each
// function megabytes; see shared/ui/mail/README.md. Each package that
// writes HTML holds its output byte for byte to the templates it replaced
// in a differential test.
package htmlesc

import (
	"fmt"
	"strings"
)

// The same replacements as html/template's in text, RCDATA (<title>) and
// quoted attribute values.
var textEscaper = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

// Text escapes s as element text or a quoted attribute value.
func Text(s string) string { return textEscaper.Replace(s) }

// URL makes a link that is a whole attribute value safe to follow and to
// quote: a scheme other than http, https or mailto becomes "#ZgotmplZ"
// (html/template's marker), bytes that cannot stand in a URL are
// percent-encoded (a "%" too, unless it starts an escape), and the result
// is escaped as an attribute value.
func URL(u string) string {
	if scheme, _, ok := strings.Cut(u, ":"); ok && !strings.Contains(scheme, "/") {
		switch strings.ToLower(scheme) {
		case "http", "https", "mailto":
		default:
			return "#ZgotmplZ"
		}
	}
	return NormalizedURL(u)
}

// NormalizedURL is URL without the scheme filter, for a value that follows
// a scheme the page wrote itself ("mailto:").
func NormalizedURL(u string) string {
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("-._~!#$&*+,/:;=?@[]", c) >= 0:
			b.WriteByte(c)
		case c == '%' && i+2 < len(u) && isHex(u[i+1]) && isHex(u[i+2]):
			// An escape already made stays as it is.
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02x", c)
		}
	}
	return Text(b.String())
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
