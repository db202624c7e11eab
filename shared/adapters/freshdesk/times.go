package freshdesk

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Time formats. Freshdesk renders times for people, not programs:
//
//   - {{ticket.modified_on}} is a Ruby time printed with to_s:
//     "2026-11-30 11:00:00 +0100", or "2026-11-30 10:00:00 UTC" in UTC.
//   - {{ticket.due_by_time}} is strftime('%B %e %Y at %I:%M %p %Z'), e.g.
//     "December  1 2026 at 06:00 PM CET" (note the space-padded day); older
//     accounts render it without the zone. Freshdesk's agent UI and some
//     guides show "Mon, 30 Nov, 2026 6:00 PM" and
//     "Mon, Nov 30, 2026 at 6:00 PM", and a hand-edited body may hold
//     ISO 8601, so those are accepted too.
//
// Both are in the account's (or agent's) time zone, and an account can
// render modified_on in the same human format as due_by_time ("December  3
// 2026 at 08:00 PM IST"), with no offset at all.
//
// How a time is placed, in order:
//
//  1. a numeric offset ("+0530", "-05:00", "Z") is taken as it is;
//  2. an abbreviation with one meaning (CET, EST, JST, …) is its offset;
//  3. an abbreviation with several (IST is India, Ireland and Israel; CST,
//     BST, PST, AST) is read in the connection's time zone when that zone
//     prints the same abbreviation at that time, else with the offset of
//     modified_on in the same body when that is one of its meanings;
//  4. no zone at all: the connection's time zone (its `timezone`, by
//     default the team's), or without one the offset of modified_on.
//
// A time none of these place is not guessed: guessing UTC could move a due
// time by hours. The event keeps the time it was received (updated_at) or
// its due date unread, and the log says why.

// zonedLayouts carry their own numeric offset and need no help.
var zonedLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -07:00",
}

// localLayouts are matched after any trailing zone token is split off.
// Go's "2" and "3" accept one or two digits, so "06:00" and "6:00" both
// match "3:04".
var localLayouts = []string{
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"January 2 2006 at 3:04 PM",
	"January 2, 2006 at 3:04 PM",
	"Jan 2 2006 at 3:04 PM",
	"Jan 2, 2006 at 3:04 PM",
	"January 2 2006 at 3:04:05 PM",
	"Mon, 2 Jan, 2006 3:04 PM",
	"Mon, 2 Jan 2006 3:04 PM",
	"Mon, 2 Jan, 2006 at 3:04 PM",
	"Mon, 2 Jan 2006 at 3:04 PM",
	"Mon, Jan 2, 2006 at 3:04 PM",
	"Mon, Jan 2, 2006 3:04 PM",
	"Jan 2, 2006 3:04 PM",
	"2 Jan 2006 3:04 PM",
}

// zones holds the abbreviations Ruby's %Z prints that mean one offset.
// Go's time.Parse cannot be trusted with abbreviations: for one it does not
// know it silently records a zero offset, which would move a due time by
// hours.
var zones = map[string]int{
	"UTC": 0, "GMT": 0, "Z": 0, "UT": 0, "WET": 0,
	"WEST": 1, "CET": 1, "WAT": 1,
	"CEST": 2, "EET": 2, "SAST": 2, "CAT": 2,
	"EEST": 3, "MSK": 3, "EAT": 3,
	"GST": 4, "PKT": 5,
	"SGT": 8, "HKT": 8, "AWST": 8, "WITA": 8,
	"JST": 9, "KST": 9,
	"AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13,
	"EST": -5, "EDT": -4, "CDT": -5, "MST": -7, "MDT": -6,
	"PDT": -7, "AKST": -9, "AKDT": -8, "HST": -10,
	"BRT": -3, "ART": -3,
}

// halfHourZones are the single-meaning abbreviations off the hour.
var halfHourZones = map[string]int{ // minutes east of UTC
	"ACST": 9*60 + 30, "ACDT": 10*60 + 30, "NPT": 5*60 + 45,
}

// ambiguousZones print the same letters for different offsets (India,
// Ireland and Israel are all "IST"). They are resolved with the offset the
// same body's modified_on carries, which is in the same account time zone.
var ambiguousZones = map[string][]int{ // minutes east of UTC
	"IST": {5*60 + 30, 60, 2 * 60},    // India, Ireland (summer), Israel
	"CST": {-6 * 60, 8 * 60, -5 * 60}, // US Central, China, Cuba
	"BST": {60, 6 * 60},               // British Summer, Bangladesh
	"PST": {-8 * 60, 8 * 60},          // US Pacific, Philippines
	"AST": {-4 * 60, 3 * 60},          // Atlantic, Arabia
}

