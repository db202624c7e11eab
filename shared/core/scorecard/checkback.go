package scorecard

import (
	"cmp"
	"slices"
	"strings"

	"github.com/carecoach/carecoach/shared/core/care"
)

// FollowThrough is how a manager checked back on the coaching they gave
// in the period (see care.CheckBack), counted as of the period's end.
type FollowThrough struct {
	// Manager is the lower-cased address, Name their name in the team's
	// members ("" if they are not one).
	Manager, Name string
	// Asked: the check-back email went (or the manager answered it since);
	// Done of those, and Waiting for the manager to check back. Upcoming
	// are check-backs whose email is still to go.
	Asked, Done, Waiting, Upcoming int
}

// Rate is the follow-through rate, the share of check-backs asked that
// are done, as a percentage; false when none were asked.
func (f FollowThrough) Rate() (float64, bool) { return pct(f.Done, f.Asked) }

// followThrough counts, per manager, the check-backs of coaching given in
// [From, To) that the dashboard's manager made or that are about one of
// its members: the viewer first, then the others by address.
func followThrough(in Input) (per []FollowThrough, total FollowThrough) {
	members := make(map[string]bool, len(in.Members))
	for _, m := range in.Members {
		members[strings.ToLower(m.Email)] = true
	}
	viewer := strings.ToLower(in.Manager)
	at := map[string]int{}
	for _, cb := range in.CheckBacks {
		manager := strings.ToLower(cb.Manager)
		if cb.SaidAt.Before(in.From) || !cb.SaidAt.Before(in.To) || manager != viewer && !members[strings.ToLower(cb.AgentEmail)] {
			continue
		}
		i, ok := at[manager]
		if !ok {
			i = len(per)
			at[manager] = i
			per = append(per, FollowThrough{Manager: manager, Name: nameOf(in.Team, manager)})
		}
		f := &per[i]
		switch {
		case cb.DoneBy(in.To):
			f.Asked++
			f.Done++
		case cb.AskedBy(in.To):
			f.Asked++
			f.Waiting++
		default:
			f.Upcoming++
		}
	}
	slices.SortFunc(per, func(a, b FollowThrough) int {
		if (a.Manager == viewer) != (b.Manager == viewer) {
			if a.Manager == viewer {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.Manager, b.Manager)
	})
	total.Manager, total.Name = "team", "Team"
	for _, f := range per {
		total.Asked += f.Asked
		total.Done += f.Done
		total.Waiting += f.Waiting
		total.Upcoming += f.Upcoming
	}
	return per, total
}

func nameOf(t care.Team, address string) string {
	m, _ := t.Member(address)
	return m.Name
}
