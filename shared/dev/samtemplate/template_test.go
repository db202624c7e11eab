package samtemplate_test

import (
	"bytes"
	"debug/elf"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"go.yaml.in/yaml/v3"

	"github.com/carecoach/carecoach"
	samples "github.com/carecoach/carecoach/events"
	"github.com/carecoach/carecoach/shared/adapters/eventbridge/payload"
	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/dev/samtemplate"
)

// root is the module root, seen from this package's directory.
const root = "../../.."

// maxBootstrap is the Makefile's limit on a bootstrap's size.
const maxBootstrap = 15 << 20

// noResourceLevel lists the IAM actions that AWS cannot scope to a
// resource, so that a statement made only of them may (must) use
// Resource '*'. Keep it short and say why for each; template.yaml has no
// such statement today.
var noResourceLevel = map[string]string{
	// CloudWatch metrics have no ARN: the Service Authorization Reference
	// lists no resource type for PutMetricData. Narrow it with the
	// cloudwatch:namespace condition key instead.
	"cloudwatch:PutMetricData": "metrics have no resource type",
}

func template(t *testing.T) *samtemplate.Template {
	t.Helper()
	tmpl, err := samtemplate.Parse(carecoach.Template)
	if err != nil {
		t.Fatal(err)
	}
	if len(tmpl.Functions()) == 0 {
		t.Fatal("template.yaml has no AWS::Serverless::Function")
	}
	return tmpl
}

func makefile(t *testing.T) samtemplate.Makefile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	return samtemplate.ParseMakefile(b)
}

// packages lists the packages under functions/: import path -> package name.
func packages(t *testing.T) map[string]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}} {{.Name}}", "./functions/...")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list ./functions/...: %v\n%s", err, out)
	}
	pkgs := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, name, _ := strings.Cut(line, " ")
		pkgs[path] = name
	}
	return pkgs
}

var goarch = map[string]string{"arm64": "arm64", "x86_64": "amd64"}
var machine = map[string]elf.Machine{"arm64": elf.EM_AARCH64, "x86_64": elf.EM_X86_64}

