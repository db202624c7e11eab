package playbook

import (
	"slices"
	"time"

	"github.com/carecoach/carecoach/shared/care"
)

// Analyze trends: every solve (with the ticket's tags, its topics), reopen
// and rating is a fact, counted per team and period for the digest.

// Facts lists the countable events a ticket holds.
func (p Playbook) Facts(t care.Ticket) []care.Fact {
	var fs []care.Fact
	if !t.SolvedAt.IsZero() {
		f := care.NewFact(t.Ref, care.FactSolved, t.SolvedAt.UTC().Format(time.RFC3339Nano), t.SolvedAt)
		f.Tags = slices.Clone(t.Tags)
		fs = append(fs, f)
	}
	if !t.ReopenedAt.IsZero() {
		fs = append(fs, care.NewFact(t.Ref, care.FactReopened, t.ReopenedAt.UTC().Format(time.RFC3339Nano), t.ReopenedAt))
	}
	if t.RatingID != "" {
		f := care.NewFact(t.Ref, care.FactRated, t.RatingID, t.RatingAt)
		f.Rating = t.Rating
		fs = append(fs, f)
	}
	for i := range fs {
		fs[i].Team = p.Team
	}
	return fs
}
