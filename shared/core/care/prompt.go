package care

import "time"

// ReplyMarker opens every email that can be answered by reply: what the
// manager types goes above it, and everything from it down is quoted
// history that the inbound path cuts away.
const ReplyMarker = "##- Please type your reply above this line -##"

// PromptKind says what an answerable email was.
type PromptKind string

// Prompt kinds.
const (
	DigestPrompt  PromptKind = "digest"  // numbered praise and coaching items
	AlertPrompt   PromptKind = "alert"   // one moment: free text is feedback on it
	ClimatePrompt PromptKind = "climate" // the weekly climate question: free text is the answer
	// CheckBackPrompt asks a manager whether coaching worked: "done
	// [note]" or "later 2d".
	CheckBackPrompt PromptKind = "checkback"
	// AskPrompt asks a manager or a teammate for the feedback an agent
	// requested on a ticket: free text is the answer.
	AskPrompt PromptKind = "ask"
	// UpwardPrompt asks an agent the month's question about their
	// manager's support: a score from 1 to 5, then any words.
	UpwardPrompt PromptKind = "upward"
	// UpwardResultsPrompt shows a manager the month's answers: any words
	// in reply thank the team.
	UpwardResultsPrompt PromptKind = "upward_results"
	// BriefPrompt is a manager's brief before the team's weekly meeting:
	// "send" (or item numbers) mails the agenda to the team.
	BriefPrompt PromptKind = "brief"
)

// Prompt is an email that can be answered by reply: who it went to, which
// moments its numbered items are, and until when replies count.
type Prompt struct {
	ID        string       `json:"id" dynamodbav:"id"`
	Team      string       `json:"team" dynamodbav:"team"`
	Kind      PromptKind   `json:"kind" dynamodbav:"kind"`
	Recipient string       `json:"recipient" dynamodbav:"recipient"` // lower-cased address
	SentAt    time.Time    `json:"sentAt" dynamodbav:"sentAt"`
	ExpiresAt time.Time    `json:"expiresAt" dynamodbav:"expiresAt"`
	Items     []PromptItem `json:"items" dynamodbav:"items"`
	// Question is the climate question of a climate question prompt.
	Question string `json:"question,omitempty" dynamodbav:"question,omitempty"`
	// CheckBack is the check-back a check-back prompt asks about, and
	// Round the round of it the email was (see CheckBack.Round).
	CheckBack *CheckBackRef `json:"checkBack,omitempty" dynamodbav:"checkBack,omitempty"`
	Round     int           `json:"round,omitempty" dynamodbav:"round,omitempty"`
	// Ask is the feedback request an ask prompt is about.
	Ask *AskRef `json:"ask,omitempty" dynamodbav:"ask,omitempty"`
	// Upward is the round of upward feedback an upward question or
	// results prompt is about.
	Upward *UpwardRef `json:"upward,omitempty" dynamodbav:"upward,omitempty"`
	// Agenda is the numbered items of a brief, and Meeting the meeting
	// it prepares.
	Agenda  []AgendaItem `json:"agenda,omitempty" dynamodbav:"agenda,omitempty"`
	Meeting time.Time    `json:"meeting,omitzero" dynamodbav:"meeting,omitempty"`
}

// PromptItem is one numbered moment in a prompt.
type PromptItem struct {
	N          int    `json:"n" dynamodbav:"n"`
	Moment     Moment `json:"moment" dynamodbav:"moment"`
	AgentEmail string `json:"agentEmail" dynamodbav:"agentEmail"`
	AgentName  string `json:"agentName" dynamodbav:"agentName"`
	TicketURL  string `json:"ticketUrl,omitempty" dynamodbav:"ticketUrl,omitempty"`
	// Concern is set on a digest item that is an agent's climate answer
	// rather than a moment: the manager's words on it go to whoever wrote
	// it (AgentEmail; AgentName is "" on a team whose answers are
	// anonymous, so no email to the manager can name them).
	Concern *Concern `json:"concern,omitempty" dynamodbav:"concern,omitempty"`
}

// Concern is an agent's answer to the climate question that a manager
// answers from the digest, and later checks back on.
type Concern struct {
	Question   string    `json:"question" dynamodbav:"question"`
	Answer     string    `json:"answer" dynamodbav:"answer"`
	AnsweredAt time.Time `json:"answeredAt" dynamodbav:"answeredAt"`
	// Anonymous: the team's climate answers are anonymous, so the manager
	// is never told who wrote it; carecoach passes words on.
	Anonymous bool `json:"anonymous,omitempty" dynamodbav:"anonymous,omitempty"`
}

// Feedback is what a manager (or a teammate) said about specific work.
type Feedback struct {
	ID         string     `json:"id" dynamodbav:"id"`
	Team       string     `json:"team" dynamodbav:"team"`
	From       string     `json:"from" dynamodbav:"from"`             // who gave it (address)
	AgentEmail string     `json:"agentEmail" dynamodbav:"agentEmail"` // who received it
	AgentName  string     `json:"agentName" dynamodbav:"agentName"`
	Peer       bool       `json:"peer,omitempty" dynamodbav:"peer,omitempty"` // kudos from a teammate
	Kind       MomentKind `json:"kind" dynamodbav:"kind"`
	MomentID   string     `json:"momentId,omitempty" dynamodbav:"momentId,omitempty"`
	Ticket     TicketRef  `json:"ticket" dynamodbav:"ticket"`
	Words      string     `json:"words" dynamodbav:"words"`
	Reward     string     `json:"reward,omitempty" dynamodbav:"reward,omitempty"`
	Shared     bool       `json:"shared,omitempty" dynamodbav:"shared,omitempty"`
	At         time.Time  `json:"at" dynamodbav:"at"`
	PromptID   string     `json:"promptId,omitempty" dynamodbav:"promptId,omitempty"`
	MessageID  string     `json:"messageId,omitempty" dynamodbav:"messageId,omitempty"`
}

// InboundMail is a received email as the reply handling needs it.
type InboundMail struct {
	MessageID string
	From      string   // bare lower-cased address
	To, Cc    []string // bare lower-cased addresses
	Subject   string
	// Reply is only what the sender wrote: quoted history and signature
	// cut; Written's texts joined by a blank line.
	Reply string
	// Written is what the sender wrote, block by block: above, between and
	// below the quoted parts, each with the quoted text right above it.
	Written []WrittenBlock
	// Automatic says why a machine sent the message (an auto-reply, a
	// bounce, a mailing list's copy); "" for a person's mail.
	Automatic string
	// Forwarded says why the message is a forward; "" for a reply.
	Forwarded string
	// Unreadable says why the body could not be read (too large, broken
	// MIME): the header fields above are set, the texts are empty.
	Unreadable string
}

// WrittenBlock is one run of lines the sender wrote and the quoted lines
// right above it ("" when none), without their ">" prefixes.
type WrittenBlock struct {
	Text, Quoted string
}

// ClimateAnswer is one agent's answer to the weekly question.
type ClimateAnswer struct {
	Team     string    `json:"team" dynamodbav:"team"`
	PromptID string    `json:"promptId" dynamodbav:"promptId"`
	Who      string    `json:"who" dynamodbav:"who"` // the agent's address
	Question string    `json:"question" dynamodbav:"question"`
	Answer   string    `json:"answer" dynamodbav:"answer"`
	At       time.Time `json:"at" dynamodbav:"at"`
}
