package devserver

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/wire"
)

// stream stands in for the DynamoDB stream locally: every delivery that the
// store newly creates is handed to the process service, in order, with
// retries like Lambda's stream retries.
type stream struct {
	process *app.Process
	log     *slog.Logger

	mu      sync.Mutex
	queue   []care.Delivery
	busy    bool
	wake    chan struct{}
	changed *sync.Cond
}

func newStream(p *app.Process, log *slog.Logger) *stream {
	s := &stream{process: p, log: log, wake: make(chan struct{}, 1)}
	s.changed = sync.NewCond(&s.mu)
	return s
}

// wrap returns ingest's store, feeding the stream after each new write.
func (s *stream) wrap(store wire.IngestStore) wire.IngestStore {
	return feedingStore{IngestStore: store, stream: s}
}

type feedingStore struct {
	wire.IngestStore
	stream *stream
}

func (f feedingStore) PutDelivery(ctx context.Context, d care.Delivery) (bool, error) {
	created, err := f.IngestStore.PutDelivery(ctx, d)
	if err == nil && created {
		f.stream.push(d)
	}
	return created, err
}

func (s *stream) push(d care.Delivery) {
	s.mu.Lock()
	s.queue = append(s.queue, d)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

const streamRetries = 5

func (s *stream) run(ctx context.Context) {
	for {
		s.mu.Lock()
		if len(s.queue) == 0 {
			s.busy = false
			s.changed.Broadcast()
			s.mu.Unlock()
			select {
			case <-ctx.Done():
				return
			case <-s.wake:
				continue
			}
		}
		d := s.queue[0]
		s.queue = s.queue[1:]
		s.busy = true
		s.mu.Unlock()

		for attempt := 1; ; attempt++ {
			err := s.process.Delivery(ctx, d)
			if err == nil || ctx.Err() != nil {
				break
			}
			if attempt == streamRetries {
				s.log.ErrorContext(ctx, "delivery failed after retries", "dedupeKey", d.DedupeKey, "error", err)
				break
			}
			s.log.WarnContext(ctx, "delivery failed, retrying", "dedupeKey", d.DedupeKey, "attempt", attempt, "error", err)
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Duration(attempt) * 200 * time.Millisecond):
			}
		}
	}
}

// idle waits until the queue is empty and nothing is being processed.
func (s *stream) idle(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		s.mu.Lock()
		for len(s.queue) > 0 || s.busy {
			s.changed.Wait()
		}
		s.mu.Unlock()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
