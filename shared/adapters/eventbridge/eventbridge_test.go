package eventbridge_test

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // the zones below must not depend on the host's zoneinfo

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/scheduler"
	"github.com/aws/aws-sdk-go-v2/service/scheduler/types"

	"github.com/carecoach/carecoach/shared/adapters/eventbridge"
	"github.com/carecoach/carecoach/shared/adapters/eventbridge/payload"
	"github.com/carecoach/carecoach/shared/core/care"
)

const (
	group     = "carecoach-dev"
	region    = "us-east-1"
	account   = "123456789012"
	fireARN   = "arn:aws:lambda:us-east-1:123456789012:function:carecoach-fire"
	roleARN   = "arn:aws:iam::123456789012:role/carecoach-scheduler"
	dlqARN    = "arn:aws:sqs:us-east-1:123456789012:carecoach-scheduler-dlq"
	maxTries  = 2 // attempts the test client makes, so retries show without slowing tests
	accessKey = "local"
	secretKey = "local"
)

var (
	now = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	ref = care.TicketRef{Connection: "acme-zendesk", TicketID: "5158"}
)

// service plays EventBridge Scheduler's REST-JSON API for one schedule
// group: it keeps the schedules, answers the way the real service does, and
// records every request the SDK sends.
type service struct {
	t    *testing.T
	mu   sync.Mutex
	have map[string]bool // "group/name"
	// fail, when set, answers every request with this error.
	fail *serviceError
	got  []request
}

type serviceError struct {
	status  int
	kind    string // X-Amzn-ErrorType
	message string
}

type request struct {
	method, path string
	query        url.Values
	header       http.Header
	body         []byte
}

func (s *service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		s.t.Errorf("read request body: %v", err)
	}
	s.checkSignature(r, body)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got = append(s.got, request{method: r.Method, path: r.URL.Path, query: r.URL.Query(), header: r.Header.Clone(), body: body})

	w.Header().Set("x-amzn-RequestId", fmt.Sprintf("req-%d", len(s.got)))
	if s.fail != nil {
		writeError(w, s.fail.status, s.fail.kind, s.fail.message)
		return
	}
	name, ok := strings.CutPrefix(r.URL.Path, "/schedules/")
	if !ok || name == "" || strings.Contains(name, "/") {
		writeError(w, http.StatusNotFound, "UnknownOperationException", "Unknown operation "+r.Method+" "+r.URL.Path)
		return
	}
	switch r.Method {
	case http.MethodPost:
		var in struct{ GroupName string }
		if err := json.Unmarshal(body, &in); err != nil {
			writeError(w, http.StatusBadRequest, "ValidationException", "Malformed request body.")
			return
		}
		if s.have[in.GroupName+"/"+name] {
			writeError(w, http.StatusConflict, "ConflictException", fmt.Sprintf("Schedule %s already exists.", name))
			return
		}
		s.have[in.GroupName+"/"+name] = true
		writeJSON(w, http.StatusOK, map[string]string{"ScheduleArn": fmt.Sprintf("arn:aws:scheduler:%s:%s:schedule/%s/%s", region, account, in.GroupName, name)})
	case http.MethodDelete:
		key := r.URL.Query().Get("groupName") + "/" + name
		if !s.have[key] {
			writeError(w, http.StatusNotFound, "ResourceNotFoundException", fmt.Sprintf("Schedule %s does not exist.", name))
			return
		}
		delete(s.have, key)
		writeJSON(w, http.StatusOK, map[string]string{})
	default:
		writeError(w, http.StatusNotFound, "UnknownOperationException", "Unknown operation "+r.Method+" "+r.URL.Path)
	}
}

