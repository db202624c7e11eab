// Command hello is the smallest Go Lambda function: the baseline the
// benchmark report compares each carecoach bootstrap's cold start with.
package main

import "github.com/aws/aws-lambda-go/lambda"

func main() {
	lambda.Start(func() (string, error) { return "hello", nil })
}
