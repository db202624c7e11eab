package mimemail_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/carecoach/carecoach/shared/adapters/mimemail"
)

func BenchmarkParseOutlookDesktop(b *testing.B) {
	raw, err := os.ReadFile("testdata/outlook-desktop-reply.eml")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := mimemail.Parse(bytes.NewReader(raw)); err != nil {
			b.Fatal(err)
		}
	}
}
