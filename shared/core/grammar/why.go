package grammar

import "fmt"

// The explanations sent back to the manager. Each says what went wrong on the
// line and what to write instead.
const (
	whyOrphan          = `I don't know which item this is about: start the line with its number, e.g. "2: thanks!"`
	whyOrphanReward    = `I don't know which item this reward is for: put it on the item's line, e.g. "2: Thanks! reward: lunch on me"`
	whySkipNoNumber    = `"skip" needs the number of the item to dismiss, e.g. "skip 3" or "skip 3, 4"`
	whyNothingToAnswer = "this message has nothing to reply to, so nothing was recorded"
	whyShareNoNumber   = `I don't know which item to share: end the item's line with "share", e.g. "2: Great save! share", or write "share 2"`
)

func (ps *parser) whyEmpty() string {
	if ps.single {
		return `the reply was empty, so nothing was recorded: write your words for the agent, e.g. "Great catch, thank you!"`
	}
	return `the reply was empty, so nothing was recorded: start a line with the item's number, e.g. "2: thanks!"`
}

func (ps *parser) whyOnlyGreeting() string {
	if ps.single {
		return `I found only a greeting, so nothing was recorded: write your words for the agent, e.g. "Great catch, thank you!"`
	}
	return `I found only a greeting, so nothing was recorded: start a line with the item's number, e.g. "2: thanks!"`
}

func (ps *parser) whyRewardEmpty() string {
	if ps.single {
		return `"reward:" needs what you are giving, e.g. "reward: lunch on me"`
	}
	return `"reward:" needs what you are giving, e.g. "2: reward: lunch on me"`
}

func (ps *parser) whyNoItem(num string) string {
	switch {
	case ps.single:
		return fmt.Sprintf("there is no item %s in this alert: it is about one moment, so no number is needed", num)
	case ps.items == 1:
		return fmt.Sprintf("there is no item %s in this digest (it has only item 1)", num)
	}
	return fmt.Sprintf("there is no item %s in this digest (items are 1 to %d)", num, ps.items)
}

func (ps *parser) whyTrailing(k kwLine) string {
	switch {
	case k.kind == kwShare && ps.single:
		return fmt.Sprintf(`I did not understand %s after %s, so nothing was shared: write just "share"`, quote(k.trailing), quote(k.head))
	case k.kind == kwShare:
		return fmt.Sprintf(`I did not understand %s after %s, so nothing on this line was shared: write only item numbers after "share", e.g. "share 2", or put your words after a colon, e.g. "share 2: great save!"`, quote(k.trailing), quote(k.head))
	case ps.single:
		return fmt.Sprintf(`I did not understand %s after %s, so nothing was skipped: write just "skip"`, quote(k.trailing), quote(k.head))
	}
	return fmt.Sprintf(`I did not understand %s after %s, so nothing on this line was skipped: write only item numbers after "skip", e.g. "skip 3, 4"`, quote(k.trailing), quote(k.head))
}

func whySkipAndFeedback(item, line int) string {
	return fmt.Sprintf("item %d also has feedback on line %d, so I kept the feedback and did not skip it", item, line)
}

func whyNoWords(item int) string {
	return fmt.Sprintf(`item %d has no words: write them after its number, e.g. "%d: thanks!"`, item, item)
}

func whyBareNumber(item int) string {
	return fmt.Sprintf(`I can't tell whether this line is about item %d: put a colon after the number, e.g. "%d: thanks!", or start the line with a word`, item, item)
}

func whyTooManyWords(item, n int) string {
	return fmt.Sprintf("your words for item %d are %s characters long, more than the %s carecoach passes on, so nothing was recorded for item %d: reply again with a shorter note (the agent will thank you for it)", item, thousands(n), thousands(MaxWords), item)
}

func whyRewardTooLong(item, n int) string {
	return fmt.Sprintf("the reward for item %d is %s characters long, more than the %d carecoach records, so nothing was recorded for item %d: name the reward in a few words, e.g. \"%d: reward: lunch on me\"", item, thousands(n), MaxReward, item, item)
}

func whyTooManyCommands(n int) string {
	return fmt.Sprintf("this reply names items on %s lines, more than the %d carecoach reads from one reply, so nothing in it was recorded: reply again with one line per item", thousands(n), MaxCommands)
}

func whyMoreProblems(n int) string {
	return fmt.Sprintf("… and %s more lines carecoach could not read", thousands(n))
}

// thousands writes n with a comma between thousands: 10,412.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
