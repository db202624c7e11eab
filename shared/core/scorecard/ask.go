package scorecard

import (
	"slices"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Asking is how one member asked for feedback in a period (see
// care.FeedbackRequest), counted as of the period's end: the dashboard's
// asked / answered / time to answer.
type Asking struct {
	Email, Name string
	Asked       int // requests asked in the period
	Answered    int // of those, answered by someone by the period's end
	// MedianToAnswer is the median time from asking to the first answer,
	// over the answered ones; zero when none was.
	MedianToAnswer time.Duration
}

// Asks counts each member's requests asked in [from, to), in the order of
// members; members who asked nothing, and requests of anyone else, are
// left out.
func Asks(members []care.Member, requests []care.FeedbackRequest, from, to time.Time) []Asking {
	by := map[string]*Asking{}
	waits := map[string][]time.Duration{}
	for _, r := range requests {
		if r.AskedAt.Before(from) || !r.AskedAt.Before(to) {
			continue
		}
		addr := strings.ToLower(r.Asker)
		a := by[addr]
		if a == nil {
			a = &Asking{Email: addr, Name: r.AskerName}
			by[addr] = a
		}
		a.Asked++
		if first := r.FirstAnswer(); !first.IsZero() && first.Before(to) {
			a.Answered++
			waits[addr] = append(waits[addr], first.Sub(r.AskedAt))
		}
	}
	var out []Asking
	for _, m := range members {
		if a := by[strings.ToLower(m.Email)]; a != nil {
			a.Name = m.Name
			if len(waits[a.Email]) > 0 {
				a.MedianToAnswer = median(waits[a.Email])
			}
			out = append(out, *a)
		}
	}
	return slices.Clip(out)
}
