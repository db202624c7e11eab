package digest

import (
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// FollowThroughWindow is how far back a digest counts a manager's
// check-backs for their follow-through rate (by the time of the coaching).
const FollowThroughWindow = 8 * 7 * 24 * time.Hour

// CheckBacks is how a manager followed through on their coaching: the
// check-backs done in the period, those asked and not done yet, and of
// all asked in FollowThroughWindow, how many are done.
type CheckBacks struct {
	Done, Open      []care.CheckBack
	Asked, Followed int
}

// Rate is the share of check-backs asked that are done, and whether any
// were asked.
func (c CheckBacks) Rate() (float64, bool) {
	if c.Asked == 0 {
		return 0, false
	}
	return float64(c.Followed) / float64(c.Asked), true
}

// CheckBacksOf picks a manager's check-backs from the team's (those made
// in FollowThroughWindow before to); nil when there is nothing to say this
// period. A check-back counts as asked once its email went (or it was
// done, or put off, since); one still to be sent is not owed yet.
func CheckBacksOf(manager string, all []care.CheckBack, from, to time.Time) *CheckBacks {
	var c CheckBacks
	for _, cb := range all {
		if !strings.EqualFold(cb.Manager, manager) || cb.SaidAt.Before(to.Add(-FollowThroughWindow)) || !cb.SaidAt.Before(to) {
			continue
		}
		if !cb.AskedBy(to) {
			continue
		}
		done := cb.DoneBy(to)
		c.Asked++
		switch {
		case done:
			c.Followed++
			if !cb.DoneAt.Before(from) {
				c.Done = append(c.Done, cb)
			}
		default:
			c.Open = append(c.Open, cb)
		}
	}
	if len(c.Done) == 0 && len(c.Open) == 0 {
		return nil
	}
	return &c
}