func TestEveryFunctionIsBuiltByItsMakefileTarget(t *testing.T) {
	tmpl, mf := template(t), makefile(t)
	pkgs := packages(t)
	listed := strings.Fields(mf.Vars["FUNCTIONS"])
	for _, f := range tmpl.Functions() {
		target, recipe, name := mf.BuildTarget(f.ID)
		arch := "x86_64" // CloudFormation's default
		if a := samtemplate.Strings(tmpl.Property(f, "Architectures")); len(a) == 1 {
			arch = a[0]
		}
		checks := []struct {
			name  string
			check func(t *testing.T)
		}{
			{"it is built with BuildMethod makefile", func(t *testing.T) {
				if m := samtemplate.Get(f.Node, "Metadata", "BuildMethod"); m == nil || m.Value != "makefile" {
					t.Errorf("Resources.%s.Metadata.BuildMethod is %s, want makefile (sam build would not call make %s)", f.ID, samtemplate.Describe(m), target)
				}
			}},
			{"its runtime runs a bootstrap", func(t *testing.T) {
				if rt := tmpl.Property(f, "Runtime"); rt == nil || !strings.HasPrefix(rt.Value, "provided.") {
					t.Errorf("Runtime is %s, want an OS-only runtime (provided.al2023)", samtemplate.Describe(rt))
				}
				if h := tmpl.Property(f, "Handler"); h == nil || h.Value != "bootstrap" {
					t.Errorf("Handler is %s, want bootstrap", samtemplate.Describe(h))
				}
			}},
			{"the Makefile target builds ./functions/<name> into $(ARTIFACTS_DIR)/bootstrap", func(t *testing.T) {
				if _, ok := mf.Recipes[target]; !ok {
					t.Fatalf("the Makefile has no %s: target (sam build calls it for BuildMethod: makefile)", target)
				}
				joined := strings.Join(recipe, "\n")
				if name == "" {
					t.Fatalf("%s does not go build a ./functions/<name> package:\n%s", target, joined)
				}
				if !strings.Contains(joined, "-o $(ARTIFACTS_DIR)/bootstrap") {
					t.Errorf("%s does not write $(ARTIFACTS_DIR)/bootstrap:\n%s", target, joined)
				}
				for _, want := range []string{"CGO_ENABLED=0", "GOOS=linux", "GOARCH=" + goarch[arch], "-tags lambda.norpc"} {
					if !strings.Contains(joined, want) {
						t.Errorf("%s lacks %s (the function runs on %s, provided runtime):\n%s", target, want, arch, joined)
					}
				}
			}},
			{"make build lists it too", func(t *testing.T) {
				if name != "" && !slices.Contains(listed, name) {
					t.Errorf("FUNCTIONS := %s lacks %s, so `make build` (CI) never builds or size-checks it", mf.Vars["FUNCTIONS"], name)
				}
			}},
			{"functions/<name> is a main package", func(t *testing.T) {
				if name == "" {
					t.Skip("no package named by the Makefile (reported above)")
				}
				path := "github.com/carecoach/carecoach/functions/" + name
				if got, ok := pkgs[path]; !ok {
					t.Errorf("go list ./functions/... does not list %s", path)
				} else if got != "main" {
					t.Errorf("%s is package %s, want main", path, got)
				}
			}},
			{"make builds a bootstrap under 15 MB for its architecture", func(t *testing.T) {
				if name == "" {
					t.Skip("no package named by the Makefile (reported above)")
				}
				dir := t.TempDir()
				cmd := exec.Command("make", "--no-print-directory", target, "ARTIFACTS_DIR="+dir)
				cmd.Dir = root
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("make %s: %v\n%s", target, err, out)
				}
				bin := filepath.Join(dir, "bootstrap")
				st, err := os.Stat(bin)
				if err != nil {
					t.Fatalf("make %s wrote no bootstrap: %v", target, err)
				}
				if st.Size() >= maxBootstrap {
					t.Errorf("bootstrap is %.1f MB, want under 15 MB", float64(st.Size())/(1<<20))
				}
				if st.Mode()&0o111 == 0 {
					t.Errorf("bootstrap is not executable: %v", st.Mode())
				}
				e, err := elf.Open(bin)
				if err != nil {
					t.Fatalf("bootstrap is not an ELF binary: %v", err)
				}
				defer e.Close()
				if e.Machine != machine[arch] {
					t.Errorf("bootstrap is built for %v, want %v (Architectures: [%s])", e.Machine, machine[arch], arch)
				}
				t.Logf("%s: %.1f MB", target, float64(st.Size())/(1<<20))
			}},
		}
		t.Run(f.ID, func(t *testing.T) {
			for _, c := range checks {
				t.Run(c.name, c.check)
			}
		})
	}
}

func TestEveryEnvironmentVariableAFunctionReadsIsSetInTheTemplate(t *testing.T) {
	tmpl, mf := template(t), makefile(t)
	for _, f := range tmpl.Functions() {
		_, _, name := mf.BuildTarget(f.ID)
		t.Run(f.ID+" sets every variable its code reads", func(t *testing.T) {
			if name == "" {
				t.Fatalf("no Makefile target names the code of %s", f.ID)
			}
			reads, err := samtemplate.EnvReads(filepath.Join(root, "functions", name))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(reads, func(r samtemplate.EnvRead) bool { return r.Required }) {
				t.Fatalf("functions/%s reads no variable with awslambda.Env: is the configuration read some other way?", name)
			}
			for _, r := range reads {
				if _, ok := f.Env[r.Name]; ok || samtemplate.SetByLambda(r.Name) {
					continue
				}
				how := "os.Getenv (optional, but then the deployed function never has it)"
				if r.Required {
					how = "awslambda.Env (required: the function fails at start-up without it)"
				}
				t.Errorf("%s:%d reads %s with %s, but template.yaml sets it neither in Globals.Function.Environment.Variables nor in Resources.%s.Properties.Environment.Variables",
					filepath.ToSlash(strings.TrimPrefix(r.Pos.Filename, root+"/")), r.Pos.Line, r.Name, how, f.ID)
			}
		})
	}
}

