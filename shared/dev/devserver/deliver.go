package devserver

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/freshdesk"
	"github.com/carecoach/carecoach/shared/adapters/zendesk"
	"github.com/carecoach/carecoach/shared/core/care"
)

// Deliver posts a webhook body to a carecoach server the way the help desk
// would: Zendesk bodies signed over timestamp + body, Freshdesk bodies with
// the shared secret header. signedAt is the signature's timestamp.
func Deliver(ctx context.Context, baseURL string, source care.Source, connection string, secret []byte, body []byte, signedAt time.Time) (*http.Response, error) {
	url := fmt.Sprintf("%s/webhooks/%s/%s", baseURL, source, connection)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	switch source {
	case care.Zendesk:
		ts := signedAt.UTC().Format(time.RFC3339)
		req.Header.Set("X-Zendesk-Webhook-Signature-Timestamp", ts)
		req.Header.Set("X-Zendesk-Webhook-Signature", zendesk.Sign(secret, ts, body))
	case care.Freshdesk:
		req.Header.Set(freshdesk.SecretHeader, string(secret))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("post %s: %w", url, err)
	}
	return resp, nil
}
