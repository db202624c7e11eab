// Command send delivers sample webhooks to a running carecoach dev server,
// signed the way the help desk signs them:
//
//	go run ./infra/send zendesk-ticket-comment-added-customer
//	go run ./infra/send -fresh -advance 24h1m zendesk-ticket-comment-added-customer
//	go run ./infra/send -source freshdesk -connection acme-freshdesk events/freshdesk-reply-customer.json
//
// A sample is a name under events/ or a path to a JSON file.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/carecoach/carecoach/events"
	"github.com/carecoach/carecoach/shared/care"
	"github.com/carecoach/carecoach/shared/devserver"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "send:", err)
		os.Exit(1)
	}
}

func run() error {
	url := flag.String("url", "http://127.0.0.1:8080", "dev server")
	source := flag.String("source", "zendesk", "help desk: zendesk or freshdesk")
	conn := flag.String("connection", "", "connection id (default acme-<source>)")
	secretFile := flag.String("secret-file", ".local/webhook-secret", "the dev server's webhook secret")
	fresh := flag.Bool("fresh", false, "give Zendesk events a new id and the server's current time, so a sample can be replayed as a new event")
	advance := flag.Duration("advance", 0, "afterwards, move the dev clock forward by this much and fire what came due")
	flag.Parse()
	if flag.NArg() == 0 && *advance == 0 {
		return fmt.Errorf("name at least one sample (or give -advance), e.g. zendesk-ticket-comment-added-customer (see events/)")
	}
	if *conn == "" {
		*conn = "acme-" + *source
	}
	ctx := context.Background()
	for _, name := range flag.Args() {
		secret, err := os.ReadFile(*secretFile)
		if err != nil {
			return fmt.Errorf("read the webhook secret (is `make run` running?): %w", err)
		}
		body, err := load(name)
		if err != nil {
			return err
		}
		now, err := serverNow(ctx, *url)
		if err != nil {
			return err
		}
		if *fresh {
			if body, err = refresh(body, now); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
		resp, err := devserver.Deliver(ctx, *url, care.Source(*source), *conn, []byte(strings.TrimSpace(string(secret))), body, now)
		if err != nil {
			return err
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("%s → %d %s", name, resp.StatusCode, answer)
	}
	if *advance > 0 {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, fmt.Sprintf("%s/dev/clock/advance?by=%s", *url, *advance), nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return fmt.Errorf("advance the clock: %w", err)
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("clock advanced by %s → %s", *advance, answer)
	}
	return nil
}

func load(name string) ([]byte, error) {
	if strings.HasSuffix(name, ".json") {
		return os.ReadFile(name)
	}
	return events.Sample(name)
}

func serverNow(ctx context.Context, url string) (time.Time, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"/dev/clock", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return time.Time{}, fmt.Errorf("reach the dev server at %s (is `make run` running?): %w", url, err)
	}
	defer resp.Body.Close()
	var c struct{ Now time.Time }
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil {
		return time.Time{}, fmt.Errorf("read the dev clock: %w", err)
	}
	return c.Now, nil
}

// refresh gives a Zendesk event body a new id and the given time.
func refresh(body []byte, now time.Time) ([]byte, error) {
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
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
