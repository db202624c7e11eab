// Package dynamo is the DynamoDB storage adapter: one table, generic pk/sk
// keys, every read a key or index query. It speaks domain types (package care)
// and hides attribute values from everyone else.
package dynamo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"golang.org/x/sync/errgroup"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Item types, stored in the "type" attribute. The process function's stream
// filter selects type "raw".
const (
	typeRaw          = "raw"
	typeDead         = "dead"
	typeInteraction  = "interaction"
	typeTask         = "task"
	typeTeam         = "team"
	typeConnection   = "connection"
	typeMember       = "member"
	typeMoment       = "moment"
	typeFact         = "fact"
	typePrompt       = "prompt"
	typeFeedback     = "feedback"
	typeLastFeedback = "last_feedback"
	typeSkip         = "skip"
	typeInbound      = "inbound_message"
	typeClimate      = "climate_answer"
)

// Retention is how long the store keeps what it holds about people: every
// item but the team configuration gets a DynamoDB TTL (attribute ttl), and
// DynamoDB deletes it some time (usually days) after that.
type Retention struct {
	// Records: ticket timelines (customers' and agents' messages), tasks,
	// moments, facts, feedback (managers' and teammates' words), climate
	// answers, skipped items and reply claims, each from the time it
	// happened. The digest reads a week back, the dashboard up to 366 days
	// and eight weeks of trends before that.
	Records time.Duration
	// Raw: raw webhook deliveries and dead letters (help desk bodies as
	// received), from when they were stored. Raw deliveries only need to
	// outlive the help desks' retries (Freshdesk gives up after 24 h) and a
	// reprocessing window; dead letters wait for a person (an alarm tells
	// one the same day).
	Raw time.Duration
}

// DefaultRetention is the template's default: 400 days of records (a year
// and its trends), 30 days of raw deliveries.
var DefaultRetention = Retention{Records: 400 * 24 * time.Hour, Raw: 30 * 24 * time.Hour}

// RetentionFromDays reads a retention from whole numbers of days (the
// template's RetentionDays and RawRetentionDays parameters).
func RetentionFromDays(records, raw string) (Retention, error) {
	var r Retention
	for _, f := range []struct {
		name, value string
		min         int
		into        *time.Duration
	}{{"records", records, 30, &r.Records}, {"raw deliveries", raw, 1, &r.Raw}} {
		n, err := strconv.Atoi(strings.TrimSpace(f.value))
		if err != nil || n < f.min {
			return Retention{}, fmt.Errorf("retention of %s: %q is not a whole number of days of at least %d", f.name, f.value, f.min)
		}
		*f.into = time.Duration(n) * 24 * time.Hour
	}
	return r, nil
}

// timeKey is a fixed-width UTC time that sorts as text.
const timeKey = "2006-01-02T15:04:05.000000000Z"

// NewClient builds a DynamoDB client; a non-empty endpoint points it at
// DynamoDB Local.
func NewClient(cfg aws.Config, endpoint string) *dynamodb.Client {
	return dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
			// DynamoDB Local's error responses fail the CRC check and make the
			// SDK log a warning on every conditional-check failure.
			o.DisableValidateResponseChecksum = true
		}
	})
}

// Store is the DynamoDB single-table store.
type Store struct {
	db     ops
	table  string
	now    func() time.Time
	retain Retention
}

// New returns a store on table that keeps items for DefaultRetention. now
// stamps TTLs of raw deliveries; nil means time.Now.
func New(db *dynamodb.Client, table string, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: ops{
		PutItem: db.PutItem, GetItem: db.GetItem, UpdateItem: db.UpdateItem,
		Query: db.Query, BatchWriteItem: db.BatchWriteItem, DeleteItem: db.DeleteItem,
	}, table: table, now: now, retain: DefaultRetention}
}

// WithRetention sets how long the store keeps what it writes from now on.
func (s *Store) WithRetention(r Retention) *Store {
	s.retain = r
	return s
}

// expires is the TTL of a record that happened at t.
func (s *Store) expires(t time.Time) int64 { return t.Add(s.retain.Records).Unix() }

