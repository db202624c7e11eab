package grammar_test

import (
	"os"
	"strings"
	"testing"

	"github.com/carecoach/carecoach/shared/core/grammar"
)

// digestUpTo returns the golden text digest up to and including the line
// that contains upTo: what a manager quotes when answering right below it.
func digestUpTo(t *testing.T, upTo string) string {
	t.Helper()
	b, err := os.ReadFile("../../ui/mail/testdata/digest.txt")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	i := strings.Index(text, upTo)
	if i < 0 {
		t.Fatalf("the digest has no %q", upTo)
	}
	end := i + len(upTo)
	if j := strings.IndexByte(text[end:], '\n'); j >= 0 {
		end += j
	}
	return text[:end]
}

func TestQuotedItem(t *testing.T) {
	tests := []struct {
		name   string
		quoted func(t *testing.T) string
		want   int
	}{
		{"the quote ends with an item's suggestion", func(t *testing.T) string { return digestUpTo(t, "exactly the care we promise") }, 1},
		{"the quote ends with the item header itself", func(t *testing.T) string { return digestUpTo(t, "2. Ana Silva (commitment)") }, 2},
		{"the quote ends in the middle of the coaching item", func(t *testing.T) string { return digestUpTo(t, "Ticket #42") }, 3},
		{"the quote ends at the next section's heading", func(t *testing.T) string { return digestUpTo(t, "TO COACH") }, 0},
		{"the quote ends in the cadence section", func(t *testing.T) string { return digestUpTo(t, "Sam Okoye: 1 : 1") }, 0},
		{"the quote is the whole digest with its example line", func(t *testing.T) string { return digestUpTo(t, "specific ticket.") }, 0},
		{"the quote ends before any item", func(t *testing.T) string { return digestUpTo(t, "Hi Jordan Reyes,") }, 0},
		{"an item as the HTML part reads as text", func(*testing.T) string {
			return "Catch them doing things right.\n\n2\n\n*Ana Silva* · commitments\n\nPromised Maria Lopez a fix by Thursday 17:00."
		}, 2},
		{"an item number and name on one line", func(*testing.T) string { return "3 Priya Natarajan · follow-up\nDid not follow up." }, 3},
		{"an item the digest does not have", func(*testing.T) string { return "7. Ana Silva (responsiveness)\n" }, 0},
		{"a numbered line in the customer's words is not an item", func(*testing.T) string { return "   The customer wrote: “1. reboot (twice)”" }, 0},
		{"nothing quoted", func(*testing.T) string { return "" }, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := grammar.QuotedItem(tc.quoted(t), 3); got != tc.want {
				t.Errorf("QuotedItem = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestBlocksAfterQuotedItemsAreAboutThoseItems(t *testing.T) {
	tests := []struct {
		name     string
		blocks   []grammar.Block
		want     []grammar.Command
		problems int
	}{
		{"words without a number below a quoted item are about that item",
			[]grammar.Block{{Text: "Exactly the care we promise. share", Item: 1}, {Text: "Lunch is on me. reward: lunch", Item: 2}},
			[]grammar.Command{{Item: 1, Words: "Exactly the care we promise.", Share: true}, {Item: 2, Words: "Lunch is on me.", Reward: "lunch"}}, 0},
		{"a number below a quoted item wins",
			[]grammar.Block{{Text: "3: let's talk on Thursday", Item: 1}},
			[]grammar.Command{{Item: 3, Words: "let's talk on Thursday"}}, 0},
		{"a block does not continue the item named in the block before",
			[]grammar.Block{{Text: "1: Great"}, {Text: "and what about this?"}},
			[]grammar.Command{{Item: 1, Words: "Great"}}, 1},
		{"words after a quote that names no item are reported, not guessed",
			[]grammar.Block{{Text: "skip 3"}, {Text: "Great week everyone"}},
			[]grammar.Command{{Item: 3, Skip: true}}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cmds, problems := grammar.ParseBlocks(tc.blocks, grammar.Prompt{Items: 3})
			if !equalCommands(cmds, tc.want) || len(problems) != tc.problems {
				t.Errorf("ParseBlocks = %+v, %+v; want %+v and %d problems", cmds, problems, tc.want, tc.problems)
			}
		})
	}
}

func equalCommands(a, b []grammar.Command) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestLimits(t *testing.T) {
	long := strings.Repeat("Thank you for everything you did for Maria on this ticket. ", 40) // 2,359 characters once trimmed
	tests := []struct {
		name    string
		reply   string
		want    []grammar.Command
		problem string
	}{
		{"words over the cap record nothing for that item, and say so",
			"1: " + long + "\n2: Nice one", []grammar.Command{{Item: 2, Words: "Nice one"}}, "words for item 1 are 2,359 characters long, more than the 2,000"},
		{"words at the cap are recorded", "1: " + strings.Repeat("x", grammar.MaxWords), []grammar.Command{{Item: 1, Words: strings.Repeat("x", grammar.MaxWords)}}, ""},
		{"a reward over the cap records nothing for that item", "2: reward: " + strings.Repeat("lunch ", 40), nil, "the reward for item 2 is"},
		{"too many command lines record nothing at all", strings.Repeat("1: x\n", 5000), nil, "names items on 5,000 lines, more than the 50"},
		{"as many command lines as the cap are read", strings.Repeat("1: x\n", grammar.MaxCommands), []grammar.Command{{Item: 1, Words: strings.TrimSuffix(strings.Repeat("x\n", grammar.MaxCommands), "\n")}}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cmds, problems := grammar.Parse(tc.reply, grammar.Prompt{Items: 3})
			if !equalCommands(cmds, tc.want) {
				t.Errorf("commands = %+v, want %+v", cmds, tc.want)
			}
			switch {
			case tc.problem == "" && len(problems) > 0:
				t.Errorf("problems = %+v, want none", problems)
			case tc.problem != "" && (len(problems) != 1 || !strings.Contains(problems[0].Why, tc.problem)):
				t.Errorf("problems = %+v, want one saying %q", problems, tc.problem)
			}
		})
	}
}

func TestManyProblemsAreCounted(t *testing.T) {
	_, problems := grammar.Parse(strings.Repeat("9: no such item\n", 40), grammar.Prompt{Items: 3})
	if len(problems) != grammar.MaxProblems || !strings.Contains(problems[len(problems)-1].Why, "21 more lines") {
		t.Errorf("%d problems, the last %+v", len(problems), problems[len(problems)-1])
	}
}
