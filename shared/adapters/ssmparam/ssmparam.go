// Package ssmparam reads secrets from SSM Parameter Store: webhook secrets
// (SecureString parameters under one path), cached for a few minutes so
// that a warm Lambda makes no extra call per request and a rotated secret
// is picked up without a deploy; and the token key ring (Keyring), which
// follows the versions of one parameter so that the key can be rotated
// without breaking the links signed before.
package ssmparam

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/carecoach/carecoach/shared/adapters/awsjson"
	"github.com/carecoach/carecoach/shared/core/care"
)

// GetParameterFunc reads one parameter, decrypted.
type GetParameterFunc func(ctx context.Context, name string) (string, error)

// Parameter is a parameter's value and the version it is.
type Parameter struct {
	Value   string
	Version int64
}

// GetVersionFunc reads one parameter, decrypted, with its version. name
// may select a version: "<name>:<version>".
type GetVersionFunc func(ctx context.Context, name string) (Parameter, error)

// Client is SSM's GetParameter over package awsjson: one signed JSON call,
// without linking the SSM client (which costs megabytes per function).
func Client(cfg aws.Config) GetParameterFunc {
	get := VersionClient(cfg)
	return func(ctx context.Context, name string) (string, error) {
		p, err := get(ctx, name)
		return p.Value, err
	}
}

// VersionClient is Client that also returns the version it read.
func VersionClient(cfg aws.Config) GetVersionFunc {
	c := awsjson.Client{Config: cfg, Service: "ssm"}
	return func(ctx context.Context, name string) (Parameter, error) {
		var out struct{ Parameter Parameter }
		err := c.Call(ctx, "AmazonSSM.GetParameter", map[string]any{"Name": name, "WithDecryption": true}, &out)
		var e *awsjson.Error
		if errors.As(err, &e) && (e.Type == "ParameterNotFound" || e.Type == "ParameterVersionNotFound") {
			return Parameter{}, ErrNotFound
		}
		return out.Parameter, err
	}
}

// ErrNotFound is a parameter (or version) that does not exist.
var ErrNotFound = errors.New("parameter not found")

// cacheFor bounds how long a secret is used before it is read again.
const cacheFor = 5 * time.Minute

// Secrets reads SecureString parameters: webhook secrets at <Path><connection id>,
// e.g. /carecoach/prod/webhook-secrets/acme-zendesk, and named ones such as the
// reply-token key.
type Secrets struct {
	GetParameter GetParameterFunc
	Path         string
	Now          func() time.Time

	mu    sync.Mutex
	cache map[string]cached
}

type cached struct {
	secret care.Secret
	until  time.Time
}

// WebhookSecret returns a connection's webhook secret, <Path><connection>.
func (s *Secrets) WebhookSecret(ctx context.Context, connection string) (care.Secret, error) {
	return s.Get(ctx, s.Path+connection)
}

// Get returns the secret parameter of that name, cached for a while.
func (s *Secrets) Get(ctx context.Context, name string) (care.Secret, error) {
	now := s.Now()
	s.mu.Lock()
	c, ok := s.cache[name]
	s.mu.Unlock()
	if ok && now.Before(c.until) {
		return c.secret, nil
	}
	value, err := s.GetParameter(ctx, name)
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("no secret parameter %s", name)
	}
	if err != nil {
		return nil, fmt.Errorf("read secret parameter %s: %w", name, err)
	}
	secret := care.Secret(value)
	if len(secret) == 0 {
		return nil, fmt.Errorf("secret parameter %s is empty", name)
	}
	s.mu.Lock()
	if s.cache == nil {
		s.cache = map[string]cached{}
	}
	s.cache[name] = cached{secret: secret, until: now.Add(cacheFor)}
	s.mu.Unlock()
	return secret, nil
}

// initTimeout bounds reading the key ring at init: a function's init must
// not hang on SSM. refreshTimeout bounds a later check for a new version.
const (
	initTimeout    = 5 * time.Second
	refreshTimeout = 2 * time.Second
)

// KeyRefresh is how often a warm function checks the token key parameter
// for a new version: a rotated key signs everywhere within this, and links
// signed with the key before keep working.
const KeyRefresh = 5 * time.Minute

