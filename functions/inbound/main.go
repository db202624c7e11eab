// Command inbound is the SES receipt-rule target: read a reply that the S3
// action stored, check it, and act on the manager's words.
package main

import (
	"context"
	"io"
	"os"
	"time"
	// Team time zones must load even where the image has no zone files.
	_ "time/tzdata"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/carecoach/carecoach/shared/adapters/awslambda"
	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/adapters/emf"
	"github.com/carecoach/carecoach/shared/adapters/mimemail"
	"github.com/carecoach/carecoach/shared/adapters/s3object"
	"github.com/carecoach/carecoach/shared/adapters/sesmail"
	"github.com/carecoach/carecoach/shared/adapters/ssmparam"
	"github.com/carecoach/carecoach/shared/wire"
)

func main() {
	log := awslambda.Logger()
	env, err := awslambda.Env("CARECOACH_TABLE", "CARECOACH_RETENTION_DAYS", "CARECOACH_RAW_RETENTION_DAYS", "CARECOACH_MAIL_FROM", "CARECOACH_REPLY_DOMAIN", "CARECOACH_TOKEN_KEY_PARAM", "CARECOACH_INBOUND_BUCKET", "CARECOACH_INBOUND_PREFIX")
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
	mail := wire.Mail{
		Mailer: sesmail.New(sesmail.NewClient(cfg, awslambda.Endpoint("sesv2")), env["CARECOACH_MAIL_FROM"], os.Getenv("CARECOACH_SES_CONFIGURATION_SET")),
		From:   env["CARECOACH_MAIL_FROM"], Keys: key, ReplyDomain: env["CARECOACH_REPLY_DOMAIN"],
	}
	inbound, err := wire.Inbound(wire.Base{Now: time.Now, Log: log}, store, mail, mimemail.ReadInbound)
	if err != nil {
		awslambda.Fail(log, "wiring", err)
	}
	bucket, prefix := env["CARECOACH_INBOUND_BUCKET"], env["CARECOACH_INBOUND_PREFIX"]
	mailbox := s3object.Getter{Config: cfg, Bucket: bucket}
	source := func(ctx context.Context, messageID string) (io.ReadCloser, error) {
		return mailbox.Get(ctx, prefix+messageID)
	}
	lambda.Start(emf.HandlerNoResult(awslambda.Metrics("inbound"), awslambda.InboundHandler(inbound, source)))
}
