package zendesk

import (
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// change is one event-subscribed ticket event after its envelope was read.
type change struct {
	typ    string // full type, e.g. "zen:event-type:ticket.comment_added"
	detail object // the ticket snapshot
	event  object // the change-specific data; never nil
	snap   care.Snapshot
	f      *fields // notes what could not be read
}

// eventKinds maps the part of the type after "zen:event-type:ticket." (lower
// case) to the function that fills in the interaction. Types not listed are
// Unrecognized.
var eventKinds = map[string]func(change, *care.Interaction){
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

// kindOfType finds the filler of an event type, in any case.
func kindOfType(typ string) (func(change, *care.Interaction), bool) {
	lower := strings.ToLower(typ)
	if !strings.HasPrefix(lower, eventTypePrefix) {
		return nil, false
	}
	fill, ok := eventKinds[strings.TrimPrefix(lower, eventTypePrefix)]
	return fill, ok
}

// normalizeEvent normalizes an event-subscribed body (Zendesk's envelope).
func normalizeEvent(conn string, o object) ([]care.Interaction, error) {
	in, c, err := readEnvelope(conn, o)
	if err != nil || in == nil {
		return nil, err
	}
	fill, ok := kindOfType(c.typ)
	if !ok {
		fill = unrecognized
	}
	fill(c, in)
	in.Unread = c.f.unread
	setKey(in)
	return []care.Interaction{*in}, nil
}

// readEnvelope reads the fields every event shares and builds the common
// part of the interaction. It returns a nil interaction, and no error, for
// events that are not about a ticket. The event's id, type, time and ticket
// are required; the rest is read as far as it can be.
func readEnvelope(conn string, o object) (*care.Interaction, change, error) {
	c := change{f: &fields{}}
	typ, err := o.str("type", "event type")
	if err != nil {
		return nil, c, err
	}
	if c.typ = strings.TrimSpace(typ); c.typ == "" {
		return nil, c, invalid("event type is empty")
	}
	id, err := eventID(o)
	if err != nil {
		return nil, c, err
	}
	subject, err := o.str("subject", "subject")
	if err != nil {
		return nil, c, err
	}
	rawTime, err := o.str("time", "event time")
	if err != nil {
		return nil, c, err
	}
	c.detail = c.f.obj(o, "detail", "detail")
	c.event = c.f.obj(o, "event", "event")
	detailID, err := c.detail.id("id", "detail.id")
	if err != nil && subject == "" {
		return nil, c, err // the only other place that could name the ticket
	}
	c.f.note(err)
	ticket, err := ticketOf(c.typ, subject, detailID)
	if err != nil || ticket == "" {
		return nil, c, err
	}
	at, err := parseTime(rawTime, "event time")
	if err != nil {
		return nil, c, err
	}
	actor := c.f.id(c.detail, "actor_id", "detail.actor_id")
	c.snap = snapshotOf(c.f, c.detail)
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

// setKey gives an interaction its fact key (care.ChangeKey) unless it has
// one (a comment's id): the same key the export of ticket events gives the
// same fact (export.go), so a fact that came both ways counts once. Zendesk
// times agree to the second between the two.
func setKey(in *care.Interaction) {
	if in.Key == "" {
		in.Key = care.ChangeKey(*in, time.Second)
	}
}

// unreadChange marks an interaction whose own change could not be read, and
// notes why: its snapshot still counts, the change is not guessed.
func unreadChange(c change, in *care.Interaction, format string, args ...any) {
	c.f.notef(format, args...)
	in.Kind, in.SourceID = care.ChangeUnread, c.typ
}

// unreadErr is unreadChange for a field whose read failed with err.
func unreadErr(c change, in *care.Interaction, err error) {
	c.f.note(err)
	in.Kind, in.SourceID = care.ChangeUnread, c.typ
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
func ticketCreated(c change, in *care.Interaction) {
	in.Kind = care.TicketCreated
	in.Body = customerWords(plainText(c.f.str(c.detail, "description", "detail.description"), ""), "")
}

// statusChanged: event.current is the new status; when it is absent or
// cannot be read the snapshot (taken after the change) says the same.
func statusChanged(c change, in *care.Interaction) {
	in.Kind = care.StatusChanged
	current := c.f.str(c.event, "current", "event.current")
	status, ok := parseStatus(current)
	switch {
	case ok:
		in.Status = status
	case untracked(current):
		// Deleted, archived, scrubbed: read, and not part of a lifecycle.
		in.Kind, in.SourceID = care.Unrecognized, c.typ+":"+strings.ToLower(strings.TrimSpace(current))
	case c.snap.Status != "":
		if current != "" {
			c.f.notef("event.current %q is not a ticket status carecoach knows; detail.status is used", clip(current, 40))
		}
		in.Status = c.snap.Status
	case current != "":
		unreadChange(c, in, "event.current %q is not a ticket status carecoach knows", clip(current, 40))
	default:
		unreadChange(c, in, "event.current is missing and detail.status is not a known status")
	}
}

// commentAdded tells the three kinds of comment apart: private comments are
// internal notes, public ones by staff are agent replies, public ones by
// anybody else are customer messages. When is_public or author.is_staff
// cannot be read, what is known decides if it can (only staff write
// private comments; an end user's comments are public; the requester is a
// customer); otherwise the comment is not guessed: guessing would either
// hide a waiting customer or invent one.
func commentAdded(c change, in *care.Interaction) {
	f := c.f
	comment := f.obj(c.event, "comment", "event.comment")
	if comment == nil {
		unreadChange(c, in, "event.comment is missing")
		return
	}
	author := f.obj(comment, "author", "event.comment.author")
	public, publicSet := f.boolean(comment, "is_public", "event.comment.is_public")
	staff, staffSet := f.boolean(author, "is_staff", "event.comment.author.is_staff")
	authorID := f.id(author, "id", "event.comment.author.id")
	if id := f.id(comment, "id", "event.comment.id"); id != "" {
		in.Key = care.CommentKey(id)
	}
	in.ActorName = strings.TrimSpace(f.str(author, "name", "event.comment.author.name"))
	in.Body = plainText(f.str(comment, "body", "event.comment.body"), f.str(comment, "html_body", "event.comment.html_body"))
	if authorID != "" {
		in.ActorID = authorID
	}
	requester := authorID != "" && authorID == c.snap.RequesterID
	switch {
	case publicSet && !public:
		in.Kind = care.InternalNote
	case publicSet && staffSet && staff:
		in.Kind = care.AgentReply
	case staffSet && !staff, !staffSet && requester:
		// An end user's comment is public whatever is_public says; the
		// requester is not staff.
		in.Kind = care.CustomerMessage
	case !publicSet:
		unreadChange(c, in, "event.comment.is_public is missing or unreadable; cannot tell a reply from a note")
		return
	default:
		unreadChange(c, in, "event.comment.author.is_staff is missing or unreadable; cannot tell an agent from a customer")
		return
	}
	if in.Kind == care.CustomerMessage {
		in.FromRequester = requester
		in.Body = customerWords(in.Body, in.ActorName)
	}
}

// assigneeChanged: event.current is the new assignee id; null means the
// ticket was unassigned. Without a readable event.current the snapshot is
// used.
func assigneeChanged(c change, in *care.Interaction) {
	in.Kind = care.AssigneeChanged
	id, ok := currentID(c, c.snap.AssigneeID)
	if !ok {
		unreadChange(c, in, "no readable assignee in event.current or detail.assignee_id")
	}
	in.AssigneeID = id
}

// groupChanged works like assigneeChanged, for the group.
func groupChanged(c change, in *care.Interaction) {
	in.Kind = care.GroupChanged
	id, ok := currentID(c, c.snap.GroupID)
	if !ok {
		unreadChange(c, in, "no readable group in event.current or detail.group_id")
	}
	in.GroupID = id
}

// currentID reads event.current as an id: null is "none", absent falls back
// to the snapshot value, and so does one that cannot be read (noted), if the
// snapshot names someone. ok is false when neither can be read: an empty
// snapshot cannot tell "unassigned" from "unknown".
func currentID(c change, fromSnapshot string) (string, bool) {
	if _, present := c.event["current"]; !present {
		return fromSnapshot, true
	}
	id, err := c.event.id("current", "event.current")
	if err == nil {
		return id, true
	}
	c.f.note(err)
	return fromSnapshot, fromSnapshot != ""
}

func priorityChanged(c change, in *care.Interaction) {
	in.Kind = care.PriorityChanged
	in.Priority = c.snap.Priority
	if _, present := c.event["current"]; !present {
		return
	}
	current, err := c.event.str("current", "event.current")
	switch {
	case err == nil:
		in.Priority = normPriority(current)
	case c.snap.Priority != "":
		c.f.note(err) // the snapshot says the same
	default:
		unreadErr(c, in, err)
	}
}

// tagsChanged stores the ticket's whole tag list after the change, because
// that is what care folds. Zendesk's documented detail.tags already holds it;
// event.current (a list) wins when present. Payloads that only carry a delta
// (tags_added/tags_removed, added/removed or tags.added/tags.removed) are
// applied to event.previous when that is given.
func tagsChanged(c change, in *care.Interaction) {
	in.Kind = care.TagsChanged
	f := c.f
	current, currentSet := f.strs(c.event, "current", "event.current")
	detailTags, detailSet := c.snap.Tags, c.snap.Tags != nil
	previous, previousSet := f.strs(c.event, "previous", "event.previous")
	added, removed := tagDelta(f, c.event)
	switch {
	case currentSet:
		in.Tags = cleanTags(current)
	case detailSet:
		in.Tags = detailTags
	case previousSet:
		in.Tags = applyDelta(previous, added, removed)
	default:
		unreadChange(c, in, "no resulting tag list: event.current, detail.tags and event.previous are all missing or unreadable")
	}
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
// snapshot has no due date, so a missing or unreadable event.current leaves
// the due date as it was rather than clear it.
func dueDateChanged(c change, in *care.Interaction) {
	in.Kind = care.DueDateChanged
	if _, present := c.event["current"]; !present {
		unreadChange(c, in, "event.current is missing")
		return
	}
	current, err := c.event.str("current", "event.current")
	if err == nil && current != "" {
		in.DueAt, err = parseTime(current, "event.current")
	}
	if err != nil {
		unreadErr(c, in, err)
	}
}

// ticketMerged: this ticket was merged into another. The target's field name
// is not documented for webhooks, so the likely names are tried; the merge
// itself is recorded even when no target is given.
func ticketMerged(c change, in *care.Interaction) {
	in.Kind = care.TicketMerged
	for _, key := range []string{"target_ticket_id", "merged_into", "target_id"} {
		if id := c.f.id(c.event, key, "event."+key); id != "" {
			in.MergedInto = id
			return
		}
	}
}

func ticketDeleted(_ change, in *care.Interaction) {
	in.Kind = care.TicketDeleted
}

// satisfactionReceived reads a CSAT rating. Zendesk has not published this
// payload for webhooks; the score and comment are looked for in
// event.satisfaction_score, event.satisfaction_rating, event.current and
// event itself. A score that is not good or bad ("offered", a numeric
// scale) is stored as Unrecognized rather than guessed.
func satisfactionReceived(c change, in *care.Interaction) {
	score, comment := csatScore(c.f, c.event)
	if score == "" {
		unreadChange(c, in, "no satisfaction score in event")
		return
	}
	rating := parseRating(score)
	if rating == "" {
		unrecognized(c, in)
		return
	}
	in.Kind = care.Satisfaction
	in.Rating = rating
	in.Body = plainText(comment, "")
	if in.ActorID == "" {
		in.ActorID = c.snap.RequesterID // only the requester can rate
	}
}

func csatScore(f *fields, event object) (score, comment string) {
	type place struct {
		o    object
		path string
	}
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
			return score, f.str(p.o, "comment", p.path+".comment")
		}
	}
	return "", ""
}

// unrecognized keeps an event carecoach does not model: it is stored with
// its type so nothing is lost, and care ignores it when folding.
func unrecognized(c change, in *care.Interaction) {
	in.Kind = care.Unrecognized
	in.SourceID = c.typ
}
