package grammar_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/carecoach/carecoach/shared/core/grammar"
)

var (
	digest = grammar.Prompt{Items: 5}
	alert  = grammar.Prompt{Items: 1, Single: true}
)

// parseCase is a reply and everything Parse should make of it.
type parseCase struct {
	name     string
	prompt   grammar.Prompt
	reply    string
	want     []grammar.Command
	problems []grammar.Problem
}

func runParse(t *testing.T, cases []parseCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cmds, problems := grammar.Parse(tc.reply, tc.prompt)
			if !reflect.DeepEqual(cmds, tc.want) {
				t.Errorf("Parse(%q) commands:\n got %s\nwant %s", tc.reply, show(cmds), show(tc.want))
			}
			if !reflect.DeepEqual(problems, tc.problems) {
				t.Errorf("Parse(%q) problems:\n got %s\nwant %s", tc.reply, show(problems), show(tc.problems))
			}
		})
	}
}

func show[T any](xs []T) string {
	if len(xs) == 0 {
		return "none"
	}
	var b strings.Builder
	for _, x := range xs {
		fmt.Fprintf(&b, "\n\t%+v", x)
	}
	return b.String()
}

// words is a Command with feedback words only.
func words(item int, w string) grammar.Command { return grammar.Command{Item: item, Words: w} }

func skip(item int) grammar.Command { return grammar.Command{Item: item, Skip: true} }

func cmds(cs ...grammar.Command) []grammar.Command { return cs }

func problem(line int, text, why string) []grammar.Problem {
	return []grammar.Problem{{Line: line, Text: text, Why: why}}
}

// The explanations, exactly as the manager reads them.
const (
	whyOrphan        = `I don't know which item this is about: start the line with its number, e.g. "2: thanks!"`
	whyOrphanReward  = `I don't know which item this reward is for: put it on the item's line, e.g. "2: Thanks! reward: lunch on me"`
	whySkipNoNumber  = `"skip" needs the number of the item to dismiss, e.g. "skip 3" or "skip 3, 4"`
	whyShareNoNumber = `I don't know which item to share: end the item's line with "share", e.g. "2: Great save! share", or write "share 2"`
	whyRewardEmpty   = `"reward:" needs what you are giving, e.g. "2: reward: lunch on me"`
	whyEmpty         = `the reply was empty, so nothing was recorded: start a line with the item's number, e.g. "2: thanks!"`
	whyOnlyGreeting  = `I found only a greeting, so nothing was recorded: start a line with the item's number, e.g. "2: thanks!"`
)