func TestEnvReadsFindsWhatTheCodeReads(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // name, then "!" if required
		err       string
	}{
		{"required variables through awslambda.Env", `package main
import "github.com/carecoach/carecoach/shared/adapters/awslambda"
func main() { awslambda.Env("A", "B") }`, []string{"A!", "B!"}, ""},
		{"an aliased import", `package main
import lam "github.com/carecoach/carecoach/shared/adapters/awslambda"
func main() { lam.Env("A") }`, []string{"A!"}, ""},
		{"optional variables through os.Getenv and os.LookupEnv", `package main
import "os"
func main() { os.Getenv("C"); os.LookupEnv("D") }`, []string{"C", "D"}, ""},
		{"a variable name that is not a literal", `package main
import "os"
const name = "E"
func main() { os.Getenv(name) }`, nil, "non-literal"},
		{"another package's Env", `package main
import "example.com/other/awslambda"
func main() { awslambda.Env("F") }`, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(tt.src), 0o644); err != nil {
				t.Fatal(err)
			}
			reads, err := samtemplate.EnvReads(dir)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range reads {
				got = append(got, r.Name+map[bool]string{true: "!"}[r.Required])
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("reads %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNoIAMStatementAllowsEveryResource(t *testing.T) {
	tmpl := template(t)
	if n := len(tmpl.Statements()); n < 5 {
		t.Fatalf("found only %d IAM statements: is the template read right?", n)
	}
	for _, p := range samtemplate.WildcardProblems(tmpl, noResourceLevel) {
		t.Errorf("template.yaml: %s", p)
	}
}

// snippet is a template made of a resources section (and parameters).
func snippet(t *testing.T, yaml string) *samtemplate.Template {
	t.Helper()
	tmpl, err := samtemplate.Parse([]byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return tmpl
}

func TestTheWildcardCheckFindsEveryKindOfGrant(t *testing.T) {
	fn := func(statement string) string {
		return `Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - Statement:
` + statement
	}
	tests := []struct {
		name, template string
		want           string // "" = no problem
	}{
		{"a function statement on Resource '*'", fn(`            - { Effect: Allow, Action: [ses:SendEmail], Resource: "*" }`), "Resource '*' for ses:SendEmail"},
		{"a function statement on a list holding '*'", fn(`            - { Effect: Allow, Action: s3:GetObject, Resource: [!GetAtt B.Arn, "*"] }`), "Resource '*' for s3:GetObject"},
		{"an action with no resource-level permission on '*'", fn(`            - { Effect: Allow, Action: cloudwatch:PutMetricData, Resource: "*" }`), ""},
		{"such an action together with a scopable one on '*'", fn(`            - { Effect: Allow, Action: [cloudwatch:PutMetricData, sqs:SendMessage], Resource: "*" }`), "for sqs:SendMessage"},
		{"a Deny on '*'", fn(`            - { Effect: Deny, Action: "s3:*", Resource: "*" }`), ""},
		{"a scoped statement", fn(`            - { Effect: Allow, Action: dynamodb:GetItem, Resource: !GetAtt Table.Arn }`), ""},
		{"a NotResource statement", fn(`            - { Effect: Allow, Action: s3:GetObject, NotResource: !GetAtt B.Arn }`), "NotResource"},
		{"a NotAction statement on '*'", fn(`            - { Effect: Allow, NotAction: iam:*, Resource: "*" }`), "every action but some"},
		{"a managed policy on a function", `Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies: [AmazonDynamoDBFullAccess]`, "not an inline statement"},
		{"a role's inline policy on '*'", `Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: lambda:InvokeFunction
                Resource: "*"`, "Resources.R.Properties.Policies[0].PolicyDocument.Statement[0]"},
		{"a key policy's '*' (the key itself)", `Resources:
  K:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Statement:
          - Effect: Allow
            Principal: { Service: cloudwatch.amazonaws.com }
            Action: [kms:Decrypt]
            Resource: "*"`, ""},
		{"a role policy named like a key policy is still checked", `Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - { Effect: Allow, Action: kms:Decrypt, Resource: "*" }`, "Resource '*' for kms:Decrypt"},
		{"a bucket policy on '*'", `Resources:
  P:
    Type: AWS::S3::BucketPolicy
    Properties:
      PolicyDocument:
        Statement:
          Effect: Allow
          Principal: { Service: ses.amazonaws.com }
          Action: s3:PutObject
          Resource: "*"`, "Resources.P.Properties.PolicyDocument.Statement"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := samtemplate.WildcardProblems(snippet(t, tt.template), noResourceLevel)
			switch {
			case tt.want == "" && len(got) > 0:
				t.Errorf("problems %q, want none", got)
			case tt.want != "" && (len(got) != 1 || !strings.Contains(got[0], tt.want)):
				t.Errorf("problems %q, want one saying %q", got, tt.want)
			}
		})
	}
}

// A sample rule says where a trigger's samples are and how they decode.
type sampleRule struct {
	prefix string
	check  func(t *testing.T, tmpl *samtemplate.Template, f samtemplate.Function, trig samtemplate.Trigger, name string, b []byte)
}

var sampleRules = map[string]sampleRule{
	"HttpApi":                    {"apigateway-", checkHTTPAPISample},
	"DynamoDB":                   {"dynamodb-stream-", checkStreamSample},
	samtemplate.TriggerScheduler: {"scheduler-", checkSchedulerSample},
	samtemplate.TriggerSES:       {"ses-", checkSESSample},
	"ScheduleV2":                 {"schedule-reconcile-", checkReconcileSample},
}

// checkReconcileSample: the reconcile function's payload, empty (every
// connection, nightly) or naming a connection and a time to read from.
func checkReconcileSample(t *testing.T, _ *samtemplate.Template, _ samtemplate.Function, trig samtemplate.Trigger, name string, b []byte) {
	var req app.ReconcileRequest
	strict(t, name, b, &req)
	if !req.Since.IsZero() && req.Connection == "" {
		t.Errorf("events/%s.json reads from %s but names no connection", name, req.Since)
	}
	if in := samtemplate.Get(trig.Node, "Input"); in != nil {
		var scheduled app.ReconcileRequest
		strict(t, "("+trig.Name+" Input)", []byte(in.Value), &scheduled)
	}
}

// strict decodes b into v, refusing fields v does not have.
func strict(t *testing.T, name string, b []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("events/%s.json does not decode into %T: %v", name, v, err)
	}
	if dec.More() {
		t.Fatalf("events/%s.json has more than one JSON value", name)
	}
}

func checkHTTPAPISample(t *testing.T, tmpl *samtemplate.Template, f samtemplate.Function, trig samtemplate.Trigger, name string, b []byte) {
	if v := samtemplate.Get(trig.Node, "PayloadFormatVersion"); v != nil && v.Value != "2.0" {
		t.Fatalf("payload format %s: only 2.0 (the HttpApi default) has a sample rule", v.Value)
	}
	var e events.APIGatewayV2HTTPRequest
	strict(t, name, b, &e)
	var routes []string // a sample may be for any of the function's routes
	for _, tr := range tmpl.Triggers(f.ID) {
		if tr.Kind == "HttpApi" {
			routes = append(routes, samtemplate.Get(tr.Node, "Method").Value+" "+samtemplate.Get(tr.Node, "Path").Value)
		}
	}
	if e.Version != "2.0" || !slices.Contains(routes, e.RouteKey) || e.RequestContext.RouteKey != e.RouteKey {
		t.Errorf("events/%s.json: version %q route %q, want 2.0 and one of the template's routes %q", name, e.Version, e.RouteKey, routes)
	}
	if e.RequestContext.HTTP.Method == "" || e.Body == "" && e.RequestContext.HTTP.Method != "GET" {
		t.Errorf("events/%s.json has no method, or no body for a %s", name, e.RequestContext.HTTP.Method)
	}
}

// httpRoute is an HttpApi trigger's route key, "" for other triggers.
func httpRoute(trig samtemplate.Trigger) string {
	if trig.Kind != "HttpApi" {
		return ""
	}
	return samtemplate.Get(trig.Node, "Method").Value + " " + samtemplate.Get(trig.Node, "Path").Value
}

// sampleRoute is the route key an API Gateway sample was sent to: each
// route's trigger is checked against the samples of its own route.
func sampleRoute(t *testing.T, name string) string {
	t.Helper()
	b, err := samples.Sample(name)
	if err != nil {
		t.Fatal(err)
	}
	var e struct {
		RouteKey string `json:"routeKey"`
	}
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("events/%s.json: %v", name, err)
	}
	return e.RouteKey
}

