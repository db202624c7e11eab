package grammar

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A reply to an upward feedback question is a score from 1 (not at all)
// to 5 (fully) first, then any words: "4", "4/5", "4 out of 5", "Score:
// 4", "4 - thanks for the help with the refunds". Greetings at the top
// are ignored. No score, a score out of range, or words over MaxWords
// are a Problem saying exactly what was not understood, and nothing is
// recorded.

// UpwardReply is an answer about a manager's support.
type UpwardReply struct {
	Score int    // 1 to 5; 0 when the reply is not understood
	Words string // "" if none
}

// UpwardHelp is the grammar of an answer, for the question's footer.
func UpwardHelp() string {
	return strings.Join([]string{
		"Reply with a score from 1 (not at all) to 5 (fully), and any words you like after it:",
		"  4 - thanks for sitting with me on the refund queue",
		"Your first answer counts; a second one changes nothing.",
	}, "\n")
}

// UpwardThanksHelp is the footer of the results: what a reply does.
func UpwardThanksHelp() string {
	return "Reply with a few words to thank your team: they go to everyone who was asked about you this month, once."
}

const (
	upwardHow        = `start your reply with a number from 1 (not at all) to 5 (fully), then any words you like, e.g. "4 - thanks for the help this month"`
	whyUpwardNoScore = "I could not find a score, so nothing was recorded: " + upwardHow
	whyUpwardEmpty   = "the reply was empty, so nothing was recorded: " + upwardHow
)

// ParseUpward reads a reply (already stripped of quoted text and
// signature) to an upward feedback question.
func ParseUpward(reply string) (UpwardReply, []Problem) {
	lines, first := opening(reply)
	if first < 0 {
		return UpwardReply{}, []Problem{{Line: 1, Why: whyUpwardEmpty}}
	}
	head, rest := lines[first], strings.TrimSpace(strings.Join(lines[first+1:], "\n"))
	problem := func(why string) (UpwardReply, []Problem) {
		return UpwardReply{}, []Problem{{Line: first + 1, Text: truncate(head, maxText), Why: why}}
	}
	s := head
	if low := asciiLower(s); wordAt(low, 0, "score") {
		s = strings.TrimLeft(s[len("score"):], " :=")
	}
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return problem(whyUpwardNoScore)
	}
	n, err := strconv.Atoi(s[:i])
	if err != nil || i > 3 {
		return problem(fmt.Sprintf("%s is not a score from 1 to 5, so nothing was recorded: start your reply with 1, 2, 3, 4 or 5", quote(s[:i])))
	}
	after := s[i:]
	if len(after) > 1 && (after[0] == '.' || after[0] == ',') && '0' <= after[1] && after[1] <= '9' {
		return problem(fmt.Sprintf("%s is not a whole number, so nothing was recorded: start your reply with 1, 2, 3, 4 or 5", quote(strings.Fields(s)[0])))
	}
	if out, denom, ok := outOf(after); ok {
		if denom != 5 {
			return problem(fmt.Sprintf("scores here are out of 5, not %d, so nothing was recorded: start your reply with a number from 1 (not at all) to 5 (fully)", denom))
		}
		after = out
	}
	if n < 1 || n > 5 {
		return problem(fmt.Sprintf("%d is not a score from 1 to 5, so nothing was recorded: start your reply with 1 (not at all), 2, 3, 4 or 5 (fully)", n))
	}
	if after != "" && !strings.ContainsRune(" -–—:.,;!)/", []rune(after)[0]) {
		return problem(whyUpwardNoScore) // "4th", "2026": not a score
	}
	words := strings.TrimSpace(strings.TrimLeft(after, " -–—:.,;!)"))
	if rest != "" {
		words = strings.TrimSpace(words + "\n" + rest)
	}
	if c := utf8.RuneCountInString(words); c > MaxWords {
		return problem(fmt.Sprintf("your words are %s characters long, more than the %s carecoach keeps, so nothing was recorded: reply again with a shorter answer", thousands(c), thousands(MaxWords)))
	}
	return UpwardReply{Score: n, Words: words}, nil
}

// outOf reads "/5" or " out of 5" at the start of s: the rest, the
// denominator, and whether there was one.
func outOf(s string) (rest string, denom int, ok bool) {
	t := strings.TrimLeft(s, " ")
	switch low := asciiLower(t); {
	case strings.HasPrefix(low, "/"):
		t = strings.TrimLeft(t[1:], " ")
	case strings.HasPrefix(low, "out of "):
		t = strings.TrimLeft(t[len("out of "):], " ")
	default:
		return s, 0, false
	}
	i := 0
	for i < len(t) && '0' <= t[i] && t[i] <= '9' {
		i++
	}
	n, err := strconv.Atoi(t[:i])
	if err != nil {
		return s, 0, false
	}
	return t[i:], n, true
}
