package samtemplate_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/carecoach/carecoach/shared/adapters/emf"
	"github.com/carecoach/carecoach/shared/dev/samtemplate"
)

// get follows a path from a resource's node, failing the test when a step
// is missing.
func get(t *testing.T, n *yaml.Node, path ...string) *yaml.Node {
	t.Helper()
	v := samtemplate.Get(n, path...)
	if v == nil {
		t.Fatalf("line %d: no %s", n.Line, strings.Join(path, "."))
	}
	return v
}

func resource(t *testing.T, tmpl *samtemplate.Template, id string) samtemplate.Resource {
	t.Helper()
	r, ok := tmpl.Resource(id)
	if !ok {
		t.Fatalf("template.yaml has no resource %s", id)
	}
	return r
}

// refersTo says whether n is (or contains) a reference to id.
func refersTo(n *yaml.Node, id string) bool { return slices.Contains(samtemplate.Refers(n), id) }

func TestCustomerDataOutlivesTheStackAndExpiresByItsRetention(t *testing.T) {
	tmpl := template(t)
	for _, id := range []string{"Table", "InboundMailBucket"} {
		r := resource(t, tmpl, id)
		for _, policy := range []string{"DeletionPolicy", "UpdateReplacePolicy"} {
			if v := samtemplate.Get(r.Node, policy); v == nil || v.Value != "Retain" {
				t.Errorf("%s: %s is %s, want Retain", id, policy, samtemplate.Describe(v))
			}
		}
	}
	table := resource(t, tmpl, "Table").Properties()
	if v := samtemplate.Get(table, "DeletionProtectionEnabled"); v == nil || v.Value != "true" {
		t.Errorf("Table: DeletionProtectionEnabled is %s, want true", samtemplate.Describe(v))
	}
	if v := samtemplate.Get(table, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"); v == nil || v.Value != "true" {
		t.Errorf("Table: point-in-time recovery is %s, want on", samtemplate.Describe(v))
	}
	if v := samtemplate.Get(table, "TimeToLiveSpecification", "AttributeName"); v == nil || v.Value != "ttl" {
		t.Errorf("Table: TTL attribute is %s, want ttl (the store writes it)", samtemplate.Describe(v))
	}

	params := map[string]samtemplate.Parameter{}
	for _, p := range tmpl.Parameters() {
		params[p.Name] = p
	}
	for name, env := range map[string]string{"RetentionDays": "CARECOACH_RETENTION_DAYS", "RawRetentionDays": "CARECOACH_RAW_RETENTION_DAYS"} {
		p, ok := params[name]
		if !ok {
			t.Errorf("no %s parameter", name)
			continue
		}
		if d := samtemplate.Get(p.Node, "Description"); d == nil || !strings.Contains(d.Value, "Personal data") {
			t.Errorf("%s's description does not say it is about personal data: %s", name, samtemplate.Describe(d))
		}
		for _, k := range []string{"Default", "MinValue", "MaxValue"} {
			if samtemplate.Get(p.Node, k) == nil {
				t.Errorf("%s has no %s", name, k)
			}
		}
		for _, f := range tmpl.Functions() {
			if v := f.Env[env]; v != nil && !refersTo(v, name) {
				t.Errorf("%s: %s is %s, want !Ref %s", f.ID, env, samtemplate.Describe(v), name)
			}
		}
	}
	rules := samtemplate.Items(get(t, resource(t, tmpl, "InboundMailBucket").Properties(), "LifecycleConfiguration", "Rules"))
	if len(rules) != 1 || !refersTo(samtemplate.Get(rules[0], "ExpirationInDays"), "RawRetentionDays") {
		t.Errorf("the mail bucket's lifecycle is %s, want one rule expiring mail after RawRetentionDays", samtemplate.Describe(samtemplate.Get(resource(t, tmpl, "InboundMailBucket").Properties(), "LifecycleConfiguration")))
	}
}

