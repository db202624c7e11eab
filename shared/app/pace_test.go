package app

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

type clockedMailer struct {
	mu   sync.Mutex
	sent []time.Time
}

func (m *clockedMailer) Send(context.Context, care.Email) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, time.Now())
	return "id", nil
}

// Sends side by side start no faster than the rate: the i-th to start
// starts i intervals after the first could.
func TestPacedSendsKeepToTheRate(t *testing.T) {
	inner := &clockedMailer{}
	mailer := paced(inner, 100) // one every 10 ms
	t0 := time.Now()
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			if _, err := mailer.Send(context.Background(), care.Email{}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	slices.SortFunc(inner.sent, func(a, b time.Time) int { return a.Compare(b) })
	for i, at := range inner.sent {
		if at.Before(t0.Add(time.Duration(i) * 10 * time.Millisecond)) {
			t.Errorf("send %d started %v after the first could, want at least %v", i, at.Sub(t0), time.Duration(i)*10*time.Millisecond)
		}
	}
	if len(inner.sent) != 6 {
		t.Errorf("sent %d, want 6", len(inner.sent))
	}
	if paced(inner, 0) != Mailer(inner) {
		t.Error("rate 0 must leave the mailer as it is")
	}
	ctx, cancel := context.WithCancel(context.Background())
	slow := paced(inner, 0.001)
	_, _ = slow.Send(ctx, care.Email{}) // takes the first slot
	cancel()
	if _, err := slow.Send(ctx, care.Email{}); err == nil {
		t.Error("a send waiting for its slot did not stop with its context")
	}
}