type (
	putItem        = func(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	getItem        = func(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	updateItem     = func(context.Context, *dynamodb.UpdateItemInput, ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	query          = func(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	batchWriteItem = func(context.Context, *dynamodb.BatchWriteItemInput, ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error)
	deleteItem     = func(context.Context, *dynamodb.DeleteItemInput, ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
)

// ops are the client operations the store uses, held as method values
// rather than the client itself: that keeps the client's type out of reach
// of reflection, so the linker can drop the ~60 operations we never call
// even when html/template (which calls methods by name) shares the binary.
// It saves about 2 MB per function.
type ops struct {
	PutItem        putItem
	GetItem        getItem
	UpdateItem     updateItem
	Query          query
	BatchWriteItem batchWriteItem
	DeleteItem     deleteItem
}

type keys struct {
	PK   string `dynamodbav:"pk"`
	SK   string `dynamodbav:"sk"`
	Type string `dynamodbav:"type"`
}

func ticketPK(ref care.TicketRef) string { return "TICKET#" + ref.Connection + "#" + ref.TicketID }
func rawPK(conn, key string) string      { return "RAW#" + conn + "#" + key }

type rawItem struct {
	keys
	care.Delivery
	TTL int64 `dynamodbav:"ttl"`
}

// PutDelivery stores a raw delivery with one conditional write. created is
// false when a delivery with the same connection and dedupe key is already
// stored; nothing is written then.
func (s *Store) PutDelivery(ctx context.Context, d care.Delivery) (created bool, err error) {
	if len(d.Body) > care.MaxDeliveryBody {
		return false, care.Errorf(care.ETooLarge, "delivery body is %d bytes; at most %d fit in one item", len(d.Body), care.MaxDeliveryBody)
	}
	item, err := attributevalue.MarshalMap(rawItem{
		keys:     keys{PK: rawPK(d.Connection, d.DedupeKey), SK: "RAW", Type: typeRaw},
		Delivery: d,
		TTL:      s.now().Add(s.retain.Raw).Unix(),
	})
	if err != nil {
		return false, fmt.Errorf("marshal delivery: %w", err)
	}
	created, err = s.putNew(ctx, item)
	if err != nil {
		return false, fmt.Errorf("put delivery %s: %w", d.DedupeKey, err)
	}
	return created, nil
}

// DeliveryFromImage decodes a raw delivery from a stream record's new image
// (converted to SDK attribute values).
func DeliveryFromImage(image map[string]types.AttributeValue) (care.Delivery, bool, error) {
	var it rawItem
	if err := attributevalue.UnmarshalMap(image, &it); err != nil {
		return care.Delivery{}, false, fmt.Errorf("decode stream image: %w", err)
	}
	if it.Type != typeRaw {
		return care.Delivery{}, false, nil
	}
	return it.Delivery, true, nil
}

// maxReason bounds a dead letter's reason, in bytes.
const maxReason = 2 << 10

type deadItem struct {
	keys
	Delivery care.Delivery `dynamodbav:"delivery"`
	Reason   string        `dynamodbav:"reason"`
	At       time.Time     `dynamodbav:"at"`
	TTL      int64         `dynamodbav:"ttl"`
}

// DeadLetter keeps a delivery that cannot be processed, with the reason, under
// DEAD#<connection> so a person can list and replay them.
func (s *Store) DeadLetter(ctx context.Context, d care.Delivery, reason string) error {
	now := s.now().UTC() // DeleteDeadLetter compares it as written
	// The item holds the whole delivery (up to care.MaxDeliveryBody); a
	// reason that long says nothing more than its start.
	if len(reason) > maxReason {
		cut := maxReason
		for cut > 0 && !utf8.RuneStart(reason[cut]) {
			cut--
		}
		reason = reason[:cut] + "…"
	}
	return s.put(ctx, deadItem{
		keys:     keys{PK: "DEAD#" + d.Connection, SK: d.ReceivedAt.UTC().Format(timeKey) + "#" + d.DedupeKey, Type: typeDead},
		Delivery: d, Reason: reason, At: now, TTL: now.Add(s.retain.Raw).Unix(),
	})
}

// DeadLetters lists the dead letters of a connection, oldest first.
func (s *Store) DeadLetters(ctx context.Context, connection string) ([]DeadLetter, error) {
	var out []DeadLetter
	err := s.query(ctx, "DEAD#"+connection, func(item map[string]types.AttributeValue) error {
		var it deadItem
		if err := attributevalue.UnmarshalMap(item, &it); err != nil {
			return err
		}
		out = append(out, DeadLetter{Delivery: it.Delivery, Reason: it.Reason, At: it.At})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("query dead letters of %s: %w", connection, err)
	}
	return out, nil
}

// DeadLettersReceived lists the dead letters of a connection whose
// delivery was received in [from, to), oldest first.
func (s *Store) DeadLettersReceived(ctx context.Context, connection string, from, to time.Time) ([]DeadLetter, error) {
	var out []DeadLetter
	err := s.queryPages(ctx, &dynamodb.QueryInput{
		KeyConditionExpression: aws.String("pk = :pk AND sk BETWEEN :from AND :to"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk":   &types.AttributeValueMemberS{Value: "DEAD#" + connection},
			":from": &types.AttributeValueMemberS{Value: from.UTC().Format(timeKey)},
			":to":   &types.AttributeValueMemberS{Value: to.Add(-time.Nanosecond).UTC().Format(timeKey) + "~"},
		},
	}, func(item map[string]types.AttributeValue) error {
		var it deadItem
		if err := attributevalue.UnmarshalMap(item, &it); err != nil {
			return err
		}
		out = append(out, DeadLetter{Delivery: it.Delivery, Reason: it.Reason, At: it.At})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("query dead letters of %s: %w", connection, err)
	}
	return out, nil
}

// DeadLetter is a delivery kept with the reason it could not be processed.
type DeadLetter = care.DeadLetter

// DeleteDeadLetter removes a dead letter once it has been replayed. It is
// conditional on the record being the one read (its time): when the
// replay failed again, the new record, with the new reason, stays.
// deleted is false when that happened, or when it is gone already.
func (s *Store) DeleteDeadLetter(ctx context.Context, dl care.DeadLetter) (deleted bool, err error) {
	_, err = s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:                &s.table,
		Key:                      key("DEAD#"+dl.Delivery.Connection, dl.Delivery.ReceivedAt.UTC().Format(timeKey)+"#"+dl.Delivery.DedupeKey),
		ConditionExpression:      aws.String("#at = :at"),
		ExpressionAttributeNames: map[string]string{"#at": "at"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":at": &types.AttributeValueMemberS{Value: dl.At.UTC().Format(time.RFC3339Nano)},
		},
	})
	if isConditionFailed(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("delete dead letter %s: %w", dl.Delivery.DedupeKey, err)
	}
	return true, nil
}

// Requeue stores a delivery again as a new raw delivery, so that the
// stream hands it to the process function once more (its trigger takes
// only new items): the way to replay a dead letter on AWS.
func (s *Store) Requeue(ctx context.Context, d care.Delivery) error {
	if _, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &s.table, Key: key(rawPK(d.Connection, d.DedupeKey), "RAW")}); err != nil {
		return fmt.Errorf("requeue %s: remove the stored delivery: %w", d.DedupeKey, err)
	}
	if _, err := s.PutDelivery(ctx, d); err != nil {
		return fmt.Errorf("requeue: %w", err)
	}
	return nil
}

type interactionItem struct {
	keys
	care.Interaction
	TTL int64 `dynamodbav:"ttl"`
}

// SaveInteractions stores interactions on their tickets' timelines. Each is
// keyed by its event time and id, so storing one twice rewrites the same item.
// Nothing else is written: no index entry per agent (nothing reads one),
// so an interaction costs its own item's write units only.
func (s *Store) SaveInteractions(ctx context.Context, ins []care.Interaction) error {
	var writes []types.WriteRequest
	for _, in := range ins {
		it := interactionItem{
			keys:        keys{PK: ticketPK(in.Ticket), SK: "EVT#" + in.At.UTC().Format(timeKey) + "#" + in.ID, Type: typeInteraction},
			Interaction: in, TTL: s.expires(in.At),
		}
		item, err := attributevalue.MarshalMap(it)
		if err != nil {
			return fmt.Errorf("marshal interaction %s: %w", in.ID, err)
		}
		writes = append(writes, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
	}
	return s.batchWrite(ctx, writes)
}

type taskItem struct {
	keys
	care.Task
	TTL int64 `dynamodbav:"ttl"`
}

// LoadTicket reads a ticket's timeline, tasks, moments and facts with one
// query. The ticket's state is neither stored nor folded here: each caller
// folds the timeline (care.Fold) as it needs it, and writing a derived item
// on each delivery cost about 1.5 write units for nothing.
func (s *Store) LoadTicket(ctx context.Context, ref care.TicketRef) (care.TicketRecord, error) {
	var rec care.TicketRecord
	err := s.query(ctx, ticketPK(ref), func(item map[string]types.AttributeValue) error {
		var k keys
		if err := attributevalue.UnmarshalMap(item, &k); err != nil {
			return err
		}
		switch k.Type {
		case typeInteraction:
			var it interactionItem
			if err := attributevalue.UnmarshalMap(item, &it); err != nil {
				return err
			}
			rec.Timeline = append(rec.Timeline, it.Interaction)
		case typeTask:
			var it taskItem
			if err := attributevalue.UnmarshalMap(item, &it); err != nil {
				return err
			}
			rec.Tasks = append(rec.Tasks, it.Task)
		case typeMoment:
			var it momentItem
			if err := attributevalue.UnmarshalMap(item, &it); err != nil {
				return err
			}
			rec.Moments = append(rec.Moments, it.Moment)
		case typeFact:
			var it factItem
			if err := attributevalue.UnmarshalMap(item, &it); err != nil {
				return err
			}
			rec.Facts = append(rec.Facts, it.Fact)
		}
		return nil
	})
	if err != nil {
		return care.TicketRecord{}, fmt.Errorf("load ticket %s: %w", ref, err)
	}
	// Copies of one fact (a webhook and the same fact from the help desk's
	// API) are one interaction to every reader.
	rec.Timeline = care.Distinct(rec.Timeline)
	return rec, nil
}

func taskSK(id string) string { return "TASK#" + id }

// PutTask stores a new task; created is false if it already exists.
func (s *Store) PutTask(ctx context.Context, t care.Task) (created bool, err error) {
	item, err := attributevalue.MarshalMap(taskItem{keys: keys{PK: ticketPK(t.Ticket), SK: taskSK(t.ID), Type: typeTask}, Task: t, TTL: s.expires(t.DueAt)})
	if err != nil {
		return false, fmt.Errorf("marshal task: %w", err)
	}
	created, err = s.putNew(ctx, item)
	if err != nil {
		return false, fmt.Errorf("put task %s: %w", t.ID, err)
	}
	return created, nil
}

// Task reads one task; a missing task is a care.ENotFound error.
func (s *Store) Task(ctx context.Context, ref care.TicketRef, id string) (care.Task, error) {
	var it taskItem
	if err := s.get(ctx, ticketPK(ref), taskSK(id), &it); err != nil {
		return care.Task{}, fmt.Errorf("get task %s: %w", id, err)
	}
	return it.Task, nil
}

// TransitionTask moves a task from one status to another with an outcome.
// ok is false, and nothing changes, if the task is not in status from: some
// other invocation got there first.
func (s *Store) TransitionTask(ctx context.Context, ref care.TicketRef, id string, from, to care.TaskStatus, outcome string) (ok bool, err error) {
	wid := newWriteID()
	_, err = s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                &s.table,
		Key:                      key(ticketPK(ref), taskSK(id)),
		ConditionExpression:      aws.String("#status = :from"),
		UpdateExpression:         aws.String("SET #status = :to, outcome = :outcome, " + writeIDAttr + " = :wid"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":from":    &types.AttributeValueMemberS{Value: string(from)},
			":to":      &types.AttributeValueMemberS{Value: string(to)},
			":outcome": &types.AttributeValueMemberS{Value: outcome},
			":wid":     &types.AttributeValueMemberS{Value: wid},
		},
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	if isConditionFailed(err) {
		// Our own earlier attempt, applied but unanswered, is a success.
		return ownWrite(err, wid), nil
	}
	if err != nil {
		return false, fmt.Errorf("update task %s: %w", id, err)
	}
	return true, nil
}

// SetTaskOutcome records what a task did, whatever its status.
func (s *Store) SetTaskOutcome(ctx context.Context, ref care.TicketRef, id, outcome string) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &s.table,
		Key:                       key(ticketPK(ref), taskSK(id)),
		ConditionExpression:       aws.String("attribute_exists(pk)"),
		UpdateExpression:          aws.String("SET outcome = :outcome"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":outcome": &types.AttributeValueMemberS{Value: outcome}},
	})
	if err != nil {
		return fmt.Errorf("set outcome of task %s: %w", id, err)
	}
	return nil
}

type momentItem struct {
	keys
	GSI1PK string `dynamodbav:"gsi1pk"`
	GSI1SK string `dynamodbav:"gsi1sk"`
	care.Moment
	TTL int64 `dynamodbav:"ttl"`
}

type factItem struct {
	keys
	GSI1PK string `dynamodbav:"gsi1pk"`
	GSI1SK string `dynamodbav:"gsi1sk"`
	care.Fact
	TTL int64 `dynamodbav:"ttl"`
}

// teamWeek partitions a team's moments and facts by week (gsi1), named by
// the week's Monday (UTC): a digest reads a week with one or two key
// queries, eight weeks of dashboard trends with nine.
func teamWeek(prefix, team string, at time.Time) string {
	return prefix + "#" + team + "#w" + weekOf(at).Format("2006-01-02")
}

// weekOf is the Monday 00:00 UTC that starts t's week.
func weekOf(t time.Time) time.Time {
	day := t.UTC().Truncate(24 * time.Hour)
	return day.AddDate(0, 0, -(int(day.Weekday())+6)%7)
}

// SaveMoments stores moments under their ticket and on the team's weekly
// moment index. A moment already stored is kept as it was: moments are
// facts, and deriving one again must not rewrite it.
func (s *Store) SaveMoments(ctx context.Context, ms []care.Moment) (saved int, err error) {
	for _, m := range ms {
		ok, err := s.putOnce(ctx, momentItem{
			keys:   keys{PK: ticketPK(m.Ticket), SK: "MOMENT#" + m.ID, Type: typeMoment},
			GSI1PK: teamWeek("MOMENTS", m.Team, m.At), GSI1SK: m.At.UTC().Format(timeKey) + "#" + m.ID,
			Moment: m, TTL: s.expires(m.At),
		})
		if err != nil {
			return saved, fmt.Errorf("put moment %s: %w", m.ID, err)
		}
		if ok {
			saved++
		}
	}
	return saved, nil
}

// SaveFacts stores countable ticket events once, on the team's weekly index.
func (s *Store) SaveFacts(ctx context.Context, fs []care.Fact) (saved int, err error) {
	for _, f := range fs {
		ok, err := s.putOnce(ctx, factItem{
			keys:   keys{PK: ticketPK(f.Ticket), SK: "FACT#" + f.ID, Type: typeFact},
			GSI1PK: teamWeek("FACTS", f.Team, f.At), GSI1SK: f.At.UTC().Format(timeKey) + "#" + f.ID,
			Fact: f, TTL: s.expires(f.At),
		})
		if err != nil {
			return saved, fmt.Errorf("put fact %s: %w", f.ID, err)
		}
		if ok {
			saved++
		}
	}
	return saved, nil
}

// WithdrawMoment marks a stored moment withdrawn at `at`, with why, and
// moves it from the team's weekly moment index to its weekly withdrawal
// index (by the time of the withdrawal), so scorecards and digests no longer
// count it and the next digest can say so. Withdrawing twice changes
// nothing but the time.
func (s *Store) WithdrawMoment(ctx context.Context, m care.Moment, at time.Time, why string) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:           &s.table,
		Key:                 key(ticketPK(m.Ticket), "MOMENT#"+m.ID),
		ConditionExpression: aws.String("attribute_exists(pk)"),
		UpdateExpression:    aws.String("SET withdrawnAt = :at, withdrawnWhy = :why, gsi1pk = :pk, gsi1sk = :sk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":at":  &types.AttributeValueMemberS{Value: at.UTC().Format(time.RFC3339Nano)},
			":why": &types.AttributeValueMemberS{Value: why},
			":pk":  &types.AttributeValueMemberS{Value: teamWeek("WITHDRAWN", m.Team, at)},
			":sk":  &types.AttributeValueMemberS{Value: at.UTC().Format(timeKey) + "#" + m.ID},
		},
	})
	if err != nil {
		return fmt.Errorf("withdraw moment %s: %w", m.ID, err)
	}
	return nil
}

