package teamconfig_test

import (
	"os"
	"strings"
	"testing"

	"github.com/carecoach/carecoach/shared/adapters/teamconfig"
	"github.com/carecoach/carecoach/shared/core/care"
)

func demoFile(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("../../../infra/dev/team.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func zendeskConnection(id string) care.Connection {
	return care.Connection{ID: id, Kind: care.Zendesk, BaseURL: "https://acme2.zendesk.com",
		API: &care.ConnectionAPI{Email: "lead@acme.example", TokenParam: "/carecoach/prod/helpdesk-tokens/" + id}}
}

func connection(team care.Team, id string) (care.Connection, bool) {
	for _, c := range team.Connections {
		if c.ID == id {
			return c, true
		}
	}
	return care.Connection{}, false
}

func TestSettingAConnection(t *testing.T) {
	t.Run("a new connection is added to the file and the rest stays, comments too", func(t *testing.T) {
		before := demoFile(t)
		out, team, err := teamconfig.SetConnection(before, zendeskConnection("acme2-zendesk"))
		if err != nil {
			t.Fatal(err)
		}
		c, ok := connection(team, "acme2-zendesk")
		if !ok || c.Kind != care.Zendesk || c.BaseURL != "https://acme2.zendesk.com" || c.API == nil || c.API.Email != "lead@acme.example" ||
			c.API.TokenParam != "/carecoach/prod/helpdesk-tokens/acme2-zendesk" {
			t.Fatalf("connection %+v (%v) in\n%s", c, ok, out)
		}
		old, _ := teamconfig.Parse(before)
		if len(team.Connections) != 3 || len(team.Members) != len(old.Members) || team.Respond != old.Respond {
			t.Errorf("the rest of the team changed:\n%s", out)
		}
		for _, comment := range []string{"# The demo team", "# his digest counts the deliveries", "# aim for 3 praise to 1 coaching"} {
			if !strings.Contains(string(out), comment) {
				t.Errorf("comment %q lost:\n%s", comment, out)
			}
		}
		again, _, err := teamconfig.SetConnection(out, zendeskConnection("acme2-zendesk"))
		if err != nil || string(again) != string(out) {
			t.Errorf("setting it again changed the file (%v):\n%s", err, again)
		}
	})
	t.Run("an existing connection gets the API and keeps its own time zone", func(t *testing.T) {
		data := []byte(strings.Replace(string(demoFile(t)), "baseUrl: https://acme.zendesk.com", "baseUrl: https://acme.zendesk.com\n    timezone: Asia/Kolkata", 1))
		c := zendeskConnection("acme-zendesk")
		c.BaseURL = "https://acme.zendesk.com"
		_, team, err := teamconfig.SetConnection(data, c)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := connection(team, "acme-zendesk")
		if got.TimeZone != "Asia/Kolkata" || got.API == nil || got.API.TokenParam != c.API.TokenParam || len(team.Connections) != 2 {
			t.Errorf("connection %+v, connections %d", got, len(team.Connections))
		}
	})
	t.Run("a file without connections gets the list", func(t *testing.T) {
		_, team, err := teamconfig.SetConnection([]byte("id: support\nname: Support\n"), zendeskConnection("acme-zendesk"))
		if err != nil || len(team.Connections) != 1 {
			t.Errorf("%v %+v", err, team.Connections)
		}
	})
	t.Run("a connection of another kind is not turned into this one", func(t *testing.T) {
		_, _, err := teamconfig.SetConnection(demoFile(t), zendeskConnection("acme-freshdesk"))
		if err == nil || !strings.Contains(err.Error(), "is a freshdesk connection") {
			t.Errorf("err %v", err)
		}
	})
	t.Run("an edit that makes the team invalid is refused with the field", func(t *testing.T) {
		c := zendeskConnection("acme2-zendesk")
		c.API.Email = "not an address"
		_, _, err := teamconfig.SetConnection(demoFile(t), c)
		if err == nil || !strings.Contains(err.Error(), "api.email") {
			t.Errorf("err %v, want one naming api.email", err)
		}
	})
}

func TestRemovingAConnection(t *testing.T) {
	t.Run("the connection and its members' ids go, the members stay", func(t *testing.T) {
		out, team, found, err := teamconfig.RemoveConnection(demoFile(t), "acme-zendesk")
		if err != nil || !found {
			t.Fatalf("%v %v", err, found)
		}
		if _, ok := connection(team, "acme-zendesk"); ok || len(team.Connections) != 1 || len(team.Members) != 3 {
			t.Errorf("connections %+v, %d members", team.Connections, len(team.Members))
		}
		for _, m := range team.Members {
			if _, ok := m.HelpdeskIDs["acme-zendesk"]; ok {
				t.Errorf("%s still has an acme-zendesk id", m.Name)
			}
		}
		if strings.Contains(string(out), "acme-zendesk") {
			t.Errorf("the file still names acme-zendesk:\n%s", out)
		}
	})
	t.Run("a connection the file does not have leaves the file as it was", func(t *testing.T) {
		before := demoFile(t)
		out, _, found, err := teamconfig.RemoveConnection(before, "nope")
		if err != nil || found || string(out) != string(before) {
			t.Errorf("%v %v, changed %v", err, found, string(out) != string(before))
		}
	})
}
