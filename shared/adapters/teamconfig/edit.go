package teamconfig

import (
	"bytes"
	"fmt"
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/carecoach/carecoach/shared/core/care"
)

// The edits below change one connection in a team file and leave the rest
// as it was: comments are kept, spacing is normalised (two-space
// indentation, one space before a line comment). Each returns the new file
// and the team it parses to, validated as Parse validates; nothing is
// returned when the result would be invalid.

// SetConnection adds connection c to the team file, or updates the
// connection with its id: its kind (which must not change), baseUrl and
// api email and tokenParam are set from c; its other settings (timezone,
// api.backfillDays) are kept.
func SetConnection(data []byte, c care.Connection) ([]byte, care.Team, error) {
	doc, err := document(data)
	if err != nil {
		return nil, care.Team{}, err
	}
	conns := mapValue(doc, "connections")
	if conns == nil || conns.Kind != yaml.SequenceNode {
		conns = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		mapSet(doc, "connections", conns)
	}
	conns.Style = 0
	item := connectionNode(conns, c.ID)
	if item == nil {
		item = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		mapSet(item, "id", scalar(c.ID))
		conns.Content = append(conns.Content, item)
	} else if kind := mapValue(item, "kind"); kind != nil && kind.Value != string(c.Kind) {
		return nil, care.Team{}, fmt.Errorf("connection %s is a %s connection in the team file, not %s: pick another connection id", c.ID, kind.Value, c.Kind)
	}
	mapSet(item, "kind", scalar(string(c.Kind)))
	if c.BaseURL != "" {
		mapSet(item, "baseUrl", scalar(c.BaseURL))
	}
	if c.API != nil {
		api := mapValue(item, "api")
		if api == nil || api.Kind != yaml.MappingNode {
			api = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			mapSet(item, "api", api)
		}
		if c.API.Email != "" {
			mapSet(api, "email", scalar(c.API.Email))
		}
		mapSet(api, "tokenParam", scalar(c.API.TokenParam))
	}
	return encode(doc, data)
}

// RemoveConnection takes connection id out of the team file, and its user
// ids out of every member's helpdeskIds (they would name a connection the
// team does not have). found is false when the file has no such
// connection; the file is then returned as it was.
func RemoveConnection(data []byte, id string) (out []byte, team care.Team, found bool, err error) {
	doc, err := document(data)
	if err != nil {
		return nil, care.Team{}, false, err
	}
	conns := mapValue(doc, "connections")
	item := connectionNode(conns, id)
	if item == nil {
		team, err := Parse(data)
		return data, team, false, err
	}
	conns.Content = slices.DeleteFunc(conns.Content, func(n *yaml.Node) bool { return n == item })
	if members := mapValue(doc, "members"); members != nil {
		for _, m := range members.Content {
			if ids := mapValue(m, "helpdeskIds"); ids != nil {
				mapDelete(ids, id)
			}
		}
	}
	out, team, err = encode(doc, data)
	return out, team, true, err
}

func document(data []byte) (*yaml.Node, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("team config: %w", err)
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 || root.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("team config: not a YAML mapping")
	}
	return root.Content[0], nil
}

func encode(doc *yaml.Node, original []byte) ([]byte, care.Team, error) {
	var buf bytes.Buffer
	// The comment lines before the first key belong to the document node.
	var root yaml.Node
	_ = yaml.Unmarshal(original, &root)
	root.Content = []*yaml.Node{doc}
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&root); err != nil {
		return nil, care.Team{}, fmt.Errorf("team config: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, care.Team{}, fmt.Errorf("team config: %w", err)
	}
	team, err := Parse(buf.Bytes())
	if err != nil {
		return nil, care.Team{}, err
	}
	return buf.Bytes(), team, nil
}

func connectionNode(conns *yaml.Node, id string) *yaml.Node {
	if conns == nil {
		return nil
	}
	for _, item := range conns.Content {
		if v := mapValue(item, "id"); v != nil && v.Value == id {
			return item
		}
	}
	return nil
}

func scalar(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v} }

func mapValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func mapSet(m *yaml.Node, key string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			old := m.Content[i+1]
			v.LineComment, v.HeadComment, v.FootComment = old.LineComment, old.HeadComment, old.FootComment
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, scalar(key), v)
}

func mapDelete(m *yaml.Node, key string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = slices.Delete(m.Content, i, i+2)
			return
		}
	}
}
