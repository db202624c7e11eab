package lambdatest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/carecoach/carecoach"
	samples "github.com/carecoach/carecoach/events"
	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/adapters/eventbridge/payload"
	"github.com/carecoach/carecoach/shared/adapters/teamconfig"
	"github.com/carecoach/carecoach/shared/adapters/zendesk"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/dashtoken"
	"github.com/carecoach/carecoach/shared/core/replytoken"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
	"github.com/carecoach/carecoach/shared/dev/emulators"
	"github.com/carecoach/carecoach/shared/dev/lambdatest"
	"github.com/carecoach/carecoach/shared/dev/samtemplate"
)

var (
	stack *emulators.Stack

	// Every function's bootstrap is built once, while the emulators start.
	built      = make(chan struct{})
	bootstraps map[string]string // functions/<name> -> bootstrap
	buildErr   error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "lambdatest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	go func() {
		defer close(built)
		bootstraps, buildErr = buildAll(dir)
	}()
	code := emulators.RunTests(m, &stack)
	<-built
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// buildAll builds the bootstrap of every function in the template, from
// the package its Makefile target builds.
func buildAll(dir string) (map[string]string, error) {
	root, err := lambdatest.ModuleRoot()
	if err != nil {
		return nil, err
	}
	tmpl, mf, err := templateAndMakefile(root)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, f := range tmpl.Functions() {
		_, _, name := mf.BuildTarget(f.ID)
		if name == "" {
			return nil, fmt.Errorf("no Makefile target builds %s", f.ID)
		}
		names = append(names, name)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	return lambdatest.Build(ctx, root, dir, names...)
}

func templateAndMakefile(root string) (*samtemplate.Template, samtemplate.Makefile, error) {
	tmpl, err := samtemplate.Parse(carecoach.Template)
	if err != nil {
		return nil, samtemplate.Makefile{}, err
	}
	b, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		return nil, samtemplate.Makefile{}, err
	}
	return tmpl, samtemplate.ParseMakefile(b), nil
}

const (
	tokenKey      = "lambdatest-reply-token-key-0123456789"
	webhookSecret = "test-webhook-secret"
	ana           = "ana.silva@acme-support.example"
	jordan        = "jordan.reyes@acme-support.example"
)

// rig is one test's world: a fresh table with the demo team, the fakes,
// and what each of the template's references stands for locally.
type rig struct {
	tmpl  *samtemplate.Template
	mf    samtemplate.Makefile
	store *dynamo.Store
	db    *dynamodb.Client
	table string
	ssm   *lambdatest.SSM
	s3    *lambdatest.S3
	sched *lambdatest.Scheduler
	refs  map[string]string
}

func newRig(t *testing.T) *rig {
	t.Helper()
	tmpl, mf, err := templateAndMakefile("../../..")
	if err != nil {
		t.Fatal(err)
	}
	db, table := dynamotest.NewTable(t, stack.DynamoEndpoint)
	r := &rig{tmpl: tmpl, mf: mf, store: dynamo.New(db, table, time.Now), db: db, table: table,
		ssm: lambdatest.NewSSM(t), s3: lambdatest.NewS3(t), sched: lambdatest.NewScheduler(t)}
	team, err := teamconfig.Load("../../../infra/dev/team.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.store.PutTeam(context.Background(), team); err != nil {
		t.Fatal(err)
	}
	r.refs = r.tmpl.WithDefaults(map[string]string{
		// Parameters.
		"Stage":            "test",
		"MailFrom":         "carecoach@acme-support.example",
		"MailFromDomain":   "acme-support.example",
		"ReplyDomain":      "reply.acme-support.example",
		"AlarmEmail":       "",
		"RetentionDays":    "400",
		"RawRetentionDays": "30",
		"Tracing":          "Active", // the rest of the parameters: their template defaults
		// Resources, as CloudFormation would name them.
		"Table":                table, // the table NewTable made
		"ScheduleGroup":        "carecoach-test",
		"FireFunction.Arn":     "arn:aws:lambda:us-east-1:123456789012:function:carecoach-test-FireFunction",
		"SchedulerRole.Arn":    "arn:aws:iam::123456789012:role/carecoach-test-SchedulerRole",
		"FireFailures.Arn":     "arn:aws:sqs:us-east-1:123456789012:carecoach-test-FireFailures",
		"MailConfigurationSet": "carecoach-test",
		"InboundMailBucket":    "carecoach-test-inboundmailbucket",
		"WebhookApi":           "abc123",
		// Pseudo parameters.
		"AWS::Region": "us-east-1", "AWS::AccountId": "123456789012", "AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com",
	})
	return r
}

