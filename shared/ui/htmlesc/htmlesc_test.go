package htmlesc_test

import (
	"bytes"
	"html/template"
	"testing"

	"github.com/carecoach/carecoach/shared/ui/htmlesc"
)

// html/template itself is the oracle: each value, put where the emails and
// the page put values, must come out the same.
func TestValuesAreEscapedAsHTMLTemplateEscapesThem(t *testing.T) {
	oracle := template.Must(template.New("").Parse(`<p title="{{.}}">{{.}}</p><a href="{{.}}">x</a>`))
	for _, v := range []string{
		"plain words",
		"Ana <b>\"O'Neil\"</b> & +1 \x00 ✓",
		"https://acme.zendesk.com/agent/tickets/5158?a=1&b=2 3#frag",
		"https://x.example/%41%zz%4 100%",
		"javascript:alert(1)",
		" JavaScript:alert(1)",
		"DATA:text/html;base64,PHNjcmlwdD4=",
		"mailto:ana@acme.example?subject=Hi there",
		"/relative/\"é 'x'<y>",
		"?a:b",
		"",
	} {
		var want bytes.Buffer
		if err := oracle.Execute(&want, v); err != nil {
			t.Fatal(err)
		}
		got := `<p title="` + htmlesc.Text(v) + `">` + htmlesc.Text(v) + `</p><a href="` + htmlesc.URL(v) + `">x</a>`
		if got != want.String() {
			t.Errorf("%q:\n got %s\nwant %s", v, got, want.String())
		}
	}
}

func TestAnAddressAfterTheEmailsOwnMailtoIsOnlyEncoded(t *testing.T) {
	if got, want := htmlesc.NormalizedURL("javascript:ana smith@x"), "javascript:ana%20smith@x"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
