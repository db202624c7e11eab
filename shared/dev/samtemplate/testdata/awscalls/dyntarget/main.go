// Command dyntarget calls awsjson with a target the analysis cannot read.
package main

import (
	"context"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/carecoach/carecoach/shared/adapters/awsjson"
)

func main() {
	c := awsjson.Client{Service: "ssm"}
	target := os.Getenv("TARGET")
	lambda.Start(func(ctx context.Context) error {
		var out struct{}
		return c.Call(ctx, target, nil, &out)
	})
}
