// Command send delivers webhooks to a running carecoach dev server, signed
// the way the help desk signs them:
//
//	go run ./infra/send zendesk-ticket-comment-added-customer
//	go run ./infra/send -fresh -advance 24h1m zendesk-ticket-comment-added-customer
//	go run ./infra/send events/freshdesk-reply-customer.json
//	go run ./infra/send -at-event-time events/recorded-day.jsonl
//	go run ./infra/send -advance-to 2026-12-08T00:00:00Z
//
// A sample is a name under events/, a JSON file, or a JSON Lines file (one
// body per line, a recorded stream). Each body goes to the connection of
// its help desk (acme-zendesk or acme-freshdesk, or -connection), which is
// told from the body itself unless -source says it.
//
// -at-event-time replays history: the bodies are sent in the order of
// their own event times, and before each the dev clock is played forward to
// that time (every task and digest due on the way fires at its own time),
// so a recorded stream plays out as it happened. Start `make run` with its
// clock before the first event (CARECOACH_CLOCK=2026-11-30T08:00:00Z).
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/carecoach/carecoach/events"
	"github.com/carecoach/carecoach/shared/adapters/freshdesk"
	"github.com/carecoach/carecoach/shared/adapters/teamconfig"
	"github.com/carecoach/carecoach/shared/adapters/zendesk"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/devserver"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "send:", err)
		os.Exit(1)
	}
}

// body is one webhook to send.
type body struct {
	name   string // where it came from, for the output
	source care.Source
	data   []byte
	at     time.Time // its own event time; zero when it has none
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("send", flag.ContinueOnError)
	url := fs.String("url", devServerURL(), "dev server")
	source := fs.String("source", "", "help desk: zendesk or freshdesk (default: told from each body)")
	conn := fs.String("connection", "", "connection id (default acme-<source>)")
	secretFile := fs.String("secret-file", ".local/webhook-secret", "the dev server's webhook secret")
	teamFile := fs.String("team", "infra/dev/team.yaml", "the dev server's team, for the time zone of Freshdesk dates")
	fresh := fs.Bool("fresh", false, "give Zendesk events a new id and the server's current time, so a sample can be replayed as a new event")
	atEventTime := fs.Bool("at-event-time", false, "send the bodies in the order of their own event times, moving the dev clock to each first")
	advance := fs.Duration("advance", 0, "afterwards, move the dev clock forward by this much and fire what came due")
	advanceTo := fs.String("advance-to", "", "afterwards, play the dev clock forward to this time (RFC 3339), firing each task at its own time")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 && *advance == 0 && *advanceTo == "" {
		return fmt.Errorf("name at least one sample (or give -advance / -advance-to), e.g. zendesk-ticket-comment-added-customer (see events/)")
	}
	srv := devServer{url: strings.TrimSuffix(*url, "/")}
	var bodies []body
	for _, name := range fs.Args() {
		bs, err := load(name)
		if err != nil {
			return err
		}
		bodies = append(bodies, bs...)
	}
	if len(bodies) > 0 {
		secret, err := os.ReadFile(*secretFile)
		if err != nil {
			return fmt.Errorf("read the webhook secret (is `make run` running?): %w", err)
		}
		zones := zonesOf(*teamFile)
		for i := range bodies {
			b := &bodies[i]
			if *source != "" {
				b.source = care.Source(*source)
			}
			b.at = eventTime(*b, connectionOf(*conn, b.source), zones)
		}
		if *atEventTime {
			slices.SortStableFunc(bodies, func(a, b body) int { return a.at.Compare(b.at) })
		}
		for _, b := range bodies {
			if err := send(ctx, out, srv, b, connectionOf(*conn, b.source), []byte(strings.TrimSpace(string(secret))), *fresh, *atEventTime); err != nil {
				return err
			}
		}
	}
	if *advance > 0 {
		answer, err := srv.post(ctx, fmt.Sprintf("/dev/clock/advance?by=%s", *advance))
		if err != nil {
			return fmt.Errorf("advance the clock: %w", err)
		}
		fmt.Fprintf(out, "clock advanced by %s → %s", *advance, answer)
	}
	if *advanceTo != "" {
		t, err := time.Parse(time.RFC3339, *advanceTo)
		if err != nil {
			return fmt.Errorf("-advance-to %q is not a time like 2026-12-08T00:00:00Z", *advanceTo)
		}
		answer, err := srv.post(ctx, "/dev/clock/advance?to="+t.UTC().Format(time.RFC3339))
		if err != nil {
			return fmt.Errorf("advance the clock: %w", err)
		}
		fmt.Fprintf(out, "clock played to %s → %s", t.UTC().Format(time.RFC3339), answer)
	}
	return nil
}

