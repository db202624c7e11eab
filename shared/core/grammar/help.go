package grammar

import (
	"fmt"
	"strings"
)

// Help is the grammar explained in a few lines, for every prompt's footer and
// for error replies. Its indented lines are examples that Parse accepts as
// they are (an example naming an item the prompt does not have is left out).
func Help(p Prompt) string {
	if p.Single {
		return strings.Join([]string{
			"Reply with your words for the agent, on as many lines as you like, e.g.",
			"  Great catch, thank you for calling her back!",
			"  This is how we treat customers. share",
			"  reward: lunch on me",
			`Or reply just "skip" to dismiss it. "share" as the last word of a line shows`,
			`your words to the whole team too; "reward:" attaches a reward.`,
		}, "\n")
	}
	n := p.Items
	header := fmt.Sprintf("Reply with one line per item, starting with its number (1 to %d), e.g.", n)
	switch {
	case n < 1:
		n = 5
		header = "Reply with one line per item, starting with its number, e.g."
	case n == 1:
		header = "Reply with a line starting with the item's number, e.g."
	}
	lines := []string{header, "  1: Great save on that refund, thank you!"}
	if n >= 2 {
		lines = append(lines, "  2: This is how we treat customers. share")
	}
	if n >= 3 {
		lines = append(lines, "  3: Thanks for staying late! reward: lunch on me")
	}
	switch {
	case n == 4:
		lines = append(lines, "  skip 4")
	case n >= 5:
		lines = append(lines, "  skip 4, 5")
	}
	return strings.Join(append(lines,
		`Your words go to the agent; "share" as the last word shows them to the whole`,
		`team too, "reward:" attaches a reward, "skip" dismisses. A line without a`,
		"number adds to the item above.",
	), "\n")
}
