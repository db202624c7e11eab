package dynamo

import (
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Every key the store writes or reads is made here, and nowhere else.
//
// The table has a partition key pk and a sort key sk, and one index, gsi1
// (gsi1pk, gsi1sk; projection ALL). An item's kind is its "type" attribute.
// Each item on gsi1 costs its write units twice (the table and the index),
// so only items read by team and time are on it. <t> is a timeKey, and
// <t>#<id> sorts by time, then id; a partition's items in [from, to) are one
// BETWEEN on that key (between in query.go).
//
//	type             pk / sk (the functions that write and read it)
//
//	raw              RAW#<conn>#<dedupe> / RAW
//	                   written by PutDelivery (ingest)
//	                   read by DeliveryFromImage (process: the stream, filtered on type raw)
//
//	dead             DEAD#<conn> / <received t>#<dedupe>
//	                   written by DeadLetter (process)
//	                   read by DeadLetters (admin, dev server); DeadLettersReceived (fire: digest)
//
//	interaction      TICKET#<conn>#<ticket> / EVT#<t>#<id>
//	                   written by SaveInteractions (process, reconcile)
//	                   read by LoadTicket (process, fire, reconcile; inbound: an ask's timeline)
//
//	task             TICKET#<conn>#<ticket> / TASK#<id>
//	                   written by PutTask (process); TransitionTask (process, fire); SetTaskOutcome (fire)
//	                   read by LoadTicket; Task (fire)
//
//	moment           TICKET#<conn>#<ticket> / MOMENT#<id>
//	                   on gsi1: MOMENTS#<team>#w<monday> / <t>#<id>
//	                   written by SaveMoments, UpdateMoment, ReinstateMoment (process, fire)
//	                   read by LoadTicket; TeamMoments (fire: digest; api)
//	                   on gsi1: WITHDRAWN#<team>#w<monday> / <withdrawn t>#<id>
//	                   written by WithdrawMoment (process, fire)
//	                   read by TeamWithdrawals (fire: digest)
//
//	fact             TICKET#<conn>#<ticket> / FACT#<id>
//	                   on gsi1: FACTS#<team>#w<monday> / <t>#<id>
//	                   written by SaveFacts, PutFacts (process, fire); DeleteFacts deletes
//	                   read by LoadTicket; TeamFacts (api); TeamTrendFacts (fire: digest,
//	                   kind, rating and tags of the kinds trends count)
//
//	prompt           PROMPT#<id> / PROMPT
//	                   written by PutPrompt, MarkPromptSent (fire; inbound: ask requests)
//	                   read by Prompt (fire: digest; inbound)
//
//	skip             PROMPT#<id> / SKIP#<nnn>
//	                   written by SkipItem (inbound)
//	                   read by none yet: it records the manager's choice
//
//	agenda           PROMPT#<brief prompt id> / AGENDA
//	                   written by PutAgenda, once per brief (inbound: the manager's "send")
//	                   read by Agenda (inbound: a second "send", a retry of the first)
//
//	feedback         FEEDBACK#<team>#<email> / <t>#<id>
//	                   on gsi1: FEEDBACK#<team>#<yyyy-mm> / <t>#<id>
//	                   written by SaveFeedback (inbound)
//	                   read by TeamFeedback (fire: digest; api)
//
//	last_feedback    LASTFEEDBACK#<team> / <email>
//	                   written by SaveFeedback (inbound)
//	                   read by TeamLastFeedback (fire: digest)
//
//	inbound_message  INMSG#<message id> / INMSG
//	                   written by ClaimMessage, ReleaseMessage (inbound)
//	                   read by the claim's own condition
//
//	climate_answer   CLIMATE#<team> / <t>#<prompt id>
//	                   written by SaveClimateAnswer (inbound)
//	                   read by ClimateAnswers (fire: digest)
//
//	check_back       CHECKBACK#<team> / <coaching t>#<id>
//	                   on gsi1, while its email is still to go: CHECKBACKDUE#<team> / <due t>#<id>
//	                   written by PutCheckBack, UpdateCheckBack (inbound; fire: check-back job)
//	                   read by CheckBack (inbound); DueCheckBacks (fire: check-back job);
//	                   TeamCheckBacks (fire: digest)
//
//	feedback_request ASK#<team> / <id>
//	                   written by PutFeedbackRequest, UpdateFeedbackRequest (inbound: ask mail, answers)
//	                   read by FeedbackRequest (inbound); TeamFeedbackRequests (fire: digest; api)
//
//	upward_answer    UPWARD#<team> / A#<yyyy-mm>#<manager>#<hash of the question's prompt id>
//	                   written by SaveUpwardAnswer (inbound: an answer to an upward question)
//	                   read by UpwardAnswers (fire: upward results, digest; api)
//
//	upward_thanks    UPWARD#<team> / T#<yyyy-mm>#<manager>
//	                   written by ClaimUpwardThanks, ReleaseUpwardThanks deletes (inbound: a reply to the results)
//	                   read by the claim's own condition
//
//	team             TEAM#<team> / CONFIG
//	                   written by PutTeam (admin, dev server)
//	                   read by Team (process, fire, inbound, api, reconcile)
//
//	connection       CONN#<conn> / CONN
//	                   written by PutTeam; RemoveConnection deletes
//	                   read by Connection (ingest, process, fire, reconcile)
//
//	member           MEMBERBYEMAIL#<email> / MEMBER
//	                   written by PutTeam
//	                   read by MemberByEmail (inbound: kudos, ask)
//	                 MEMBER#<conn>#<helpdesk id> / MEMBER
//	                   written by PutTeam; RemoveConnection deletes
//	                   read by MemberByHelpdeskID (fire, dev server)
//
//	api_connection   APICONNS / <conn>
//	                   written by PutTeam; RemoveConnection deletes
//	                   read by APIConnections (reconcile)
//
//	cursor           CURSOR#<conn> / CURSOR
//	                   written by SaveCursor (reconcile); RemoveConnection deletes
//	                   read by Cursor (reconcile)
//
// The feedback item's own partition (one per member) keeps each feedback
// once (the write is conditional on its keys); every read goes through the
// team's monthly partition on gsi1 or the team's last_feedback items.
// Addresses and help desk ids in keys are lower case.

// Item kinds, stored in the "type" attribute. The process function's stream
// filter (template.yaml) selects type "raw".
const (
	typeRaw           = "raw"
	typeDead          = "dead"
	typeInteraction   = "interaction"
	typeTask          = "task"
	typeMoment        = "moment"
	typeFact          = "fact"
	typePrompt        = "prompt"
	typeSkip          = "skip"
	typeAgenda        = "agenda"
	typeFeedback      = "feedback"
	typeLastFeedback  = "last_feedback"
	typeInbound       = "inbound_message"
	typeClimate       = "climate_answer"
	typeCheckBack     = "check_back"
	typeAsk           = "feedback_request"
	typeUpwardAnswer  = "upward_answer"
	typeUpwardThanks  = "upward_thanks"
	typeTeam          = "team"
	typeConnection    = "connection"
	typeMember        = "member"
	typeAPIConnection = "api_connection"
	typeCursor        = "cursor"
)

// gsi1 is the table's one index.
const gsi1 = "gsi1"

// timeKey is a fixed-width UTC time that sorts as text.
const timeKey = "2006-01-02T15:04:05.000000000Z"

// keys are the table keys and the kind of an item: embedded first in every
// stored struct.
type keys struct {
	PK   string `dynamodbav:"pk"`
	SK   string `dynamodbav:"sk"`
	Type string `dynamodbav:"type"`
}

// key is the item's primary key, for GetItem, UpdateItem and DeleteItem.
func (k keys) key() map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: k.PK}, "sk": &types.AttributeValueMemberS{Value: k.SK}}
}

