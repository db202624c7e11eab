package dynamo_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/carecoach/carecoach/shared/adapters/dynamo"
)

func TestALambdaStoreIsOpenedOnlyWithARetentionInDays(t *testing.T) {
	for _, c := range []struct {
		name, records, raw, want string
	}{
		{"records kept for words, not days, are refused", "a year", "30", "retention of records"},
		{"records kept for less than 30 days are refused", "7", "30", "at least 30"},
		{"raw deliveries kept for no days are refused", "400", "0", "retention of raw deliveries"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := dynamo.Open(aws.Config{}, "", "carecoach", c.records, c.raw); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one saying %q", err, c.want)
			}
		})
	}
	if s, err := dynamo.Open(aws.Config{}, "http://127.0.0.1:1", "carecoach", "400", "30"); err != nil || s == nil {
		t.Errorf("a valid configuration: %v", err)
	}
}
