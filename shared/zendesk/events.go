package zendesk

import (
	"strings"

	"github.com/carecoach/carecoach/shared/care"
)

// change is one event-subscribed ticket event after its envelope was read.
type change struct {
	typ    string // full type, e.g. "zen:event-type:ticket.comment_added"
	detail object // the ticket snapshot
	event  object // the change-specific data; never nil
	snap   care.Snapshot
}

// eventKinds maps the part of the type after "zen:event-type:ticket." to the
// function that fills in the interaction. Types not listed are Unrecognized.
var eventKinds = map[string]func(change, *care.Interaction) error{
	"created":                  ticketCreated,
	"status_changed":           statusChanged,
	"comment_added":            commentAdded,
	"agent_assignment_changed": assigneeChanged,
	"group_assignment_changed": groupChanged,
	"priority_changed":         priorityChanged,
	"tags_changed":             tagsChanged,
	"task_due_at_changed":      dueDateChanged,
	"merged":                   ticketMerged,
	"soft_deleted":             ticketDeleted,
	"permanently_deleted":      ticketDeleted,
	"csat_received":            satisfactionReceived,
}

// normalizeEvent normalizes an event-subscribed body (Zendesk's envelope).
func normalizeEvent(conn string, o object) ([]care.Interaction, error) {
	in, c, err := readEnvelope(conn, o)
	if err != nil || in == nil {
		return nil, err
	}
	fill, ok := eventKinds[strings.TrimPrefix(c.typ, eventTypePrefix)]
	if !ok || !strings.HasPrefix(c.typ, eventTypePrefix) {
		fill = unrecognized
	}
	if err := fill(c, in); err != nil {
		return nil, within(c.typ, err)
	}
	return []care.Interaction{*in}, nil
}

// readEnvelope reads the fields every event shares and builds the common
// part of the interaction. It returns a nil interaction, and no error, for
// events that are not about a ticket.
func readEnvelope(conn string, o object) (*care.Interaction, change, error) {
	var f fields
	c := change{typ: strings.TrimSpace(f.str(o, "type", "event type"))}
	subject := f.str(o, "subject", "subject")
	c.detail = f.obj(o, "detail", "detail")
	c.event = f.obj(o, "event", "event")
	rawTime := f.str(o, "time", "event time")
	detailID := f.id(c.detail, "id", "detail.id")
	actor := f.id(c.detail, "actor_id", "detail.actor_id")
	if f.err != nil {
		return nil, c, f.err
	}
	if c.typ == "" {
		return nil, c, invalid("event type is empty")
	}
	id, err := eventID(o)
	if err != nil {
		return nil, c, err
	}
	ticket, err := ticketOf(c.typ, subject, detailID)
	if err != nil || ticket == "" {
		return nil, c, err
	}
	at, err := parseTime(rawTime, "event time")
	if err != nil {
		return nil, c, err
	}
	if c.snap, err = snapshotOf(c.detail); err != nil {
		return nil, c, err
	}
	if c.event == nil {
		c.event = object{} // ticket.created sends {}; some events send nothing
	}
	return &care.Interaction{
		ID:       "zd-" + keyPart(id),
		Ticket:   care.TicketRef{Connection: conn, TicketID: ticket},
		At:       at,
		ActorID:  actor,
		Snapshot: c.snap,
	}, c, nil
}

// ticketOf finds the ticket an event is about: subject "zen:ticket:<id>",
// else detail.id for ticket events. Both must agree when both are given.
// Other events (user, organization, messaging) describe something else in
// detail, so only their subject can name a ticket; if it does not, "".
func ticketOf(typ, subject, detailID string) (string, error) {
	fromSubject, named := strings.CutPrefix(strings.TrimSpace(subject), "zen:ticket:")
	if !strings.HasPrefix(typ, eventTypePrefix) {
		if !named {
			return "", nil
		}
		detailID = ""
	}
	ticket := fromSubject
	switch {
	case ticket == "" && detailID == "":
		return "", invalid("event names no ticket: subject is %q and detail.id is missing", clip(subject, 40))
	case ticket == "":
		ticket = detailID
	case detailID != "" && detailID != ticket:
		return "", invalid("subject names ticket %q but detail.id is %q", clip(ticket, 40), clip(detailID, 40))
	}
	if !isTicketID(ticket) {
		return "", invalid("ticket id %q is not a Zendesk ticket id", clip(ticket, 40))
	}
	return ticket, nil
}

