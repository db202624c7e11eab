package zendesk

import (
	"fmt"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// fields reads several fields and notes each that cannot be read, so a
// normalizer reads as a list of fields rather than a ladder of "if err !=
// nil", and one unreadable field costs only itself: its read returns the
// zero value ("unknown") and the reason goes to unread, which ends up on the
// interaction. Fields an event cannot do without (its id, time, ticket) are
// read with the plain object methods instead, and fail the delivery.
type fields struct{ unread []string }

func (f *fields) note(err error) {
	if err != nil {
		f.unread = append(f.unread, care.ErrorMessage(err))
	}
}

// notef notes a field that was read but cannot be used.
func (f *fields) notef(format string, args ...any) {
	f.unread = append(f.unread, fmt.Sprintf(format, args...))
}

func (f *fields) obj(o object, key, path string) object {
	v, err := o.obj(key, path)
	f.note(err)
	return v
}

func (f *fields) str(o object, key, path string) string {
	v, err := o.str(key, path)
	f.note(err)
	return v
}

func (f *fields) id(o object, key, path string) string {
	v, err := o.id(key, path)
	f.note(err)
	return v
}

func (f *fields) strs(o object, key, path string) ([]string, bool) {
	v, set, err := o.strs(key, path)
	f.note(err)
	return v, set
}

func (f *fields) boolean(o object, key, path string) (value, set bool) {
	v, set, err := o.boolean(key, path)
	f.note(err)
	return v, set
}

// parseStatus maps Zendesk's status words to care statuses. Event payloads
// use upper case ("HOLD"), the REST API lower case ("hold") and the trigger
// placeholder the label ("On-hold"), so case and separators are ignored.
// Statuses carecoach does not track (DELETED, ARCHIVED, SCRUBBED) report
// false.
func parseStatus(s string) (care.Status, bool) {
	word := strings.NewReplacer("-", "", "_", "", " ", "").Replace(strings.ToLower(strings.TrimSpace(s)))
	switch word {
	case "new":
		return care.StatusNew, true
	case "open":
		return care.StatusOpen, true
	case "pending":
		return care.StatusPending, true
	case "hold", "onhold":
		return care.StatusOnHold, true
	case "solved":
		return care.StatusSolved, true
	case "closed":
		return care.StatusClosed, true
	}
	return "", false
}

// untracked reports Zendesk's statuses that carecoach reads but does not
// model (a deleted, archived or scrubbed ticket has no lifecycle left).
func untracked(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "deleted", "archived", "scrubbed":
		return true
	}
	return false
}

// normPriority lower-cases Zendesk priorities ("HIGH" in events, "High" from
// placeholders) so every source stores the same words: low, normal, high,
// urgent. The trigger placeholder renders "-" for no priority.
func normPriority(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "-" {
		return ""
	}
	return s
}

// parseRating maps a satisfaction score to care's "good" or "bad". Event
// payloads say "GOOD", the REST API "good", and the trigger placeholder may
// render a label such as "Good, I'm satisfied". Anything else ("offered",
// "unoffered", numeric scales) is not a rating and gives "".
func parseRating(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case strings.HasPrefix(s, "good"):
		return "good"
	case strings.HasPrefix(s, "bad"):
		return "bad"
	}
	return ""
}

// cleanTags drops empty and repeated tags, keeping Zendesk's order.
func cleanTags(tags []string) []string {
	out := make([]string, 0, len(tags))
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, t)
	}
	return out
}

// parseTime reads an RFC 3339 time, with or without fractional seconds, as
// UTC. The zero time is refused because care treats it as "no time".
func parseTime(s, path string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, invalid("%s is missing", path)
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, invalid("%s %q is not an RFC 3339 time", path, clip(s, 40))
	}
	if t.IsZero() {
		return time.Time{}, invalid("%s %q is the zero time", path, s)
	}
	return t.UTC(), nil
}

// isTicketID reports whether s can name a ticket in keys and URLs. Zendesk
// ticket ids are integers; letters, '-' and '_' are allowed so test data and
// other help desks' ids fit, but nothing that needs escaping.
func isTicketID(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
