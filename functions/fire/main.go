// Command fire is the EventBridge Scheduler target: run a task when it
// comes due (e.g. remind an agent whose customer is still waiting).
package main

import (
	// Team time zones must load even where the image has no zone files.
	_ "time/tzdata"

	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/carecoach/carecoach/shared/adapters/awslambda"
	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/adapters/emf"
	"github.com/carecoach/carecoach/shared/adapters/sesmail"
	"github.com/carecoach/carecoach/shared/adapters/ssmparam"
	"github.com/carecoach/carecoach/shared/wire"
)

func main() {
	log := awslambda.Logger()
	env, err := awslambda.Env("CARECOACH_TABLE", "CARECOACH_RETENTION_DAYS", "CARECOACH_RAW_RETENTION_DAYS", "CARECOACH_MAIL_FROM", "CARECOACH_REPLY_DOMAIN", "CARECOACH_TOKEN_KEY_PARAM")
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
	store, err := dynamo.Open(cfg, awslambda.Endpoint("dynamodb"), env["CARECOACH_TABLE"], env["CARECOACH_RETENTION_DAYS"], env["CARECOACH_RAW_RETENTION_DAYS"])
	if err != nil {
		awslambda.Fail(log, "configuration", err)
	}
	sendRate, err := sesmail.ParseSendRate(os.Getenv("CARECOACH_SES_SEND_RATE"))
	if err != nil {
		awslambda.Fail(log, "configuration", err)
	}
	mail := wire.Mail{
		Mailer: sesmail.New(sesmail.NewClient(cfg, awslambda.Endpoint("sesv2")), env["CARECOACH_MAIL_FROM"], os.Getenv("CARECOACH_SES_CONFIGURATION_SET")),
		From:   env["CARECOACH_MAIL_FROM"], Keys: key, ReplyDomain: env["CARECOACH_REPLY_DOMAIN"], SendRate: sendRate,
	}
	base := wire.Base{Now: time.Now, Log: log}
	fire, err := wire.Fire(base, store, mail)
	if err != nil {
		awslambda.Fail(log, "wiring", err)
	}
	// Each digest links to the team's dashboard, signed with the same key
	// (package dashtoken derives its own from it).
	digests, err := wire.Digests(base, store, mail, os.Getenv("CARECOACH_DASHBOARD_URL"))
	if err != nil {
		awslambda.Fail(log, "wiring", err)
	}
	climate, err := wire.Climate(base, store, mail)
	if err != nil {
		awslambda.Fail(log, "wiring", err)
	}
	checkBacks, err := wire.CheckBacks(base, store, mail)
	if err != nil {
		awslambda.Fail(log, "wiring", err)
	}
	briefs, err := wire.Briefs(base, store, mail)
	if err != nil {
		awslambda.Fail(log, "wiring", err)
	}
	upward, err := wire.Upward(base, store, mail)
	if err != nil {
		awslambda.Fail(log, "wiring", err)
	}
	lambda.Start(emf.HandlerNoResult(awslambda.Metrics("fire"), awslambda.FireHandler(fire, digests, climate, checkBacks, briefs, upward)))
}
