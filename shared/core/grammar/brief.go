package grammar

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A reply to a meeting brief says which of its items go to the team as the
// meeting's agenda. The rules (greetings at the top are ignored, "send" in
// any case):
//
//   - "send" sends the whole agenda.
//   - "send 1, 3, 5", "send 2-4" or the numbers alone on a line ("1 3 5",
//     "2-4") send only those items, in the brief's order.
//   - Words after "send" (after its numbers, if any) on its line, and the
//     lines below a "send" or a line of numbers, are the manager's opening
//     note at the top of the agenda.
//
// Anything else, a number the brief does not have included, is a Problem
// saying what to write instead, and nothing is sent.

// BriefReply is what a reply to a brief asks.
type BriefReply struct {
	Send bool
	// Items are the numbers to send, in order, each once; nil: all.
	Items []int
	Note  string // the opening note, "" if none
}

// BriefHelp is the grammar of a brief reply, for its footer.
func BriefHelp(items int) string {
	ex := "send 1, 3"
	if items < 3 {
		ex = "send 1"
	}
	return strings.Join([]string{
		`Reply "send" to mail this agenda to the whole team, or only some items:`,
		"  " + ex,
		`Words after "send", or on the lines below it, open the agenda as your note:`,
		"  send Thanks all, a good week. See you at ten!",
		"The team never sees who gave a climate answer.",
	}, "\n")
}

const (
	whyBriefEmpty   = `the reply was empty, so nothing was sent: reply "send" to mail the agenda to the team, or "send 1, 3" for some items`
	whyBriefUnknown = `I did not understand this, so nothing was sent: reply "send" to mail the agenda to the team, "send 1, 3" or "2-4" for some items, and put your note after "send"`
	whyBriefWords   = `a line of item numbers takes no words, so nothing was sent: to add a note, write it after "send", e.g. "send %s Thanks all!"`
)

// ParseBrief reads a reply (already stripped of quoted text and signature)
// to a brief of items numbered 1 to items.
func ParseBrief(reply string, items int) (BriefReply, []Problem) {
	lines, first := opening(reply)
	if first < 0 {
		return BriefReply{}, []Problem{{Line: 1, Why: whyBriefEmpty}}
	}
	head := lines[first]
	problem := func(why string) (BriefReply, []Problem) {
		return BriefReply{}, []Problem{{Line: first + 1, Text: truncate(head, maxText), Why: why}}
	}
	low := asciiLower(head)
	var rest string
	if wordAt(low, 0, "send") {
		rest = strings.TrimLeft(head[len("send"):], " :,.!-–—")
	} else {
		rest = head
		if n, _ := numbersPrefix(rest); n == "" {
			return problem(whyBriefUnknown)
		}
	}
	nums, after := numbersPrefix(rest)
	r := BriefReply{Send: true}
	if nums != "" {
		var why string
		if r.Items, why = itemNumbers(nums, items); why != "" {
			return problem(why)
		}
	}
	note := strings.TrimSpace(trimLead(after))
	if note != "" && !wordAt(low, 0, "send") {
		return problem(fmt.Sprintf(whyBriefWords, strings.TrimSpace(nums)))
	}
	if below := strings.TrimSpace(strings.Join(lines[first+1:], "\n")); below != "" {
		note = strings.TrimSpace(note + "\n" + below)
	}
	if n := utf8.RuneCountInString(note); n > MaxWords {
		return problem(fmt.Sprintf("your note is %s characters long, more than the %s carecoach passes on, so nothing was sent: reply again with a shorter note", thousands(n), thousands(MaxWords)))
	}
	r.Note = note
	return r, nil
}

// numbersPrefix splits s after its leading item numbers and ranges ("1, 3
// and 5", "2-4"): the numbers part and the rest. A word that starts with a
// digit but is not a number or a range ("3pm") ends the numbers.
func numbersPrefix(s string) (string, string) {
	end := 0
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && (s[j] == ' ' || s[j] == ',' || s[j] == ';' || s[j] == '#') {
			j++
		}
		if strings.HasPrefix(asciiLower(s[j:]), "and ") && end > 0 {
			j += len("and ")
		}
		k := j
		for k < len(s) && ('0' <= s[k] && s[k] <= '9' || s[k] == '-') {
			k++
		}
		if k == j || k < len(s) && s[k] != ' ' && s[k] != ',' && s[k] != ';' && s[k] != ':' && s[k] != '.' {
			break
		}
		if _, _, ok := numberOrRange(s[j:k]); !ok {
			break
		}
		end, i = k, k
	}
	return s[:end], s[end:]
}

// numberOrRange reads "3" or "2-4".
func numberOrRange(s string) (int, int, bool) {
	a, b, isRange := strings.Cut(s, "-")
	lo, err := strconv.Atoi(a)
	if err != nil {
		return 0, 0, false
	}
	if !isRange {
		return lo, lo, true
	}
	hi, err := strconv.Atoi(b)
	if err != nil {
		return 0, 0, false
	}
	return lo, hi, true
}

// itemNumbers lists the items numbers names, each once and in order, or
// says which one the brief does not have.
func itemNumbers(nums string, items int) ([]int, string) {
	var out []int
	for _, f := range strings.FieldsFunc(strings.ReplaceAll(asciiLower(nums), " and ", ","), func(r rune) bool { return r == ' ' || r == ',' || r == ';' || r == '#' }) {
		lo, hi, _ := numberOrRange(f)
		if lo > hi {
			return nil, fmt.Sprintf("%s counts down, so nothing was sent: write a range from low to high, e.g. \"%d-%d\"", quote(f), hi, lo)
		}
		for n := lo; n <= hi; n++ {
			if n < 1 || n > items {
				return nil, fmt.Sprintf("there is no item %d in this brief (items are 1 to %d), so nothing was sent: reply again with the numbers of the items to send", n, items)
			}
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	slices.Sort(out)
	return out, ""
}
