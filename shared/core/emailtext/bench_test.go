package emailtext_test

import (
	"strings"
	"testing"

	"github.com/carecoach/carecoach/shared/core/emailtext"
)

// A reply quoting a long thread: StripReply must stay linear.
func BenchmarkStripReplyLongThread(b *testing.B) {
	text := "1: share\n\n" + strings.Repeat("> 1. Ana Silva answered Maria Lopez within 12 minutes on ticket #5158\n>\n", 10000)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		emailtext.StripReply(text)
	}
}

// The worst case for StripReply is text with no cut at all.
func BenchmarkStripReplyNoCut(b *testing.B) {
	text := strings.Repeat("On it, 2: reward: lunch on me, and Thanks,\n\n", 20000)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		emailtext.StripReply(text)
	}
}
