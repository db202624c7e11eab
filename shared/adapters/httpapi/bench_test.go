package httpapi_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/carecoach/carecoach/shared/adapters/zendesk"
)

// BenchmarkIngest measures one verified, deduplicated webhook through the
// whole HTTP handler against DynamoDB Local, next to the raw conditional
// PutItem it is built on, in the same run: the ratio of the two is the
// cost of everything carecoach adds (routing, body cap, signature check,
// JSON dedupe key, marshalling). Run with `make bench`.
func BenchmarkIngest(b *testing.B) {
	h, db, table := server(b)
	body := sample(b, "zendesk-ticket-comment-added-customer")
	item := map[string]types.AttributeValue{"sk": &types.AttributeValueMemberS{Value: "RAW"}, "body": &types.AttributeValueMemberB{Value: body}}

	run := 0 // each sub-benchmark runs several times: keep keys unique
	b.Run("raw conditional PutItem (baseline)", func(b *testing.B) {
		run++
		for i := range b.N {
			item["pk"] = &types.AttributeValueMemberS{Value: "BENCH#" + strconv.Itoa(run) + "#" + strconv.Itoa(i)}
			_, err := db.PutItem(b.Context(), &dynamodb.PutItemInput{TableName: &table, Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)")})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("signed webhook through ingest", func(b *testing.B) {
		run++
		for i := range b.N {
			// A new event id each time, so every delivery is a real write.
			one := bytes.Replace(body, []byte(`"id": "7c8d9e0f`), []byte(fmt.Sprintf(`"id": "%03d%08d`, run, i)), 1)
			req := httptest.NewRequest("POST", "/webhooks/zendesk/acme-zendesk", bytes.NewReader(one))
			req.Header.Set("Content-Type", "application/json")
			ts := now.Format(time.RFC3339)
			req.Header.Set("X-Zendesk-Webhook-Signature-Timestamp", ts)
			req.Header.Set("X-Zendesk-Webhook-Signature", zendesk.Sign([]byte(secret), ts, one))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusAccepted {
				b.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
		}
	})
}
