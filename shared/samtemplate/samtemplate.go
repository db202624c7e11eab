// Package samtemplate reads template.yaml as YAML node trees, which keep the
// CloudFormation short-form tags (!Ref, !GetAtt, !Sub, !If) that a plain
// unmarshal into maps would lose, and holds the checks the template tests
// run: IAM statements that grant every resource, secrets in the template,
// and the link between each function, its Makefile target and its code.
package samtemplate

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Template is a parsed SAM template.
type Template struct {
	// Root is the document's top-level mapping.
	Root *yaml.Node
}

// Parse reads a template.
func Parse(b []byte) (*Template, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("parse template: %w", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("parse template: not a YAML mapping")
	}
	return &Template{Root: doc.Content[0]}, nil
}

// Get follows mapping keys from n; it returns nil when one is missing or a
// node on the way is not a mapping.
func Get(n *yaml.Node, path ...string) *yaml.Node {
	for _, k := range path {
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				next = n.Content[i+1]
				break
			}
		}
		n = next
	}
	return n
}

// Pair is one key and value of a mapping.
type Pair struct {
	Key   string
	Value *yaml.Node
}

// Pairs returns a mapping's entries in document order (none for a nil or
// non-mapping node).
func Pairs(n *yaml.Node) []Pair {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	out := make([]Pair, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		out = append(out, Pair{n.Content[i].Value, n.Content[i+1]})
	}
	return out
}

// Items returns a sequence's items, or the node itself when it is a single
// value where a list is allowed (IAM's Action: x or Action: [x, y]).
func Items(n *yaml.Node) []*yaml.Node {
	switch {
	case n == nil:
		return nil
	case n.Kind == yaml.SequenceNode && !isIntrinsic(n):
		return n.Content
	default:
		return []*yaml.Node{n}
	}
}

// Strings returns the plain scalar items of n (see Items).
func Strings(n *yaml.Node) []string {
	var out []string
	for _, it := range Items(n) {
		if it.Kind == yaml.ScalarNode && !isIntrinsic(it) {
			out = append(out, it.Value)
		}
	}
	return out
}

// Resource is one entry of Resources.
type Resource struct {
	ID   string
	Type string
	Node *yaml.Node
}

// Properties is the resource's Properties mapping (nil if it has none).
func (r Resource) Properties() *yaml.Node { return Get(r.Node, "Properties") }

// Resources lists the template's resources in document order.
func (t *Template) Resources() []Resource {
	var out []Resource
	for _, p := range Pairs(Get(t.Root, "Resources")) {
		typ := ""
		if n := Get(p.Value, "Type"); n != nil {
			typ = n.Value
		}
		out = append(out, Resource{ID: p.Key, Type: typ, Node: p.Value})
	}
	return out
}

// Resource finds a resource by logical id.
func (t *Template) Resource(id string) (Resource, bool) {
	for _, r := range t.Resources() {
		if r.ID == id {
			return r, true
		}
	}
	return Resource{}, false
}

// FunctionType is the SAM function resource type.
const FunctionType = "AWS::Serverless::Function"

// Function is an AWS::Serverless::Function with its Globals applied where
// the checks need them.
type Function struct {
	Resource
	// Env is every environment variable the function gets: the Globals'
	// and its own (its own win), by name.
	Env map[string]*yaml.Node
}

// Functions lists the template's functions in document order.
func (t *Template) Functions() []Function {
	global := Get(t.Root, "Globals", "Function", "Environment", "Variables")
	var out []Function
	for _, r := range t.Resources() {
		if r.Type != FunctionType {
			continue
		}
		env := map[string]*yaml.Node{}
		for _, p := range Pairs(global) {
			env[p.Key] = p.Value
		}
		for _, p := range Pairs(Get(r.Properties(), "Environment", "Variables")) {
			env[p.Key] = p.Value
		}
		out = append(out, Function{Resource: r, Env: env})
	}
	return out
}

// Property returns a function property, falling back to Globals.Function.
func (t *Template) Property(f Function, name string) *yaml.Node {
	if n := Get(f.Properties(), name); n != nil {
		return n
	}
	return Get(t.Root, "Globals", "Function", name)
}

