package replytoken_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/replytoken"
)

var (
	key     = []byte("0123456789abcdef0123456789abcdef")
	now     = time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	expires = now.Add(30 * 24 * time.Hour)
	manager = "jordan.reyes@acme-support.example"
)

func TestTokens(t *testing.T) {
	token, err := replytoken.Sign(key, "p-4f1c2a9b7e3d5c60", manager, expires)
	if err != nil {
		t.Fatal(err)
	}
	addr := replytoken.Address(token, "in.acme-support.example")
	if local, _, _ := strings.Cut(addr, "@"); len(local) > 64 || strings.ToLower(local) != local {
		t.Fatalf("address %q: local part must be lower-case and at most 64 characters", addr)
	}
	flip := func(s string, i int) string {
		b := []byte(s)
		if b[i] == 'a' {
			b[i] = 'b'
		} else {
			b[i] = 'a'
		}
		return string(b)
	}
	tests := []struct {
		name      string
		token     string
		recipient string
		at        time.Time
		want      error
	}{
		{"the token verifies for its recipient", token, manager, now, nil},
		{"the recipient's address is compared case-insensitively", strings.ToUpper(token), "Jordan.Reyes@ACME-support.example", now, nil},
		{"another sender does not verify", token, "mallory@example.com", now, replytoken.ErrForged},
		{"a changed prompt id does not verify", strings.Replace(token, "p-4f1c", "p-4f1d", 1), manager, now, replytoken.ErrForged},
		{"a changed expiry does not verify", strings.Replace(token, ".", ".1", 1), manager, now, replytoken.ErrForged},
		{"a changed signature does not verify", flip(token, len(token)-1), manager, now, replytoken.ErrForged},
		{"an expired token does not verify", token, manager, expires, replytoken.ErrExpired},
		{"garbage is malformed", "hello", manager, now, replytoken.ErrMalformed},
		{"a truncated signature is malformed", token[:len(token)-1], manager, now, replytoken.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := replytoken.Parse(tt.token)
			if err == nil {
				err = p.Verify(key, tt.recipient, tt.at)
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
	if p, _ := replytoken.Parse(token); p.PromptID != "p-4f1c2a9b7e3d5c60" || !p.Expires.Equal(expires) {
		t.Errorf("parsed %+v", p)
	}
	if _, err := replytoken.Sign([]byte("short"), "p-1", manager, expires); err == nil {
		t.Error("signed with a short key")
	}
}

func TestFromAddress(t *testing.T) {
	tests := []struct {
		name, addr string
		want       string
		ok         bool
	}{
		{"a reply address yields its token", "reply+abc.de.fg@in.acme-support.example", "abc.de.fg", true},
		{"upper case is fine", "Reply+ABC@IN.acme-support.example", "abc", true},
		{"another domain is not ours", "reply+abc@evil.example", "", false},
		{"another mailbox is not a reply", "kudos@in.acme-support.example", "", false},
		{"an empty token is not a reply", "reply+@in.acme-support.example", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := replytoken.FromAddress(tt.addr, "in.acme-support.example")
			if got != tt.want || ok != tt.ok {
				t.Errorf("got %q %v, want %q %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

// A function whose key ring came back empty must refuse every token, not
// accept the ones anybody can sign with an empty key.
func TestWithoutAKeyNoTokenVerifies(t *testing.T) {
	enc := base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)
	exp := strconv.FormatInt(expires.Unix(), 36)
	h := hmac.New(sha256.New, nil)
	h.Write([]byte("p-1\x00" + exp + "\x00" + manager))
	forged := "p-1." + exp + "." + enc.EncodeToString(h.Sum(nil)[:12])
	p, err := replytoken.Parse(forged)
	if err != nil {
		t.Fatalf("the forged token does not even parse (%v): the test no longer forges the format", err)
	}
	for _, k := range [][]byte{nil, {}, []byte("short")} {
		if err := p.Verify(k, manager, now); !errors.Is(err, replytoken.ErrForged) {
			t.Errorf("key %q: %v, want ErrForged", k, err)
		}
	}
}
