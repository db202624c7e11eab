package app

import (
	"errors"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/dashtoken"
	"github.com/carecoach/carecoach/shared/core/replytoken"
)

// TokenKeys are the keys that sign reply tokens and dashboard links. New
// tokens are signed with the current key; a token signed with the current
// or the previous key is accepted, so rotating the key breaks no link that
// is still valid, and a key two rotations old (retired) opens nothing. A
// care.Secret is a key ring of one; package ssmparam's Keyring follows the
// versions of an SSM parameter.
type TokenKeys interface {
	TokenKeys() (current, previous care.Secret)
}

// keysOf reads a key ring; none at all is no key (signing then fails).
func keysOf(k TokenKeys) (current, previous care.Secret) {
	if k == nil {
		return nil, nil
	}
	return k.TokenKeys()
}

// errNoKey says the token keys could not be read (SSM failed): a token
// cannot be checked, which is no reason to refuse it. Callers treat it as
// a transient error, so the reply or the request is retried.
var errNoKey = errors.New("no token key to verify with: the key ring could not be read")

// verify checks a reply token against the current key, then the previous.
func (r Replies) verify(p replytoken.Parsed, recipient string, now time.Time) error {
	current, previous := keysOf(r.Key)
	if len(current) == 0 {
		return errNoKey
	}
	err := p.Verify(current, recipient, now)
	if errors.Is(err, replytoken.ErrForged) && len(previous) > 0 {
		err = p.Verify(previous, recipient, now)
	}
	return err
}

// verifyDashboard checks a dashboard token against the current key, then
// the previous, and says which manager it was made for.
func verifyDashboard(keys TokenKeys, p dashtoken.Parsed, managers []string, now time.Time) (string, error) {
	current, previous := keysOf(keys)
	if len(current) == 0 {
		return "", errNoKey
	}
	manager, err := p.Verify(current, managers, now)
	if errors.Is(err, dashtoken.ErrForged) && len(previous) > 0 {
		manager, err = p.Verify(previous, managers, now)
	}
	return manager, err
}