// EnvNames returns the names of f's environment variables, sorted.
func (f Function) EnvNames() []string {
	names := make([]string, 0, len(f.Env))
	for k := range f.Env {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// Trigger is one way a function gets invoked.
type Trigger struct {
	// Kind is the SAM event type (HttpApi, DynamoDB, ...) for Events
	// entries, or Scheduler / SES for invocations configured elsewhere in
	// the template.
	Kind string
	// Name is the event's name, or the logical id of the resource that
	// makes the invocation (the Scheduler role, the receipt rule).
	Name string
	// Node is the event's Properties, or the resource's node.
	Node *yaml.Node
}

// Scheduler and SES are the trigger kinds found outside Events.
const (
	TriggerScheduler = "Scheduler"
	TriggerSES       = "SES"
)

// Triggers lists how function id is invoked: its Events, every IAM role
// that EventBridge Scheduler assumes and that may invoke it, every
// AWS::Scheduler::Schedule targeting it, and every SES receipt rule with a
// Lambda action on it.
func (t *Template) Triggers(id string) []Trigger {
	var out []Trigger
	if r, ok := t.Resource(id); ok {
		for _, p := range Pairs(Get(r.Properties(), "Events")) {
			kind := ""
			if n := Get(p.Value, "Type"); n != nil {
				kind = n.Value
			}
			out = append(out, Trigger{Kind: kind, Name: p.Key, Node: Get(p.Value, "Properties")})
		}
	}
	for _, r := range t.Resources() {
		switch r.Type {
		case "AWS::IAM::Role":
			if !trusts(Get(r.Properties(), "AssumeRolePolicyDocument"), "scheduler.amazonaws.com") {
				continue
			}
			for _, st := range statementsIn(r.Properties(), "") {
				if st.Effect == "Allow" && slices.Contains(st.Actions, "lambda:InvokeFunction") && refersToAny(st.Resources, id) {
					out = append(out, Trigger{Kind: TriggerScheduler, Name: r.ID, Node: r.Node})
					break
				}
			}
		case "AWS::Scheduler::Schedule":
			if slices.Contains(Refers(Get(r.Properties(), "Target", "Arn")), id) {
				out = append(out, Trigger{Kind: TriggerScheduler, Name: r.ID, Node: r.Node})
			}
		case "AWS::SES::ReceiptRule":
			for _, a := range Items(Get(r.Properties(), "Rule", "Actions")) {
				if slices.Contains(Refers(Get(a, "LambdaAction", "FunctionArn")), id) {
					out = append(out, Trigger{Kind: TriggerSES, Name: r.ID, Node: r.Node})
					break
				}
			}
		}
	}
	return out
}

// Permitted says whether an AWS::Lambda::Permission lets principal invoke
// function id.
func (t *Template) Permitted(id, principal string) bool {
	for _, r := range t.Resources() {
		if r.Type != "AWS::Lambda::Permission" {
			continue
		}
		p := r.Properties()
		if n := Get(p, "Principal"); n != nil && n.Value == principal && slices.Contains(Refers(Get(p, "FunctionName")), id) {
			return true
		}
	}
	return false
}

func trusts(doc *yaml.Node, service string) bool {
	for _, st := range Items(Get(doc, "Statement")) {
		if slices.Contains(Strings(Get(st, "Principal", "Service")), service) {
			return true
		}
	}
	return false
}

func refersToAny(nodes []*yaml.Node, id string) bool {
	for _, n := range nodes {
		if slices.Contains(Refers(n), id) {
			return true
		}
	}
	return false
}

// Intrinsic function tags and their long forms.
var longForms = map[string]string{"Ref": "!Ref", "Fn::GetAtt": "!GetAtt", "Fn::Sub": "!Sub", "Fn::If": "!If", "Fn::Join": "!Join",
	"Fn::Select": "!Select", "Fn::ImportValue": "!ImportValue", "Fn::FindInMap": "!FindInMap", "Fn::Equals": "!Equals", "Fn::Not": "!Not"}

// isIntrinsic: short-form tags are local (!Ref); yaml.v3 gives every
// other node a standard tag (!!str, !!seq, !!map).
func isIntrinsic(n *yaml.Node) bool {
	return strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!")
}

// Intrinsic returns the intrinsic function n calls, in short form ("!Ref"),
// and its argument; "" when n is a plain value.
func Intrinsic(n *yaml.Node) (string, *yaml.Node) {
	if n == nil {
		return "", nil
	}
	if isIntrinsic(n) {
		return n.Tag, n
	}
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 {
		if short, ok := longForms[n.Content[0].Value]; ok {
			return short, n.Content[1]
		}
	}
	return "", nil
}

var subVar = regexp.MustCompile(`\$\{([^}!][^}]*)\}`)

// Refers returns the logical ids (and parameter names) that n refers to
// through !Ref, !GetAtt or ${...} in !Sub, anywhere inside it.
func Refers(n *yaml.Node) []string {
	var out []string
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil {
			return
		}
		fn, arg := Intrinsic(n)
		switch fn {
		case "!Ref":
			out = append(out, arg.Value)
			return
		case "!GetAtt":
			if arg.Kind == yaml.ScalarNode {
				id, _, _ := strings.Cut(arg.Value, ".")
				out = append(out, id)
			} else if len(arg.Content) > 0 {
				out = append(out, arg.Content[0].Value)
			}
			return
		case "!Sub":
			s := arg
			if arg.Kind == yaml.SequenceNode && len(arg.Content) > 0 {
				s = arg.Content[0]
				if len(arg.Content) > 1 {
					for _, p := range Pairs(arg.Content[1]) {
						walk(p.Value)
					}
				}
			}
			for _, m := range subVar.FindAllStringSubmatch(s.Value, -1) {
				id, _, _ := strings.Cut(m[1], ".")
				out = append(out, id)
			}
			return
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return out
}

// Resolve evaluates a value the way CloudFormation would, given what each
// reference stands for: refs["Stage"] for !Ref Stage or ${Stage},
// refs["Table"] for !Ref Table, refs["FireFunction.Arn"] for !GetAtt
// FireFunction.Arn or ${FireFunction.Arn}, and refs["Condition:Name"]
// ("true" or "false") for a condition. It supports plain scalars, !Ref,
// !GetAtt, !Sub (with or without its own variables) and !If; anything
// else, or a reference refs does not have, is an error.
func Resolve(n *yaml.Node, refs map[string]string) (string, error) {
	fn, arg := Intrinsic(n)
	lookup := func(k string) (string, error) {
		v, ok := refs[k]
		if !ok {
			return "", fmt.Errorf("line %d: no value for %s", n.Line, k)
		}
		return v, nil
	}
	switch fn {
	case "":
		if n.Kind != yaml.ScalarNode {
			return "", fmt.Errorf("line %d: not a scalar", n.Line)
		}
		return n.Value, nil
	case "!Ref":
		return lookup(arg.Value)
	case "!GetAtt":
		if arg.Kind == yaml.SequenceNode {
			return lookup(strings.Join(Strings(arg), "."))
		}
		return lookup(arg.Value)
	case "!If":
		if arg.Kind != yaml.SequenceNode || len(arg.Content) != 3 {
			return "", fmt.Errorf("line %d: !If wants [condition, then, else]", n.Line)
		}
		c, err := lookup("Condition:" + arg.Content[0].Value)
		if err != nil {
			return "", err
		}
		if c == "true" {
			return Resolve(arg.Content[1], refs)
		}
		return Resolve(arg.Content[2], refs)
	case "!Sub":
		str, vars := arg, map[string]string{}
		if arg.Kind == yaml.SequenceNode {
			if len(arg.Content) != 2 || arg.Content[0].Kind != yaml.ScalarNode {
				return "", fmt.Errorf("line %d: !Sub wants a string or [string, variables]", n.Line)
			}
			str = arg.Content[0]
			for _, p := range Pairs(arg.Content[1]) {
				v, err := Resolve(p.Value, refs)
				if err != nil {
					return "", err
				}
				vars[p.Key] = v
			}
		} else if arg.Kind != yaml.ScalarNode {
			return "", fmt.Errorf("line %d: !Sub wants a string or [string, variables]", n.Line)
		}
		var err error
		out := subVar.ReplaceAllStringFunc(str.Value, func(m string) string {
			name := m[2 : len(m)-1]
			if v, ok := vars[name]; ok {
				return v
			}
			v, e := lookup(name)
			if e != nil && err == nil {
				err = e
			}
			return v
		})
		return out, err
	}
	return "", fmt.Errorf("line %d: cannot resolve %s", n.Line, fn)
}

// Describe renders a value for messages: `!Ref Table`, `"inbound/"`.
func Describe(n *yaml.Node) string {
	if n == nil {
		return "<missing>"
	}
	b, err := yaml.Marshal(n)
	if err != nil {
		return n.Value
	}
	return strings.TrimSpace(string(b))
}

// Statement is an IAM policy statement found somewhere in the template.
type Statement struct {
	// Where locates it, e.g. "Resources.FireFunction.Properties.Policies[0].Statement[1]".
	Where     string
	Effect    string
	Actions   []string
	NotAction bool
	// Resources are the Resource items; NotResource says the statement
	// used NotResource instead.
	Resources   []*yaml.Node
	NotResource bool
	Node        *yaml.Node
}

// Statements returns every IAM statement in the template: inline function
// policies, role and managed policies, bucket, queue and topic policies,
// trust policies; any mapping key "Statement" holding statements counts.
func (t *Template) Statements() []Statement {
	return statementsIn(t.Root, "")
}

func statementsIn(n *yaml.Node, where string) []Statement {
	var out []Statement
	var walk func(n *yaml.Node, where string)
	walk = func(n *yaml.Node, where string) {
		switch n.Kind {
		case yaml.MappingNode:
			for _, p := range Pairs(n) {
				at := strings.TrimPrefix(where+"."+p.Key, ".")
				if p.Key == "Statement" {
					list := Items(p.Value)
					for i, st := range list {
						if st.Kind != yaml.MappingNode || Get(st, "Effect") == nil {
							continue
						}
						w := at
						if p.Value.Kind == yaml.SequenceNode {
							w = fmt.Sprintf("%s[%d]", at, i)
						}
						out = append(out, statement(st, w))
					}
					continue
				}
				walk(p.Value, at)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(c, fmt.Sprintf("%s[%d]", where, i))
			}
		}
	}
	walk(n, where)
	return out
}

func statement(n *yaml.Node, where string) Statement {
	s := Statement{Where: where, Effect: Get(n, "Effect").Value, Node: n}
	if a := Get(n, "Action"); a != nil {
		s.Actions = Strings(a)
	} else if a := Get(n, "NotAction"); a != nil {
		s.Actions, s.NotAction = Strings(a), true
	}
	if r := Get(n, "Resource"); r != nil {
		s.Resources = Items(r)
	} else if r := Get(n, "NotResource"); r != nil {
		s.Resources, s.NotResource = Items(r), true
	}
	return s
}

// GrantsEveryResource says whether the statement allows its actions on
// Resource "*" (alone or in a list), or on everything but NotResource.
func (s Statement) GrantsEveryResource() bool {
	if s.Effect != "Allow" {
		return false
	}
	if s.NotResource {
		return true
	}
	for _, r := range s.Resources {
		if fn, _ := Intrinsic(r); fn == "" && r.Kind == yaml.ScalarNode && r.Value == "*" {
			return true
		}
	}
	return false
}

// WildcardProblems lists the Allow statements that grant every resource,
// except those whose every action is in allowed (actions that have no
// resource-level permission in IAM). It also lists function policies that
// are not inline statements (managed policies, SAM policy templates) and
// roles' managed policy ARNs: their resources cannot be checked here.
//
// A key policy's Resource "*" is exempt: in a key policy it means the key
// itself, and it is the only value KMS accepts there.
func WildcardProblems(t *Template, allowed map[string]string) []string {
	keyPolicies := map[string]bool{}
	for _, r := range t.Resources() {
		if r.Type == "AWS::KMS::Key" {
			keyPolicies["Resources."+r.ID+".Properties.KeyPolicy."] = true
		}
	}
	var out []string
	for _, s := range t.Statements() {
		if !s.GrantsEveryResource() {
			continue
		}
		if prefix, _, ok := strings.Cut(s.Where, "KeyPolicy."); ok && keyPolicies[prefix+"KeyPolicy."] && !s.NotResource {
			continue
		}
		if s.NotAction || len(s.Actions) == 0 {
			out = append(out, fmt.Sprintf("%s (line %d): allows every action but some on every resource", s.Where, s.Node.Line))
			continue
		}
		var scoped []string
		for _, a := range s.Actions {
			if _, ok := allowed[a]; !ok {
				scoped = append(scoped, a)
			}
		}
		if len(scoped) > 0 || s.NotResource {
			what := "Resource '*'"
			if s.NotResource {
				what = "NotResource"
			}
			out = append(out, fmt.Sprintf("%s (line %d): %s for %s, which can be scoped to resources", s.Where, s.Node.Line, what, strings.Join(scoped, ", ")))
		}
	}
	for _, f := range t.Functions() {
		for i, p := range Items(Get(f.Properties(), "Policies")) {
			if p.Kind == yaml.MappingNode && Get(p, "Statement") != nil {
				continue
			}
			out = append(out, fmt.Sprintf("Resources.%s.Properties.Policies[%d] (line %d): %s is not an inline statement, so its resources cannot be checked",
				f.ID, i, p.Line, Describe(p)))
		}
	}
	for _, r := range t.Resources() {
		if n := Get(r.Properties(), "ManagedPolicyArns"); n != nil {
			out = append(out, fmt.Sprintf("Resources.%s.Properties.ManagedPolicyArns (line %d): managed policies' resources cannot be checked", r.ID, n.Line))
		}
	}
	return out
}

// Parameter is one entry of Parameters.
type Parameter struct {
	Name    string
	Node    *yaml.Node
	Default *yaml.Node // nil when it has none
	NoEcho  bool
}

// Parameters lists the template's parameters in document order.
func (t *Template) Parameters() []Parameter {
	var out []Parameter
	for _, p := range Pairs(Get(t.Root, "Parameters")) {
		ne := Get(p.Value, "NoEcho")
		out = append(out, Parameter{Name: p.Key, Node: p.Value, Default: Get(p.Value, "Default"),
			NoEcho: ne != nil && strings.EqualFold(ne.Value, "true")})
	}
	return out
}

var (
	// secretWords are words of a name that say it holds a secret.
	secretWords = []string{"secret", "secrets", "password", "passwd", "token", "key", "apikey", "credential", "credentials", "privatekey"}
	// referenceWords, as a name's last word, say that it only names or
	// locates a secret (an SSM parameter name, a path, an ARN).
	referenceWords = []string{"param", "parameter", "path", "name", "arn", "id", "prefix"}
	// envSecretName is the rule for environment variable names.
	envSecretName = regexp.MustCompile(`SECRET|KEY|TOKEN|PASSWORD`)
	// pathLike is an SSM parameter name or path, literal or with ${...}:
	// /a/b/c, ${Prefix}/c, or an ARN.
	pathLike = regexp.MustCompile(`^(arn:\S+|(\$\{[^}]+\})*(/[A-Za-z0-9_.\-]*(\$\{[^}]+\}[A-Za-z0-9_.\-]*)*)+)$`)
	// knownSecret matches well-known credential formats.
	knownSecret = regexp.MustCompile(`(A3T[A-Z0-9]|AKIA|ASIA|AGPA|AIDA|AROA)[A-Z0-9]{16}|-----BEGIN [A-Z ]*PRIVATE KEY|\bsk_live_[0-9a-zA-Z]{10,}|\bxox[abposr]-|\bghp_[0-9A-Za-z]{20,}|\bgithub_pat_|\bAIza[0-9A-Za-z_\-]{35}`)
	longHex     = regexp.MustCompile(`^[0-9a-fA-F]{32,}$`)
	wordBreak   = regexp.MustCompile(`([a-z0-9])([A-Z])`)
)

// words splits a name like ReplyTokenKeyParam or CARECOACH_TOKEN_KEY_PARAM
// into lower-case words.
func words(name string) []string {
	name = wordBreak.ReplaceAllString(name, "${1}_${2}")
	return strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return r == '_' || r == '-' || r == '.' || r == ' ' })
}

// SecretName says whether a parameter name suggests that its value is a
// secret (WebhookSecret, ApiKey, DbPassword), and not just the name or
// path of one (TokenKeyParam, SecretsPath).
func SecretName(name string) bool {
	w := words(name)
	if len(w) == 0 || slices.Contains(referenceWords, w[len(w)-1]) {
		return false
	}
	for _, x := range w {
		if slices.Contains(secretWords, x) {
			return true
		}
	}
	return false
}

// LooksSecret says whether a literal value looks like a credential: a
// well-known key format, or a long random-looking token.
func LooksSecret(v string) bool {
	if knownSecret.MatchString(v) {
		return true
	}
	if len(v) < 20 || strings.ContainsAny(v, " \t\n") || pathLike.MatchString(v) ||
		strings.Contains(v, "://") || strings.Contains(v, "@") || strings.HasPrefix(v, "arn:") {
		return false
	}
	var lower, upper, digit, other bool
	for _, r := range v {
		switch {
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= '0' && r <= '9':
			digit = true
		default:
			other = true
		}
	}
	classes := 0
	for _, b := range []bool{lower, upper, digit, other} {
		if b {
			classes++
		}
	}
	return longHex.MatchString(v) || (classes >= 3 && entropy(v) >= 3.5)
}

// entropy is the Shannon entropy of s in bits per character.
func entropy(s string) float64 {
	counts := map[rune]int{}
	n := 0
	for _, r := range s {
		counts[r]++
		n++
	}
	h := 0.0
	for _, c := range counts {
		p := float64(c) / float64(n)
		h -= p * math.Log2(p)
	}
	return h
}

// SecretProblems lists secrets the template holds or exposes:
//   - a parameter whose name says it holds a secret must have NoEcho: true
//     and no Default (a default would be a secret committed with the
//     template);
//   - no parameter Default may look like a credential;
//   - an environment variable whose name contains SECRET, KEY, TOKEN or
//     PASSWORD must hold the name or path of a secret (an SSM path such as
//     !Sub /carecoach/${Stage}/reply-token-key, an ARN, or a reference to a
//     resource), never a literal or a secret parameter;
//   - no environment value may look like a credential, whatever its name.
func SecretProblems(t *Template) []string {
	var out []string
	params := map[string]Parameter{}
	for _, p := range t.Parameters() {
		params[p.Name] = p
		where := fmt.Sprintf("Parameters.%s (line %d)", p.Name, p.Node.Line)
		if SecretName(p.Name) {
			if !p.NoEcho {
				out = append(out, where+": a secret parameter without NoEcho: true")
			}
			if p.Default != nil && p.Default.Value != "" {
				out = append(out, where+": a secret parameter with a Default")
			}
		}
		if p.Default != nil && LooksSecret(p.Default.Value) {
			out = append(out, where+": its Default looks like a secret")
		}
	}
	// A parameter's value that ends up in an environment variable.
	secretParam := func(name string) bool {
		p, ok := params[name]
		return ok && (p.NoEcho || SecretName(name))
	}
	for _, f := range t.Functions() {
		for _, name := range f.EnvNames() {
			v := f.Env[name]
			where := fmt.Sprintf("%s: environment variable %s (line %d)", f.ID, name, v.Line)
			fn, arg := Intrinsic(v)
			for _, ref := range Refers(v) {
				if secretParam(ref) {
					out = append(out, fmt.Sprintf("%s: holds the secret parameter %s", where, ref))
				}
			}
			switch fn {
			case "":
				if v.Kind == yaml.ScalarNode && LooksSecret(v.Value) {
					out = append(out, where+": its value looks like a secret")
				} else if envSecretName.MatchString(name) && !pathLike.MatchString(v.Value) {
					out = append(out, fmt.Sprintf("%s: a literal %q where a parameter name or SSM path belongs", where, v.Value))
				}
			case "!Sub":
				s := arg.Value
				if arg.Kind == yaml.SequenceNode && len(arg.Content) > 0 {
					s = arg.Content[0].Value
				}
				if LooksSecret(subVar.ReplaceAllString(s, "")) {
					out = append(out, where+": its value looks like a secret")
				} else if envSecretName.MatchString(name) && !pathLike.MatchString(s) {
					out = append(out, fmt.Sprintf("%s: %q is not a parameter name or SSM path", where, s))
				}
			case "!Ref":
				if p, ok := params[arg.Value]; ok && envSecretName.MatchString(name) && !secretParam(arg.Value) &&
					(p.Default == nil || !pathLike.MatchString(p.Default.Value)) {
					out = append(out, fmt.Sprintf("%s: the parameter %s has no path-like Default, so nothing shows that it holds a name rather than a secret", where, arg.Value))
				}
			}
		}
	}
	return out
}

// Makefile is a parsed Makefile: its simple variables and its rules.
type Makefile struct {
	Vars    map[string]string
	Recipes map[string][]string // target -> recipe lines, unexpanded
}

var (
	makeVar    = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)\s*(:=|\?=|=)\s*(.*)$`)
	makeTarget = regexp.MustCompile(`^([A-Za-z0-9_.%/\-]+)\s*:([^=]|$)`)
	makeRef    = regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_]*)\)`)
)

