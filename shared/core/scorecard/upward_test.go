package scorecard_test

import (
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/scorecard"
)

func TestTheDashboardShowsUpwardFeedbackFromThreeAnswersAndNeverAPeers(t *testing.T) {
	team := care.Team{ID: "support", TimeZone: "Europe/London", Members: []care.Member{
		{Name: "Ana", Email: "ana@x.example", Manager: "jordan@x.example"},
		{Name: "Priya", Email: "priya@x.example", Manager: "jordan@x.example"},
		{Name: "Leo", Email: "leo@x.example", Manager: "jordan@x.example"},
		{Name: "Noor", Email: "noor@x.example", Manager: "kim@x.example"},
		{Name: "Omar", Email: "omar@x.example", Manager: "kim@x.example"},
		{Name: "Jordan", Email: "jordan@x.example", Manager: "sam@x.example"},
		{Name: "Kim", Email: "kim@x.example", Manager: "sam@x.example"},
	}}
	answer := func(manager string, score int) care.UpwardAnswer {
		return care.UpwardAnswer{UpwardRef: care.UpwardRef{Team: "support", Manager: manager, Month: "2026-12"}, Score: score, Words: "never shown"}
	}
	answers := []care.UpwardAnswer{answer("jordan@x.example", 5), answer("jordan@x.example", 4), answer("jordan@x.example", 3),
		answer("kim@x.example", 2), answer("kim@x.example", 3)}
	at := func(manager string, now time.Time) []scorecard.UpwardRow {
		rows, showFrom := scorecard.Upward(scorecard.Input{Team: team, Manager: manager, From: now.Add(-28 * 24 * time.Hour), To: now, Now: now, Upward: answers})
		if showFrom != 3 {
			t.Errorf("threshold %d", showFrom)
		}
		return rows
	}
	after := time.Date(2026, 12, 14, 9, 0, 0, 0, time.UTC)
	t.Run("three answers are shown", func(t *testing.T) {
		rows := at("jordan@x.example", after)
		if len(rows) != 1 || rows[0].Name != "Jordan" || len(rows[0].Months) != 6 {
			t.Fatalf("rows %+v, want Jordan's own six months only", rows)
		}
		if dec := rows[0].Months[5]; dec.Month != "2026-12" || dec.Withheld || dec.Answered != 3 || dec.Average != 4 {
			t.Errorf("December %+v, want 3 answers averaging 4", dec)
		}
		if nov := rows[0].Months[4]; !nov.Withheld || nov.Answered != 0 {
			t.Errorf("November %+v, want withheld", nov)
		}
	})
	t.Run("two answers are withheld", func(t *testing.T) {
		rows := at("kim@x.example", after)
		if len(rows) != 1 || rows[0].Manager != "kim@x.example" || !rows[0].Months[5].Withheld || rows[0].Months[5].Answered != 0 || rows[0].Months[5].Average != 0 {
			t.Fatalf("rows %+v, want Kim's December withheld without figures", rows)
		}
	})
	t.Run("the manager's manager sees their own, then both reports', and no round still open", func(t *testing.T) {
		rows := at("sam@x.example", after)
		if len(rows) != 3 || rows[0].Manager != "sam@x.example" || rows[1].Name != "Jordan" || rows[2].Name != "Kim" || rows[1].Months[5].Average != 4 || !rows[2].Months[5].Withheld {
			t.Fatalf("rows %+v, want Sam's, Jordan's shown and Kim's withheld", rows)
		}
		before := at("sam@x.example", time.Date(2026, 12, 10, 9, 0, 0, 0, time.UTC)) // December's results go on Friday 11
		if last := before[1].Months[5]; last.Month != "2026-11" || !last.Withheld {
			t.Errorf("before December's results the last month is %s, want November", last.Month)
		}
	})
}
