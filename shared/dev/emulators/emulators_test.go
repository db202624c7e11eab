package emulators_test

import (
	"context"
	"errors"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	sestypes "github.com/aws/aws-sdk-go-v2/service/sesv2/types"

	"github.com/carecoach/carecoach/shared/dev/emulators"
)

var stack *emulators.Stack

func TestMain(m *testing.M) { os.Exit(emulators.RunTests(m, &stack)) }

var creds = credentials.NewStaticCredentialsProvider("local", "local", "")

func dynamoClient(endpoint string) *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{
		Region:                          "us-east-1",
		Credentials:                     creds,
		BaseEndpoint:                    aws.String(endpoint),
		DisableValidateResponseChecksum: true, // DynamoDB Local's error bodies fail the CRC check
	})
}

func TestDynamoDBListTables(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := dynamoClient(stack.DynamoEndpoint).ListTables(ctx, &dynamodb.ListTablesInput{})
	if err != nil {
		t.Fatalf("ListTables: %v", err)
	}
	t.Logf("tables: %v", out.TableNames)
}

func TestSESSendEmail(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := stack.ClearEmails(ctx); err != nil {
		t.Fatal(err)
	}
	ses := sesv2.New(sesv2.Options{
		Region:       "us-east-1",
		Credentials:  creds,
		BaseEndpoint: aws.String(stack.SESEndpoint),
	})
	const (
		from    = "CareCoach <noreply@example.com>"
		to      = "patient@example.com"
		subject = "Your visit on Monday ✓"
		text    = "Hello,\nsee you at 10:00.\n"
	)
	res, err := ses.SendEmail(ctx, &sesv2.SendEmailInput{
		FromEmailAddress: aws.String(from),
		Destination:      &sestypes.Destination{ToAddresses: []string{to}},
		Content: &sestypes.EmailContent{Simple: &sestypes.Message{
			Subject: &sestypes.Content{Data: aws.String(subject)},
			Body:    &sestypes.Body{Text: &sestypes.Content{Data: aws.String(text)}},
			Headers: []sestypes.MessageHeader{{Name: aws.String("X-Test-Id"), Value: aws.String("42")}},
		}},
	})
	if err != nil {
		t.Fatalf("SendEmail: %v", err)
	}

	emails, err := stack.SentEmails(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(emails) != 1 {
		t.Fatalf("got %d stored emails, want 1: %+v", len(emails), emails)
	}
	e := emails[0]
	if e.MessageID != aws.ToString(res.MessageId) {
		t.Errorf("MessageID = %q, want %q", e.MessageID, aws.ToString(res.MessageId))
	}
	if e.From != from || e.Subject != subject || e.Text != text || e.HTML != "" {
		t.Errorf("stored email = %+v", e)
	}
	if !slices.Equal(e.To, []string{to}) || len(e.Cc) != 0 || len(e.Bcc) != 0 {
		t.Errorf("recipients: To=%q Cc=%q Bcc=%q", e.To, e.Cc, e.Bcc)
	}
	if len(e.Headers) != 1 || e.Headers[0] != (emulators.EmailHeader{Name: "X-Test-Id", Value: "42"}) {
		t.Errorf("Headers = %+v", e.Headers)
	}
	if d := time.Since(e.At); d < -2*time.Second || d > time.Minute {
		t.Errorf("At = %v, not recent", e.At)
	}

	if err := stack.ClearEmails(ctx); err != nil {
		t.Fatal(err)
	}
	if emails, err := stack.SentEmails(ctx); err != nil || len(emails) != 0 {
		t.Fatalf("after ClearEmails: %d emails, err %v", len(emails), err)
	}
}

// TestCloseLeavesNothingRunning starts a second, private stack (the shared
// one stays up for the other tests) and checks that Close kills every
// process and frees both ports.
func TestCloseLeavesNothingRunning(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	s, err := emulators.Start(ctx, emulators.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pids := s.PIDs()
	if len(pids) != 2 {
		_ = s.Close()
		t.Fatalf("PIDs() = %v, want 2", pids)
	}
	for _, pid := range pids {
		if !alive(pid) {
			t.Errorf("pid %d not alive before Close", pid)
		}
	}
	addrs := []string{hostPort(t, s.DynamoEndpoint), hostPort(t, s.SESEndpoint)}
	for _, a := range addrs {
		if portFree(a) {
			t.Errorf("%s free before Close", a)
		}
	}

	closeStart := time.Now()
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	t.Logf("Close took %v", time.Since(closeStart).Round(time.Millisecond))
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}

	for _, pid := range pids {
		if alive(pid) {
			t.Errorf("pid %d still alive after Close", pid)
		}
		if err := syscall.Kill(-pid, 0); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("process group %d still has members after Close (kill: %v)", pid, err)
		}
	}
	for _, a := range addrs {
		if !portFree(a) {
			t.Errorf("%s still in use after Close", a)
		}
	}
}

// alive reports whether pid exists and is not a zombie.
func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// Field 3, after the parenthesised command name, is the state.
	s := string(stat)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z'
	}
	return true
}

func hostPort(t *testing.T, endpoint string) string {
	t.Helper()
	hp, ok := strings.CutPrefix(endpoint, "http://")
	if !ok {
		t.Fatalf("unexpected endpoint %q", endpoint)
	}
	return hp
}

// portFree reports whether nothing accepts connections on addr and addr's
// port can be bound again (on all interfaces, as DynamoDB Local binds).
func portFree(addr string) bool {
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		return false
	}
	_, port, _ := net.SplitHostPort(addr)
	ln, err := net.Listen("tcp", ":"+port)
	if err != nil {
		return false
	}
	ln.Close()
	return true
}
