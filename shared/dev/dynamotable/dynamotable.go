// Package dynamotable creates DynamoDB tables from their definition in
// template.yaml, for the local stack, the tests and admin tooling. It is
// apart from package dynamo so that no Lambda links a YAML parser.
package dynamotable

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	"go.yaml.in/yaml/v3"
)

// tableDef is the part of an AWS::DynamoDB::Table resource that shapes the
// table (billing, throughput and encryption don't matter locally).
type tableDef struct {
	AttributeDefinitions []struct {
		AttributeName string `yaml:"AttributeName"`
		AttributeType string `yaml:"AttributeType"`
	} `yaml:"AttributeDefinitions"`
	KeySchema              []keyDef `yaml:"KeySchema"`
	GlobalSecondaryIndexes []struct {
		IndexName  string   `yaml:"IndexName"`
		KeySchema  []keyDef `yaml:"KeySchema"`
		Projection struct {
			ProjectionType   string   `yaml:"ProjectionType"`
			NonKeyAttributes []string `yaml:"NonKeyAttributes"`
		} `yaml:"Projection"`
	} `yaml:"GlobalSecondaryIndexes"`
	StreamSpecification *struct {
		StreamViewType string `yaml:"StreamViewType"`
	} `yaml:"StreamSpecification"`
	TimeToLiveSpecification *struct {
		AttributeName string `yaml:"AttributeName"`
		Enabled       bool   `yaml:"Enabled"`
	} `yaml:"TimeToLiveSpecification"`
}

type keyDef struct {
	AttributeName string `yaml:"AttributeName"`
	KeyType       string `yaml:"KeyType"`
}

// FromTemplate creates table `name` exactly as resource
// `logicalID` of a SAM/CloudFormation template defines it (keys, indexes,
// stream, TTL), so local tables never drift from the deployed one.
func FromTemplate(ctx context.Context, db *dynamodb.Client, template []byte, logicalID, name string) error {
	def, err := readTableDef(template, logicalID)
	if err != nil {
		return err
	}
	in := &dynamodb.CreateTableInput{
		TableName:   aws.String(name),
		BillingMode: types.BillingModePayPerRequest,
		KeySchema:   keySchema(def.KeySchema),
	}
	for _, a := range def.AttributeDefinitions {
		in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{
			AttributeName: aws.String(a.AttributeName), AttributeType: types.ScalarAttributeType(a.AttributeType),
		})
	}
	for _, g := range def.GlobalSecondaryIndexes {
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, types.GlobalSecondaryIndex{
			IndexName: aws.String(g.IndexName),
			KeySchema: keySchema(g.KeySchema),
			Projection: &types.Projection{
				ProjectionType:   types.ProjectionType(g.Projection.ProjectionType),
				NonKeyAttributes: g.Projection.NonKeyAttributes,
			},
		})
	}
	if s := def.StreamSpecification; s != nil {
		in.StreamSpecification = &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewType(s.StreamViewType)}
	}
	if _, err := db.CreateTable(ctx, in); err != nil {
		var inUse *types.ResourceInUseException
		if !errors.As(err, &inUse) {
			return fmt.Errorf("create table %s: %w", name, err)
		}
	}
	if ttl := def.TimeToLiveSpecification; ttl != nil && ttl.Enabled {
		_, err := db.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
			TableName:               aws.String(name),
			TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String(ttl.AttributeName), Enabled: aws.Bool(true)},
		})
		if err != nil && !isTTLAlreadyOn(err) {
			return fmt.Errorf("enable ttl on %s: %w", name, err)
		}
	}
	return nil
}

func isTTLAlreadyOn(err error) bool {
	var api smithy.APIError // "TimeToLive is already enabled" has no type of its own
	return errors.As(err, &api) && api.ErrorCode() == "ValidationException" && strings.Contains(api.ErrorMessage(), "already enabled")
}

func keySchema(ks []keyDef) []types.KeySchemaElement {
	out := make([]types.KeySchemaElement, 0, len(ks))
	for _, k := range ks {
		out = append(out, types.KeySchemaElement{AttributeName: aws.String(k.AttributeName), KeyType: types.KeyType(k.KeyType)})
	}
	return out
}

// readTableDef finds Resources.<logicalID>.Properties in the template. The
// yaml.Node walk tolerates CloudFormation's !Ref / !GetAtt tags elsewhere.
func readTableDef(template []byte, logicalID string) (tableDef, error) {
	var doc struct {
		Resources map[string]struct {
			Type       string    `yaml:"Type"`
			Properties yaml.Node `yaml:"Properties"`
		} `yaml:"Resources"`
	}
	if err := yaml.Unmarshal(template, &doc); err != nil {
		return tableDef{}, fmt.Errorf("read template: %w", err)
	}
	res, ok := doc.Resources[logicalID]
	if !ok || res.Type != "AWS::DynamoDB::Table" {
		return tableDef{}, fmt.Errorf("template has no AWS::DynamoDB::Table named %s", logicalID)
	}
	var def tableDef
	if err := res.Properties.Decode(&def); err != nil {
		return tableDef{}, fmt.Errorf("read table %s from template: %w", logicalID, err)
	}
	if len(def.KeySchema) == 0 {
		return tableDef{}, fmt.Errorf("table %s in template has no KeySchema", logicalID)
	}
	return def, nil
}
