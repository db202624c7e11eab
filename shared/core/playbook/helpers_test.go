package playbook_test

import (
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

func solve(id string, at time.Time) care.Interaction {
	return care.Interaction{ID: id, Ticket: ref, Kind: care.StatusChanged, Status: care.StatusSolved, At: at, Snapshot: care.Snapshot{AssigneeID: "1001"}}
}

func reopen(id string, at time.Time) care.Interaction {
	return care.Interaction{ID: id, Ticket: ref, Kind: care.StatusChanged, Status: care.StatusOpen, At: at}
}

func tagged(id string, at time.Time, tags ...string) care.Interaction {
	return care.Interaction{ID: id, Ticket: ref, Kind: care.TagsChanged, Tags: tags, At: at}
}

func noteSaying(id, body string, at time.Time) care.Interaction {
	return care.Interaction{ID: id, Ticket: ref, Kind: care.InternalNote, Body: body, At: at}
}

func due(id string, dueAt, at time.Time) care.Interaction {
	return care.Interaction{ID: id, Ticket: ref, Kind: care.DueDateChanged, DueAt: dueAt, At: at, Snapshot: care.Snapshot{AssigneeID: "1001"}}
}

func rated(id, rating, words string, at time.Time) care.Interaction {
	return care.Interaction{ID: id, Ticket: ref, Kind: care.Satisfaction, Rating: rating, Body: words, At: at}
}

func momentsOf(ms []care.Moment) []string {
	var out []string
	for _, m := range ms {
		out = append(out, string(m.Behaviour)+"/"+string(m.Kind)+" "+m.AgentID+": "+m.What)
	}
	return out
}
