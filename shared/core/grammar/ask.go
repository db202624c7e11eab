package grammar

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// An agent asks for feedback by mailing the ask address. The rules:
//
//   - The ticket is a number after "#" ("#5158") or after the word
//     "ticket" ("ticket 5158"), in the subject or the text; every one is
//     a candidate, the subject's first, and the caller takes the first its
//     team knows.
//   - Teammates are named with "@": a first name, the start of an address
//     or a whole address ("@priya", "@ana.silva"). The agent's manager is
//     asked anyway.
//   - The question is what the agent wrote, less a leading "ask" and the
//     ticket numbers and names it starts with; when the text says nothing
//     more, the subject is the question.
//
// A reply to the request is the answer, in the answerer's own words. A
// manager's counts as coaching unless it starts with "praise".

// Ask is what a mail to the ask address asks.
type Ask struct {
	Tickets  []string // candidate ticket numbers, the subject's first, each once
	Mentions []string // the names after "@", lower-cased, each once
	Question string   // the agent's words
}

const (
	whyAskNoTicket       = `I could not find a ticket number: put it in the subject or the text with a "#", e.g. "#5158", and send your question again`
	whyAskReplyNoKeyword = `your reply did not start with "ask", so nothing was sent: to ask for feedback on this ticket, reply again starting with "ask" and your question, e.g. "ask was I clear enough about the refund rules?" (name teammates with @ to ask them too)`
	whyAskNoQuestion     = `there was no question, only a ticket number: write what you would like feedback on, e.g. "#5158 how could I have explained the refund rules better?"`
)

// ParseAsk reads the subject and the text (already stripped of quoted
// history and signature) of a mail to the ask address.
func ParseAsk(subject, text string) (Ask, []Problem) {
	var a Ask
	var problems []Problem
	subject = clean(subject)
	for _, s := range []string{subject, text} {
		fields := strings.Fields(s)
		for i, f := range fields {
			if n, ok := ticketNumber(fields, i); ok && !contains(a.Tickets, n) {
				a.Tickets = append(a.Tickets, n)
			}
			if m, ok := mention(f); ok && !contains(a.Mentions, m) {
				a.Mentions = append(a.Mentions, m)
			}
		}
	}
	var lines []string
	for _, l := range splitLines(text) {
		lines = append(lines, clean(l))
	}
	text = strings.TrimSpace(strings.Join(lines, "\n"))
	a.Question = lead(text, true)
	// A reply to one of carecoach's emails about a ticket (a reminder) is
	// a request only when it starts with "ask": "thanks, on it" must not
	// reach anyone. Its subject is carecoach's, never the question.
	reply := stripReply(subject) != subject
	if reply && !startsWithAsk(text) {
		return a, []Problem{{Line: 1, Why: whyAskReplyNoKeyword}}
	}
	if a.Question == "" && !reply {
		if q := lead(stripReply(subject), true); strings.IndexFunc(q, unicode.IsLetter) >= 0 {
			a.Question = q
		}
	}
	switch {
	case len(a.Tickets) == 0:
		problems = append(problems, Problem{Line: 1, Why: whyAskNoTicket})
	case a.Question == "":
		problems = append(problems, Problem{Line: 1, Why: whyAskNoQuestion})
	}
	if n := utf8.RuneCountInString(a.Question); n > MaxWords {
		problems = append(problems, Problem{Line: 1, Why: fmt.Sprintf(
			"your question is %s characters long, more than the %s carecoach passes on, so nothing was sent: ask again more briefly", thousands(n), thousands(MaxWords))})
	}
	return a, problems
}

// lead cuts what a question starts with and is not part of it: a leading
// "ask" (when first), ticket numbers and @names.
func lead(s string, first bool) string {
	for {
		s = strings.TrimLeft(s, " \n:,-")
		end := strings.IndexAny(s, " \n")
		if end < 0 {
			end = len(s)
		}
		word := s[:end]
		if word == "" {
			return ""
		}
		fields := strings.Fields(s)
		_, isTicket := ticketNumber(fields, 0)
		_, isMention := mention(word)
		switch {
		case first && strings.EqualFold(strings.TrimRight(word, ":,"), "ask"), isMention, isTicket && strings.HasPrefix(word, "#"):
			s = s[end:]
		case isTicket: // "ticket 5158"
			s = strings.TrimLeft(s[end:], " \n")
			s = s[min(len(s), len(fields[1])):]
		default:
			return s
		}
		first = false
	}
}

