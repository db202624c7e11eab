package localsched_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/localsched"
)

var (
	ctx = context.Background()
	t0  = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	ref = care.TicketRef{Connection: "c", TicketID: "1"}
	log = slog.New(slog.NewTextHandler(io.Discard, nil))
)

func TestTasksFireOnlyWhenTheClockReachesThem(t *testing.T) {
	clock := localsched.FixedClock(t0)
	s := localsched.New(clock, log)
	var fired []string
	s.SetFire(func(_ context.Context, r care.TaskRef) error { fired = append(fired, r.ID); return nil })
	late := care.NewTask(ref, care.RespondCheck, "b", t0.Add(48*time.Hour))
	soon := care.NewTask(ref, care.RespondCheck, "a", t0.Add(24*time.Hour))
	cancelled := care.NewTask(ref, care.RespondCheck, "c", t0.Add(time.Hour))
	for _, task := range []care.Task{late, soon, soon, cancelled} {
		_ = s.Schedule(ctx, task)
	}
	_ = s.Cancel(ctx, cancelled)

	if n := s.RunDue(ctx); n != 0 {
		t.Fatalf("fired %d tasks before any was due", n)
	}
	clock.Advance(24 * time.Hour)
	if n := s.RunDue(ctx); n != 1 || len(fired) != 1 || fired[0] != soon.ID {
		t.Fatalf("after 24h fired %v, want only the 24h task once", fired)
	}
	clock.Advance(48 * time.Hour)
	s.RunDue(ctx)
	if len(fired) != 2 || fired[1] != late.ID {
		t.Fatalf("after 72h fired %v, want the 48h task second", fired)
	}
	if len(s.Pending()) != 0 {
		t.Errorf("pending after all fired: %v", s.Pending())
	}
}

func TestAFailingTaskIsRetriedThenGivenUp(t *testing.T) {
	clock := localsched.FixedClock(t0)
	s := localsched.New(clock, log)
	calls := 0
	s.SetFire(func(context.Context, care.TaskRef) error { calls++; return errors.New("boom") })
	_ = s.Schedule(ctx, care.NewTask(ref, care.RespondCheck, "a", t0))
	for range 10 {
		s.RunDue(ctx)
		clock.Advance(time.Hour)
	}
	if calls != 5 {
		t.Errorf("fire called %d times, want 5 attempts", calls)
	}
}

func TestTheRealClockCanBeAdvanced(t *testing.T) {
	c := localsched.RealClock()
	before := time.Now()
	c.Advance(25 * time.Hour)
	if got := c.Now().Sub(before); got < 25*time.Hour || got > 25*time.Hour+time.Minute {
		t.Errorf("advanced clock is %s ahead, want 25h", got)
	}
}

func TestARecurringJobRunsAtEachOccurrence(t *testing.T) {
	clock := localsched.FixedClock(t0) // Monday 30 Nov 09:00
	s := localsched.New(clock, log)
	runs := 0
	daily := func(after time.Time) time.Time {
		next := time.Date(after.Year(), after.Month(), after.Day(), 8, 0, 0, 0, time.UTC)
		if !next.After(after) {
			next = next.Add(24 * time.Hour)
		}
		return next
	}
	s.Every("digest", daily, func(context.Context) error { runs++; return nil })
	clock.Advance(22 * time.Hour) // 07:00 next day
	s.RunDue(ctx)
	if runs != 0 {
		t.Fatalf("ran %d times before 08:00", runs)
	}
	clock.Advance(2 * time.Hour)
	s.RunDue(ctx)
	s.RunDue(ctx)
	if runs != 1 {
		t.Fatalf("ran %d times at 09:00 the next day, want once", runs)
	}
	clock.Advance(24 * time.Hour)
	s.RunDue(ctx)
	if runs != 2 {
		t.Errorf("ran %d times after two days, want twice", runs)
	}
}

func TestAClockStartedAtAnInstantRunsOnFromIt(t *testing.T) {
	c := localsched.ClockFrom(t0)
	if d := c.Now().Sub(t0); d < 0 || d > time.Second {
		t.Errorf("a clock started at %s reads %s", t0, c.Now())
	}
	c.AdvanceTo(t0.Add(time.Hour))
	c.AdvanceTo(t0) // the past: nothing
	if d := c.Now().Sub(t0.Add(time.Hour)); d < 0 || d > time.Second {
		t.Errorf("after moving to +1h the clock reads %s", c.Now())
	}
}

func TestPendingTasksSayWhatIsDueWhenAndTheNextDueTimeIncludesJobs(t *testing.T) {
	s := localsched.New(localsched.FixedClock(t0), log)
	check := care.NewTask(ref, care.RespondCheck, "a", t0.Add(24*time.Hour))
	warn := care.NewTask(ref, care.RespondWarning, "a", t0.Add(19*time.Hour))
	for _, task := range []care.Task{check, warn} {
		_ = s.Schedule(ctx, task)
	}
	got := s.PendingTasks()
	if len(got) != 2 || got[0].Kind != care.RespondWarning || !got[0].DueAt.Equal(warn.DueAt) || got[1].ID != check.ID {
		t.Errorf("pending %+v, want the warning then the check", got)
	}
	if next, ok := s.NextDue(); !ok || !next.Equal(warn.DueAt) {
		t.Errorf("next due %v %v, want the warning's time", next, ok)
	}
	s.Every("digest", func(after time.Time) time.Time { return after.Add(time.Hour) }, func(context.Context) error { return nil })
	if next, _ := s.NextDue(); !next.Equal(t0.Add(time.Hour)) {
		t.Errorf("next due %v, want the job's first run at +1h", next)
	}
}