// ReinstateMoment undoes WithdrawMoment: the moment, as given, counts
// again, on the team's index.
func (s *Store) ReinstateMoment(ctx context.Context, m care.Moment) error {
	m.WithdrawnAt, m.WithdrawnWhy = time.Time{}, ""
	if err := s.UpdateMoment(ctx, m); err != nil {
		return fmt.Errorf("reinstate: %w", err)
	}
	return nil
}

// UpdateMoment rewrites a standing moment whose agent or time changed
// (late evidence), on the index week of its time.
func (s *Store) UpdateMoment(ctx context.Context, m care.Moment) error {
	if err := s.put(ctx, momentItem{
		keys:   keys{PK: ticketPK(m.Ticket), SK: "MOMENT#" + m.ID, Type: typeMoment},
		GSI1PK: teamWeek("MOMENTS", m.Team, m.At), GSI1SK: m.At.UTC().Format(timeKey) + "#" + m.ID,
		Moment: m,
	}); err != nil {
		return fmt.Errorf("update moment %s: %w", m.ID, err)
	}
	return nil
}

// TeamWithdrawals lists the moments of a team withdrawn in [from, to),
// oldest withdrawal first.
func (s *Store) TeamWithdrawals(ctx context.Context, team string, from, to time.Time) ([]care.Moment, error) {
	var out []care.Moment
	err := s.queryWeeks(ctx, "WITHDRAWN", team, from, to, func(item map[string]types.AttributeValue) error {
		var it momentItem
		if err := attributevalue.UnmarshalMap(item, &it); err != nil {
			return err
		}
		out = append(out, it.Moment)
		return nil
	})
	return out, err
}

