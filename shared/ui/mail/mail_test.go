package mail_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/goldenfile"
	"github.com/carecoach/carecoach/shared/ui/mail"
)

func reminder() mail.Reminder {
	london, _ := time.LoadLocation("Europe/London")
	return mail.Reminder{
		Agent:        care.Member{Name: "Ana Silva", Email: "ana.silva@acme-support.example"},
		Ticket:       care.Ticket{Ref: care.TicketRef{Connection: "acme-zendesk", TicketID: "5158"}, Subject: "Printer offline after <firmware> update"},
		TicketURL:    "https://acme.zendesk.com/agent/tickets/5158",
		CustomerName: "Maria Lopez",
		Message:      "Since the update the printer shows <b>offline</b> & nothing prints.\n<script>alert(1)</script>",
		WaitingSince: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC).In(london),
		Window:       24 * time.Hour,
	}
}

func TestRespondReminderMatchesGolden(t *testing.T) {
	e, err := mail.RespondReminder(reminder())
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "respond_reminder.html", e.HTML)
	golden(t, "respond_reminder.txt", e.Text)
	if want := "Ticket #5158 is waiting for your answer: Printer offline after <firmware> update"; e.Subject != want {
		t.Errorf("subject = %q, want %q", e.Subject, want)
	}
	if len(e.To) != 1 || e.To[0] != "ana.silva@acme-support.example" {
		t.Errorf("to = %v", e.To)
	}
}

func TestCustomerTextIsEscapedInHTML(t *testing.T) {
	e, err := mail.RespondReminder(reminder())
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range []string{"<script>", "<b>offline</b>", "<firmware>"} {
		if strings.Contains(e.HTML, raw) {
			t.Errorf("HTML part contains unescaped %q", raw)
		}
	}
	for _, escaped := range []string{"&lt;script&gt;", "&lt;b&gt;offline&lt;/b&gt; &amp; nothing", "&lt;firmware&gt;"} {
		if !strings.Contains(e.HTML, escaped) {
			t.Errorf("HTML part lacks escaped %q", escaped)
		}
	}
}

func TestSubjectStaysOnOneLine(t *testing.T) {
	r := reminder()
	r.Ticket.Subject = "Help\r\nBcc: victim@example.com"
	e, err := mail.RespondReminder(r)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(e.Subject, "\r\n") {
		t.Errorf("subject %q spans lines", e.Subject)
	}
}

func TestAReminderNeedsAnAddress(t *testing.T) {
	r := reminder()
	r.Agent.Email = ""
	if _, err := mail.RespondReminder(r); err == nil {
		t.Error("a reminder without an address was composed")
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", name), []byte(got))
}
