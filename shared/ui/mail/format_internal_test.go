package mail

import (
	"testing"
	"time"
)

func TestDurationReadsLikeAPersonWouldSayIt(t *testing.T) {
	tests := []struct {
		name string
		d    time.Duration
		want string
	}{
		{"seconds are less than a minute", 40 * time.Second, "less than a minute"},
		{"a negative duration is less than a minute", -time.Hour, "less than a minute"},
		{"one minute is singular", time.Minute, "1 minute"},
		{"minutes under an hour", 45*time.Minute + 30*time.Second, "45 minutes"},
		{"a whole hour is singular", time.Hour, "1 hour"},
		{"close to a deadline the minutes count", 4*time.Hour + 48*time.Minute, "4 hours 48 minutes"},
		{"a day of waiting is in hours, rounded down", 19*time.Hour + 12*time.Minute, "19 hours"},
		{"a response window", 24 * time.Hour, "24 hours"},
		{"three days or more are in days", 7*24*time.Hour + 5*time.Hour, "7 days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := duration(tt.d); got != tt.want {
				t.Errorf("duration(%v) = %q, want %q", tt.d, got, tt.want)
			}
		})
	}
}