func TestParseItemNumbers(t *testing.T) {
	runParse(t, []parseCase{
		{name: "a number and a colon start feedback on that item", prompt: digest,
			reply: "1: Great job on the refund", want: cmds(words(1, "Great job on the refund"))},
		{name: "a number and a dot start feedback", prompt: digest,
			reply: "1. Great job", want: cmds(words(1, "Great job"))},
		{name: "a number and a parenthesis start feedback", prompt: digest,
			reply: "1) Great job", want: cmds(words(1, "Great job"))},
		{name: "a number in parentheses starts feedback", prompt: digest,
			reply: "(1) Great job", want: cmds(words(1, "Great job"))},
		{name: "a hash and a number start feedback without a separator", prompt: digest,
			reply: "#1 Great job", want: cmds(words(1, "Great job"))},
		{name: "the word item and a number start feedback", prompt: digest,
			reply: "item 1: Great job", want: cmds(words(1, "Great job"))},
		{name: "the word item is case-insensitive and may take a hash", prompt: digest,
			reply: "Item #4 - Great job", want: cmds(words(4, "Great job"))},
		{name: "a number and a dash start feedback", prompt: digest,
			reply: "1 - Great job", want: cmds(words(1, "Great job"))},
		{name: "a number and an em dash start feedback", prompt: digest,
			reply: "1 — Great job", want: cmds(words(1, "Great job"))},
		{name: "extra spaces around the number are fine", prompt: digest,
			reply: "   2   :    Great job   ", want: cmds(words(2, "Great job"))},
		{name: "a separator with no space after it is fine", prompt: digest,
			reply: "2:Great job", want: cmds(words(2, "Great job"))},
		{name: "doubled separators are dropped", prompt: digest,
			reply: "2.) Great job\n3: - Well done", want: cmds(words(2, "Great job"), words(3, "Well done"))},
		{name: "a bullet before the number is fine", prompt: digest,
			reply: "- 2: Great job\n* 3: Well done", want: cmds(words(2, "Great job"), words(3, "Well done"))},
		{name: "leading zeros are fine", prompt: digest,
			reply: "02: Great job", want: cmds(words(2, "Great job"))},
		{name: "one line can give the same words to several items", prompt: digest,
			reply: "1, 3 and 5: Well done, all three of you",
			want:  cmds(words(1, "Well done, all three of you"), words(3, "Well done, all three of you"), words(5, "Well done, all three of you"))},
		{name: "a range of items gets the same words", prompt: digest,
			reply: "2-3: Great teamwork on the outage",
			want:  cmds(words(2, "Great teamwork on the outage"), words(3, "Great teamwork on the outage"))},
		{name: "a dash with spaces after a number starts the words, not a range", prompt: digest,
			reply: "1 - 3 tickets were late, let's talk", want: cmds(words(1, "3 tickets were late, let's talk"))},
		{name: "a number alone on a line starts the item below it", prompt: digest,
			reply: "3\nYou kept your promise to call back.", want: cmds(words(3, "You kept your promise to call back."))},
		{name: "a time at the start of a line is not an item number", prompt: digest,
			reply: "1: Let's meet tomorrow\n10:30 works for me", want: cmds(words(1, "Let's meet tomorrow\n10:30 works for me"))},
		{name: "a decimal at the start of a line is not an item number", prompt: digest,
			reply: "1: Well done\n1.5 hours is our fastest yet", want: cmds(words(1, "Well done\n1.5 hours is our fastest yet"))},
		{name: "a number that cannot be an item followed by a word is just words", prompt: digest,
			reply: "1: Well done\n12 customers wrote back to thank you", want: cmds(words(1, "Well done\n12 customers wrote back to thank you"))},
		{name: "a number that could be an item followed by a word is a question, not a guess", prompt: digest,
			reply: "1: Well done\n3 customers wrote back to thank you\nand one called",
			want:  cmds(words(1, "Well done")),
			problems: problem(2, "3 customers wrote back to thank you",
				`I can't tell whether this line is about item 3: put a colon after the number, e.g. "3: thanks!", or start the line with a word`)},
		{name: "in an alert a number followed by a word is just words", prompt: alert,
			reply: "3 customers wrote back to thank you", want: cmds(words(1, "3 customers wrote back to thank you"))},
		{name: "an ordinal is not an item number", prompt: digest,
			reply: "1: Well done\n2nd time this week!", want: cmds(words(1, "Well done\n2nd time this week!"))},
	})
}

