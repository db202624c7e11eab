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
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/carecoach/carecoach/shared/care"
)

// API is the part of the SSM client this adapter uses.
type API interface {
	GetParameter(ctx context.Context, in *ssm.GetParameterInput, opts ...func(*ssm.Options)) (*ssm.GetParameterOutput, error)
}

// cacheFor bounds how long a secret is used before it is read again.
const cacheFor = 5 * time.Minute

// Secrets reads <Path><connection id>, e.g. /carecoach/prod/webhook-secrets/acme-zendesk.
type Secrets struct {
	API  API
	Path string
	Now  func() time.Time

	mu    sync.Mutex
	cache map[string]cached
}

type cached struct {
	secret care.Secret
	until  time.Time
}

// WebhookSecret returns a connection's webhook secret.
func (s *Secrets) WebhookSecret(ctx context.Context, connection string) (care.Secret, error) {
	now := s.Now()
	s.mu.Lock()
	c, ok := s.cache[connection]
	s.mu.Unlock()
	if ok && now.Before(c.until) {
		return c.secret, nil
	}
	out, err := s.API.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(s.Path + connection), WithDecryption: aws.Bool(true)})
	var missing *types.ParameterNotFound
	if errors.As(err, &missing) {
		return nil, fmt.Errorf("no webhook secret parameter %s%s", s.Path, connection)
	}
	if err != nil {
		return nil, fmt.Errorf("read webhook secret of %s: %w", connection, err)
	}
	secret := care.Secret(aws.ToString(out.Parameter.Value))
	if len(secret) == 0 {
		return nil, fmt.Errorf("webhook secret parameter %s%s is empty", s.Path, connection)
	}
	s.mu.Lock()
	if s.cache == nil {
		s.cache = map[string]cached{}
	}
	s.cache[connection] = cached{secret: secret, until: now.Add(cacheFor)}
	s.mu.Unlock()
	return secret, nil
}
