package ssmparam_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/carecoach/carecoach/shared/adapters/ssmparam"
	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/dashtoken"
	"github.com/carecoach/carecoach/shared/dev/lambdatest"
)

const param = "/carecoach/test/reply-token-key"

var (
	key1 = "key-one-0123456789abcdef-one"
	key2 = "key-two-0123456789abcdef-two"
	key3 = "key-three-0123456789abcdef-3"
	key4 = "key-four-0123456789abcdef-44"
)

// ring is a Keyring on the SSM fake (over the wire, SigV4-signed), with a
// clock the test moves.
type ring struct {
	*ssmparam.Keyring
	ssm  *lambdatest.SSM
	now  time.Time
	logs *bytes.Buffer
	fail bool
}

func newRing(t *testing.T, values ...string) *ring {
	t.Helper()
	ssm := lambdatest.NewSSM(t)
	t.Setenv("AWS_ENDPOINT_URL_SSM", ssm.URL)
	for _, v := range values {
		ssm.Put(param, v)
	}
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("local", "local", "")}
	get := ssmparam.VersionClient(cfg)
	r := &ring{ssm: ssm, now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), logs: &bytes.Buffer{}}
	r.Keyring = &ssmparam.Keyring{
		Get: func(ctx context.Context, name string) (ssmparam.Parameter, error) {
			if r.fail {
				return ssmparam.Parameter{}, errors.New("ssm is down")
			}
			return get(ctx, name)
		},
		Name: param, Now: func() time.Time { return r.now }, Log: slog.New(slog.NewTextHandler(r.logs, nil)),
	}
	if err := r.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *ring) want(t *testing.T, current, previous string) {
	t.Helper()
	c, p := r.TokenKeys()
	if string(c) != current || string(p) != previous {
		t.Errorf("keys %q / %q, want current %q, previous %q", c, p, current, previous)
	}
}

func TestTheKeyringFollowsTheParametersVersions(t *testing.T) {
	t.Run("one version: the current key and no previous", func(t *testing.T) {
		r := newRing(t, key1)
		r.want(t, key1, "")
	})
	t.Run("a rotated key signs within KeyRefresh and the old one is still accepted", func(t *testing.T) {
		r := newRing(t, key1)
		r.ssm.Put(param, key2)
		reads := len(r.ssm.Reads())
		r.now = r.now.Add(ssmparam.KeyRefresh - time.Second)
		r.want(t, key1, "") // a warm container keeps its keys until the refresh
		if n := len(r.ssm.Reads()); n != reads {
			t.Errorf("%d reads before the refresh, want none", n-reads)
		}
		r.now = r.now.Add(time.Second)
		r.want(t, key2, key1)
		if got := r.ssm.Reads()[reads:]; !slices.Equal(got, []string{param}) {
			t.Errorf("the refresh read %q, want only the latest version (the previous is the key it had)", got)
		}
		r.now = r.now.Add(ssmparam.KeyRefresh)
		r.want(t, key2, key1)
	})
	t.Run("two rotations between checks retire the oldest key", func(t *testing.T) {
		r := newRing(t, key1, key2)
		r.want(t, key2, key1)
		r.ssm.Put(param, key3)
		r.ssm.Put(param, key4)
		r.now = r.now.Add(ssmparam.KeyRefresh)
		r.want(t, key4, key3)
		if reads := r.ssm.Reads(); reads[len(reads)-1] != param+":3" {
			t.Errorf("reads %q, want version 3 read as the previous key", reads)
		}
	})
	t.Run("a new container reads the latest version and the one before", func(t *testing.T) {
		r := newRing(t, key1, key2, key3)
		r.want(t, key3, key2)
		if got := r.ssm.Reads(); !slices.Equal(got, []string{param, param + ":2"}) {
			t.Errorf("reads %q", got)
		}
	})
	t.Run("when SSM fails at a refresh, the keys read before stay and it says so", func(t *testing.T) {
		r := newRing(t, key1)
		r.ssm.Put(param, key2)
		r.fail = true
		r.now = r.now.Add(ssmparam.KeyRefresh)
		r.want(t, key1, "")
		if !strings.Contains(r.logs.String(), "token key not refreshed") || strings.Contains(r.logs.String(), key1) {
			t.Errorf("log %q: want the failure, without the key", r.logs.String())
		}
		r.fail = false
		r.now = r.now.Add(time.Minute)
		r.want(t, key1, "") // not on every request: after another KeyRefresh
		r.now = r.now.Add(ssmparam.KeyRefresh)
		r.want(t, key2, key1)
	})
}