// index is an item's place on gsi1, embedded after keys in the stored
// structs of the kinds listed by team and time.
type index struct {
	GSI1PK string `dynamodbav:"gsi1pk,omitempty"`
	GSI1SK string `dynamodbav:"gsi1sk,omitempty"`
}

// timeID is a sort key in time order, then id.
func timeID(at time.Time, id string) string { return at.UTC().Format(timeKey) + "#" + id }

// span is the sort keys of the timeID keys in [from, to).
func span(from, to time.Time) (lo, hi string) {
	return from.UTC().Format(timeKey), to.Add(-time.Nanosecond).UTC().Format(timeKey) + "~"
}

// --- raw deliveries and dead letters

func deliveryKeys(connection, dedupeKey string) keys {
	return keys{PK: "RAW#" + connection + "#" + dedupeKey, SK: "RAW", Type: typeRaw}
}

func deadLetterPK(connection string) string { return "DEAD#" + connection }

func deadLetterKeys(d care.Delivery) keys {
	return keys{PK: deadLetterPK(d.Connection), SK: timeID(d.ReceivedAt, d.DedupeKey), Type: typeDead}
}

// --- a ticket's partition: its timeline, tasks, moments and facts

func ticketPK(ref care.TicketRef) string { return "TICKET#" + ref.Connection + "#" + ref.TicketID }

