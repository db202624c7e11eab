package app_test

import (
	"strings"
	"testing"

	"github.com/carecoach/carecoach/shared/app"
)

func TestKudosNeedTheFromDomainAuthenticated(t *testing.T) {
	const from = "Ana.Silva@Acme-Support.example"
	tests := []struct {
		name string
		v    app.Verdicts
		ok   bool
	}{
		{"DMARC passed", app.Verdicts{SPF: "PASS", DKIM: "PASS", DMARC: "PASS"}, true},
		{"DMARC passed on SPF alignment, no DKIM", app.Verdicts{SPF: "PASS", DKIM: "GRAY", DMARC: "PASS"}, true},
		{"no DMARC record, a DKIM signature of the From domain", app.Verdicts{SPF: "PASS", DKIM: "PASS", DMARC: "GRAY", DKIMDomains: []string{"acme-support.example"}}, true},
		{"no DMARC record, DKIM of a subdomain (relaxed alignment)", app.Verdicts{DKIM: "PASS", DMARC: "GRAY", DKIMDomains: []string{"mail.acme-support.example"}}, true},
		{"SPF alone for an unrelated domain", app.Verdicts{SPF: "PASS", DKIM: "GRAY", DMARC: "GRAY"}, false},
		{"DKIM passed, but for an unrelated domain", app.Verdicts{SPF: "PASS", DKIM: "PASS", DMARC: "GRAY", DKIMDomains: []string{"mailer.example.net"}}, false},
		{"a lookalike domain is not a subdomain", app.Verdicts{DKIM: "PASS", DMARC: "GRAY", DKIMDomains: []string{"evilacme-support.example"}}, false},
		{"another domain under the same suffix", app.Verdicts{DKIM: "PASS", DMARC: "GRAY", DKIMDomains: []string{"x.example"}}, false},
		{"a DKIM domain listed but the verdict not a pass", app.Verdicts{DKIM: "FAIL", DMARC: "GRAY", DKIMDomains: []string{"acme-support.example"}}, false},
		{"DMARC failed", app.Verdicts{SPF: "PASS", DKIM: "PASS", DMARC: "FAIL"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, why := tt.v.FromDomainAuthenticated(from)
			if ok != tt.ok {
				t.Errorf("authenticated %v (%s), want %v", ok, why, tt.ok)
			}
			if !ok && !strings.Contains(why, "acme-support.example") {
				t.Errorf("reason %q does not name the From domain", why)
			}
		})
	}
}
