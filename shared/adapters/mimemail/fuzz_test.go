package mimemail_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/carecoach/carecoach/shared/adapters/mimemail"
	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/emailtext"
	"github.com/carecoach/carecoach/shared/core/grammar"
)

// fixtureFiles are this package's fixtures and the reply corpus.
func fixtureFiles(f *testing.F) [][]byte {
	f.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.eml"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no fixtures: %v", err)
	}
	corpus, _ := filepath.Glob(filepath.Join("..", "..", "..", "events", "replies", "*.eml"))
	files = append(files, corpus...)
	var out [][]byte
	for _, name := range files {
		raw, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, raw)
	}
	return out
}

// FuzzParse runs the whole reader, MIME to commands: Parse, the blocks the
// sender wrote, and the grammar over them, as the inbound service reads a
// reply to a three-item digest and to a single-moment alert.
func FuzzParse(f *testing.F) {
	for _, raw := range fixtureFiles(f) {
		f.Add(raw)
	}
	f.Add([]byte(""))
	f.Add([]byte("hello world"))
	f.Add([]byte("From: a@b.example\r\nContent-Type: text/plain; format=flowed\r\n\r\nhi \r\nthere\r\n"))
	f.Add([]byte("From: a@b.example\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\n\xff\r\n--x"))
	f.Add([]byte("From: Jo <a@b.example>\r\nSubject: Fwd: x\r\n\r\n> 1. Ana (x)\r\nwell done share\r\n> 2. Ana (y)\r\n2: reward: lunch\r\nJo\r\n"))
	digest := care.Prompt{Kind: care.DigestPrompt, Items: make([]care.PromptItem, 3)}
	alert := care.Prompt{Kind: care.AlertPrompt, Items: make([]care.PromptItem, 1)}
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := mimemail.Parse(bytes.NewReader(raw))
		in, rerr := mimemail.ReadInbound(bytes.NewReader(raw))
		if err != nil {
			if m.Text != "" || m.Reply != "" || m.Blocks != nil {
				t.Fatalf("a message that failed to parse has texts: %v", err)
			}
			if rerr == nil && in.Unreadable == "" {
				t.Fatalf("ReadInbound hid Parse's error %v", err)
			}
			return
		}
		if !strings.Contains(m.From, "@") {
			t.Fatalf("accepted a message without a From address: %q", m.From)
		}
		for _, s := range []string{m.Text, m.Reply, m.Subject, m.From, m.FromName, m.MessageID, m.InReplyTo, m.Automatic, m.Forwarded} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8: %q", s)
			}
		}
		if strings.Contains(m.Reply, mimemail.ReplyMarker) {
			t.Fatalf("Reply contains the marker: %q", m.Reply)
		}
		if m.Reply != emailtext.JoinBlocks(m.Blocks) {
			t.Fatalf("Reply is not the blocks joined")
		}
		for _, b := range m.Blocks {
			for _, line := range strings.Split(b.Text, "\n") {
				if !strings.Contains(m.Text, line) {
					t.Fatalf("written line %q is not in the text", line)
				}
				if strings.HasPrefix(strings.TrimSpace(line), ">") {
					t.Fatalf("a quoted line was read as written: %q", line)
				}
			}
		}
		if rerr != nil {
			t.Fatalf("ReadInbound failed where Parse did not: %v", rerr)
		}
		for _, p := range []care.Prompt{digest, alert} {
			cmds, _ := app.Commands(in, p)
			for _, c := range cmds {
				if c.Item < 1 || c.Item > len(p.Items) {
					t.Fatalf("command for item %d of %d", c.Item, len(p.Items))
				}
				if utf8.RuneCountInString(c.Words) > grammar.MaxWords || utf8.RuneCountInString(c.Reward) > grammar.MaxReward {
					t.Fatalf("command over the limits: %d characters of words", utf8.RuneCountInString(c.Words))
				}
				if strings.Contains(c.Words, mimemail.ReplyMarker) || strings.Contains(c.Reward, mimemail.ReplyMarker) {
					t.Fatalf("the marker became words: %q", c.Words)
				}
			}
			if len(cmds) > grammar.MaxCommands {
				t.Fatalf("%d commands", len(cmds))
			}
		}
	})
}