// replyPrefixes are what mail clients put before a reply's subject, in
// the languages carecoach reads replies in and a few more (Outlook's
// localized "AW:", "Antw:", "RIF:", "R:", "VS:", "Odp:", "Res:",
// Chinese clients' "回复:"/"答复:").
var replyPrefixes = []string{"re", "aw", "sv", "vs", "antw", "antwort", "rif", "r", "res", "odp", "ynt", "回复", "答复", "回覆"}

// stripReply cuts "Re:", "RE[2]:", "AW:" and the like from a subject.
func stripReply(s string) string {
	for {
		t := strings.TrimSpace(s)
		colon := strings.IndexAny(t, ":：")
		if colon <= 0 {
			return t
		}
		word := t[:colon]
		if i := strings.IndexAny(word, "[("); i > 0 && strings.HasSuffix(word, "]") || i > 0 && strings.HasSuffix(word, ")") { // "Re[2]", "Re(2)"
			word = word[:i]
		}
		if !slices.ContainsFunc(replyPrefixes, func(p string) bool { return strings.EqualFold(p, word) }) {
			return t
		}
		_, size := utf8.DecodeRuneInString(t[colon:])
		s = t[colon+size:]
	}
}

// startsWithAsk says whether text's first word is "ask" (or "ask:").
func startsWithAsk(text string) bool {
	f := strings.Fields(text)
	return len(f) > 0 && strings.EqualFold(strings.TrimRight(f[0], ":,.!-"), "ask")
}

// ticketNumber reads fields[i] as a ticket number: "#5158", or "5158"
// after the word "ticket" (then fields[i] is that word).
func ticketNumber(fields []string, i int) (string, bool) {
	f := strings.Trim(fields[i], ",.:;!?()[]\"'")
	if n, ok := strings.CutPrefix(f, "#"); ok && digits(n) {
		return n, true
	}
	if strings.EqualFold(f, "ticket") && i+1 < len(fields) {
		if n := strings.TrimPrefix(strings.Trim(fields[i+1], ",.:;!?()[]\"'"), "#"); digits(n) {
			return n, true
		}
	}
	return "", false
}

// mention reads "@priya," as "priya".
func mention(f string) (string, bool) {
	n, ok := strings.CutPrefix(strings.TrimRight(f, ",.:;!?)"), "@")
	if !ok || n == "" || strings.HasPrefix(n, "@") {
		return "", false
	}
	return strings.ToLower(n), true
}

func digits(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// Answer is a reply to a request for feedback.
type Answer struct {
	Words  string // as written, for the agent
	Praise bool   // it started with "praise"
}

// AskHelp is the grammar of an answer, for the request's footer: a
// manager's answer may be praise, a teammate's is thanks or advice.
func AskHelp(peer bool) string {
	if peer {
		return strings.Join([]string{
			"Reply with your feedback in your own words, on as many lines as you like, e.g.",
			"  Your first answer was spot on; I would have offered the callback sooner.",
			"It goes to your teammate as you write it, and counts as feedback from a teammate.",
		}, "\n")
	}
	return strings.Join([]string{
		"Reply with your feedback in your own words, on as many lines as you like, e.g.",
		"  Next time, offer the callback in your first answer: it saves a day.",
		`It goes to the agent as you write it, and counts as coaching; start with "praise"`,
		"to make it praise:",
		"  praise: That was exactly right, thank you for asking!",
	}, "\n")
}

// ParseAnswer reads a reply (already stripped of quoted text and
// signature) to a request for feedback.
func ParseAnswer(reply string) (Answer, []Problem) {
	var lines []string
	for _, l := range splitLines(reply) {
		lines = append(lines, clean(l))
	}
	text := strings.TrimSpace(strings.Join(lines, "\n"))
	var a Answer
	if len(text) >= 6 && strings.EqualFold(text[:6], "praise") && (len(text) == 6 || strings.ContainsRune(" \n:,!-", rune(text[6]))) {
		a.Praise, text = true, strings.TrimLeft(text[6:], " \n:,!-")
	}
	a.Words = text
	switch n := utf8.RuneCountInString(text); {
	case n == 0:
		return Answer{}, []Problem{{Line: 1, Why: "the reply had no words for the agent, so nothing was recorded: write your feedback above the marker line"}}
	case n > MaxWords:
		return Answer{}, []Problem{{Line: 1, Why: fmt.Sprintf(
			"your answer is %s characters long, more than the %s carecoach passes on, so nothing was recorded: reply again more briefly", thousands(n), thousands(MaxWords))}}
	}
	return a, nil
}
