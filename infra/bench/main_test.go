//go:build bench

package bench_test

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/carecoach/carecoach/infra/bench"
	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
	"github.com/carecoach/carecoach/shared/dev/emulators"
)

// stack is the running emulators: each section starts its own (see
// TestBenchmarkReport).
var stack *emulators.Stack

var (
	ctx    = context.Background()
	quiet  = slog.New(slog.NewTextHandler(io.Discard, nil))
	secret = care.Secret("bench-secret")
	monday = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
)

type oneSecret struct{}

func (oneSecret) WebhookSecret(context.Context, string) (care.Secret, error) { return secret, nil }

// noTokens: no connection here has a help desk API.
type noTokens struct{}

func (noTokens) Get(_ context.Context, name string) (care.Secret, error) {
	return nil, fmt.Errorf("no API token %s in the bench", name)
}

// concurrency of the load runs: a help desk's burst after a bulk update.
const concurrency = 16

// transport is an HTTP transport that keeps a connection per worker, so
// neither side of a comparison pays for new connections. Its connections
// are closed when the test ends: DynamoDB Local slows down for everyone
// while many idle keep-alive connections stay open to it.
func transport(t testing.TB) *http.Transport {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        4 * concurrency,
		MaxIdleConnsPerHost: 4 * concurrency,
		IdleConnTimeout:     90 * time.Second,
	}
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

// countedClient is a DynamoDB Local client whose requests are counted.
func countedClient(t testing.TB) (*dynamodb.Client, *bench.Requests) {
	reqs := &bench.Requests{Next: transport(t)}
	cfg := dynamotest.LocalConfig()
	cfg.HTTPClient = &http.Client{Transport: reqs}
	return dynamo.NewClient(cfg, stack.DynamoEndpoint), reqs
}

// TestBenchmarkReport runs every measurement and writes the report
// (BENCHMARKS.md at the repository root, or $BENCH_OUT).
func TestBenchmarkReport(t *testing.T) {
	r := &report{started: time.Now(), load: loadAvg()}
	// Each section is a subtest on a fresh pair of emulators: DynamoDB
	// Local gets several times slower after a section's tens of thousands
	// of writes, even once their tables are deleted, and that would be
	// measured against the next section.
	for _, sec := range []struct {
		name string
		run  func(*testing.T, *report)
	}{
		{"ingest", measureIngest}, {"process", measureProcessing}, {"cold", measureColdStarts},
		{"digests", measureDigests}, {"replies", measureReplies}, {"cost", estimateCost}, {"scale", scaleModel},
	} {
		derived := sec.name == "cost" || sec.name == "scale" // from the other sections' counts
		if !only(sec.name) && !derived {
			continue
		}
		if !t.Run(sec.name, func(t *testing.T) {
			if !derived && sec.name != "replies" {
				st, err := emulators.Start(context.Background(), emulators.Options{})
				if err != nil {
					t.Fatal(err)
				}
				stack = st
				defer func() {
					if err := st.Close(); err != nil {
						t.Error(err)
					}
				}()
			}
			sec.run(t, r)
		}) {
			t.FailNow()
		}
	}

	out := os.Getenv("BENCH_OUT")
	if out == "" {
		out = filepath.Join("..", "..", "BENCHMARKS.md")
	}
	if err := os.WriteFile(out, []byte(r.markdown()), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", out)
}

// only says whether a section runs: all of them, or those named in
// BENCH_ONLY (comma-separated), to iterate on one.
func only(section string) bool {
	v := os.Getenv("BENCH_ONLY")
	return v == "" || slices.Contains(strings.Split(v, ","), section)
}

// report collects the sections and the targets.
type report struct {
	started  time.Time
	load     string // /proc/loadavg when it started
	targets  []target
	sections []string
	// What the cost estimate is made of, measured by the sections above.
	tickets, deliveries, interactions int
	schedules, emails                 int
	tableBytes                        int64 // after the week, as DescribeTable reports it
	partitions                        partitions
	costPer10k                        float64 // dollars, from the cost section
	phases                            map[string]phaseCost
}

type target struct {
	what, goal, measured string
	met                  bool
	why                  string // said when it is missed
}

func (r *report) target(what, goal, measured string, met bool) {
	r.targets = append(r.targets, target{what, goal, measured, met, ""})
}

// missed sets why the last target was missed, if it was.
func (r *report) missed(why string) {
	if t := &r.targets[len(r.targets)-1]; !t.met {
		t.why = why
	}
}

func (r *report) section(format string, args ...any) {
	r.sections = append(r.sections, fmt.Sprintf(format, args...))
}

func (r *report) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# carecoach benchmarks\n\n")
	fmt.Fprintf(&b, "Written by `make bench` on %s (took %s). Machine: %s, %s/%s, %d CPUs, %s; DynamoDB Local and aws-ses-v2-local on the same machine.\n\n",
		r.started.UTC().Format("2006-01-02 15:04 MST"), time.Since(r.started).Round(time.Second), cpuModel(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
	fmt.Fprintf(&b, "Load average (1, 5, 15 min) at the start: %s; at the end: %s.\n\n", r.load, loadAvg())
	fmt.Fprintf(&b, "These machines are noisy: every speed figure is a ratio to a baseline measured in the same run, next to it. Absolute times are given for scale only.\n\n")
	fmt.Fprintf(&b, "## Targets\n\n| What | Target | Measured | Met |\n|---|---|---|---|\n")
	for _, t := range r.targets {
		met := "yes"
		switch {
		case t.goal == "—":
			met = "—"
		case !t.met:
			met = "**no**"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", t.what, t.goal, t.measured, met)
	}
	var misses []target
	for _, t := range r.targets {
		if !t.met {
			misses = append(misses, t)
		}
	}
	if len(misses) > 0 {
		fmt.Fprintf(&b, "\n## Where a target is missed, by how much and why\n\n")
		for _, t := range misses {
			fmt.Fprintf(&b, "- **%s**: %s against %s. %s\n", t.what, t.measured, t.goal, t.why)
		}
	}
	for _, s := range r.sections {
		b.WriteString("\n")
		b.WriteString(strings.TrimSpace(s))
		b.WriteString("\n")
	}
	return b.String()
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], ", ")
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func ratio(a, b float64) string { return fmt.Sprintf("%.2f×", a/b) }

// opCounts lists request counts by operation, largest first.
func opCounts(counts map[string]int) string {
	ops := make([]string, 0, len(counts))
	for op := range counts {
		ops = append(ops, op)
	}
	slices.SortFunc(ops, func(a, b string) int { return cmp.Or(counts[b]-counts[a], strings.Compare(a, b)) })
	var parts []string
	for _, op := range ops {
		parts = append(parts, fmt.Sprintf("%d %s", counts[op], op))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}