func checkStreamSample(t *testing.T, _ *samtemplate.Template, _ samtemplate.Function, trig samtemplate.Trigger, name string, b []byte) {
	var e events.DynamoDBEvent
	strict(t, name, b, &e)
	if len(e.Records) == 0 {
		t.Fatalf("events/%s.json has no records", name)
	}
	for i, r := range e.Records {
		if r.EventSource != "aws:dynamodb" || r.Change.SequenceNumber == "" || r.Change.NewImage == nil {
			t.Errorf("events/%s.json record %d: source %q, sequence %q, new image %v: not a NEW_IMAGE stream record", name, i, r.EventSource, r.Change.SequenceNumber, r.Change.NewImage != nil)
		}
	}
}

func checkSchedulerSample(t *testing.T, _ *samtemplate.Template, _ samtemplate.Function, _ samtemplate.Trigger, name string, b []byte) {
	var e payload.Fire
	strict(t, name, b, &e)
	if task, ok := e.Task(); e.Job == "" && (!ok || task.Ticket.Connection == "") {
		t.Errorf("events/%s.json names neither a task of a ticket nor a job: %+v", name, e)
	}
}

func checkSESSample(t *testing.T, _ *samtemplate.Template, _ samtemplate.Function, _ samtemplate.Trigger, name string, b []byte) {
	var e events.SimpleEmailEvent
	strict(t, name, b, &e)
	if len(e.Records) == 0 {
		t.Fatalf("events/%s.json has no records", name)
	}
	for i, r := range e.Records {
		rc := r.SES.Receipt
		if r.EventSource != "aws:ses" || r.SES.Mail.MessageID == "" || rc.Action.Type != "Lambda" || rc.Action.FunctionARN == "" {
			t.Errorf("events/%s.json record %d: source %q, message id %q, action %+v: not an SES receipt for a Lambda action", name, i, r.EventSource, r.SES.Mail.MessageID, rc.Action)
		}
		for verdict, v := range map[string]string{"spf": rc.SPFVerdict.Status, "dkim": rc.DKIMVerdict.Status, "dmarc": rc.DMARCVerdict.Status, "spam": rc.SpamVerdict.Status, "virus": rc.VirusVerdict.Status} {
			if v == "" {
				t.Errorf("events/%s.json record %d has no %s verdict", name, i, verdict)
			}
		}
	}
}

