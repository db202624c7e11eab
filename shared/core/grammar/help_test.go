package grammar_test

import (
	"strings"
	"testing"

	"github.com/carecoach/carecoach/shared/core/grammar"
)

func TestHelpForADigestShowsNumberedExamples(t *testing.T) {
	got := grammar.Help(grammar.Prompt{Items: 5})
	want := `Reply with one line per item, starting with its number (1 to 5), e.g.
  1: Great save on that refund, thank you!
  2: This is how we treat customers. share
  3: Thanks for staying late! reward: lunch on me
  skip 4, 5
Your words go to the agent; "share" as the last word shows them to the whole
team too, "reward:" attaches a reward, "skip" dismisses. A line without a
number adds to the item above.`
	if got != want {
		t.Errorf("Help(digest of 5):\n%s\nwant:\n%s", got, want)
	}
}

func TestHelpForAnAlertNeedsNoNumbers(t *testing.T) {
	got := grammar.Help(grammar.Prompt{Items: 1, Single: true})
	want := `Reply with your words for the agent, on as many lines as you like, e.g.
  Great catch, thank you for calling her back!
  This is how we treat customers. share
  reward: lunch on me
Or reply just "skip" to dismiss it. "share" as the last word of a line shows
your words to the whole team too; "reward:" attaches a reward.`
	if got != want {
		t.Errorf("Help(alert):\n%s\nwant:\n%s", got, want)
	}
}

// helpPrompts are the prompts whose help is checked: alerts and digests of
// every size the examples depend on.
func helpPrompts() []grammar.Prompt {
	ps := []grammar.Prompt{{Single: true}, {Items: 1, Single: true}, {}}
	for n := 1; n <= 12; n++ {
		ps = append(ps, grammar.Prompt{Items: n})
	}
	return ps
}

func TestHelpIsShort(t *testing.T) {
	for _, p := range helpPrompts() {
		h := grammar.Help(p)
		if n := strings.Count(h, "\n") + 1; n > 8 {
			t.Errorf("Help(%+v) has %d lines, want at most 8:\n%s", p, n, h)
		}
		for _, l := range strings.Split(h, "\n") {
			if len([]rune(l)) > 80 {
				t.Errorf("Help(%+v) has a line longer than 80 characters: %q", p, l)
			}
		}
	}
}

func TestHelpDiffersForAlertsAndDigests(t *testing.T) {
	if grammar.Help(grammar.Prompt{Items: 1, Single: true}) == grammar.Help(grammar.Prompt{Items: 1}) {
		t.Error("Help is the same for an alert and a one-item digest")
	}
}

// The examples are what managers copy: each must parse as written, alone and
// all together, without a problem, and the examples must show every keyword.
func TestHelpExamplesParseWithoutProblems(t *testing.T) {
	for _, p := range helpPrompts() {
		if p.Items < 1 {
			continue // nothing can be answered
		}
		var examples []string
		for _, l := range strings.Split(grammar.Help(p), "\n") {
			if strings.HasPrefix(l, "  ") {
				examples = append(examples, strings.TrimSpace(l))
			}
		}
		if len(examples) == 0 {
			t.Errorf("Help(%+v) has no examples", p)
		}
		for _, e := range append(examples, strings.Join(examples, "\n")) {
			cmds, problems := grammar.Parse(e, p)
			if len(problems) > 0 || len(cmds) == 0 {
				t.Errorf("Help(%+v) example %q parses to %s and problems %s", p, e, show(cmds), show(problems))
			}
		}
		if p.Items >= 4 || p.Single {
			all, _ := grammar.Parse(strings.Join(examples, "\n"), p)
			var share, reward, skip bool
			for _, c := range all {
				share, reward, skip = share || c.Share, reward || c.Reward != "", skip || c.Skip
			}
			if !share || !reward || (!skip && !p.Single) {
				t.Errorf("Help(%+v) examples do not show share, reward and skip: %s", p, show(all))
			}
		}
	}
}