func TestEveryFunctionLogsToAGroupThatExpiresAndIsTraced(t *testing.T) {
	tmpl := template(t)
	expires := func(t *testing.T, id string) {
		t.Helper()
		lg := resource(t, tmpl, id)
		if lg.Type != "AWS::Logs::LogGroup" {
			t.Fatalf("%s is a %s, not a log group", id, lg.Type)
		}
		if v := samtemplate.Get(lg.Properties(), "RetentionInDays"); !refersTo(v, "LogRetentionDays") {
			t.Errorf("%s: RetentionInDays is %s, want !Ref LogRetentionDays", id, samtemplate.Describe(v))
		}
	}
	groups := map[string]string{}
	for _, f := range tmpl.Functions() {
		t.Run(f.ID, func(t *testing.T) {
			refs := samtemplate.Refers(samtemplate.Get(f.Properties(), "LoggingConfig", "LogGroup"))
			if len(refs) != 1 {
				t.Fatalf("LoggingConfig.LogGroup is %s, want !Ref to its own log group", samtemplate.Describe(samtemplate.Get(f.Properties(), "LoggingConfig", "LogGroup")))
			}
			if other, ok := groups[refs[0]]; ok {
				t.Errorf("shares log group %s with %s", refs[0], other)
			}
			groups[refs[0]] = f.ID
			expires(t, refs[0])
			if v := tmpl.Property(f, "Tracing"); !refersTo(v, "Tracing") {
				t.Errorf("Tracing is %s, want !Ref Tracing", samtemplate.Describe(v))
			}
		})
	}
	t.Run("the HTTP API's access logs", func(t *testing.T) {
		settings := get(t, resource(t, tmpl, "WebhookApi").Properties(), "AccessLogSettings")
		refs := samtemplate.Refers(get(t, settings, "DestinationArn"))
		if len(refs) != 1 {
			t.Fatalf("DestinationArn is %s, want a log group of the template", samtemplate.Describe(get(t, settings, "DestinationArn")))
		}
		expires(t, refs[0])
		format := get(t, settings, "Format").Value
		for _, want := range []string{"$context.requestId", "$context.routeKey", "$context.status", "$context.integrationErrorMessage"} {
			if !strings.Contains(format, want) {
				t.Errorf("the access log format lacks %s", want)
			}
		}
		// A dashboard link's token is in the query string; it must not be logged.
		for _, leak := range []string{"querystring", "$context.requestOverride", "rawQueryString", "$request."} {
			if strings.Contains(strings.ToLower(format), strings.ToLower(leak)) {
				t.Errorf("the access log format logs %s, where tokens travel", leak)
			}
		}
	})
}

// alarmsOn lists the alarms on a metric (namespace, name) whose dimensions
// include each of dims (name -> a reference or a literal).
func alarmsOn(tmpl *samtemplate.Template, namespace, metric string, dims map[string]string) []samtemplate.Resource {
	var out []samtemplate.Resource
	for _, r := range tmpl.Resources() {
		p := r.Properties()
		if r.Type != "AWS::CloudWatch::Alarm" || samtemplate.Get(p, "Namespace").Value != namespace || samtemplate.Get(p, "MetricName").Value != metric {
			continue
		}
		found := 0
		for _, d := range samtemplate.Items(samtemplate.Get(p, "Dimensions")) {
			want, ok := dims[samtemplate.Get(d, "Name").Value]
			v := samtemplate.Get(d, "Value")
			if ok && (v.Value == want || refersTo(v, want)) {
				found++
			}
		}
		if found == len(dims) {
			out = append(out, r)
		}
	}
	return out
}

var metricsName = regexp.MustCompile(`awslambda\.Metrics\("([^"]+)"\)`)

