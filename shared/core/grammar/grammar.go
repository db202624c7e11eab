// Package grammar reads a manager's reply to a carecoach prompt: a digest of
// numbered items (praise and coaching moments) or a single-moment alert.
//
// The grammar is forgiving: keywords are case-insensitive, spaces and most
// punctuation are optional, and common variants are accepted. It never guesses
// silently: whatever it cannot place is reported as a Problem that can be sent
// back to the manager as is.
//
// The rules, line by line (blank lines are ignored):
//
//   - "2: words" gives feedback words on item 2. The number may also be
//     written "2.", "2)", "2 -", "(2)", "#2 words", "item 2: words", and a
//     line may name several items at once: "1, 3: well done both", "1-3: ...".
//   - A line that is not a command continues the item above it, so feedback
//     may span several lines. Lines about the same item are merged, their
//     words joined by newlines.
//   - "share" shares the item with the whole team. It is the keyword only as
//     the last word of a line ("2: Great save! share"), as the first word
//     followed by punctuation ("2: share - great save"), alone on a line, or
//     as "share 2" / "share: 2" / "share 2, 3". Anywhere else it is an
//     ordinary word ("please share your notes with Priya"), and so it is
//     after "to" ("thanks for being willing to share").
//   - "reward: what" attaches a reward to the item of its line; the words
//     before it stay feedback ("2: Thanks! reward: a day off"). "reward 2:
//     lunch" names the item itself.
//   - "skip 3" (also "skip #3", "skip 3, 4", "skip 3 and 5", "skip 3-5",
//     "dismiss 3", "3: skip") dismisses items. Only item numbers may follow.
//     An item both skipped and given feedback keeps the feedback, and the skip
//     is reported.
//   - A number and a word with nothing between them ("2 good save") may be an
//     item or the start of a sentence ("2 customers wrote back"): when the
//     number is an item's, the line is reported, not guessed.
//   - In a multi-item reply a short greeting ("Hi carecoach,", "Thanks!")
//     or sign-off is ignored where no item is being written about: at the
//     top, or after a skip.
//   - In a single-moment alert every line is feedback on item 1; numbers are
//     not needed ("1:" is accepted and removed unless the reply is a numbered
//     list), greetings such as "Hi carecoach," at the top are ignored, and
//     "share", "reward:" and a bare "skip" work as above.
//
// HTML and other markup in the words are kept verbatim (escaping is the
// emails' job); control characters are removed, invalid UTF-8 is replaced.
package grammar

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"
)

// Prompt describes what the reply answers.
type Prompt struct {
	Items  int  // number of numbered items in the prompt (1..Items are valid)
	Single bool // a single-moment alert: free text is feedback on item 1
}

// Command is what the reply asks for one item.
type Command struct {
	Item   int    // 1-based item number
	Words  string // the feedback words, trimmed; "" if none
	Share  bool   // share with the team
	Reward string // the reward attached, "" if none
	Skip   bool   // dismiss the item
}

// Problem is a line of the reply that could not be applied, or only in part.
type Problem struct {
	Line int    // 1-based line in the reply
	Text string // the line as written (trimmed, at most 120 chars)
	Why  string // a clear, specific, friendly explanation
}

// Limits on one reply. Over them, nothing is truncated: what is over is
// not recorded, and a Problem says so.
const (
	// MaxWords is the most characters of words one item takes (about 300
	// words): a longer note is a conversation to have, not a feedback line.
	MaxWords = 2000
	// MaxReward is the most characters of one item's rewards.
	MaxReward = 200
	// MaxCommands is the most lines naming items (numbers, share, skip,
	// reward) one reply may have. A digest has at most 15 items.
	MaxCommands = 50
	// MaxProblems is the most problems reported one by one; the rest are
	// counted in one more.
	MaxProblems = 20
)

// Block is a run of lines the manager wrote together. When a reply answers
// between quoted items, Item is the item quoted right above the block (see
// QuotedItem): its lines are about that item until a line names another.
type Block struct {
	Text string
	Item int // 0: none
}

