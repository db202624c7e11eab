package sesmail_test

import (
	"testing"

	"github.com/carecoach/carecoach/shared/adapters/sesmail"
)

func TestTheSendRateIsEmailsASecondOrNothing(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     float64
		ok       bool
	}{
		{"no rate set means not paced", "", 0, true},
		{"zero means not paced", "0", 0, true},
		{"a sandbox account's rate", "1", 1, true},
		{"a fractional rate", "14.5", 14.5, true},
		{"a negative rate is refused", "-1", 0, false},
		{"words are refused", "fast", 0, false},
		{"infinity is refused", "+Inf", 0, false},
		{"not a number is refused", "NaN", 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := sesmail.ParseSendRate(c.in)
			if (err == nil) != c.ok || got != c.want {
				t.Errorf("ParseSendRate(%q) = %v, %v; want %v, ok %v", c.in, got, err, c.want, c.ok)
			}
		})
	}
}