func TestAKeyringWithoutAUsableKeyFailsToLoad(t *testing.T) {
	ssm := lambdatest.NewSSM(t)
	t.Setenv("AWS_ENDPOINT_URL_SSM", ssm.URL)
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("local", "local", "")}
	for _, tc := range []struct{ value, want string }{{"", "no token key parameter"}, {"short", "shorter than 16 bytes"}} {
		if tc.value != "" {
			ssm.Put(param, tc.value)
		}
		k := &ssmparam.Keyring{Get: ssmparam.VersionClient(cfg), Name: param, Now: time.Now}
		if err := k.Load(context.Background()); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("value %q: err %v, want %q", tc.value, err, tc.want)
		}
	}
}

// New links are signed with the current key. (That links signed with the
// previous key still open and ones signed with a retired key do not is
// tested on the real api and inbound bootstraps, in shared/dev/lambdatest.)
func TestNewLinksAreSignedWithTheCurrentKey(t *testing.T) {
	r := newRing(t, key1, key2, key3)
	link, err := app.DashboardLinks{Key: r.Keyring, BaseURL: "https://api.example/dashboard", Valid: app.DashboardValidity}.URL("support", "lead@acme.example", r.now)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	p, err := dashtoken.Parse(u.Query().Get("t"))
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]bool{key3: true, key2: false} {
		if _, err := p.Verify([]byte(key), []string{"lead@acme.example"}, r.now); (err == nil) != want {
			t.Errorf("a new link verifies with %q: %v, want %v", key, err == nil, want)
		}
	}
}

// A function starts reading its keys at init and asks for its first event
// meanwhile: the first use waits for the read. A first read that failed
// is no reason to wait KeyRefresh: each use reads again until one works,
// and returns no keys meanwhile (app makes that a retried error).
func TestAStartedKeyringIsWaitedForAtFirstUseAndReadAgainUntilItWorks(t *testing.T) {
	t.Run("the first use waits for the read begun at start", func(t *testing.T) {
		release := make(chan struct{})
		var reads atomic.Int32
		k := &ssmparam.Keyring{Name: param, Now: time.Now, Get: func(ctx context.Context, name string) (ssmparam.Parameter, error) {
			reads.Add(1)
			<-release
			return ssmparam.Parameter{Value: key1, Version: 1}, nil
		}}
		k.Start()
		got := make(chan string, 1)
		go func() { c, _ := k.TokenKeys(); got <- string(c) }()
		select {
		case c := <-got:
			t.Fatalf("TokenKeys answered %q before the read ended", c)
		case <-time.After(50 * time.Millisecond):
		}
		close(release)
		if c := <-got; c != key1 {
			t.Errorf("key %q, want %q", c, key1)
		}
		if n := reads.Load(); n != 1 {
			t.Errorf("%d reads, want the one begun at start", n)
		}
	})
	t.Run("a failed first read is read again at each use until it works", func(t *testing.T) {
		r := newRing(t, key1)
		r.fail = true
		k := &ssmparam.Keyring{Name: param, Now: func() time.Time { return r.now }, Get: r.Get, Log: slog.New(slog.NewTextHandler(r.logs, nil))}
		k.Start()
		if c, p := k.TokenKeys(); c != nil || p != nil {
			t.Fatalf("keys %q / %q while SSM is down, want none", c, p)
		}
		if c, _ := k.TokenKeys(); c != nil {
			t.Fatalf("key %q while SSM is down", c)
		}
		r.fail = false
		r.now = r.now.Add(time.Second) // far less than KeyRefresh
		if c, _ := k.TokenKeys(); string(c) != key1 {
			t.Errorf("key %q once SSM is back, want %q", c, key1)
		}
		if logs := r.logs.String(); !strings.Contains(logs, "token key not read") || strings.Contains(logs, key1) {
			t.Errorf("log %q: want the failures said, without the key", logs)
		}
	})
}