func TestParseShare(t *testing.T) {
	runParse(t, []parseCase{
		{name: "share as the last word shares the item and is removed from the words", prompt: digest,
			reply: "1: Great job! share",
			want:  cmds(grammar.Command{Item: 1, Words: "Great job!", Share: true})},
		{name: "share as the last word may be capitalised and punctuated", prompt: digest,
			reply: "1: Great job, Share!",
			want:  cmds(grammar.Command{Item: 1, Words: "Great job", Share: true})},
		{name: "share as a hashtag at the end shares the item", prompt: digest,
			reply: "1: Great job #share",
			want:  cmds(grammar.Command{Item: 1, Words: "Great job", Share: true})},
		{name: "share first followed by punctuation shares the item", prompt: digest,
			reply: "1: share - great job",
			want:  cmds(grammar.Command{Item: 1, Words: "great job", Share: true})},
		{name: "share first followed by a colon shares the item", prompt: digest,
			reply: "1: Share: great job",
			want:  cmds(grammar.Command{Item: 1, Words: "great job", Share: true})},
		{name: "share alone after the number shares the item without words", prompt: digest,
			reply: "4: share",
			want:  cmds(grammar.Command{Item: 4, Share: true})},
		{name: "share and a number on their own line share that item", prompt: digest,
			reply: "share 2",
			want:  cmds(grammar.Command{Item: 2, Share: true})},
		{name: "share, a colon and a number share that item", prompt: digest,
			reply: "Share: #2",
			want:  cmds(grammar.Command{Item: 2, Share: true})},
		{name: "share can name several items", prompt: digest,
			reply: "share 1, 2 and 4",
			want:  cmds(grammar.Command{Item: 1, Share: true}, grammar.Command{Item: 2, Share: true}, grammar.Command{Item: 4, Share: true})},
		{name: "share a number with the team says nothing more", prompt: digest,
			reply: "Share 3 with the whole team, please!",
			want:  cmds(grammar.Command{Item: 3, Share: true})},
		{name: "share a number then words after a colon gives words too", prompt: digest,
			reply: "share 2: This is what great service looks like.",
			want:  cmds(grammar.Command{Item: 2, Words: "This is what great service looks like.", Share: true})},
		{name: "share alone on a line shares the item above", prompt: digest,
			reply: "2: You turned a furious customer into a fan.\nshare",
			want:  cmds(grammar.Command{Item: 2, Words: "You turned a furious customer into a fan.", Share: true})},
		{name: "share this with the team on a line shares the item above", prompt: digest,
			reply: "2: You turned a furious customer into a fan.\nShare this with the team!",
			want:  cmds(grammar.Command{Item: 2, Words: "You turned a furious customer into a fan.", Share: true})},
		{name: "share at the end of a continuation line shares the item", prompt: digest,
			reply: "2: You turned a furious customer into a fan.\nEveryone should hear this. share",
			want:  cmds(grammar.Command{Item: 2, Words: "You turned a furious customer into a fan.\nEveryone should hear this.", Share: true})},
		{name: "share in the middle of the words is just a word", prompt: digest,
			reply: "1: Please share your notes with Priya",
			want:  cmds(words(1, "Please share your notes with Priya"))},
		{name: "share followed by a word at the start is just a word", prompt: digest,
			reply: "1: Share your checklist at stand-up",
			want:  cmds(words(1, "Share your checklist at stand-up"))},
		{name: "share after to is the verb, not the keyword", prompt: digest,
			reply: "1: Thank you for being so willing to share.",
			want:  cmds(words(1, "Thank you for being so willing to share."))},
		{name: "share glued to another word is just a word", prompt: digest,
			reply: "1: Please re-share",
			want:  cmds(words(1, "Please re-share"))},
		{name: "shared is not share", prompt: digest,
			reply: "1: You shared the fix with the customer",
			want:  cmds(words(1, "You shared the fix with the customer"))},
		{name: "a continuation line starting with share and a word stays words", prompt: digest,
			reply: "1: Good catch.\nShare your notes with Priya next time.",
			want:  cmds(words(1, "Good catch.\nShare your notes with Priya next time."))},
	})
}

func TestParseReward(t *testing.T) {
	runParse(t, []parseCase{
		{name: "reward after the number attaches a reward without words", prompt: digest,
			reply: "2: reward: lunch on me",
			want:  cmds(grammar.Command{Item: 2, Reward: "lunch on me"})},
		{name: "the words before reward stay feedback", prompt: digest,
			reply: "2: Thanks! reward: a day off",
			want:  cmds(grammar.Command{Item: 2, Words: "Thanks!", Reward: "a day off"})},
		{name: "reward is case-insensitive and may have a space before the colon", prompt: digest,
			reply: "2: Thanks, REWARD : a day off",
			want:  cmds(grammar.Command{Item: 2, Words: "Thanks", Reward: "a day off"})},
		{name: "reward and share on one line both count", prompt: digest,
			reply: "2: Thanks! reward: a day off share",
			want:  cmds(grammar.Command{Item: 2, Words: "Thanks!", Share: true, Reward: "a day off"})},
		{name: "share after the reward shares and is not part of the reward", prompt: digest,
			reply: "2: reward: a day off, share",
			want:  cmds(grammar.Command{Item: 2, Share: true, Reward: "a day off"})},
		{name: "share before reward still shares", prompt: digest,
			reply: "2: Thanks! share reward: a day off",
			want:  cmds(grammar.Command{Item: 2, Words: "Thanks!", Share: true, Reward: "a day off"})},
		{name: "reward on a line of its own goes to the item above", prompt: digest,
			reply: "3: You kept every promise this week.\nreward: team lunch",
			want:  cmds(grammar.Command{Item: 3, Words: "You kept every promise this week.", Reward: "team lunch"})},
		{name: "reward and a number name the item", prompt: digest,
			reply: "reward 3: a coffee",
			want:  cmds(grammar.Command{Item: 3, Reward: "a coffee"})},
		{name: "two rewards for one item are both kept", prompt: digest,
			reply: "3: reward: a coffee\n3: reward: an early Friday",
			want:  cmds(grammar.Command{Item: 3, Reward: "a coffee; an early Friday"})},
		{name: "rewarded is just a word", prompt: digest,
			reply: "3: The customer rewarded you with five stars",
			want:  cmds(words(3, "The customer rewarded you with five stars"))},
		{name: "reward without a colon is just a word", prompt: digest,
			reply: "3: Your reward is a happy customer",
			want:  cmds(words(3, "Your reward is a happy customer"))},
	})
}