// ticketCreated: the description is the first comment. It is kept as
// context only: the first comment is expected to arrive as its own
// comment_added event in the same update, and counting it here too would
// start the customer's response window twice.
func ticketCreated(c change, in *care.Interaction) error {
	var f fields
	in.Kind = care.TicketCreated
	in.Body = plainText(f.str(c.detail, "description", "detail.description"), "")
	return f.err
}

// statusChanged: event.current is the new status; when absent the snapshot
// (taken after the change) says the same.
func statusChanged(c change, in *care.Interaction) error {
	var f fields
	in.Kind = care.StatusChanged
	current := f.str(c.event, "current", "event.current")
	if f.err != nil {
		return f.err
	}
	if current == "" {
		if c.snap.Status == "" {
			return invalid("event.current is missing and detail.status is not a known status")
		}
		in.Status = c.snap.Status
		return nil
	}
	status, ok := parseStatus(current)
	if !ok {
		return invalid("event.current %q is not a ticket status carecoach knows", clip(current, 40))
	}
	in.Status = status
	return nil
}

// commentAdded tells the three kinds of comment apart: private comments are
// internal notes, public ones by staff are agent replies, public ones by
// anybody else are customer messages. is_public and author.is_staff are
// required: guessing would either hide a waiting customer or invent one.
func commentAdded(c change, in *care.Interaction) error {
	var f fields
	comment := f.obj(c.event, "comment", "event.comment")
	author := f.obj(comment, "author", "event.comment.author")
	public, publicSet := f.boolean(comment, "is_public", "event.comment.is_public")
	staff, staffSet := f.boolean(author, "is_staff", "event.comment.author.is_staff")
	authorID := f.id(author, "id", "event.comment.author.id")
	in.ActorName = strings.TrimSpace(f.str(author, "name", "event.comment.author.name"))
	in.Body = plainText(f.str(comment, "body", "event.comment.body"), f.str(comment, "html_body", "event.comment.html_body"))
	switch {
	case f.err != nil:
		return f.err
	case comment == nil:
		return invalid("event.comment is missing")
	case !publicSet:
		return invalid("event.comment.is_public is missing; cannot tell a reply from a note")
	case !public:
		in.Kind = care.InternalNote
	case !staffSet:
		return invalid("event.comment.author.is_staff is missing; cannot tell an agent from a customer")
	case staff:
		in.Kind = care.AgentReply
	default:
		in.Kind = care.CustomerMessage
		in.FromRequester = authorID != "" && authorID == c.snap.RequesterID
	}
	if authorID != "" {
		in.ActorID = authorID
	}
	return nil
}

// assigneeChanged: event.current is the new assignee id; null means the
// ticket was unassigned. Without event.current the snapshot is used.
func assigneeChanged(c change, in *care.Interaction) error {
	in.Kind = care.AssigneeChanged
	id, err := currentID(c, c.snap.AssigneeID)
	in.AssigneeID = id
	return err
}

// groupChanged works like assigneeChanged, for the group.
func groupChanged(c change, in *care.Interaction) error {
	in.Kind = care.GroupChanged
	id, err := currentID(c, c.snap.GroupID)
	in.GroupID = id
	return err
}

// currentID reads event.current as an id: null is "none", absent falls back
// to the snapshot value.
func currentID(c change, fromSnapshot string) (string, error) {
	if _, present := c.event["current"]; !present {
		return fromSnapshot, nil
	}
	return c.event.id("current", "event.current")
}

func priorityChanged(c change, in *care.Interaction) error {
	in.Kind = care.PriorityChanged
	in.Priority = c.snap.Priority
	if _, present := c.event["current"]; !present {
		return nil
	}
	current, err := c.event.str("current", "event.current")
	in.Priority = normPriority(current)
	return err
}

// tagsChanged stores the ticket's whole tag list after the change, because
// that is what care folds. Zendesk's documented detail.tags already holds it;
// event.current (a list) wins when present. Payloads that only carry a delta
// (tags_added/tags_removed, added/removed or tags.added/tags.removed) are
// applied to event.previous when that is given.
func tagsChanged(c change, in *care.Interaction) error {
	in.Kind = care.TagsChanged
	var f fields
	current, currentSet := f.strs(c.event, "current", "event.current")
	detailTags, detailSet := f.strs(c.detail, "tags", "detail.tags")
	previous, previousSet := f.strs(c.event, "previous", "event.previous")
	added, removed := tagDelta(&f, c.event)
	switch {
	case f.err != nil:
		return f.err
	case currentSet:
		in.Tags = cleanTags(current)
	case detailSet:
		in.Tags = cleanTags(detailTags)
	case previousSet:
		in.Tags = applyDelta(previous, added, removed)
	default:
		return invalid("no resulting tag list: event.current, detail.tags and event.previous are all missing")
	}
	return nil
}

