package teamconfig_test

import (
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/teamconfig"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/playbook"
)

func TestTheDemoTeamLoads(t *testing.T) {
	team, err := teamconfig.Load("../../../infra/dev/team.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if team.ID != "support" || len(team.Connections) != 2 || len(team.Members) != 3 {
		t.Errorf("team = %+v", team)
	}
	if time.Duration(team.Respond.Window) != 24*time.Hour || team.Respond.WarnAt != 0.8 || time.Duration(team.FollowUp.After) != 7*24*time.Hour {
		t.Errorf("respond/followUp = %+v %+v", team.Respond, team.FollowUp)
	}
	if len(team.FollowUp.Checklist) != 3 || team.Digest.Day != "mon" || team.Feedback.PraiseRatio != 3 {
		t.Errorf("checklist/digest/feedback = %+v %+v %+v", team.FollowUp.Checklist, team.Digest, team.Feedback)
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
		{"a misspelt playbook option is refused", "id: s\nrespond: {windw: 2h}\n", "field windw not found"},
		{"a warning at or past the whole window is named", "id: s\nrespond: {warnAt: 120%}\n", "respond.warnAt: 120 must be between 0% and 100%"},
		{"a percentage that is not one is named", "id: s\nrespond: {warnAt: most}\n", `not a percentage like "80%": "most"`},
		{"a follow-up delay in weeks is refused with the accepted forms", "id: s\nfollowUp: {after: 1w}\n", `not a duration like "7d" or "24h": "1w"`},
		{"an empty checklist question is named", "id: s\nfollowUp: {checklist: [ok, '  ']}\n", "followUp.checklist[1]: is empty"},
		{"business hours that end before they start are named", "id: s\nbusinessHours: {days: [mon], start: '18:00', end: '09:00'}\n", "businessHours: start 18:00 must be before end 09:00"},
		{"a business day that is not a day is named", "id: s\nbusinessHours: {days: [mon, funday], start: '09:00', end: '17:00'}\n", `businessHours.days[1]: "funday" is not a day of the week`},
		{"a digest time that is not a time is named", "id: s\ndigest: {day: mon, time: '8am'}\n", `digest.time: "8am" is not a time like 08:00`},
		{"a check-back later than 20 business days is named", "id: s\ncheckBack: {after: 30}\n", "checkBack.after: 30 must be a number of business days from 1 to 20"},
		{"a negative check-back delay is named", "id: s\ncheckBack: {after: -1}\n", "checkBack.after: -1 must be a number of business days from 1 to 20"},
		{"a check-back time that is not a time is named", "id: s\ncheckBack: {time: 9am}\n", `checkBack.time: "9am" is not a time like 09:00`},
		{"a check-back delay is a number of business days, not a duration", "id: s\ncheckBack: {after: 3d}\n", `not a number of business days like 3 or "3 business days": "3d"`},
		{"asking for feedback overdue after more than 30 days is named", "id: s\naskForFeedback: {overdue: 45d}\n", "askForFeedback.overdue: 1080h0m0s must be between 0 (the default, 2d) and 30d"},
		{"an upward feedback threshold under three is refused, saying why", "id: s\nupwardFeedback: {showFrom: 2}\n", "upwardFeedback.showFrom: 2 is too low: with fewer than 3 answers a manager could tell who said what"},
		{"an upward feedback day that is not a day is named", "id: s\nupwardFeedback: {day: payday}\n", `upwardFeedback.day: "payday" is not a day of the week`},
		{"an upward feedback time that is not a time is named", "id: s\nupwardFeedback: {time: 2pm}\n", `upwardFeedback.time: "2pm" is not a time like 14:00`},
		{"an empty upward feedback question is named", "id: s\nupwardFeedback: {questions: [\"Did you get help?\", \" \"]}\n", "upwardFeedback.questions[1]: is empty"},
		{"a misspelt ask option is refused", "id: s\naskForFeedback: {of: true}\n", "field of not found"},
		{"a meeting day that is not a day is named", "id: s\nmeeting: {day: mondy}\n", `meeting.day: "mondy" is not a day of the week`},
		{"a meeting time that is not a time is named", "id: s\nmeeting: {day: mon, time: 10am}\n", `meeting.time: "10am" is not a time like 10:00`},
		{"a brief less than 15 minutes before the meeting is named", "id: s\nmeeting: {day: mon, briefBefore: 5m}\n", "meeting.briefBefore: 5m0s must be between 15m and 3d"},
		{"a brief more than 3 days before the meeting is named", "id: s\nmeeting: {day: mon, briefBefore: 4d}\n", "meeting.briefBefore: 96h0m0s must be between 15m and 3d"},
		{"a meeting time without a day is named", "id: s\nmeeting: {time: \"10:00\"}\n", "meeting.day: is required with meeting.time or meeting.briefBefore"},
		{"a misspelt meeting option is refused", "id: s\nmeeting: {day: mon, brief: 2h}\n", "field brief not found"},
		{"a manager that is not an address is named", "id: s\nmanagers: [jordan]\n", `managers[0]: "jordan" is not a plain email address`},
		{"a bad time zone is named", "id: s\ntimezone: Mars/Olympus\n", `timezone: "Mars/Olympus" is not an IANA time zone`},
		{"a bad duration is named", "id: s\nrespond: {window: soon}\n", `not a duration like "7d" or "24h": "soon"`},
		{"a connection's bad time zone is named", "id: s\nconnections: [{id: c, kind: freshdesk, timezone: IST}]\n", `connections[0].timezone: "IST" is not an IANA time zone such as Asia/Kolkata`},
		{"an unknown help desk kind is named", "id: s\nconnections: [{id: c, kind: jira}]\n", `connections[0].kind: "jira" must be zendesk or freshdesk`},
		{"a bad email is named", "id: s\nmembers: [{name: A, email: not-an-address}]\n", `members[0].email: "not-an-address" is not a plain email address`},
		{"a member on an unknown connection is named", "id: s\nmembers: [{name: A, email: a@x.example, helpdeskIds: {zd: '1'}}]\n", `members[0].helpdeskIds: names connection "zd"`},
		{"a bad team id is named", "id: Support Team\n", `id: "Support Team" must be lower-case`},
		{"an API token given as a value, not a parameter, is refused", "id: s\nconnections: [{id: zd, kind: zendesk, baseUrl: 'https://acme.zendesk.com', api: {email: a@x.example, tokenParam: 'tok-123'}}]\n", `connections[0].api.tokenParam: "tok-123" must name an SSM parameter`},
		{"a Zendesk API without the agent's email is named", "id: s\nconnections: [{id: zd, kind: zendesk, baseUrl: 'https://acme.zendesk.com', api: {tokenParam: /t}}]\n", `connections[0].api.email: "" must be the email of the Zendesk agent`},
		{"an API on a connection without its https URL is named", "id: s\nconnections: [{id: fd, kind: freshdesk, api: {tokenParam: /t}}]\n", `connections[0].baseUrl: must be the account's https:// URL when api is set`},
		{"a backfill beyond a year is refused", "id: s\nconnections: [{id: fd, kind: freshdesk, baseUrl: 'https://acme.freshdesk.com', api: {tokenParam: /t, backfillDays: 400}}]\n", `connections[0].api.backfillDays: 400 must be between 0`},
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

func TestAConnectionsAPIIsReadWithItsBackfillDefault(t *testing.T) {
	team, err := teamconfig.Parse([]byte("id: s\nconnections:\n  - {id: fd, kind: freshdesk, baseUrl: 'https://acme.freshdesk.com', api: {tokenParam: /carecoach/prod/helpdesk-tokens/fd}}\n  - {id: zd, kind: zendesk, baseUrl: 'https://acme.zendesk.com', api: {email: lead@acme.example, tokenParam: /t, backfillDays: 7}}\n  - {id: plain, kind: zendesk}\n"))
	if err != nil {
		t.Fatal(err)
	}
	fd, zd, plain := team.Connections[0].API, team.Connections[1].API, team.Connections[2].API
	if fd == nil || fd.TokenParam != "/carecoach/prod/helpdesk-tokens/fd" || fd.Backfill() != 30*24*time.Hour {
		t.Errorf("freshdesk api %+v", fd)
	}
	if zd == nil || zd.Email != "lead@acme.example" || zd.Backfill() != 7*24*time.Hour {
		t.Errorf("zendesk api %+v", zd)
	}
	if plain != nil {
		t.Errorf("a connection without api has %+v", plain)
	}
}

func TestAConnectionReadsTimesInItsOwnZoneOrElseTheTeams(t *testing.T) {
	team, err := teamconfig.Parse([]byte("id: s\ntimezone: Europe/London\nconnections:\n  - {id: fd-in, kind: freshdesk, timezone: Asia/Kolkata}\n  - {id: zd, kind: zendesk}\n"))
	if err != nil {
		t.Fatal(err)
	}
	for conn, want := range map[string]string{"fd-in": "Asia/Kolkata", "zd": "Europe/London", "unknown": "Europe/London"} {
		if got := team.HelpdeskZone(conn).String(); got != want {
			t.Errorf("HelpdeskZone(%s) = %s, want %s", conn, got, want)
		}
	}
	if got := (care.Team{ID: "s"}).HelpdeskZone("x"); got != time.UTC {
		t.Errorf("a team without a zone reads times in %v, want UTC", got)
	}
}

func TestAskingForFeedbackIsOnByDefaultAndCanBeTurnedOff(t *testing.T) {
	on, err := teamconfig.Parse([]byte("id: s\n"))
	if err != nil || on.Ask.Off || on.Ask.OverdueAfter() != 48*time.Hour {
		t.Errorf("default: %+v, %v; want on, overdue after 2 days", on.Ask, err)
	}
	off, err := teamconfig.Parse([]byte("id: s\naskForFeedback: {off: true, overdue: 3d}\n"))
	if err != nil || !off.Ask.Off || off.Ask.OverdueAfter() != 72*time.Hour {
		t.Errorf("set: %+v, %v", off.Ask, err)
	}
}

func TestUpwardFeedbackIsOnByDefaultWithAThresholdOfThree(t *testing.T) {
	on, err := teamconfig.Parse([]byte("id: s\n"))
	if u := playbook.UpwardOf(on); err != nil || !u.On || u.Day != time.Friday || u.Time != "14:00" || u.ShowFrom != 3 ||
		u.Questions[0] != "When you needed help this month, did you get it?" || len(u.Questions) != 4 {
		t.Errorf("default: %+v, %v; want on, Fridays 14:00, shown from 3 answers, the four default questions", u, err)
	}
	set, err := teamconfig.Parse([]byte("id: s\nupwardFeedback: {off: true, day: wed, time: \"10:30\", showFrom: 5, questions: [\"Did you get help?\"]}\n"))
	if u := playbook.UpwardOf(set); err != nil || u.On || u.Day != time.Wednesday || u.Time != "10:30" || u.ShowFrom != 5 || len(u.Questions) != 1 {
		t.Errorf("set: %+v, %v", u, err)
	}
}

func TestAWeeklyMeetingIsReadWithItsDefaults(t *testing.T) {
	none, err := teamconfig.Parse([]byte("id: s\n"))
	if err != nil || none.Meeting.Day != "" {
		t.Errorf("default: %+v, %v; want no meeting", none.Meeting, err)
	}
	set, err := teamconfig.Parse([]byte("id: s\nmeeting: {day: tue, time: \"09:30\", briefBefore: 1d}\n"))
	if err != nil || set.Meeting.Day != "tue" || set.Meeting.Time != "09:30" || time.Duration(set.Meeting.BriefBefore) != 24*time.Hour {
		t.Errorf("set: %+v, %v", set.Meeting, err)
	}
}

func TestACheckBackDelayReadsAsBusinessDays(t *testing.T) {
	for _, yaml := range []string{"id: s\ncheckBack: {after: 5}\n", "id: s\ncheckBack: {after: 5 business days}\n"} {
		team, err := teamconfig.Parse([]byte(yaml))
		if err != nil || team.CheckBack.After != 5 {
			t.Errorf("%q: after = %d, %v; want 5", yaml, team.CheckBack.After, err)
		}
	}
}
