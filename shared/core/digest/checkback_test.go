package digest_test

import (
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/digest"
	"github.com/carecoach/carecoach/shared/core/playbook"
)

func TestADigestSaysWhichCheckBacksAreDoneAndWhichWaitAndTheFollowThrough(t *testing.T) {
	cb := func(id, manager string, said time.Time, sent, done bool) care.CheckBack {
		c := care.CheckBack{ID: id, Manager: manager, SaidAt: said, DueAt: said.Add(72 * time.Hour), Status: care.CheckBackPending}
		if sent {
			c.SentAt = c.DueAt
		}
		if done {
			c.Status, c.DoneAt = care.CheckBackDone, c.DueAt.Add(time.Hour)
		}
		return c
	}
	all := []care.CheckBack{
		cb("done-this-week", "jordan@acme.example", from.Add(-24*time.Hour), true, true),
		cb("done-weeks-ago", "jordan@acme.example", from.Add(-21*24*time.Hour), true, true),
		cb("asked-not-done", "Jordan@acme.example", from.Add(-48*time.Hour), true, false),
		cb("not-asked-yet", "jordan@acme.example", monday.Add(-24*time.Hour), false, false),
		cb("someone-elses", "lead@acme.example", from.Add(-24*time.Hour), true, true),
		func() care.CheckBack {
			c := cb("put-off", "jordan@acme.example", from.Add(-24*time.Hour), false, false)
			c.Round = 1
			return c
		}(),
		cb("too-old", "jordan@acme.example", monday.Add(-digest.FollowThroughWindow-time.Hour), true, false),
	}
	d := digest.Build(digest.Input{Team: team, Playbook: playbook.ForTeam(team), Manager: "jordan@acme.example", From: from, To: monday, Now: monday, CheckBacks: all})
	c := d.CheckBacks
	if c == nil || len(c.Done) != 1 || c.Done[0].ID != "done-this-week" || len(c.Open) != 2 || c.Open[0].ID != "asked-not-done" || c.Open[1].ID != "put-off" {
		t.Fatalf("check-backs %+v, want one done this week and two waiting (one put off)", c)
	}
	if rate, ok := c.Rate(); !ok || c.Asked != 4 || c.Followed != 2 || rate != 0.5 {
		t.Errorf("follow-through %d of %d (%v), want 2 of 4", c.Followed, c.Asked, rate)
	}
	if (digest.Digest{CheckBacks: c}).Empty() {
		t.Error("a digest with check-backs to report is empty")
	}
	if none := digest.Build(digest.Input{Team: team, Playbook: playbook.ForTeam(team), Manager: "jordan@acme.example", From: from, To: monday, Now: monday,
		CheckBacks: all[3:4]}); none.CheckBacks != nil {
		t.Errorf("a check-back not asked yet is reported: %+v", none.CheckBacks)
	}
}

func TestClimateAnswersAreNumberedAfterTheMoments(t *testing.T) {
	d := digest.Digest{Praise: make([]digest.Item, 2), Coaching: make([]digest.Item, 3), Climate: make([]care.ClimateAnswer, 2)}
	if got := []int{d.ConcernN(0), d.ConcernN(1)}; got[0] != 6 || got[1] != 7 {
		t.Errorf("climate answers numbered %v, want 6 and 7 after five moments", got)
	}
	if n := (digest.Digest{Climate: make([]care.ClimateAnswer, 1)}).ConcernN(0); n != 1 {
		t.Errorf("with no moments the first climate answer is %d, want 1", n)
	}
}
