package care

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"time"
)

// Team is one support team: who is on it, which help desk connections feed
// it, and its playbook settings.
type Team struct {
	ID          string       `json:"id" yaml:"id"`
	Name        string       `json:"name" yaml:"name"`
	TimeZone    string       `json:"timezone" yaml:"timezone"`
	Connections []Connection `json:"connections" yaml:"connections"`
	Members     []Member     `json:"members" yaml:"members"`
	// ResponseWindow overrides the playbook's default (24h) when set.
	ResponseWindow Duration `json:"responseWindow,omitempty" yaml:"responseWindow,omitempty"`
}

// Duration is a time.Duration written as "24h" in configuration.
type Duration time.Duration

// UnmarshalText reads "24h", "90m" and the like.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("not a duration like \"24h\": %q", b)
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes the duration as "24h0m0s".
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// Validate reports every problem with the team, each naming the field.
func (t Team) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", field, fmt.Sprintf(format, args...)))
	}
	if !idPattern.MatchString(t.ID) {
		bad("id", "%q must be lower-case letters, digits and dashes", t.ID)
	}
	if t.TimeZone != "" {
		if _, err := time.LoadLocation(t.TimeZone); err != nil {
			bad("timezone", "%q is not an IANA time zone such as Europe/London", t.TimeZone)
		}
	}
	if t.ResponseWindow < 0 {
		bad("responseWindow", "must not be negative")
	}
	conns := map[string]bool{}
	for i, c := range t.Connections {
		f := fmt.Sprintf("connections[%d]", i)
		if !idPattern.MatchString(c.ID) {
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
	}
	for i, m := range t.Members {
		f := fmt.Sprintf("members[%d]", i)
		if m.Name == "" {
			bad(f+".name", "is required")
		}
		if a, err := mail.ParseAddress(m.Email); err != nil || a.Address != m.Email {
			bad(f+".email", "%q is not a plain email address", m.Email)
		}
		for conn := range m.HelpdeskIDs {
			if !conns[conn] {
				bad(f+".helpdeskIds", "names connection %q, which the team does not have", conn)
			}
		}
	}
	return errors.Join(errs...)
}