func TestParseSkip(t *testing.T) {
	runParse(t, []parseCase{
		{name: "skip and a number dismiss the item", prompt: digest,
			reply: "skip 3", want: cmds(skip(3))},
		{name: "skip and a hash number dismiss the item", prompt: digest,
			reply: "Skip #3", want: cmds(skip(3))},
		{name: "skip a list separated by commas dismisses each", prompt: digest,
			reply: "skip 3, 4", want: cmds(skip(3), skip(4))},
		{name: "skip a list joined by and dismisses each", prompt: digest,
			reply: "skip 3 and 5", want: cmds(skip(3), skip(5))},
		{name: "skip a range dismisses each item in it", prompt: digest,
			reply: "skip 2-4", want: cmds(skip(2), skip(3), skip(4))},
		{name: "skip items with a colon dismisses each", prompt: digest,
			reply: "SKIP: items 1 & 2.", want: cmds(skip(1), skip(2))},
		{name: "dismiss is the same as skip", prompt: digest,
			reply: "dismiss 3", want: cmds(skip(3))},
		{name: "skip after the number dismisses the item", prompt: digest,
			reply: "3: skip", want: cmds(skip(3))},
		{name: "skip for now dismisses the item", prompt: digest,
			reply: "skip 5 for now, thanks", want: cmds(skip(5))},
		{name: "skipping the same item twice is one skip", prompt: digest,
			reply: "skip 3\n3: skip", want: cmds(skip(3))},
		{name: "skip followed by other words is just words", prompt: digest,
			reply: "1: Good call.\nSkip the small talk when the customer is upset.",
			want:  cmds(words(1, "Good call.\nSkip the small talk when the customer is upset."))},
		{name: "skip this followed by a noun is just words", prompt: digest,
			reply: "1: Good call.\nSkip this step when the ticket is a duplicate.",
			want:  cmds(words(1, "Good call.\nSkip this step when the ticket is a duplicate."))},
	})
}

func TestParseContinuationMergingAndOrder(t *testing.T) {
	runParse(t, []parseCase{
		{name: "lines without a number continue the item above", prompt: digest,
			reply: "2: You answered within 12 minutes.\nMaria wrote back to thank us.\nKeep it up!",
			want:  cmds(words(2, "You answered within 12 minutes.\nMaria wrote back to thank us.\nKeep it up!"))},
		{name: "blank lines inside feedback are dropped", prompt: digest,
			reply: "2: First paragraph.\n\n\nSecond paragraph.",
			want:  cmds(words(2, "First paragraph.\nSecond paragraph."))},
		{name: "lines about the same item are merged in reply order", prompt: digest,
			reply: "2: Well done.\n1: Thank you.\n2: share\n2: Really well done.",
			want: cmds(words(1, "Thank you."),
				grammar.Command{Item: 2, Words: "Well done.\nReally well done.", Share: true})},
		{name: "commands come back ordered by item", prompt: digest,
			reply: "skip 5\n4: Four\nshare 3\n2: reward: pizza\n1: One",
			want: cmds(words(1, "One"), grammar.Command{Item: 2, Reward: "pizza"},
				grammar.Command{Item: 3, Share: true}, words(4, "Four"), skip(5))},
		{name: "a thanks at the end continues the last item", prompt: digest,
			reply: "1: Great save.\n\nThanks!",
			want:  cmds(words(1, "Great save.\nThanks!"))},
		{name: "a line after share and a number continues that item", prompt: digest,
			reply: "share 2\nThis is how we want every escalation handled.",
			want:  cmds(grammar.Command{Item: 2, Words: "This is how we want every escalation handled.", Share: true})},
		{name: "a line after several items continues all of them", prompt: digest,
			reply: "1, 2: Great teamwork on the outage.\nThank you both.",
			want:  cmds(words(1, "Great teamwork on the outage.\nThank you both."), words(2, "Great teamwork on the outage.\nThank you both."))},
	})
}

