package care

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Team is one support team: who is on it, which help desk connections feed
// it, and its playbook settings. Zero settings mean "the default" (see
// package playbook, which applies them).
type Team struct {
	ID       string `json:"id" yaml:"id"`
	Name     string `json:"name" yaml:"name"`
	TimeZone string `json:"timezone" yaml:"timezone"`
	// Managers get alerts for members who have no manager of their own.
	Managers []string `json:"managers,omitempty" yaml:"managers,omitempty"`
	// Admins administer carecoach for the team: a manager among them finds
	// in their digest how many deliveries could not be processed.
	Admins        []string       `json:"admins,omitempty" yaml:"admins,omitempty"`
	BusinessHours *BusinessHours `json:"businessHours,omitempty" yaml:"businessHours,omitempty"`

	Respond      RespondSettings      `json:"respond" yaml:"respond"`
	FollowUp     FollowUpSettings     `json:"followUp" yaml:"followUp"`
	Commitments  CommitmentSettings   `json:"commitments" yaml:"commitments"`
	Escalation   EscalationSettings   `json:"escalation" yaml:"escalation"`
	Satisfaction SatisfactionSettings `json:"satisfaction" yaml:"satisfaction"`
	Feedback     FeedbackSettings     `json:"feedback" yaml:"feedback"`
	Digest       DigestSettings       `json:"digest" yaml:"digest"`
	Climate      ClimateSettings      `json:"climate" yaml:"climate"`
	CheckBack    CheckBackSettings    `json:"checkBack" yaml:"checkBack"`
	Ask          AskSettings          `json:"askForFeedback" yaml:"askForFeedback"`
	Upward       UpwardSettings       `json:"upwardFeedback" yaml:"upwardFeedback"`
	Meeting      MeetingSettings      `json:"meeting" yaml:"meeting"`

	Connections []Connection `json:"connections" yaml:"connections"`
	Members     []Member     `json:"members" yaml:"members"`
}

// BusinessHours are the team's opening hours in its time zone.
type BusinessHours struct {
	Days  []string `json:"days" yaml:"days"`   // mon, tue, ...
	Start string   `json:"start" yaml:"start"` // "09:00"
	End   string   `json:"end" yaml:"end"`     // "17:30"
}

// RespondSettings: answer every customer within a window.
type RespondSettings struct {
	Window Duration `json:"window,omitempty" yaml:"window,omitempty"` // default 24h
	// WarnAt is the share of the window after which the agent is warned.
	WarnAt Percent `json:"warnAt,omitempty" yaml:"warnAt,omitempty"` // default 80%
	// FastAnswer: an answer at least this quick is a praise moment.
	FastAnswer Duration `json:"fastAnswer,omitempty" yaml:"fastAnswer,omitempty"` // default 1h
}

// FollowUpSettings: follow up N days after resolution with a checklist.
type FollowUpSettings struct {
	Off       bool     `json:"off,omitempty" yaml:"off,omitempty"`
	After     Duration `json:"after,omitempty" yaml:"after,omitempty"` // default 7d
	Grace     Duration `json:"grace,omitempty" yaml:"grace,omitempty"` // default 2d
	Checklist []string `json:"checklist,omitempty" yaml:"checklist,omitempty"`
}

// CommitmentSettings: keep the due dates promised to customers.
type CommitmentSettings struct {
	Off          bool     `json:"off,omitempty" yaml:"off,omitempty"`
	RemindBefore Duration `json:"remindBefore,omitempty" yaml:"remindBefore,omitempty"` // default 2h
}

// EscalationSettings: escalate quickly when stuck.
type EscalationSettings struct {
	// QuickWithin: an escalation this soon after the customer started
	// waiting is a praise moment.
	QuickWithin Duration `json:"quickWithin,omitempty" yaml:"quickWithin,omitempty"` // default 4h
}

// SatisfactionSettings: delight the customer; treat a failure as a crisis.
type SatisfactionSettings struct {
	NoPraise bool `json:"noPraise,omitempty" yaml:"noPraise,omitempty"` // good rating with a comment → praise (on by default)
	NoAlert  bool `json:"noAlert,omitempty" yaml:"noAlert,omitempty"`   // bad rating → immediate manager alert (on by default)
}

