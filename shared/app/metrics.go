package app

import (
	"context"

	"github.com/carecoach/carecoach/shared/adapters/emf"
	"github.com/carecoach/carecoach/shared/core/care"
)

// CountingMailer counts every email sent (metric EmailsSent) around any
// Mailer, so no service has to.
type CountingMailer struct{ Mailer Mailer }

// Send sends and counts.
func (m CountingMailer) Send(ctx context.Context, e care.Email) (string, error) {
	id, err := m.Mailer.Send(ctx, e)
	if err == nil {
		emf.Count(ctx, emf.EmailsSent, 1)
	}
	return id, err
}
