package grammar_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/carecoach/carecoach/shared/core/grammar"
)

func TestABriefReplySendsTheAgendaOrSomeItemsWithANote(t *testing.T) {
	tests := []struct {
		name, reply string
		want        grammar.BriefReply
		problem     string // "" for none; else a part of the one problem's why
	}{
		{"send alone sends everything", "send", grammar.BriefReply{Send: true}, ""},
		{"send in any case, after a greeting", "Hi carecoach,\n\nSend!", grammar.BriefReply{Send: true}, ""},
		{"numbers alone send those items", "2, 4", grammar.BriefReply{Send: true, Items: []int{2, 4}}, ""},
		{"a range", "2-4", grammar.BriefReply{Send: true, Items: []int{2, 3, 4}}, ""},
		{"send with numbers, in any order and twice, sends each once in order", "send 5 1 3, 1", grammar.BriefReply{Send: true, Items: []int{1, 3, 5}}, ""},
		{"numbers joined by and", "send 1, 3 and 5", grammar.BriefReply{Send: true, Items: []int{1, 3, 5}}, ""},
		{"words after send are the note", "send Thanks all, a <b>good</b> week & more", grammar.BriefReply{Send: true, Note: "Thanks all, a <b>good</b> week & more"}, ""},
		{"words after the numbers are the note", "send 1 3: Great week!", grammar.BriefReply{Send: true, Items: []int{1, 3}, Note: "Great week!"}, ""},
		{"a time in the note is not an item", "send See you at 10am", grammar.BriefReply{Send: true, Note: "See you at 10am"}, ""},
		{"lines below send are the note", "send 2\nSee you all at ten.\nBring ideas.", grammar.BriefReply{Send: true, Items: []int{2}, Note: "See you all at ten.\nBring ideas."}, ""},
		{"lines below numbers are the note", "1-2\nSee you at ten.", grammar.BriefReply{Send: true, Items: []int{1, 2}, Note: "See you at ten."}, ""},
		{"an item the brief does not have is named, nothing sent", "send 99", grammar.BriefReply{}, "there is no item 99 in this brief (items are 1 to 6)"},
		{"zero is not an item", "0", grammar.BriefReply{}, "there is no item 0"},
		{"a range past the end is named", "send 5-8", grammar.BriefReply{}, "there is no item 7"},
		{"a range that counts down is explained", "4-2", grammar.BriefReply{}, `write a range from low to high, e.g. "2-4"`},
		{"words without send are explained", "looks good to me", grammar.BriefReply{}, `reply "send" to mail the agenda`},
		{"sending as part of a word is not send", "sender unknown", grammar.BriefReply{}, `reply "send" to mail the agenda`},
		{"numbers with words but no send are explained", "2 4 please", grammar.BriefReply{}, `write it after "send", e.g. "send 2 4 Thanks all!"`},
		{"an empty reply is explained", "\n \n", grammar.BriefReply{}, "the reply was empty"},
		{"a greeting alone is empty", "Hi carecoach,", grammar.BriefReply{}, "the reply was empty"},
		{"a note over the limit is refused, not cut", "send " + strings.Repeat("x", grammar.MaxWords+1), grammar.BriefReply{}, "2,001 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, problems := grammar.ParseBrief(tt.reply, 6)
			if got.Send != tt.want.Send || !slices.Equal(got.Items, tt.want.Items) || got.Note != tt.want.Note {
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

func TestTheBriefHelpsExamplesAreUnderstood(t *testing.T) {
	for _, line := range strings.Split(grammar.BriefHelp(6), "\n") {
		if !strings.HasPrefix(line, "  ") {
			continue
		}
		if r, problems := grammar.ParseBrief(strings.TrimSpace(line), 6); !r.Send || len(problems) > 0 {
			t.Errorf("example %q: %+v %+v", line, r, problems)
		}
	}
}
