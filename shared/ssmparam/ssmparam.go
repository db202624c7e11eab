// Package ssmparam reads webhook secrets from SSM Parameter Store
// (SecureString parameters under one path), caching them for a few minutes
// so that a warm Lambda makes no extra call per request and a rotated secret
// is picked up without a deploy.
package ssmparam

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/carecoach/carecoach/shared/awsjson"
	"github.com/carecoach/carecoach/shared/care"
)

// GetParameterFunc reads one parameter, decrypted.
type GetParameterFunc func(ctx context.Context, name string) (string, error)

// Client is SSM's GetParameter over package awsjson: one signed JSON call,
// without linking the SSM client (which costs megabytes per function).
func Client(cfg aws.Config) GetParameterFunc {
	c := awsjson.Client{Config: cfg, Service: "ssm"}
	return func(ctx context.Context, name string) (string, error) {
		var out struct{ Parameter struct{ Value string } }
		err := c.Call(ctx, "AmazonSSM.GetParameter", map[string]any{"Name": name, "WithDecryption": true}, &out)
		var e *awsjson.Error
		if errors.As(err, &e) && e.Type == "ParameterNotFound" {
			return "", errNotFound
		}
		return out.Parameter.Value, err
	}
}

var errNotFound = errors.New("parameter not found")

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
	if errors.Is(err, errNotFound) {
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

// initTimeout bounds ReadAtInit: a function's init must not hang on SSM.
const initTimeout = 5 * time.Second

// ReadAtInit reads one SecureString parameter once, for a function's init
// (the token key that fire, inbound and api need before their first event).
func ReadAtInit(cfg aws.Config, name string) (care.Secret, error) {
	ctx, cancel := context.WithTimeout(context.Background(), initTimeout)
	defer cancel()
	return (&Secrets{GetParameter: Client(cfg), Now: time.Now}).Get(ctx, name)
}
