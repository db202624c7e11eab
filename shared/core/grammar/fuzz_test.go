package grammar_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/carecoach/carecoach/shared/core/grammar"
)

// FuzzParse checks what must hold for any reply: Parse does not panic, names
// only items the prompt has, points only at lines the reply has, and always
// answers (with a command or a problem).
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"", "\n\r\n\r", "1: Great job! share", "1. a\n2) b\n#3 c\nitem 4: d\n5 - e",
		"share 1\nshare: 2 with the team\nshare 3: words", "2: Thanks! reward: a day off\nreward 3:",
		"skip 3, 4 and #5\ndismiss 1-2\nskip", "skip 3 - because\n3: skip, dup",
		"Hi carecoach,\n1: x\n\nThanks,\nMaria", "9: no\n0: no\n99999999999999999999: no",
		"10:30\n1.5\n2 good save\n(1) ok\n- 2: ok", "<script>\x00\x1b\u202e\ufeff\xff</script>",
		"share\nreward: x\nrandom", "1, 3: both\nmore\nshare\nskip 1",
	} {
		f.Add(seed, uint8(5))
		f.Add(seed, uint8(0x81))
	}
	f.Fuzz(func(t *testing.T, reply string, shape uint8) {
		p := grammar.Prompt{Items: int(shape % 13), Single: shape&0x80 != 0}
		cmds, problems := grammar.Parse(reply, p)

		lines := len(strings.Split(strings.ReplaceAll(strings.ReplaceAll(reply, "\r\n", "\n"), "\r", "\n"), "\n"))
		if len(cmds) == 0 && len(problems) == 0 {
			t.Errorf("Parse(%q, %+v) gave neither a command nor a problem", reply, p)
		}
		for i, c := range cmds {
			switch {
			case c.Item < 1 || c.Item > p.Items:
				t.Errorf("command for item %d outside 1..%d", c.Item, p.Items)
			case p.Single && c.Item != 1:
				t.Errorf("command for item %d in a single-moment reply", c.Item)
			case i > 0 && c.Item <= cmds[i-1].Item:
				t.Errorf("commands not ordered by item, one each: %+v", cmds)
			case c.Skip && (c.Words != "" || c.Share || c.Reward != ""):
				t.Errorf("a skip with feedback: %+v", c)
			case !c.Skip && c.Words == "" && !c.Share && c.Reward == "":
				t.Errorf("a command that does nothing: %+v", c)
			case c.Words != strings.TrimSpace(c.Words) || c.Reward != strings.TrimSpace(c.Reward):
				t.Errorf("untrimmed command: %+v", c)
			}
			checkText(t, "words", c.Words, true)
			checkText(t, "reward", c.Reward, false)
		}
		for i, pr := range problems {
			switch {
			case pr.Line < 1 || pr.Line > lines:
				t.Errorf("problem on line %d of a %d-line reply: %+v", pr.Line, lines, pr)
			case i > 0 && pr.Line < problems[i-1].Line:
				t.Errorf("problems not ordered by line: %+v", problems)
			case pr.Why == "":
				t.Errorf("problem without an explanation: %+v", pr)
			case utf8.RuneCountInString(pr.Text) > 120:
				t.Errorf("problem text longer than 120 characters: %q", pr.Text)
			}
			checkText(t, "problem text", pr.Text, false)
		}
		again, againProblems := grammar.Parse(reply, p)
		if !reflect.DeepEqual(again, cmds) || !reflect.DeepEqual(againProblems, problems) {
			t.Errorf("Parse(%q) is not deterministic", reply)
		}
		if h := grammar.Help(p); strings.Count(h, "\n") >= 8 {
			t.Errorf("Help(%+v) is longer than 8 lines", p)
		}
	})
}

// checkText checks s is valid UTF-8 without control characters (newlines
// allowed between lines of words).
func checkText(t *testing.T, what, s string, multiline bool) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("%s is not valid UTF-8: %q", what, s)
	}
	if i := strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && !(multiline && r == '\n') }); i >= 0 {
		t.Errorf("%s has a control character: %q", what, s)
	}
	if multiline && slices.Contains(strings.Split(s, "\n"), "") && s != "" {
		t.Errorf("%s has an empty line: %q", what, s)
	}
}