func interactionKeys(in care.Interaction) keys {
	return keys{PK: ticketPK(in.Ticket), SK: "EVT#" + timeID(in.At, in.ID), Type: typeInteraction}
}

func taskKeys(ref care.TicketRef, id string) keys {
	return keys{PK: ticketPK(ref), SK: "TASK#" + id, Type: typeTask}
}

func momentKeys(m care.Moment) keys {
	return keys{PK: ticketPK(m.Ticket), SK: "MOMENT#" + m.ID, Type: typeMoment}
}

func factKeys(f care.Fact) keys {
	return keys{PK: ticketPK(f.Ticket), SK: "FACT#" + f.ID, Type: typeFact}
}

// The team's weekly gsi1 partitions.
const (
	weekMoments   = "MOMENTS"
	weekFacts     = "FACTS"
	weekWithdrawn = "WITHDRAWN"
)

// teamWeek partitions a team's moments and facts by week (gsi1), named by
// the week's Monday (UTC): a digest reads a week with one or two key
// queries, eight weeks of dashboard trends with nine.
func teamWeek(prefix, team string, at time.Time) string {
	return prefix + "#" + team + "#w" + weekOf(at).Format("2006-01-02")
}

// weekOf is the Monday 00:00 UTC that starts t's week.
func weekOf(t time.Time) time.Time {
	day := t.UTC().Truncate(24 * time.Hour)
	return day.AddDate(0, 0, -(int(day.Weekday())+6)%7)
}

// momentIndex lists a standing moment by its time.
func momentIndex(m care.Moment) index {
	return index{GSI1PK: teamWeek(weekMoments, m.Team, m.At), GSI1SK: timeID(m.At, m.ID)}
}

// withdrawalIndex lists a withdrawn moment by the time of its withdrawal.
func withdrawalIndex(m care.Moment, at time.Time) index {
	return index{GSI1PK: teamWeek(weekWithdrawn, m.Team, at), GSI1SK: timeID(at, m.ID)}
}

func factIndex(f care.Fact) index {
	return index{GSI1PK: teamWeek(weekFacts, f.Team, f.At), GSI1SK: timeID(f.At, f.ID)}
}

// --- prompts, skips, feedback, claims and climate answers

func promptKeys(id string) keys { return keys{PK: "PROMPT#" + id, SK: "PROMPT", Type: typePrompt} }

func skipKeys(promptID string, n int) keys {
	return keys{PK: "PROMPT#" + promptID, SK: fmt.Sprintf("SKIP#%03d", n), Type: typeSkip}
}

func agendaKeys(promptID string) keys {
	return keys{PK: "PROMPT#" + promptID, SK: "AGENDA", Type: typeAgenda}
}

func feedbackKeys(f care.Feedback) keys {
	return keys{PK: "FEEDBACK#" + f.Team + "#" + strings.ToLower(f.AgentEmail), SK: timeID(f.At, f.ID), Type: typeFeedback}
}

// feedbackMonth is a team's monthly feedback partition (gsi1): one query
// gives a whole team's feedback for a digest or a scorecard.
func feedbackMonth(team string, at time.Time) string {
	return "FEEDBACK#" + team + "#" + at.UTC().Format("2006-01")
}

