package digest

import (
	"slices"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// OverdueAsks are the requests for feedback the manager was asked and has
// not answered by now although they are older than overdue, oldest
// first: they head the manager's digest.
func OverdueAsks(manager string, requests []care.FeedbackRequest, now time.Time, overdue time.Duration) []care.FeedbackRequest {
	var out []care.FeedbackRequest
	for _, r := range requests {
		if now.Sub(r.AskedAt) <= overdue {
			continue
		}
		for _, a := range r.Asked {
			if strings.EqualFold(a.Email, manager) && (a.AnsweredAt.IsZero() || a.AnsweredAt.After(now)) {
				out = append(out, r)
				break
			}
		}
	}
	slices.SortStableFunc(out, func(a, b care.FeedbackRequest) int { return a.AskedAt.Compare(b.AskedAt) })
	return out
}
