package payload_test

import (
	"encoding/json"
	"testing"

	"github.com/carecoach/carecoach/shared/adapters/eventbridge/payload"
	"github.com/carecoach/carecoach/shared/core/care"
)

func TestAPayloadNamesATaskOrAJobAndNothingElse(t *testing.T) {
	ref := care.TaskRef{Ticket: care.TicketRef{Connection: "acme-zendesk", TicketID: "5158"}, ID: "t-1"}
	tests := []struct {
		name     string
		p        payload.Fire
		json     string
		wantTask bool
	}{
		{"a task's payload carries its ticket and id", payload.ForTask(ref), `{"ticket":{"connection":"acme-zendesk","ticketId":"5158"},"taskId":"t-1"}`, true},
		{"a job's payload carries the job and the team only", payload.Fire{Job: "digest", Team: "support"}, `{"job":"digest","team":"support"}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.p)
			if err != nil || string(b) != tt.json {
				t.Fatalf("%s %v, want %s", b, err, tt.json)
			}
			var back payload.Fire
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			got, ok := back.Task()
			if ok != tt.wantTask || ok && got != ref {
				t.Errorf("task %+v %v", got, ok)
			}
		})
	}
}