// ParseMakefile reads variables (NAME := value) and rules (target: ...
// followed by tab-indented recipe lines). It is enough for this project's
// Makefile, not for make in general.
func ParseMakefile(b []byte) Makefile {
	mf := Makefile{Vars: map[string]string{}, Recipes: map[string][]string{}}
	var current []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "\t") {
			for _, tgt := range current {
				mf.Recipes[tgt] = append(mf.Recipes[tgt], strings.TrimSpace(line))
			}
			continue
		}
		current = nil
		if strings.HasPrefix(strings.TrimSpace(line), "#") || strings.TrimSpace(line) == "" {
			continue
		}
		if m := makeVar.FindStringSubmatch(line); m != nil {
			if _, set := mf.Vars[m[1]]; !(set && m[2] == "?=") {
				mf.Vars[m[1]] = strings.TrimSpace(m[3])
			}
			continue
		}
		if m := makeTarget.FindStringSubmatch(line); m != nil {
			current = []string{m[1]}
			mf.Recipes[m[1]] = []string{}
		}
	}
	return mf
}

// Expand replaces $(VAR) with the Makefile's variables, recursively; other
// references (e.g. $(ARTIFACTS_DIR), set by SAM) stay as they are.
func (mf Makefile) Expand(s string) string {
	for range 10 {
		next := makeRef.ReplaceAllStringFunc(s, func(m string) string {
			if v, ok := mf.Vars[m[2:len(m)-1]]; ok {
				return v
			}
			return m
		})
		if next == s {
			break
		}
		s = next
	}
	return s
}

