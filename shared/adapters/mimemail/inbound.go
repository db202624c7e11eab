package mimemail

import (
	"errors"
	"fmt"
	"io"

	"github.com/carecoach/carecoach/shared/core/care"
)

// ReadInbound parses a raw message into what reply handling needs.
//
// A message too large or too broken to read whole, whose header names a
// sender, comes back with Unreadable set and no error, so that the sender
// can be told. Input that is not mail at all is a care.EInvalid error;
// any other error (reading r failed) is worth retrying.
func ReadInbound(r io.Reader) (care.InboundMail, error) {
	m, err := Parse(r)
	switch {
	case err == nil:
	case (errors.Is(err, ErrTooLarge) || errors.Is(err, ErrNotMail)) && m.From != "":
		in := inbound(m)
		in.Unreadable = unreadable(err)
		return in, nil
	case errors.Is(err, ErrTooLarge), errors.Is(err, ErrNotMail):
		return care.InboundMail{}, care.Errorf(care.EInvalid, "%s", err.Error())
	default:
		return care.InboundMail{}, err
	}
	return inbound(m), nil
}

func inbound(m Message) care.InboundMail {
	in := care.InboundMail{
		MessageID: m.MessageID, From: m.From, To: m.To, Cc: m.Cc, Subject: m.Subject, Reply: m.Reply,
		Automatic: m.Automatic, Forwarded: m.Forwarded,
	}
	for _, b := range m.Blocks {
		in.Written = append(in.Written, care.WrittenBlock{Text: b.Text, Quoted: b.Quoted})
	}
	return in
}

// unreadable says, for the sender, why a message could not be read.
func unreadable(err error) string {
	switch {
	case errors.Is(err, ErrTextTooLarge):
		return fmt.Sprintf("its text is longer than %d MB, the most carecoach reads", MaxText>>20)
	case errors.Is(err, ErrTooLarge):
		return fmt.Sprintf("it is larger than %d MB, the most carecoach reads", MaxSize>>20)
	}
	return "its MIME structure could not be read"
}
