// Package bench measures carecoach on the local stack and writes
// BENCHMARKS.md. The measurements are a test behind the "bench" build tag,
// run by `make bench`:
//
//	go test -tags bench -run TestBenchmarkReport -timeout 15m ./infra/bench/
//
// Every speed figure is a ratio to a baseline measured in the same run
// (raw DynamoDB Local calls), because the machines it runs on are noisy.
// This file holds what the measurements share: request accounting, latency
// statistics and the report.
package bench

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Requests counts the DynamoDB requests an SDK client sends, by operation
// (the X-Amz-Target header's suffix, e.g. "PutItem"). It wraps the client's
// transport, so it costs no extra hop.
type Requests struct {
	Next http.RoundTripper

	mu sync.Mutex
	n  map[string]int
}

// RoundTrip counts the request and sends it on.
func (r *Requests) RoundTrip(req *http.Request) (*http.Response, error) {
	op := req.Header.Get("X-Amz-Target")
	if i := strings.LastIndexByte(op, '.'); i >= 0 {
		op = op[i+1:]
	}
	r.mu.Lock()
	if r.n == nil {
		r.n = map[string]int{}
	}
	r.n[op]++
	r.mu.Unlock()
	return r.Next.RoundTrip(req)
}

// Take returns the counts so far and starts again from zero.
func (r *Requests) Take() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.n
	r.n = nil
	if out == nil {
		out = map[string]int{}
	}
	return out
}

// Total is the sum of counts.
func Total(counts map[string]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// Latencies summarises one load run.
type Latencies struct {
	N        int
	Wall     time.Duration
	P50, P99 time.Duration
}

// Throughput is requests per second over the run's wall time.
func (l Latencies) Throughput() float64 { return float64(l.N) / l.Wall.Seconds() }

// Summarise sorts the samples and reads the percentiles (nearest rank).
func Summarise(samples []time.Duration, wall time.Duration) Latencies {
	s := slices.Clone(samples)
	slices.Sort(s)
	return Latencies{N: len(s), Wall: wall, P50: Percentile(s, 50), P99: Percentile(s, 99)}
}

// Percentile of sorted samples, nearest rank; zero for no samples.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// Median of values (they are sorted in place).
func Median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}
