// Command fire is the EventBridge Scheduler target: run a task when it
// comes due (e.g. remind an agent whose customer is still waiting).
package main

import (
	// Team time zones must load even where the image has no zone files.
	_ "time/tzdata"

	"context"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/awslambda"
	"github.com/carecoach/carecoach/shared/dynamo"
	"github.com/carecoach/carecoach/shared/sesmail"
)

func main() {
	log := awslambda.Logger()
	env, err := awslambda.Env("CARECOACH_TABLE", "CARECOACH_MAIL_FROM")
	if err != nil {
		awslambda.Fail(log, "configuration", err)
	}
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		awslambda.Fail(log, "aws config", err)
	}
	store := dynamo.New(dynamo.NewClient(cfg, ""), env["CARECOACH_TABLE"], time.Now)
	fire := &app.Fire{
		Tasks:       store,
		Connections: store,
		Directory:   store,
		Mailer:      sesmail.New(sesmail.NewClient(cfg, ""), env["CARECOACH_MAIL_FROM"], os.Getenv("CARECOACH_SES_CONFIGURATION_SET")),
		Now:         time.Now,
		Log:         log,
	}
	lambda.Start(awslambda.FireHandler(fire))
}