// FeedbackSettings: how often each member should hear from their manager.
type FeedbackSettings struct {
	Cadence     Duration `json:"cadence,omitempty" yaml:"cadence,omitempty"`         // default 14d
	PraiseRatio float64  `json:"praiseRatio,omitempty" yaml:"praiseRatio,omitempty"` // praise per coaching, default 3
}

// DigestSettings: when managers get their digest, in the team's time zone.
type DigestSettings struct {
	Day  string `json:"day,omitempty" yaml:"day,omitempty"`   // default mon
	Time string `json:"time,omitempty" yaml:"time,omitempty"` // default 08:00
}

// ClimateSettings: a rotating weekly question to every agent; the answers
// appear in the manager's digest.
type ClimateSettings struct {
	Off       bool     `json:"off,omitempty" yaml:"off,omitempty"`
	Day       string   `json:"day,omitempty" yaml:"day,omitempty"`   // default fri
	Time      string   `json:"time,omitempty" yaml:"time,omitempty"` // default 15:00
	Anonymous bool     `json:"anonymous,omitempty" yaml:"anonymous,omitempty"`
	Questions []string `json:"questions,omitempty" yaml:"questions,omitempty"`
}

// CheckBackSettings: some business days after a manager's coaching, ask
// the manager whether it worked (CRAFT's "follow up").
type CheckBackSettings struct {
	Off bool `json:"off,omitempty" yaml:"off,omitempty"`
	// After is how many business days later (default 3, at most
	// MaxCheckBackDays). Business days are businessHours.days, else Monday
	// to Friday.
	After BusinessDays `json:"after,omitempty" yaml:"after,omitempty"`
	// Time is when check-backs go out on a business day (default
	// businessHours.start, else 09:00).
	Time string `json:"time,omitempty" yaml:"time,omitempty"`
}

// BusinessDays is a number of business days, written 3 or "3 business
// days" in configuration.
type BusinessDays int

// UnmarshalText reads 3, "3 business days" or "1 business day".
func (b *BusinessDays) UnmarshalText(text []byte) error {
	s := strings.TrimSpace(string(text))
	for _, unit := range []string{"business days", "business day"} {
		if v, ok := strings.CutSuffix(s, unit); ok {
			s = strings.TrimSpace(v)
			break
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("not a number of business days like 3 or \"3 business days\": %q", text)
	}
	*b = BusinessDays(n)
	return nil
}

// MaxCheckBackDays is the most business days a check-back waits, at first
// or after "later": a reply token lives 30 days.
const MaxCheckBackDays = 20

// Duration is a time.Duration written as "24h", "90m" or "7d" in
// configuration.
type Duration time.Duration

// UnmarshalText reads "24h", "90m", "7d" and the like.
func (d *Duration) UnmarshalText(b []byte) error {
	s := string(b)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.ParseFloat(days, 64)
		if err != nil || n < 0 {
			return fmt.Errorf("not a duration like \"7d\" or \"24h\": %q", b)
		}
		*d = Duration(time.Duration(n * float64(24*time.Hour)))
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("not a duration like \"7d\" or \"24h\": %q", b)
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes the duration as "24h0m0s".
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// Percent is a share written as "80%" (or 0.8) in configuration.
type Percent float64

// UnmarshalText reads "80%" or "0.8".
func (p *Percent) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	div := 1.0
	if v, ok := strings.CutSuffix(s, "%"); ok {
		s, div = v, 100
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("not a percentage like \"80%%\": %q", b)
	}
	*p = Percent(v / div)
	return nil
}

// MarshalText writes the share as "80%".
func (p Percent) MarshalText() ([]byte, error) {
	return []byte(strconv.FormatFloat(float64(p)*100, 'f', -1, 64) + "%"), nil
}

var (
	weekdays = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}
)

