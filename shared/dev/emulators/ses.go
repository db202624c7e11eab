package emulators

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// SentEmail is one message captured by the SES emulator.
//
// For Simple and Template content every field is stored as sent. For Raw
// (MIME) content the emulator parses the message: From may be re-quoted, To
// is a single joined string, Bcc is empty and custom headers are dropped.
type SentEmail struct {
	MessageID string
	From      string
	ReplyTo   []string
	To        []string
	Cc        []string
	Bcc       []string
	Subject   string
	Text      string
	HTML      string
	// Headers are the Simple/Template content's custom headers, in order.
	Headers     []EmailHeader
	Attachments []EmailAttachment
	// At is when the emulator stored the message (second precision).
	At time.Time
}

// EmailHeader is a custom header of a SentEmail.
type EmailHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// EmailAttachment is an attachment of a SentEmail.
type EmailAttachment struct {
	Filename    string `json:"filename"`
	ContentType string `json:"contentType"`
	ContentID   string `json:"contentId"`
	Content     []byte `json:"content"` // sent base64 by the emulator; decoded
}

// storeResponse is the body of the emulator's GET /store.
type storeResponse struct {
	Emails []struct {
		MessageID   string   `json:"messageId"`
		From        string   `json:"from"`
		ReplyTo     []string `json:"replyTo"`
		Destination struct {
			To  []string `json:"to"`
			Cc  []string `json:"cc"`
			Bcc []string `json:"bcc"`
		} `json:"destination"`
		Subject string `json:"subject"`
		Body    struct {
			Text string `json:"text"`
			HTML string `json:"html"`
		} `json:"body"`
		Headers     []EmailHeader     `json:"headers"`
		Attachments []EmailAttachment `json:"attachments"`
		At          int64             `json:"at"` // epoch seconds
	} `json:"emails"`
}

// SentEmails returns every message the SES emulator has received since it
// started (or since the last ClearEmails), oldest first. It reads
// GET {SESEndpoint}/store.
func (s *Stack) SentEmails(ctx context.Context) ([]SentEmail, error) {
	var st storeResponse
	if err := s.sesCall(ctx, http.MethodGet, "/store", &st); err != nil {
		return nil, fmt.Errorf("read sent emails: %w", err)
	}
	out := make([]SentEmail, 0, len(st.Emails))
	for _, e := range st.Emails {
		out = append(out, SentEmail{
			MessageID:   e.MessageID,
			From:        e.From,
			ReplyTo:     e.ReplyTo,
			To:          e.Destination.To,
			Cc:          e.Destination.Cc,
			Bcc:         e.Destination.Bcc,
			Subject:     e.Subject,
			Text:        e.Body.Text,
			HTML:        e.Body.HTML,
			Headers:     e.Headers,
			Attachments: e.Attachments,
			At:          time.Unix(e.At, 0),
		})
	}
	return out, nil
}

// ClearEmails empties the SES emulator's store (messages and templates).
// It calls POST {SESEndpoint}/clear-store.
func (s *Stack) ClearEmails(ctx context.Context) error {
	if err := s.sesCall(ctx, http.MethodPost, "/clear-store", nil); err != nil {
		return fmt.Errorf("clear sent emails: %w", err)
	}
	return nil
}

func (s *Stack) sesCall(ctx context.Context, method, path string, into any) error {
	if s == nil || s.SESEndpoint == "" {
		return fmt.Errorf("ses emulator not started")
	}
	req, err := http.NewRequestWithContext(ctx, method, s.SESEndpoint+path, nil)
	if err != nil {
		return err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
		return fmt.Errorf("%s %s: HTTP %d: %s", method, path, resp.StatusCode, strings.TrimSpace(string(b)))
	}
	if into == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
		return fmt.Errorf("%s %s: decode: %w", method, path, err)
	}
	return nil
}
