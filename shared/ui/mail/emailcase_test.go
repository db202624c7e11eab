package mail_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/carecoach/carecoach/shared/core/care"
)

// emailCase is one email composed from a fixture and what it must be: its
// goldens, addresses and tags, the escaped HTML and the text it must (and
// must never) hold, whether it is answerable, and the raw markup its
// fixture carries that must never reach the HTML unescaped.
type emailCase struct {
	name, golden, subject string
	compose               func() (care.Email, error)
	to, replyTo           []string
	tags                  map[string]string
	answerable            bool
	escaped, says, never  []string
}

// check composes c's email and holds it to c; rawMarkup is what the
// fixtures put in customer and agent text. It returns the email for more
// checks.
func (c emailCase) check(t *testing.T, rawMarkup ...string) care.Email {
	t.Helper()
	e, err := c.compose()
	if err != nil {
		t.Fatal(err)
	}
	golden(t, c.golden+".html", e.HTML)
	golden(t, c.golden+".txt", e.Text)
	if e.Subject != c.subject || !slices.Equal(e.To, c.to) || !slices.Equal(e.ReplyTo, c.replyTo) || !maps.Equal(e.Tags, c.tags) {
		t.Errorf("subject %q to %v reply-to %v tags %v", e.Subject, e.To, e.ReplyTo, e.Tags)
	}
	for _, s := range c.escaped {
		if !strings.Contains(e.HTML, s) {
			t.Errorf("HTML part lacks escaped %q", s)
		}
	}
	for _, s := range c.says {
		if !strings.Contains(e.Text, s) {
			t.Errorf("text part lacks %q:\n%s", s, e.Text)
		}
	}
	for _, s := range c.never {
		if strings.Contains(e.Text, s) || strings.Contains(e.HTML, s) || strings.Contains(e.Subject, s) {
			t.Errorf("the email says %q", s)
		}
	}
	for _, raw := range rawMarkup {
		if strings.Contains(e.HTML, raw) {
			t.Errorf("HTML part contains unescaped %q", raw)
		}
	}
	for part, body := range map[string]string{"HTML": e.HTML, "text": e.Text} {
		if !strings.Contains(body, "Sent by carecoach") {
			t.Errorf("%s part has no footer saying why it was sent", part)
		}
		if got := strings.Contains(body, care.ReplyMarker); got != c.answerable {
			t.Errorf("%s part carries the reply marker: %v, want %v", part, got, c.answerable)
		}
	}
	if c.answerable && (!strings.HasPrefix(e.Text, care.ReplyMarker+"\n") || !strings.HasPrefix(visibleText(e.HTML), care.ReplyMarker+" ")) {
		t.Error("an answerable email must start with the reply marker")
	}
	return e
}
