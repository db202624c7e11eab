package dashtoken_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/dashtoken"
	"github.com/carecoach/carecoach/shared/core/replytoken"
)

var (
	key      = []byte("0123456789abcdef0123456789abcdef")
	now      = time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	expires  = now.Add(14 * 24 * time.Hour)
	jordan   = "jordan.reyes@acme-support.example"
	managers = []string{"lead@acme-support.example", jordan}
)

func TestTokens(t *testing.T) {
	token, err := dashtoken.Sign(key, "support", jordan, expires)
	if err != nil {
		t.Fatal(err)
	}
	reply, err := replytoken.Sign(key, "support", jordan, expires)
	if err != nil {
		t.Fatal(err)
	}
	flip := func(s string, i int) string {
		b := []byte(s)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	tests := []struct {
		name     string
		token    string
		key      []byte
		managers []string
		at       time.Time
		want     error
	}{
		{"the token verifies for its manager", token, key, managers, now, nil},
		{"the manager's address is compared case-insensitively", token, key, []string{"Jordan.Reyes@ACME-support.example"}, now, nil},
		{"a manager who no longer manages the team does not verify", token, key, []string{"lead@acme-support.example"}, now, dashtoken.ErrForged},
		{"another team's name does not verify", strings.Replace(token, "support", "billing", 1), key, managers, now, dashtoken.ErrForged},
		{"a later expiry does not verify", strings.Replace(token, ".", ".1", 1), key, managers, now, dashtoken.ErrForged},
		{"a changed signature does not verify", flip(token, len(token)-2), key, managers, now, dashtoken.ErrForged},
		{"another key does not verify", token, []byte("another-key-0123456789"), managers, now, dashtoken.ErrForged},
		{"an expired token does not verify", token, key, managers, expires, dashtoken.ErrExpired},
		{"a forged expired token is forged, not expired", flip(token, len(token)-2), key, managers, expires, dashtoken.ErrForged},
		{"a reply token with the same key is not a dashboard token", reply, key, managers, now, dashtoken.ErrMalformed},
		{"garbage is malformed", "hello", key, managers, now, dashtoken.ErrMalformed},
		{"an empty token is malformed", "", key, managers, now, dashtoken.ErrMalformed},
		{"a truncated signature is malformed", token[:len(token)-1], key, managers, now, dashtoken.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := dashtoken.Parse(tt.token)
			var who string
			if err == nil {
				who, err = p.Verify(tt.key, tt.managers, tt.at)
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if err == nil && !strings.EqualFold(who, jordan) {
				t.Errorf("verified for %q, want %q", who, jordan)
			}
		})
	}
	if p, _ := dashtoken.Parse(token); p.Team != "support" || !p.Expires.Equal(expires) {
		t.Errorf("parsed %+v", p)
	}
	if _, err := dashtoken.Sign([]byte("short"), "support", jordan, expires); err == nil {
		t.Error("signed with a short key")
	}
	if _, err := dashtoken.Sign(key, "Not A Team", jordan, expires); err == nil {
		t.Error("signed for a team id that cannot be in a link")
	}
}

// A function whose key ring came back empty must refuse every link, not
// open the ones anybody can sign with an empty key.
func TestWithoutAKeyNoLinkOpens(t *testing.T) {
	exp := strconv.FormatInt(expires.Unix(), 36)
	derived := hmac.New(sha256.New, nil)
	derived.Write([]byte("carecoach/dashboard-link/v1"))
	h := hmac.New(sha256.New, derived.Sum(nil))
	h.Write([]byte("support\x00" + exp + "\x00" + jordan))
	p, err := dashtoken.Parse("support." + exp + "." + base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:16]))
	if err != nil {
		t.Fatalf("the forged link does not even parse (%v): the test no longer forges the format", err)
	}
	for _, k := range [][]byte{nil, []byte("short")} {
		if _, err := p.Verify(k, managers, now); !errors.Is(err, dashtoken.ErrForged) {
			t.Errorf("key %q: %v, want ErrForged", k, err)
		}
	}
}
