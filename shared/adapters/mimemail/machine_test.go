package mimemail_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/carecoach/carecoach/shared/adapters/mimemail"
)

const humanHeader = "Return-Path: <jordan.reyes@acme-support.example>\r\nFrom: Jordan Reyes <jordan.reyes@acme-support.example>\r\n" +
	"To: carecoach <reply+d-1.x.y@reply.acme-support.example>\r\nMessage-ID: <a1@acme-support.example>\r\n"

func TestAutomaticMail(t *testing.T) {
	tests := []struct {
		name   string
		header string // added to humanHeader
		ctype  string
		want   string // "" for a person's mail
	}{
		{"a person's reply", "Subject: Re: Your team this week\r\n", "text/plain", ""},
		{"an RFC 3834 auto-reply", "Auto-Submitted: auto-replied\r\nSubject: Re: Your team this week\r\n", "text/plain", "Auto-Submitted: auto-replied"},
		{"Auto-Submitted in capitals with a parameter", "Auto-Submitted: Auto-Generated; owner-email=\"x@y.example\"\r\n", "text/plain", "Auto-Submitted: auto-generated"},
		{"Auto-Submitted: no is a person's mail", "Auto-Submitted: no\r\n", "text/plain", ""},
		{"X-Autoreply", "X-Autoreply: yes\r\n", "text/plain", "X-Autoreply: yes"},
		{"X-Autorespond", "X-Autorespond: Out of office\r\n", "text/plain", "X-Autorespond: out"},
		{"Precedence: bulk", "Precedence: bulk\r\n", "text/plain", "Precedence: bulk"},
		{"Precedence: auto_reply", "Precedence: auto_reply\r\n", "text/plain", "Precedence: auto_reply"},
		{"X-Precedence: junk", "X-Precedence: junk\r\n", "text/plain", "X-Precedence: junk"},
		{"Precedence: first-class is a person's mail", "Precedence: first-class\r\n", "text/plain", ""},
		{"a mailing list's copy", "List-Id: Support leads <support-leads.acme-support.example>\r\n", "text/plain", "List-Id"},
		{"a List-Unsubscribe", "List-Unsubscribe: <mailto:leave@lists.example>\r\n", "text/plain", "List-Unsubscribe"},
		{"a delivery report", "", "multipart/report", "multipart/report"},
		{"an Exim bounce", "X-Failed-Recipients: ana@gone.example\r\n", "text/plain", "X-Failed-Recipients"},
		{"X-Auto-Response-Suppress alone is a person's mail (Exchange adds it to real replies)", "X-Auto-Response-Suppress: All\r\n", "text/plain", ""},
		{"an Exchange out-of-office subject", "Subject: Automatic reply: Your team this week\r\n", "text/plain", "auto-reply subject"},
		{"a German out-of-office subject", "Subject: Automatische Antwort: Ihr Team diese Woche\r\n", "text/plain", "auto-reply subject"},
		{"a Notes absence subject", "Subject: Abwesend: Your team this week\r\n", "text/plain", "auto-reply subject"},
		{"a French out-of-office subject", "Subject: Réponse automatique : Your team this week\r\n", "text/plain", "auto-reply subject"},
		{"a Spanish out-of-office subject", "Subject: Respuesta automática: Your team this week\r\n", "text/plain", "auto-reply subject"},
		{"a Portuguese out-of-office subject", "Subject: Resposta automática: Your team this week\r\n", "text/plain", "auto-reply subject"},
		{"an Out of Office subject", "Subject: Out of Office: back on Monday\r\n", "text/plain", "auto-reply subject"},
		{"an Undeliverable subject", "Subject: Undeliverable: Your team this week\r\n", "text/plain", "auto-reply subject"},
		{"a reply that talks about being out of office", "Subject: Re: Your team this week (out of office next week)\r\n", "text/plain", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw := humanHeader + tc.header + "Content-Type: " + tc.ctype + "; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n1: thanks\r\n--b--\r\n"
			if tc.ctype == "text/plain" {
				raw = humanHeader + tc.header + "Content-Type: text/plain\r\n\r\n1: thanks\r\n"
			}
			m, err := mimemail.Parse(strings.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == "" && m.Automatic != "" || !strings.Contains(m.Automatic, tc.want) {
				t.Errorf("Automatic = %q, want it to say %q", m.Automatic, tc.want)
			}
		})
	}
}

func TestAutomaticMailByReturnPathAndSender(t *testing.T) {
	tests := []struct {
		name, raw, want string
	}{
		{"an empty Return-Path", "Return-Path: <>\r\nFrom: jordan.reyes@acme-support.example\r\n\r\nhi\r\n", "empty Return-Path"},
		{"a MAILER-DAEMON Return-Path", "Return-Path: <MAILER-DAEMON@mail.acme-support.example>\r\nFrom: jordan.reyes@acme-support.example\r\n\r\nhi\r\n", "Return-Path: mailer-daemon@"},
		{"a postmaster sender", "From: Mail Delivery System <postmaster@acme-support.example>\r\n\r\nhi\r\n", "From: postmaster@"},
		{"a Return-Path below SES's own is not read", "Return-Path: <jordan.reyes@acme-support.example>\r\nFrom: jordan.reyes@acme-support.example\r\nReturn-Path: <>\r\n\r\nhi\r\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := mimemail.Parse(strings.NewReader(tc.raw))
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == "" && m.Automatic != "" || !strings.Contains(m.Automatic, tc.want) {
				t.Errorf("Automatic = %q, want it to say %q", m.Automatic, tc.want)
			}
		})
	}
}

func TestAMessageTooLargeStillSaysWhoSentIt(t *testing.T) {
	raw := "Return-Path: <jordan.reyes@acme-support.example>\r\nFrom: =?UTF-8?Q?Jordan_Reyes?= <Jordan.Reyes@acme-support.example>\r\n" +
		"To: carecoach <reply+d-1.x.y@reply.acme-support.example>, ana@acme-support.example\r\n" +
		"Subject: =?UTF-8?Q?Re:_Your_team_this_week_=E2=80=94_photo?=\r\nMessage-ID: <big@acme-support.example>\r\n" +
		"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n1: see the photo\r\n--b\r\n" +
		"Content-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\n\r\n" + strings.Repeat(strings.Repeat("A", 76)+"\r\n", mimemail.MaxSize/78+10)
	m, err := mimemail.Parse(strings.NewReader(raw))
	if !errors.Is(err, mimemail.ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	if m.From != "jordan.reyes@acme-support.example" || m.MessageID != "big@acme-support.example" || m.Subject != "Re: Your team this week — photo" {
		t.Errorf("header fields = %q %q %q", m.From, m.MessageID, m.Subject)
	}
	if len(m.To) != 2 || m.To[0] != "reply+d-1.x.y@reply.acme-support.example" || m.Automatic != "" {
		t.Errorf("To = %q, Automatic = %q", m.To, m.Automatic)
	}
	if m.Text != "" || m.Reply != "" || m.Blocks != nil {
		t.Errorf("a message not parsed has texts: %q", m.Reply)
	}
}
