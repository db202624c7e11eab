package playbook_test

import (
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/playbook"
)

func TestTheUpwardJobAsksOnTheFirstDayOfTheMonthAndShowsResultsOnTheSecond(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	u := playbook.UpwardOf(care.Team{TimeZone: "Europe/London"})
	for _, tc := range []struct {
		name  string
		at    time.Time
		step  playbook.UpwardStep
		month string
	}{
		{"the first Friday of December asks", time.Date(2026, 12, 4, 14, 0, 0, 0, london), playbook.UpwardAsk, "2026-12"},
		{"the second Friday shows the results", time.Date(2026, 12, 11, 14, 0, 0, 0, london), playbook.UpwardResults, "2026-12"},
		{"the third Friday does nothing", time.Date(2026, 12, 18, 14, 0, 0, 0, london), playbook.UpwardNothing, "2026-12"},
		{"the fifth Friday does nothing", time.Date(2027, 1, 29, 14, 0, 0, 0, london), playbook.UpwardNothing, "2027-01"},
		{"Friday 1 January is the first", time.Date(2027, 1, 1, 14, 0, 0, 0, london), playbook.UpwardAsk, "2027-01"},
		{"a Thursday does nothing", time.Date(2026, 12, 3, 14, 0, 0, 0, london), playbook.UpwardNothing, "2026-12"},
		{"in London 23:30 UTC on Thursday 1 April is still Thursday", time.Date(2027, 4, 1, 21, 30, 0, 0, time.UTC), playbook.UpwardNothing, "2027-04"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			step, month := u.Step(tc.at)
			if step != tc.step || month != tc.month {
				t.Errorf("Step(%s) = %v %s, want %v %s", tc.at, step, month, tc.step, tc.month)
			}
		})
	}
	kolkata := playbook.UpwardOf(care.Team{TimeZone: "Asia/Kolkata"})
	if step, month := kolkata.Step(time.Date(2027, 4, 1, 21, 30, 0, 0, time.UTC)); step != playbook.UpwardAsk || month != "2027-04" {
		t.Errorf("the day is the team's: 21:30 UTC on Thursday 1 April is Friday 2 April in Kolkata, the first; got %v %s", step, month)
	}
	if got := u.NextRun(time.Date(2026, 12, 4, 14, 0, 0, 0, london)); !got.Equal(time.Date(2026, 12, 11, 14, 0, 0, 0, london)) {
		t.Errorf("next run after the first Friday is %s, want the next Friday 14:00", got)
	}
	if got := u.ResultsAt("2026-12"); !got.Equal(time.Date(2026, 12, 11, 14, 0, 0, 0, london)) {
		t.Errorf("December's results at %s, want Friday 11 Dec 14:00 London", got)
	}
	if got := u.Cron(); got != "cron(0 14 ? * FRI *)" {
		t.Errorf("cron %s", got)
	}
}

func TestTheUpwardQuestionRotatesByMonth(t *testing.T) {
	u := playbook.UpwardOf(care.Team{})
	seen := map[string]bool{}
	for _, m := range []string{"2026-09", "2026-10", "2026-11", "2026-12"} {
		seen[u.Question(m)] = true
	}
	if len(seen) != 4 || u.Question("2026-12") != u.Question("2027-04") {
		t.Errorf("four months asked %d questions; December and April asked %q and %q", len(seen), u.Question("2026-12"), u.Question("2027-04"))
	}
}

func TestEachMemberIsAskedAboutTheirManagerNeverAboutThemselves(t *testing.T) {
	team := care.Team{
		Managers: []string{"lead@x.example"},
		Members: []care.Member{
			{Name: "Ana", Email: "ana@x.example", Manager: "Jordan@x.example"},
			{Name: "Bo", Email: "bo@x.example"},
			{Name: "Jordan", Email: "jordan@x.example", Manager: "sam@x.example"},
			{Name: "Lead", Email: "lead@x.example"},
		},
	}
	var got []string
	for _, p := range playbook.UpwardPairs(team) {
		got = append(got, p.Member.Name+" about "+p.Manager)
	}
	want := "Ana about jordan@x.example, Bo about lead@x.example, Jordan about sam@x.example"
	if strings.Join(got, ", ") != want {
		t.Errorf("pairs %q, want %q", strings.Join(got, ", "), want)
	}
	if r := playbook.Reports(team, "sam@x.example"); len(r) != 1 || r[0].Name != "Jordan" {
		t.Errorf("Sam's reports %+v, want Jordan", r)
	}
}

func TestARoundIsShownOnlyFromTheThreshold(t *testing.T) {
	u := playbook.UpwardOf(care.Team{})
	answer := func(manager string, score int, words string) care.UpwardAnswer {
		return care.UpwardAnswer{UpwardRef: care.UpwardRef{Manager: manager, Month: "2026-12"}, Score: score, Words: words, Question: "Q?"}
	}
	two := []care.UpwardAnswer{answer("j@x", 5, "zebra"), answer("j@x", 3, "apple"), answer("k@x", 1, "other manager")}
	if r := u.Round("j@x", "2026-12", two); r.Shown || r.Answered != 2 || r.Average != 0 || r.Words != nil || r.Scores != [5]int{} {
		t.Errorf("two answers: %+v, want withheld with only the count", r)
	}
	three := append(two, answer("J@x", 4, ""))
	r := u.Round("j@x", "2026-12", three)
	if !r.Shown || r.Answered != 3 || r.Average != 4 || r.Scores != [5]int{0, 0, 1, 1, 1} || strings.Join(r.Words, ",") != "apple,zebra" || r.Question != "Q?" {
		t.Errorf("three answers: %+v, want shown, average 4, words sorted", r)
	}
	trend := u.Trend("j@x", "2026-12", three)
	if len(trend) != 6 || trend[0].Month != "2026-07" || !trend[5].Shown || trend[5].Words != nil || trend[4].Shown {
		t.Errorf("trend %+v, want six months to December, December shown without words", trend)
	}
}
