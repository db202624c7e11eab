package samtemplate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// Tool versions the template checks were made with. infra/setup.sh checks
// for them; the CI machines have them installed (PyPI is not reachable
// there).
const (
	SAMTranslatorVersion = "1.110.0"
	CFNLintVersion       = "1.51.0"
)

// ToolsMissing explains how to get the template tools.
const ToolsMissing = "the template checks need python3 with aws-sam-translator " + SAMTranslatorVersion +
	" and cfn-lint " + CFNLintVersion + " on PATH: `pip install aws-sam-translator==" + SAMTranslatorVersion +
	" cfn-lint==" + CFNLintVersion + "` (infra/setup.sh, run by `make setup`, checks for them)"

// Translate runs infra/samtranslate.py (aws-sam-translator, offline) on the
// module's template.yaml and returns the CloudFormation template SAM would
// deploy, as JSON.
func Translate(root string) ([]byte, error) {
	cmd := exec.Command("python3", filepath.Join(root, "infra", "samtranslate.py"), filepath.Join(root, "template.yaml"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if errors.Is(err, exec.ErrNotFound) {
		return nil, errors.New(ToolsMissing)
	}
	if err != nil {
		return nil, fmt.Errorf("translate template.yaml: %v: %s (%s)", err, strings.TrimSpace(stderr.String()), ToolsMissing)
	}
	return out, nil
}

// Finding is one cfn-lint result.
type Finding struct {
	Level    string // Error, Warning, Informational
	Rule     string // e.g. I3011
	File     string
	Line     int
	Path     []any // the JSON path in the template, e.g. [Resources Table]
	Message  string
	Resource string // the logical id the path starts with, if any
}

func (f Finding) String() string {
	where := ""
	if f.Resource != "" {
		where = " (" + f.Resource + ")"
	}
	return fmt.Sprintf("%s:%d: %s %s%s: %s", filepath.Base(f.File), f.Line, f.Level, f.Rule, where, f.Message)
}

// Lint runs cfn-lint, informational checks included, on templates and
// returns every finding.
func Lint(templates ...string) ([]Finding, error) {
	args := append([]string{"--include-checks", "I", "--format", "json", "--"}, templates...)
	cmd := exec.Command("cfn-lint", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if errors.Is(err, exec.ErrNotFound) {
		return nil, errors.New(ToolsMissing)
	}
	// cfn-lint exits non-zero when it finds something: the JSON says what.
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return nil, fmt.Errorf("cfn-lint: %w", err)
	}
	var raw []struct {
		Filename string
		Level    string
		Location struct {
			Start struct{ LineNumber int }
			Path  []any
		}
		Message string
		Rule    struct {
			ID string `json:"Id"`
		}
	}
	if jerr := json.Unmarshal(out, &raw); jerr != nil {
		return nil, fmt.Errorf("cfn-lint output is not its JSON (%v): %s %s", jerr, out, stderr.String())
	}
	var fs []Finding
	for _, r := range raw {
		f := Finding{Level: r.Level, Rule: r.Rule.ID, File: r.Filename, Line: r.Location.Start.LineNumber, Path: r.Location.Path, Message: r.Message}
		if len(f.Path) >= 2 && f.Path[0] == "Resources" {
			f.Resource, _ = f.Path[1].(string)
		}
		fs = append(fs, f)
	}
	return fs, nil
}

// CFN is a CloudFormation template in JSON form (what Translate returns).
type CFN struct {
	Resources map[string]CFNResource
}

// CFNResource is one resource of a CFN template.
type CFNResource struct {
	Type       string
	Properties map[string]any
}

// ParseCFN reads a JSON CloudFormation template.
func ParseCFN(b []byte) (*CFN, error) {
	var t CFN
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("parse translated template: %w", err)
	}
	if len(t.Resources) == 0 {
		return nil, errors.New("parse translated template: no resources")
	}
	return &t, nil
}

// ManagedPolicies are the AWS managed policies SAM attaches to function
// roles, with the actions each allows (from the IAM console; they change
// rarely). A role with any other managed policy cannot be checked.
var ManagedPolicies = map[string][]string{
	"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole": {
		"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"},
	"arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole": {
		"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams",
		"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"},
	"arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess": {
		"xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries"},
}

// Grant is one action a role allows, and where.
type Grant struct {
	Action    string
	Resources []any  // the statement's Resource values, as JSON
	Policy    string // the inline policy name or the managed policy ARN
}

// Role is what a function's execution role allows.
type Role struct {
	ID     string
	Grants []Grant
}

// Allows says whether the role allows action, and (when resource is not
// nil) on a resource value that refers to that logical id.
func (r Role) Allows(action string, resource string) bool {
	for _, g := range r.Grants {
		if g.Action != action {
			continue
		}
		if resource == "" || strings.HasPrefix(g.Policy, "arn:") {
			return true
		}
		for _, v := range g.Resources {
			if slices.Contains(cfnRefers(v), resource) {
				return true
			}
		}
	}
	return false
}

// Inline lists the actions the role's own policies allow.
func (r Role) Inline() []string {
	set := map[string]bool{}
	for _, g := range r.Grants {
		if !strings.HasPrefix(g.Policy, "arn:") {
			set[g.Action] = true
		}
	}
	return sortedKeys(set)
}

// FunctionRole finds the execution role of function id (its Role property)
// and lists what it allows.
func (t *CFN) FunctionRole(id string) (Role, error) {
	fn, ok := t.Resources[id]
	if !ok || fn.Type != "AWS::Lambda::Function" {
		return Role{}, fmt.Errorf("no AWS::Lambda::Function %s in the translated template", id)
	}
	refs := cfnRefers(fn.Properties["Role"])
	if len(refs) != 1 {
		return Role{}, fmt.Errorf("%s: Role %v is not a role of this template", id, fn.Properties["Role"])
	}
	res, ok := t.Resources[refs[0]]
	if !ok || res.Type != "AWS::IAM::Role" {
		return Role{}, fmt.Errorf("%s: its role %s is not an AWS::IAM::Role", id, refs[0])
	}
	role := Role{ID: refs[0]}
	for _, arn := range asList(res.Properties["ManagedPolicyArns"]) {
		s := fmt.Sprint(arnString(arn))
		actions, ok := ManagedPolicies[s]
		if !ok {
			return Role{}, fmt.Errorf("%s: managed policy %v: its actions are not in samtemplate.ManagedPolicies", role.ID, arn)
		}
		for _, a := range actions {
			role.Grants = append(role.Grants, Grant{Action: a, Policy: s})
		}
	}
	for _, p := range asList(res.Properties["Policies"]) {
		pm, _ := p.(map[string]any)
		name := fmt.Sprint(pm["PolicyName"])
		doc, _ := pm["PolicyDocument"].(map[string]any)
		for _, st := range asList(doc["Statement"]) {
			sm, _ := st.(map[string]any)
			if sm["Effect"] != "Allow" {
				continue
			}
			if _, ok := sm["NotAction"]; ok {
				return Role{}, fmt.Errorf("%s: policy %s uses NotAction, which this check cannot follow", role.ID, name)
			}
			for _, a := range asList(sm["Action"]) {
				role.Grants = append(role.Grants, Grant{Action: fmt.Sprint(a), Resources: asList(sm["Resource"]), Policy: name})
			}
		}
	}
	return role, nil
}

// Need is an action a function's role must allow for the platform (not its
// code): reading the stream that triggers it, sending to its failure queue,
// writing logs and traces.
type Need struct {
	Action string
	// Resource is the logical id the action must be allowed on, "" for any.
	Resource string
	Why      string
}

// PlatformNeeds lists what function id's role must allow for Lambda itself,
// from the translated template: its log writes, every event source
// mapping (a DynamoDB stream: reading it; an on-failure destination:
// sqs:SendMessage to it), its asynchronous invocation config's
// destinations, and X-Ray when tracing is configured.
func (t *CFN) PlatformNeeds(id string) ([]Need, error) {
	needs := []Need{
		{Action: "logs:CreateLogStream", Why: "Lambda writes the function's logs"},
		{Action: "logs:PutLogEvents", Why: "Lambda writes the function's logs"},
	}
	destination := func(where string, d any) error {
		dm, _ := d.(map[string]any)
		if dm == nil {
			return nil
		}
		refs := cfnRefers(dm["Destination"])
		if len(refs) != 1 {
			return fmt.Errorf("%s: destination %v is not a resource of this template", where, dm["Destination"])
		}
		switch typ := t.Resources[refs[0]].Type; typ {
		case "AWS::SQS::Queue":
			needs = append(needs, Need{Action: "sqs:SendMessage", Resource: refs[0], Why: where + " sends failed events to " + refs[0]})
		default:
			return fmt.Errorf("%s: destination %s is a %s, which this check does not know", where, refs[0], typ)
		}
		return nil
	}
	ids := make([]string, 0, len(t.Resources))
	for rid := range t.Resources {
		ids = append(ids, rid)
	}
	sort.Strings(ids)
	for _, rid := range ids {
		r := t.Resources[rid]
		if !slices.Contains(cfnRefers(r.Properties["FunctionName"]), id) {
			continue
		}
		switch r.Type {
		case "AWS::Lambda::EventSourceMapping":
			src := fmt.Sprint(r.Properties["EventSourceArn"])
			if strings.Contains(src, "StreamArn") {
				for _, a := range []string{"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"} {
					needs = append(needs, Need{Action: a, Why: rid + " reads a DynamoDB stream"})
				}
			}
			dc, _ := r.Properties["DestinationConfig"].(map[string]any)
			if err := destination(rid+" OnFailure", dc["OnFailure"]); err != nil {
				return nil, err
			}
		case "AWS::Lambda::EventInvokeConfig":
			dc, _ := r.Properties["DestinationConfig"].(map[string]any)
			if err := destination(rid+" OnFailure", dc["OnFailure"]); err != nil {
				return nil, err
			}
			if err := destination(rid+" OnSuccess", dc["OnSuccess"]); err != nil {
				return nil, err
			}
		}
	}
	if fn, ok := t.Resources[id]; ok {
		if _, traced := fn.Properties["TracingConfig"]; traced {
			needs = append(needs,
				Need{Action: "xray:PutTraceSegments", Why: "tracing is configured"},
				Need{Action: "xray:PutTelemetryRecords", Why: "tracing is configured"})
		}
	}
	return needs, nil
}

// cfnRefers lists the logical ids a JSON value refers to with Ref,
// Fn::GetAtt or ${...} in Fn::Sub, anywhere inside it.
func cfnRefers(v any) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if r, ok := v["Ref"].(string); ok && len(v) == 1 {
				out = append(out, r)
				return
			}
			if g, ok := v["Fn::GetAtt"]; ok && len(v) == 1 {
				switch g := g.(type) {
				case []any:
					if len(g) > 0 {
						out = append(out, fmt.Sprint(g[0]))
					}
				case string:
					id, _, _ := strings.Cut(g, ".")
					out = append(out, id)
				}
				return
			}
			if s, ok := v["Fn::Sub"]; ok && len(v) == 1 {
				str := s
				if l, ok := s.([]any); ok && len(l) > 0 {
					str = l[0]
					if len(l) > 1 {
						walk(l[1])
					}
				}
				if str, ok := str.(string); ok {
					for _, m := range subVar.FindAllStringSubmatch(str, -1) {
						id, _, _ := strings.Cut(m[1], ".")
						out = append(out, id)
					}
				}
				return
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	return out
}

// arnString renders a managed policy ARN, which SAM writes with
// ${AWS::Partition} as an Fn::Sub, as the aws-partition ARN.
func arnString(v any) string {
	if m, ok := v.(map[string]any); ok {
		if s, ok := m["Fn::Sub"].(string); ok {
			return strings.ReplaceAll(s, "${AWS::Partition}", "aws")
		}
	}
	return fmt.Sprint(v)
}

func asList(v any) []any {
	switch v := v.(type) {
	case nil:
		return nil
	case []any:
		return v
	default:
		return []any{v}
	}
}