// Parse reads a reply (already stripped of quoted text and signature) as
// one block.
//
// Commands are returned ordered by item, one per item; problems are ordered by
// line. Every Command names an item in 1..p.Items, and a Single prompt's
// commands are about item 1 only (a prompt with no items gets one Problem).
// Parse never panics, and every Command it returns does something: it has
// words, a share, a reward, or is a skip (never combined with the rest).
// No Command has more than MaxWords characters of words or MaxReward of
// rewards, and a reply with more than MaxCommands command lines gives no
// Command at all; each of these is reported as a Problem.
func Parse(reply string, p Prompt) (cmds []Command, problems []Problem) {
	return ParseBlocks([]Block{{Text: reply}}, p)
}

// ParseBlocks reads a reply written in blocks, such as answers between
// quoted items. Lines are numbered as in the blocks' texts joined by a
// blank line. A block starts afresh: a line without a number continues the
// block's Item, if it has one, never an item named in an earlier block.
func ParseBlocks(blocks []Block, p Prompt) (cmds []Command, problems []Problem) {
	ps := &parser{single: p.Single, items: p.Items, accs: map[int]*acc{}, starts: map[int]int{}}
	if ps.single {
		ps.items = 1
		ps.current = []int{1}
	}
	var raw []string
	for i, b := range blocks {
		if i > 0 {
			raw = append(raw, "")
		}
		if i > 0 || b.Item != 0 {
			ps.starts[len(raw)] = b.Item
		}
		raw = append(raw, splitLines(b.Text)...)
	}
	if len(raw) == 0 {
		raw = []string{""}
	}
	ps.lines = make([]string, len(raw))
	first := 0 // the first line that is not blank
	for i, l := range raw {
		ps.lines[i] = clean(l)
		if first == 0 && ps.lines[i] != "" {
			first = i + 1
		}
	}
	switch {
	case p.Items < 1:
		return nil, []Problem{{Line: max(first, 1), Text: truncate(ps.lines[max(first, 1)-1], maxText), Why: whyNothingToAnswer}}
	case first == 0:
		return nil, []Problem{{Line: 1, Why: ps.whyEmpty()}}
	}
	if ps.single {
		ps.numberedList = isNumberedList(ps.lines)
	}
	for i, l := range ps.lines {
		if item, ok := ps.starts[i]; ok {
			ps.startBlock(item)
		}
		ps.line(i+1, l)
	}
	if ps.commandLines > MaxCommands {
		return nil, []Problem{{Line: ps.overLine, Text: truncate(ps.lines[ps.overLine-1], maxText), Why: whyTooManyCommands(ps.commandLines)}}
	}
	cmds = ps.commands()
	if len(cmds) == 0 && len(ps.problems) == 0 && ps.firstIgnored > 0 {
		ps.problem(ps.firstIgnored, ps.whyOnlyGreeting())
	}
	slices.SortStableFunc(ps.problems, func(a, b Problem) int { return cmp.Compare(a.Line, b.Line) })
	if n := len(ps.problems); n > MaxProblems {
		ps.problems = append(ps.problems[:MaxProblems-1], Problem{Why: whyMoreProblems(n - MaxProblems + 1)})
	}
	return cmds, ps.problems
}

// startBlock begins a block of lines: the item quoted above it, if any, is
// what its lines are about; nothing from earlier blocks carries over.
func (ps *parser) startBlock(item int) {
	if ps.single {
		return
	}
	ps.current, ps.discard, ps.signedOff = nil, false, false
	if 1 <= item && item <= ps.items {
		ps.current = []int{item}
	}
}

// splitLines splits on "\r\n", "\r" and "\n": line numbers in problems count
// lines the same way.
func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Split(s, "\n")
}

// isNumberedList reports whether a single-moment reply numbers anything other
// than item 1: then its numbers are part of the words, not item numbers.
func isNumberedList(lines []string) bool {
	for _, l := range lines {
		if elems, _, ok := readMarker(l); ok {
			for _, e := range elems {
				if e.lo != 1 || e.hi != 1 {
					return true
				}
			}
		}
	}
	return false
}

// acc gathers what the reply says about one item.
type acc struct {
	words        []string
	rewards      []string
	share        bool
	firstLine    int  // the first line naming the item
	feedbackLine int  // the first line giving words, a share or a reward
	skipLine     int  // the first line skipping the item
	troubled     bool // a problem was already reported about it
}

