package grammar

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A reply to a check-back says whether the manager checked back with the
// agent. The rules (greetings at the top are ignored, keywords in any case):
//
//   - "done" marks it done. Words after it, on its line ("done: she said
//     the macro helped") and on the lines below, are a note that reaches
//     the agent as a thank-you.
//   - "later 2d" asks again in 2 business days ("later 2 days", "later 1w"
//     for a week of business days, "later" alone for the team's usual
//     delay); at most MaxLater business days.
//
// Anything else is a Problem saying what to write instead, and nothing is
// recorded.

// MaxLater is the most business days "later" may put a check-back off.
const MaxLater = 20

// CheckBackReply is what a reply to a check-back asks.
type CheckBackReply struct {
	Done  bool
	Note  string // with Done: the words for the agent, "" if none
	Later bool
	Days  int // with Later: business days; 0 means the team's usual delay
}

// CheckBackHelp is the grammar of a check-back reply, for its footer.
func CheckBackHelp() string {
	return strings.Join([]string{
		`Reply "done" once you have checked back, with a note for the agent if you like:`,
		"  done Thanks for calling her back, it made the difference!",
		`Or reply "later" with when to ask you again:`,
		"  later 2d",
		"A note after done reaches the agent as a thank-you from you.",
	}, "\n")
}

const (
	whyCheckBackEmpty   = `the reply was empty, so nothing was recorded: reply "done" (with a note for the agent if you like) or "later 2d"`
	whyCheckBackUnknown = `I did not understand this, so nothing was recorded: reply "done" once you have checked back (e.g. "done Thanks, that worked!") or "later 2d" to be asked again in 2 business days`
	whyCheckBackBoth    = `the reply says both "done" and "later", so nothing was recorded: reply with one of them`
)

// opening splits a short reply (already stripped of quoted text and
// signature) into cleaned lines, and finds the first that says something:
// not blank, and not a greeting ("Hi carecoach,"). first is -1 when none
// does.
func opening(reply string) (lines []string, first int) {
	for _, l := range splitLines(reply) {
		lines = append(lines, clean(l))
	}
	for i, l := range lines {
		if l != "" && !isGreeting(l, salutations) {
			return lines, i
		}
	}
	return lines, -1
}

// ParseCheckBack reads a reply (already stripped of quoted text and
// signature) to a check-back.
func ParseCheckBack(reply string) (CheckBackReply, []Problem) {
	lines, first := opening(reply)
	if first < 0 {
		return CheckBackReply{}, []Problem{{Line: 1, Why: whyCheckBackEmpty}}
	}
	head, rest := lines[first], strings.TrimSpace(strings.Join(lines[first+1:], "\n"))
	low := asciiLower(head)
	problem := func(why string) (CheckBackReply, []Problem) {
		return CheckBackReply{}, []Problem{{Line: first + 1, Text: truncate(head, maxText), Why: why}}
	}
	switch {
	case wordAt(low, 0, "done"):
		note := strings.TrimSpace(trimLead(strings.TrimLeft(head[len("done"):], " .!,;")))
		if rest != "" {
			note = strings.TrimSpace(note + "\n" + rest)
		}
		if laterLine(rest) {
			return problem(whyCheckBackBoth)
		}
		if n := utf8.RuneCountInString(note); n > MaxWords {
			return problem(fmt.Sprintf("your note is %s characters long, more than the %s carecoach passes on, so nothing was recorded: reply again with a shorter note", thousands(n), thousands(MaxWords)))
		}
		return CheckBackReply{Done: true, Note: note}, nil
	case wordAt(low, 0, "later"):
		days, why := laterDays(strings.TrimSpace(strings.TrimRight(head[len("later"):], " .!")))
		if why != "" {
			return problem(why)
		}
		r := CheckBackReply{Later: true, Days: days}
		if rest != "" {
			if wordAt(asciiLower(rest), 0, "done") {
				return problem(whyCheckBackBoth)
			}
			return r, []Problem{{Line: first + 2, Text: truncate(lines[first+1], maxText),
				Why: `words after "later" are not passed on to anyone: once you have checked back, reply "done" with your note for the agent`}}
		}
		return r, nil
	}
	return problem(whyCheckBackUnknown)
}

// laterLine reports whether a note is only a "later" command.
func laterLine(s string) bool {
	if !wordAt(asciiLower(s), 0, "later") || strings.Contains(s, "\n") {
		return false
	}
	_, why := laterDays(strings.TrimSpace(s[len("later"):]))
	return why == ""
}

// laterDays reads what follows "later": "", "2d", "2 days", "2 business
// days", "1w", "1 week".
func laterDays(s string) (int, string) {
	if s == "" {
		return 0, ""
	}
	s = strings.TrimLeft(s, ":- ")
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	n, err := strconv.Atoi(s[:i])
	unit := strings.TrimSpace(asciiLower(s[i:]))
	bad := fmt.Sprintf(`I did not understand %s after "later", so nothing was recorded: write a number of business days, e.g. "later 2d", or weeks, e.g. "later 1w"`, quote(s))
	if err != nil {
		return 0, bad
	}
	switch unit {
	case "d", "day", "days", "business day", "business days", "working day", "working days":
	case "w", "wk", "week", "weeks":
		n *= 5
	default:
		return 0, bad
	}
	if n < 1 || n > MaxLater {
		return 0, fmt.Sprintf(`"later" can put a check-back off by 1 to %d business days, not %d, so nothing was recorded: e.g. "later 5d"`, MaxLater, n)
	}
	return n, ""
}
