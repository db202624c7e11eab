package freshdesk

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/emailtext"
)

// The event names our templates send, one per automation rule.
const (
	evTicketCreated   = "ticket_created"
	evAgentReply      = "agent_reply"
	evCustomerReply   = "customer_reply"
	evNoteAdded       = "note_added"
	evStatusChanged   = "status_changed"
	evAssigned        = "assigned"
	evGroupChanged    = "group_changed"
	evPriorityChanged = "priority_changed"
	evDueDateChanged  = "due_date_changed"
	evFeedback        = "feedback_received"
)

// outboundSource is {{ticket.source}} for a ticket an agent started by
// emailing a customer; nobody is waiting for an answer on such a ticket.
const outboundSource = "outbound email"

// person is a name and email pair from the body. Freshdesk offers no
// numeric user id placeholder, so the lower-cased email is the id: it is
// what care.Member.HelpdeskIDs maps for a Freshdesk connection.
type person struct {
	name, email string
}

// readPerson reads {"name", "email"}; what cannot be read is noted and left
// empty.
func (dv *delivery) readPerson(field string) person {
	obj, err := dv.env.body.object(field)
	dv.note(err)
	name, err := obj.str("name")
	dv.note(err)
	email, err := obj.str("email")
	dv.note(err)
	return person{
		name:  cleanLabel(name),
		email: strings.ToLower(strings.TrimSpace(email)),
	}
}

// cleanLabel trims, collapses spacing and decodes entities: Freshdesk can
// HTML-escape liquid attributes such as the subject ("Tom &amp; Co").
func cleanLabel(s string) string {
	return strings.Join(strings.Fields(html.UnescapeString(s)), " ")
}

// delivery is one body read into the parts every event needs.
type delivery struct {
	env       envelope
	ref       care.TicketRef
	at        time.Time
	atKey     string  // the body's own time, or "" when ReceivedAt stood in
	place     placing // how times without an offset are placed
	snap      care.Snapshot
	agent     person
	requester person
	unread    []string // fields that could not be read, "field: why"
}

// note records a field that could not be read; nil is nothing.
func (dv *delivery) note(err error) {
	if err != nil {
		dv.unread = append(dv.unread, care.ErrorMessage(err))
	}
}

func (dv *delivery) notef(format string, args ...any) {
	dv.unread = append(dv.unread, fmt.Sprintf(format, args...))
}

func normalize(d care.Delivery, zone *time.Location) ([]care.Interaction, error) {
	env, err := parseEnvelope(d.Body)
	if err != nil {
		return nil, err
	}
	dv := delivery{env: env, ref: care.TicketRef{Connection: d.Connection, TicketID: env.ticketID}, place: placing{zone: zone}}
	if err := dv.readTime(d.ReceivedAt); err != nil {
		return nil, err
	}

	var ins []care.Interaction
	switch {
	case !knownEvent(dv.event()):
		// Stored and acknowledged so that a new rule an admin added is
		// visible in the timeline, but it changes no state, so its
		// fields are not read (and cannot fail it).
		in := dv.interaction(care.Unrecognized, "")
		in.SourceID = env.event
		return []care.Interaction{in}, nil
	case dv.event() == evTicketCreated:
		dv.readSnapshot()
		ins = dv.ticketCreated()
	case dv.event() == evAgentReply, dv.event() == evCustomerReply, dv.event() == evNoteAdded:
		dv.readSnapshot()
		ins = []care.Interaction{dv.comment()}
	default:
		dv.readSnapshot()
		ins = []care.Interaction{dv.change()}
	}
	for i := range ins {
		ins[i].Unread = dv.unread
		ins[i].Key = dv.key(ins[i])
	}
	return ins, nil
}

// event is the body's event name in lower case: like every enum, it is
// read in any case (the id still hashes it as sent).
func (dv *delivery) event() string { return strings.ToLower(strings.TrimSpace(dv.env.event)) }

func knownEvent(e string) bool {
	switch e {
	case evTicketCreated, evAgentReply, evCustomerReply, evNoteAdded, evStatusChanged,
		evAssigned, evGroupChanged, evPriorityChanged, evDueDateChanged, evFeedback:
		return true
	}
	return false
}

