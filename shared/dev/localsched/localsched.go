// Package localsched is the local stand-in for EventBridge Scheduler: an
// in-process alarm clock that runs due tasks through the same fire service.
// Its clock is real time plus an offset that demos and tests can advance, so
// "24 hours later" takes a call instead of a day.
package localsched

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Clock is real time shifted by an adjustable offset, or, when started at a
// fixed instant, time that moves only when advanced.
type Clock struct {
	mu     sync.Mutex
	offset time.Duration
	fixed  time.Time
}

// RealClock follows the wall clock until advanced.
func RealClock() *Clock { return &Clock{} }

// FixedClock stands still at start until advanced: for tests.
func FixedClock(start time.Time) *Clock { return &Clock{fixed: start} }

// ClockFrom follows the wall clock, but starting at start: a recorded
// stream of events can play out at its own times.
func ClockFrom(start time.Time) *Clock { return &Clock{offset: time.Until(start)} }

// Now is the clock's current time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.fixed.IsZero() {
		return c.fixed.Add(c.offset)
	}
	return time.Now().Add(c.offset)
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// AdvanceTo moves the clock forward to t; a t in the past changes
// nothing, because time only moves forward.
func (c *Clock) AdvanceTo(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	if !c.fixed.IsZero() {
		now = c.fixed
	}
	if d := t.Sub(now.Add(c.offset)); d > 0 {
		c.offset += d
	}
}

// FireFunc runs one due task.
type FireFunc func(ctx context.Context, t care.TaskRef) error

// Retry policy for failing tasks, like Scheduler's own retries.
const (
	maxAttempts = 5
	firstRetry  = 10 * time.Second
)

type entry struct {
	ref      care.TaskRef
	kind     care.TaskKind
	due      time.Time
	attempts int
}

// Scheduler keeps pending tasks in memory and fires them when due. It also
// runs recurring jobs (a team's weekly digest), as the recurring schedules
// of EventBridge Scheduler do.
type Scheduler struct {
	clock *Clock
	log   *slog.Logger
	mu    sync.Mutex
	fire  FireFunc
	tasks map[string]entry
	jobs  []*recurring
	runMu sync.Mutex // one RunDue at a time
}

type recurring struct {
	name string
	next func(after time.Time) time.Time
	run  func(ctx context.Context) error
	due  time.Time
}

// Every runs job at the times next gives, starting after now.
func (s *Scheduler) Every(name string, next func(after time.Time) time.Time, job func(ctx context.Context) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jobs = append(s.jobs, &recurring{name: name, next: next, run: job, due: next(s.clock.Now())})
}

// New returns a scheduler on clock. Set the fire function with SetFire
// before tasks come due (the fire service and the scheduler need each other).
func New(clock *Clock, log *slog.Logger) *Scheduler {
	return &Scheduler{clock: clock, log: log, tasks: map[string]entry{}}
}

// SetFire sets what runs a due task.
func (s *Scheduler) SetFire(f FireFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fire = f
}

// Schedule arranges for t to fire at its due time; scheduling the same task
// again changes nothing.
func (s *Scheduler) Schedule(_ context.Context, t care.Task) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.tasks[t.ID]; !ok {
		s.tasks[t.ID] = entry{ref: care.TaskRef{Ticket: t.Ticket, ID: t.ID}, kind: t.Kind, due: t.DueAt}
	}
	return nil
}

// Cancel forgets a task; cancelling an unknown task is fine.
func (s *Scheduler) Cancel(_ context.Context, t care.Task) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tasks, t.ID)
	return nil
}

// Pending lists the scheduled tasks, soonest first.
func (s *Scheduler) Pending() []care.TaskRef {
	s.mu.Lock()
	defer s.mu.Unlock()
	es := make([]entry, 0, len(s.tasks))
	for _, e := range s.tasks {
		es = append(es, e)
	}
	slices.SortFunc(es, func(a, b entry) int { return a.due.Compare(b.due) })
	out := make([]care.TaskRef, len(es))
	for i, e := range es {
		out[i] = e.ref
	}
	return out
}

// Scheduled is a pending task as the scheduler holds it.
type Scheduled struct {
	care.TaskRef
	Kind  care.TaskKind
	DueAt time.Time // the next attempt's time
}

// PendingTasks lists the scheduled tasks with their kind and due time,
// soonest first.
func (s *Scheduler) PendingTasks() []Scheduled {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Scheduled, 0, len(s.tasks))
	for _, e := range s.tasks {
		out = append(out, Scheduled{TaskRef: e.ref, Kind: e.kind, DueAt: e.due})
	}
	slices.SortFunc(out, func(a, b Scheduled) int { return a.DueAt.Compare(b.DueAt) })
	return out
}

// NextDue is the soonest time something is due, a task or a recurring
// job; false when nothing is scheduled.
func (s *Scheduler) NextDue() (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var next time.Time
	for _, e := range s.tasks {
		if next.IsZero() || e.due.Before(next) {
			next = e.due
		}
	}
	for _, j := range s.jobs {
		if next.IsZero() || j.due.Before(next) {
			next = j.due
		}
	}
	return next, !next.IsZero()
}

// RunDue fires every task that is due now, soonest first, and returns how
// many fired successfully. A failing task is retried later with backoff,
// and given up (logged) after a few attempts.
func (s *Scheduler) RunDue(ctx context.Context) int {
	s.runMu.Lock()
	defer s.runMu.Unlock()
	now := s.clock.Now()
	s.mu.Lock()
	fire := s.fire
	var due []entry
	for id, e := range s.tasks {
		if !e.due.After(now) {
			due = append(due, e)
			delete(s.tasks, id)
		}
	}
	var jobs []*recurring
	for _, j := range s.jobs {
		if !j.due.After(now) {
			jobs = append(jobs, j)
			j.due = j.next(now)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(due, func(a, b entry) int { return a.due.Compare(b.due) })

	fired := 0
	for _, j := range jobs {
		if err := j.run(ctx); err != nil {
			s.log.ErrorContext(ctx, "recurring job failed", "job", j.name, "error", err)
			continue
		}
		fired++
	}
	for _, e := range due {
		if fire == nil {
			s.log.ErrorContext(ctx, "local scheduler has no fire function")
			return fired
		}
		err := fire(ctx, e.ref)
		if err == nil {
			fired++
			continue
		}
		e.attempts++
		if e.attempts >= maxAttempts {
			s.log.ErrorContext(ctx, "task failed, giving up", "task", e.ref.ID, "attempts", e.attempts, "error", err)
			continue
		}
		e.due = now.Add(firstRetry << (e.attempts - 1))
		s.log.WarnContext(ctx, "task failed, will retry", "task", e.ref.ID, "attempt", e.attempts, "retryAt", e.due, "error", err)
		s.mu.Lock()
		s.tasks[e.ref.ID] = e
		s.mu.Unlock()
	}
	return fired
}

// Run fires due tasks every interval until ctx ends.
func (s *Scheduler) Run(ctx context.Context, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			s.RunDue(ctx)
		}
	}
}