func TestAlarmsReachAPersonForEverythingThatCanBreak(t *testing.T) {
	tmpl, mf := template(t), makefile(t)

	t.Run("every alarm notifies the topic, and the topic mails AlarmEmail", func(t *testing.T) {
		for _, p := range tmpl.Parameters() {
			if p.Name == "AlarmEmail" && p.Default != nil {
				t.Errorf("AlarmEmail has a Default (%s): alarms must reach someone named at deploy time", p.Default.Value)
			}
		}
		topic := resource(t, tmpl, "AlarmTopic")
		if samtemplate.Get(topic.Node, "Condition") != nil {
			t.Errorf("AlarmTopic is conditional: alarms could reach nobody")
		}
		subs := samtemplate.Items(get(t, topic.Properties(), "Subscription"))
		if len(subs) != 1 || samtemplate.Get(subs[0], "Protocol").Value != "email" || !refersTo(samtemplate.Get(subs[0], "Endpoint"), "AlarmEmail") {
			t.Errorf("AlarmTopic's subscriptions are %s, want an email to AlarmEmail", samtemplate.Describe(get(t, topic.Properties(), "Subscription")))
		}
		n := 0
		for _, r := range tmpl.Resources() {
			if r.Type != "AWS::CloudWatch::Alarm" {
				continue
			}
			n++
			actions := samtemplate.Items(samtemplate.Get(r.Properties(), "AlarmActions"))
			if len(actions) != 1 || !refersTo(actions[0], "AlarmTopic") {
				t.Errorf("%s: AlarmActions %s, want [!Ref AlarmTopic]", r.ID, samtemplate.Describe(samtemplate.Get(r.Properties(), "AlarmActions")))
			}
			if d := samtemplate.Get(r.Properties(), "AlarmDescription"); d == nil || len(d.Value) < 40 {
				t.Errorf("%s: say in AlarmDescription what broke and where to look", r.ID)
			}
		}
		if n == 0 {
			t.Fatal("no alarms")
		}
	})

	t.Run("CloudWatch can use the topic's key", func(t *testing.T) {
		k := samtemplate.Get(resource(t, tmpl, "AlarmTopic").Properties(), "KmsMasterKeyId")
		if k == nil {
			return // unencrypted would work too
		}
		if strings.Contains(k.Value, "alias/aws/") {
			t.Fatalf("the topic uses the AWS-managed key %s, which CloudWatch cannot use: alarms would be dropped", k.Value)
		}
		refs := samtemplate.Refers(k)
		if len(refs) != 1 {
			t.Fatalf("KmsMasterKeyId %s is not a key of this template, so its policy cannot be checked", samtemplate.Describe(k))
		}
		key := resource(t, tmpl, refs[0])
		ok := false
		for _, st := range samtemplate.Items(get(t, key.Properties(), "KeyPolicy", "Statement")) {
			actions := samtemplate.Strings(samtemplate.Get(st, "Action"))
			if samtemplate.Get(st, "Effect").Value == "Allow" &&
				slices.Contains(samtemplate.Strings(samtemplate.Get(st, "Principal", "Service")), "cloudwatch.amazonaws.com") &&
				slices.Contains(actions, "kms:Decrypt") && slices.Contains(actions, "kms:GenerateDataKey*") {
				ok = true
			}
		}
		if !ok {
			t.Errorf("%s's policy does not let cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey*", key.ID)
		}
	})

	for _, f := range tmpl.Functions() {
		t.Run(f.ID+" has error and throttle alarms", func(t *testing.T) {
			for _, m := range []string{"Errors", "Throttles"} {
				if len(alarmsOn(tmpl, "AWS/Lambda", m, map[string]string{"FunctionName": f.ID})) == 0 {
					t.Errorf("no alarm on %s's %s", f.ID, m)
				}
			}
			for _, trig := range tmpl.Triggers(f.ID) {
				if trig.Kind == "DynamoDB" && len(alarmsOn(tmpl, "AWS/Lambda", "IteratorAge", map[string]string{"FunctionName": f.ID})) == 0 {
					t.Errorf("%s reads a stream (%s) but no alarm watches its IteratorAge", f.ID, trig.Name)
				}
			}
		})
	}

	t.Run("every queue's depth, the API's 5xx, dead letters and SES reputation", func(t *testing.T) {
		for _, r := range tmpl.Resources() {
			if r.Type == "AWS::SQS::Queue" && len(alarmsOn(tmpl, "AWS/SQS", "ApproximateNumberOfMessagesVisible", map[string]string{"QueueName": r.ID})) == 0 {
				t.Errorf("no alarm on the depth of queue %s", r.ID)
			}
			if r.Type == "AWS::Serverless::HttpApi" && len(alarmsOn(tmpl, "AWS/ApiGateway", "5xx", map[string]string{"ApiId": r.ID})) == 0 {
				t.Errorf("no alarm on %s's 5xx", r.ID)
			}
		}
		// The dead-letter alarm watches the metric process really emits.
		_, _, name := mf.BuildTarget("ProcessFunction")
		src, err := os.ReadFile(filepath.Join(root, "functions", name, "main.go"))
		if err != nil {
			t.Fatal(err)
		}
		m := metricsName.FindSubmatch(src)
		if m == nil {
			t.Fatalf("functions/%s/main.go does not call awslambda.Metrics(\"<name>\")", name)
		}
		if len(alarmsOn(tmpl, "CareCoach", emf.DeadLettered, map[string]string{"Function": string(m[1]), "Stage": "Stage"})) == 0 {
			t.Errorf("no alarm on CareCoach %s with Function=%s and Stage=!Ref Stage (what process emits)", emf.DeadLettered, m[1])
		}
		for metric, max := range map[string]float64{"Reputation.BounceRate": 0.05, "Reputation.ComplaintRate": 0.001} {
			as := alarmsOn(tmpl, "AWS/SES", metric, nil)
			if len(as) == 0 {
				t.Errorf("no alarm on SES %s", metric)
				continue
			}
			if v, err := strconv.ParseFloat(samtemplate.Get(as[0].Properties(), "Threshold").Value, 64); err != nil || v > max {
				t.Errorf("%s alarms at %s, want at most %v (where SES starts a review)", metric, samtemplate.Get(as[0].Properties(), "Threshold").Value, max)
			}
		}
	})
}

