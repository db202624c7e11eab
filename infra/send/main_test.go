package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/teamconfig"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/dev/devserver"
	"github.com/carecoach/carecoach/shared/dev/dynamotest"
	"github.com/carecoach/carecoach/shared/dev/emulators"
	"github.com/carecoach/carecoach/shared/dev/localsched"
)

var stack *emulators.Stack

func TestMain(m *testing.M) { os.Exit(emulators.RunTests(m, &stack)) }

// demoEmails are the emails infra/devserver/README.md's replay steps say appear, in
// order: who gets them, and the subject.
var demoEmails = []struct{ to, subject string }{
	{"jordan.reyes@acme-support.example", "Bad rating on ticket #5160 (Ana Silva): Printer jams on every second page"},
	{"priya@acme-support.example", "Due Tue 1 Dec 11:00: your promise to Tom Becker on ticket #42"},
	{"priya@acme-support.example", "Ticket #42: Tom Becker has waited 19 hours — window closes Tue 1 Dec 15:40 GMT"},
	{"ana.silva@acme-support.example", "Ticket #5161: Omar Haddad has waited 19 hours — window closes Tue 1 Dec 17:30 GMT"},
	{"priya@acme-support.example", "Ticket #42 is waiting for your answer: Refund not received for order #8812"},
	{"ana.silva@acme-support.example", "Ticket #5161 is waiting for your answer: Scanner saves blank PDFs"},
	{"ana.silva@acme-support.example", "One question about the support you get from Jordan Reyes"},
	{"priya@acme-support.example", "One question about the support you get from Jordan Reyes"},
	{"jordan.reyes@acme-support.example", "One question about the support you get from sam.okafor@acme-support.example"},
	{"ana.silva@acme-support.example", "A question for the week: What would you like to be able to do for customers that you're not able to do?"},
	{"priya@acme-support.example", "A question for the week: What would you like to be able to do for customers that you're not able to do?"},
	{"jordan.reyes@acme-support.example", "Your team this week: 7 to praise, 4 to coach (30 Nov–7 Dec)"},
	{"sam.okafor@acme-support.example", "Your team this week (30 Nov–7 Dec)"},
	{"jordan.reyes@acme-support.example", "Your brief for Customer Support's meeting on Mon 7 Dec 10:00: 12 items"},
	{"ana.silva@acme-support.example", "Follow up with Maria Lopez on ticket #5158: Printer offline after firmware update"},
	{"ana.silva@acme-support.example", "Follow up with Lena Fischer on ticket #5160: Printer jams on every second page"},
}

// TestARecordedDayPlaysOutAsItHappenedAndAsTheReadmeSays replays
// events/recorded-day.jsonl the way the README tells a new user to, with
// the dev clock started before its first event, then plays the week on.
func TestARecordedDayPlaysOutAsItHappenedAndAsTheReadmeSays(t *testing.T) {
	team, err := teamconfig.Load("../dev/team.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, table := dynamotest.NewTable(t, stack.DynamoEndpoint)
	secret := "recorded-day-secret"
	srv, err := devserver.Start(context.Background(), devserver.Config{
		Addr: "127.0.0.1:0", DynamoEndpoint: stack.DynamoEndpoint, SESEndpoint: stack.SESEndpoint,
		AWS: dynamotest.LocalConfig(), Table: table, Teams: []care.Team{team}, Secret: care.Secret(secret),
		MailFrom: "carecoach <carecoach@acme-support.example>", Clock: localsched.FixedClock(time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)),
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), ReplyDomain: "reply.carecoach.local", TokenKey: care.Secret("recorded-day-token-key"),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	if err := stack.ClearEmails(context.Background()); err != nil {
		t.Fatal(err)
	}
	secretFile := filepath.Join(t.TempDir(), "webhook-secret")
	if err := os.WriteFile(secretFile, []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	flags := []string{"-url", srv.URL, "-secret-file", secretFile, "-team", "../dev/team.yaml"}

	var out bytes.Buffer
	if err := run(context.Background(), append(flags, "-at-event-time", "../../events/recorded-day.jsonl"), &out); err != nil {
		t.Fatalf("send: %v\n%s", err, out.String())
	}
	sent := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(sent) != 25 || strings.Count(out.String(), "→ 202") != 25 {
		t.Fatalf("sent %d bodies, want 25 accepted:\n%s", len(sent), out.String())
	}
	if !strings.HasPrefix(sent[0], "Mon 30 Nov 08:58") || !strings.HasPrefix(sent[len(sent)-1], "Mon 30 Nov 17:30") {
		t.Errorf("the day was not played at its own times, in order:\n%s", out.String())
	}
	if now := srv.Clock.Now(); !now.Equal(time.Date(2026, 11, 30, 17, 30, 0, 0, time.UTC)) {
		t.Errorf("after the day the clock reads %s, want the last event's time", now)
	}
	if err := run(context.Background(), append(flags, "-advance-to", "2026-12-08T00:00:00Z"), &out); err != nil {
		t.Fatal(err)
	}

	emails, err := stack.SentEmails(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range emails {
		got = append(got, strings.Join(e.To, ",")+": "+e.Subject)
	}
	got = digestsByRecipient(got)
	if len(got) != len(demoEmails) {
		t.Fatalf("%d emails, want %d:\n%s", len(got), len(demoEmails), strings.Join(got, "\n"))
	}
	// The README gives the commands; the list of emails is in the dev
	// server's guide it links to.
	readme, err := os.ReadFile("../devserver/README.md")
	if err != nil {
		t.Fatal(err)
	}
	top, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []string{"CARECOACH_CLOCK=2026-11-30T08:00:00Z make run", "go run ./infra/send -at-event-time events/recorded-day.jsonl", "go run ./infra/send -advance-to 2026-12-08T00:00:00Z"} {
		if !strings.Contains(string(top), step) {
			t.Errorf("the README's replay steps do not say %q", step)
		}
	}
	for i, want := range demoEmails {
		if got[i] != want.to+": "+want.subject {
			t.Errorf("email %d is %q, want to %s, %q", i+1, got[i], want.to, want.subject)
		}
		if !strings.Contains(string(readme), want.subject) {
			t.Errorf("infra/devserver/README.md's replay steps do not list %q", want.subject)
		}
	}
	if dls, err := srv.DeadLetters(context.Background()); err != nil || len(dls) != 0 {
		t.Errorf("dead letters %+v (%v), want none", dls, err)
	}
}

// digestsByRecipient orders each run of digests, and of briefs, by
// recipient: a team's managers get theirs side by side (Jordan's and
// Sam's at Monday 08:00), in whichever order they finish.
func digestsByRecipient(emails []string) []string {
	out := slices.Clone(emails)
	kind := func(e string) string {
		for _, k := range []string{": Your team this week", ": Your brief for"} {
			if strings.Contains(e, k) {
				return k
			}
		}
		return ""
	}
	for i := 0; i < len(out); {
		j := i
		for j < len(out) && kind(out[j]) != "" && kind(out[j]) == kind(out[i]) {
			j++
		}
		if j == i {
			i++
			continue
		}
		slices.Sort(out[i:j])
		i = j
	}
	return out
}
