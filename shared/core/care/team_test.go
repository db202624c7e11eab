package care_test

import (
	"testing"

	"github.com/carecoach/carecoach/shared/core/care"
)

func TestAMemberAnswersToTheManagerTheyNameElseToTheTeamsManagers(t *testing.T) {
	team := care.Team{Managers: []string{"lead@acme.example", "deputy@acme.example"}}
	if got := team.ManagersOf(care.Member{Manager: "jordan@acme.example"}); len(got) != 1 || got[0] != "jordan@acme.example" {
		t.Errorf("a member naming Jordan answers to %v", got)
	}
	if got := team.ManagersOf(care.Member{}); len(got) != 2 || got[0] != "lead@acme.example" {
		t.Errorf("a member naming nobody answers to %v, want the team's managers", got)
	}
}

func TestATeamMemberIsFoundByTheirAddressInAnyCase(t *testing.T) {
	team := care.Team{Members: []care.Member{{Name: "Ana Silva", Email: "ana.silva@acme.example"}}}
	if m, ok := team.Member("Ana.Silva@ACME.example"); !ok || m.Name != "Ana Silva" {
		t.Errorf("found %+v, %v", m, ok)
	}
	if _, ok := team.Member("bob@acme.example"); ok {
		t.Error("found a stranger")
	}
}
