package grammar

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// QuotedItem returns the item a manager answers by writing right below a
// quoted part of a digest: the last item header in the quote, if it is
// among the quote's last dozen lines and no section heading follows it.
// It returns 0 when the quote ends anywhere else (in the cadence section,
// the trends, the help), or names no item in 1..items.
//
// An item header is how the digest's text part starts an item ("2. Ana
// Silva (commitment)"), or how its HTML part reads as text: the number on
// a line of its own ("2" or "2."), then "Ana Silva · commitments", or both
// on one line.
func QuotedItem(quoted string, items int) int {
	lines := splitLines(quoted)
	next, seen := "", 0 // the non-blank line below, and how many were read
	for i := len(lines) - 1; i >= 0 && seen < 12; i-- {
		l := clean(lines[i])
		if l == "" {
			continue
		}
		seen++
		if quotedHeading().MatchString(l) {
			return 0
		}
		if n, ok := itemHeader(l, next); ok {
			if 1 <= n && n <= items {
				return n
			}
			return 0
		}
		next = l
	}
	return 0
}

func itemHeader(line, next string) (int, bool) {
	m := textItemHeader().FindStringSubmatch(line)
	if m == nil {
		m = htmlItemHeader().FindStringSubmatch(line)
	}
	if m == nil {
		if m = numberAlone().FindStringSubmatch(line); m == nil || !strings.Contains(next, " · ") {
			return 0, false
		}
	}
	n, err := strconv.Atoi(m[1])
	return n, err == nil
}

var (
	textItemHeader = lazyRegexp(`^(\d{1,2})\. \S.*\([^()]+\)$`)
	htmlItemHeader = lazyRegexp(`^(\d{1,2})\.? +\S.* · \S`)
	numberAlone    = lazyRegexp(`^(\d{1,2})\.?$`)
	// quotedHeading is a digest section heading: "TO COACH", "FEEDBACK
	// CADENCE", "TRENDS (this week, …)" in the text part, the same words in
	// the HTML part, the help's "--" separator, or html2text's underline.
	quotedHeading = lazyRegexp(`^([A-Z][A-Z ,&'’/-]{2,}[A-Z]( \(.*\))?|-{2,}|=+|(?i:to praise|to coach|feedback cadence|how the team feels|trends|how to reply):?)$`)
)

// lazyRegexp compiles expr on first use, not at init: every function that
// links the grammar would otherwise pay for it in its cold start.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
