package playbook_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/playbook"
)

func TestEscalation(t *testing.T) {
	p := playbook.Default()
	start := care.Interaction{ID: "o", Ticket: ref, Kind: care.TicketCreated, At: t0, Snapshot: care.Snapshot{GroupID: "tier1", Priority: "normal", AssigneeID: "1001", Status: care.StatusOpen}}
	group := func(at time.Time) care.Interaction {
		return care.Interaction{ID: "g", Ticket: ref, Kind: care.GroupChanged, GroupID: "tier2", ActorID: "1001", At: at}
	}
	tests := []struct {
		name     string
		timeline []care.Interaction
		want     []string
	}{
		{"moving a waiting customer to another group within hours is praised",
			[]care.Interaction{start, customer("c1", t0), group(t0.Add(2 * time.Hour))},
			[]string{"escalation/praise 1001: Escalated quickly: moved it to group tier2 2 hours after the customer started waiting."}},
		{"a slow escalation is recorded but not praised",
			[]care.Interaction{start, customer("c1", t0), group(t0.Add(30 * time.Hour))}, nil},
		{"raising the priority quickly is praised",
			[]care.Interaction{start, customer("c1", t0), {ID: "p", Ticket: ref, Kind: care.PriorityChanged, Priority: "urgent", ActorID: "1002", At: t0.Add(time.Hour)}},
			[]string{"escalation/praise 1002: Escalated quickly: raised its priority from normal to urgent an hour after the customer started waiting."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk := care.Fold(ref, tt.timeline)
			if len(tk.Escalations) != 1 {
				t.Fatalf("escalations = %+v, want one recorded", tk.Escalations)
			}
			got := slices.DeleteFunc(momentsOf(p.Moments(tk, t0.Add(31*time.Hour))), func(s string) bool { return !strings.HasPrefix(s, "escalation/") })
			if !slices.Equal(got, tt.want) {
				t.Errorf("moments = %q, want %q", got, tt.want)
			}
		})
	}
}
