package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Upward feedback lives in one partition per team, UPWARD#<team>: the
// answers by month and manager (type upward_answer), and the mark that a
// manager thanked the team for a month's answers (type upward_thanks). A
// digest, a dashboard or the results job reads the months it needs with
// one query.
//
// An answer holds no name, address or time of day: only the month, the
// score, the words and a one-way hash of its question's prompt id (the
// key that makes the write happen once). Whoever can read the table can
// still hash the ids of the month's upward prompts, which name their
// recipients, and so link an answer to its author until those prompts
// expire (the round's results day, plus the 30 days a reply is read, plus
// the 90 days every prompt is kept: about four months). The inbound
// function logs an accepted answer without its sender or its prompt.

type upwardAnswerItem struct {
	keys
	care.UpwardAnswer
	TTL int64 `dynamodbav:"ttl"`
}

type upwardThanksItem struct {
	keys
	care.UpwardRef
	At  time.Time `dynamodbav:"at"`
	TTL int64     `dynamodbav:"ttl"`
}

// monthStart is the first instant of a "2006-01" month, UTC; the zero time
// for a month that does not parse.
func monthStart(month string) time.Time {
	t, _ := time.Parse("2006-01", month)
	return t
}

// SaveUpwardAnswer stores an answer once per question: created is false
// when the question was answered before (its key is taken).
func (s *Store) SaveUpwardAnswer(ctx context.Context, a care.UpwardAnswer) (created bool, err error) {
	ok, err := s.putOnce(ctx, upwardAnswerItem{keys: upwardAnswerKeys(a), UpwardAnswer: a, TTL: s.expires(monthStart(a.Month))})
	if err != nil {
		return false, fmt.Errorf("put upward answer: %w", err)
	}
	return ok, nil
}

// UpwardAnswers lists a team's answers of the months from `from` to `to`
// ("2006-01", both included), by month and manager.
func (s *Store) UpwardAnswers(ctx context.Context, team, from, to string) ([]care.UpwardAnswer, error) {
	lo, hi := upwardAnswerSpan(from, to)
	in := betweenKeys("", upwardPK(team), lo, hi)
	in.ConsistentRead = aws.Bool(true) // an answer written a moment before the results counts
	items, err := queryAll[upwardAnswerItem](ctx, s, in)
	if err != nil {
		return nil, fmt.Errorf("query upward answers of %s: %w", team, err)
	}
	return unwrap(items, func(it upwardAnswerItem) care.UpwardAnswer { return it.UpwardAnswer }), nil
}

// ClaimUpwardThanks marks a manager's thanks for a round, once: ok is
// false when they thanked the team before.
func (s *Store) ClaimUpwardThanks(ctx context.Context, r care.UpwardRef, at time.Time) (ok bool, err error) {
	ok, err = s.putOnce(ctx, upwardThanksItem{keys: upwardThanksKeys(r), UpwardRef: r, At: at, TTL: s.expires(at)})
	if err != nil {
		return false, fmt.Errorf("claim upward thanks of %s: %w", r.Manager, err)
	}
	return ok, nil
}

// ReleaseUpwardThanks undoes a claim whose emails could not all be sent,
// so that a retry sends them.
func (s *Store) ReleaseUpwardThanks(ctx context.Context, r care.UpwardRef) error {
	if err := s.remove(ctx, upwardThanksKeys(r)); err != nil {
		return fmt.Errorf("release upward thanks of %s: %w", r.Manager, err)
	}
	return nil
}
