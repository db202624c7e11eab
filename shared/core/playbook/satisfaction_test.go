package playbook_test

import (
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/playbook"
)

func TestSatisfaction(t *testing.T) {
	base := []care.Interaction{customer("c1", t0), agent("a1", t0.Add(5*time.Hour)), solve("s1", t0.Add(6*time.Hour))}
	with := func(i care.Interaction) []care.Interaction { return append(append([]care.Interaction{}, base...), i) }
	tests := []struct {
		name      string
		team      care.Team
		timeline  []care.Interaction
		wantAlert bool
		want      []string
		wantQuote string
	}{
		{"a good rating with a comment is praise quoting the customer", care.Team{},
			with(rated("r1", "good", "Ana was brilliant & fast", t0.Add(8*time.Hour))), false,
			[]string{"satisfaction/praise 1001: The customer rated the service good and said why."}, "Ana was brilliant & fast"},
		{"a good rating without words is no moment", care.Team{},
			with(rated("r1", "good", "", t0.Add(8*time.Hour))), false, nil, ""},
		{"a bad rating alerts the manager at once and is a coaching moment", care.Team{},
			with(rated("r1", "bad", "Nobody listened", t0.Add(8*time.Hour))), true,
			[]string{"satisfaction/coaching 1001: The customer rated the service bad."}, "Nobody listened"},
		{"a team can switch the alert off", care.Team{Satisfaction: care.SatisfactionSettings{NoAlert: true}},
			with(rated("r1", "bad", "", t0.Add(8*time.Hour))), false,
			[]string{"satisfaction/coaching 1001: The customer rated the service bad."}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := playbook.ForTeam(tt.team)
			tk := care.Fold(ref, tt.timeline)
			alerts := kinds(p.Desired(tk), care.SatisfactionAlert)
			if got := len(alerts) == 1; got != tt.wantAlert {
				t.Fatalf("alert tasks %+v, want alert=%v", alerts, tt.wantAlert)
			}
			if tt.wantAlert {
				if !alerts[0].DueAt.Equal(t0.Add(8 * time.Hour)) {
					t.Errorf("alert due %s, want at the rating", alerts[0].DueAt)
				}
				if v := p.Check(alerts[0], tk, alerts[0].DueAt); v.Notice != playbook.SatisfactionAlert {
					t.Errorf("check = %+v, want an alert", v)
				}
			}
			var got []string
			var quote string
			for _, m := range p.Moments(tk, t0.Add(9*time.Hour)) {
				if m.Behaviour == care.Delight {
					got = append(got, momentsOf([]care.Moment{m})...)
					quote = m.Quote
				}
			}
			if len(got) != len(tt.want) || len(got) > 0 && got[0] != tt.want[0] || quote != tt.wantQuote {
				t.Errorf("moments %q quote %q, want %q quote %q", got, quote, tt.want, tt.wantQuote)
			}
		})
	}
}
