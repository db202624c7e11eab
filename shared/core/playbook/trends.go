package playbook

import (
	"slices"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Analyze trends: every solve (with the ticket's tags, its topics), reopen
// and rating is a fact, counted per team and period for the digest. Every
// answered customer message (with how long the customer waited) and every
// follow-up that came due is one too, for the team's scorecards.

// Facts lists the countable events a ticket holds at now. A follow-up
// counts as due once its date has passed, or as soon as it is done.
func (p Playbook) Facts(t care.Ticket, now time.Time) []care.Fact {
	var fs []care.Fact
	owner := t.SolvedBy
	if owner == "" {
		owner = t.AssigneeID
	}
	// Every solve and reopen, not only the latest: one that came to light
	// late (read from the help desk's API after the reopen) counts too.
	for _, s := range t.Solves {
		f := care.NewFact(t.Ref, care.FactSolved, s.At.UTC().Format(time.RFC3339Nano), s.At)
		f.Tags = slices.Clone(s.Tags)
		f.AgentID = s.By
		if s.At.Equal(t.SolvedAt) {
			f.Tags, f.AgentID = slices.Clone(t.Tags), owner
		}
		if f.AgentID == "" {
			f.AgentID = t.AssigneeID
		}
		fs = append(fs, f)
	}
	for _, at := range t.Reopenings {
		fs = append(fs, care.NewFact(t.Ref, care.FactReopened, at.UTC().Format(time.RFC3339Nano), at))
	}
	if t.RatingID != "" {
		f := care.NewFact(t.Ref, care.FactRated, t.RatingID, t.RatingAt)
		f.Rating = t.Rating
		f.AgentID = owner
		fs = append(fs, f)
	}
	for _, r := range t.Responses {
		f := care.NewFact(t.Ref, care.FactResponded, r.Message, r.AnsweredAt)
		f.AgentID, f.Waited, f.BySolve = r.AgentID, r.Waited(), r.BySolve
		f.First = !slices.ContainsFunc(t.Responses, func(o care.Response) bool { return o.AskedAt.Before(r.AskedAt) })
		fs = append(fs, f)
	}
	if p.FollowUpOn && !t.SolvedAt.IsZero() && open(t) && (followedUp(t) || t.Status.Resolved() && !now.Before(p.followUpDue(t))) {
		f := care.NewFact(t.Ref, care.FactFollowUpDue, solveAnchor(t), p.followUpDue(t))
		f.AgentID = owner
		fs = append(fs, f)
	}
	for i := range fs {
		fs[i].Team = p.Team
	}
	return fs
}
