package dynamo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"golang.org/x/sync/errgroup"
)

// The store's reads of many items: every one is a query of one partition
// (partition, between), run through all its pages by queryAll.

// partition queries every item of a table partition, strongly consistent.
func partition(pk string) *dynamodb.QueryInput {
	return &dynamodb.QueryInput{
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: pk}},
		ConsistentRead:            aws.Bool(true),
	}
}

// between queries the items of partition pk, on the table (index "") or on
// gsi1, whose timeID sort key falls in [from, to).
func between(index, pk string, from, to time.Time) *dynamodb.QueryInput {
	lo, hi := span(from, to)
	return betweenKeys(index, pk, lo, hi)
}

// betweenKeys queries the items of partition pk, on the table (index "")
// or on gsi1, whose sort key falls in [lo, hi], both included.
func betweenKeys(index, pk, lo, hi string) *dynamodb.QueryInput {
	cond := "pk = :pk AND sk BETWEEN :from AND :to"
	in := &dynamodb.QueryInput{}
	if index != "" {
		cond = "gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to"
		in.IndexName = aws.String(index)
	}
	in.KeyConditionExpression = aws.String(cond)
	in.ExpressionAttributeValues = map[string]types.AttributeValue{
		":pk":   &types.AttributeValueMemberS{Value: pk},
		":from": &types.AttributeValueMemberS{Value: lo},
		":to":   &types.AttributeValueMemberS{Value: hi},
	}
	return in
}

// queryAll runs a query through all its pages and decodes every item as T,
// in the query's order: the store's one paged read.
//
// It pages by hand rather than with dynamodb.NewQueryPaginator: handing the
// client to that interface-typed helper makes the linker keep every method
// of the client, which with html/template in the same binary adds megabytes.
func queryAll[T any](ctx context.Context, s *Store, in *dynamodb.QueryInput) ([]T, error) {
	in.TableName = &s.table
	var out []T
	for {
		page, err := s.db.Query(ctx, in)
		if err != nil {
			return nil, err
		}
		for _, item := range page.Items {
			var v T
			if err := attributevalue.UnmarshalMap(item, &v); err != nil {
				return nil, fmt.Errorf("decode item: %w", err)
			}
			out = append(out, v)
		}
		if len(page.LastEvaluatedKey) == 0 {
			return out, nil
		}
		in.ExclusiveStartKey = page.LastEvaluatedKey
	}
}

// anyItem is an item left undecoded, for a query whose partition holds
// several kinds (a ticket's): decode it once its type is known.
type anyItem map[string]types.AttributeValue

// UnmarshalDynamoDBAttributeValue keeps the item as it is.
func (a *anyItem) UnmarshalDynamoDBAttributeValue(av types.AttributeValue) error {
	m, ok := av.(*types.AttributeValueMemberM)
	if !ok {
		return fmt.Errorf("an item is a map, not %T", av)
	}
	*a = m.Value
	return nil
}

// parallelPartitions bounds how many index partitions one read queries at
// once.
const parallelPartitions = 8

// queryIndex reads the items of the gsi1 partitions pks whose sort key
// (a timeID) falls in [from, to). The partitions are queried side by side;
// their items come in the order of pks, so partitions given oldest first
// give items oldest first.
func queryIndex[T any](ctx context.Context, s *Store, pks []string, from, to time.Time, narrow ...func(*dynamodb.QueryInput)) ([]T, error) {
	parts := make([][]T, len(pks))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(parallelPartitions)
	for i, pk := range pks {
		g.Go(func() (err error) {
			in := between(gsi1, pk, from, to)
			for _, n := range narrow {
				n(in)
			}
			parts[i], err = queryAll[T](gctx, s, in)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return slices.Concat(parts...), nil
}

// queryWeeks reads a team's weekly gsi1 partitions (teamWeek) that cover
// [from, to).
func queryWeeks[T any](ctx context.Context, s *Store, prefix, team string, from, to time.Time) ([]T, error) {
	return queryWeeksWith[T](ctx, s, prefix, team, from, to)
}

// queryWeeksWith is queryWeeks with each query narrowed (a projection, a
// filter) by narrow.
func queryWeeksWith[T any](ctx context.Context, s *Store, prefix, team string, from, to time.Time, narrow ...func(*dynamodb.QueryInput)) ([]T, error) {
	var pks []string
	for week := weekOf(from); week.Before(to); week = week.AddDate(0, 0, 7) {
		pks = append(pks, teamWeek(prefix, team, week))
	}
	out, err := queryIndex[T](ctx, s, pks, from, to, narrow...)
	if err != nil {
		return nil, fmt.Errorf("query %s of %s: %w", prefix, team, err)
	}
	return out, nil
}

// unwrap maps stored items to what they hold, keeping a nil slice nil.
func unwrap[I, T any](items []I, get func(I) T) []T {
	var out []T
	for _, it := range items {
		out = append(out, get(it))
	}
	return out
}