// PutFacts writes facts whether or not they exist: a fact whose count
// changed (a response time corrected by late evidence) replaces the old,
// on the index week of its new time.
func (s *Store) PutFacts(ctx context.Context, fs []care.Fact) error {
	for _, f := range fs {
		if err := s.put(ctx, factItem{
			keys:   keys{PK: ticketPK(f.Ticket), SK: "FACT#" + f.ID, Type: typeFact},
			GSI1PK: teamWeek("FACTS", f.Team, f.At), GSI1SK: f.At.UTC().Format(timeKey) + "#" + f.ID,
			Fact: f,
		}); err != nil {
			return fmt.Errorf("put fact %s: %w", f.ID, err)
		}
	}
	return nil
}

// DeleteFacts removes facts late evidence showed never happened. Deleting
// one that is gone already is fine.
func (s *Store) DeleteFacts(ctx context.Context, fs []care.Fact) error {
	for _, f := range fs {
		if _, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &s.table, Key: key(ticketPK(f.Ticket), "FACT#"+f.ID)}); err != nil {
			return fmt.Errorf("delete fact %s: %w", f.ID, err)
		}
	}
	return nil
}

// TeamMoments lists a team's moments in [from, to), oldest first.
func (s *Store) TeamMoments(ctx context.Context, team string, from, to time.Time) ([]care.Moment, error) {
	var out []care.Moment
	err := s.queryWeeks(ctx, "MOMENTS", team, from, to, func(item map[string]types.AttributeValue) error {
		var it momentItem
		if err := attributevalue.UnmarshalMap(item, &it); err != nil {
			return err
		}
		out = append(out, it.Moment)
		return nil
	})
	return out, err
}

