package emailtext_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/carecoach/carecoach/shared/core/emailtext"
)

func FuzzStripReply(f *testing.F) {
	for _, tc := range stripCases {
		f.Add(tc.in)
	}
	for _, tc := range writtenCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := emailtext.StripReply(in)
		if strings.Contains(out, emailtext.ReplyMarker) {
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
