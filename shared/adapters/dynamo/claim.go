package dynamo

import (
	"context"
	"fmt"
	"time"
)

// Claims of inbound messages (type inbound_message): a reply or a kudos is
// recorded once, whatever how often SES or a person sends it again.

type claimItem struct {
	keys
	TTL int64 `dynamodbav:"ttl"`
}

// ClaimMessage records an inbound Message-ID; claimed is false if it was
// seen before (a replay). Claims expire after a year (or the records'
// retention, if shorter: reply tokens live 30 days, far less than either).
func (s *Store) ClaimMessage(ctx context.Context, messageID string) (claimed bool, err error) {
	ttl := min(s.now().Add(365*24*time.Hour).Unix(), s.expires(s.now()))
	ok, err := s.putOnce(ctx, claimItem{keys: claimKeys(messageID), TTL: ttl})
	if err != nil {
		return false, fmt.Errorf("claim message %s: %w", messageID, err)
	}
	return ok, nil
}

// ReleaseMessage forgets a claim, so that a failed message can be retried.
func (s *Store) ReleaseMessage(ctx context.Context, messageID string) error {
	if err := s.remove(ctx, claimKeys(messageID)); err != nil {
		return fmt.Errorf("release message %s: %w", messageID, err)
	}
	return nil
}
