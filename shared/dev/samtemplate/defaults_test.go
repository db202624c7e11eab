package samtemplate_test

import (
	"testing"

	"github.com/carecoach/carecoach/shared/dev/samtemplate"
)

func TestARigKnowsEveryParameterWithADefault(t *testing.T) {
	tmpl, err := samtemplate.Parse([]byte(`
Parameters:
  Stage:
    Type: String
  RetentionDays:
    Type: Number
    Default: 400
  SendRate:
    Type: String
    Default: ""
  Subnets:
    Type: CommaDelimitedList
    Default: [a, b]
Resources: {}
`))
	if err != nil {
		t.Fatal(err)
	}
	refs := tmpl.WithDefaults(map[string]string{"Stage": "test", "RetentionDays": "30"})
	for name, want := range map[string]string{"Stage": "test", "RetentionDays": "30", "SendRate": ""} {
		if got, ok := refs[name]; !ok || got != want {
			t.Errorf("%s = %q (known %v), want %q", name, got, ok, want)
		}
	}
	if _, ok := refs["Subnets"]; ok {
		t.Error("a list default became a single value")
	}
}
