// Package app holds carecoach's application services: ingest, process and
// fire. Each is wired with adapters by a function's main.go and, all in one
// process, by the local dev server. Interfaces are declared here, by their
// consumer.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/emf"
	"github.com/carecoach/carecoach/shared/core/care"
)

// Helpdesk verifies and normalizes one help desk's webhooks.
type Helpdesk interface {
	Authenticate(secret care.Secret, h http.Header, body []byte, now time.Time) error
	DedupeKey(h http.Header, body []byte) (string, error)
	Normalize(d care.Delivery) ([]care.Interaction, error)
}

// Connections finds configured help desk connections.
type Connections interface {
	Connection(ctx context.Context, id string) (care.Connection, error)
}

// Secrets finds a connection's webhook secret.
type Secrets interface {
	WebhookSecret(ctx context.Context, connection string) (care.Secret, error)
}

// DeliveryStore durably stores raw deliveries, deduplicated.
type DeliveryStore interface {
	PutDelivery(ctx context.Context, d care.Delivery) (created bool, err error)
}

// Ingest accepts webhook deliveries: verify, store once, acknowledge.
type Ingest struct {
	Helpdesks   map[care.Source]Helpdesk
	Connections Connections
	Secrets     Secrets
	Deliveries  DeliveryStore
	Now         func() time.Time
	Log         *slog.Logger
}

// Webhook is one incoming request, already read and size-capped.
type Webhook struct {
	Source     string
	Connection string
	Header     http.Header
	Body       []byte
}

// Receipt says what happened to an accepted delivery.
type Receipt struct {
	Delivery  care.Delivery
	Duplicate bool
}

// Accept verifies a delivery and stores it with one conditional write. It
// returns only after the write is durable; a duplicate is a success that
// writes nothing. Any error means nothing was written.
func (s *Ingest) Accept(ctx context.Context, w Webhook) (Receipt, error) {
	source := care.Source(w.Source)
	hd, ok := s.Helpdesks[source]
	if !ok {
		return Receipt{}, care.Errorf(care.ENotFound, "unknown help desk %q: use zendesk or freshdesk", w.Source)
	}
	conn, err := s.Connections.Connection(ctx, w.Connection)
	if care.ErrorCode(err) == care.ENotFound || err == nil && conn.Kind != source {
		return Receipt{}, care.Errorf(care.ENotFound, "unknown %s connection %q", source, w.Connection)
	}
	if err != nil {
		return Receipt{}, fmt.Errorf("find connection %s: %w", w.Connection, err)
	}
	secret, err := s.Secrets.WebhookSecret(ctx, conn.ID)
	if err != nil {
		return Receipt{}, fmt.Errorf("webhook secret of %s: %w", conn.ID, err)
	}
	now := s.Now()
	if err := hd.Authenticate(secret, w.Header, w.Body, now); err != nil {
		s.Log.WarnContext(ctx, "webhook rejected", "connection", conn.ID, "reason", care.ErrorMessage(err))
		emf.Count(ctx, emf.Rejected, 1)
		return Receipt{}, err
	}
	key, err := hd.DedupeKey(w.Header, w.Body)
	if err != nil {
		emf.Count(ctx, emf.Rejected, 1)
		return Receipt{}, err
	}
	d := care.Delivery{Connection: conn.ID, Source: source, DedupeKey: key, ReceivedAt: now.UTC(), Body: w.Body}
	created, err := s.Deliveries.PutDelivery(ctx, d)
	if err != nil {
		return Receipt{}, fmt.Errorf("store delivery: %w", err)
	}
	s.Log.InfoContext(ctx, "delivery accepted", "connection", conn.ID, "dedupeKey", key, "duplicate", !created)
	if created {
		emf.Count(ctx, emf.Deliveries, 1)
	} else {
		emf.Count(ctx, emf.Duplicates, 1)
	}
	return Receipt{Delivery: d, Duplicate: !created}, nil
}
