package freshdesk_test

import (
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/carecoach/carecoach/shared/adapters/freshdesk"
	"github.com/carecoach/carecoach/shared/core/care"
)

// seedSamples adds every sample and template body to the fuzz corpus.
func seedSamples(f *testing.F, add func([]byte)) {
	files, err := filepath.Glob(filepath.Join(eventsDir, "freshdesk-*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no samples in %s: %v", eventsDir, err)
	}
	for _, file := range files {
		add(readSample(f, filepath.Base(file)))
	}
}

// FuzzNormalize checks that no body, however mangled, panics or yields an
// interaction care would refuse; that every refusal is an invalid-input
// error (which the processor sets aside) rather than one it would retry
// forever; that normalizing is deterministic; and that a body Normalize
// accepts is one DedupeKey accepts too, so it can be stored at all.
func FuzzNormalize(f *testing.F) {
	seedSamples(f, func(b []byte) { f.Add(b) })
	f.Add([]byte(`{"carecoach":"freshdesk/v1","event":"due_date_changed","ticket_id":1,"due_by":"December  1 2026 at 12:00 PM IST","updated_at":"2026-11-30 16:50:00 +0530"}`))
	f.Add([]byte(`{"carecoach":"freshdesk/v1","event":"customer_reply","ticket_id":"7","comment":"A : <p>x</p>"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		d := delivery(body)
		ins, err := freshdesk.Helpdesk{}.Normalize(d)
		if err != nil {
			if code := care.ErrorCode(err); code != care.EInvalid {
				t.Fatalf("Normalize error code %q, want %q: %v", code, care.EInvalid, err)
			}
			return
		}
		if len(ins) == 0 {
			t.Fatal("Normalize accepted the body but returned no interactions")
		}
		for _, in := range ins {
			if err := in.Validate(); err != nil {
				t.Fatalf("interaction does not validate: %v\n%+v", err, in)
			}
			if !strings.HasPrefix(in.ID, "fd-") || in.Ticket.Connection != connection {
				t.Fatalf("interaction id %q on %v", in.ID, in.Ticket)
			}
		}
		again, err := freshdesk.Helpdesk{}.Normalize(d)
		if err != nil || !slices.EqualFunc(ins, again, sameInteraction) {
			t.Fatalf("normalizing twice differs: %v", err)
		}
		if _, err := (freshdesk.Helpdesk{}).DedupeKey(http.Header{}, body); err != nil {
			t.Fatalf("Normalize accepts a body DedupeKey refuses: %v", err)
		}
	})
}

// FuzzHTMLToText checks the converter's promises on any input:
//
//   - it does not panic, and valid UTF-8 stays valid UTF-8;
//   - the output is tidy: no carriage returns, tabs, double spaces, spaces
//     next to line breaks, more than one blank line in a row, or leading or
//     trailing whitespace;
//   - markup never leaks: if every '<' in the input opens markup (is
//     followed by a letter, '/', '!' or '?') and the input has no '&' (so
//     no entity can produce a '<'), the output has no '<' at all;
//   - text is kept: for input with neither '<' nor '&', the output has
//     exactly the input's words.
func FuzzHTMLToText(f *testing.F) {
	seedSamples(f, func(b []byte) { f.Add(string(b)) })
	for _, s := range []string{
		`Priya Natarajan : <div style="a>b">Hi<br><br>there &amp; &lt;b&gt;</div>`,
		"<<b>x", "<script>a<b</script>", "<!-- x", "a<", "< 5 <3 <a", "x\u00a0\u2028y",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := freshdesk.HTMLToText(in)
		if utf8.ValidString(in) && !utf8.ValidString(out) {
			t.Fatalf("valid input gave invalid UTF-8 %q", out)
		}
		for _, bad := range []string{"\r", "\t", "  ", " \n", "\n ", "\n\n\n"} {
			if strings.Contains(out, bad) {
				t.Fatalf("output %q contains %q", out, bad)
			}
		}
		if strings.TrimSpace(out) != out {
			t.Fatalf("output %q has leading or trailing whitespace", out)
		}
		if !strings.Contains(in, "&") && everyLessThanOpensMarkup(in) && strings.Contains(out, "<") {
			t.Fatalf("markup leaked: %q gave %q", in, out)
		}
		if !strings.ContainsAny(in, "<&") && !slices.Equal(strings.Fields(in), strings.Fields(out)) {
			t.Fatalf("words changed: %q gave %q", in, out)
		}
	})
}

func everyLessThanOpensMarkup(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '<' {
			continue
		}
		if i+1 >= len(s) {
			return false
		}
		c := s[i+1]
		if !(c == '/' || c == '!' || c == '?' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}