// ValidID says whether id can name a team or a connection: lower-case
// letters, digits and dashes, at most 63 characters, not starting with a
// dash. Anything else cannot be configured, so it need not be looked up.
func ValidID(id string) bool {
	if id == "" || len(id) > 63 || id[0] == '-' {
		return false
	}
	for _, c := range []byte(id) {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// validClock says whether s is a time of day as "15:04", 00:00 to 23:59.
func validClock(s string) bool {
	if len(s) != 5 || s[2] != ':' {
		return false
	}
	h, m := s[:2], s[3:]
	digits := func(s string) bool { return '0' <= s[0] && s[0] <= '9' && '0' <= s[1] && s[1] <= '9' }
	return digits(h) && digits(m) && h <= "23" && m <= "59"
}

// ManagersOf are the managers a member answers to: the one they name as
// manager, else the team's managers.
func (t Team) ManagersOf(m Member) []string {
	if m.Manager != "" {
		return []string{m.Manager}
	}
	return t.Managers
}

// IsAdmin reports whether addr administers carecoach for the team.
func (t Team) IsAdmin(addr string) bool {
	return slices.ContainsFunc(t.Admins, func(a string) bool { return strings.EqualFold(a, addr) })
}

// Member finds the team member with address addr, in any case.
func (t Team) Member(addr string) (Member, bool) {
	for _, m := range t.Members {
		if strings.EqualFold(m.Email, addr) {
			return m, true
		}
	}
	return Member{}, false
}

// TicketURL is where an agent opens a ticket of one of the team's
// connections; "" for a connection the team does not have.
func (t Team) TicketURL(ref TicketRef) string {
	for _, c := range t.Connections {
		if c.ID == ref.Connection {
			return c.TicketURL(ref.TicketID)
		}
	}
	return ""
}

// HelpdeskZone is the time zone a connection's help desk renders times in:
// the connection's own timezone, else the team's, else UTC.
func (t Team) HelpdeskZone(connection string) *time.Location {
	for _, c := range t.Connections {
		if c.ID == connection && c.TimeZone != "" {
			if loc, err := time.LoadLocation(c.TimeZone); err == nil {
				return loc
			}
		}
	}
	if loc, err := time.LoadLocation(t.TimeZone); err == nil && t.TimeZone != "" {
		return loc
	}
	return time.UTC
}

// Weekday reads "mon", "Monday" and the like.
func Weekday(s string) (time.Weekday, bool) {
	s = strings.ToLower(s)
	if len(s) < 3 {
		return 0, false
	}
	i := slices.Index(weekdays, s[:3])
	if i < 0 || !strings.HasPrefix(strings.ToLower(time.Weekday(i).String()), s) {
		return 0, false
	}
	return time.Weekday(i), true
}

// Validate reports every problem with the team, each naming the field.
func (t Team) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", field, fmt.Sprintf(format, args...)))
	}
	if !ValidID(t.ID) {
		bad("id", "%q must be lower-case letters, digits and dashes", t.ID)
	}
	if t.TimeZone != "" {
		if _, err := time.LoadLocation(t.TimeZone); err != nil {
			bad("timezone", "%q is not an IANA time zone such as Europe/London", t.TimeZone)
		}
	}
	for i, m := range t.Managers {
		if !plainAddress(m) {
			bad(fmt.Sprintf("managers[%d]", i), "%q is not a plain email address", m)
		}
	}
	for i, a := range t.Admins {
		if !plainAddress(a) {
			bad(fmt.Sprintf("admins[%d]", i), "%q is not a plain email address", a)
		}
	}
	if h := t.BusinessHours; h != nil {
		if len(h.Days) == 0 {
			bad("businessHours.days", "list at least one day, e.g. [mon, tue, wed, thu, fri]")
		}
		for i, d := range h.Days {
			if _, ok := Weekday(d); !ok {
				bad(fmt.Sprintf("businessHours.days[%d]", i), "%q is not a day of the week", d)
			}
		}
		okStart, okEnd := validClock(h.Start), validClock(h.End)
		if !okStart {
			bad("businessHours.start", "%q is not a time like 09:00", h.Start)
		}
		if !okEnd {
			bad("businessHours.end", "%q is not a time like 17:30", h.End)
		}
		if okStart && okEnd && h.Start >= h.End {
			bad("businessHours", "start %s must be before end %s", h.Start, h.End)
		}
	}
	if t.Respond.WarnAt < 0 || t.Respond.WarnAt >= 1 {
		bad("respond.warnAt", "%v must be between 0%% and 100%% of the window", float64(t.Respond.WarnAt)*100)
	}
	for _, d := range []struct {
		field string
		value Duration
	}{
		{"respond.window", t.Respond.Window}, {"respond.fastAnswer", t.Respond.FastAnswer},
		{"followUp.after", t.FollowUp.After}, {"followUp.grace", t.FollowUp.Grace},
		{"commitments.remindBefore", t.Commitments.RemindBefore}, {"escalation.quickWithin", t.Escalation.QuickWithin},
		{"feedback.cadence", t.Feedback.Cadence},
	} {
		if d.value < 0 {
			bad(d.field, "must not be negative")
		}
	}
	for i, q := range t.FollowUp.Checklist {
		if strings.TrimSpace(q) == "" {
			bad(fmt.Sprintf("followUp.checklist[%d]", i), "is empty")
		}
	}
	if t.Feedback.PraiseRatio < 0 {
		bad("feedback.praiseRatio", "must not be negative")
	}
	if d := t.Digest.Day; d != "" {
		if _, ok := Weekday(d); !ok {
			bad("digest.day", "%q is not a day of the week", d)
		}
	}
	if tm := t.Digest.Time; tm != "" && !validClock(tm) {
		bad("digest.time", "%q is not a time like 08:00", tm)
	}
	if d := t.Climate.Day; d != "" {
		if _, ok := Weekday(d); !ok {
			bad("climate.day", "%q is not a day of the week", d)
		}
	}
	if tm := t.Climate.Time; tm != "" && !validClock(tm) {
		bad("climate.time", "%q is not a time like 15:00", tm)
	}
	for i, q := range t.Climate.Questions {
		if strings.TrimSpace(q) == "" {
			bad(fmt.Sprintf("climate.questions[%d]", i), "is empty")
		}
	}
	if n := t.CheckBack.After; n < 0 || n > MaxCheckBackDays {
		bad("checkBack.after", "%d must be a number of business days from 1 to %d", n, MaxCheckBackDays)
	}
	if tm := t.CheckBack.Time; tm != "" && !validClock(tm) {
		bad("checkBack.time", "%q is not a time like 09:00", tm)
	}
	if d := time.Duration(t.Ask.Overdue); d < 0 || d > 30*24*time.Hour {
		bad("askForFeedback.overdue", "%s must be between 0 (the default, 2d) and 30d: a request can be answered for 30 days", d)
	}
	t.validateUpward(bad)
	t.validateMeeting(bad)
	conns := map[string]bool{}
	for i, c := range t.Connections {
		f := fmt.Sprintf("connections[%d]", i)
		if !ValidID(c.ID) {
			bad(f+".id", "%q must be lower-case letters, digits and dashes", c.ID)
		}
		if conns[c.ID] {
			bad(f+".id", "%q is listed twice", c.ID)
		}
		conns[c.ID] = true
		if !c.Kind.Valid() {
			bad(f+".kind", "%q must be zendesk or freshdesk", c.Kind)
		}
		if c.BaseURL != "" {
			if u, err := url.Parse(c.BaseURL); err != nil || u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
				bad(f+".baseUrl", "%q is not an http(s) URL", c.BaseURL)
			}
		}
		if c.TimeZone != "" {
			if _, err := time.LoadLocation(c.TimeZone); err != nil {
				bad(f+".timezone", "%q is not an IANA time zone such as Asia/Kolkata", c.TimeZone)
			}
		}
		if api := c.API; api != nil {
			if c.BaseURL == "" || !strings.HasPrefix(c.BaseURL, "https://") {
				bad(f+".baseUrl", "must be the account's https:// URL when api is set: the API is called there")
			}
			if !strings.HasPrefix(api.TokenParam, "/") {
				bad(f+".api.tokenParam", "%q must name an SSM parameter such as /carecoach/prod/helpdesk-tokens/%s", api.TokenParam, c.ID)
			}
			if c.Kind == Zendesk && !plainAddress(api.Email) {
				bad(f+".api.email", "%q must be the email of the Zendesk agent the token acts as", api.Email)
			}
			if api.BackfillDays < 0 || api.BackfillDays > 365 {
				bad(f+".api.backfillDays", "%d must be between 0 (the default, %d) and 365", api.BackfillDays, DefaultBackfillDays)
			}
		}
	}
	for i, m := range t.Members {
		f := fmt.Sprintf("members[%d]", i)
		if m.Name == "" {
			bad(f+".name", "is required")
		}
		if !plainAddress(m.Email) {
			bad(f+".email", "%q is not a plain email address", m.Email)
		}
		if m.Manager != "" && !plainAddress(m.Manager) {
			bad(f+".manager", "%q is not a plain email address", m.Manager)
		}
		for conn := range m.HelpdeskIDs {
			if !conns[conn] {
				bad(f+".helpdeskIds", "names connection %q, which the team does not have", conn)
			}
		}
	}
	return errors.Join(errs...)
}

func plainAddress(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s
}
