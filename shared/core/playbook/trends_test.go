package playbook_test

import (
	"slices"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/playbook"
)

func TestFacts(t *testing.T) {
	p := playbook.Default()
	solvedAt := t0.Add(2 * time.Hour)
	followUpDue := solvedAt.Add(playbook.DefaultFollowUpAfter)
	ana := func(id string, at time.Time) care.Interaction {
		in := agent(id, at)
		in.ActorID = "1001"
		return in
	}
	answered := []care.Interaction{customer("c1", t0), ana("a1", t0.Add(time.Hour)), customer("c2", t0.Add(90*time.Minute)), ana("a2", t0.Add(100*time.Minute))}
	solved := slices.Concat(answered, []care.Interaction{solve("s1", solvedAt)})
	tests := []struct {
		name     string
		timeline []care.Interaction
		now      time.Time
		check    func(t *testing.T, fs []care.Fact)
	}{
		{"every answered message is a responded fact with the wait, the first marked", answered, t0.Add(2 * time.Hour), func(t *testing.T, fs []care.Fact) {
			rs := ofKind(fs, care.FactResponded)
			if len(rs) != 2 || rs[0].Waited != time.Hour || !rs[0].First || rs[1].Waited != 10*time.Minute || rs[1].First {
				t.Fatalf("responded facts %+v", rs)
			}
			if rs[0].AgentID != "1001" || !rs[0].At.Equal(t0.Add(time.Hour)) {
				t.Errorf("first response %+v: want the agent and the time of the answer", rs[0])
			}
		}},
		{"a solved ticket's follow-up is not due before its date", solved, followUpDue.Add(-time.Minute), func(t *testing.T, fs []care.Fact) {
			if n := len(ofKind(fs, care.FactFollowUpDue)); n != 0 {
				t.Errorf("%d follow-up-due facts before the date", n)
			}
			if n := len(ofKind(fs, care.FactSolved)); n != 1 {
				t.Errorf("%d solved facts, want 1", n)
			}
		}},
		{"a solved ticket's follow-up is due from its date", solved, followUpDue, func(t *testing.T, fs []care.Fact) {
			if due := ofKind(fs, care.FactFollowUpDue); len(due) != 1 || !due[0].At.Equal(followUpDue) || due[0].AgentID == "" {
				t.Errorf("follow-up-due facts %+v, want one at %v with the owner", due, followUpDue)
			}
		}},
		{"a follow-up done early counts as due at once, on its date", slices.Concat(solved, []care.Interaction{tagged("t1", solvedAt.Add(24*time.Hour), "followed-up")}), solvedAt.Add(25 * time.Hour), func(t *testing.T, fs []care.Fact) {
			if due := ofKind(fs, care.FactFollowUpDue); len(due) != 1 || !due[0].At.Equal(followUpDue) {
				t.Errorf("follow-up-due facts %+v, want one at %v", due, followUpDue)
			}
		}},
		{"a reopened ticket has no follow-up due", slices.Concat(solved, []care.Interaction{reopen("r1", solvedAt.Add(time.Hour))}), followUpDue.Add(time.Hour), func(t *testing.T, fs []care.Fact) {
			if n := len(ofKind(fs, care.FactFollowUpDue)); n != 0 {
				t.Errorf("%d follow-up-due facts after a reopen", n)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, p.Facts(care.Fold(ref, tt.timeline), tt.now))
		})
	}
}

func ofKind(fs []care.Fact, k care.FactKind) []care.Fact {
	var out []care.Fact
	for _, f := range fs {
		if f.Kind == k {
			out = append(out, f)
		}
	}
	return out
}
