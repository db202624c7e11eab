package zendesk

import (
	"strconv"
	"strings"

	"github.com/carecoach/carecoach/shared/care"
)

// Trigger bodies come from carecoach's template,
// events/zendesk-trigger-body.liquid.json. An admin pastes it into the
// "Notify active webhook" action of one trigger per purpose and sets its
// "trigger" field to that purpose:
//
//   - "comment": fires when a comment is added (condition "Comment is
//     present"); the latest comment is the new one.
//   - "satisfaction": fires when the rating changes to good or bad.
//   - "status": fires when the status changes.
//
// The purpose has to be spelled out because placeholders only render the
// ticket's current state: {{satisfaction.current_rating}} and
// {{ticket.latest_comment.*}} stay filled long after the rating or comment
// happened, so the body alone cannot say what just changed.
//
// Placeholders render as text, so every value may arrive as a string: ids as
// "5158", booleans as "true", tags space-separated. A value still holding
// "{{" was not rendered (for example a test send from the webhook builder)
// and counts as empty.

// Trigger purposes, the values of the template's "trigger" field.
const (
	TriggerComment      = "comment"
	TriggerSatisfaction = "satisfaction"
	TriggerStatus       = "status"
)

// triggerBody is a trigger body after its objects were found.
type triggerBody struct {
	purpose string
	ticket  object
	user    object
	comment object
	rating  object
	snap    care.Snapshot
}

var triggerKinds = map[string]func(triggerBody, *care.Interaction) error{
	TriggerComment:      triggerComment,
	TriggerSatisfaction: triggerSatisfaction,
	TriggerStatus:       triggerStatus,
}

// normalizeTrigger normalizes a body built from carecoach's trigger template.
func normalizeTrigger(conn string, o object) ([]care.Interaction, error) {
	b, in, err := readTrigger(conn, o)
	if err != nil {
		return nil, err
	}
	fill, ok := triggerKinds[b.purpose]
	if !ok {
		return nil, invalid("trigger %q is not one of %q, %q or %q", clip(b.purpose, 40), TriggerComment, TriggerSatisfaction, TriggerStatus)
	}
	if err := fill(b, in); err != nil {
		return nil, within("trigger "+b.purpose, err)
	}
	return []care.Interaction{*in}, nil
}

// readTrigger checks the marker and reads the fields every purpose shares.
func readTrigger(conn string, o object) (triggerBody, *care.Interaction, error) {
	var f fields
	if marker := f.str(o, "carecoach", "carecoach"); f.err == nil && marker != TriggerMarker {
		return triggerBody{}, nil, invalid("carecoach marker is %q; this receiver understands %q", clip(marker, 40), TriggerMarker)
	}
	b := triggerBody{
		purpose: strings.ToLower(text(&f, o, "trigger", "trigger")),
		ticket:  f.obj(o, "ticket", "ticket"),
		user:    f.obj(o, "current_user", "current_user"),
		comment: f.obj(o, "latest_comment", "latest_comment"),
		rating:  f.obj(o, "satisfaction", "satisfaction"),
	}
	ticket := text(&f, b.ticket, "id", "ticket.id")
	updated := text(&f, b.ticket, "updated_at", "ticket.updated_at")
	b.snap = triggerSnapshot(&f, b.ticket)
	in := &care.Interaction{
		ActorID:   text(&f, b.user, "id", "current_user.id"),
		ActorName: text(&f, b.user, "name", "current_user.name"),
	}
	if f.err != nil {
		return b, nil, f.err
	}
	switch {
	case ticket == "":
		return b, nil, invalid("ticket.id is empty or was not rendered")
	case !isTicketID(ticket):
		return b, nil, invalid("ticket.id %q is not a Zendesk ticket id", clip(ticket, 40))
	}
	at, err := parseTime(updated, "ticket.updated_at")
	if err != nil {
		return b, nil, err
	}
	in.Ticket = care.TicketRef{Connection: conn, TicketID: ticket}
	in.At = at
	in.Snapshot = b.snap
	return b, in, nil
}

// triggerSnapshot reads the ticket fields the template sends.
func triggerSnapshot(f *fields, t object) care.Snapshot {
	status, _ := parseStatus(text(f, t, "status", "ticket.status"))
	return care.Snapshot{
		Subject:     text(f, t, "title", "ticket.title"),
		Status:      status,
		RequesterID: text(f, t, "requester_id", "ticket.requester_id"),
		AssigneeID:  text(f, t, "assignee_id", "ticket.assignee_id"),
		GroupID:     text(f, t, "group_id", "ticket.group_id"),
		Priority:    normPriority(text(f, t, "priority", "ticket.priority")),
		Tags:        tagList(f, t),
	}
}

