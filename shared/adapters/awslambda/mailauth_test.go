package awslambda

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	samples "github.com/carecoach/carecoach/events"
)

func TestDKIMPassDomainsComeFromSESsOwnHeaderOnly(t *testing.T) {
	b, err := samples.Sample("ses-receipt-reply")
	if err != nil {
		t.Fatal(err)
	}
	var e events.SimpleEmailEvent
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatal(err)
	}
	h := func(name, value string) events.SimpleEmailHeader {
		return events.SimpleEmailHeader{Name: name, Value: value}
	}
	tests := []struct {
		name    string
		headers []events.SimpleEmailHeader
		want    []string
	}{
		{"the sample: SES's header on top", e.Records[0].SES.Mail.Headers, []string{"acme-support.example"}},
		{"two signatures, one failed", []events.SimpleEmailHeader{
			h("Authentication-Results", "amazonses.com; spf=pass (spfCheck: a; b) smtp.mailfrom=x@bulk.example.net; dkim=pass header.i=@bulk.example.net; dkim=fail header.i=@acme.example; dmarc=none header.from=acme.example;")},
			[]string{"bulk.example.net"}},
		{"header.d as well as header.i", []events.SimpleEmailHeader{h("Authentication-Results", "amazonses.com; dkim=pass header.d=acme.example header.s=s1")}, []string{"acme.example"}},
		{"a sender's forged header lower down is ignored", []events.SimpleEmailHeader{
			h("Received", "from x by inbound-smtp.eu-west-1.amazonaws.com"),
			h("Authentication-Results", "amazonses.com; spf=pass smtp.mailfrom=x@evil.example; dkim=none; dmarc=none"),
			h("Authentication-Results", "amazonses.com; dkim=pass header.i=@acme.example")},
			nil},
		{"a topmost header from another server does not count", []events.SimpleEmailHeader{h("Authentication-Results", "mx.evil.example; dkim=pass header.i=@acme.example")}, nil},
		{"no header", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := dkimPassDomains(tt.headers); !slices.Equal(got, tt.want) {
				t.Errorf("domains %q, want %q", got, tt.want)
			}
		})
	}
}
