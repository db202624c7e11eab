package care

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"
	"unicode"
)

// One fact, two transports.
//
// The same thing that happened on a ticket can reach carecoach twice: as a
// webhook and again from the help desk's REST API, when reconcile fetches
// what changed or a new connection backfills its history. The two copies
// have different ids (a webhook's comes from its delivery, the API's from
// the audit or conversation it was read from), and either may arrive first.
// So every interaction also carries a Key: the natural key of the fact,
// derived only from what the fact is (the help desk's comment id, or the
// kind, value and time of a change), never from how it travelled. Fold,
// Distinct and everything built on them (the playbook, the scorecards, the
// emails) see one interaction per Key, so nothing counts twice; and the
// anchors of moments and tasks (the awaited message, the rating, the
// escalation) are Keys too, so they do not depend on which copy arrived.
//
// Interactions stored before keys existed have none: FactOf gives their id,
// which is what they were deduplicated by before.

// CommentKey is the key of a comment the help desk gave an id (Zendesk's
// comment id, in the webhook's event.comment.id and the export's Comment
// event alike).
func CommentKey(commentID string) string { return "comment:" + commentID }

// ChangeKey is the key of a fact without an id of its own that both
// transports share: its kind, what it set, and its time truncated to
// precision (a second for Zendesk, whose webhook and export times agree to
// the second; a minute for Freshdesk, whose webhooks can render times to the
// minute only). A comment without an id is keyed by its words (letters and
// digits only, lower case, so markup and spacing differences between a
// webhook's rendering and the API's do not matter).
func ChangeKey(in Interaction, precision time.Duration) string {
	var value string
	switch in.Kind {
	case StatusChanged:
		value = string(in.Status)
	case AssigneeChanged:
		value = in.AssigneeID
	case GroupChanged:
		value = in.GroupID
	case PriorityChanged:
		value = strings.ToLower(in.Priority)
	case TagsChanged:
		tags := slices.Clone(in.Tags)
		slices.Sort(tags)
		value = strings.Join(tags, ",")
	case DueDateChanged:
		if !in.DueAt.IsZero() {
			value = in.DueAt.UTC().Format(time.RFC3339)
		}
	case Satisfaction:
		value = in.Rating
	case TicketMerged:
		value = in.MergedInto
	case CustomerMessage, AgentReply, InternalNote:
		value = wordsHash(in.Body)
	case TicketCreated, TicketDeleted:
	default:
		return "" // unrecognized and unread events are facts of one transport only
	}
	return string(in.Kind) + ":" + value + "@" + in.At.UTC().Truncate(precision).Format(time.RFC3339)
}

// wordsHash identifies a text by its letters and digits.
func wordsHash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:8])
}

// FactOf is the interaction's natural key, or its id when it has none.
func FactOf(in Interaction) string { return cmp.Or(in.Key, in.ID) }

// Distinct keeps one interaction per fact (see FactOf), in the order given.
// Of two copies the one with a snapshot wins (a webhook's carries the
// ticket as the help desk saw it), then the earlier, then the smaller id:
// the choice depends on the copies, never on which arrived first. What
// the winner lacks in words it takes from the best copy that has them: a
// Freshdesk rating's webhook carries no comment, its API copy does.
func Distinct(timeline []Interaction) []Interaction {
	best := make(map[string]int, len(timeline))
	worded := make(map[string]int, len(timeline))
	for i, in := range timeline {
		k := FactOf(in)
		if j, seen := best[k]; !seen || better(in, timeline[j]) {
			best[k] = i
		}
		if j, seen := worded[k]; in.Body != "" && (!seen || better(in, timeline[j])) {
			worded[k] = i
		}
	}
	if len(best) == len(timeline) {
		return timeline
	}
	out := make([]Interaction, 0, len(best))
	for i, in := range timeline {
		k := FactOf(in)
		if best[k] != i {
			continue
		}
		if j, ok := worded[k]; ok && in.Body == "" {
			in.Body = timeline[j].Body
		}
		out = append(out, in)
	}
	return out
}

func better(a, b Interaction) bool {
	if as, bs := !a.Snapshot.empty(), !b.Snapshot.empty(); as != bs {
		return as
	}
	if c := a.At.Compare(b.At); c != 0 {
		return c < 0
	}
	return a.ID < b.ID
}

func (s Snapshot) empty() bool {
	return s.Subject == "" && s.Status == "" && s.RequesterID == "" && s.AssigneeID == "" && s.GroupID == "" && s.Priority == "" && s.Tags == nil
}