var functionPackage = regexp.MustCompile(`(?:^|\s)\./functions/([A-Za-z0-9_-]+)(?:\s|$)`)

// BuildTarget returns the target SAM calls to build a function
// (build-<LogicalId>, for BuildMethod: makefile), its recipe with the
// Makefile's variables expanded, and the name of the functions/<name>
// package the recipe go-builds ("" if none).
func (mf Makefile) BuildTarget(logicalID string) (target string, recipe []string, name string) {
	target = "build-" + logicalID
	for _, line := range mf.Recipes[target] {
		line = mf.Expand(line)
		recipe = append(recipe, line)
		if m := functionPackage.FindStringSubmatch(line); m != nil && strings.Contains(line, "go build") {
			name = m[1]
		}
	}
	return target, recipe, name
}

// EnvRead is an environment variable a function's code reads.
type EnvRead struct {
	Name string
	// Required: read with awslambda.Env (missing fails start-up);
	// otherwise read with os.Getenv or os.LookupEnv.
	Required bool
	Pos      token.Position
}

// AWSLambdaPath is the import path of the package whose Env reads required
// variables.
const AWSLambdaPath = "github.com/carecoach/carecoach/shared/awslambda"

// EnvReads finds the environment variables read by the Go files of dir
// (tests excluded): string literal arguments of awslambda.Env (required)
// and of os.Getenv / os.LookupEnv (optional). A call whose argument is not
// a string literal is an error, since it cannot be checked.
func EnvReads(dir string) ([]EnvRead, error) {
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	var out []EnvRead
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		names := map[string]string{} // local package name -> import path
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			local := p[strings.LastIndex(p, "/")+1:]
			if imp.Name != nil {
				local = imp.Name.Name
			}
			names[local] = p
		}
		var bad error
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			pkg, ok := sel.X.(*ast.Ident)
			if !ok {
				return true
			}
			var required bool
			switch {
			case names[pkg.Name] == AWSLambdaPath && sel.Sel.Name == "Env":
				required = true
			case names[pkg.Name] == "os" && (sel.Sel.Name == "Getenv" || sel.Sel.Name == "LookupEnv"):
			default:
				return true
			}
			for _, a := range call.Args {
				lit, ok := a.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					if bad == nil {
						bad = fmt.Errorf("%s: %s.%s with a non-literal argument cannot be checked", fset.Position(a.Pos()), pkg.Name, sel.Sel.Name)
					}
					continue
				}
				name, _ := strconv.Unquote(lit.Value)
				out = append(out, EnvRead{Name: name, Required: required, Pos: fset.Position(lit.Pos())})
			}
			return true
		})
		if bad != nil {
			return nil, bad
		}
	}
	return out, nil
}

// SetByLambda says whether Lambda itself sets the variable (AWS_REGION,
// AWS_LAMBDA_FUNCTION_NAME, _HANDLER, LAMBDA_TASK_ROOT, TZ, ...), so the
// template need not.
func SetByLambda(name string) bool {
	return strings.HasPrefix(name, "AWS_") || strings.HasPrefix(name, "_") || strings.HasPrefix(name, "LAMBDA_") || name == "TZ"
}