func TestParseGreetings(t *testing.T) {
	runParse(t, []parseCase{
		{name: "a greeting at the top is ignored", prompt: digest,
			reply: "Hi carecoach,\n1: Great job", want: cmds(words(1, "Great job"))},
		{name: "greetings are case-insensitive and may name a team", prompt: digest,
			reply: "HELLO support team!\n\n1: Great job", want: cmds(words(1, "Great job"))},
		{name: "dear and a name at the top is ignored", prompt: digest,
			reply: "Dear Carecoach,\n1: Great job", want: cmds(words(1, "Great job"))},
		{name: "thanks at the top is ignored", prompt: digest,
			reply: "Thanks for these!\n1: Great job", want: cmds(words(1, "Great job"))},
		{name: "thank you at the top is ignored", prompt: digest,
			reply: "Thank you.\n1: Great job", want: cmds(words(1, "Great job"))},
		{name: "hey with an emoji at the top is ignored", prompt: digest,
			reply: "Hey 👋\n1: Great job", want: cmds(words(1, "Great job"))},
		{name: "a sign-off and a name after a skip are ignored", prompt: digest,
			reply: "1: Great job\nskip 2\n\nThanks,\nMaria Lopez", want: cmds(words(1, "Great job"), skip(2))},
		{name: "a greeting with a sentence after it is not a greeting", prompt: digest,
			reply:    "Hi carecoach, here are my notes for this week\n1: Great job",
			want:     cmds(words(1, "Great job")),
			problems: problem(1, "Hi carecoach, here are my notes for this week", whyOrphan)},
		{name: "a greeting-like word inside an item's text is kept", prompt: digest,
			reply: "1: Great job\nHi-five from me!", want: cmds(words(1, "Great job\nHi-five from me!"))},
		{name: "a reply that is only a greeting gets an explanation", prompt: digest,
			reply:    "Hi carecoach,\n\nThanks!",
			problems: problem(1, "Hi carecoach,", whyOnlyGreeting)},
	})
}

func TestParseSingleAlert(t *testing.T) {
	runParse(t, []parseCase{
		{name: "free text is feedback on item 1", prompt: alert,
			reply: "That was a tough one. Thanks for calling her back.",
			want:  cmds(words(1, "That was a tough one. Thanks for calling her back."))},
		{name: "every line is feedback on item 1", prompt: alert,
			reply: "That was a tough one.\n\nThanks for calling her back.",
			want:  cmds(words(1, "That was a tough one.\nThanks for calling her back."))},
		{name: "share at the end of a line shares it", prompt: alert,
			reply: "Great recovery, thank you! share",
			want:  cmds(grammar.Command{Item: 1, Words: "Great recovery, thank you!", Share: true})},
		{name: "share alone on a line shares it", prompt: alert,
			reply: "Great recovery, thank you!\nShare",
			want:  cmds(grammar.Command{Item: 1, Words: "Great recovery, thank you!", Share: true})},
		{name: "share one shares it", prompt: alert,
			reply: "share 1", want: cmds(grammar.Command{Item: 1, Share: true})},
		{name: "reward attaches a reward", prompt: alert,
			reply: "Thank you for staying late.\nreward: Friday afternoon off",
			want:  cmds(grammar.Command{Item: 1, Words: "Thank you for staying late.", Reward: "Friday afternoon off"})},
		{name: "skip alone dismisses it", prompt: alert,
			reply: "Skip.", want: cmds(skip(1))},
		{name: "skip this one dismisses it", prompt: alert,
			reply: "skip this one", want: cmds(skip(1))},
		{name: "a leading item number is accepted and removed", prompt: alert,
			reply: "1: Thanks for the quick fix", want: cmds(words(1, "Thanks for the quick fix"))},
		{name: "a numbered list is kept as words", prompt: alert,
			reply: "Let's debrief:\n1. what happened\n2. what we change",
			want:  cmds(words(1, "Let's debrief:\n1. what happened\n2. what we change"))},
		{name: "hi at the top is ignored", prompt: alert,
			reply: "Hi carecoach,\nGood save.", want: cmds(words(1, "Good save."))},
		{name: "thanks with a name is feedback, not a greeting", prompt: alert,
			reply: "Thanks Ana!", want: cmds(words(1, "Thanks Ana!"))},
		{name: "skip with words is a skip and its words", prompt: alert,
			reply: "skip\nWell done anyway",
			want:  cmds(words(1, "Well done anyway")),
			problems: problem(1, "skip",
				"item 1 also has feedback on line 2, so I kept the feedback and did not skip it")},
		{name: "a single prompt is about item 1 even if it counts more items", prompt: grammar.Prompt{Items: 3, Single: true},
			reply: "Good save.\nskip 2", want: cmds(words(1, "Good save.")),
			problems: problem(2, "skip 2", "there is no item 2 in this alert: it is about one moment, so no number is needed")},
	})
}