// TeamFacts lists a team's facts in [from, to), oldest first.
func (s *Store) TeamFacts(ctx context.Context, team string, from, to time.Time) ([]care.Fact, error) {
	var out []care.Fact
	err := s.queryWeeks(ctx, "FACTS", team, from, to, func(item map[string]types.AttributeValue) error {
		var it factItem
		if err := attributevalue.UnmarshalMap(item, &it); err != nil {
			return err
		}
		out = append(out, it.Fact)
		return nil
	})
	return out, err
}

// queryWeeks reads the team's weekly gsi1 partitions that cover [from, to).
func (s *Store) queryWeeks(ctx context.Context, prefix, team string, from, to time.Time, each func(map[string]types.AttributeValue) error) error {
	var pks []string
	for week := weekOf(from); week.Before(to); week = week.AddDate(0, 0, 7) {
		pks = append(pks, teamWeek(prefix, team, week))
	}
	if err := s.queryIndex(ctx, pks, from, to, each); err != nil {
		return fmt.Errorf("query %s of %s: %w", prefix, team, err)
	}
	return nil
}

// parallelPartitions bounds how many index partitions one read queries at
// once.
const parallelPartitions = 8

// queryIndex reads the items of the gsi1 partitions pks whose sort key
// (a timeKey first) falls in [from, to). The partitions are queried side
// by side; each gets their items in the order of pks, so partitions given
// oldest first give items oldest first.
func (s *Store) queryIndex(ctx context.Context, pks []string, from, to time.Time, each func(map[string]types.AttributeValue) error) error {
	last := to.Add(-time.Nanosecond).UTC()
	items := make([][]map[string]types.AttributeValue, len(pks))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(parallelPartitions)
	for i, pk := range pks {
		g.Go(func() error {
			return s.queryPages(gctx, &dynamodb.QueryInput{
				IndexName:              aws.String("gsi1"),
				KeyConditionExpression: aws.String("gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to"),
				ExpressionAttributeValues: map[string]types.AttributeValue{
					":pk":   &types.AttributeValueMemberS{Value: pk},
					":from": &types.AttributeValueMemberS{Value: from.UTC().Format(timeKey)},
					":to":   &types.AttributeValueMemberS{Value: last.Format(timeKey) + "~"},
				},
			}, func(item map[string]types.AttributeValue) error {
				items[i] = append(items[i], item)
				return nil
			})
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for _, part := range items {
		for _, item := range part {
			if err := each(item); err != nil {
				return err
			}
		}
	}
	return nil
}

// putOnce writes an item unless one with its keys exists; ok says whether
// it wrote.
func (s *Store) putOnce(ctx context.Context, v any) (ok bool, err error) {
	item, err := attributevalue.MarshalMap(v)
	if err != nil {
		return false, fmt.Errorf("marshal item: %w", err)
	}
	return s.putNew(ctx, item)
}

// writeIDAttr holds a token unique to the call that last wrote an item
// conditionally (see putNew).
const writeIDAttr = "wid"

// putNew writes item unless one with its keys exists; created says whether
// this call wrote it.
//
// The SDK retries a request whose answer it did not get (a 500, a reset
// connection), and the first attempt may have been applied. The retry's
// condition then fails against our own write, which must count as created:
// otherwise a new delivery would look like a duplicate and a won claim like
// a lost one. So the item carries a token unique to this call, and a
// condition failure whose current item holds it is our success.
func (s *Store) putNew(ctx context.Context, item map[string]types.AttributeValue) (created bool, err error) {
	wid := newWriteID()
	item[writeIDAttr] = &types.AttributeValueMemberS{Value: wid}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                           &s.table,
		Item:                                item,
		ConditionExpression:                 aws.String("attribute_not_exists(pk)"),
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	switch {
	case isConditionFailed(err):
		return ownWrite(err, wid), nil
	case err != nil:
		return false, err
	}
	return true, nil
}

// newWriteID is a random token for one conditional write.
func newWriteID() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

// ownWrite tells whether a condition failure was caused by an earlier
// attempt of the write tagged wid: the item it failed against holds wid.
func ownWrite(err error, wid string) bool {
	var c *types.ConditionalCheckFailedException
	if !errors.As(err, &c) {
		return false
	}
	v, ok := c.Item[writeIDAttr].(*types.AttributeValueMemberS)
	return ok && v.Value == wid
}

type promptItem struct {
	keys
	care.Prompt
	TTL int64 `dynamodbav:"ttl"`
}

// PutPrompt stores a prompt once; created is false if it exists (a retried
// digest job must not send twice).
func (s *Store) PutPrompt(ctx context.Context, p care.Prompt) (created bool, err error) {
	// A prompt is answerable until ExpiresAt and kept 90 days more for
	// late replies' explanations, but never longer than the records it
	// quotes.
	ttl := min(p.ExpiresAt.Add(90*24*time.Hour).Unix(), s.expires(s.now()))
	ok, err := s.putOnce(ctx, promptItem{
		keys: keys{PK: "PROMPT#" + p.ID, SK: "PROMPT", Type: typePrompt}, Prompt: p, TTL: ttl,
	})
	if err != nil {
		return false, fmt.Errorf("put prompt %s: %w", p.ID, err)
	}
	return ok, nil
}

// Prompt reads a prompt; a missing one is a care.ENotFound error.
func (s *Store) Prompt(ctx context.Context, id string) (care.Prompt, error) {
	var it promptItem
	if err := s.get(ctx, "PROMPT#"+id, "PROMPT", &it); err != nil {
		return care.Prompt{}, fmt.Errorf("get prompt: %w", err)
	}
	return it.Prompt, nil
}

// MarkPromptSent records when a prompt's email went out.
func (s *Store) MarkPromptSent(ctx context.Context, id string, at time.Time) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &s.table,
		Key:                       key("PROMPT#"+id, "PROMPT"),
		ConditionExpression:       aws.String("attribute_exists(pk)"),
		UpdateExpression:          aws.String("SET sentAt = :at"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":at": &types.AttributeValueMemberS{Value: at.UTC().Format(time.RFC3339Nano)}},
	})
	if err != nil {
		return fmt.Errorf("mark prompt %s sent: %w", id, err)
	}
	return nil
}

