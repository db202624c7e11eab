package zendesk

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// ExportPage is one page of Zendesk's incremental ticket event export,
// GET /api/v2/incremental/ticket_events.json?start_time=<unix>&include=comment_events
// (time-based: up to 1,000 events a page). Events are kept raw and read
// leniently, like webhook bodies. testdata/README.md says which fields
// Zendesk documents and which are assumed.
type ExportPage struct {
	TicketEvents []json.RawMessage `json:"ticket_events"`
	// NextPage is the URL of the next page (its start_time is EndTime).
	NextPage string `json:"next_page"`
	Count    int    `json:"count"`
	// EndOfStream is true when this page reaches the present (less the
	// last minute, which the export never includes).
	EndOfStream bool `json:"end_of_stream"`
	// EndTime is the time of the page's last event: the start_time of the
	// next request, and so the cursor reconcile stores once the page is
	// applied.
	EndTime int64 `json:"end_time"`
}

// Export reads the ticket events of one export page into canonical
// interactions, and lists the comment authors whose role it needed and
// was not told (see Roles): the export says who wrote a comment, not
// whether they are staff, which is what tells a reply from a customer's
// message.
//
// Each event is one update (an audit) of one ticket; its child events are
// what changed: Create (a field of a new ticket), Change (field_name,
// value, previous_value), Comment (with include=comment_events: id, body,
// html_body, public, author_id) and SatisfactionRating (score, body).
// Every interaction gets the fact key its webhook twin gets (comment id;
// else kind, value and time to the second), so a fact the webhooks
// delivered too counts once (care.Distinct).
//
// The export carries no snapshot of the ticket. Within a page, the fields
// each ticket's updates set are carried forward as the snapshot of the
// interactions that follow ("the ticket after this update", as far as the
// page knows); fields it did not see stay unknown, which care reads as
// unknown. Events that cannot be placed (no ticket, no time) are skipped
// and reported in skipped; unreadable fields make an interaction partial.
type Export struct {
	// Users are the comment authors known so far (see User). Authors
	// missing here are listed by Authors.
	Users map[string]User
	// Snapshots carries each ticket's fields from one page to the next
	// (Normalize fills it; nil starts afresh).
	Snapshots map[string]care.Snapshot
}

// User is what the users API says about a comment's author.
type User struct {
	Staff bool // an agent or admin, not an end user
	Name  string
}

// Authors lists the comment authors of page events whose role Roles does
// not know, for one users lookup (GET /api/v2/users/show_many.json).
func (x Export) Authors(events []json.RawMessage) []string {
	var out []string
	for _, raw := range events {
		o, err := parseBody(raw)
		if err != nil {
			continue
		}
		for _, c := range children(o) {
			if kind := childKind(c); kind != "comment" {
				continue
			}
			if id, _ := c.id("author_id", "author_id"); id != "" && !known(x.Users, id) && !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}

func known(users map[string]User, id string) bool { _, ok := users[id]; return ok }

// Normalize reads the events of one page (see Export).
func (x Export) Normalize(conn string, events []json.RawMessage) (ins []care.Interaction, skipped []string) {
	snaps := x.Snapshots
	if snaps == nil {
		snaps = map[string]care.Snapshot{}
	}
	for i, raw := range events {
		got, why := x.event(conn, raw, snaps)
		if why != "" {
			skipped = append(skipped, "ticket_events["+strconv.Itoa(i)+"]: "+why)
			continue
		}
		ins = append(ins, got...)
	}
	return ins, skipped
}

func (x Export) event(conn string, raw json.RawMessage, snaps map[string]care.Snapshot) ([]care.Interaction, string) {
	o, err := parseBody(raw)
	if err != nil {
		return nil, care.ErrorMessage(err)
	}
	audit, err := o.id("id", "id")
	if err != nil || audit == "" {
		return nil, "no event id"
	}
	ticket, err := o.id("ticket_id", "ticket_id")
	if err != nil || !isTicketID(ticket) {
		return nil, "no ticket id"
	}
	at, ok := eventTime(o)
	if !ok {
		return nil, "no readable created_at or timestamp"
	}
	f := &fields{}
	actor := f.id(o, "updater_id", "updater_id")
	snap := snaps[ticket]
	snap.Tags = slices.Clone(snap.Tags)
	var out []care.Interaction
	created := false
	add := func(child string, in care.Interaction) {
		in.ID = "zdx-" + keyPart(audit) + "-" + keyPart(child)
		in.Ticket = care.TicketRef{Connection: conn, TicketID: ticket}
		in.At = at
		if in.ActorID == "" {
			in.ActorID = actor
		}
		out = append(out, in)
	}
	for n, c := range children(o) {
		child, _ := c.id("id", "child_events.id")
		if child == "" {
			child = strconv.Itoa(n)
		}
		switch childKind(c) {
		case "create":
			created = true
			setField(f, &snap, c)
		case "change":
			if in, ok := exportChange(f, &snap, c); ok {
				add(child, in)
			}
		case "comment":
			add(child, x.comment(f, snap, c, child))
		case "satisfactionrating":
			score := f.str(c, "score", "child_events.score")
			if rating := parseRating(score); rating != "" {
				add(child, care.Interaction{Kind: care.Satisfaction, Rating: rating, Body: plainText(f.str(c, "body", "child_events.body"), ""), ActorID: snap.RequesterID})
			}
		}
	}
	if created {
		add("created", care.Interaction{Kind: care.TicketCreated})
	}
	snaps[ticket] = snap
	for i := range out {
		out[i].Snapshot = snap
		out[i].Snapshot.Tags = slices.Clone(snap.Tags)
		out[i].Unread = f.unread
		if out[i].Key == "" {
			out[i].Key = care.ChangeKey(out[i], time.Second)
		}
	}
	return out, ""
}

// eventTime is the update's time: created_at, else the Unix timestamp.
func eventTime(o object) (time.Time, bool) {
	if s, err := o.str("created_at", "created_at"); err == nil && s != "" {
		if at, err := parseTime(s, "created_at"); err == nil {
			return at, true
		}
	}
	if s, err := o.id("timestamp", "timestamp"); err == nil && s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
			return time.Unix(n, 0).UTC(), true
		}
	}
	return time.Time{}, false
}

