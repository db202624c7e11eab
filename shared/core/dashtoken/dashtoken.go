// Package dashtoken signs and verifies the links that open a team's
// dashboard: /dashboard/<team>?t=<token>. A token names the team, carries
// its expiry, and is bound by HMAC-SHA256 to the team, the expiry and the
// one manager it was made for. The manager is not in the token: the
// verifier tries the team's current managers, so a link stops working as
// soon as its manager no longer manages the team, and no address sits in a
// URL.
//
// The key is derived from the deployment's token key with a purpose label,
// so a reply token (package replytoken, same key) can never pass as a
// dashboard token, nor the reverse: the formats differ too.
package dashtoken

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Errors a token can have. Each means: show nothing.
var (
	ErrMalformed = errors.New("dashboard link is malformed")
	ErrExpired   = errors.New("dashboard link has expired")
	ErrForged    = errors.New("dashboard link signature does not match any manager of its team")
)

// purpose labels the derived key: HMAC(key, purpose) signs dashboard links
// and nothing else.
const purpose = "carecoach/dashboard-link/v1"

var (
	enc    = base64.RawURLEncoding
	macLen = 16 // bytes: 128 bits, 22 characters
)

// Sign makes the token that opens team's dashboard for manager until
// expires.
func Sign(key []byte, team, manager string, expires time.Time) (string, error) {
	if !validTeamID(team) {
		return "", fmt.Errorf("team id %q cannot go in a dashboard link", team)
	}
	if len(key) < 16 {
		return "", errors.New("dashboard token key is shorter than 16 bytes")
	}
	exp := strconv.FormatInt(expires.Unix(), 36)
	return team + "." + exp + "." + mac(key, team, exp, manager), nil
}

// Parsed is a token read from a link, not yet verified.
type Parsed struct {
	Team    string
	Expires time.Time
	exp     string
	sig     []byte
}

// Parse reads a token without checking it.
func Parse(token string) (Parsed, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 || !validTeamID(parts[0]) || len(parts[2]) != enc.EncodedLen(macLen) {
		return Parsed{}, ErrMalformed
	}
	secs, err := strconv.ParseInt(parts[1], 36, 64)
	if err != nil || strconv.FormatInt(secs, 36) != parts[1] {
		return Parsed{}, ErrMalformed
	}
	sig, err := enc.DecodeString(parts[2])
	if err != nil {
		return Parsed{}, ErrMalformed
	}
	return Parsed{Team: parts[0], Expires: time.Unix(secs, 0).UTC(), exp: parts[1], sig: sig}, nil
}

// Verify finds which of managers the token was made for, comparing each
// signature in constant time, then checks that it has not expired. The
// expiry is checked only after the signature, so a forged token learns
// nothing.
func (p Parsed) Verify(key []byte, managers []string, now time.Time) (manager string, err error) {
	if len(key) < 16 {
		return "", ErrForged // no key (or a toy one) verifies nothing
	}
	found := -1
	for i, m := range managers {
		want, _ := enc.DecodeString(mac(key, p.Team, p.exp, m))
		if hmac.Equal(want, p.sig) && found < 0 {
			found = i
		}
	}
	if found < 0 {
		return "", ErrForged
	}
	if !now.Before(p.Expires) {
		return "", ErrExpired
	}
	return managers[found], nil
}

func mac(key []byte, team, exp, manager string) string {
	k := hmac.New(sha256.New, key)
	k.Write([]byte(purpose))
	h := hmac.New(sha256.New, k.Sum(nil))
	h.Write([]byte(team + "\x00" + exp + "\x00" + strings.ToLower(strings.TrimSpace(manager))))
	return enc.EncodeToString(h.Sum(nil)[:macLen])
}

// validTeamID says whether s can be a team's id: lower-case letters, digits
// and dashes, at most 63, not starting with a dash (as care.ValidID; this
// package imports only the standard library).
func validTeamID(s string) bool {
	if s == "" || len(s) > 63 || s[0] == '-' {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
