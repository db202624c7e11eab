// Command ingest is the webhook Lambda: verify, store once, answer 202.
package main

import (
	// Team time zones must load even where the image has no zone files.
	_ "time/tzdata"

	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/carecoach/carecoach/shared/adapters/awslambda"
	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/adapters/emf"
	"github.com/carecoach/carecoach/shared/adapters/httpapi"
	"github.com/carecoach/carecoach/shared/adapters/ssmparam"
	"github.com/carecoach/carecoach/shared/wire"
)

func main() {
	log := awslambda.Logger()
	env, err := awslambda.Env("CARECOACH_TABLE", "CARECOACH_RETENTION_DAYS", "CARECOACH_RAW_RETENTION_DAYS", "CARECOACH_SECRETS_PATH")
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
	secrets := &ssmparam.Secrets{GetParameter: ssmparam.Client(cfg), Path: env["CARECOACH_SECRETS_PATH"], Now: time.Now}
	ingest, err := wire.Ingest(wire.Base{Now: time.Now, Log: log}, store, secrets)
	if err != nil {
		awslambda.Fail(log, "wiring", err)
	}
	lambda.Start(emf.Handler(awslambda.Metrics("ingest"), awslambda.HTTPHandler(httpapi.Handler(ingest, log))))
}