// env is the function's environment as the template sets it, resolved
// with the rig's references.
func (r *rig) env(t *testing.T, id string) map[string]string {
	t.Helper()
	for _, f := range r.tmpl.Functions() {
		if f.ID != id {
			continue
		}
		env := map[string]string{}
		for name, v := range f.Env {
			s, err := samtemplate.Resolve(v, r.refs)
			if err != nil {
				t.Fatalf("%s: %s: %v", id, name, err)
			}
			env[name] = s
		}
		return env
	}
	t.Fatalf("template.yaml has no function %s", id)
	return nil
}

// start runs function id's bootstrap with its template environment, less
// the variables in drop, and the endpoints of the emulators and fakes.
func (r *rig) start(t *testing.T, id string, drop ...string) *lambdatest.Function {
	t.Helper()
	<-built
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	_, _, name := r.mf.BuildTarget(id)
	env := r.env(t, id)
	for _, d := range drop {
		delete(env, d)
	}
	for k, v := range (lambdatest.Endpoints{DynamoDB: stack.DynamoEndpoint, SESv2: stack.SESEndpoint,
		SSM: r.ssm.URL, S3: r.s3.URL, Scheduler: r.sched.URL}).Env() {
		env[k] = v
	}
	timeout := 10 * time.Second
	for _, f := range r.tmpl.Functions() {
		if n := r.tmpl.Property(f, "Timeout"); f.ID == id && n != nil {
			s, _ := strconv.Atoi(n.Value)
			timeout = time.Duration(s) * time.Second
		}
	}
	return lambdatest.Start(t, bootstraps[name], lambdatest.Options{Name: "carecoach-test-" + id, Env: env, Timeout: timeout})
}

// invoke sends one event and wants an answer that is not an error.
func invoke(t *testing.T, fn *lambdatest.Function, payload []byte) json.RawMessage {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	res, err := fn.Invoke(ctx, payload)
	if err != nil {
		t.Fatalf("invoke: %v\nlogs:\n%s", err, fn.Logs())
	}
	if res.Error != nil {
		t.Fatalf("invoke: %v\nlogs:\n%s", res.Error, fn.Logs())
	}
	return res.Response
}

func sample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := samples.Sample(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// processGone says whether pid has exited and been reaped.
func processGone(pid int) bool { return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) }

func TestTheHarnessBuildsWithTheMakefilesFlags(t *testing.T) {
	_, mf, err := templateAndMakefile("../../..")
	if err != nil {
		t.Fatal(err)
	}
	var flags, env []string
	for _, w := range shellWords(mf.Vars["GOBUILD"]) {
		switch {
		case strings.Contains(w, "=") && !strings.HasPrefix(w, "-"):
			env = append(env, w)
		case w == "go" || w == "build":
		default:
			flags = append(flags, w)
		}
	}
	if !slices.Equal(flags, lambdatest.BuildFlags) {
		t.Errorf("Makefile GOBUILD flags %q, lambdatest.BuildFlags %q: keep them the same", flags, lambdatest.BuildFlags)
	}
	if !slices.Contains(env, "CGO_ENABLED=0") {
		t.Errorf("Makefile GOBUILD sets %q, without CGO_ENABLED=0", env)
	}
}