func TestEveryTriggerHasASampleThatDecodes(t *testing.T) {
	tmpl := template(t)
	names := sampleNames(t)
	for _, f := range tmpl.Functions() {
		t.Run(f.ID, func(t *testing.T) {
			triggers := tmpl.Triggers(f.ID)
			if len(triggers) == 0 {
				t.Fatalf("nothing invokes %s: no Events, no Scheduler role or schedule, no SES receipt rule", f.ID)
			}
			for _, trig := range triggers {
				t.Run(fmt.Sprintf("its %s trigger %s has samples", trig.Kind, trig.Name), func(t *testing.T) {
					rule, ok := sampleRules[trig.Kind]
					if !ok {
						t.Fatalf("no sample rule for %s triggers: add events/<kind>-*.json samples and a rule to sampleRules", trig.Kind)
					}
					var matched []string
					for _, n := range names {
						if strings.HasPrefix(n, rule.prefix) && (trig.Kind != "HttpApi" || sampleRoute(t, n) == httpRoute(trig)) {
							matched = append(matched, n)
						}
					}
					if len(matched) == 0 {
						t.Fatalf("no events/%s*.json sample for %s's %s trigger %s", rule.prefix, f.ID, trig.Kind, httpRoute(trig))
					}
					for _, n := range matched {
						b, err := samples.Sample(n)
						if err != nil {
							t.Fatal(err)
						}
						rule.check(t, tmpl, f, trig, n, b)
					}
					if trig.Kind == "DynamoDB" {
						checkStreamFilter(t, trig, matched)
					}
					if trig.Kind == samtemplate.TriggerSES {
						checkReceiptRule(t, tmpl, f, trig)
					}
				})
			}
		})
	}
}

