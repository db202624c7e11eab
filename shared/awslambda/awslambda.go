// Package awslambda adapts Lambda event sources to the application
// services: DynamoDB stream batches to process, Scheduler payloads to fire.
package awslambda

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/care"
	"github.com/carecoach/carecoach/shared/dynamo"
)

// ProcessHandler processes a stream batch of raw deliveries and reports the
// records that failed, so Lambda retries only those (and, with bisect on,
// isolates a poison record that then lands in the on-failure queue).
func ProcessHandler(p *app.Process, log *slog.Logger) func(context.Context, events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	return func(ctx context.Context, e events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
		var resp events.DynamoDBEventResponse
		for i, r := range e.Records {
			if err := processRecord(ctx, p, r); err != nil {
				log.ErrorContext(ctx, "stream record failed", "eventID", r.EventID, "error", err)
				// Stop at the first failure: the stream keeps order per
				// shard, so everything from here on is retried.
				for _, rest := range e.Records[i:] {
					resp.BatchItemFailures = append(resp.BatchItemFailures, events.DynamoDBBatchItemFailure{ItemIdentifier: rest.Change.SequenceNumber})
				}
				return resp, nil
			}
		}
		return resp, nil
	}
}

func processRecord(ctx context.Context, p *app.Process, r events.DynamoDBEventRecord) error {
	image, err := attributeValues(r.Change.NewImage)
	if err != nil {
		return err
	}
	d, ok, err := dynamo.DeliveryFromImage(image)
	if err != nil || !ok {
		return err // not a raw delivery (the filter should have dropped it)
	}
	return p.Delivery(ctx, d)
}

// FireHandler runs the task named by a Scheduler payload.
func FireHandler(f *app.Fire) func(context.Context, care.TaskRef) error {
	return func(ctx context.Context, ref care.TaskRef) error {
		if ref.ID == "" || ref.Ticket.TicketID == "" {
			return fmt.Errorf("fire: payload names no task")
		}
		return f.Task(ctx, ref)
	}
}

// attributeValues converts a stream image to SDK attribute values.
func attributeValues(m map[string]events.DynamoDBAttributeValue) (map[string]types.AttributeValue, error) {
	out := make(map[string]types.AttributeValue, len(m))
	for k, v := range m {
		av, err := attributeValue(v)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", k, err)
		}
		out[k] = av
	}
	return out, nil
}

func attributeValue(v events.DynamoDBAttributeValue) (types.AttributeValue, error) {
	switch v.DataType() {
	case events.DataTypeString:
		return &types.AttributeValueMemberS{Value: v.String()}, nil
	case events.DataTypeNumber:
		return &types.AttributeValueMemberN{Value: v.Number()}, nil
	case events.DataTypeBinary:
		return &types.AttributeValueMemberB{Value: v.Binary()}, nil
	case events.DataTypeBoolean:
		return &types.AttributeValueMemberBOOL{Value: v.Boolean()}, nil
	case events.DataTypeNull:
		return &types.AttributeValueMemberNULL{Value: true}, nil
	case events.DataTypeStringSet:
		return &types.AttributeValueMemberSS{Value: v.StringSet()}, nil
	case events.DataTypeNumberSet:
		return &types.AttributeValueMemberNS{Value: v.NumberSet()}, nil
	case events.DataTypeBinarySet:
		return &types.AttributeValueMemberBS{Value: v.BinarySet()}, nil
	case events.DataTypeList:
		var l []types.AttributeValue
		for _, e := range v.List() {
			av, err := attributeValue(e)
			if err != nil {
				return nil, err
			}
			l = append(l, av)
		}
		return &types.AttributeValueMemberL{Value: l}, nil
	case events.DataTypeMap:
		m, err := attributeValues(v.Map())
		if err != nil {
			return nil, err
		}
		return &types.AttributeValueMemberM{Value: m}, nil
	default:
		return nil, fmt.Errorf("unsupported attribute type %v", v.DataType())
	}
}

// Env reads required environment variables, naming every missing one.
func Env(names ...string) (map[string]string, error) {
	out := make(map[string]string, len(names))
	var missing []string
	for _, n := range names {
		v := os.Getenv(n)
		if v == "" {
			missing = append(missing, n)
		}
		out[n] = v
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("missing environment variables: %s", strings.Join(missing, ", "))
	}
	return out, nil
}

// Logger is the structured logger for Lambda: JSON when the function's
// LoggingConfig says so, with the request id on every line.
func Logger() *slog.Logger {
	return slog.New(lambdacontext.NewLogHandler())
}

// Fail reports a start-up error and exits: Lambda then reports an init
// error, which is what a misconfigured function should do.
func Fail(log *slog.Logger, msg string, err error) {
	log.Error(msg, "error", err)
	os.Exit(1)
}
