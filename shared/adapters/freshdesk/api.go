package freshdesk

import (
	"strconv"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// The API's copy of a ticket's history (reconcile and backfill; package
// freshdeskapi calls the endpoints). Freshdesk's API v2 has no change log
// per ticket: it lists tickets updated since a time, with their current
// fields and a few timestamps (include=stats), their conversations, and
// their satisfaction ratings. History reads what those say into the
// interactions the webhooks would have given, with the same fact keys
// (care.ChangeKey to the minute), so a fact both delivered counts once.
// testdata/README.md says which shapes are documented and which assumed.

// APITicket is a ticket as GET /api/v2/tickets?include=stats,requester
// lists it.
type APITicket struct {
	ID              int64       `json:"id"`
	Subject         string      `json:"subject"`
	Status          int         `json:"status"`
	Priority        int         `json:"priority"`
	Source          int         `json:"source"`
	RequesterID     int64       `json:"requester_id"`
	ResponderID     *int64      `json:"responder_id"`
	GroupID         *int64      `json:"group_id"`
	Tags            []string    `json:"tags"`
	Description     string      `json:"description"`
	DescriptionText string      `json:"description_text"`
	CreatedAt       time.Time   `json:"created_at"`
	UpdatedAt       time.Time   `json:"updated_at"`
	Deleted         bool        `json:"deleted"`
	Stats           *APIStats   `json:"stats"`
	Requester       *APIContact `json:"requester"`
}

// APIStats are the ticket's lifecycle times (include=stats): the latest
// of each, not every one.
type APIStats struct {
	ResolvedAt   *time.Time `json:"resolved_at"`
	ClosedAt     *time.Time `json:"closed_at"`
	ReopenedAt   *time.Time `json:"reopened_at"`
	PendingSince *time.Time `json:"pending_since"`
}

// APIContact is a person as Freshdesk's API shows one (the requester
// include, an agent's contact).
type APIContact struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// APIConversation is a reply or note, GET /api/v2/tickets/{id}/conversations.
type APIConversation struct {
	ID        int64     `json:"id"`
	Body      string    `json:"body"`
	BodyText  string    `json:"body_text"`
	Incoming  bool      `json:"incoming"`
	Private   bool      `json:"private"`
	UserID    int64     `json:"user_id"`
	FromEmail string    `json:"from_email"`
	CreatedAt time.Time `json:"created_at"`
}

// APIRating is a satisfaction rating,
// GET /api/v2/tickets/{id}/satisfaction_ratings: ratings maps each survey
// question to a code (103 extremely happy … -103 extremely unhappy), the
// overall one under "default_question"; feedback is the customer's comment.
type APIRating struct {
	ID        int64          `json:"id"`
	Feedback  string         `json:"feedback"`
	Ratings   map[string]int `json:"ratings"`
	CreatedAt time.Time      `json:"created_at"`
}

// Directory names the account's agents and groups by id: the webhooks know
// agents by email and groups by name (no id placeholders exist), so the
// API's ids are translated to those.
type Directory struct {
	Agents map[int64]APIContact
	Groups map[int64]string
}

// sourceOutbound is the API's source code of a ticket an agent started by
// email ("Outbound Email").
const sourceOutbound = 10

// History reads one ticket's API copy into interactions.
func History(conn string, t APITicket, convs []APIConversation, ratings []APIRating, dir Directory) []care.Interaction {
	ref := care.TicketRef{Connection: conn, TicketID: strconv.FormatInt(t.ID, 10)}
	requester := person{}
	if t.Requester != nil {
		requester = person{name: cleanLabel(t.Requester.Name), email: strings.ToLower(strings.TrimSpace(t.Requester.Email))}
	}
	base := care.Snapshot{Subject: cleanLabel(t.Subject), RequesterID: requester.email}
	var out []care.Interaction
	add := func(id string, in care.Interaction) {
		in.ID = "fdx-" + ref.TicketID + "-" + id
		in.Ticket = ref
		in.At = in.At.UTC()
		if in.Snapshot.Subject == "" {
			in.Snapshot = base
		}
		if in.Key == "" {
			in.Key = care.ChangeKey(in, time.Minute)
		}
		out = append(out, in)
	}

	if !t.CreatedAt.IsZero() {
		created := care.Interaction{Kind: care.TicketCreated, At: t.CreatedAt, ActorID: requester.email, ActorName: requester.name}
		if t.Source == sourceOutbound {
			add("created", created)
		} else {
			add("created", created)
			text := htmlToText(firstNonEmpty(t.Description, t.DescriptionText))
			add("description", care.Interaction{Kind: care.CustomerMessage, At: t.CreatedAt, ActorID: requester.email, ActorName: requester.name,
				FromRequester: true, Body: customerWords(text, requester)})
		}
	}
	for _, c := range convs {
		text := htmlToText(firstNonEmpty(c.Body, c.BodyText))
		in := care.Interaction{At: c.CreatedAt, Body: text}
		switch {
		case c.Private:
			in.Kind = care.InternalNote
		case c.Incoming:
			in.Kind = care.CustomerMessage
		default:
			in.Kind = care.AgentReply
		}
		if in.Kind == care.CustomerMessage {
			who := requester
			if c.UserID != t.RequesterID {
				who = person{email: strings.ToLower(strings.TrimSpace(c.FromEmail))}
			}
			in.ActorID, in.ActorName, in.FromRequester = who.email, who.name, c.UserID == t.RequesterID
			in.Body = customerWords(text, who)
		} else if a, ok := dir.Agents[c.UserID]; ok {
			in.ActorID, in.ActorName = strings.ToLower(strings.TrimSpace(a.Email)), cleanLabel(a.Name)
		}
		add("c-"+strconv.FormatInt(c.ID, 10), in)
	}
	if s := t.Stats; s != nil {
		for _, st := range []struct {
			at     *time.Time
			status care.Status
		}{{s.PendingSince, care.StatusPending}, {s.ResolvedAt, care.StatusSolved}, {s.ClosedAt, care.StatusClosed}, {s.ReopenedAt, care.StatusOpen}} {
			if st.at != nil && !st.at.IsZero() {
				add("status-"+string(st.status)+"-"+strconv.FormatInt(st.at.Unix(), 10), care.Interaction{Kind: care.StatusChanged, Status: st.status, At: *st.at})
			}
		}
	}
	for _, r := range ratings {
		rating := parseRating(strconv.Itoa(r.Ratings["default_question"]))
		if rating == "" {
			continue // neutral, or no overall question: not a rating care counts
		}
		add("r-"+strconv.FormatInt(r.ID, 10), care.Interaction{Kind: care.Satisfaction, Rating: rating, At: r.CreatedAt,
			Body: strings.TrimSpace(htmlToText(r.Feedback)), ActorID: requester.email, ActorName: requester.name})
	}
	if !t.UpdatedAt.IsZero() {
		// The ticket's fields now, as of its last update: a snapshot
		// without a change of its own (like a webhook whose change could
		// not be read), so the fold takes the current assignee, group,
		// priority, tags and status without inventing when they changed.
		snap := base
		if st, ok := parseStatus(strconv.Itoa(t.Status)); ok {
			snap.Status = st
		}
		if p, ok := parsePriority(strconv.Itoa(t.Priority)); ok {
			snap.Priority = p
		}
		if t.ResponderID != nil {
			if a, ok := dir.Agents[*t.ResponderID]; ok {
				snap.AssigneeID = strings.ToLower(strings.TrimSpace(a.Email))
			}
		}
		if t.GroupID != nil {
			snap.GroupID = cleanLabel(dir.Groups[*t.GroupID])
		}
		if t.Tags != nil {
			snap.Tags = parseTags(strings.Join(t.Tags, ","))
		}
		at := strconv.FormatInt(t.UpdatedAt.Unix(), 10)
		out = append(out, care.Interaction{ID: "fdx-" + ref.TicketID + "-fields-" + at, Ticket: ref, Kind: care.ChangeUnread,
			SourceID: "api:ticket", At: t.UpdatedAt.UTC(), Snapshot: snap})
		if t.Deleted {
			add("deleted-"+at, care.Interaction{Kind: care.TicketDeleted, At: t.UpdatedAt, Snapshot: snap})
		}
	}
	return out
}

// SurveyComment is the customer's comment of the rating closest to at (a
// feedback webhook's time): what a bad-rating alert quotes, since
// Freshdesk's webhooks have no placeholder for it.
func SurveyComment(ratings []APIRating, at time.Time) string {
	best, bestGap := "", time.Duration(-1)
	for _, r := range ratings {
		gap := r.CreatedAt.Sub(at).Abs()
		if c := strings.TrimSpace(htmlToText(r.Feedback)); c != "" && (bestGap < 0 || gap < bestGap) {
			best, bestGap = c, gap
		}
	}
	return best
}
