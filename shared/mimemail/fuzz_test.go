package mimemail_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/carecoach/carecoach/shared/mimemail"
)

func fixtureFiles(f *testing.F) [][]byte {
	f.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.eml"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no fixtures: %v", err)
	}
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

func FuzzStripReply(f *testing.F) {
	for _, raw := range fixtureFiles(f) {
		m, err := mimemail.Parse(bytes.NewReader(raw))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(m.Text)
	}
	for _, tc := range stripCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := mimemail.StripReply(in)
		if strings.Contains(out, mimemail.ReplyMarker) {
			t.Fatalf("output contains the marker: %q", out)
		}
		if out != strings.TrimSpace(out) {
			t.Fatalf("output is not trimmed: %q", out)
		}
		for _, line := range strings.Split(out, "\n") {
			if !strings.Contains(in, line) {
				t.Fatalf("output line %q is not in the input", line)
			}
		}
		if utf8.ValidString(in) && !utf8.ValidString(out) {
			t.Fatalf("valid input gave invalid output %q", out)
		}
	})
}

func FuzzParse(f *testing.F) {
	for _, raw := range fixtureFiles(f) {
		f.Add(raw)
	}
	f.Add([]byte(""))
	f.Add([]byte("hello world"))
	f.Add([]byte("From: a@b.example\r\nContent-Type: text/plain; format=flowed\r\n\r\nhi \r\nthere\r\n"))
	f.Add([]byte("From: a@b.example\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\n\xff\r\n--x"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := mimemail.Parse(bytes.NewReader(raw))
		if err != nil {
			return
		}
		if !strings.Contains(m.From, "@") {
			t.Fatalf("accepted a message without a From address: %q", m.From)
		}
		for _, s := range []string{m.Text, m.Reply, m.Subject, m.From, m.MessageID, m.InReplyTo} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8: %q", s)
			}
		}
		if strings.Contains(m.Reply, mimemail.ReplyMarker) {
			t.Fatalf("Reply contains the marker: %q", m.Reply)
		}
		if m.Reply != mimemail.StripReply(m.Text) {
			t.Fatalf("Reply is not StripReply(Text)")
		}
	})
}