var (
	// Zones without a letter abbreviation print as "+08" or "+0545".
	numericZone = regexp.MustCompile(`^[+-]\d\d(:?\d\d)?$`)
	alphaZone   = regexp.MustCompile(`^[A-Z]{1,5}$`)
)

// Sane bounds for help desk times: outside them a rendering is garbage,
// and year 1 would even read as "no time" to care.
var (
	earliest = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	latest   = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
)

// offset is a UTC offset known from elsewhere in the body, used to place a
// time that names no zone or an ambiguous one.
type offset struct {
	minutes int
	known   bool
}

// placing is what places a time that names no offset: the connection's
// time zone (nil: none configured) and the offset modified_on carried.
type placing struct {
	zone *time.Location
	ref  offset
}

// parseTime parses a Freshdesk-rendered time and returns it in UTC with the
// offset it was rendered in (see the rules above).
func parseTime(s string, p placing) (time.Time, offset, error) {
	fields := strings.Fields(s)
	for i, f := range fields {
		// Go's PM layout is case-sensitive; Freshdesk's is always upper
		// case, a hand-edited body may not be.
		if u := strings.ToUpper(f); u == "AM" || u == "PM" {
			fields[i] = u
		}
	}
	s = strings.Join(fields, " ")
	if s == "" {
		return time.Time{}, offset{}, fmt.Errorf("it is empty")
	}
	for _, layout := range zonedLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			_, east := t.Zone()
			return inBounds(t, offset{minutes: east / 60, known: true})
		}
	}

	zone := ""
	if last := fields[len(fields)-1]; len(fields) > 1 && last != "AM" && last != "PM" &&
		(numericZone.MatchString(last) || alphaZone.MatchString(last)) {
		zone = last
		s = strings.Join(fields[:len(fields)-1], " ")
	}
	var local time.Time
	matched := false
	for _, layout := range localLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			local, matched = t, true
			break
		}
	}
	if !matched {
		return time.Time{}, offset{}, fmt.Errorf("it is not in a format Freshdesk renders")
	}
	east, err := zoneOffset(zone, local, p)
	if err != nil {
		return time.Time{}, offset{}, err
	}
	return inBounds(local.Add(-time.Duration(east)*time.Minute), offset{minutes: east, known: true})
}

// zoneOffset returns the offset, in minutes east of UTC, of a wall-clock
// time (local, read as UTC) rendered with the zone token (maybe "").
func zoneOffset(zone string, local time.Time, p placing) (int, error) {
	inZone, zoneName := 0, ""
	if p.zone != nil {
		t := time.Date(local.Year(), local.Month(), local.Day(), local.Hour(), local.Minute(), local.Second(), 0, p.zone)
		var east int
		zoneName, east = t.Zone()
		inZone = east / 60
	}
	if zone == "" {
		switch {
		case p.zone != nil:
			return inZone, nil
		case p.ref.known:
			return p.ref.minutes, nil
		}
		return 0, fmt.Errorf("it names no time zone, and neither the connection's time zone nor modified_on's offset is known")
	}
	if numericZone.MatchString(zone) {
		digits := strings.ReplaceAll(zone[1:], ":", "") + "00"
		h, _ := strconv.Atoi(digits[:2])
		m, _ := strconv.Atoi(digits[2:4])
		if h > 14 || m > 59 {
			return 0, fmt.Errorf("its offset %s is out of range", zone)
		}
		east := h*60 + m
		if zone[0] == '-' {
			east = -east
		}
		return east, nil
	}
	if h, ok := zones[zone]; ok {
		return h * 60, nil
	}
	if m, ok := halfHourZones[zone]; ok {
		return m, nil
	}
	if p.zone != nil && zoneName == zone {
		return inZone, nil // the connection's zone prints this abbreviation then
	}
	if candidates, ok := ambiguousZones[zone]; ok {
		for _, c := range candidates {
			if p.ref.known && p.ref.minutes == c {
				return c, nil
			}
		}
		return 0, fmt.Errorf("its time zone %s is ambiguous, and neither the connection's time zone nor modified_on settles it", zone)
	}
	return 0, fmt.Errorf("its time zone %s is not one we know", zone)
}

func inBounds(t time.Time, off offset) (time.Time, offset, error) {
	if t.Before(earliest) || !t.Before(latest) {
		return time.Time{}, offset{}, fmt.Errorf("it is outside the years 2000 to 2099")
	}
	return t.UTC(), off, nil
}
