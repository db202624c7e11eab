package emailtext

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// signer finds where a block's sign-off starts: it knows the sender's names
// and the first lines of the HTML part's signatures.
type signer struct {
	names map[string]bool // folded: "jordanreyes", "jordan", "jordanr", "jr", "j"
	hints map[string]bool // folded first lines of the HTML signatures
}

func newSigner(h Hints) signer {
	s := signer{names: map[string]bool{}, hints: map[string]bool{}}
	s.addName(h.Sender)
	if local, _, ok := strings.Cut(h.Address, "@"); ok {
		s.addName(strings.NewReplacer(".", " ", "_", " ", "-", " ").Replace(local))
	}
	for _, sig := range h.Signatures {
		for _, line := range strings.Split(sig, "\n") {
			if f := fold(line); f != "" {
				s.hints[f] = true
				break
			}
		}
	}
	return s
}

// addName adds a display name's forms: whole, first name, first name and
// last initial, initials. "Reyes, Jordan" is read as "Jordan Reyes"; a
// parenthesized part ("(Acme)", "(he/him)") and digits are ignored.
func (s *signer) addName(name string) {
	name = parenthesized.ReplaceAllString(name, " ")
	if last, first, ok := strings.Cut(name, ","); ok {
		name = first + " " + last
	}
	var words []string
	for _, w := range strings.Fields(name) {
		if f := fold(w); f != "" && !strings.ContainsFunc(f, unicode.IsDigit) {
			words = append(words, f)
		}
	}
	if len(words) == 0 || len(words) > 4 {
		return
	}
	first, _ := utf8.DecodeRuneInString(words[0])
	s.names[strings.Join(words, "")] = true
	s.names[words[0]] = true
	s.names[string(first)] = true
	if len(words) > 1 {
		lastWord := words[len(words)-1]
		last, _ := utf8.DecodeRuneInString(lastWord)
		s.names[words[0]+string(last)] = true
		s.names[string(first)+string(last)] = true
		s.names[string(first)+lastWord] = true
	}
}

// marks reports whether the normed line n is the first line of one of the
// HTML part's signatures.
func (s signer) marks(n string) bool {
	return len(s.hints) > 0 && s.hints[fold(n)]
}

// isName reports whether the normed line n is the sender's name, alone or
// before a title ("Jordan Reyes | Team Lead"), maybe with a dash in front
// ("-Jordan") or pronouns after it.
func (s signer) isName(n string) bool {
	if len(s.names) == 0 || utf8.RuneCountInString(n) > 80 {
		return false
	}
	if i := strings.IndexAny(n, "|·•,/"); i > 0 {
		n = n[:i]
	}
	for _, sep := range []string{" - ", " – ", " — "} {
		if i := strings.Index(n, sep); i > 0 {
			n = n[:i]
		}
	}
	n = parenthesized.ReplaceAllString(n, " ")
	f := fold(n)
	return f != "" && s.names[f]
}

// trim returns a block's text without its sign-off, trailing white space
// and blank lines at both ends.
func (s signer) trim(lines []string) string {
	norms := make([]string, len(lines))
	for i, l := range lines {
		norms[i] = norm(l)
	}
	end := len(lines)
	for end > 0 && norms[end-1] == "" {
		end--
	}
	end = s.signOff(norms[:end])
	return strings.TrimSpace(strings.Join(lines[:end], "\n"))
}

// maxSignOff is the most non-blank lines a sign-off has: a closing, a
// name, a title, a company, a phone number or two, an address, a web site.
const maxSignOff = 10

// signOff returns the index of the first line of the sign-off that ends
// norms (the normed lines of a block, without trailing blank lines), or
// len(norms) if there is none.
func (s signer) signOff(norms []string) int {
	from, count := len(norms), 0
	for from > 0 && count < maxSignOff {
		from--
		if norms[from] != "" {
			count++
		}
	}
	for i := from; i < len(norms); i++ {
		n := norms[i]
		if n == "" || !allSigLike(norms[i:]) {
			continue
		}
		blankBefore := i > 0 && norms[i-1] == ""
		rest := norms[i+1:]
		switch {
		case s.isName(n):
			return i
		case closing.MatchString(n):
			if blankBefore || s.anyName(rest) || anyContact(rest) {
				return i
			}
		case s.closingWithName(n):
			return i
		case blankBefore && contactBlock(norms[i:]):
			return i
		}
	}
	return len(norms)
}