func TestAWebhookFloodCannotStarveTheRest(t *testing.T) {
	tmpl := template(t)
	ingest := resource(t, tmpl, "IngestFunction")
	rc := samtemplate.Get(ingest.Properties(), "ReservedConcurrentExecutions")
	if !refersTo(rc, "IngestReservedConcurrency") {
		t.Errorf("IngestFunction's ReservedConcurrentExecutions is %s, want it from IngestReservedConcurrency", samtemplate.Describe(rc))
	}
	for _, f := range tmpl.Functions() {
		if f.ID != "IngestFunction" && samtemplate.Get(f.Properties(), "ReservedConcurrentExecutions") != nil {
			t.Errorf("%s reserves concurrency; the deploy guide explains why only ingest does", f.ID)
		}
	}

	// Every route has throttling of its own, and the dashboards' is well
	// under the webhooks'.
	limits := map[string][2]string{} // route -> rate, burst (a number or a parameter's default)
	params := map[string]string{}
	for _, p := range tmpl.Parameters() {
		if p.Default != nil {
			params[p.Name] = p.Default.Value
		}
	}
	value := func(n *yaml.Node) string {
		if refs := samtemplate.Refers(n); len(refs) == 1 {
			return params[refs[0]]
		}
		return samtemplate.Describe(n)
	}
	for _, f := range tmpl.Functions() {
		for _, trig := range tmpl.Triggers(f.ID) {
			if trig.Kind != "HttpApi" {
				continue
			}
			route := samtemplate.Get(trig.Node, "Method").Value + " " + samtemplate.Get(trig.Node, "Path").Value
			rs := samtemplate.Get(trig.Node, "RouteSettings")
			if rs == nil {
				t.Errorf("%s has no RouteSettings: it shares the default throttle with every other route", route)
				continue
			}
			limits[route] = [2]string{value(samtemplate.Get(rs, "ThrottlingRateLimit")), value(samtemplate.Get(rs, "ThrottlingBurstLimit"))}
		}
	}
	webhook, ok := limits["POST /webhooks/{source}/{connection}"]
	if !ok {
		t.Fatalf("no throttled webhook route among %v", limits)
	}
	for _, route := range []string{"GET /dashboard/{team}", "GET /api/teams/{team}/scorecards"} {
		l, ok := limits[route]
		if !ok {
			t.Errorf("no throttling on %s", route)
			continue
		}
		for i, what := range []string{"rate", "burst"} {
			d, err1 := strconv.Atoi(l[i])
			w, err2 := strconv.Atoi(webhook[i])
			if err1 != nil || err2 != nil || d <= 0 || d >= w {
				t.Errorf("%s's %s limit is %s, want a positive number under the webhooks' %s", route, what, l[i], webhook[i])
			}
		}
	}
}

