package samtemplate

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

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
