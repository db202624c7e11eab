package grammar

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// textParts is what an item's text says.
type textParts struct {
	words     string
	share     bool
	hasReward bool   // "reward:" is there
	reward    string // what follows it
}

// analyze reads an item's text: "share" as its first or last word, "reward:"
// and what follows it, and the words left.
func analyze(s string) textParts {
	var t textParts
	i, j, ok := findReward(s)
	if !ok {
		t.words, t.share = cutShare(s)
		t.words = strings.TrimSpace(t.words)
		return t
	}
	var before, after bool
	t.hasReward = true
	t.reward, after = cutShareEnd(strings.TrimSpace(s[j:]))
	t.words, before = cutShare(strings.TrimSpace(trimTrail(s[:i])))
	t.share = before || after
	return t
}

func cutShare(s string) (string, bool) {
	s, end := cutShareEnd(s)
	s, start := cutShareStart(s)
	return s, end || start
}

// cutShareEnd removes "share" from the end of s when it is a word of its own
// (punctuation may follow) and not the verb of "to share".
func cutShareEnd(s string) (string, bool) {
	t := strings.TrimRight(s, " .!?,;:)…")
	low := asciiLower(t)
	if !strings.HasSuffix(low, "share") {
		return s, false
	}
	i := len(t) - len("share")
	if i > 0 {
		prev, _ := utf8.DecodeLastRuneInString(t[:i])
		if prev != ' ' && !strings.ContainsRune(",.;:!?()[]#", prev) {
			return s, false
		}
		before := strings.TrimRight(low[:i], " ")
		if prev == ' ' && strings.HasSuffix(before, "to") {
			if r, _ := utf8.DecodeLastRuneInString(before[:len(before)-2]); !isWordRune(r) {
				return s, false
			}
		}
	}
	return strings.TrimSpace(trimTrail(t[:i])), true
}

// cutShareStart removes "share" from the start of s when it is alone or
// followed by punctuation ("share - great save"), not by a word ("share your
// notes").
func cutShareStart(s string) (string, bool) {
	if !strings.HasPrefix(asciiLower(s), "share") {
		return s, false
	}
	j := skipSpaces(s, len("share"))
	if j == len(s) {
		return "", true
	}
	if m, ok := sepAt(s, j, shareSeps); ok {
		return strings.TrimSpace(strings.TrimLeft(s[m:], " :-–—,;.!)")), true
	}
	return s, false
}

// findReward finds the word "reward" followed by a colon; i is where the
// word starts, j just after the colon.
func findReward(s string) (i, j int, ok bool) {
	low := asciiLower(s)
	for off := 0; ; {
		k := strings.Index(low[off:], "reward")
		if k < 0 {
			return 0, 0, false
		}
		k += off
		prev, _ := utf8.DecodeLastRuneInString(low[:k])
		m := skipSpaces(low, k+len("reward"))
		if (k == 0 || !isWordRune(prev)) && m < len(low) && low[m] == ':' {
			return k, m + 1, true
		}
		off = k + len("reward")
	}
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// Greetings: salutations open a message; courtesies also include thanks and
// sign-offs. Longest first.
var (
	// A longer phrase comes before a shorter one it starts with.
	salutations = []string{
		"good morning", "good afternoon", "good evening", "hello", "hiya", "hey", "dear", "hi",
		"guten morgen", "guten tag", "guten abend", "hallo", "liebe", "lieber", "moin", "servus", // German
		"bonjour", "bonsoir", "salut", "chère", "cher", // French
		"buenos días", "buenos dias", "buenas tardes", "buenas", "hola", "estimada", "estimado", // Spanish
		"bom dia", "boa tarde", "boa noite", "olá", "ola", "oi", "prezada", "prezado", // Portuguese
		"buongiorno", "ciao", "salve", "goedemorgen", "hoi", // Italian, Dutch
	}
	courtesies = append([]string{
		"thank you", "many thanks", "thanks", "cheers", "best regards", "kind regards", "warm regards", "regards", "best",
		"vielen dank", "danke", "mit freundlichen grüßen", "viele grüße", "beste grüße", "liebe grüße", "grüße",
		"merci beaucoup", "merci", "cordialement", "bien à vous",
		"muchas gracias", "gracias", "saludos", "un saludo", "atentamente",
		"muito obrigado", "muito obrigada", "obrigado", "obrigada", "atenciosamente", "abraços", "abraço",
		"grazie", "cordiali saluti", "bedankt", "groeten",
	}, salutations...)
)

// isGreeting reports whether s is one of phrases followed by at most three
// words of a name ("Hi carecoach,", "Dear Ana Silva", "Thanks so much!").
func isGreeting(s string, phrases []string) bool {
	low := asciiLower(s)
	for _, p := range phrases {
		if !wordAt(low, 0, p) {
			continue
		}
		return nameLike(s[len(p):], true)
	}
	return false
}

// isName reports whether s is a name alone, as signed under a sign-off.
func isName(s string) bool { return nameLike(s, false) }

// nameLike reports whether s holds at most three words of letters (an emoji
// is fine too) and punctuation, and at least one word unless empty is true.
func nameLike(s string, empty bool) bool {
	words := strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || strings.ContainsRune(",.!?:;…", r)
	})
	if len(words) > 3 || len(words) == 0 && !empty {
		return false
	}
	for _, w := range words {
		for _, r := range w {
			if !unicode.IsLetter(r) && !unicode.IsMark(r) && !unicode.In(r, unicode.So, unicode.Sk) && !strings.ContainsRune("'’-\u200d", r) {
				return false
			}
		}
	}
	return true
}
