// Package helpdeskapi is the HTTP client carecoach's help desk API adapters
// share: JSON over HTTPS with basic authentication, rate limits honoured
// (429 and 503 with Retry-After), and errors that say which call failed and
// how, without the credentials.
//
// Zendesk authenticates an API token as "<email>/token" and the token;
// Freshdesk as the API key and "X". Both answer 429 with Retry-After in
// seconds when an account's rate limit is spent. The client is written by
// hand, not taken from a Zendesk or Freshdesk SDK: carecoach calls a handful
// of endpoints, and a thin client keeps the functions small and the wire
// behaviour (checked by each adapter's httptest servers) in plain sight.
package helpdeskapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Client calls one help desk account's API.
type Client struct {
	// BaseURL is the account's API root, e.g. https://acme.zendesk.com or
	// https://acme.freshdesk.com. Absolute URLs given to Do (pagination
	// links) must be on the same scheme and host: credentials go nowhere
	// else.
	BaseURL string
	// User and Password are the basic-auth credentials.
	User     string
	Password care.Secret
	// HTTP defaults to a client with a 30 s timeout.
	HTTP *http.Client
	// Retries is how many times a rate-limited or unavailable answer is
	// retried after waiting (default 3). MaxWait caps one wait (default
	// 60 s): a longer Retry-After is returned as an error carrying it, so
	// the caller can stop and resume from its cursor later.
	Retries int
	MaxWait time.Duration
	// Sleep waits; tests replace it. The default honours ctx.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Error is an API answer that was not a success.
type Error struct {
	Method, URL string
	Status      int
	// Body is the start of the answer, for the log.
	Body string
	// RetryAfter is the wait the API asked for (429, 503), if any.
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s %s: %d %s", e.Method, e.URL, e.Status, http.StatusText(e.Status))
	if e.RetryAfter > 0 {
		msg += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	if e.Body != "" {
		msg += ": " + e.Body
	}
	return msg
}

// StatusOf is the HTTP status of an API error, or 0.
func StatusOf(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

// RateLimited reports whether err is a rate limit the client stopped
// waiting for, and how long the API asked to wait.
func RateLimited(err error) (time.Duration, bool) {
	var e *Error
	if errors.As(err, &e) && (e.Status == http.StatusTooManyRequests || e.Status == http.StatusServiceUnavailable) {
		return e.RetryAfter, true
	}
	return 0, false
}

// Do sends one request and decodes a JSON answer into out (when out is not
// nil). target is a path on BaseURL ("/api/v2/webhooks") or an absolute URL
// on the same host (a next-page link); query is added to it. in, if not
// nil, is sent as JSON. It returns the answer's headers (Link, rate-limit
// counters).
func (c *Client) Do(ctx context.Context, method, target string, query url.Values, in, out any) (http.Header, error) {
	u, err := c.resolve(target, query)
	if err != nil {
		return nil, err
	}
	var body []byte
	if in != nil {
		if body, err = json.Marshal(in); err != nil {
			return nil, fmt.Errorf("%s %s: encode request: %w", method, u.Path, err)
		}
	}
	retries := c.Retries
	if retries == 0 {
		retries = 3
	}
	for attempt := 0; ; attempt++ {
		h, err := c.once(ctx, method, u, body, out)
		wait, limited := RateLimited(err)
		if !limited || attempt >= retries || wait > c.maxWait() {
			return h, err
		}
		if wait <= 0 {
			wait = time.Second << attempt
		}
		if err := c.sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("%s %s: waiting out a rate limit: %w", method, u.Path, err)
		}
	}
}

func (c *Client) once(ctx context.Context, method string, u *url.URL, body []byte, out any) (http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, u.Path, err)
	}
	req.SetBasicAuth(c.User, string(c.Password))
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.client().Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, u.Path, redact(err, u))
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		excerpt, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return resp.Header, &Error{Method: method, URL: u.Path, Status: resp.StatusCode,
			Body: strings.TrimSpace(string(excerpt)), RetryAfter: retryAfter(resp.Header.Get("Retry-After"))}
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.Header, nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return resp.Header, fmt.Errorf("%s %s: decode answer: %w", method, u.Path, err)
	}
	return resp.Header, nil
}

func (c *Client) resolve(target string, query url.Values) (*url.URL, error) {
	base, err := url.Parse(strings.TrimSuffix(c.BaseURL, "/"))
	if err != nil || base.Host == "" {
		return nil, fmt.Errorf("help desk API: base URL %q is not an absolute URL", c.BaseURL)
	}
	u, err := base.Parse(target)
	if err != nil {
		return nil, fmt.Errorf("help desk API: %q: %w", target, err)
	}
	if u.Scheme != base.Scheme || u.Host != base.Host {
		return nil, fmt.Errorf("help desk API: %s is not on %s; credentials are not sent there", u.Redacted(), base.Host)
	}
	if len(query) > 0 {
		q := u.Query()
		for k, vs := range query {
			q[k] = vs
		}
		u.RawQuery = q.Encode()
	}
	return u, nil
}

func (c *Client) client() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return defaultHTTP
}

var defaultHTTP = &http.Client{Timeout: 30 * time.Second}

func (c *Client) maxWait() time.Duration {
	if c.MaxWait > 0 {
		return c.MaxWait
	}
	return time.Minute
}

func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	if c.Sleep != nil {
		return c.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// retryAfter reads Retry-After as seconds or an HTTP date.
func retryAfter(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
}

// redact keeps a URL's user info out of a transport error.
func redact(err error, u *url.URL) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", u.Redacted(), ue.Err)
	}
	return err
}

// NextLink is the rel="next" target of a Link header (RFC 8288), as
// Freshdesk paginates lists, or "".
func NextLink(h http.Header) string {
	for _, v := range h.Values("Link") {
		for _, part := range strings.Split(v, ",") {
			target, params, ok := strings.Cut(strings.TrimSpace(part), ";")
			if !ok || !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
				continue
			}
			for _, p := range strings.Split(params, ";") {
				name, value, _ := strings.Cut(strings.TrimSpace(p), "=")
				if strings.EqualFold(name, "rel") && slices.Contains(strings.Fields(strings.ToLower(strings.Trim(value, `"`))), "next") {
					return target[1 : len(target)-1]
				}
			}
		}
	}
	return ""
}
