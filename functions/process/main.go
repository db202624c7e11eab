// Command process is the DynamoDB-stream Lambda: normalize stored
// deliveries, fold ticket state, schedule and cancel tasks.
package main

import (
	// Team time zones must load even where the image has no zone files.
	_ "time/tzdata"

	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/carecoach/carecoach/shared/adapters/apihistory"
	"github.com/carecoach/carecoach/shared/adapters/awslambda"
	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/adapters/emf"
	"github.com/carecoach/carecoach/shared/adapters/eventbridge"
	"github.com/carecoach/carecoach/shared/adapters/ssmparam"
	"github.com/carecoach/carecoach/shared/wire"
)

func main() {
	log := awslambda.Logger()
	env, err := awslambda.Env("CARECOACH_TABLE", "CARECOACH_RETENTION_DAYS", "CARECOACH_RAW_RETENTION_DAYS", "CARECOACH_SCHEDULE_GROUP", "CARECOACH_FIRE_ARN", "CARECOACH_SCHEDULER_ROLE_ARN", "CARECOACH_SCHEDULER_DLQ_ARN", "CARECOACH_HELPDESK_TOKENS_PATH")
	if err != nil {
		awslambda.Fail(log, "configuration", err)
	}
	cfg, err := awslambda.AWSConfig()
	if err != nil {
		awslambda.Fail(log, "aws config", err)
	}
	store, err := dynamo.Open(cfg, awslambda.Endpoint("dynamodb"), env["CARECOACH_TABLE"], env["CARECOACH_RETENTION_DAYS"], env["CARECOACH_RAW_RETENTION_DAYS"])
	if err != nil {
		awslambda.Fail(log, "configuration", err)
	}
	sched := &eventbridge.Scheduler{
		API: eventbridge.NewClient(cfg, awslambda.Endpoint("scheduler")), Group: env["CARECOACH_SCHEDULE_GROUP"],
		TargetARN: env["CARECOACH_FIRE_ARN"], RoleARN: env["CARECOACH_SCHEDULER_ROLE_ARN"],
		DeadLetterARN: env["CARECOACH_SCHEDULER_DLQ_ARN"], Now: time.Now,
	}
	// Help desk API tokens, for a Freshdesk rating's comment (webhooks
	// cannot carry it) and for reconcile, read only under their path.
	tokens := apihistory.Opener{Tokens: &ssmparam.Secrets{GetParameter: ssmparam.Client(cfg), Now: time.Now}, Path: env["CARECOACH_HELPDESK_TOKENS_PATH"]}
	base := wire.Base{Now: time.Now, Log: log}
	process, err := wire.Process(base, store, sched, tokens)
	if err != nil {
		awslambda.Fail(log, "wiring", err)
	}
	lambda.Start(emf.Handler(awslambda.Metrics("process"), awslambda.ProcessHandler(process, dynamo.DeliveryFromImage, log)))
}
