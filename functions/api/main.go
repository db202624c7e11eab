// Command api is the scorecards Lambda: a team's dashboard page and its
// JSON, for the holder of a signed link from the weekly digest.
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
	env, err := awslambda.Env("CARECOACH_TABLE", "CARECOACH_TOKEN_KEY_PARAM")
	if err != nil {
		awslambda.Fail(log, "configuration", err)
	}
	cfg, err := awslambda.AWSConfig()
	if err != nil {
		awslambda.Fail(log, "aws config", err)
	}
	// The token keys: the current one signs, the previous one is still
	// accepted, and a rotated key is read within ssmparam.KeyRefresh. They
	// are read while the runtime asks for the first event; the first use
	// waits for them.
	key := ssmparam.StartKeyring(cfg, env["CARECOACH_TOKEN_KEY_PARAM"], log)
	store := dynamo.New(dynamo.NewClient(cfg, awslambda.Endpoint("dynamodb")), env["CARECOACH_TABLE"], time.Now)
	dashboards, err := wire.Dashboards(wire.Base{Now: time.Now, Log: log}, store, key)
	if err != nil {
		awslambda.Fail(log, "wiring", err)
	}
	lambda.Start(emf.Handler(awslambda.Metrics("api"), awslambda.HTTPHandler(httpapi.API(dashboards, log))))
}
