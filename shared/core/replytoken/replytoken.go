// Package replytoken signs and verifies the token in a prompt's Reply-To
// address (reply+<token>@<inbound domain>). The token names the prompt,
// carries its expiry, and is bound by HMAC-SHA256 to the prompt and the one
// address it was sent to, so a forwarded or forged reply does not count.
// Tokens are lower-case letters, digits and dots: mail systems may
// lower-case the local part, and it must stay under 64 characters.
package replytoken

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Errors a token can have. Each is a reason to record nothing.
var (
	ErrMalformed = errors.New("reply token is malformed")
	ErrExpired   = errors.New("reply token has expired")
	ErrForged    = errors.New("reply token signature does not match its prompt and recipient")
)

var (
	enc    = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)
	macLen = 12 // bytes: 96 bits, 20 characters
)

// Sign makes the token for a prompt sent to recipient, valid until expires.
func Sign(key []byte, promptID, recipient string, expires time.Time) (string, error) {
	if !validPromptID(promptID) {
		return "", fmt.Errorf("prompt id %q cannot go in a reply address", promptID)
	}
	if len(key) < 16 {
		return "", errors.New("reply token key is shorter than 16 bytes")
	}
	exp := strconv.FormatInt(expires.Unix(), 36)
	return promptID + "." + exp + "." + mac(key, promptID, exp, recipient), nil
}

// Parsed is a token read from an address, not yet verified.
type Parsed struct {
	PromptID string
	Expires  time.Time
	exp, sig string
}

// Parse reads a token without checking it.
func Parse(token string) (Parsed, error) {
	parts := strings.Split(strings.ToLower(token), ".")
	if len(parts) != 3 || !validPromptID(parts[0]) || len(parts[2]) != enc.EncodedLen(macLen) {
		return Parsed{}, ErrMalformed
	}
	secs, err := strconv.ParseInt(parts[1], 36, 64)
	if err != nil {
		return Parsed{}, ErrMalformed
	}
	return Parsed{PromptID: parts[0], Expires: time.Unix(secs, 0).UTC(), exp: parts[1], sig: parts[2]}, nil
}

// Verify checks that the token was made with key for this recipient and
// has not expired.
func (p Parsed) Verify(key []byte, recipient string, now time.Time) error {
	if len(key) < 16 {
		return ErrForged // no key (or a toy one) verifies nothing
	}
	want := mac(key, p.PromptID, p.exp, recipient)
	if !hmac.Equal([]byte(want), []byte(p.sig)) {
		return ErrForged
	}
	if !now.Before(p.Expires) {
		return ErrExpired
	}
	return nil
}

func mac(key []byte, promptID, exp, recipient string) string {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(promptID + "\x00" + exp + "\x00" + strings.ToLower(strings.TrimSpace(recipient))))
	return enc.EncodeToString(h.Sum(nil)[:macLen])
}

// Address is the Reply-To address carrying a token.
func Address(token, domain string) string { return "reply+" + token + "@" + domain }

// FromAddress finds the token in a reply+<token>@<domain> address.
func FromAddress(addr, domain string) (string, bool) {
	local, host, ok := strings.Cut(strings.ToLower(strings.TrimSpace(addr)), "@")
	if !ok || host != strings.ToLower(domain) {
		return "", false
	}
	token, ok := strings.CutPrefix(local, "reply+")
	if !ok || token == "" {
		return "", false
	}
	return token, true
}

// validPromptID says whether s can be a prompt's id: 1 to 40 lower-case
// letters, digits and dashes.
func validPromptID(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