// statementsOf lists the Allow statements of function id's inline policies
// that allow action.
func statementsOf(tmpl *samtemplate.Template, id, action string) []samtemplate.Statement {
	var out []samtemplate.Statement
	for _, s := range tmpl.Statements() {
		if strings.HasPrefix(s.Where, "Resources."+id+".") && s.Effect == "Allow" && slices.Contains(s.Actions, action) {
			out = append(out, s)
		}
	}
	return out
}

func TestPermissionsAreAsNarrowAsTheirUse(t *testing.T) {
	tmpl := template(t)
	refs := map[string]string{
		"AWS::Partition": "aws", "AWS::Region": "eu-west-1", "AWS::AccountId": "123456789012",
		"MailFromDomain": "acme.example", "MailFrom": "carecoach@acme.example", "MailConfigurationSet": "carecoach-prod",
	}
	for _, f := range tmpl.Functions() {
		sts := statementsOf(tmpl, f.ID, "ses:SendEmail")
		if len(sts) == 0 {
			continue
		}
		t.Run(f.ID+" may send from the From address's identity, whichever SES checks", func(t *testing.T) {
			var resources []string
			for _, s := range sts {
				for _, r := range s.Resources {
					v, err := samtemplate.Resolve(r, refs)
					if err != nil {
						t.Fatal(err)
					}
					resources = append(resources, v)
				}
			}
			want := []string{
				"arn:aws:ses:eu-west-1:123456789012:identity/acme.example",
				"arn:aws:ses:eu-west-1:123456789012:identity/carecoach@acme.example",
			}
			if f.Env["CARECOACH_SES_CONFIGURATION_SET"] != nil {
				want = append(want, "arn:aws:ses:eu-west-1:123456789012:configuration-set/carecoach-prod")
			}
			slices.Sort(resources)
			slices.Sort(want)
			if !slices.Equal(resources, want) {
				t.Errorf("ses:SendEmail on %q, want %q", resources, want)
			}
		})
	}
	t.Run("a function reading help desk API tokens reads them and nothing else in SSM", func(t *testing.T) {
		refs := map[string]string{"AWS::Partition": "aws", "AWS::Region": "eu-west-1", "AWS::AccountId": "123456789012", "Stage": "prod"}
		found := false
		for _, f := range tmpl.Functions() {
			path := f.Env["CARECOACH_HELPDESK_TOKENS_PATH"]
			if path == nil {
				continue
			}
			found = true
			dir, err := samtemplate.Resolve(path, refs)
			if err != nil {
				t.Fatal(err)
			}
			want := "arn:aws:ssm:eu-west-1:123456789012:parameter" + dir + "*"
			sts := statementsOf(tmpl, f.ID, "ssm:GetParameter")
			if len(sts) == 0 {
				t.Errorf("%s reads tokens under %s but may not ssm:GetParameter", f.ID, dir)
			}
			for _, st := range sts {
				for _, r := range st.Resources {
					if v, err := samtemplate.Resolve(r, refs); err != nil || v != want {
						t.Errorf("%s: ssm:GetParameter on %q, want only %q (the tokens' path)", f.ID, v, want)
					}
				}
			}
		}
		if !found {
			t.Fatal("no function reads help desk API tokens (CARECOACH_HELPDESK_TOKENS_PATH)")
		}
	})
	for _, f := range tmpl.Functions() {
		for _, s := range statementsOf(tmpl, f.ID, "iam:PassRole") {
			if v := samtemplate.Get(s.Node, "Condition", "StringEquals", "iam:PassedToService"); v == nil || v.Value != "scheduler.amazonaws.com" {
				t.Errorf("%s (line %d): iam:PassRole without iam:PassedToService scheduler.amazonaws.com", s.Where, s.Node.Line)
			}
		}
	}
	t.Run("the Scheduler role trusts only this stack's schedule group", func(t *testing.T) {
		trust := samtemplate.Items(get(t, resource(t, tmpl, "SchedulerRole").Properties(), "AssumeRolePolicyDocument", "Statement"))
		for _, st := range trust {
			if v := samtemplate.Get(st, "Condition", "StringEquals", "aws:SourceAccount"); !refersTo(v, "AWS::AccountId") {
				t.Errorf("trust statement line %d: aws:SourceAccount is %s, want the account", st.Line, samtemplate.Describe(v))
			}
			v := samtemplate.Get(st, "Condition", "ArnEquals", "aws:SourceArn")
			if v == nil {
				v = samtemplate.Get(st, "Condition", "ArnLike", "aws:SourceArn")
			}
			if !refersTo(v, "ScheduleGroup") {
				t.Errorf("trust statement line %d: aws:SourceArn is %s, want the schedule group", st.Line, samtemplate.Describe(v))
			}
		}
	})
}