type feedbackItem struct {
	keys
	// The team's monthly feedback index (gsi1): one query gives a whole
	// team's feedback for a digest or a scorecard.
	GSI1PK string `dynamodbav:"gsi1pk,omitempty"`
	GSI1SK string `dynamodbav:"gsi1sk,omitempty"`
	care.Feedback
	TTL int64 `dynamodbav:"ttl"`
}

// lastFeedbackItem is when a member last received feedback: one small item
// per member under the team, so a team's cadence is one query. It expires
// with the feedback it dates.
type lastFeedbackItem struct {
	keys
	At  string `dynamodbav:"at"`
	TTL int64  `dynamodbav:"ttl"`
}

func lastFeedbackPK(team string) string { return "LASTFEEDBACK#" + team }

func teamMonth(prefix, team string, at time.Time) string {
	return prefix + "#" + team + "#" + at.UTC().Format("2006-01")
}

func feedbackPK(team, agentEmail string) string {
	return "FEEDBACK#" + team + "#" + strings.ToLower(agentEmail)
}

// SaveFeedback stores feedback once, on the receiving member's timeline.
func (s *Store) SaveFeedback(ctx context.Context, f care.Feedback) (created bool, err error) {
	sk := f.At.UTC().Format(timeKey) + "#" + f.ID
	ok, err := s.putOnce(ctx, feedbackItem{
		keys:   keys{PK: feedbackPK(f.Team, f.AgentEmail), SK: sk, Type: typeFeedback},
		GSI1PK: teamMonth("FEEDBACK", f.Team, f.At), GSI1SK: sk, Feedback: f, TTL: s.expires(f.At),
	})
	if err != nil {
		return false, fmt.Errorf("put feedback %s: %w", f.ID, err)
	}
	// Also when it was already stored: a retry after a crash between the
	// two writes completes the second. The condition keeps the latest.
	at := f.At.UTC().Format(timeKey)
	last, err := attributevalue.MarshalMap(lastFeedbackItem{
		keys: keys{PK: lastFeedbackPK(f.Team), SK: strings.ToLower(f.AgentEmail), Type: typeLastFeedback}, At: at, TTL: s.expires(f.At),
	})
	if err != nil {
		return ok, fmt.Errorf("marshal last feedback: %w", err)
	}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                 &s.table,
		Item:                      last,
		ConditionExpression:       aws.String("attribute_not_exists(pk) OR #at < :at"),
		ExpressionAttributeNames:  map[string]string{"#at": "at"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":at": &types.AttributeValueMemberS{Value: at}},
	})
	if err != nil && !isConditionFailed(err) {
		return ok, fmt.Errorf("put last feedback of %s: %w", f.AgentEmail, err)
	}
	return ok, nil
}