// sampleNames lists the samples in events/ (without .json).
func sampleNames(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(root, "events", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range paths {
		out = append(out, strings.TrimSuffix(filepath.Base(p), ".json"))
	}
	return out
}

// checkStreamFilter: at least one sample passes the event source mapping's
// filter, or the function would never see anything like its samples.
func checkStreamFilter(t *testing.T, trig samtemplate.Trigger, names []string) {
	t.Helper()
	var patterns []map[string]any
	for _, f := range samtemplate.Items(samtemplate.Get(trig.Node, "FilterCriteria", "Filters")) {
		var p map[string]any
		if err := json.Unmarshal([]byte(samtemplate.Get(f, "Pattern").Value), &p); err != nil {
			t.Fatalf("filter pattern line %d: %v", f.Line, err)
		}
		patterns = append(patterns, p)
	}
	if len(patterns) == 0 {
		return
	}
	for _, n := range names {
		b, _ := samples.Sample(n)
		var e struct{ Records []map[string]any }
		if err := json.Unmarshal(b, &e); err != nil {
			t.Fatal(err)
		}
		for _, r := range e.Records {
			for _, p := range patterns {
				ok, err := matches(p, r)
				if err != nil {
					t.Fatal(err)
				}
				if ok {
					return
				}
			}
		}
	}
	t.Errorf("no record of %v passes the trigger's FilterCriteria", names)
}

// matches applies an event filter pattern (exact values only) to a record.
func matches(pattern, record map[string]any) (bool, error) {
	for k, want := range pattern {
		got := record[k]
		switch w := want.(type) {
		case map[string]any:
			sub, ok := got.(map[string]any)
			if !ok {
				return false, nil
			}
			if ok, err := matches(w, sub); !ok || err != nil {
				return false, err
			}
		case []any:
			found := false
			for _, v := range w {
				if _, op := v.(map[string]any); op {
					return false, fmt.Errorf("filter operator %v is not supported by this test", v)
				}
				if v == got {
					found = true
				}
			}
			if !found {
				return false, nil
			}
		default:
			return false, fmt.Errorf("filter pattern value %v for %s is not a list", want, k)
		}
	}
	return true, nil
}

// checkReceiptRule: SES may invoke the function, and the rule stores each
// message in S3 where the function reads it before invoking it.
func checkReceiptRule(t *testing.T, tmpl *samtemplate.Template, f samtemplate.Function, trig samtemplate.Trigger) {
	t.Helper()
	if !tmpl.Permitted(f.ID, "ses.amazonaws.com") {
		t.Errorf("no AWS::Lambda::Permission lets ses.amazonaws.com invoke %s", f.ID)
	}
	var s3 *yaml.Node // the last S3Action before the function's LambdaAction
	for _, a := range samtemplate.Items(samtemplate.Get(trig.Node, "Properties", "Rule", "Actions")) {
		if n := samtemplate.Get(a, "S3Action"); n != nil {
			s3 = n
		}
		if l := samtemplate.Get(a, "LambdaAction"); l != nil && slices.Contains(samtemplate.Refers(samtemplate.Get(l, "FunctionArn")), f.ID) {
			break
		}
	}
	if s3 == nil {
		t.Fatalf("%s invokes %s before any S3Action has stored the message it would read", trig.Name, f.ID)
	}
	bucket, prefix := samtemplate.Get(s3, "BucketName"), samtemplate.Get(s3, "ObjectKeyPrefix")
	if v := f.Env["CARECOACH_INBOUND_BUCKET"]; v != nil && samtemplate.Describe(v) != samtemplate.Describe(bucket) {
		t.Errorf("%s stores messages in %s but %s reads CARECOACH_INBOUND_BUCKET %s", trig.Name, samtemplate.Describe(bucket), f.ID, samtemplate.Describe(v))
	}
	if v := f.Env["CARECOACH_INBOUND_PREFIX"]; v != nil && samtemplate.Describe(v) != samtemplate.Describe(prefix) {
		t.Errorf("%s stores messages under %s but %s reads CARECOACH_INBOUND_PREFIX %s", trig.Name, samtemplate.Describe(prefix), f.ID, samtemplate.Describe(v))
	}
}

func TestTheTemplateHoldsNoSecret(t *testing.T) {
	tmpl := template(t)
	for _, p := range samtemplate.SecretProblems(tmpl) {
		t.Errorf("template.yaml: %s", p)
	}
}

func TestTheSecretCheckFindsSecrets(t *testing.T) {
	fn := func(env string) string {
		return `Parameters:
  Stage: { Type: String, Default: dev }
  WebhookSecret: { Type: String, NoEcho: true }
  KeyParamName: { Type: String, Default: /carecoach/dev/reply-token-key }
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Environment:
        Variables:
` + env
	}
	tests := []struct {
		name, template string
		want           string // "" = no problem
	}{
		{"an SSM path built with !Sub", fn(`          CARECOACH_TOKEN_KEY_PARAM: !Sub /carecoach/${Stage}/reply-token-key`), ""},
		{"a literal SSM path", fn(`          CARECOACH_SECRETS_PATH: /carecoach/prod/webhook-secrets/`), ""},
		{"a parameter holding an SSM path", fn(`          CARECOACH_TOKEN_KEY_PARAM: !Ref KeyParamName`), ""},
		{"a resource reference", fn(`          CARECOACH_SIGNING_KEY_ARN: !GetAtt Key.Arn`), ""},
		{"a literal key", fn(`          CARECOACH_TOKEN_KEY: hunter2`), `a literal "hunter2"`},
		{"a random-looking value under an innocent name", fn(`          CARECOACH_MODE: Zx9fQ2mT7vLr4KpW8sNc3Hy6`), "looks like a secret"},
		{"an AWS access key", fn(`          CARECOACH_UPSTREAM: AKIAIOSFODNN7EXAMPLE`), "looks like a secret"},
		{"a NoEcho parameter in the environment", fn(`          CARECOACH_WEBHOOK_SECRET: !Ref WebhookSecret`), "holds the secret parameter WebhookSecret"},
		{"a NoEcho parameter inside !Sub", fn(`          CARECOACH_URL: !Sub https://x:${WebhookSecret}@example.com`), "holds the secret parameter WebhookSecret"},
		{"a secret parameter without NoEcho", `Parameters:
  ApiToken: { Type: String }`, "without NoEcho"},
		{"a secret parameter with a Default", `Parameters:
  DbPassword: { Type: String, NoEcho: true, Default: changeme }`, "with a Default"},
		{"a Default that looks like a key", `Parameters:
  Upstream: { Type: String, Default: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }`, "Default looks like a secret"},
		{"the name of a secret's parameter", `Parameters:
  TokenKeyParam: { Type: String, Default: /carecoach/prod/reply-token-key }`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := samtemplate.SecretProblems(snippet(t, tt.template))
			switch {
			case tt.want == "" && len(got) > 0:
				t.Errorf("problems %q, want none", got)
			case tt.want != "" && (len(got) == 0 || !slices.ContainsFunc(got, func(p string) bool { return strings.Contains(p, tt.want) })):
				t.Errorf("problems %q, want one saying %q", got, tt.want)
			}
		})
	}
}