// Keyring is the deployment's token key, read from one SecureString
// parameter with its history. Its latest version signs; the version before
// it is still accepted; older ones are retired. Rotating the key is one
// `aws ssm put-parameter --overwrite`; doing it twice retires the old key
// at once (after a leak). It checks for a new version every Refresh, when
// asked for the keys; if SSM fails then, it keeps the keys it has and says
// so in the log. Safe for concurrent use.
type Keyring struct {
	Get     GetVersionFunc
	Name    string
	Refresh time.Duration // 0 means KeyRefresh
	Now     func() time.Time
	Log     *slog.Logger

	mu                sync.Mutex
	current, previous care.Secret
	version           int64
	checked           time.Time
	// first is closed when the read begun by Start has ended.
	first chan struct{}
}

// StartKeyring begins reading the token key ring at a function's init
// without waiting for it: the runtime asks for its first event while SSM
// answers, so the read is not part of the cold start's init. The first
// TokenKeys waits for that read. If it failed, TokenKeys reads again at
// each use until a read succeeds; meanwhile it returns no keys, so signing
// fails and a reply or link cannot be verified (app reports both as
// errors of that invocation, which is retried, never as a forged token).
func StartKeyring(cfg aws.Config, name string, log *slog.Logger) *Keyring {
	k := &Keyring{Get: VersionClient(cfg), Name: name, Now: time.Now, Log: log}
	k.Start()
	return k
}

// Start reads the key ring in the background; TokenKeys waits for it.
// Call it once, before the first TokenKeys.
func (k *Keyring) Start() {
	k.first = make(chan struct{})
	go func() {
		defer close(k.first)
		ctx, cancel := context.WithTimeout(context.Background(), initTimeout)
		defer cancel()
		if err := k.Load(ctx); err != nil && k.Log != nil {
			k.Log.Warn("token key not read at start; reading it again at first use", "error", err)
		}
	}()
}

// LoadKeyring reads the token key ring at a function's init.
func LoadKeyring(cfg aws.Config, name string, log *slog.Logger) (*Keyring, error) {
	k := &Keyring{Get: VersionClient(cfg), Name: name, Now: time.Now, Log: log}
	ctx, cancel := context.WithTimeout(context.Background(), initTimeout)
	defer cancel()
	if err := k.Load(ctx); err != nil {
		return nil, err
	}
	return k, nil
}

// Load reads the latest version and the one before it.
func (k *Keyring) Load(ctx context.Context) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.load(ctx)
}

func (k *Keyring) load(ctx context.Context) error {
	latest, err := k.read(ctx, k.Name)
	if err != nil {
		return err
	}
	k.checked = k.Now()
	if latest.Version == k.version {
		return nil
	}
	var previous care.Secret
	switch {
	case latest.Version == k.version+1 && k.version > 0:
		previous = k.current // one rotation: the key we had
	case latest.Version > 1:
		p, err := k.read(ctx, k.Name+":"+strconv.FormatInt(latest.Version-1, 10))
		if err != nil {
			return err
		}
		previous = care.Secret(p.Value)
	}
	k.current, k.previous, k.version = care.Secret(latest.Value), previous, latest.Version
	return nil
}

func (k *Keyring) read(ctx context.Context, name string) (Parameter, error) {
	p, err := k.Get(ctx, name)
	if errors.Is(err, ErrNotFound) {
		return Parameter{}, fmt.Errorf("no token key parameter %s", name)
	}
	if err != nil {
		return Parameter{}, fmt.Errorf("read token key parameter %s: %w", name, err)
	}
	if len(p.Value) < 16 {
		return Parameter{}, fmt.Errorf("token key parameter %s (version %d) is shorter than 16 bytes", name, p.Version)
	}
	return p, nil
}

// TokenKeys returns the current and the previous key (nil if there is
// none), first checking for a new version if Refresh has passed.
func (k *Keyring) TokenKeys() (current, previous care.Secret) {
	if k.first != nil {
		<-k.first
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	refresh := k.Refresh
	if refresh <= 0 {
		refresh = KeyRefresh
	}
	if k.Now().Sub(k.checked) >= refresh {
		ctx, cancel := context.WithTimeout(context.Background(), refreshTimeout)
		err := k.load(ctx)
		cancel()
		switch {
		case err != nil && k.version == 0: // never read: no keys, and read again at the next use
			if k.Log != nil {
				k.Log.Warn("token key not read; no keys until it is", "error", err)
			}
		case err != nil:
			k.checked = k.Now() // try again after another Refresh, not on every request
			if k.Log != nil {
				k.Log.Warn("token key not refreshed; using the keys read before", "version", k.version, "error", err)
			}
		}
	}
	return k.current, k.previous
}