type parser struct {
	single       bool
	items        int
	numberedList bool // single prompt: numbers at line starts are words
	lines        []string
	accs         map[int]*acc
	problems     []Problem
	current      []int       // the items the next continuation line is about
	discard      bool        // the lines above could not be placed: ignore continuations
	seen         bool        // a line other than a greeting was read
	signedOff    bool        // the line above (blank lines aside) was an ignored sign-off
	firstIgnored int         // the first greeting ignored
	starts       map[int]int // line index where a block starts → the item quoted above it
	commandLines int         // lines that name items
	overLine     int         // the first command line over MaxCommands
}

func (ps *parser) line(n int, s string) {
	if s == "" {
		return
	}
	ignore := ps.ignorable(s)
	ps.signedOff = ignore && !isGreeting(s, salutations)
	if ignore {
		if ps.firstIgnored == 0 {
			ps.firstIgnored = n
		}
		return
	}
	ps.seen = true
	if k, ok := readKeyword(s); ok {
		ps.command(n)
		ps.keyword(n, k)
		return
	}
	if !ps.numberedList {
		if elems, rest, ok := readMarker(s); ok {
			ps.command(n)
			ps.marker(n, elems, rest)
			return
		}
	}
	if item, ok := bareNumber(s); ok && !ps.single && 1 <= item && item <= ps.items {
		// "2 good save" or "2 customers wrote back"? Ask rather than guess.
		ps.problem(n, whyBareNumber(item))
		ps.lose()
		return
	}
	ps.continuation(n, s)
}

// ignorable reports whether s is a greeting or sign-off said where it cannot
// be feedback: in a multi-item reply wherever no item is being written about
// (with the name that may be signed under a sign-off), in a
// single-moment reply only "hi"-like greetings at the top.
func (ps *parser) ignorable(s string) bool {
	if ps.single {
		return !ps.seen && isGreeting(s, salutations)
	}
	return len(ps.current) == 0 && (isGreeting(s, courtesies) || ps.signedOff && isName(s))
}

// command counts a line that names items.
func (ps *parser) command(n int) {
	ps.commandLines++
	if ps.commandLines == MaxCommands+1 {
		ps.overLine = n
	}
}

func (ps *parser) keyword(n int, k kwLine) {
	switch {
	case k.trailing != "":
		ps.problem(n, ps.whyTrailing(k))
		ps.lose()
	case k.kind == kwSkip && k.noNumber:
		if ps.single {
			ps.skip(n, 1)
			return
		}
		ps.problem(n, whySkipNoNumber)
		ps.lose()
	case k.kind == kwShare && k.noNumber:
		switch {
		case len(ps.current) > 0:
			ps.apply(n, textParts{share: true}, ps.current)
		case !ps.discard:
			ps.problem(n, whyShareNoNumber)
			ps.lose()
		}
	case k.kind == kwSkip:
		for _, v := range ps.validate(n, k.elems) {
			ps.skip(n, v)
		}
		if !ps.single {
			ps.current, ps.discard = nil, false
		}
	case k.kind == kwShare:
		valid := ps.validate(n, k.elems)
		ps.apply(n, textParts{share: true}, valid)
		if k.rest != "" {
			ps.apply(n, analyze(k.rest), valid)
		}
		ps.focus(valid)
	case k.kind == kwReward:
		valid := ps.validate(n, k.elems)
		ps.apply(n, analyze("reward: "+k.rest), valid)
		ps.focus(valid)
	}
}

func (ps *parser) marker(n int, elems []elem, rest string) {
	valid := ps.validate(n, elems)
	for _, v := range valid {
		ps.acc(v, n)
	}
	ps.focus(valid)
	if rest == "" || len(valid) == 0 {
		return
	}
	if k, ok := readKeyword(rest); ok && len(k.elems) == 0 {
		switch {
		case k.trailing != "":
			ps.problem(n, ps.whyTrailing(k))
			for _, v := range valid {
				ps.acc(v, n).troubled = true
			}
		case k.kind == kwSkip:
			for _, v := range valid {
				ps.skip(n, v)
			}
		default: // a bare share
			ps.apply(n, textParts{share: true}, valid)
		}
		return
	}
	ps.apply(n, analyze(rest), valid)
}

