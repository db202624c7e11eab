package care

import (
	"regexp"
	"strings"
	"testing"
)

// ValidID and validClock are hand-written so that nothing is compiled at
// init; they accept exactly what the patterns they replace accepted.
func TestIDAndClockChecksMatchTheirPatterns(t *testing.T) {
	id := regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	clock := regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	inputs := []string{"", "-", "a", "a-", "-a", "acme-zendesk", "Acme", "a_b", "a b", "é", "0", "9-9",
		strings.Repeat("a", 63), strings.Repeat("a", 64), "a" + strings.Repeat("-", 62),
		"00:00", "23:59", "24:00", "19:60", "9:00", "09:0", "09-00", " 9:00", "ab:cd", "12:345", "2a:00", "0:000"}
	for c := range 128 {
		inputs = append(inputs, string(rune(c)), "a"+string(rune(c)), "1"+string(rune(c))+":00", "12:"+string(rune(c))+"0")
	}
	for _, s := range inputs {
		if got, want := ValidID(s), id.MatchString(s); got != want {
			t.Errorf("ValidID(%q) = %v, the pattern says %v", s, got, want)
		}
		if got, want := validClock(s), clock.MatchString(s); got != want {
			t.Errorf("validClock(%q) = %v, the pattern says %v", s, got, want)
		}
	}
}
