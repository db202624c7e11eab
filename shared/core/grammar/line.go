package grammar

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxText is the longest Problem.Text, in characters.
const maxText = 120

// clean removes control characters (a tab becomes a space) and invisible
// direction overrides, turns every other kind of space into a plain one,
// replaces invalid UTF-8 and trims. Only ' ' is left as white space, which
// the scanners below rely on.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\t':
			b.WriteByte(' ')
		case unicode.IsControl(r), invisible(r):
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

// invisible reports a byte order mark, a zero-width space, or a bidirectional
// embedding, override or isolate (which can make a line read differently from
// what it says).
func invisible(r rune) bool {
	return r == '\uFEFF' || r == '\u200B' || ('\u202A' <= r && r <= '\u202E') || ('\u2066' <= r && r <= '\u2069')
}

// truncate shortens s to at most n characters, ending it with "…" if cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for range n - 1 {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i] + "…"
}

// quote puts a short excerpt of s in double quotes, for an explanation.
func quote(s string) string { return `"` + truncate(s, 40) + `"` }

// asciiLower lower-cases ASCII letters only, so byte offsets stay valid.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// wordAt reports whether low has the word w at byte i, not followed by a letter.
func wordAt(low string, i int, w string) bool {
	if i > len(low) || !strings.HasPrefix(low[i:], w) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(low[i+len(w):])
	return !unicode.IsLetter(r)
}