// tagList reads {{ticket.tags}}, which renders space-separated; a JSON list
// is accepted too. An empty rendering means "no tags", not "unknown",
// because the placeholder always renders.
func tagList(f *fields, t object) []string {
	if kindOf(t["tags"]) == "an array" {
		tags, _ := f.strs(t, "tags", "ticket.tags")
		return cleanTags(tags)
	}
	raw := f.str(t, "tags", "ticket.tags")
	if !t.has("tags") || strings.Contains(raw, "{{") {
		return nil // unknown, unlike a rendered empty list
	}
	return cleanTags(strings.Fields(raw))
}

// text reads a rendered placeholder: a string or a number, trimmed, with
// unrendered placeholders and Zendesk's "-" for "none" read as empty.
func text(f *fields, o object, key, path string) string {
	if f.err != nil {
		return ""
	}
	var s string
	switch kindOf(o[key]) {
	case "a number":
		s = f.id(o, key, path)
	case "a boolean":
		v, _ := f.boolean(o, key, path)
		s = strconv.FormatBool(v)
	default:
		s = strings.TrimSpace(f.str(o, key, path))
	}
	if s == "-" || strings.Contains(s, "{{") {
		return ""
	}
	return s
}

// triggerComment: the latest comment is the one just added. Its kind comes
// from who added it ({{current_user.role}} renders "End-user", "Agent" or
// "Admin") and whether it is public. Its id comes from the comment id, so a
// comment seen twice (a retry, or a second trigger) is stored once.
func triggerComment(b triggerBody, in *care.Interaction) error {
	var f fields
	commentID := text(&f, b.comment, "id", "latest_comment.id")
	public, publicSet := f.boolean(b.comment, "is_public", "latest_comment.is_public")
	role := strings.ToLower(text(&f, b.user, "role", "current_user.role"))
	in.Body = plainText(text(&f, b.comment, "value", "latest_comment.value"), "")
	switch {
	case f.err != nil:
		return f.err
	case commentID == "":
		return invalid("latest_comment.id is empty")
	case !publicSet:
		return invalid("latest_comment.is_public is empty; cannot tell a reply from a note")
	case !public:
		in.Kind = care.InternalNote
	case role == "":
		return invalid("current_user.role is empty; cannot tell an agent from a customer")
	case isEndUser(role):
		in.Kind = care.CustomerMessage
		in.FromRequester = in.ActorID != "" && in.ActorID == b.snap.RequesterID
	default:
		in.Kind = care.AgentReply
	}
	in.ID = "zdt-" + in.Ticket.TicketID + "-c-" + keyPart(commentID)
	return nil
}

// isEndUser reports whether a rendered role is a customer's. Agents, admins
// and custom agent roles are all staff.
func isEndUser(role string) bool {
	role = strings.NewReplacer("-", "", "_", "", " ", "").Replace(role)
	return role == "enduser"
}

// triggerSatisfaction: the rating the customer just gave, with their comment.
func triggerSatisfaction(b triggerBody, in *care.Interaction) error {
	var f fields
	score := text(&f, b.rating, "rating", "satisfaction.rating")
	comment := text(&f, b.rating, "comment", "satisfaction.comment")
	if f.err != nil {
		return f.err
	}
	if score == "" {
		return invalid("satisfaction.rating is empty")
	}
	if rating := parseRating(score); rating != "" {
		in.Kind, in.Rating, in.Body = care.Satisfaction, rating, plainText(comment, "")
	} else {
		// "Offered" and the like are not ratings: keep, but change nothing.
		in.Kind, in.SourceID = care.Unrecognized, "trigger:"+TriggerSatisfaction+":"+clip(strings.ToLower(score), 40)
	}
	in.ID = updateID(in)
	return nil
}

// triggerStatus: the status the ticket just moved to.
func triggerStatus(b triggerBody, in *care.Interaction) error {
	var f fields
	raw := text(&f, b.ticket, "status", "ticket.status")
	if f.err != nil {
		return f.err
	}
	if b.snap.Status == "" {
		return invalid("ticket.status %q is not a ticket status carecoach knows", clip(raw, 40))
	}
	in.Kind, in.Status = care.StatusChanged, b.snap.Status
	in.ID = updateID(in)
	return nil
}

// updateID names an interaction that has no id of its own in Zendesk: one
// kind of change to one ticket at one update time. A retried delivery gives
// the same id; the next change has a later updated_at.
func updateID(in *care.Interaction) string {
	return "zdt-" + in.Ticket.TicketID + "-" + string(in.Kind) + "-" + in.At.Format("20060102T150405Z")
}
