package mail

import (
	"strconv"
	"strings"
	"time"
)

// duration says how long something took the way a person would: "45
// minutes", "4 hours 48 minutes", "19 hours", "7 days". It rounds down, so a
// warning never promises more time than is left.
func duration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "less than a minute"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute")
	case d < 6*time.Hour:
		// Close to a deadline the minutes matter.
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		if m == 0 {
			return plural(h, "hour")
		}
		return plural(h, "hour") + " " + plural(m, "minute")
	case d < 72*time.Hour:
		return plural(int(d/time.Hour), "hour")
	default:
		return plural(int(d/(24*time.Hour)), "day")
	}
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// person is a display name on one line, or "" when there is none. Names come
// from the help desk and may be typed by customers.
func person(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// clip shortens s to at most max runes, on a word boundary when there is one.
func clip(s string, max int) string {
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	r = r[:max]
	if i := strings.LastIndex(string(r), " "); i > len(string(r))/2 {
		return strings.TrimRight(string(r)[:i], " ") + " …"
	}
	return string(r) + "…"
}
