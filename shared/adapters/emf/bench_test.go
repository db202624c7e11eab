package emf_test

import (
	"context"
	"io"
	"sync"
	"testing"

	"github.com/carecoach/carecoach/shared/adapters/emf"
)

var benchNames = []string{emf.Deliveries, emf.Duplicates, emf.Moments, emf.TasksScheduled, emf.EmailsSent}

// mutexMap is the baseline: the least a concurrency-safe counter can do.
type mutexMap struct {
	mu sync.Mutex
	m  map[string]int64
}

func (c *mutexMap) add(name string, n int) {
	c.mu.Lock()
	c.m[name] += int64(n)
	c.mu.Unlock()
}

// BenchmarkAdd compares Recorder.Add (and Count through a context) with a
// plain mutex-protected map increment, serially and from parallel goroutines.
func BenchmarkAdd(b *testing.B) {
	b.Run("Recorder.Add", func(b *testing.B) {
		r := emf.New(io.Discard, "CareCoach", ingest, clock)
		for i := 0; b.Loop(); i++ {
			r.Add(benchNames[i%len(benchNames)], 1)
		}
	})
	b.Run("mutex-map", func(b *testing.B) {
		c := &mutexMap{m: map[string]int64{}}
		for i := 0; b.Loop(); i++ {
			c.add(benchNames[i%len(benchNames)], 1)
		}
	})
	b.Run("Count-via-context", func(b *testing.B) {
		ctx := emf.WithRecorder(context.Background(), emf.New(io.Discard, "CareCoach", ingest, clock))
		for i := 0; b.Loop(); i++ {
			emf.Count(ctx, benchNames[i%len(benchNames)], 1)
		}
	})
	b.Run("nil-Recorder.Add", func(b *testing.B) {
		var r *emf.Recorder
		for i := 0; b.Loop(); i++ {
			r.Add(benchNames[i%len(benchNames)], 1)
		}
	})
	b.Run("Recorder.Add-parallel", func(b *testing.B) {
		r := emf.New(io.Discard, "CareCoach", ingest, clock)
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i++ {
				r.Add(benchNames[i%len(benchNames)], 1)
			}
		})
	})
	b.Run("mutex-map-parallel", func(b *testing.B) {
		c := &mutexMap{m: map[string]int64{}}
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i++ {
				c.add(benchNames[i%len(benchNames)], 1)
			}
		})
	})
}

// BenchmarkFlush measures writing one document of the project's eleven
// metrics.
func BenchmarkFlush(b *testing.B) {
	r := emf.New(io.Discard, "CareCoach", ingest, clock)
	names := []string{emf.Deliveries, emf.Duplicates, emf.Rejected, emf.DeadLettered, emf.Moments,
		emf.TasksScheduled, emf.TasksFired, emf.EmailsSent, emf.RepliesAccepted, emf.RepliesRejected, emf.DigestsSent}
	b.ReportAllocs()
	for b.Loop() {
		for _, n := range names {
			r.Add(n, 1)
		}
		if err := r.Flush(); err != nil {
			b.Fatal(err)
		}
	}
}
