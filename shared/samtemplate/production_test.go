package samtemplate_test

import (
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/carecoach/carecoach/shared/samtemplate"
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