func feedbackIndex(f care.Feedback) index {
	return index{GSI1PK: feedbackMonth(f.Team, f.At), GSI1SK: timeID(f.At, f.ID)}
}

func lastFeedbackPK(team string) string { return "LASTFEEDBACK#" + team }

func lastFeedbackKeys(team, agentEmail string) keys {
	return keys{PK: lastFeedbackPK(team), SK: strings.ToLower(agentEmail), Type: typeLastFeedback}
}

func claimKeys(messageID string) keys {
	return keys{PK: "INMSG#" + messageID, SK: "INMSG", Type: typeInbound}
}

func climatePK(team string) string { return "CLIMATE#" + team }

func climateKeys(a care.ClimateAnswer) keys {
	return keys{PK: climatePK(a.Team), SK: timeID(a.At, a.PromptID), Type: typeClimate}
}

// --- configuration: teams, connections, members; reconcile's listing and cursors

func teamKeys(id string) keys { return keys{PK: "TEAM#" + id, SK: "CONFIG", Type: typeTeam} }

func connectionKeys(id string) keys {
	return keys{PK: "CONN#" + id, SK: "CONN", Type: typeConnection}
}

func memberByEmailKeys(email string) keys {
	return keys{PK: "MEMBERBYEMAIL#" + strings.ToLower(email), SK: "MEMBER", Type: typeMember}
}

func memberKeys(connection, helpdeskID string) keys {
	return keys{PK: "MEMBER#" + connection + "#" + strings.ToLower(helpdeskID), SK: "MEMBER", Type: typeMember}
}

// apiConnsPK is the one partition listing the connections reconcile reads.
const apiConnsPK = "APICONNS"

func apiConnKeys(connection string) keys {
	return keys{PK: apiConnsPK, SK: connection, Type: typeAPIConnection}
}

func cursorKeys(connection string) keys {
	return keys{PK: "CURSOR#" + connection, SK: "CURSOR", Type: typeCursor}
}

// --- check-backs

func checkBackPK(team string) string { return "CHECKBACK#" + team }

func checkBackKeys(r care.CheckBackRef) keys {
	return keys{PK: checkBackPK(r.Team), SK: timeID(r.SaidAt, r.ID), Type: typeCheckBack}
}

func checkBackDuePK(team string) string { return "CHECKBACKDUE#" + team }

// checkBackDueIndex puts a check-back whose email is still to go on its
// team's due index, by due time; any other is off the index.
func checkBackDueIndex(c care.CheckBack) index {
	if c.Status != care.CheckBackPending || !c.SentAt.IsZero() {
		return index{}
	}
	return index{GSI1PK: checkBackDuePK(c.Team), GSI1SK: timeID(c.DueAt, c.ID)}
}

// --- feedback requests

func feedbackRequestPK(team string) string { return "ASK#" + team }

// feedbackRequestKeys name a request by its id alone, which comes from
// the agent's mail: a retry of that mail finds the request it stored.
func feedbackRequestKeys(r care.AskRef) keys {
	return keys{PK: feedbackRequestPK(r.Team), SK: r.ID, Type: typeAsk}
}

// --- upward feedback

func upwardPK(team string) string { return "UPWARD#" + team }

// upwardAnswerKeys name an answer by its round and its key, a one-way
// hash of the question's prompt id: never by who answered.
func upwardAnswerKeys(a care.UpwardAnswer) keys {
	return keys{PK: upwardPK(a.Team), SK: "A#" + a.Month + "#" + strings.ToLower(a.Manager) + "#" + a.Key, Type: typeUpwardAnswer}
}

// upwardAnswerSpan is the sort keys of the answers of months from to to.
func upwardAnswerSpan(from, to string) (lo, hi string) { return "A#" + from, "A#" + to + "~" }

func upwardThanksKeys(r care.UpwardRef) keys {
	return keys{PK: upwardPK(r.Team), SK: "T#" + r.Month + "#" + strings.ToLower(r.Manager), Type: typeUpwardThanks}
}