func skipSpaces(s string, i int) int {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

// sepAt returns the end of the first of seps found at byte i.
func sepAt(s string, i int, seps []string) (int, bool) {
	if i > len(s) {
		return i, false
	}
	for _, sep := range seps {
		if strings.HasPrefix(s[i:], sep) {
			return i + len(sep), true
		}
	}
	return i, false
}

var (
	dashes      = []string{"-", "–", "—"}
	bullets     = []string{"-", "*", "•"}
	listSeps    = []string{",", "&", "+", ";"}
	markerSeps  = []string{":", ".", ")", "]", ",", "-", "–", "—"}
	keywordSeps = []string{":", "-", "–", "—"}
	rewardSeps  = []string{":", "-", "–", "—", "="}
	wordsSeps   = []string{":", "-", "–", "—", ".", ")"}
	shareSeps   = []string{":", ",", ";", ".", "!", "-", "–", "—", ")"}
	clauseSeps  = []string{",", ";", ":", "(", "-", "–", "—"}
)

// trimLead removes the separators left between a marker or keyword and the words.
func trimLead(s string) string { return strings.TrimLeft(s, " :-–—)]") }

// trimTrail removes the separators left between the words and a keyword after them.
func trimTrail(s string) string { return strings.TrimRight(s, " ,;:-–—#([") }

// elem is one item a line names: a number, or a range lo-hi.
type elem struct {
	lo, hi         int // -1 when too long to be an item
	loText, hiText string
}

// number reads ASCII digits at i that are not glued to a letter ("3rd").
func number(s string, i int) (n int, text string, end int, ok bool) {
	j := i
	for j < len(s) && '0' <= s[j] && s[j] <= '9' {
		j++
	}
	if j == i {
		return 0, "", i, false
	}
	if r, _ := utf8.DecodeRuneInString(s[j:]); unicode.IsLetter(r) {
		return 0, "", i, false
	}
	text = strings.TrimLeft(s[i:j], "0")
	if text == "" {
		text = "0"
	}
	n = -1
	if len(text) <= 9 {
		n, _ = strconv.Atoi(text)
	}
	return n, truncate(text, 12), j, true
}

// rangeMode says which ranges of items a list may have.
type rangeMode int

const (
	noRanges    rangeMode = iota
	tightRanges           // "3-5", "3 to 5": a dash with spaces is a separator
	allRanges             // also "3 - 5"
)

// readElem reads "3", "#3", "item 3" and the ranges "3-5" or "3 to 5".
func readElem(s, low string, i int, ranges rangeMode) (elem, int, bool) {
	j := i
	switch {
	case wordAt(low, j, "items"):
		j = skipSpaces(s, j+len("items"))
	case wordAt(low, j, "item"):
		j = skipSpaces(s, j+len("item"))
	}
	if j < len(s) && s[j] == '#' {
		j++
	}
	lo, loText, k, ok := number(s, j)
	if !ok {
		return elem{}, i, false
	}
	e := elem{lo: lo, hi: lo, loText: loText, hiText: loText}
	if ranges != noRanges {
		m := skipSpaces(s, k)
		r, dash := sepAt(s, m, dashes)
		if dash && ranges == tightRanges && (m > k || r < len(s) && s[r] == ' ') {
			dash = false
		}
		if !dash && m > k && wordAt(low, m, "to") {
			r, dash = m+len("to"), true
		}
		if dash {
			m = skipSpaces(s, r)
			if m < len(s) && s[m] == '#' {
				m++
			}
			if hi, hiText, end, ok := number(s, m); ok {
				e.hi, e.hiText, k = hi, hiText, end
			}
		}
	}
	return e, k, true
}

// readList reads items separated by commas, "and", "&", "+", ";" or spaces;
// it returns them and the end of the last one.
func readList(s, low string, i int, ranges rangeMode) ([]elem, int) {
	var out []elem
	end, j := i, i
	for {
		e, k, ok := readElem(s, low, j, ranges)
		if !ok {
			break
		}
		out = append(out, e)
		end = k
		j = skipSpaces(s, k)
		if m, ok := sepAt(s, j, listSeps); ok {
			j = skipSpaces(s, m)
			if wordAt(low, j, "and") {
				j = skipSpaces(s, j+len("and"))
			}
		} else if wordAt(low, j, "and") {
			j = skipSpaces(s, j+len("and"))
		} else if j == k {
			break
		}
	}
	return out, end
}

// readMarker reads the item numbers a line starts with ("2:", "2.", "2)",
// "2 -", "(2)", "#2", "item 2:", "1, 3:", "1-3:") and the text after them. A bare
// number needs a separator after it unless it is alone on the line, and a
// separator glued to a digit ("10:30", "1.5") is no marker.
func readMarker(s string) (elems []elem, rest string, ok bool) {
	low := asciiLower(s)
	i := 0
	if m, ok := sepAt(s, 0, bullets); ok && m < len(s) && s[m] == ' ' {
		i = skipSpaces(s, m)
	}
	var closer byte
	if i < len(s) && (s[i] == '(' || s[i] == '[') {
		closer = ')'
		if s[i] == '[' {
			closer = ']'
		}
		i = skipSpaces(s, i+1)
	}
	prefixed := i < len(s) && s[i] == '#' || wordAt(low, i, "item") || wordAt(low, i, "items")
	elems, j := readList(s, low, i, tightRanges)
	if len(elems) == 0 {
		return nil, "", false
	}
	k := skipSpaces(s, j)
	switch m, sep := sepAt(s, k, markerSeps); {
	case closer != 0:
		if k == len(s) || s[k] != closer {
			return nil, "", false
		}
		k++
	case k == len(s):
	case sep:
		if m < len(s) && '0' <= s[m] && s[m] <= '9' {
			return nil, "", false
		}
		k = m
	case prefixed && k > j:
	default:
		return nil, "", false
	}
	return elems, strings.TrimSpace(trimLead(s[k:])), true
}

// bareNumber reads a line that starts with a number and a word, with no
// separator between them ("2 good save").
func bareNumber(s string) (int, bool) {
	n, _, end, ok := number(s, 0)
	if !ok || end == len(s) || s[end] != ' ' {
		return 0, false
	}
	r, _ := utf8.DecodeRuneInString(s[skipSpaces(s, end):])
	return n, unicode.IsLetter(r)
}

type kwKind int

const (
	kwSkip kwKind = iota + 1
	kwShare
	kwReward
)

// kwLine is a line (or an item's text) that starts with a keyword.
type kwLine struct {
	kind     kwKind
	head     string // the keyword and the items it names, as written
	elems    []elem // the items named; none for a bare "skip" or "share"
	noNumber bool   // a bare "skip", "skip it", "share", "share this with the team"
	rest     string // share: words after "share 2:"; reward: what after "reward 2:"
	trailing string // text after the keyword that is not understood
}

// readKeyword reads "skip 3, 4", "dismiss #3", "skip", "skip it", "share 2",
// "share: 2", "share 2: words", "share", "share this with the team" and
// "reward 2: what". "reward: what" and "share - words" are not keyword
// lines: they are read as an item's text by analyze.
func readKeyword(s string) (kwLine, bool) {
	low := asciiLower(s)
	var k kwLine
	var i int
	switch {
	case wordAt(low, 0, "skip"):
		k.kind, i = kwSkip, len("skip")
	case wordAt(low, 0, "dismiss"):
		k.kind, i = kwSkip, len("dismiss")
	case wordAt(low, 0, "share"):
		k.kind, i = kwShare, len("share")
	case wordAt(low, 0, "reward"):
		k.kind, i = kwReward, len("reward")
	default:
		return kwLine{}, false
	}
	j := skipSpaces(s, i)
	if k.kind == kwReward {
		elems, e := readList(s, low, j, allRanges)
		if len(elems) == 0 {
			return kwLine{}, false
		}
		k.elems, k.head = elems, s[:e]
		m := skipSpaces(s, e)
		m, _ = sepAt(s, m, rewardSeps)
		k.rest = strings.TrimSpace(s[m:])
		return k, true
	}
	sepd := false
	if m, ok := sepAt(s, j, keywordSeps); ok {
		j, sepd = skipSpaces(s, m), true
	}
	if elems, e := readList(s, low, j, allRanges); len(elems) > 0 {
		k.elems, k.head = elems, s[:e]
		rest := strings.TrimSpace(s[e:])
		m, words := sepAt(rest, 0, wordsSeps)
		switch {
		case polite(rest, k.kind):
		case k.kind == kwShare && words:
			k.rest = strings.TrimSpace(trimLead(rest[m:]))
		default:
			k.trailing = strings.TrimLeft(rest, " ,;:-–—")
		}
		return k, true
	}
	phrase, after := filler(low, j)
	rest := strings.TrimSpace(s[after:])
	k.noNumber, k.head = true, strings.TrimSpace(s[:i])
	if phrase != "" {
		k.head = strings.TrimSpace(s[:after])
	}
	_, clause := sepAt(rest, 0, clauseSeps)
	switch {
	case polite(rest, k.kind):
		return k, true
	case k.kind == kwShare, // "share - great save" is words with a share
		phrase == "" && !sepd && !clause,                  // "skip the small talk"
		(phrase == "this" || phrase == "that") && !clause: // "skip this step"
		return kwLine{}, false
	}
	k.trailing = strings.TrimLeft(rest, " ,;:-–—")
	return k, true
}

// fillers may follow a bare "skip" or "share"; longest first.
var fillers = []string{"this one", "that one", "this item", "that item", "this moment", "this", "that", "these", "those", "them", "it", "items", "item", "one"}

func filler(low string, i int) (string, int) {
	for _, f := range fillers {
		if wordAt(low, i, f) {
			return f, i + len(f)
		}
	}
	return "", i
}

// polite reports whether what follows a skip or share adds nothing to it:
// punctuation, "please", "for now", "with the team"...
func polite(rest string, kind kwKind) bool {
	words := strings.FieldsFunc(asciiLower(rest), func(r rune) bool {
		return r == ' ' || strings.ContainsRune(",.!?;:-–—()", r)
	})
	kept := words[:0]
	for _, w := range words {
		if w != "please" && w != "thanks" {
			kept = append(kept, w)
		}
	}
	switch strings.Join(kept, " ") {
	case "", "too", "as well", "thank you":
		return true
	case "for now":
		return kind == kwSkip
	case "with the team", "with the whole team", "with the entire team", "with everyone", "with everybody", "with all", "to the team", "to everyone":
		return kind == kwShare
	}
	return false
}