// readTime sets the event time from updated_at, which our templates fill
// with {{ticket.modified_on}}: the ticket's last-modified time, so the
// moment of the change that fired the rule. Freshdesk does not document
// that placeholder, and {{ticket.updated_at}} renders nothing, so when the
// field is empty (or came through unrendered) the time the delivery was
// received stands in. That is close for a first attempt but late for a
// retry, which Freshdesk sends minutes to an hour later. A time that cannot
// be read or placed is noted, and the receive time stands in too.
func (dv *delivery) readTime(received time.Time) error {
	raw, err := dv.env.body.str("updated_at")
	dv.note(err)
	raw = strings.TrimSpace(raw)
	if raw != "" && !strings.Contains(raw, "{{") {
		at, zone, err := parseTime(raw, dv.place)
		if err == nil {
			dv.at, dv.place.ref = at, zone
			dv.atKey = at.Format(time.RFC3339Nano)
			return nil
		}
		dv.notef("updated_at %s: %s; the receive time stands in", clip(raw), err.Error())
		// The same rendering keys a retry the same way.
		dv.atKey = "raw:" + strings.Join(strings.Fields(raw), " ")
	}
	if received.IsZero() {
		return care.Errorf(care.EInvalid, "updated_at is empty or unreadable and the delivery has no receive time")
	}
	dv.at = received.UTC()
	return nil
}

// readSnapshot reads what the body says the ticket looks like. A snapshot
// is advisory ("empty fields are unknown"), so a value we cannot map, such
// as an account's own custom status, is left out rather than failing the
// event; a value of the wrong type is noted too. Events whose whole point
// is that value check it themselves.
func (dv *delivery) readSnapshot() {
	b := dv.env.body
	subject, err := b.str("subject")
	dv.note(err)
	status, err := b.scalar("status")
	dv.note(err)
	priority, err := b.scalar("priority")
	dv.note(err)
	tags, err := b.str("tags")
	dv.note(err)
	group, err := b.str("group")
	dv.note(err)
	dv.agent = dv.readPerson("agent")
	dv.requester = dv.readPerson("requester")
	st, _ := parseStatus(status)
	pr, _ := parsePriority(priority)
	dv.snap = care.Snapshot{
		Subject:     cleanLabel(subject),
		Status:      st,
		RequesterID: dv.requester.email,
		AssigneeID:  dv.agent.email,
		GroupID:     cleanLabel(group), // no group id placeholder: the name is the id
		Priority:    pr,
		Tags:        parseTags(tags),
	}
}

// ticketCreated yields the creation and, unless an agent started the
// ticket, the customer's first message: the description is what the
// customer wrote, and it must start the response clock like any later
// customer reply.
func (dv *delivery) ticketCreated() []care.Interaction {
	b := dv.env.body
	source, err := b.str("source")
	dv.note(err)
	description, err := b.str("description")
	dv.note(err)
	if normKey(source) == outboundSource {
		created := dv.interaction(care.TicketCreated, "")
		created.ActorID, created.ActorName = dv.agent.email, dv.agent.name
		return []care.Interaction{created}
	}
	created := dv.interaction(care.TicketCreated, "")
	created.ActorID, created.ActorName = dv.requester.email, dv.requester.name

	text := htmlToText(description)
	first := dv.interaction(care.CustomerMessage, text)
	first.ActorID, first.ActorName = dv.requester.email, dv.requester.name
	first.FromRequester = true
	first.Body = customerWords(text, dv.requester)
	return []care.Interaction{created, first}
}

// comment handles replies and notes. Freshdesk prefixes the comment with
// its author's name; the author's email is not available, so the actor id
// is filled in only when that name is the person we expect (the assigned
// agent, the requester) and left empty otherwise, rather than credit a
// colleague's reply or a CC's message to the wrong person.
func (dv *delivery) comment() care.Interaction {
	raw, err := dv.env.body.str("comment")
	dv.note(err)
	author, rest := splitAuthor(raw)
	text := htmlToText(rest)

	var in care.Interaction
	switch dv.event() {
	case evCustomerReply:
		in = dv.interaction(care.CustomerMessage, text)
		in.ActorName = firstNonEmpty(author, dv.requester.name)
		// Unknown names cannot disprove it, and the rule fires on the
		// requester's actions, so only a different name marks a CC.
		in.FromRequester = author == "" || dv.requester.name == "" || sameName(author, dv.requester.name)
		if in.FromRequester {
			in.ActorID = dv.requester.email
		}
		in.Body = customerWords(text, person{name: in.ActorName, email: in.ActorID})
		return in
	case evNoteAdded:
		in = dv.interaction(care.InternalNote, text)
	default:
		in = dv.interaction(care.AgentReply, text)
	}
	in.ActorName = firstNonEmpty(author, dv.agent.name)
	if author == "" || sameName(author, dv.agent.name) {
		in.ActorID = dv.agent.email
	}
	in.Body = text
	return in
}