// writeError answers like AWS's REST-JSON services: the error type in the
// X-Amzn-ErrorType header (which the SDK reads before any `code` or
// `__type` in the body) and the message in the body.
func writeError(w http.ResponseWriter, status int, kind, message string) {
	w.Header().Set("X-Amzn-ErrorType", kind)
	writeJSON(w, status, map[string]string{"Message": message})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// checkSignature re-signs the request with the test credentials and wants
// the same SigV4 Authorization header the SDK sent.
func (s *service) checkSignature(r *http.Request, body []byte) {
	s.t.Helper()
	auth := r.Header.Get("Authorization")
	scope := "Credential=" + accessKey + "/" + r.Header.Get("X-Amz-Date")[:8] + "/" + region + "/scheduler/aws4_request"
	if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 ") || !strings.Contains(auth, scope) {
		s.t.Errorf("%s %s: Authorization = %q, want AWS4-HMAC-SHA256 with %s", r.Method, r.URL.Path, auth, scope)
		return
	}
	_, signed, _ := strings.Cut(auth, "SignedHeaders=")
	signed, _, _ = strings.Cut(signed, ",")
	at, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		s.t.Errorf("X-Amz-Date: %v", err)
		return
	}
	again, _ := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), nil)
	again.ContentLength = r.ContentLength
	for h := range strings.SplitSeq(signed, ";") {
		if h != "host" && h != "content-length" {
			again.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: accessKey, SecretAccessKey: secretKey}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, again, hex.EncodeToString(sum[:]), "scheduler", region, at); err != nil {
		s.t.Errorf("re-sign: %v", err)
		return
	}
	if want := again.Header.Get("Authorization"); auth != want {
		s.t.Errorf("%s %s: signature does not verify with the test credentials:\n got %s\nwant %s", r.Method, r.URL.Path, auth, want)
	}
}

func (s *service) requests() []request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.got)
}

// newScheduler points a real Scheduler client at a fake service over HTTP.
func newScheduler(t *testing.T, svc *service) *eventbridge.Scheduler {
	t.Helper()
	svc.t = t
	if svc.have == nil {
		svc.have = map[string]bool{}
	}
	srv := httptest.NewServer(svc)
	t.Cleanup(srv.Close)
	client := scheduler.New(scheduler.Options{
		Region:       region,
		Credentials:  credentials.NewStaticCredentialsProvider(accessKey, secretKey, ""),
		BaseEndpoint: aws.String(srv.URL),
		HTTPClient:   srv.Client(),
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = maxTries
			o.RateLimiter = ratelimit.None
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		}),
	})
	return &eventbridge.Scheduler{API: client, Group: group, TargetARN: fireARN, RoleARN: roleARN, DeadLetterARN: dlqARN, Now: func() time.Time { return now }}
}

// createBody is CreateSchedule's JSON body as the service reads it.
type createBody struct {
	GroupName, ScheduleExpression, ScheduleExpressionTimezone string
	ActionAfterCompletion, ClientToken, Description           string
	FlexibleTimeWindow                                        struct{ Mode string }
	Target                                                    struct {
		Arn, RoleArn, Input string
		RetryPolicy         struct{ MaximumRetryAttempts, MaximumEventAgeInSeconds int }
		DeadLetterConfig    *struct{ Arn string }
	}
}

