package grammar_test

import (
	"strings"
	"testing"

	"github.com/carecoach/carecoach/shared/core/grammar"
)

func TestACheckBackReplyIsDoneWithANoteOrLater(t *testing.T) {
	tests := []struct {
		name, reply string
		want        grammar.CheckBackReply
		problem     string // "" for none; else a part of the one problem's why
	}{
		{"done alone", "done", grammar.CheckBackReply{Done: true}, ""},
		{"done in any case, with punctuation", "Done!", grammar.CheckBackReply{Done: true}, ""},
		{"done with a note on its line", "done: Thanks, <b>the macro</b> worked & she's happy", grammar.CheckBackReply{Done: true, Note: "Thanks, <b>the macro</b> worked & she's happy"}, ""},
		{"done with a note below", "Hi carecoach,\n\nDone.\nGreat talk with Ana.\nShe has a plan.", grammar.CheckBackReply{Done: true, Note: "Great talk with Ana.\nShe has a plan."}, ""},
		{"later in days", "later 2d", grammar.CheckBackReply{Later: true, Days: 2}, ""},
		{"later in business days", "Later 3 business days", grammar.CheckBackReply{Later: true, Days: 3}, ""},
		{"later in weeks of business days", "later 1w", grammar.CheckBackReply{Later: true, Days: 5}, ""},
		{"later alone is the team's usual delay", "later", grammar.CheckBackReply{Later: true}, ""},
		{"later with words below still moves it, and says the words go nowhere", "later 2d\nshe is off until Wednesday", grammar.CheckBackReply{Later: true, Days: 2}, "not passed on"},
		{"later too far is refused", "later 6w", grammar.CheckBackReply{}, "1 to 20 business days, not 30"},
		{"later zero is refused", "later 0d", grammar.CheckBackReply{}, "1 to 20 business days, not 0"},
		{"later with a unit it does not know is explained", "later tomorrow", grammar.CheckBackReply{}, `"tomorrow" after "later"`},
		{"done and later is refused", "done\nlater 2d", grammar.CheckBackReply{}, `both "done" and "later"`},
		{"later and done is refused", "later 2d\ndone", grammar.CheckBackReply{}, `both "done" and "later"`},
		{"a word that is neither is explained", "yes we talked", grammar.CheckBackReply{}, `reply "done" once you have checked back`},
		{"done as part of a word is not done", "doneish", grammar.CheckBackReply{}, `reply "done" once you have checked back`},
		{"an empty reply is explained", "\n \n", grammar.CheckBackReply{}, "the reply was empty"},
		{"a greeting alone is empty", "Hi carecoach,", grammar.CheckBackReply{}, "the reply was empty"},
		{"a note over the limit is refused, not cut", "done " + strings.Repeat("x", grammar.MaxWords+1), grammar.CheckBackReply{}, "2,001 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, problems := grammar.ParseCheckBack(tt.reply)
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			switch {
			case tt.problem == "" && len(problems) > 0:
				t.Errorf("problems %+v, want none", problems)
			case tt.problem != "" && (len(problems) != 1 || !strings.Contains(problems[0].Why, tt.problem)):
				t.Errorf("problems %+v, want one saying %q", problems, tt.problem)
			}
		})
	}
}

func TestTheCheckBackHelpsExamplesParse(t *testing.T) {
	var examples int
	for _, l := range strings.Split(grammar.CheckBackHelp(), "\n") {
		if !strings.HasPrefix(l, "  ") {
			continue
		}
		examples++
		if r, problems := grammar.ParseCheckBack(l); len(problems) > 0 || !r.Done && !r.Later {
			t.Errorf("example %q: %+v %+v", l, r, problems)
		}
	}
	if examples != 2 {
		t.Errorf("%d examples, want done and later", examples)
	}
}