func TestParseProblems(t *testing.T) {
	runParse(t, []parseCase{
		{name: "an item number above the last item is a problem", prompt: digest,
			reply:    "9: Great job",
			problems: problem(1, "9: Great job", "there is no item 9 in this digest (items are 1 to 5)")},
		{name: "item zero is a problem", prompt: digest,
			reply:    "0: Great job",
			problems: problem(1, "0: Great job", "there is no item 0 in this digest (items are 1 to 5)")},
		{name: "a ticket number where an item number goes is a problem", prompt: digest,
			reply:    "#5158 was a tough one",
			problems: problem(1, "#5158 was a tough one", "there is no item 5158 in this digest (items are 1 to 5)")},
		{name: "a huge number is a problem, not a crash", prompt: digest,
			reply:    "99999999999999999999: hi",
			problems: problem(1, "99999999999999999999: hi", "there is no item 99999999999… in this digest (items are 1 to 5)")},
		{name: "a digest with one item says so", prompt: grammar.Prompt{Items: 1},
			reply:    "2: Great job",
			problems: problem(1, "2: Great job", "there is no item 2 in this digest (it has only item 1)")},
		{name: "a prompt without items has nothing to answer", prompt: grammar.Prompt{},
			reply:    "\n1: Great job",
			problems: problem(2, "1: Great job", "this message has nothing to reply to, so nothing was recorded")},
		{name: "an alert without items has nothing to answer", prompt: grammar.Prompt{Single: true},
			reply:    "",
			problems: problem(1, "", "this message has nothing to reply to, so nothing was recorded")},
		{name: "an alert says no number is needed", prompt: alert,
			reply:    "skip 2",
			problems: problem(1, "skip 2", "there is no item 2 in this alert: it is about one moment, so no number is needed")},
		{name: "the lines after an unknown item are not given to another item", prompt: digest,
			reply: "1: Thanks\n7: Great job\nReally great",
			want:  cmds(words(1, "Thanks")),
			problems: problem(2, "7: Great job",
				"there is no item 7 in this digest (items are 1 to 5)")},
		{name: "only the unknown items of a list are problems", prompt: digest,
			reply:    "skip 4, 6",
			want:     cmds(skip(4)),
			problems: problem(1, "skip 4, 6", "there is no item 6 in this digest (items are 1 to 5)")},
		{name: "a range reaching past the last item is a problem", prompt: digest,
			reply:    "skip 4-8",
			problems: problem(1, "skip 4-8", "there is no item 8 in this digest (items are 1 to 5)")},
		{name: "a line before any item is a problem", prompt: digest,
			reply: "Great week everyone\n1: Thanks",
			want:  cmds(words(1, "Thanks")), problems: problem(1, "Great week everyone", whyOrphan)},
		{name: "one problem covers the lines that follow an unplaced line", prompt: digest,
			reply:    "Great week everyone\nreally proud of you",
			problems: problem(1, "Great week everyone", whyOrphan)},
		{name: "a reward before any item is a problem", prompt: digest,
			reply:    "reward: pizza for everyone",
			problems: problem(1, "reward: pizza for everyone", whyOrphanReward)},
		{name: "share before any item is a problem", prompt: digest,
			reply:    "share",
			problems: problem(1, "share", whyShareNoNumber)},
		{name: "skip without a number is a problem", prompt: digest,
			reply:    "skip",
			problems: problem(1, "skip", whySkipNoNumber)},
		{name: "skip it without a number is a problem even after an item", prompt: digest,
			reply:    "1: Thanks\nskip it",
			want:     cmds(words(1, "Thanks")),
			problems: problem(2, "skip it", whySkipNoNumber)},
		{name: "skip followed by a reason is a problem and skips nothing", prompt: digest,
			reply: "skip 3 - it was a bot",
			problems: problem(1, "skip 3 - it was a bot",
				`I did not understand "it was a bot" after "skip 3", so nothing on this line was skipped: write only item numbers after "skip", e.g. "skip 3, 4"`)},
		{name: "skip after a number followed by a reason is a problem", prompt: digest,
			reply: "3: skip, duplicate",
			problems: problem(1, "3: skip, duplicate",
				`I did not understand "duplicate" after "skip", so nothing on this line was skipped: write only item numbers after "skip", e.g. "skip 3, 4"`)},
		{name: "skip with a reason in an alert is a problem", prompt: alert,
			reply: "skip - not relevant",
			problems: problem(1, "skip - not relevant",
				`I did not understand "not relevant" after "skip", so nothing was skipped: write just "skip"`)},
		{name: "share a number with one person is a problem and shares nothing", prompt: digest,
			reply: "share 2 with Priya",
			problems: problem(1, "share 2 with Priya",
				`I did not understand "with Priya" after "share 2", so nothing on this line was shared: write only item numbers after "share", e.g. "share 2", or put your words after a colon, e.g. "share 2: great save!"`)},
		{name: "an item both skipped and given words keeps the words and not the skip", prompt: digest,
			reply: "skip 3\n3: Actually, well done",
			want:  cmds(words(3, "Actually, well done")),
			problems: problem(1, "skip 3",
				"item 3 also has feedback on line 2, so I kept the feedback and did not skip it")},
		{name: "an item both skipped and shared is shared and not skipped", prompt: digest,
			reply: "share 3\nskip 3 and 4",
			want:  cmds(grammar.Command{Item: 3, Share: true}, skip(4)),
			problems: problem(2, "skip 3 and 4",
				"item 3 also has feedback on line 1, so I kept the feedback and did not skip it")},
		{name: "reward with nothing after it is a problem", prompt: digest,
			reply:    "2: reward:",
			problems: problem(1, "2: reward:", whyRewardEmpty)},
		{name: "reward with nothing after it keeps the words before it", prompt: digest,
			reply:    "2: Well done! reward:",
			want:     cmds(words(2, "Well done!")),
			problems: problem(1, "2: Well done! reward:", whyRewardEmpty)},
		{name: "reward with nothing after it in an alert shows an example without a number", prompt: alert,
			reply:    "reward:",
			problems: problem(1, "reward:", `"reward:" needs what you are giving, e.g. "reward: lunch on me"`)},
		{name: "a number with no words is a problem", prompt: digest,
			reply:    "1: Thanks\n3:",
			want:     cmds(words(1, "Thanks")),
			problems: problem(2, "3:", `item 3 has no words: write them after its number, e.g. "3: thanks!"`)},
		{name: "an empty reply is one problem", prompt: digest,
			reply: "", problems: problem(1, "", whyEmpty)},
		{name: "a reply of blank lines is one problem", prompt: digest,
			reply: " \n\t\n\r\n", problems: problem(1, "", whyEmpty)},
		{name: "an empty reply to an alert suggests words", prompt: alert,
			reply: "", problems: problem(1, "",
				`the reply was empty, so nothing was recorded: write your words for the agent, e.g. "Great catch, thank you!"`)},
		{name: "problems are ordered by line", prompt: digest,
			reply: "skip 3\n8: no\n3: yes",
			want:  cmds(words(3, "yes")),
			problems: []grammar.Problem{
				{Line: 1, Text: "skip 3", Why: "item 3 also has feedback on line 3, so I kept the feedback and did not skip it"},
				{Line: 2, Text: "8: no", Why: "there is no item 8 in this digest (items are 1 to 5)"},
			}},
		{name: "line numbers count Windows and old Mac line ends", prompt: digest,
			reply:    "1: Thanks\r\n\r\n9: no\r7: no",
			want:     cmds(words(1, "Thanks")),
			problems: []grammar.Problem{{Line: 3, Text: "9: no", Why: "there is no item 9 in this digest (items are 1 to 5)"}, {Line: 4, Text: "7: no", Why: "there is no item 7 in this digest (items are 1 to 5)"}}},
		{name: "a long line is cut in the problem's text", prompt: digest,
			reply: strings.Repeat("x", 200),
			problems: problem(1, strings.Repeat("x", 119)+"…",
				whyOrphan)},
	})
}

