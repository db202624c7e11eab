package emailtext

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Block is one run of lines the sender wrote, with the quoted text right
// above it. A reply written above the quote is one Block with no Quoted; a
// reply written between quoted items has a Block after each quote the
// sender answered.
type Block struct {
	Text   string // the lines as written, trailing white space and blank lines at both ends trimmed
	Quoted string // the quoted lines directly above, without their ">" prefixes; "" for none
}

// Hints are what the rest of a message says about its text.
type Hints struct {
	// Sender is the From header's display name, e.g. "Jordan Reyes"; a
	// line that is the sender's name (or first name) signs the reply off.
	Sender string
	// Address is the From address; its local part ("jordan.reyes") stands
	// in for a missing display name.
	Address string
	// Signatures are the texts of the HTML part's signature containers
	// (Outlook's id="Signature", gmail_signature, moz-signature, …), which
	// the plain text part carries as ordinary lines.
	Signatures []string
}

// StripReply keeps only the newly written part of a reply's plain text:
// [Written] with no hints, its blocks joined by a blank line.
func StripReply(text string) string { return JoinBlocks(Written(text, Hints{})) }

// JoinBlocks joins the blocks' texts with a blank line between them.
func JoinBlocks(blocks []Block) string {
	texts := make([]string, 0, len(blocks))
	for _, b := range blocks {
		texts = append(texts, b.Text)
	}
	return strings.Join(texts, "\n\n")
}

// Written returns what the sender wrote, block by block, in order: above,
// between and below quoted blocks. Nothing quoted, no signature and nothing
// after the start of unquoted history is ever part of a block.
//
// Line by line:
//   - A quoted line (">", also indented) belongs to a quote; so does an
//     attribution line ("On <date>, <name> wrote:", wrapped over up to three
//     lines, and its German, French, Spanish, Dutch, Portuguese and Italian
//     forms) that introduces a quote. Reading goes on after the quote.
//   - Unquoted history ends the reply: a line containing ReplyMarker,
//     Outlook's "-----Original Message-----" (or a localized form), a line
//     of 20 or more underscores, a "From:" header line followed within a
//     few lines by "Sent:" or "Date:" (localized too), a forwarded-message
//     line, or an attribution that is not followed by a quote.
//   - A signature ends the block it is in (reading resumes at the next
//     quote): a line that is "--", "-- " or a dash alone; a mobile footer
//     such as "Sent from my iPhone" or "Get Outlook for iOS"; the first line
//     of one of hints.Signatures.
//   - At the end of each block, a sign-off is dropped: the sender's name on
//     its own line, or a closing ("Kind regards,") after a blank line or
//     before the sender's name, and any contact lines after it (title,
//     company, phone, address, URL); or, after a blank line, a contact block
//     with a phone number, an address or a URL in it.
//   - A confidentiality disclaimer ends its block; placeholder lines for
//     images ("[image: logo.png]", "[cid:…]", "<photo.jpg>") are dropped.
//
// Every line of a block is a substring of a line of text (its trailing white
// space trimmed); no block contains ReplyMarker.
func Written(text string, h Hints) []Block {
	lines := strings.Split(NormalizeNewlines(text), "\n")
	norms := newNormed(lines)
	sig := newSigner(h)
	var (
		blocks     []Block
		cur        []string // the open block's lines
		curQuoted  string   // the quote above the open block
		quoted     []string // quoted lines since the last written line
		inSig      bool     // after a signature: unquoted lines are dropped until the next quote
		sawContent bool     // the open block has a non-blank line
	)
	closeBlock := func() {
		if sawContent {
			if t := sig.trim(cur); t != "" {
				blocks = append(blocks, Block{Text: t, Quoted: curQuoted})
			}
		}
		cur, sawContent = nil, false
	}
	for i := 0; i < len(lines); i++ {
		n := norms.at(i)
		if strings.HasPrefix(n, ">") {
			closeBlock()
			inSig = false
			quoted = append(quoted, unquote(lines[i]))
			continue
		}
		if historyStarts(lines[i], &norms, i) {
			break
		}
		if k := attribution(&norms, i); k > 0 { // followed by a quote: historyStarts said so
			closeBlock()
			inSig = false
			for j := i; j < i+k; j++ {
				quoted = append(quoted, lines[j])
			}
			i += k - 1
			continue
		}
		if inSig {
			continue
		}
		if n == "" {
			if sawContent {
				cur = append(cur, "")
			}
			continue
		}
		if placeholder.MatchString(n) {
			continue
		}
		if isSigDelimiter(n) || (len(n) <= 100 && mobileSignature.MatchString(n)) || sig.marks(n) || disclaimer.MatchString(n) {
			closeBlock()
			inSig = true
			continue
		}
		if !sawContent {
			curQuoted = strings.Join(quoted, "\n")
			quoted = nil
			sawContent = true
		}
		cur = append(cur, strings.TrimRightFunc(lines[i], unicode.IsSpace))
	}
	closeBlock()
	return blocks
}

// unquote removes a quoted line's ">" prefixes (and the space after each).
func unquote(line string) string {
	s := strings.TrimLeftFunc(line, unicode.IsSpace)
	for strings.HasPrefix(s, ">") {
		s = strings.TrimPrefix(s[1:], " ")
	}
	return s
}