// shellWords splits a command line, honouring single quotes.
func shellWords(s string) []string {
	var out []string
	var cur strings.Builder
	quoted, inWord := false, false
	for _, r := range s {
		switch {
		case r == '\'':
			quoted, inWord = !quoted, true
		case r == ' ' && !quoted:
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
			}
			inWord = false
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out
}

// resigned is the API Gateway sample with its Zendesk signature made now,
// with secret: the bootstrap verifies against the real clock.
func resigned(t *testing.T, secret string, tamper func(body string) string) []byte {
	t.Helper()
	var e map[string]any
	if err := json.Unmarshal(sample(t, "apigateway-webhook-zendesk"), &e); err != nil {
		t.Fatal(err)
	}
	body := e["body"].(string)
	ts := time.Now().UTC().Format(time.RFC3339)
	headers := e["headers"].(map[string]any)
	headers["x-zendesk-webhook-signature"] = zendesk.Sign([]byte(secret), ts, []byte(body))
	headers["x-zendesk-webhook-signature-timestamp"] = ts
	if tamper != nil {
		e["body"] = tamper(body)
	}
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTheIngestBootstrapAcceptsASignedWebhook(t *testing.T) {
	r := newRig(t)
	env := r.env(t, "IngestFunction")
	secretName := env["CARECOACH_SECRETS_PATH"] + "acme-zendesk"
	if secretName != "/carecoach/test/webhook-secrets/acme-zendesk" {
		t.Fatalf("the webhook secret is read from %s", secretName)
	}
	r.ssm.Put(secretName, webhookSecret)
	fn := r.start(t, "IngestFunction")

	answer := func(payload []byte) events.APIGatewayV2HTTPResponse {
		t.Helper()
		var resp events.APIGatewayV2HTTPResponse
		if err := json.Unmarshal(invoke(t, fn, payload), &resp); err != nil {
			t.Fatal(err)
		}
		return resp
	}
	tests := []struct {
		name    string
		payload []byte
		status  int
		body    string
	}{
		{"a delivery signed now is stored and accepted", resigned(t, webhookSecret, nil), http.StatusAccepted, `"duplicate":false`},
		{"the same delivery again is a duplicate", resigned(t, webhookSecret, nil), http.StatusAccepted, `"duplicate":true`},
		{"a tampered body is refused", resigned(t, webhookSecret, func(b string) string { return strings.Replace(b, "offline", "online", 1) }), http.StatusUnauthorized, ""},
		{"the sample's own signature, made at 09:00:05 on its day, is too old", sample(t, "apigateway-webhook-zendesk"), http.StatusUnauthorized, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := answer(tt.payload)
			if resp.StatusCode != tt.status || !strings.Contains(resp.Body, tt.body) {
				t.Errorf("answer %d %s, want %d with %s", resp.StatusCode, resp.Body, tt.status, tt.body)
			}
		})
	}

	d, ok := dynamotest.Delivery(t, r.db, r.table, "acme-zendesk", "zd-evt-7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f")
	if !ok {
		t.Fatal("the raw delivery is not in the table")
	}
	if string(d.Body) != string(sample(t, "zendesk-ticket-comment-added-customer")) {
		t.Error("the stored body differs from the one sent")
	}
	if reads := r.ssm.Reads(); len(reads) != 1 || reads[0] != secretName {
		t.Errorf("SSM reads %q, want the secret read once and then cached", reads)
	}

	pid := fn.PID()
	if err := fn.Stop(); err != nil {
		t.Fatal(err)
	}
	if !processGone(pid) {
		t.Errorf("process %d still exists after Stop", pid)
	}
}

func TestTheProcessBootstrapSchedulesTasksThatTheFireBootstrapRuns(t *testing.T) {
	ctx := context.Background()
	r := newRig(t)
	r.ssm.Put(r.env(t, "FireFunction")["CARECOACH_TOKEN_KEY_PARAM"], tokenKey)
	process := r.start(t, "ProcessFunction")

	out := invoke(t, process, sample(t, "dynamodb-stream-raw-delivery"))
	var resp events.DynamoDBEventResponse
	if err := json.Unmarshal(out, &resp); err != nil || len(resp.BatchItemFailures) != 0 {
		t.Fatalf("process answered %s (%v), want no batch item failures\nlogs:\n%s", out, err, process.Logs())
	}
	var due payload.Fire
	if err := json.Unmarshal(sample(t, "scheduler-fire-respond-check"), &due); err != nil {
		t.Fatal(err)
	}
	created := r.sched.Created()
	if len(created) == 0 {
		t.Fatalf("process created no schedule\nlogs:\n%s", process.Logs())
	}
	env := r.env(t, "ProcessFunction")
	found := false
	for _, s := range created {
		if s.GroupName != env["CARECOACH_SCHEDULE_GROUP"] || s.Target.Arn != env["CARECOACH_FIRE_ARN"] || s.Target.RoleArn != env["CARECOACH_SCHEDULER_ROLE_ARN"] ||
			s.Target.DeadLetterConfig == nil || s.Target.DeadLetterConfig.Arn != env["CARECOACH_SCHEDULER_DLQ_ARN"] {
			t.Errorf("schedule %s: group %s, target %+v: not the template's group, fire function, role and DLQ", s.Name, s.GroupName, s.Target)
		}
		dec := json.NewDecoder(strings.NewReader(s.Target.Input))
		dec.DisallowUnknownFields()
		var in payload.Fire
		if err := dec.Decode(&in); err != nil {
			t.Errorf("schedule %s input %s is not a fire payload: %v", s.Name, s.Target.Input, err)
		}
		got, ok := in.Task()
		want, _ := due.Task()
		found = found || ok && got == want
	}
	if !found {
		t.Fatalf("no schedule carries the sample's task %+v: %+v", due, created)
	}

	if err := stack.ClearEmails(ctx); err != nil {
		t.Fatal(err)
	}
	fire := r.start(t, "FireFunction")
	for i := range 2 { // the second run is a retry: it sends nothing more
		if out := invoke(t, fire, sample(t, "scheduler-fire-respond-check")); string(out) != "null" {
			t.Errorf("fire run %d answered %s, want null", i+1, out)
		}
	}
	sent, err := stack.SentEmails(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(sent) != 1 || !slices.Contains(sent[0].To, ana) || !strings.Contains(sent[0].Subject, "#5158") {
		t.Fatalf("sent %+v, want one reminder to Ana about #5158\nlogs:\n%s", sent, fire.Logs())
	}
	if task, err := r.store.Task(ctx, *due.Ticket, due.TaskID); err != nil || task.Status != care.TaskDone {
		t.Errorf("task after firing: %+v, %v", task, err)
	}
}

func TestTheInboundBootstrapRecordsAReplyThatSESStoredInS3(t *testing.T) {
	ctx := context.Background()
	r := newRig(t)
	env := r.env(t, "InboundFunction")
	r.ssm.Put(env["CARECOACH_TOKEN_KEY_PARAM"], tokenKey)

	var e events.SimpleEmailEvent
	if err := json.Unmarshal(sample(t, "ses-receipt-reply"), &e); err != nil {
		t.Fatal(err)
	}
	mail := e.Records[0].SES.Mail
	// The sample's reply address names the prompt; the prompt goes in the
	// table and the address is signed anew with the test's key.
	token, ok := replytoken.FromAddress(mail.Destination[0], env["CARECOACH_REPLY_DOMAIN"])
	if !ok {
		t.Fatalf("the sample's destination %s is not a reply address at %s", mail.Destination[0], env["CARECOACH_REPLY_DOMAIN"])
	}
	parsed, err := replytoken.Parse(token)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	m := care.NewMoment(care.TicketRef{Connection: "acme-zendesk", TicketID: "5158"}, care.Respond, care.Praise, "zd-1")
	m.Team, m.AgentID, m.At, m.What, m.Subject = "support", "1001", now.Add(-48*time.Hour), "Answered Maria Lopez within 12 minutes.", "Printer offline after firmware update"
	prompt := care.Prompt{ID: parsed.PromptID, Team: "support", Kind: care.DigestPrompt, Recipient: jordan,
		SentAt: now.Add(-time.Hour), ExpiresAt: now.Add(30 * 24 * time.Hour),
		Items: []care.PromptItem{{N: 1, Moment: m, AgentEmail: ana, AgentName: "Ana Silva", TicketURL: "https://acme.zendesk.com/agent/tickets/5158"}}}
	if _, err := r.store.PutPrompt(ctx, prompt); err != nil {
		t.Fatal(err)
	}
	signed, err := replytoken.Sign([]byte(tokenKey), prompt.ID, jordan, prompt.ExpiresAt)
	if err != nil {
		t.Fatal(err)
	}
	h := mail.CommonHeaders
	raw := "From: " + h.From[0] + "\r\nTo: carecoach <" + replytoken.Address(signed, env["CARECOACH_REPLY_DOMAIN"]) + ">\r\n" +
		"Subject: " + h.Subject + "\r\nMessage-ID: " + h.MessageID + "\r\nDate: " + h.Date + "\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" +
		"1: Great work on the printer ticket, Ana!\r\n\r\nOn Mon, 7 Dec 2026 at 08:00, carecoach wrote:\r\n> 1. Answered Maria Lopez within 12 minutes.\r\n"
	object := env["CARECOACH_INBOUND_BUCKET"] + "/" + env["CARECOACH_INBOUND_PREFIX"] + mail.MessageID
	bucket, key, _ := strings.Cut(object, "/")
	r.s3.Put(bucket, key, []byte(raw))

	if err := stack.ClearEmails(ctx); err != nil {
		t.Fatal(err)
	}
	fn := r.start(t, "InboundFunction")
	if out := invoke(t, fn, sample(t, "ses-receipt-reply")); string(out) != "null" {
		t.Errorf("inbound answered %s, want null", out)
	}
	if gets := r.s3.Gets(); len(gets) != 1 || gets[0] != object {
		t.Errorf("S3 GETs %q, want %s", gets, object)
	}
	fb := dynamotest.MemberFeedback(t, r.store, "support", ana, time.Now())
	if len(fb) != 1 || fb[0].Words != "Great work on the printer ticket, Ana!" || fb[0].From != jordan {
		t.Fatalf("feedback %+v, want Jordan's words for Ana\nlogs:\n%s", fb, fn.Logs())
	}
	sent, err := stack.SentEmails(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var to []string
	for _, s := range sent {
		to = append(to, s.To...)
	}
	if len(sent) != 2 || !slices.Contains(to, ana) || !slices.Contains(to, jordan) {
		t.Errorf("sent to %q, want the feedback to Ana and the confirmation to Jordan", to)
	}
}

func TestTheApiBootstrapServesADashboardOnlyToASignedLink(t *testing.T) {
	r := newRig(t)
	env := r.env(t, "ApiFunction")
	r.ssm.Put(env["CARECOACH_TOKEN_KEY_PARAM"], tokenKey)
	fn := r.start(t, "ApiFunction")

	get := func(payload []byte, token string) events.APIGatewayV2HTTPResponse {
		t.Helper()
		var e events.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(payload, &e); err != nil {
			t.Fatal(err)
		}
		e.RawQueryString = "t=" + token
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		var res events.APIGatewayV2HTTPResponse
		if err := json.Unmarshal(invoke(t, fn, b), &res); err != nil {
			t.Fatal(err)
		}
		return res
	}
	signed, err := dashtoken.Sign([]byte(tokenKey), "support", jordan, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	page := get(sample(t, "apigateway-dashboard"), signed)
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "Ana Silva") || page.Headers["Cache-Control"] != "no-store" || page.Headers["Referrer-Policy"] != "no-referrer" {
		t.Fatalf("signed link: status %d, headers %v:\n%.600s\nlogs:\n%s", page.StatusCode, page.Headers, page.Body, fn.Logs())
	}
	// The sample's own token is well formed but signed with no real key.
	var e events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(sample(t, "apigateway-scorecards"), &e); err != nil {
		t.Fatal(err)
	}
	forged := get(sample(t, "apigateway-scorecards"), e.QueryStringParameters["t"])
	if forged.StatusCode != http.StatusUnauthorized || strings.Contains(forged.Body, "Ana") || !strings.Contains(forged.Body, `"code":"unauthorized"`) {
		t.Errorf("forged link: status %d, body %s", forged.StatusCode, forged.Body)
	}
}

func TestABootstrapMissingARequiredVariableFailsItsInitInsteadOfHanging(t *testing.T) {
	r := newRig(t)
	for _, f := range r.tmpl.Functions() {
		_, _, name := r.mf.BuildTarget(f.ID)
		reads, err := samtemplate.EnvReads(filepath.Join("../../../functions", name))
		if err != nil {
			t.Fatal(err)
		}
		var missing string // the last required variable: the function's own
		for _, rd := range reads {
			if rd.Required {
				missing = rd.Name
			}
		}
		t.Run(fmt.Sprintf("%s without %s", f.ID, missing), func(t *testing.T) {
			fn := r.start(t, f.ID, missing)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			start := time.Now()
			_, err := fn.Invoke(ctx, []byte(`{}`))
			var rerr *lambdatest.RuntimeError
			// The function reports its init failure through the Runtime API
			// (/runtime/init/error) before it exits.
			if !errors.As(err, &rerr) || !rerr.Init || rerr.Type != "Runtime.InitError" || !strings.Contains(rerr.Error(), missing) {
				t.Fatalf("invoke: %v, want an init error Runtime.InitError naming %s", err, missing)
			}
			if took := time.Since(start); took > 10*time.Second {
				t.Errorf("the init error took %v to surface", took)
			}
			// The init error can arrive before the process's last log line
			// has been read from its pipe: read the logs once it has exited.
			select {
			case <-fn.Exited():
			case <-time.After(5 * time.Second):
				t.Error("the process did not exit after its init error")
			}
			rerr.Logs = fn.Logs()
			if !strings.Contains(rerr.Logs, "missing environment variables: "+missing) {
				t.Errorf("the logs do not name %s:\n%s", missing, rerr.Logs)
			}
			// AWS_LAMBDA_LOG_FORMAT=JSON: the failure is a JSON log record.
			logged := false
			for _, line := range strings.Split(rerr.Logs, "\n") {
				var rec struct{ Level, Message string }
				if json.Unmarshal([]byte(line), &rec) == nil && rec.Level == "ERROR" && rec.Message == "configuration" {
					logged = true
				}
			}
			if !logged {
				t.Errorf("no JSON ERROR record for the configuration failure:\n%s", rerr.Logs)
			}
			if _, err := fn.Invoke(ctx, []byte(`{}`)); !errors.As(err, &rerr) || !rerr.Init {
				t.Errorf("a later invoke: %v, want the same init error", err)
			}
		})
	}
}

// runtimeCall is one request to the Runtime API, as a runtime makes it.
func runtimeCall(t *testing.T, rt *lambdatest.Runtime, method, path, errType string, body []byte) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, rt.URL()+"/2018-06-01/runtime"+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if errType != "" {
		req.Header.Set(lambdatest.HeaderErrorType, errType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

type outcome struct {
	res lambdatest.Result
	err error
}

func TestTheRuntimeAPISpeaksTheProtocol(t *testing.T) {
	// Each case: a runtime with one invocation pending; the steps are what
	// the bootstrap would do; check looks at what Invoke returned.
	tests := []struct {
		name  string
		steps func(t *testing.T, rt *lambdatest.Runtime)
		check func(t *testing.T, o outcome)
	}{
		{"next hands out the event with its headers, and a posted response is the result", func(t *testing.T, rt *lambdatest.Runtime) {
			resp := runtimeCall(t, rt, "GET", "/invocation/next", "", nil)
			payload, _ := io.ReadAll(resp.Body)
			id := resp.Header.Get(lambdatest.HeaderRequestID)
			deadline, _ := strconv.ParseInt(resp.Header.Get(lambdatest.HeaderDeadline), 10, 64)
			if string(payload) != `{"n":1}` || id == "" || time.UnixMilli(deadline).Before(time.Now()) ||
				!strings.HasPrefix(resp.Header.Get(lambdatest.HeaderFunctionARN), "arn:aws:lambda:us-east-1:") ||
				!strings.HasPrefix(resp.Header.Get(lambdatest.HeaderTraceID), "Root=1-") {
				t.Errorf("next: %s, headers %v", payload, resp.Header)
			}
			if resp := runtimeCall(t, rt, "POST", "/invocation/"+id+"/response", "", []byte(`{"ok":true}`)); resp.StatusCode != http.StatusAccepted {
				t.Errorf("response: %s", resp.Status)
			}
			if resp := runtimeCall(t, rt, "POST", "/invocation/"+id+"/response", "", []byte(`{}`)); resp.StatusCode != http.StatusBadRequest {
				t.Errorf("second response: %s, want 400", resp.Status)
			}
		}, func(t *testing.T, o outcome) {
			if o.err != nil || string(o.res.Response) != `{"ok":true}` || o.res.Error != nil {
				t.Errorf("invoke: %+v, %v", o.res, o.err)
			}
		}},
		{"a posted error is a function error", func(t *testing.T, rt *lambdatest.Runtime) {
			id := runtimeCall(t, rt, "GET", "/invocation/next", "", nil).Header.Get(lambdatest.HeaderRequestID)
			runtimeCall(t, rt, "POST", "/invocation/"+id+"/error", "errorString", []byte(`{"errorMessage":"boom","errorType":"errorString"}`))
		}, func(t *testing.T, o outcome) {
			if o.err != nil || o.res.Error == nil || o.res.Error.Message != "boom" || o.res.Error.Type != "errorString" {
				t.Errorf("invoke: %+v, %v", o.res, o.err)
			}
		}},
		{"an unknown request id is refused", func(t *testing.T, rt *lambdatest.Runtime) {
			if resp := runtimeCall(t, rt, "POST", "/invocation/nope/response", "", []byte(`{}`)); resp.StatusCode != http.StatusBadRequest {
				t.Errorf("response to an unknown id: %s, want 400", resp.Status)
			}
			id := runtimeCall(t, rt, "GET", "/invocation/next", "", nil).Header.Get(lambdatest.HeaderRequestID)
			runtimeCall(t, rt, "POST", "/invocation/"+id+"/response", "", []byte(`null`))
		}, func(t *testing.T, o outcome) {
			if o.err != nil || string(o.res.Response) != "null" {
				t.Errorf("invoke: %+v, %v", o.res, o.err)
			}
		}},
		{"an init error posted before the first event fails the invocation", func(t *testing.T, rt *lambdatest.Runtime) {
			runtimeCall(t, rt, "POST", "/init/error", "Runtime.ConfigError", []byte(`{"errorMessage":"no table","errorType":"Runtime.ConfigError"}`))
		}, func(t *testing.T, o outcome) {
			var rerr *lambdatest.RuntimeError
			if !errors.As(o.err, &rerr) || !rerr.Init || rerr.Type != "Runtime.ConfigError" || rerr.Message != "no table" {
				t.Errorf("invoke: %v, want the init error", o.err)
			}
		}},
		{"an event the runtime never answers times out", func(t *testing.T, rt *lambdatest.Runtime) {
			runtimeCall(t, rt, "GET", "/invocation/next", "", nil)
		}, func(t *testing.T, o outcome) {
			var rerr *lambdatest.RuntimeError
			if !errors.As(o.err, &rerr) || rerr.Init || rerr.Type != "Sandbox.Timedout" {
				t.Errorf("invoke: %v, want a timeout", o.err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt := lambdatest.NewRuntime("f", 200*time.Millisecond)
			defer rt.Close()
			done := make(chan outcome, 1)
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				res, err := rt.Invoke(ctx, []byte(`{"n":1}`))
				done <- outcome{res, err}
			}()
			tt.steps(t, rt)
			tt.check(t, <-done)
		})
	}
}

// The token key has been rotated twice: version 3 is current, version 2
// the previous key, version 1 retired. Links and replies signed with the
// current or the previous key work; with the retired key they do not.
func TestRotatedTokenKeysKeepLinksAndRepliesWorkingUntilRetired(t *testing.T) {
	ctx := context.Background()
	retired, previous, current := tokenKey+"-v1", tokenKey+"-v2", tokenKey+"-v3"
	keys := []struct {
		name, key string
		works     bool
	}{{"current", current, true}, {"previous", previous, true}, {"retired", retired, false}}

	t.Run("dashboard links", func(t *testing.T) {
		r := newRig(t)
		for _, k := range []string{retired, previous, current} {
			r.ssm.Put(r.env(t, "ApiFunction")["CARECOACH_TOKEN_KEY_PARAM"], k)
		}
		fn := r.start(t, "ApiFunction")
		for _, k := range keys {
			token, err := dashtoken.Sign([]byte(k.key), "support", jordan, time.Now().Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			var e events.APIGatewayV2HTTPRequest
			if err := json.Unmarshal(sample(t, "apigateway-dashboard"), &e); err != nil {
				t.Fatal(err)
			}
			e.RawQueryString = "t=" + token
			b, _ := json.Marshal(e)
			var res events.APIGatewayV2HTTPResponse
			if err := json.Unmarshal(invoke(t, fn, b), &res); err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int{true: http.StatusOK, false: http.StatusUnauthorized}[k.works]; res.StatusCode != want {
				t.Errorf("a link signed with the %s key: %d, want %d\nlogs:\n%s", k.name, res.StatusCode, want, fn.Logs())
			}
		}
	})

	t.Run("reply tokens", func(t *testing.T) {
		r := newRig(t)
		env := r.env(t, "InboundFunction")
		for _, k := range []string{retired, previous, current} {
			r.ssm.Put(env["CARECOACH_TOKEN_KEY_PARAM"], k)
		}
		now := time.Now().UTC()
		m := care.NewMoment(care.TicketRef{Connection: "acme-zendesk", TicketID: "5158"}, care.Respond, care.Praise, "zd-1")
		m.Team, m.AgentID, m.At, m.What = "support", "1001", now.Add(-48*time.Hour), "Answered Maria Lopez within 12 minutes."
		prompt := care.Prompt{ID: "d-rotation", Team: "support", Kind: care.DigestPrompt, Recipient: jordan,
			SentAt: now.Add(-time.Hour), ExpiresAt: now.Add(30 * 24 * time.Hour),
			Items: []care.PromptItem{{N: 1, Moment: m, AgentEmail: ana, AgentName: "Ana Silva"}}}
		if _, err := r.store.PutPrompt(ctx, prompt); err != nil {
			t.Fatal(err)
		}
		fn := r.start(t, "InboundFunction")
		recorded := 0
		for i, k := range keys {
			signed, err := replytoken.Sign([]byte(k.key), prompt.ID, jordan, prompt.ExpiresAt)
			if err != nil {
				t.Fatal(err)
			}
			var e events.SimpleEmailEvent
			if err := json.Unmarshal(sample(t, "ses-receipt-reply"), &e); err != nil {
				t.Fatal(err)
			}
			sesID := fmt.Sprintf("rotation%d", i)
			e.Records[0].SES.Mail.MessageID = sesID
			raw := "From: Jordan Reyes <" + jordan + ">\r\nTo: carecoach <" + replytoken.Address(signed, env["CARECOACH_REPLY_DOMAIN"]) + ">\r\n" +
				"Subject: Re: your team this week\r\nMessage-ID: <rotation-" + k.name + "@mail.acme-support.example>\r\n" +
				"Date: " + now.Format(time.RFC1123Z) + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" +
				"1: Signed with the " + k.name + " key.\r\n"
			r.s3.Put(env["CARECOACH_INBOUND_BUCKET"], env["CARECOACH_INBOUND_PREFIX"]+sesID, []byte(raw))
			b, _ := json.Marshal(e)
			invoke(t, fn, b)
			fb := dynamotest.MemberFeedback(t, r.store, "support", ana, time.Now())
			if k.works {
				recorded++
			}
			if len(fb) != recorded || k.works && fb[len(fb)-1].Words != "Signed with the "+k.name+" key." {
				t.Errorf("after a reply signed with the %s key: feedback %+v, want %d records\nlogs:\n%s", k.name, fb, recorded, fn.Logs())
			}
		}
	})
}

// Kudos name their sender only in From, so they need that domain
// authenticated: DMARC, or a DKIM signature aligned with it. SPF alone, or
// DKIM for another domain, is refused.
func TestKudosNeedDMARCOrDKIMAlignedWithTheFromDomain(t *testing.T) {
	const priya = "priya@acme-support.example"
	r := newRig(t)
	env := r.env(t, "InboundFunction")
	r.ssm.Put(env["CARECOACH_TOKEN_KEY_PARAM"], tokenKey)
	fn := r.start(t, "InboundFunction")
	tests := []struct {
		name             string
		spf, dkim, dmarc string
		authResults      string
		recorded         bool
	}{
		{"DMARC passed", "PASS", "PASS", "PASS", "amazonses.com; spf=pass smtp.mailfrom=acme-support.example; dkim=pass header.i=@acme-support.example; dmarc=pass header.from=acme-support.example;", true},
		{"no DMARC record, DKIM of the From domain", "PASS", "PASS", "GRAY", "amazonses.com; spf=pass smtp.mailfrom=acme-support.example; dkim=pass header.i=@acme-support.example; dmarc=none header.from=acme-support.example;", true},
		{"no DMARC record, DKIM of an unrelated domain", "PASS", "PASS", "GRAY", "amazonses.com; spf=pass smtp.mailfrom=bounces.mailer.example.net; dkim=pass header.i=@mailer.example.net; dmarc=none header.from=acme-support.example;", false},
		{"SPF alone", "PASS", "GRAY", "GRAY", "amazonses.com; spf=pass smtp.mailfrom=bounces.mailer.example.net; dkim=none; dmarc=none header.from=acme-support.example;", false},
	}
	recorded := 0
	for i, tt := range tests {
		var e events.SimpleEmailEvent
		if err := json.Unmarshal(sample(t, "ses-receipt-reply"), &e); err != nil {
			t.Fatal(err)
		}
		rec := &e.Records[0].SES
		rec.Mail.MessageID = fmt.Sprintf("kudos%d", i)
		rec.Receipt.SPFVerdict.Status, rec.Receipt.DKIMVerdict.Status, rec.Receipt.DMARCVerdict.Status = tt.spf, tt.dkim, tt.dmarc
		for j, h := range rec.Mail.Headers {
			if h.Name == "Authentication-Results" {
				rec.Mail.Headers[j].Value = tt.authResults
			}
		}
		raw := "From: Ana Silva <" + ana + ">\r\nTo: kudos@" + env["CARECOACH_REPLY_DOMAIN"] + "\r\n" +
			fmt.Sprintf("Subject: thanks\r\nMessage-ID: <kudos-%d@mail.acme-support.example>\r\n", i) +
			"Date: " + time.Now().UTC().Format(time.RFC1123Z) + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" +
			"kudos @priya for covering my queue on Friday\r\n"
		r.s3.Put(env["CARECOACH_INBOUND_BUCKET"], env["CARECOACH_INBOUND_PREFIX"]+rec.Mail.MessageID, []byte(raw))
		b, _ := json.Marshal(e)
		invoke(t, fn, b)
		if tt.recorded {
			recorded++
		}
		fb := dynamotest.MemberFeedback(t, r.store, "support", priya, time.Now())
		if len(fb) != recorded {
			t.Errorf("%s: %d kudos recorded for Priya, want %d\nlogs:\n%s", tt.name, len(fb), recorded, fn.Logs())
		}
	}
	if !strings.Contains(fn.Logs(), "kudos sender's domain not authenticated") {
		t.Errorf("the refusals' reason is not in the log:\n%s", fn.Logs())
	}
}