func TestParseKeepsMarkupAndRemovesControlCharacters(t *testing.T) {
	runParse(t, []parseCase{
		{name: "html and script in the words are kept verbatim", prompt: digest,
			reply: `1: <b>Great</b> job <script>alert("x")</script> & more`,
			want:  cmds(words(1, `<b>Great</b> job <script>alert("x")</script> & more`))},
		{name: "control characters are removed and a tab is a space", prompt: digest,
			reply: "1:\tGreat\x00 job\x07\x1b[31m\x7f\u0085",
			want:  cmds(words(1, "Great job[31m"))},
		{name: "invisible direction overrides and byte order marks are removed", prompt: digest,
			reply: "\ufeff1: Great \u202ejob\u202c",
			want:  cmds(words(1, "Great job"))},
		{name: "non-breaking spaces count as spaces", prompt: digest,
			reply: "1:\u00a0Great\u00a0job\u00a0share",
			want:  cmds(grammar.Command{Item: 1, Words: "Great job", Share: true})},
		{name: "invalid UTF-8 is replaced", prompt: digest,
			reply: "1: Great \xff job",
			want:  cmds(words(1, "Great \uFFFD job"))},
		{name: "other scripts and emoji are kept", prompt: digest,
			reply: "1: Très bien, Zoë 👏🏽 — 谢谢",
			want:  cmds(words(1, "Très bien, Zoë 👏🏽 — 谢谢"))},
	})
}

