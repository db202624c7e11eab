package freshdesk

import (
	"html"
	"strings"

	"github.com/carecoach/carecoach/shared/core/care"
)

// statuses maps Freshdesk's status labels and API codes to care statuses.
// {{ticket.status}} renders the label; some accounts' templates and the
// "Simple" content type send the numeric code, so both are accepted.
// "Waiting on Customer" and "Waiting on Third Party" are the custom
// statuses Freshdesk creates in new accounts (codes 6 and 7 there, though
// an account that deleted and re-added statuses can number them
// differently; the labels are the reliable signal).
var statuses = map[string]care.Status{
	"open":                   care.StatusOpen,
	"2":                      care.StatusOpen,
	"pending":                care.StatusPending,
	"3":                      care.StatusPending,
	"resolved":               care.StatusSolved,
	"4":                      care.StatusSolved,
	"closed":                 care.StatusClosed,
	"5":                      care.StatusClosed,
	"waiting on customer":    care.StatusPending, // the customer owes us an answer, like pending
	"6":                      care.StatusPending,
	"waiting on third party": care.StatusOnHold, // blocked on someone else, like Zendesk's on-hold
	"7":                      care.StatusOnHold,
}

// parseStatus maps a rendered status to a care status, ignoring case and
// spacing. ok is false for anything else, e.g. an account's own custom
// status, which we cannot place in the lifecycle.
func parseStatus(s string) (care.Status, bool) {
	st, ok := statuses[normKey(s)]
	return st, ok
}

// priorities maps Freshdesk's priority codes to the labels it renders. The
// labels are kept (lower-cased) rather than translated to Zendesk's words:
// care does not define a priority vocabulary, and "medium" is what agents
// see in Freshdesk.
var priorities = map[string]string{
	"low": "low", "1": "low",
	"medium": "medium", "2": "medium",
	"high": "high", "3": "high",
	"urgent": "urgent", "4": "urgent",
}

// parsePriority maps a rendered priority; Freshdesk has exactly four.
func parsePriority(s string) (string, bool) {
	p, ok := priorities[normKey(s)]
	return p, ok
}

// parseTags splits {{ticket.tags}}, which renders the tag names joined by
// ", ". Tags are trimmed, de-duplicated and kept in Freshdesk's order.
// An empty rendering gives nil, "unknown" in a snapshot, because an empty
// string cannot be told apart from a placeholder the admin left out.
func parseTags(s string) []string {
	var tags []string
	seen := map[string]bool{}
	for _, t := range strings.Split(s, ",") {
		t = strings.TrimSpace(html.UnescapeString(t))
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		tags = append(tags, t)
	}
	return tags
}

// Ratings. Freshdesk has no placeholder for a satisfaction rating, so a
// feedback rule can only carry a rating the admin typed into that rule's
// body, one rule per rating condition (see SETUP.md). We accept:
//
//   - care's own words: "good", "bad";
//   - the survey labels Freshdesk shows: "Extremely Happy", "Very Happy",
//     "Happy" → good; "Neutral" → no rating; "Unhappy", "Very Unhappy",
//     "Extremely Unhappy" → bad; and the classic survey's "Awesome" → good,
//     "Just Okay" → no rating, "Not Good" → bad;
//   - Freshdesk's API rating codes: 101..103 → good, 100 → no rating,
//     -101..-103 → bad;
//   - a five-point scale: 4..5 → good, 3 → no rating, 1..2 → bad.
//
// Neutral maps to "" because care knows only good and bad, and a neutral
// answer is neither; anything unrecognized also maps to "", so that a
// feedback event is never lost to a typo in a rule.
var ratings = map[string]string{
	"good": "good", "bad": "bad",
	"extremely happy": "good", "very happy": "good", "happy": "good",
	"unhappy": "bad", "very unhappy": "bad", "extremely unhappy": "bad",
	"awesome": "good", "not good": "bad",
	"103": "good", "102": "good", "101": "good",
	"-101": "bad", "-102": "bad", "-103": "bad",
	"5": "good", "4": "good", "2": "bad", "1": "bad",
}

// parseRating maps a rating to "good", "bad" or "" (none or neutral).
func parseRating(s string) string {
	return ratings[normKey(s)]
}

// normKey lower-cases and collapses spacing, for matching labels.
func normKey(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(html.UnescapeString(s)), " "))
}

// sameName reports whether two display names are the same person's, as
// far as a name can tell: case and spacing are ignored.
func sameName(a, b string) bool {
	return a != "" && normKey(a) == normKey(b)
}
