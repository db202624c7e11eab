// Package samtemplate reads template.yaml as YAML node trees, which keep the
// CloudFormation short-form tags (!Ref, !GetAtt, !Sub, !If) that a plain
// unmarshal into maps would lose, and holds the checks the template tests
// run: IAM statements that grant every resource, secrets in the template,
// and the link between each function, its Makefile target and its code.
package samtemplate

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
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