func (ps *parser) continuation(n int, s string) {
	switch {
	case len(ps.current) > 0:
		ps.apply(n, analyze(s), ps.current)
	case ps.discard:
		// more of a line already reported
	default:
		why := whyOrphan
		if analyze(s).hasReward {
			why = whyOrphanReward
		}
		ps.problem(n, why)
		ps.lose()
	}
}

// focus makes the items a line names the subject of the lines that follow.
func (ps *parser) focus(valid []int) {
	if ps.single {
		return
	}
	ps.current, ps.discard = valid, len(valid) == 0
}

// lose forgets the current item after a line that could not be applied, so
// the lines that follow it are not attached to the wrong item.
func (ps *parser) lose() {
	if !ps.single {
		ps.current, ps.discard = nil, true
	}
}

func (ps *parser) apply(n int, t textParts, targets []int) {
	if t.hasReward && t.reward == "" {
		ps.problem(n, ps.whyRewardEmpty())
	}
	for _, v := range targets {
		a := ps.acc(v, n)
		if t.share {
			a.share = true
			a.feedback(n)
		}
		if t.reward != "" {
			if !slices.Contains(a.rewards, t.reward) {
				a.rewards = append(a.rewards, t.reward)
			}
			a.feedback(n)
		}
		if t.hasReward && t.reward == "" {
			a.troubled = true
		}
		if t.words != "" {
			a.words = append(a.words, t.words)
			a.feedback(n)
		}
	}
}

func (ps *parser) skip(n, item int) {
	if a := ps.acc(item, n); a.skipLine == 0 {
		a.skipLine = n
	}
}

func (a *acc) feedback(n int) {
	if a.feedbackLine == 0 {
		a.feedbackLine = n
	}
}

func (ps *parser) acc(item, n int) *acc {
	a := ps.accs[item]
	if a == nil {
		a = &acc{firstLine: n}
		ps.accs[item] = a
	}
	return a
}

// validate returns the items elems name that exist, in order and once each,
// and reports the others.
func (ps *parser) validate(n int, elems []elem) []int {
	var valid []int
	seen := map[int]bool{}
	for _, e := range elems {
		lo, hi := e.lo, e.hi
		switch {
		case lo < 1 || lo > ps.items:
			ps.problem(n, ps.whyNoItem(e.loText))
			continue
		case hi < 1 || hi > ps.items:
			ps.problem(n, ps.whyNoItem(e.hiText))
			continue
		}
		for v := min(lo, hi); v <= max(lo, hi); v++ {
			if !seen[v] {
				seen[v] = true
				valid = append(valid, v)
			}
		}
	}
	return valid
}

func (ps *parser) problem(n int, why string) {
	ps.problems = append(ps.problems, Problem{Line: n, Text: truncate(ps.lines[n-1], maxText), Why: why})
}

func (ps *parser) commands() []Command {
	var cmds []Command
	for _, item := range slices.Sorted(maps.Keys(ps.accs)) {
		a := ps.accs[item]
		c := Command{
			Item:   item,
			Words:  strings.Join(a.words, "\n"),
			Share:  a.share,
			Reward: strings.Join(a.rewards, "; "),
		}
		feedback := c.Words != "" || c.Share || c.Reward != ""
		switch {
		case utf8.RuneCountInString(c.Words) > MaxWords:
			ps.problem(a.feedbackLine, whyTooManyWords(item, utf8.RuneCountInString(c.Words)))
			continue
		case utf8.RuneCountInString(c.Reward) > MaxReward:
			ps.problem(a.feedbackLine, whyRewardTooLong(item, utf8.RuneCountInString(c.Reward)))
			continue
		case a.skipLine > 0 && feedback:
			ps.problem(a.skipLine, whySkipAndFeedback(item, a.feedbackLine))
		case a.skipLine > 0:
			c.Skip = true
		case !feedback:
			if !a.troubled {
				ps.problem(a.firstLine, whyNoWords(item))
			}
			continue
		}
		cmds = append(cmds, c)
	}
	return cmds
}
