package app

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// paced is mailer with its sends started at most perSecond a second (SES's
// maximum send rate), however many goroutines send; perSecond 0 is mailer
// as it is.
func paced(mailer Mailer, perSecond float64) Mailer {
	if perSecond <= 0 {
		return mailer
	}
	return &pacedMailer{next: mailer, every: time.Duration(float64(time.Second) / perSecond)}
}

type pacedMailer struct {
	next  Mailer
	every time.Duration

	mu   sync.Mutex
	slot time.Time // when the next send may start
}

// Send waits for the next free slot, then sends.
func (p *pacedMailer) Send(ctx context.Context, e care.Email) (string, error) {
	p.mu.Lock()
	at := time.Now()
	if p.slot.After(at) {
		at = p.slot
	}
	p.slot = at.Add(p.every)
	p.mu.Unlock()
	if wait := time.Until(at); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("waiting to send within SES's rate: %w", ctx.Err())
		case <-t.C:
		}
	}
	return p.next.Send(ctx, e)
}