// TeamFeedback lists the feedback a team's members received in [from, to),
// oldest first, from the team's monthly feedback index.
func (s *Store) TeamFeedback(ctx context.Context, team string, from, to time.Time) ([]care.Feedback, error) {
	var pks []string
	for month := time.Date(from.UTC().Year(), from.UTC().Month(), 1, 0, 0, 0, 0, time.UTC); month.Before(to); month = month.AddDate(0, 1, 0) {
		pks = append(pks, teamMonth("FEEDBACK", team, month))
	}
	var out []care.Feedback
	err := s.queryIndex(ctx, pks, from, to, func(item map[string]types.AttributeValue) error {
		var it feedbackItem
		if err := attributevalue.UnmarshalMap(item, &it); err != nil {
			return err
		}
		out = append(out, it.Feedback)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("query feedback of team %s: %w", team, err)
	}
	return out, nil
}

// TeamLastFeedback is when each member of a team last received feedback,
// by lower-case address (members who never did are absent).
func (s *Store) TeamLastFeedback(ctx context.Context, team string) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	err := s.query(ctx, lastFeedbackPK(team), func(item map[string]types.AttributeValue) error {
		var it lastFeedbackItem
		if err := attributevalue.UnmarshalMap(item, &it); err != nil {
			return err
		}
		at, err := time.Parse(timeKey, it.At)
		if err != nil {
			return fmt.Errorf("last feedback of %s: %w", it.SK, err)
		}
		out[it.SK] = at
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("query last feedback of team %s: %w", team, err)
	}
	return out, nil
}

// SkipItem records that a manager dismissed a prompt's item.
func (s *Store) SkipItem(ctx context.Context, promptID string, n int, at time.Time) error {
	_, err := s.putOnce(ctx, struct {
		keys
		At  time.Time `dynamodbav:"at"`
		TTL int64     `dynamodbav:"ttl"`
	}{keys{PK: "PROMPT#" + promptID, SK: fmt.Sprintf("SKIP#%03d", n), Type: typeSkip}, at, s.expires(at)})
	return err
}

// ClaimMessage records an inbound Message-ID; claimed is false if it was
// seen before (a replay). Claims expire after a year (or the records'
// retention, if shorter: reply tokens live 30 days, far less than either).
func (s *Store) ClaimMessage(ctx context.Context, messageID string) (claimed bool, err error) {
	ok, err := s.putOnce(ctx, struct {
		keys
		TTL int64 `dynamodbav:"ttl"`
	}{keys{PK: "INMSG#" + messageID, SK: "INMSG", Type: typeInbound}, min(s.now().Add(365*24*time.Hour).Unix(), s.expires(s.now()))})
	if err != nil {
		return false, fmt.Errorf("claim message %s: %w", messageID, err)
	}
	return ok, nil
}

// ReleaseMessage forgets a claim, so that a failed message can be retried.
func (s *Store) ReleaseMessage(ctx context.Context, messageID string) error {
	_, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &s.table, Key: key("INMSG#"+messageID, "INMSG")})
	if err != nil {
		return fmt.Errorf("release message %s: %w", messageID, err)
	}
	return nil
}

type teamItem struct {
	keys
	care.Team
}

type connectionItem struct {
	keys
	care.Connection
}

type memberItem struct {
	keys
	care.Member
}

// PutTeam stores a team's configuration together with the lookups the
// functions need: each connection by id and each member by help desk id.
func (s *Store) PutTeam(ctx context.Context, t care.Team) error {
	team, err := attributevalue.MarshalMap(teamItem{keys: keys{PK: "TEAM#" + t.ID, SK: "CONFIG", Type: typeTeam}, Team: t})
	if err != nil {
		return fmt.Errorf("marshal team: %w", err)
	}
	writes := []types.WriteRequest{{PutRequest: &types.PutRequest{Item: team}}}
	for _, c := range t.Connections {
		c.Team = t.ID
		item, err := attributevalue.MarshalMap(connectionItem{keys: keys{PK: "CONN#" + c.ID, SK: "CONN", Type: typeConnection}, Connection: c})
		if err != nil {
			return fmt.Errorf("marshal connection: %w", err)
		}
		writes = append(writes, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
		if c.API != nil { // listed for reconcile (reconcile.go)
			reg, err := apiConnWrite(c)
			if err != nil {
				return fmt.Errorf("marshal API connection: %w", err)
			}
			writes = append(writes, types.WriteRequest{PutRequest: &types.PutRequest{Item: reg}})
		}
	}
	for _, m := range t.Members {
		m.Team = t.ID
		byEmail, err := attributevalue.MarshalMap(memberItem{keys: keys{PK: "MEMBERBYEMAIL#" + strings.ToLower(m.Email), SK: "MEMBER", Type: typeMember}, Member: m})
		if err != nil {
			return fmt.Errorf("marshal member: %w", err)
		}
		writes = append(writes, types.WriteRequest{PutRequest: &types.PutRequest{Item: byEmail}})
		for conn, id := range m.HelpdeskIDs {
			item, err := attributevalue.MarshalMap(memberItem{keys: keys{PK: memberPK(conn, id), SK: "MEMBER", Type: typeMember}, Member: m})
			if err != nil {
				return fmt.Errorf("marshal member: %w", err)
			}
			writes = append(writes, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
		}
	}
	return s.batchWrite(ctx, writes)
}

// RemoveConnection stores team, which no longer has connection id, and
// deletes that connection's lookups: the connection itself (so its
// webhook URL answers 404) and its members by their user ids there.
func (s *Store) RemoveConnection(ctx context.Context, team care.Team, id string, helpdeskIDs []string) error {
	if slices.ContainsFunc(team.Connections, func(c care.Connection) bool { return c.ID == id }) {
		return fmt.Errorf("remove connection %s: team %s still has it", id, team.ID)
	}
	if err := s.PutTeam(ctx, team); err != nil {
		return err
	}
	deletes := []types.WriteRequest{{DeleteRequest: &types.DeleteRequest{Key: key("CONN#"+id, "CONN")}}}
	deletes = append(deletes, reconcileDeletes(id)...) // reconcile.go
	for _, hid := range helpdeskIDs {
		deletes = append(deletes, types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: key(memberPK(id, hid), "MEMBER")}})
	}
	if err := s.batchWrite(ctx, deletes); err != nil {
		return fmt.Errorf("remove connection %s: %w", id, err)
	}
	return nil
}

func memberPK(conn, helpdeskID string) string {
	return "MEMBER#" + conn + "#" + strings.ToLower(helpdeskID)
}

// MemberByEmail finds a team member by address (care.ENotFound if none).
func (s *Store) MemberByEmail(ctx context.Context, email string) (care.Member, error) {
	var it memberItem
	if err := s.get(ctx, "MEMBERBYEMAIL#"+strings.ToLower(email), "MEMBER", &it); err != nil {
		return care.Member{}, fmt.Errorf("get member: %w", err)
	}
	return it.Member, nil
}