func TestSchedulesAreWrittenInTheTeamsTimeZone(t *testing.T) {
	tests := []struct {
		name     string
		zone     string
		due      time.Time
		wantExpr string
		wantZone string
	}{
		{"a task is scheduled once at its due time in the team's time zone",
			"America/New_York", time.Date(2026, 12, 1, 14, 0, 0, 0, time.UTC), "at(2026-12-01T09:00:00)", "America/New_York"},
		{"summer time is the team's wall clock too",
			"Europe/London", time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC), "at(2026-07-01T09:00:00)", "Europe/London"},
		{"a team without a time zone is scheduled in UTC",
			"", time.Date(2026, 12, 1, 14, 0, 0, 0, time.UTC), "at(2026-12-01T14:00:00)", "UTC"},
		{"an unknown time zone falls back to UTC",
			"Mars/Olympus_Mons", time.Date(2026, 12, 1, 14, 0, 0, 0, time.UTC), "at(2026-12-01T14:00:00)", "UTC"},
		{"the host's local zone is not a team's zone and falls back to UTC",
			"Local", time.Date(2026, 12, 1, 14, 0, 0, 0, time.UTC), "at(2026-12-01T14:00:00)", "UTC"},
		{"a task already due fires about a minute from now",
			"Asia/Kolkata", now.Add(-time.Hour), "at(2026-03-01T14:31:00)", "Asia/Kolkata"},
		{"the first 1:30 on the night clocks go back is written in UTC",
			"Europe/London", time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), "at(2026-10-25T00:30:00)", "UTC"},
		{"the second 1:30 on the night clocks go back is written in UTC",
			"Europe/London", time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC), "at(2026-10-25T01:30:00)", "UTC"},
		{"the hour after clocks go back is the team's wall clock again",
			"Europe/London", time.Date(2026, 10, 25, 2, 0, 0, 0, time.UTC), "at(2026-10-25T02:00:00)", "Europe/London"},
		{"the hour after clocks go forward is the team's wall clock",
			"Europe/London", time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC), "at(2026-03-29T02:30:00)", "Europe/London"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := &service{}
			s := newScheduler(t, svc)
			task := care.NewTask(ref, care.RespondCheck, "zd-1", tt.due)
			task.Zone = tt.zone
			if err := s.Schedule(context.Background(), task); err != nil {
				t.Fatalf("schedule: %v", err)
			}

			got := svc.requests()
			if len(got) != 1 {
				t.Fatalf("%d requests, want one CreateSchedule", len(got))
			}
			r := got[0]
			if r.method != http.MethodPost || r.path != "/schedules/"+task.ID {
				t.Errorf("request = %s %s, want POST /schedules/%s", r.method, r.path, task.ID)
			}
			if len(r.query) != 0 {
				t.Errorf("query = %v, want none: CreateSchedule sends everything but the name in the body", r.query)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}

			wantTarget := []string{"Arn", "DeadLetterConfig", "Input", "RetryPolicy", "RoleArn"}
			checkKeys(t, r.body, "", []string{"ActionAfterCompletion", "ClientToken", "Description", "FlexibleTimeWindow", "GroupName", "ScheduleExpression", "ScheduleExpressionTimezone", "Target"})
			checkKeys(t, r.body, "Target", wantTarget)

			var in createBody
			if err := json.Unmarshal(r.body, &in); err != nil {
				t.Fatalf("body %s: %v", r.body, err)
			}
			if in.ScheduleExpression != tt.wantExpr || in.ScheduleExpressionTimezone != tt.wantZone {
				t.Errorf("schedule = %s in %s, want %s in %s", in.ScheduleExpression, in.ScheduleExpressionTimezone, tt.wantExpr, tt.wantZone)
			}
			want := task.DueAt
			if soonest := now.Add(time.Minute); want.Before(soonest) {
				want = soonest
			}
			if fires := firesAt(t, in.ScheduleExpression, in.ScheduleExpressionTimezone); !fires.Equal(want) {
				t.Errorf("schedule fires at %s, want %s", fires, want)
			}
			if in.GroupName != group || in.ClientToken != task.ID {
				t.Errorf("group/client token = %s/%s, want %s/%s", in.GroupName, in.ClientToken, group, task.ID)
			}
			if in.FlexibleTimeWindow.Mode != "OFF" || in.ActionAfterCompletion != "DELETE" {
				t.Errorf("window %s, after completion %s: want a precise one-time schedule deleted after it fires", in.FlexibleTimeWindow.Mode, in.ActionAfterCompletion)
			}
			if in.Target.Arn != fireARN || in.Target.RoleArn != roleARN {
				t.Errorf("target = %s as %s", in.Target.Arn, in.Target.RoleArn)
			}
			if rp := in.Target.RetryPolicy; rp.MaximumRetryAttempts != 10 || rp.MaximumEventAgeInSeconds != 6*3600 {
				t.Errorf("retry policy = %+v", rp)
			}
			if dlq := in.Target.DeadLetterConfig; dlq == nil || dlq.Arn != dlqARN {
				t.Errorf("dead-letter config = %+v, want %s", dlq, dlqARN)
			}
			var fired care.TaskRef
			if err := json.Unmarshal([]byte(in.Target.Input), &fired); err != nil {
				t.Fatalf("target input %q: %v", in.Target.Input, err)
			}
			if fired != (care.TaskRef{Ticket: ref, ID: task.ID}) {
				t.Errorf("fire input = %+v", fired)
			}
		})
	}
}

// checkKeys wants the JSON object at key (the top level if "") to have
// exactly these members, spelled as the service spells them.
func checkKeys(t *testing.T, body []byte, key string, want []string) {
	t.Helper()
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		t.Fatalf("body %s: %v", body, err)
	}
	if key != "" {
		var inner map[string]json.RawMessage
		if err := json.Unmarshal(obj[key], &inner); err != nil {
			t.Fatalf("%s in %s: %v", key, body, err)
		}
		obj = inner
	}
	if got := slices.Sorted(maps.Keys(obj)); !slices.Equal(got, want) {
		t.Errorf("%s members = %v, want %v", cmp.Or(key, "body"), got, want)
	}
}

