// Command good makes AWS calls in every way the analysis must see, and
// holds one it must not count (never called).
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/carecoach/carecoach/shared/adapters/awsjson"
)

type putter interface {
	PutItem(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
}

type store struct {
	// A method value kept in a struct: called as a func value.
	get func(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	del func(context.Context, *dynamodb.DeleteItemInput, ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	// An interface holding the client.
	put  putter
	json awsjson.Client
}

func (s *store) handle(ctx context.Context, _ map[string]any) error {
	if _, err := s.get(ctx, &dynamodb.GetItemInput{}); err != nil {
		return err
	}
	if _, err := s.put.PutItem(ctx, &dynamodb.PutItemInput{}); err != nil {
		return err
	}
	var out struct{}
	return s.json.Call(ctx, "AmazonSSM.GetParameter", map[string]any{}, &out)
}

// Forget is exported and its type is converted to an interface, so that
// reflection could call it; nothing does, so DeleteItem is not a call.
func (s *store) Forget(ctx context.Context) error {
	_, err := s.del(ctx, &dynamodb.DeleteItemInput{})
	return err
}

var keep any

func main() {
	c := dynamodb.NewFromConfig(aws.Config{})
	s := &store{get: c.GetItem, del: c.DeleteItem, put: c, json: awsjson.Client{Service: "ssm"}}
	keep = s
	lambda.Start(s.handle)
}