// closingWithName reports a closing followed by the sender's name on the
// same line: "Thanks, Jordan", "Cheers J".
func (s signer) closingWithName(n string) bool {
	m := closingThenWords.FindStringSubmatch(n)
	return m != nil && s.isName(m[len(m)-1])
}

func (s signer) anyName(norms []string) bool {
	for _, n := range norms {
		if n != "" && s.isName(n) {
			return true
		}
	}
	return false
}

// contactBlock reports a block of contact details: a phone number, or an
// email or web address with at least one more line (a URL alone on a line
// may be what the sender wanted to say).
func contactBlock(norms []string) bool {
	lines, contact, phone := 0, false, false
	for _, n := range norms {
		if n == "" {
			continue
		}
		lines++
		if isContact(n) {
			contact = true
			phone = phone || phoneLine.MatchString(n)
		}
	}
	return phone || contact && lines > 1
}

func anyContact(norms []string) bool {
	for _, n := range norms {
		if n != "" && isContact(n) {
			return true
		}
	}
	return false
}

// allSigLike reports whether every line could be part of a sign-off: short,
// and no command to carecoach among them.
func allSigLike(norms []string) bool {
	for _, n := range norms {
		if n == "" {
			continue
		}
		if utf8.RuneCountInString(n) > 80 || len(strings.Fields(n)) > 12 {
			return false
		}
		if !isContact(n) && commandLike.MatchString(n) {
			return false
		}
	}
	return true
}

// isContact reports a line that is only a phone number, an email address
// or a web address.
func isContact(n string) bool {
	return phoneLine.MatchString(n) || emailLine.MatchString(n) || webLine.MatchString(n)
}

// fold keeps only the letters and digits of s, lower-cased: "J. Reyes" and
// "j reyes" fold alike.
func fold(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

const closingWords = `((kind|best|warm|warmest|kindest|with kind|with best|many thanks and|thanks and|thanks &) )?regards` +
	`|best( wishes)?|all the best|cheers|many thanks|thanks( again| a lot| so much)?|thank you( very much| so much)?|thx|ty` +
	`|(yours )?sincerely|yours truly|take care` +
	`|mit freundlichen grü(ß|ss)en|(viele|beste|liebe|schöne|herzliche) grü(ß|ss)e|grü(ß|ss)e|gruß|lg|mfg|vg|danke( schön)?` +
	`|(bien )?cordialement|bien à vous|merci( beaucoup)?|bonne journée|amitiés` +
	`|(un )?saludos?( cordiales)?|atentamente|gracias|un abrazo` +
	`|met vriendelijke groet(en)?|groeten|mvg` +
	`|cumprimentos|atenciosamente|obrigad[oa]|abraços?|att\.?` +
	`|cordiali saluti|saluti|grazie`

var (
	closing          = lazy(`(?i)^(` + closingWords + `)[ ,.!]*$`)
	closingThenWords = lazy(`(?i)^(?:` + closingWords + `)[ ,.!-]+(.+)$`)

	parenthesized = lazy(`\([^)]*\)|\[[^\]]*\]`)

	// commandLike is a line that may be a command to carecoach: it starts
	// with an item number or a keyword.
	commandLike = lazy(`(?i)^(\(?#?\d{1,3}\s*([:.)\]\-–—,&+]|(and|to|bis)\b|$)|\(?#?\d{1,3}\s+(share|skip|reward|dismiss)\b|item\s*#?\d|(skip|share|reward|dismiss)\b)`)

	phoneLine = lazy(`(?i)^((t|m|p|f|d|o|tel|phone|mobile|mob|cell|direct|office|fax|work|telefon|tél|tel\.|téléphone|teléfono|telefone|handy|portable|móvil|celular|telemóvel)\.?\s*[:.]?\s*)?\+?[\d(][\d\s().\-/]{6,}\d(\s*(ext\.?|x)\s*\d+)?$`)
	emailLine = lazy(`(?i)^((e|email|e-mail|mail)\s*[:.]\s*)?<?[^\s@<>]+@[^\s@<>]+\.[a-z]{2,}>?$`)
	webLine   = lazy(`(?i)^((w|web|website|site)\s*[:.]\s*)?\S*(https?://|www\.)\S+$`)
)