// historyStarts reports whether unquoted history (the message replied to,
// not prefixed with ">") starts at line i, whose raw text is line.
func historyStarts(line string, norms *normed, i int) bool {
	if strings.Contains(line, ReplyMarker) || strings.Contains(strings.ToLower(line), markerLower) {
		return true
	}
	n := norms.at(i)
	if n == "" {
		return false
	}
	switch {
	case underscores.MatchString(n), separator.MatchString(n), outlookHeader(norms, i):
		return true
	}
	k := attribution(norms, i)
	return k > 0 && !quoteFollows(norms, i+k)
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

// isSigDelimiter reports the signature separator "-- " and the forms mail
// clients and people turn it into: "--" without the space, an en or em dash
// that autocorrect made of the two hyphens, or a short rule of underscores
// (20 or more start Outlook's quoted header instead).
func isSigDelimiter(n string) bool {
	switch n {
	case "--", "—", "–", "- -", "‐‐", "−−":
		return true
	}
	return len(n) >= 2 && len(n) < 20 && strings.Trim(n, "_") == ""
}

// ReplyMarker opens every email carecoach sends that can be answered; all
// below it in a reply is history.
const ReplyMarker = care.ReplyMarker

var markerLower = strings.ToLower(strings.Trim(ReplyMarker, "#- "))

var (
	underscores = lazy(`^_{20,}$`)
	separator   = lazy(`(?i)^([-‐‑–—]{3,} ?(original message|ursprüngliche nachricht|originalnachricht|message d'origine|mensaje original|oorspronkelijk bericht|mensagem original|messaggio originale|` +
		forwardedWords + `) ?[-‐‑–—]{3,}|` + forwardedIntro + `)$`)

	mobileSignature = lazy(`(?i)^(` +
		`sent from (my|outlook|mail|yahoo|proton|protonmail|samsung|gmail|aol|bluemail|spark|ipad|iphone)\b` +
		`|sent with \[?(proton|spark)\b` +
		`|sent via\b` +
		`|get outlook for (ios|android)\b` +
		`|von meinem \S+( \S+)? gesendet` +
		`|gesendet von meinem\b` +
		`|envoyé de mon\b` +
		`|enviado desde mi\b` +
		`|enviado do meu\b` +
		`|enviado de (meu|mi)\b` +
		`|verstuurd vanaf mijn\b` +
		`|inviato da(l mio)? (iphone|ipad|outlook|samsung)\b` +
		`|obtenir outlook pour (ios|android)\b` +
		`|outlook für (ios|android) herunterladen\b` +
		`|obtener outlook para (ios|android)\b` +
		`|obter o outlook para (ios|android)\b` +
		`)`)

	// attrStart is a cheap first test for attribution lines.
	attrStart = lazy(`(?i)^(on|am|le|el|op|em|il) `)
	attrLine  = lazy(`(?i)^(` +
		`on .+ wrote` +
		`|am .+ schrieb\b.*` +
		`|le .+ a écrit` +
		`|el .+ escribió` +
		`|op .+ schreef\b.*` +
		`|em .+ escreveu` +
		`|il .+ ha scritto` +
		`) ?:$`)

	outlookFrom = lazy(`(?i)^\*?(from|von|de|van|da|från|fra|od) ?:\*? *\S`)
	outlookSent = lazy(`(?i)^\*?(sent|date|gesendet|datum|envoyé|enviado|fecha|verzonden|data|inviato|skickat|sendt|wysłano) ?:`)

	// placeholder is a line that only stands for an image or attachment:
	// Gmail's "[image: logo.png]", Outlook's "[cid:image001.png@01DB…]",
	// Apple Mail's "<IMG_0042.jpeg>".
	placeholder = lazy(`(?i)^(\[(image|inline image|cid|grafik|bild|imagen|imagem|image jointe)\s*:[^\]]*\]|<[^<>@\s][^<>@]*\.(png|jpe?g|gif|bmp|heic|tiff?|webp|pdf)>)$`)

	// disclaimer is the first line of a confidentiality notice that a mail
	// server appends.
	disclaimer = lazy(`(?i)^(` +
		`(this|the information (contained )?in this) (e-?mail|message|communication)\b.*\b(confidential|privileged|intended (solely|only) for)` +
		`|confidential(ity)? (notice|note|statement|warning)\b` +
		`|disclaimer:` +
		`|diese (e-?mail|nachricht) (enthält|ist) vertraulich` +
		`|ce (message|courriel) (et (toutes )?les pièces jointes )?(est|sont) (confidentiel|strictement)` +
		`|este (correo|mensaje)( electrónico)? (es|y sus anexos son) confidencial` +
		`|esta mensagem( e seus anexos)? (é|são) confidencia` +
		`)`)
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

// NormalizeNewlines turns "\r\n" and "\r" line ends into "\n".
func NormalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// Quote puts s in Go quotes, capped at 200 characters: safe to put in a log
// line or an error, whatever a sender wrote.
func Quote(s string) string {
	const max = 200
	if r := []rune(s); len(r) > max {
		s = string(r[:max]) + "…"
	}
	return fmt.Sprintf("%q", s)
}