// firesAt reads an at() expression the way Scheduler does: wall time in
// the given zone.
func firesAt(t *testing.T, expr, zone string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatalf("zone %q: %v", zone, err)
	}
	wall, ok := strings.CutPrefix(expr, "at(")
	wall, ok2 := strings.CutSuffix(wall, ")")
	at, err := time.ParseInLocation("2006-01-02T15:04:05", wall, loc)
	if !ok || !ok2 || err != nil {
		t.Fatalf("expression %q: %v", expr, err)
	}
	return at
}

func TestSchedulingAndCancellingAreIdempotent(t *testing.T) {
	task := care.NewTask(ref, care.RespondCheck, "zd-1", now.Add(24*time.Hour))
	task.Zone = "Europe/London"
	schedule := func(s *eventbridge.Scheduler) error { return s.Schedule(context.Background(), task) }
	cancel := func(s *eventbridge.Scheduler) error { return s.Cancel(context.Background(), task) }
	isA := func(target any) func(error) bool { return func(err error) bool { return errors.As(err, target) } }

	tests := []struct {
		name      string
		call      func(*eventbridge.Scheduler) error
		scheduled bool          // the schedule exists before the call
		fail      *serviceError // the service fails every request
		wantErr   func(error) bool
		wantTries int  // HTTP requests the call makes
		wantAfter bool // the schedule exists after the call
	}{
		{"a new task is scheduled", schedule, false, nil, nil, 1, true},
		{"an existing schedule counts as scheduled", schedule, true, nil, nil, 1, true},
		{"a scheduled task is cancelled", cancel, true, nil, nil, 1, false},
		{"a missing schedule counts as cancelled", cancel, false, nil, nil, 1, false},
		{"a throttled call is an error to retry", schedule, false, &serviceError{http.StatusTooManyRequests, "ThrottlingException", "Rate exceeded."},
			isA(new(*types.ThrottlingException)), maxTries, false},
		{"a throttled cancel is an error to retry", cancel, true, &serviceError{http.StatusTooManyRequests, "ThrottlingException", "Rate exceeded."},
			isA(new(*types.ThrottlingException)), maxTries, true},
		{"a service failure is an error to retry", schedule, false, &serviceError{http.StatusInternalServerError, "InternalServerException", "Internal server error."},
			isA(new(*types.InternalServerException)), maxTries, false},
		{"a rejected schedule is an error and not retried", schedule, false, &serviceError{http.StatusBadRequest, "ValidationException", "Invalid Schedule Expression."},
			isA(new(*types.ValidationException)), 1, false},
		{"a full account is an error and not retried", schedule, false, &serviceError{http.StatusPaymentRequired, "ServiceQuotaExceededException", "Schedule quota exceeded."},
			isA(new(*types.ServiceQuotaExceededException)), 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := &service{have: map[string]bool{group + "/" + task.ID: tt.scheduled}, fail: tt.fail}
			s := newScheduler(t, svc)

			err := tt.call(s)
			switch {
			case tt.wantErr == nil && err != nil:
				t.Errorf("error %v, want none", err)
			case tt.wantErr != nil && !tt.wantErr(err):
				t.Errorf("error %v (%T), want the service's error", err, errors.Unwrap(err))
			}
			if err != nil && !strings.Contains(err.Error(), task.ID) {
				t.Errorf("error %q does not name the task", err)
			}

			got := svc.requests()
			if len(got) != tt.wantTries {
				t.Errorf("%d requests, want %d", len(got), tt.wantTries)
			}
			for _, r := range got {
				checkRoute(t, r, task)
			}
			if after := svc.have[group+"/"+task.ID]; after != tt.wantAfter {
				t.Errorf("schedule exists after the call: %v, want %v", after, tt.wantAfter)
			}
		})
	}
}

