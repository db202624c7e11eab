package mimemail

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// StripReply keeps only the newly written part of a reply's plain text.
//
// It cuts, line by line, at the first of:
//   - a line containing ReplyMarker;
//   - an attribution line such as "On <date>, <name> <addr> wrote:", also
//     when wrapped over two or three lines, and its German, French, Spanish,
//     Dutch, Portuguese and Italian forms ("Am … schrieb …:", "Le … a écrit :",
//     "El … escribió:", "Op … schreef …:", "Em … escreveu:", "Il … ha scritto:");
//   - Outlook's "-----Original Message-----" (or a localized form), a line
//     of 20 or more underscores, or a "From:" header line followed within a
//     few lines by "Sent:" or "Date:" (localized too);
//   - a "---------- Forwarded message ----------" line;
//   - a ">"-quoted line after written content;
//   - a signature: a line that is exactly "--" or "-- ", or a mobile one
//     such as "Sent from my iPhone" or "Get Outlook for iOS".
//
// ">"-quoted lines before any written content (a reply written below the
// quote), with their attribution line, are skipped rather than kept.
// A closing such as "Kind regards," after a blank line, followed by at most
// four short lines (a name, a title) at the end of what is left, is dropped
// too, as long as something was written above it. Finally trailing white
// space is trimmed from every line and blank lines from both ends.
//
// Every line of the result is a substring of a line of text; the result
// never contains ReplyMarker.
func StripReply(text string) string {
	lines := strings.Split(normalizeNewlines(text), "\n")
	norms := newNormed(lines)
	start := skipLeadingQuote(&norms)
	end := len(lines)
	for i := start; i < len(lines); i++ {
		if cutsAt(lines[i], &norms, i) {
			end = i
			break
		}
	}
	end = dropClosing(&norms, start, end)
	kept := lines[start:end]
	for i, l := range kept {
		kept[i] = strings.TrimRightFunc(l, unicode.IsSpace)
	}
	return strings.TrimSpace(strings.Join(kept, "\n"))
}

// skipLeadingQuote returns the index of the first line of written content
// when the text starts with blank lines, quoted lines, or an attribution
// line that introduces a quote.
func skipLeadingQuote(norms *normed) int {
	i := 0
	for i < norms.len() {
		if n := norms.at(i); n == "" || strings.HasPrefix(n, ">") {
			i++
			continue
		}
		k := attribution(norms, i)
		if k == 0 || !quoteFollows(norms, i+k) {
			return i
		}
		i += k
	}
	return i
}

// quoteFollows reports whether the first non-blank line from i is quoted.
func quoteFollows(norms *normed, i int) bool {
	for ; i < norms.len(); i++ {
		if n := norms.at(i); n != "" {
			return strings.HasPrefix(n, ">")
		}
	}
	return false
}

// cutsAt reports whether the reply ends before line i, whose raw text is
// line.
func cutsAt(line string, norms *normed, i int) bool {
	if strings.Contains(line, ReplyMarker) || strings.Contains(strings.ToLower(line), markerLower) {
		return true
	}
	n := norms.at(i)
	if n == "" {
		return false
	}
	switch {
	case strings.HasPrefix(n, ">"),
		n == "--",
		underscores.MatchString(n),
		separator.MatchString(n),
		len(n) <= 100 && mobileSignature.MatchString(n),
		attribution(norms, i) > 0,
		outlookHeader(norms, i):
		return true
	}
	return false
}

var markerLower = strings.ToLower(strings.Trim(ReplyMarker, "#- "))

