package emf_test

import (
	"context"
	"os"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/emf"
)

func Example() {
	now := func() time.Time { return time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC) }
	rec := emf.New(os.Stdout, "CareCoach", map[string]string{"Function": "ingest", "Stage": "prod"}, now)

	handler := emf.Handler(rec, func(ctx context.Context, body string) (int, error) {
		emf.Count(ctx, emf.Deliveries, 1)
		return 202, nil
	})
	_, _ = handler(context.Background(), `{"ticket":5158}`)
	// Output:
	// {"_aws":{"Timestamp":1796025600000,"CloudWatchMetrics":[{"Namespace":"CareCoach","Dimensions":[["Function","Stage"]],"Metrics":[{"Name":"Deliveries","Unit":"Count"}]}]},"Function":"ingest","Stage":"prod","Deliveries":1}
}