// The reply rule goes into the stack's own rule set, or into a rule set
// already active in the region; either way the bucket policy and the
// Lambda permission name that very rule, so SES may store and invoke.
func TestTheReplyRuleCanJoinTheRegionsActiveRuleSet(t *testing.T) {
	tmpl := template(t)
	rule := resource(t, tmpl, "ReplyReceiptRule").Properties()
	var sesPut *yaml.Node
	for _, st := range samtemplate.Items(get(t, resource(t, tmpl, "InboundMailBucketPolicy").Properties(), "PolicyDocument", "Statement")) {
		if slices.Contains(samtemplate.Strings(samtemplate.Get(st, "Principal", "Service")), "ses.amazonaws.com") {
			sesPut = get(t, st, "Condition", "ArnLike", "aws:SourceArn")
		}
	}
	if sesPut == nil {
		t.Fatal("the bucket policy has no statement for ses.amazonaws.com")
	}
	permission := get(t, resource(t, tmpl, "InboundPermission").Properties(), "SourceArn")
	for _, tc := range []struct {
		existing, wantSet string
		creates           bool
	}{{"", "carecoach-prod", true}, {"mail-default", "mail-default", false}} {
		refs := map[string]string{"AWS::Partition": "aws", "AWS::Region": "eu-west-1", "AWS::AccountId": "123456789012", "Stage": "prod",
			"ExistingReceiptRuleSet": tc.existing, "Condition:CreatesReceiptRuleSet": strconv.FormatBool(tc.creates)}
		if tc.creates {
			refs["ReceiptRuleSet"] = "carecoach-prod" // Ref of a rule set is its name
		}
		set, err := samtemplate.Resolve(get(t, rule, "RuleSetName"), refs)
		if err != nil {
			t.Fatal(err)
		}
		name, err := samtemplate.Resolve(get(t, rule, "Rule", "Name"), refs)
		if err != nil {
			t.Fatal(err)
		}
		if set != tc.wantSet {
			t.Errorf("with ExistingReceiptRuleSet %q the rule goes into %q, want %q", tc.existing, set, tc.wantSet)
		}
		ruleARN := "arn:aws:ses:eu-west-1:123456789012:receipt-rule-set/" + set + ":receipt-rule/" + name
		for what, n := range map[string]*yaml.Node{"the bucket policy": sesPut, "the Lambda permission": permission} {
			got, err := samtemplate.Resolve(n, refs)
			if err != nil {
				t.Fatal(err)
			}
			if got != ruleARN {
				t.Errorf("with ExistingReceiptRuleSet %q, %s names %s, want the rule %s", tc.existing, what, got, ruleARN)
			}
		}
	}
	if c := samtemplate.Get(resource(t, tmpl, "ReceiptRuleSet").Node, "Condition"); c == nil || c.Value != "CreatesReceiptRuleSet" {
		t.Errorf("the stack's rule set is created unconditionally (%s): it must not be when joining another", samtemplate.Describe(c))
	}
}
