package emailtext_test

import (
	"strings"
	"testing"

	"github.com/carecoach/carecoach/shared/core/emailtext"
)

func TestForwarded(t *testing.T) {
	tests := []struct {
		name, subject, text, want string
	}{
		{"a reply", "Re: Your team this week", "1: thanks\n", ""},
		{"a German reply", "AW: Your team this week", "1: danke\n", ""},
		{"a French Outlook reply", "RE : Your team this week", "1: merci\n", ""},
		{"a Portuguese Outlook reply", "RES: Your team this week", "1: obrigado\n", ""},
		{"an Italian reply", "R: Your team this week", "1: grazie\n", ""},
		{"a Gmail forward", "Fwd: Your team this week", "FYI\n", "Fwd:"},
		{"an Outlook forward", "FW: Your team this week", "FYI\n", "FW:"},
		{"a German Outlook forward", "WG: Your team this week", "", "WG:"},
		{"a French Outlook forward", "TR : Your team this week", "", "TR :"},
		{"a Spanish Outlook forward", "RV: Your team this week", "", "RV:"},
		{"a Portuguese forward", "ENC: Your team this week", "", "ENC:"},
		{"a reply to a forward", "Re: Fwd: Your team this week", "", "Fwd:"},
		{"an old-style bracketed forward", "[Fwd: Your team this week]", "", "Fwd:"},
		{"Gmail's forwarded block with an edited subject", "Your team this week",
			"Have a look at 1 and 4\n\n---------- Forwarded message ---------\nFrom: carecoach <carecoach@acme-support.example>\n", "forwarded-message block"},
		{"Thunderbird's forwarded block", "Team", "-------- Forwarded Message --------\nSubject: Your team\n", "forwarded-message block"},
		{"Apple Mail's forwarded block", "Team", "FYI\n\nBegin forwarded message:\n\nFrom: carecoach\n", "forwarded-message block"},
		{"a German Apple Mail forwarded block", "Team", "Anfang der weitergeleiteten Nachricht:\n", "forwarded-message block"},
		{"a French Gmail forwarded block", "Team", "---------- Message transféré ---------\n", "forwarded-message block"},
		{"a quoted forwarded block is history, not a forward", "Re: Team", "1: thanks\n> ---------- Forwarded message ---------\n", ""},
		{"a word about forwarding is not a forward", "Re: Team", "1: thanks for forwarding the message to billing\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := emailtext.Forwarded(tc.subject, tc.text)
			if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
				t.Errorf("Forwarded(%q, %q) = %q, want it to say %q", tc.subject, tc.text, got, tc.want)
			}
		})
	}
}