// tagDelta reads the added and removed tags in whichever shape was sent.
func tagDelta(f *fields, event object) (added, removed []string) {
	if kindOf(event["tags"]) == "an object" {
		nested := f.obj(event, "tags", "event.tags")
		added, _ = f.strs(nested, "added", "event.tags.added")
		removed, _ = f.strs(nested, "removed", "event.tags.removed")
		return added, removed
	}
	for _, k := range [][2]string{{"tags_added", "tags_removed"}, {"added", "removed"}} {
		a, aSet := f.strs(event, k[0], "event."+k[0])
		r, rSet := f.strs(event, k[1], "event."+k[1])
		if aSet || rSet {
			return a, r
		}
	}
	return nil, nil
}

// applyDelta rebuilds the tag list from the list before and the delta.
func applyDelta(previous, added, removed []string) []string {
	drop := make(map[string]bool, len(removed))
	for _, t := range removed {
		drop[strings.TrimSpace(t)] = true
	}
	var out []string
	for _, t := range append(append([]string{}, previous...), added...) {
		if !drop[strings.TrimSpace(t)] {
			out = append(out, t)
		}
	}
	return cleanTags(out)
}

// dueDateChanged: event.current is the new due time; null clears it. The
// snapshot has no due date, so a missing event.current is an error rather
// than a silent clear.
func dueDateChanged(c change, in *care.Interaction) error {
	in.Kind = care.DueDateChanged
	if _, present := c.event["current"]; !present {
		return invalid("event.current is missing")
	}
	current, err := c.event.str("current", "event.current")
	if err != nil || current == "" {
		return err
	}
	in.DueAt, err = parseTime(current, "event.current")
	return err
}

// ticketMerged: this ticket was merged into another. The target's field name
// is not documented for webhooks, so the likely names are tried; the merge
// itself is recorded even when no target is given.
func ticketMerged(c change, in *care.Interaction) error {
	in.Kind = care.TicketMerged
	for _, key := range []string{"target_ticket_id", "merged_into", "target_id"} {
		id, err := c.event.id(key, "event."+key)
		if err != nil {
			return err
		}
		if id != "" {
			in.MergedInto = id
			return nil
		}
	}
	return nil
}

func ticketDeleted(_ change, in *care.Interaction) error {
	in.Kind = care.TicketDeleted
	return nil
}

// satisfactionReceived reads a CSAT rating. Zendesk has not published this
// payload for webhooks; the score and comment are looked for in
// event.satisfaction_score, event.satisfaction_rating, event.current and
// event itself. A score that is not good or bad ("offered", a numeric
// scale) is stored as Unrecognized rather than guessed.
func satisfactionReceived(c change, in *care.Interaction) error {
	score, comment, err := csatScore(c.event)
	if err != nil {
		return err
	}
	if score == "" {
		return invalid("no satisfaction score in event")
	}
	rating := parseRating(score)
	if rating == "" {
		return unrecognized(c, in)
	}
	in.Kind = care.Satisfaction
	in.Rating = rating
	in.Body = plainText(comment, "")
	if in.ActorID == "" {
		in.ActorID = c.snap.RequesterID // only the requester can rate
	}
	return nil
}

func csatScore(event object) (score, comment string, err error) {
	type place struct {
		o    object
		path string
	}
	var f fields
	var places []place
	for _, key := range []string{"satisfaction_score", "satisfaction_rating", "current"} {
		if kindOf(event[key]) == "an object" {
			places = append(places, place{f.obj(event, key, "event."+key), "event." + key})
		}
	}
	places = append(places, place{event, "event"})
	for _, p := range places {
		score = f.str(p.o, "score", p.path+".score")
		if score == "" && kindOf(p.o["rating"]) == "a string" {
			score = f.str(p.o, "rating", p.path+".rating")
		}
		if score != "" {
			return score, f.str(p.o, "comment", p.path+".comment"), f.err
		}
	}
	return "", "", f.err
}

// unrecognized keeps an event carecoach does not model: it is stored with
// its type so nothing is lost, and care ignores it when folding.
func unrecognized(c change, in *care.Interaction) error {
	in.Kind = care.Unrecognized
	in.SourceID = c.typ
	return nil
}
