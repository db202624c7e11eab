// Package awslambda is carecoach's one Lambda adapter: a function's
// start-up (environment, AWS config, logger, metrics, init failure) and the
// event sources adapted to the application services: DynamoDB stream
// batches to process, Scheduler payloads to fire, SES receipts to inbound,
// and API Gateway HTTP API requests to a net/http handler (http.go). It
// knows no storage layout: the stream's item decoder is passed in.
package awslambda

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/carecoach/carecoach/shared/adapters/emf"
	"github.com/carecoach/carecoach/shared/adapters/eventbridge/payload"
	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
)

// DeliveryDecoder reads a raw delivery from a stream record's new image;
// ok is false for an item that is not one. The table's adapter owns the
// item layout (dynamo.DeliveryFromImage).
type DeliveryDecoder func(image map[string]types.AttributeValue) (d care.Delivery, ok bool, err error)

// Processor is what a stream batch feeds: app.Process.
type Processor interface {
	Delivery(ctx context.Context, d care.Delivery) error
}

// ProcessHandler processes a stream batch of raw deliveries and reports the
// records that failed, so Lambda retries only those (and, with bisect on,
// isolates a poison record that then lands in the on-failure queue).
func ProcessHandler(p Processor, decode DeliveryDecoder, log *slog.Logger) func(context.Context, events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	return func(ctx context.Context, e events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
		var resp events.DynamoDBEventResponse
		for i, r := range e.Records {
			if err := processRecord(ctx, p, decode, r); err != nil {
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

func processRecord(ctx context.Context, p Processor, decode DeliveryDecoder, r events.DynamoDBEventRecord) error {
	image, err := attributeValues(r.Change.NewImage)
	if err != nil {
		return err
	}
	d, ok, err := decode(image)
	if err != nil {
		return fmt.Errorf("stream record %s: %w", r.EventID, err)
	}
	if !ok {
		return nil // not a raw delivery (the filter should have dropped it)
	}
	return p.Delivery(ctx, d)
}

// FireHandler runs the task or job named by a Scheduler payload.
func FireHandler(f *app.Fire, d *app.Digests, p *app.Climate, c *app.CheckBacks, b *app.Briefs, u *app.Upward) func(context.Context, payload.Fire) error {
	return func(ctx context.Context, e payload.Fire) error {
		switch {
		case e.Job == app.JobDigest && e.Team != "":
			return d.Send(ctx, e.Team)
		case e.Job == app.JobClimate && e.Team != "":
			return p.Send(ctx, e.Team)
		case e.Job == app.JobCheckBack && e.Team != "":
			return c.Send(ctx, e.Team)
		case e.Job == app.JobBrief && e.Team != "":
			return b.Send(ctx, e.Team)
		case e.Job == app.JobUpward && e.Team != "":
			return u.Run(ctx, e.Team)
		case e.Job != "":
			return fmt.Errorf("fire: unknown job %q", e.Job)
		}
		task, ok := e.Task()
		if !ok {
			return fmt.Errorf("fire: payload names no task")
		}
		return f.Task(ctx, task)
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

// Fail reports a start-up error to the log and to the Lambda Runtime API's
// init-error endpoint, then exits: a misconfigured function fails its init
// visibly instead of answering events wrongly.
func Fail(log *slog.Logger, msg string, err error) {
	log.Error(msg, "error", err)
	if api := os.Getenv("AWS_LAMBDA_RUNTIME_API"); api != "" {
		body, _ := json.Marshal(map[string]any{"errorMessage": msg + ": " + err.Error(), "errorType": "Runtime.InitError"})
		req, rerr := http.NewRequest(http.MethodPost, "http://"+api+"/2018-06-01/runtime/init/error", bytes.NewReader(body))
		if rerr == nil {
			req.Header.Set("Lambda-Runtime-Function-Error-Type", "Runtime.InitError")
			client := http.Client{Timeout: 2 * time.Second}
			if resp, rerr := client.Do(req); rerr == nil {
				resp.Body.Close()
			}
		}
	}
	os.Exit(1)
}

// MessageSource reads a received message's raw MIME (from S3 in AWS).
type MessageSource func(ctx context.Context, messageID string) (io.ReadCloser, error)

// InboundHandler handles SES receipt events: the S3 action has stored the
// message; the event carries SES's verdicts. A refused message is logged
// and dropped; a transient failure is an error, so Lambda retries.
func InboundHandler(in *app.Inbound, source MessageSource) func(context.Context, events.SimpleEmailEvent) error {
	return func(ctx context.Context, e events.SimpleEmailEvent) error {
		for _, r := range e.Records {
			rc := r.SES.Receipt
			v := app.Verdicts{SPF: rc.SPFVerdict.Status, DKIM: rc.DKIMVerdict.Status, DMARC: rc.DMARCVerdict.Status,
				Spam: rc.SpamVerdict.Status, Virus: rc.VirusVerdict.Status, DKIMDomains: dkimPassDomains(r.SES.Mail.Headers)}
			body, err := source(ctx, r.SES.Mail.MessageID)
			if err != nil {
				return fmt.Errorf("read message %s: %w", r.SES.Mail.MessageID, err)
			}
			_, err = in.Receive(ctx, body, v)
			body.Close()
			if err != nil {
				return err
			}
		}
		return nil
	}
}

// AWSConfig is the SDK configuration inside Lambda, read from the variables
// Lambda sets (region and the execution role's credentials, valid for the
// life of the execution environment). It skips config.LoadDefaultConfig,
// whose SSO, STS and IMDS credential providers add megabytes to every
// function and are never used in Lambda.
func AWSConfig() (aws.Config, error) {
	region := os.Getenv("AWS_REGION")
	key, secret := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
	if region == "" || key == "" || secret == "" {
		return aws.Config{}, fmt.Errorf("AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set (Lambda sets them)")
	}
	return aws.Config{
		Region:      region,
		Credentials: credentials.NewStaticCredentialsProvider(key, secret, os.Getenv("AWS_SESSION_TOKEN")),
	}, nil
}

// Endpoint is the standard per-service endpoint override
// (AWS_ENDPOINT_URL_<SERVICE>), "" in production.
func Endpoint(service string) string {
	return os.Getenv("AWS_ENDPOINT_URL_" + strings.ToUpper(service))
}

// Metrics is the function's CloudWatch embedded-metric-format recorder:
// one JSON line per invocation on stdout, in namespace CareCoach, by
// function and stage.
func Metrics(function string) *emf.Recorder {
	return emf.New(os.Stdout, "CareCoach", map[string]string{"Function": function, "Stage": os.Getenv("CARECOACH_STAGE")}, time.Now)
}