// children are the update's child events, each an object.
func children(o object) []object {
	var raws []json.RawMessage
	if err := json.Unmarshal(o["child_events"], &raws); err != nil {
		return nil
	}
	var out []object
	for _, r := range raws {
		if c, err := parseBody(r); err == nil {
			out = append(out, c)
		}
	}
	return out
}

// childKind is the child event's type in lower case ("event_type", or
// "type" as the audits API names it).
func childKind(c object) string {
	k, _ := c.str("event_type", "event_type")
	if k == "" {
		k, _ = c.str("type", "type")
	}
	return strings.ToLower(strings.TrimSpace(k))
}

// value reads a child event's value as text (ids and words), a list
// (tags) or nothing (null).
func value(f *fields, c object) (string, []string, bool) {
	switch kindOf(c["value"]) {
	case "an array":
		list, _ := f.strs(c, "value", "child_events.value")
		return "", list, true
	case "null", "nothing":
		return "", nil, false
	}
	if s, err := c.id("value", "child_events.value"); err == nil {
		return s, nil, true
	}
	return f.str(c, "value", "child_events.value"), nil, true
}

// setField carries a Create or Change event's value into the snapshot.
func setField(f *fields, s *care.Snapshot, c object) {
	name := strings.ToLower(f.str(c, "field_name", "child_events.field_name"))
	v, list, _ := value(f, c)
	switch name {
	case "subject":
		s.Subject = v
	case "status":
		if st, ok := parseStatus(v); ok {
			s.Status = st
		}
	case "priority":
		s.Priority = normPriority(v)
	case "requester_id":
		s.RequesterID = v
	case "assignee_id":
		s.AssigneeID = v
	case "group_id":
		s.GroupID = v
	case "tags":
		if list == nil && v != "" {
			list = strings.Fields(v) // the audits API can render tags as one spaced string
		}
		s.Tags = cleanTags(list)
	}
}

// exportChange turns a Change event of a field carecoach models into the
// interaction its webhook twin would be, and carries it into the snapshot.
func exportChange(f *fields, s *care.Snapshot, c object) (care.Interaction, bool) {
	setField(f, s, c)
	v, _, set := value(f, c)
	switch strings.ToLower(f.str(c, "field_name", "child_events.field_name")) {
	case "status":
		if st, ok := parseStatus(v); ok {
			return care.Interaction{Kind: care.StatusChanged, Status: st}, true
		}
		if strings.EqualFold(strings.TrimSpace(v), "deleted") {
			return care.Interaction{Kind: care.TicketDeleted}, true
		}
	case "assignee_id":
		return care.Interaction{Kind: care.AssigneeChanged, AssigneeID: s.AssigneeID}, true
	case "group_id":
		return care.Interaction{Kind: care.GroupChanged, GroupID: s.GroupID}, true
	case "priority":
		return care.Interaction{Kind: care.PriorityChanged, Priority: s.Priority}, true
	case "tags":
		return care.Interaction{Kind: care.TagsChanged, Tags: slices.Clone(s.Tags)}, true
	case "due_at":
		in := care.Interaction{Kind: care.DueDateChanged}
		if set && v != "" {
			due, err := parseTime(v, "child_events.value")
			if err != nil {
				f.note(err)
				return care.Interaction{}, false
			}
			in.DueAt = due
		}
		return in, true
	}
	return care.Interaction{}, false
}

// comment tells a reply, a note and a customer's message apart as the
// webhook does: private is a note; public by staff a reply; public by
// anyone else (the requester, a CC) a customer's message. An author whose
// role is unknown is not guessed, unless they are the requester.
func (x Export) comment(f *fields, s care.Snapshot, c object, id string) care.Interaction {
	in := care.Interaction{Key: care.CommentKey(id)}
	public, publicSet := f.boolean(c, "public", "child_events.public")
	author := f.id(c, "author_id", "child_events.author_id")
	in.ActorID = author
	in.Body = plainText(f.str(c, "body", "child_events.body"), f.str(c, "html_body", "child_events.html_body"))
	user, isKnown := x.Users[author]
	in.ActorName = user.Name
	requester := author != "" && author == s.RequesterID
	switch {
	case publicSet && !public:
		in.Kind = care.InternalNote
	case isKnown && user.Staff:
		in.Kind = care.AgentReply
	case isKnown && !user.Staff, requester:
		in.Kind = care.CustomerMessage
		in.FromRequester = requester
		in.Body = customerWords(in.Body, user.Name)
	default:
		in.Kind, in.SourceID = care.ChangeUnread, "export:Comment"
		f.notef("comment %s: the role of author %q is unknown; cannot tell a reply from a customer's message", id, author)
	}
	return in
}