// change handles the events that set one ticket field. A value that cannot
// be used makes the interaction care.ChangeUnread: the snapshot still
// counts, the change is not guessed.
func (dv *delivery) change() care.Interaction {
	b := dv.env.body
	switch dv.event() {
	case evStatusChanged:
		raw, err := b.scalar("status") // an error was noted with the snapshot
		st, ok := parseStatus(raw)
		if err != nil || !ok {
			if err == nil {
				dv.notef("status %s is not a Freshdesk status carecoach knows (Open, Pending, Resolved, Closed, Waiting on Customer, Waiting on Third Party, or 2 to 7)", clip(raw))
			}
			return dv.unreadChange(raw)
		}
		in := dv.interaction(care.StatusChanged, string(st))
		in.Status = st
		return in

	case evAssigned:
		// An empty agent means the ticket was unassigned.
		in := dv.interaction(care.AssigneeChanged, dv.agent.email)
		in.AssigneeID = dv.agent.email
		return in

	case evGroupChanged:
		in := dv.interaction(care.GroupChanged, dv.snap.GroupID)
		in.GroupID = dv.snap.GroupID
		return in

	case evPriorityChanged:
		raw, err := b.scalar("priority") // an error was noted with the snapshot
		p, ok := parsePriority(raw)
		if err != nil || !ok {
			if err == nil {
				dv.notef("priority %s is not a Freshdesk priority (Low, Medium, High, Urgent, or 1 to 4)", clip(raw))
			}
			return dv.unreadChange(raw)
		}
		in := dv.interaction(care.PriorityChanged, p)
		in.Priority = p
		return in

	case evDueDateChanged:
		raw, err := b.str("due_by")
		if err != nil {
			dv.note(err)
			return dv.unreadChange("")
		}
		if strings.TrimSpace(raw) == "" {
			// Freshdesk renders due_by_time empty unless the account
			// has SLA management turned on; clearing the due date on
			// that would be a guess.
			dv.notef("due_by is empty; Freshdesk fills it only with SLA management turned on")
			return dv.unreadChange("")
		}
		due, _, err := parseTime(raw, dv.place)
		if err != nil {
			dv.notef("due_by %s: %s", clip(raw), err.Error())
			return dv.unreadChange(raw)
		}
		in := dv.interaction(care.DueDateChanged, due.Format(time.RFC3339))
		in.DueAt = due
		return in

	case evFeedback:
		raw, err := b.scalar("rating")
		dv.note(err)
		rating := parseRating(raw)
		in := dv.interaction(care.Satisfaction, rating)
		in.Rating = rating
		in.ActorID, in.ActorName = dv.requester.email, dv.requester.name
		return in
	}
	dv.notef("event %s has no handler", clip(dv.env.event))
	return dv.unreadChange("")
}

// unreadChange is the interaction of an event whose own value could not be
// used; value (the raw rendering) keeps its id apart from other such events.
func (dv *delivery) unreadChange(value string) care.Interaction {
	in := dv.interaction(care.ChangeUnread, value)
	in.SourceID = dv.env.event
	return in
}

// interaction starts an interaction of the given kind. value is what the
// event says (the comment text, the new status, …) and goes into the id.
//
// The id must be the same every time the same body is delivered, and
// differ between different events, without a delivery id to lean on. So
// it hashes the connection, ticket, event, kind, the body's own time and
// the normalized value. When the body had no time it hashes "" rather
// than ReceivedAt, which differs between a delivery and its retry; two
// identical changes on one ticket without a time then share an id, which
// only loses a duplicate fact.
func (dv *delivery) interaction(kind care.Kind, value string) care.Interaction {
	h := sha256.New()
	for _, part := range []string{dv.ref.Connection, dv.ref.TicketID, dv.env.event, string(kind), dv.atKey, value} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return care.Interaction{
		ID:       "fd-" + hex.EncodeToString(h.Sum(nil)[:12]),
		Ticket:   dv.ref,
		Kind:     kind,
		At:       dv.at,
		Snapshot: dv.snap,
	}
}

// key is the interaction's fact key (care.ChangeKey, to the minute: the
// account's date format can render {{ticket.modified_on}} without seconds),
// the key the API's copy of the same fact gets (api.go). Without a time of
// its own in the body (the receive time stood in, and a retry's differs)
// the fact has no key that both copies could share: its id stands in.
func (dv *delivery) key(in care.Interaction) string {
	if dv.atKey == "" || strings.HasPrefix(dv.atKey, "raw:") {
		return ""
	}
	return care.ChangeKey(in, time.Minute)
}

// customerWords keeps what a customer wrote in a message, as they wrote it:
// without the quoted history, the signature and the sign-off that an email
// reply carries (the same reader as managers' replies, package emailtext).
// A message that is nothing but those is kept whole rather than lost.
func customerWords(text string, who person) string {
	if words := emailtext.JoinBlocks(emailtext.Written(text, emailtext.Hints{Sender: who.name, Address: who.email})); words != "" {
		return words
	}
	return text
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
