// Command signer signs a request of its own, which no table names.
package main

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

func send(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, "https://sqs.us-east-1.amazonaws.com/", nil)
	if err != nil {
		return err
	}
	return v4.NewSigner().SignHTTP(ctx, aws.Credentials{}, req, "", "sqs", "us-east-1", time.Now())
}

func main() { lambda.Start(send) }