type climateItem struct {
	keys
	care.ClimateAnswer
	TTL int64 `dynamodbav:"ttl"`
}

// SaveClimateAnswer stores an agent's answer to the weekly question, once
// per prompt (a second reply to the same question replaces nothing).
func (s *Store) SaveClimateAnswer(ctx context.Context, a care.ClimateAnswer) (created bool, err error) {
	ok, err := s.putOnce(ctx, climateItem{keys: keys{PK: "CLIMATE#" + a.Team, SK: a.At.UTC().Format(timeKey) + "#" + a.PromptID, Type: typeClimate}, ClimateAnswer: a, TTL: s.expires(a.At)})
	if err != nil {
		return false, fmt.Errorf("put climate answer: %w", err)
	}
	return ok, nil
}

// ClimateAnswers lists a team's answers in [from, to), oldest first.
func (s *Store) ClimateAnswers(ctx context.Context, team string, from, to time.Time) ([]care.ClimateAnswer, error) {
	var out []care.ClimateAnswer
	err := s.queryPages(ctx, &dynamodb.QueryInput{
		KeyConditionExpression: aws.String("pk = :pk AND sk BETWEEN :from AND :to"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk":   &types.AttributeValueMemberS{Value: "CLIMATE#" + team},
			":from": &types.AttributeValueMemberS{Value: from.UTC().Format(timeKey)},
			":to":   &types.AttributeValueMemberS{Value: to.Add(-time.Nanosecond).UTC().Format(timeKey) + "~"},
		},
	}, func(item map[string]types.AttributeValue) error {
		var it climateItem
		if err := attributevalue.UnmarshalMap(item, &it); err != nil {
			return err
		}
		out = append(out, it.ClimateAnswer)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("query climate answers of %s: %w", team, err)
	}
	return out, nil
}

// Connection finds a configured help desk connection (without its secret).
func (s *Store) Connection(ctx context.Context, id string) (care.Connection, error) {
	var it connectionItem
	if err := s.get(ctx, "CONN#"+id, "CONN", &it); err != nil {
		return care.Connection{}, fmt.Errorf("get connection: %w", err)
	}
	return it.Connection, nil
}

// Team reads a team's configuration.
func (s *Store) Team(ctx context.Context, id string) (care.Team, error) {
	var it teamItem
	if err := s.get(ctx, "TEAM#"+id, "CONFIG", &it); err != nil {
		return care.Team{}, fmt.Errorf("get team: %w", err)
	}
	return it.Team, nil
}

// MemberByHelpdeskID finds the team member who is user `id` in a connection.
func (s *Store) MemberByHelpdeskID(ctx context.Context, connection, id string) (care.Member, error) {
	var it memberItem
	if err := s.get(ctx, memberPK(connection, id), "MEMBER", &it); err != nil {
		return care.Member{}, fmt.Errorf("get member: %w", err)
	}
	return it.Member, nil
}

// --- helpers

func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: pk}, "sk": &types.AttributeValueMemberS{Value: sk}}
}

func (s *Store) put(ctx context.Context, v any) error {
	item, err := attributevalue.MarshalMap(v)
	if err != nil {
		return fmt.Errorf("marshal item: %w", err)
	}
	if _, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.table, Item: item}); err != nil {
		return fmt.Errorf("put item: %w", err)
	}
	return nil
}

// get reads one item; a missing item is a care.ENotFound error.
func (s *Store) get(ctx context.Context, pk, sk string, out any) error {
	res, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: key(pk, sk), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return err
	}
	if res.Item == nil {
		return care.Errorf(care.ENotFound, "%s not found", strings.SplitN(pk, "#", 2)[0])
	}
	return attributevalue.UnmarshalMap(res.Item, out)
}

func (s *Store) query(ctx context.Context, pk string, each func(map[string]types.AttributeValue) error) error {
	return s.queryPages(ctx, &dynamodb.QueryInput{
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: pk}},
		ConsistentRead:            aws.Bool(true),
	}, each)
}

// queryPages runs a query on the table through all its pages. It pages by
// hand rather than with dynamodb.NewQueryPaginator: handing the client to
// that interface-typed helper makes the linker keep every method of the
// client, which with html/template in the same binary adds megabytes.
func (s *Store) queryPages(ctx context.Context, in *dynamodb.QueryInput, each func(map[string]types.AttributeValue) error) error {
	in.TableName = &s.table
	for {
		page, err := s.db.Query(ctx, in)
		if err != nil {
			return err
		}
		for _, item := range page.Items {
			if err := each(item); err != nil {
				return err
			}
		}
		if len(page.LastEvaluatedKey) == 0 {
			return nil
		}
		in.ExclusiveStartKey = page.LastEvaluatedKey
	}
}

// batchWrite writes in chunks of 25 and retries unprocessed items with a
// short backoff.
func (s *Store) batchWrite(ctx context.Context, writes []types.WriteRequest) error {
	for start := 0; start < len(writes); start += 25 {
		pending := writes[start:min(start+25, len(writes))]
		for attempt := 0; len(pending) > 0; attempt++ {
			if attempt > 8 {
				return fmt.Errorf("batch write: %d items still unprocessed", len(pending))
			}
			if attempt > 0 {
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(time.Duration(1<<attempt) * 10 * time.Millisecond):
				}
			}
			res, err := s.db.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{s.table: pending}})
			if err != nil {
				return fmt.Errorf("batch write: %w", err)
			}
			pending = res.UnprocessedItems[s.table]
		}
	}
	return nil
}

func isConditionFailed(err error) bool {
	var c *types.ConditionalCheckFailedException
	return errors.As(err, &c)
}
