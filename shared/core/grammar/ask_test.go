package grammar_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/carecoach/carecoach/shared/core/grammar"
)

func TestAnAskNamesTheTicketTheTeammatesAndTheQuestion(t *testing.T) {
	tests := []struct {
		name, subject, text string
		tickets, mentions   []string
		question, problem   string
	}{
		{"ticket in the subject, names and question in the text", "Feedback on #5158?", "ask @priya, @Ana.Silva How could I have explained the rollback better?",
			[]string{"5158"}, []string{"priya", "ana.silva"}, "How could I have explained the rollback better?", ""},
		{"ticket and names lead the text", "", "#5158 @priya did I get the tone right?\nShe seemed upset.",
			[]string{"5158"}, []string{"priya"}, "did I get the tone right?\nShe seemed upset.", ""},
		{"'ticket 42' is a ticket number too", "help", "ticket 42: was the refund promise OK?", []string{"42"}, nil, "was the refund promise OK?", ""},
		{"an order number in the question is a later candidate", "", "#5158 she quoted order #8812, was I right to refund?",
			[]string{"5158", "8812"}, nil, "she quoted order #8812, was I right to refund?", ""},
		{"with no text the subject is the question", "#5158 how did I do?", "", []string{"5158"}, nil, "how did I do?", ""},
		{"a reply to a reminder that starts with ask asks about the subject's ticket", "Re: Ticket #5158 is waiting for your answer: Order #98765 lost", "ask @priya should I have offered a refund?",
			[]string{"5158", "98765"}, []string{"priya"}, "should I have offered a refund?", ""},
		{"a reply to a reminder without ask is explained, not sent", "RE: Ticket #5158 is waiting for your answer: x", "Thanks, on it!", []string{"5158"}, nil, "Thanks, on it!", `did not start with "ask"`},
		{"a localized reply counts as a reply", "AW: Follow up with Maria on ticket #5158: x", "danke", []string{"5158"}, nil, "danke", `did not start with "ask"`},
		{"a numbered reply counts as a reply", "Re[2]: Ticket #5158: x", "ok", []string{"5158"}, nil, "ok", `did not start with "ask"`},
		{"a reply with a full-width colon counts as a reply", "回复：Ticket #5158: x", "好的", []string{"5158"}, nil, "好的", `did not start with "ask"`},
		{"a reply that says only ask never takes carecoach's subject as the question", "Re: Ticket #5158 is waiting for your answer: x", "ask", []string{"5158"}, nil, "", "there was no question"},
		{"no ticket number is explained", "question", "how did I do on the printer ticket?", nil, nil, "how did I do on the printer ticket?", "ticket number"},
		{"no question is explained", "#5158", "@priya", []string{"5158"}, []string{"priya"}, "", "there was no question"},
		{"an address is not a mention", "", "#7 ask ana@acme.example about it", []string{"7"}, nil, "ask ana@acme.example about it", ""},
		{"a question over the limit is refused, not cut", "", "#7 " + strings.Repeat("x", grammar.MaxWords+1), []string{"7"}, nil, strings.Repeat("x", grammar.MaxWords+1), "2,001 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, problems := grammar.ParseAsk(tt.subject, tt.text)
			if !slices.Equal(a.Tickets, tt.tickets) || !slices.Equal(a.Mentions, tt.mentions) || a.Question != tt.question {
				t.Errorf("got %+v", a)
			}
			switch {
			case tt.problem == "" && len(problems) > 0:
				t.Errorf("problems %+v", problems)
			case tt.problem != "" && (len(problems) != 1 || !strings.Contains(problems[0].Why, tt.problem)):
				t.Errorf("problems %+v, want one saying %q", problems, tt.problem)
			}
		})
	}
}

func TestAnAnswerIsTheWordsAsWrittenAndMayBePraise(t *testing.T) {
	tests := []struct {
		reply, words string
		praise       bool
		problem      string
	}{
		{"Offer the callback sooner.\nOtherwise <b>great</b>.", "Offer the callback sooner.\nOtherwise <b>great</b>.", false, ""},
		{"praise: exactly right!", "exactly right!", true, ""},
		{"Praise\nexactly right!", "exactly right!", true, ""},
		{"praiseworthy work", "praiseworthy work", false, ""},
		{" \n ", "", false, "no words"},
		{strings.Repeat("y", grammar.MaxWords+1), "", false, "2,001 characters"},
	}
	for _, tt := range tests {
		a, problems := grammar.ParseAnswer(tt.reply)
		if a.Words != tt.words || a.Praise != tt.praise {
			t.Errorf("%q: got %+v", tt.reply, a)
		}
		if (tt.problem == "") != (len(problems) == 0) || tt.problem != "" && !strings.Contains(problems[0].Why, tt.problem) {
			t.Errorf("%q: problems %+v, want %q", tt.reply, problems, tt.problem)
		}
	}
	for _, peer := range []bool{false, true} {
		for _, l := range strings.Split(grammar.AskHelp(peer), "\n") {
			if ex, ok := strings.CutPrefix(l, "  "); ok {
				if _, p := grammar.ParseAnswer(ex); len(p) > 0 {
					t.Errorf("the help's example %q is not understood: %+v", ex, p)
				}
			}
		}
	}
}
