package dashboard

import (
	"testing"
	"time"
)

func TestFiguresReadTheWayAPersonSaysThem(t *testing.T) {
	for _, c := range []struct {
		name string
		got  string
		want string
	}{
		{"a share without data is a dash", percentOr(0, false), "–"},
		{"a share is a whole percentage, rounded", percentOr(83.5, true), "84%"},
		{"no share at all is 0%", percentOr(0, true), "0%"},
		{"a wait under an hour is whole minutes", duration(41*time.Minute + 40*time.Second), "42 min"},
		{"a wait of hours has one decimal", duration(3*time.Hour + 30*time.Minute), "3.5 h"},
		{"a whole number of hours has no decimal", duration(5 * time.Hour), "5 h"},
		{"a wait of two days or more is in days", duration(60 * time.Hour), "2.5 d"},
		{"no waits at all is a dash", durationOr(time.Hour, 0), "–"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.got != c.want {
				t.Errorf("got %q, want %q", c.got, c.want)
			}
		})
	}
}