var (
	underscores = regexp.MustCompile(`^_{20,}$`)
	separator   = regexp.MustCompile(`(?i)^(-{3,} ?(original message|ursprüngliche nachricht|originalnachricht|message d'origine|mensaje original|oorspronkelijk bericht|mensagem original|messaggio originale|forwarded message|weitergeleitete nachricht|message transféré|mensaje reenviado) ?-{3,}|begin forwarded message:)$`)

	mobileSignature = regexp.MustCompile(`(?i)^(` +
		`sent from (my|outlook|mail|yahoo|proton|protonmail|samsung|gmail|aol|bluemail|spark|ipad|iphone)\b` +
		`|sent with (proton|spark)\b` +
		`|get outlook for (ios|android)\b` +
		`|von meinem \S+( \S+)? gesendet` +
		`|gesendet von meinem\b` +
		`|envoyé de mon\b` +
		`|enviado desde mi\b` +
		`|enviado do meu\b` +
		`|verstuurd vanaf mijn\b` +
		`|inviato da(l mio)? (iphone|ipad|outlook|samsung)\b` +
		`)`)

	// attrStart is a cheap first test for attribution lines.
	attrStart = regexp.MustCompile(`(?i)^(on|am|le|el|op|em|il) `)
	attrLine  = regexp.MustCompile(`(?i)^(` +
		`on .+ wrote` +
		`|am .+ schrieb\b.*` +
		`|le .+ a écrit` +
		`|el .+ escribió` +
		`|op .+ schreef\b.*` +
		`|em .+ escreveu` +
		`|il .+ ha scritto` +
		`) ?:$`)

	outlookFrom = regexp.MustCompile(`(?i)^\*?(from|von|de|van|da|från|fra|od) ?:\*? *\S`)
	outlookSent = regexp.MustCompile(`(?i)^\*?(sent|date|gesendet|datum|envoyé|enviado|fecha|verzonden|data|inviato|skickat|sendt|wysłano) ?:`)

	closing = regexp.MustCompile(`(?i)^(` +
		`((kind|best|warm|warmest|kindest|with kind|with best|many thanks and) )?regards` +
		`|best( wishes)?|all the best|cheers|many thanks|thanks( again| a lot)?|thank you( very much)?` +
		`|(yours )?sincerely|yours truly` +
		`|mit freundlichen grü(ß|ss)en|(viele|beste|liebe|schöne) grü(ß|ss)e|grü(ß|ss)e|gruß|lg|mfg|vg` +
		`|(bien )?cordialement|bien à vous|merci( beaucoup)?` +
		`|(un )?saludos?( cordiales)?|atentamente|gracias` +
		`|met vriendelijke groet(en)?|groeten|mvg` +
		`|cumprimentos|atenciosamente|obrigad[oa]` +
		`|cordiali saluti|saluti|grazie` +
		`)[ ,.!]*$`)
)

// attribution returns how many lines (1 to 3) starting at i make up an
// attribution line such as "On …, … wrote:", or 0.
func attribution(norms *normed, i int) int {
	first := norms.at(i)
	if !attrStart.MatchString(first) {
		return 0
	}
	joined := first
	for k := 1; k <= 3 && i+k <= norms.len(); k++ {
		if k > 1 {
			next := norms.at(i + k - 1)
			// A wrapped attribution has a long first line and goes on
			// without a blank line; a line that starts an attribution of
			// its own is not a continuation.
			if next == "" || strings.HasPrefix(next, ">") || utf8.RuneCountInString(first) < 30 || attrStart.MatchString(next) {
				return 0
			}
			joined += " " + next
		}
		if len(joined) > 400 {
			return 0
		}
		if attrLine.MatchString(joined) && strings.ContainsAny(joined, "0123456789") {
			return k
		}
	}
	return 0
}

// outlookHeader reports whether line i starts an Outlook-style header block:
// "From: …" followed within four lines by "Sent: …" or "Date: …".
func outlookHeader(norms *normed, i int) bool {
	if !outlookFrom.MatchString(norms.at(i)) {
		return false
	}
	for k := i + 1; k < norms.len() && k <= i+4; k++ {
		if outlookSent.MatchString(norms.at(k)) {
			return true
		}
	}
	return false
}

// dropClosing returns the end of the reply without a trailing closing
// ("Kind regards,") and the up to four short lines after it (a name, a
// title). To keep a "Thanks!" between written lines, the closing must follow
// written content and a blank line.
func dropClosing(norms *normed, start, end int) int {
	wrote := false
	for v := start; v < end; v++ {
		n := norms.at(v)
		if n == "" {
			continue
		}
		if wrote && norms.at(v-1) == "" && closing.MatchString(n) && onlyShortLinesAfter(norms, v+1, end) {
			return v
		}
		wrote = true
	}
	return end
}

func onlyShortLinesAfter(norms *normed, from, to int) bool {
	count := 0
	for i := from; i < to; i++ {
		n := norms.at(i)
		if n == "" {
			continue
		}
		count++
		if count > 4 || utf8.RuneCountInString(n) > 80 {
			return false
		}
	}
	return true
}

// normed holds the lines of a text and, computed on first use, their norm.
type normed struct {
	raw, norm []string
	done      []bool
}

func newNormed(lines []string) normed {
	return normed{raw: lines, norm: make([]string, len(lines)), done: make([]bool, len(lines))}
}

func (n *normed) len() int { return len(n.raw) }

func (n *normed) at(i int) string {
	if !n.done[i] {
		n.norm[i], n.done[i] = norm(n.raw[i]), true
	}
	return n.norm[i]
}

// norm prepares a line for matching: zero-width characters go, runs of
// white space (including no-break spaces) become one space, and the ends are
// trimmed.
func norm(line string) string {
	if strings.ContainsAny(line, "\u200b\u200c\u200d\ufeff") {
		line = strings.Map(func(r rune) rune {
			switch r {
			case '\u200b', '\u200c', '\u200d', '\ufeff':
				return -1
			}
			return r
		}, line)
	}
	return strings.Join(strings.Fields(line), " ")
}
