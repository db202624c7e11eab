package mimemail

import (
	"io"

	"github.com/carecoach/carecoach/shared/care"
)

// ReadInbound parses a raw message into what reply handling needs.
func ReadInbound(r io.Reader) (care.InboundMail, error) {
	m, err := Parse(r)
	if err != nil {
		return care.InboundMail{}, err
	}
	return care.InboundMail{MessageID: m.MessageID, From: m.From, To: m.To, Cc: m.Cc, Subject: m.Subject, Reply: m.Reply}, nil
}
