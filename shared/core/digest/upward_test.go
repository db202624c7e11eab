package digest_test

import (
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/digest"
)

func TestTheDigestShowsUpwardFeedbackOnlyFromTheThreshold(t *testing.T) {
	team := care.Team{ID: "support", TimeZone: "Europe/London", Members: []care.Member{
		{Name: "Ana", Email: "ana@x.example", Manager: "jordan@x.example"},
		{Name: "Priya", Email: "priya@x.example", Manager: "jordan@x.example"},
		{Name: "Leo", Email: "leo@x.example", Manager: "jordan@x.example"},
		{Name: "Jordan", Email: "jordan@x.example", Manager: "sam@x.example"},
	}}
	answer := func(month string, score int) care.UpwardAnswer {
		return care.UpwardAnswer{UpwardRef: care.UpwardRef{Team: "support", Manager: "jordan@x.example", Month: month}, Score: score, Words: "private words"}
	}
	answers := []care.UpwardAnswer{answer("2026-11", 2), answer("2026-11", 3), answer("2026-12", 5), answer("2026-12", 4), answer("2026-12", 3)}
	monday14 := time.Date(2026, 12, 14, 8, 0, 0, 0, time.UTC)
	monday7 := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)

	t.Run("after December's results, Jordan's digest shows December's average and no words", func(t *testing.T) {
		u := digest.UpwardOf(team, "jordan@x.example", answers, monday14)
		if u == nil || u.Own == nil || !u.Own.Shown || u.Own.Month != "2026-12" || u.Own.Average != 4 || u.Own.Answered != 3 || u.Own.Words != nil || len(u.Reports) != 0 {
			t.Fatalf("got %+v", u)
		}
	})
	t.Run("before them, November's two answers are withheld", func(t *testing.T) {
		u := digest.UpwardOf(team, "jordan@x.example", answers, monday7)
		if u == nil || u.Own == nil || u.Own.Shown || u.Own.Month != "2026-11" || u.Own.Answered != 2 || u.Own.Average != 0 {
			t.Fatalf("got %+v", u.Own)
		}
	})
	t.Run("Sam, Jordan's manager, sees Jordan's trend with November withheld", func(t *testing.T) {
		u := digest.UpwardOf(team, "sam@x.example", answers, monday14)
		if u == nil || u.Own == nil || u.Own.Answered != 0 || len(u.Reports) != 1 || u.Reports[0].Manager.Name != "Jordan" {
			t.Fatalf("got %+v", u)
		}
		trend := u.Reports[0].Trend
		if len(trend) != 6 || trend[4].Shown || trend[4].Average != 0 || !trend[5].Shown || trend[5].Average != 4 || trend[5].Words != nil {
			t.Errorf("trend %+v, want November withheld, December 4.0 without words", trend)
		}
	})
	t.Run("a round nobody answered is shown but is no reason to send a digest", func(t *testing.T) {
		u := digest.UpwardOf(team, "jordan@x.example", nil, monday14)
		if u == nil || u.Own == nil || u.Own.Answered != 0 || u.Worth() {
			t.Errorf("got %+v", u)
		}
		if !digest.UpwardOf(team, "sam@x.example", answers, monday14).Worth() {
			t.Error("Jordan's answers in Sam's trend are worth a digest")
		}
	})
	t.Run("a team that does not ask has no section", func(t *testing.T) {
		off := team
		off.Upward.Off = true
		if u := digest.UpwardOf(off, "jordan@x.example", answers, monday14); u != nil || u.Worth() {
			t.Errorf("got %+v", u)
		}
	})
}
