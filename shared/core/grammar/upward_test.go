package grammar_test

import (
	"strings"
	"testing"

	"github.com/carecoach/carecoach/shared/core/grammar"
)

func TestAnUpwardAnswerIsAScoreThenAnyWords(t *testing.T) {
	for _, tc := range []struct {
		name, reply string
		score       int
		words       string
	}{
		{"a bare score is an answer without words", "4", 4, ""},
		{"a score out of five reads the score", "4/5", 4, ""},
		{"a score written out of five reads the score", "4 out of 5 - mostly yes", 4, "mostly yes"},
		{"Score: prefix is fine", "Score: 2\nI waited two days for an answer on refunds.", 2, "I waited two days for an answer on refunds."},
		{"words after a dash are kept", "5 - thanks for sitting with me on the <b>refund</b> queue", 5, "thanks for sitting with me on the <b>refund</b> queue"},
		{"a greeting above the score is ignored", "Hi,\n3. Sometimes.", 3, "Sometimes."},
		{"words on the lines below join the words", "1\nNot at all.\nNobody answered.", 1, "Not at all.\nNobody answered."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, problems := grammar.ParseUpward(tc.reply)
			if len(problems) != 0 || r.Score != tc.score || r.Words != tc.words {
				t.Errorf("ParseUpward(%q) = %+v %+v, want score %d words %q", tc.reply, r, problems, tc.score, tc.words)
			}
		})
	}
}

func TestAnUpwardAnswerWithoutAGoodScoreIsExplainedAndRecordsNothing(t *testing.T) {
	for _, tc := range []struct {
		name, reply, why string
	}{
		{"no score at all", "Yes, mostly, thanks!", "I could not find a score"},
		{"an empty reply", "  \n", "the reply was empty"},
		{"a score above five", "7 great", "7 is not a score from 1 to 5"},
		{"a zero", "0", "0 is not a score from 1 to 5"},
		{"a score out of ten", "8/10", "scores here are out of 5, not 10"},
		{"a half score", "3.5 ok", `"3.5" is not a whole number`},
		{"a number that is not a score", "2026 was a good year", "is not a score from 1 to 5"},
		{"words over the limit", "4 " + strings.Repeat("x", grammar.MaxWords+1), "more than the 2,000 carecoach keeps"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, problems := grammar.ParseUpward(tc.reply)
			if r.Score != 0 || len(problems) != 1 || !strings.Contains(problems[0].Why, tc.why) || !strings.Contains(problems[0].Why, "nothing was recorded") {
				t.Errorf("ParseUpward(%q) = %+v %+v, want no score and a problem saying %q", tc.reply, r, problems, tc.why)
			}
		})
	}
}