// checkRoute wants a request to be CreateSchedule or DeleteSchedule of the
// task's schedule in the group, as the SDK puts them on the wire.
func checkRoute(t *testing.T, r request, task care.Task) {
	t.Helper()
	if r.path != "/schedules/"+task.ID {
		t.Errorf("%s %s, want /schedules/%s", r.method, r.path, task.ID)
	}
	switch r.method {
	case http.MethodPost:
		var in createBody
		if err := json.Unmarshal(r.body, &in); err != nil || in.GroupName != group {
			t.Errorf("create body %s: group %q, err %v", r.body, in.GroupName, err)
		}
	case http.MethodDelete:
		// The name is in the path, the group in ?groupName=, and the SDK
		// fills ?clientToken= with a fresh idempotency token.
		if g := r.query.Get("groupName"); g != group {
			t.Errorf("delete ?groupName=%q, want %q (query %v)", g, group, r.query)
		}
		if r.query.Get("clientToken") == "" {
			t.Errorf("delete without ?clientToken= (query %v)", r.query)
		}
		if keys := slices.Sorted(maps.Keys(r.query)); !slices.Equal(keys, []string{"clientToken", "groupName"}) {
			t.Errorf("delete query params %v", keys)
		}
		if len(r.body) != 0 {
			t.Errorf("delete body %q, want none", r.body)
		}
	default:
		t.Errorf("method %s, want POST or DELETE", r.method)
	}
}

func TestARecurringDigestScheduleIsReplacedNotDuplicated(t *testing.T) {
	svc := &service{}
	s := newScheduler(t, svc)
	ctx := context.Background()
	for range 2 {
		if err := s.PutRecurring(ctx, "digest-support", "cron(0 8 ? * MON *)", "Europe/London", payload.Fire{Job: "digest", Team: "support"}); err != nil {
			t.Fatal(err)
		}
	}
	var creates []request
	for _, r := range svc.requests() {
		if r.method == http.MethodPost {
			creates = append(creates, r)
		}
	}
	if len(creates) != 2 || len(svc.have) != 1 {
		t.Fatalf("%d creates, %d schedules kept; want each put to replace the one schedule", len(creates), len(svc.have))
	}
	var body createBody
	if err := json.Unmarshal(creates[1].body, &body); err != nil {
		t.Fatal(err)
	}
	if body.ScheduleExpression != "cron(0 8 ? * MON *)" || body.ScheduleExpressionTimezone != "Europe/London" || body.ActionAfterCompletion != "NONE" || body.Target.Input != `{"job":"digest","team":"support"}` {
		t.Errorf("recurring schedule body %+v", body)
	}
}

func TestEveryScheduleHasTheSameRetryPolicyAndDeadLetterQueue(t *testing.T) {
	s := newScheduler(t, &service{})
	task := care.NewTask(care.TicketRef{Connection: "acme-zendesk", TicketID: "5158"}, care.RespondCheck, "zd-1", now.Add(time.Hour))
	oneTime, err := s.CreateInput(task)
	if err != nil {
		t.Fatal(err)
	}
	recurring, err := s.RecurringInput("digest-support", "cron(0 8 ? * MON *)", "Europe/London", payload.Fire{Job: "digest"})
	if err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string]*scheduler.CreateScheduleInput{"one-time": oneTime, "recurring": recurring} {
		tg := in.Target
		if tg.DeadLetterConfig == nil || aws.ToString(tg.DeadLetterConfig.Arn) != dlqARN {
			t.Errorf("%s schedule: dead-letter config %+v, want %s", name, tg.DeadLetterConfig, dlqARN)
		}
		if tg.RetryPolicy == nil || aws.ToInt32(tg.RetryPolicy.MaximumRetryAttempts) != 10 || aws.ToInt32(tg.RetryPolicy.MaximumEventAgeInSeconds) != 6*3600 {
			t.Errorf("%s schedule: retry policy %+v, want 10 attempts within 6 hours", name, tg.RetryPolicy)
		}
	}

	// Without a queue, neither kind is made.
	s.DeadLetterARN = ""
	if _, err := s.CreateInput(task); err == nil || !strings.Contains(err.Error(), "dead-letter") {
		t.Errorf("one-time schedule without a queue: %v, want an error", err)
	}
	if err := s.PutRecurring(context.Background(), "digest-support", "cron(0 8 ? * MON *)", "UTC", payload.Fire{}); err == nil || !strings.Contains(err.Error(), "dead-letter") {
		t.Errorf("recurring schedule without a queue: %v, want an error", err)
	}
}
