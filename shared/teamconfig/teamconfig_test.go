package teamconfig_test

import (
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/care"
	"github.com/carecoach/carecoach/shared/teamconfig"
)

func TestTheDemoTeamLoads(t *testing.T) {
	team, err := teamconfig.Load("../../infra/dev/team.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if team.ID != "support" || len(team.Connections) != 2 || len(team.Members) != 3 {
		t.Errorf("team = %+v", team)
	}
	if time.Duration(team.ResponseWindow) != 24*time.Hour {
		t.Errorf("responseWindow = %v", team.ResponseWindow)
	}
	if team.Connections[0].Kind != care.Zendesk || team.Members[0].HelpdeskIDs["acme-zendesk"] != "1001" {
		t.Errorf("connections/members not read: %+v", team)
	}
}

func TestInvalidConfigNamesTheFieldAndTheReason(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"an empty file is refused", "", "team config is empty"},
		{"an unknown field is refused", "id: s\nresponsewindow: 2h\n", "field responsewindow not found"},
		{"a bad time zone is named", "id: s\ntimezone: Mars/Olympus\n", `timezone: "Mars/Olympus" is not an IANA time zone`},
		{"a bad duration is named", "id: s\nresponseWindow: soon\n", `not a duration like "24h": "soon"`},
		{"an unknown help desk kind is named", "id: s\nconnections: [{id: c, kind: jira}]\n", `connections[0].kind: "jira" must be zendesk or freshdesk`},
		{"a bad email is named", "id: s\nmembers: [{name: A, email: not-an-address}]\n", `members[0].email: "not-an-address" is not a plain email address`},
		{"a member on an unknown connection is named", "id: s\nmembers: [{name: A, email: a@x.example, helpdeskIds: {zd: '1'}}]\n", `members[0].helpdeskIds: names connection "zd"`},
		{"a bad team id is named", "id: Support Team\n", `id: "Support Team" must be lower-case`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := teamconfig.Parse([]byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