func send(ctx context.Context, out io.Writer, srv devServer, b body, conn string, secret []byte, fresh, atEventTime bool) error {
	if atEventTime && !b.at.IsZero() {
		if _, err := srv.post(ctx, "/dev/clock/advance?to="+b.at.UTC().Format(time.RFC3339Nano)); err != nil {
			return fmt.Errorf("move the clock to %s: %w", b.at, err)
		}
	}
	now, err := srv.now(ctx)
	if err != nil {
		return err
	}
	data := b.data
	if fresh {
		if data, err = refresh(data, now); err != nil {
			return fmt.Errorf("%s: %w", b.name, err)
		}
	}
	resp, err := devserver.Deliver(ctx, srv.url, b.source, conn, secret, data, now)
	if err != nil {
		return err
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Fprintf(out, "%s %s → %d %s", now.UTC().Format("Mon 2 Jan 15:04"), b.name, resp.StatusCode, answer)
	return nil
}

// load reads a sample name, a JSON file or a JSON Lines file.
func load(name string) ([]body, error) {
	switch {
	case strings.HasSuffix(name, ".jsonl"):
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", name, err)
		}
		defer f.Close()
		var out []body
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 0, 64<<10), 2<<20)
		for n := 1; sc.Scan(); n++ {
			line := bytes.TrimSpace(sc.Bytes())
			if len(line) == 0 {
				continue
			}
			data := bytes.Clone(line)
			out = append(out, body{name: fmt.Sprintf("%s:%d", filepath.Base(name), n), source: sourceOf(data), data: data})
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		return out, nil
	case strings.HasSuffix(name, ".json"):
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		return []body{{name: name, source: sourceOf(data), data: data}}, nil
	default:
		data, err := events.Sample(name)
		if err != nil {
			return nil, err
		}
		return []body{{name: name, source: sourceOf(data), data: data}}, nil
	}
}

// sourceOf tells a Freshdesk body (our templates' marker) from a Zendesk one.
func sourceOf(data []byte) care.Source {
	var m struct{ Carecoach string }
	if json.Unmarshal(data, &m) == nil && strings.HasPrefix(m.Carecoach, "freshdesk/") {
		return care.Freshdesk
	}
	return care.Zendesk
}

func connectionOf(conn string, source care.Source) string {
	if conn != "" {
		return conn
	}
	return "acme-" + string(source)
}

// zonesOf reads the time zone of each connection of the dev team, which
// places Freshdesk dates that name no offset; without the file, UTC.
func zonesOf(teamFile string) func(conn string) *time.Location {
	team, err := teamconfig.Load(teamFile)
	if err != nil {
		return func(string) *time.Location { return time.UTC }
	}
	return team.HelpdeskZone
}

// eventTime is a body's own event time, read as the dev server reads it;
// zero when it has none (or cannot be read: it is sent when its turn comes).
func eventTime(b body, conn string, zone func(string) *time.Location) time.Time {
	d := care.Delivery{Connection: conn, Source: b.source, Body: b.data}
	var ins []care.Interaction
	var err error
	switch b.source {
	case care.Freshdesk:
		// Without a receive time to stand in, a body with no time of its
		// own does not normalize: it is sent when its turn comes.
		ins, err = freshdesk.Helpdesk{}.NormalizeIn(d, zone(conn))
	default:
		ins, err = zendesk.Helpdesk{}.Normalize(d)
	}
	if err != nil || len(ins) == 0 {
		return time.Time{}
	}
	return ins[0].At
}

// devServerURL is where `make run` serves, as it chose its address.
func devServerURL() string {
	if addr := os.Getenv("CARECOACH_ADDR"); addr != "" {
		return "http://" + addr
	}
	return "http://127.0.0.1:8080"
}

type devServer struct{ url string }

func (d devServer) now(ctx context.Context) (time.Time, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.url+"/dev/clock", nil)
	if err != nil {
		return time.Time{}, fmt.Errorf("build request: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return time.Time{}, fmt.Errorf("reach the dev server at %s (is `make run` running?): %w", d.url, err)
	}
	defer resp.Body.Close()
	var c struct{ Now time.Time }
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil {
		return time.Time{}, fmt.Errorf("read the dev clock: %w", err)
	}
	return c.Now, nil
}

func (d devServer) post(ctx context.Context, path string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.url+path, nil)
	if err != nil {
		return "", fmt.Errorf("build request: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("reach the dev server at %s (is `make run` running?): %w", d.url, err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", fmt.Errorf("read the dev server's answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", errors.New(strings.TrimSpace(string(answer)))
	}
	return string(answer), nil
}

// refresh gives a Zendesk event body a new id and the given time.
func refresh(data []byte, now time.Time) ([]byte, error) {
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	if _, ok := m["type"]; !ok {
		return nil, fmt.Errorf("-fresh works on Zendesk event bodies only")
	}
	id := make([]byte, 8)
	_, _ = rand.Read(id)
	m["id"] = fmt.Sprintf("%v-%s", m["id"], hex.EncodeToString(id))
	m["time"] = now.UTC().Format(time.RFC3339Nano)
	return json.Marshal(m)
}