func TestParseRealisticReplies(t *testing.T) {
	runParse(t, []parseCase{
		{name: "a manager answers a weekly digest item by item", prompt: digest,
			reply: `Hi carecoach,

1: Ana, answering Maria Lopez within 12 minutes on #5158 is exactly the
standard we want. Thank you!
share

2. Tom, the follow-up on the printer ticket came two days late. Let's look
at your queue together on Monday.

3: Thanks for staying with that escalation until it was fixed. reward: lunch on me
skip 4 and 5

Thanks,
Maria`,
			want: cmds(
				grammar.Command{Item: 1, Words: "Ana, answering Maria Lopez within 12 minutes on #5158 is exactly the\nstandard we want. Thank you!", Share: true},
				words(2, "Tom, the follow-up on the printer ticket came two days late. Let's look\nat your queue together on Monday."),
				grammar.Command{Item: 3, Words: "Thanks for staying with that escalation until it was fixed.", Reward: "lunch on me"},
				skip(4), skip(5),
			)},
		{name: "a hurried manager writes in lower case with little punctuation", prompt: digest,
			reply: "1-great job share\n2 good save\nskip 3 4 5",
			want: cmds(
				grammar.Command{Item: 1, Words: "great job", Share: true},
				skip(3), skip(4), skip(5),
			),
			problems: problem(2, "2 good save",
				`I can't tell whether this line is about item 2: put a colon after the number, e.g. "2: thanks!", or start the line with a word`)},
		{name: "a manager changes their mind about a skipped item", prompt: digest,
			reply: "skip 2, 3\n\n3 - on second thought: this was a good call, well done.\nshare",
			want: cmds(
				skip(2),
				grammar.Command{Item: 3, Words: "on second thought: this was a good call, well done.", Share: true},
			),
			problems: problem(1, "skip 2, 3", "item 3 also has feedback on line 3, so I kept the feedback and did not skip it")},
		{name: "a manager makes two mistakes and gets both explained", prompt: digest,
			reply: "Great week team\n1: Nice work on the outage\n6: and you too\nskip",
			want:  cmds(words(1, "Nice work on the outage")),
			problems: []grammar.Problem{
				{Line: 1, Text: "Great week team", Why: whyOrphan},
				{Line: 3, Text: "6: and you too", Why: "there is no item 6 in this digest (items are 1 to 5)"},
				{Line: 4, Text: "skip", Why: whySkipNoNumber},
			}},
		{name: "a manager answers a bad-rating alert with a debrief plan", prompt: alert,
			reply: "Hi carecoach,\n\nLet's debrief tomorrow at 10:30. The customer waited three days,\nthat is not who we are.\n",
			want:  cmds(words(1, "Let's debrief tomorrow at 10:30. The customer waited three days,\nthat is not who we are."))},
		{name: "a manager praises from an alert and rewards it", prompt: alert,
			reply: "Ana, five stars and a lovely comment from Maria. This is what we are about!\nshare\nreward: coffee on me",
			want:  cmds(grammar.Command{Item: 1, Words: "Ana, five stars and a lovely comment from Maria. This is what we are about!", Share: true, Reward: "coffee on me"})},
	})
}

func ExampleParse() {
	reply := "Hi carecoach,\n1: Great save! share\n2: reward: lunch on me\nskip 3\n7: ?"
	cmds, problems := grammar.Parse(reply, grammar.Prompt{Items: 3})
	for _, c := range cmds {
		fmt.Printf("%+v\n", c)
	}
	for _, p := range problems {
		fmt.Printf("line %d: %s\n", p.Line, p.Why)
	}
	// Output:
	// {Item:1 Words:Great save! Share:true Reward: Skip:false}
	// {Item:2 Words: Share:false Reward:lunch on me Skip:false}
	// {Item:3 Words: Share:false Reward: Skip:true}
	// line 5: there is no item 7 in this digest (items are 1 to 3)
}
