// Package sesmail sends carecoach's emails through the SES v2 API (Simple
// content, so SES builds the MIME and its event publishing sees our tags).
package sesmail

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Sender sends email from one verified identity.
type Sender struct {
	// send is the client's SendEmail. Holding the method value rather than
	// the client keeps the client's type out of reach of reflection, so the
	// linker can drop its ~100 unused operations even though html/template
	// (which calls methods by name) is in the same binary: about 3 MB.
	send func(context.Context, *sesv2.SendEmailInput, ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error)
	// From is the verified sender, e.g. "carecoach <carecoach@acme.example>".
	from string
	// configSet, when set, routes bounce and complaint events.
	configSet string
}

// NewClient builds an SES v2 client; a non-empty endpoint points it at the
// local emulator.
func NewClient(cfg aws.Config, endpoint string) *sesv2.Client {
	return sesv2.NewFromConfig(cfg, func(o *sesv2.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
	})
}

// New returns a sender.
func New(client *sesv2.Client, from, configSet string) *Sender {
	return &Sender{send: client.SendEmail, from: from, configSet: configSet}
}

// loopGuard marks every email as sent by a machine (RFC 3834) and asks
// Exchange not to answer it with an out-of-office or other auto-reply, so
// that auto-responders have no reason to write back: carecoach never acts on
// their mail and never answers it (see package mimemail's Automatic).
var loopGuard = []types.MessageHeader{
	{Name: aws.String("Auto-Submitted"), Value: aws.String("auto-generated")},
	{Name: aws.String("X-Auto-Response-Suppress"), Value: aws.String("OOF, AutoReply")},
}

// SES accepts tag names and values of [A-Za-z0-9_-] only.
var tagUnsafe = regexp.MustCompile(`[^A-Za-z0-9_-]`)

// Send sends one email and returns the SES message id.
func (s *Sender) Send(ctx context.Context, e care.Email) (string, error) {
	if len(e.To) == 0 {
		return "", fmt.Errorf("send %q: no recipient", e.Subject)
	}
	in := &sesv2.SendEmailInput{
		FromEmailAddress: aws.String(s.from),
		Destination:      &types.Destination{ToAddresses: e.To},
		ReplyToAddresses: e.ReplyTo,
		Content: &types.EmailContent{Simple: &types.Message{
			Subject: &types.Content{Data: aws.String(e.Subject), Charset: aws.String("UTF-8")},
			Body: &types.Body{
				Text: &types.Content{Data: aws.String(e.Text), Charset: aws.String("UTF-8")},
				Html: &types.Content{Data: aws.String(e.HTML), Charset: aws.String("UTF-8")},
			},
			Headers: loopGuard,
		}},
	}
	if s.configSet != "" {
		in.ConfigurationSetName = aws.String(s.configSet)
	}
	names := make([]string, 0, len(e.Tags))
	for k := range e.Tags {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		in.EmailTags = append(in.EmailTags, types.MessageTag{
			Name:  aws.String(tagUnsafe.ReplaceAllString(k, "_")),
			Value: aws.String(tagUnsafe.ReplaceAllString(e.Tags[k], "_")),
		})
	}
	out, err := s.send(ctx, in)
	if err != nil {
		return "", fmt.Errorf("send %q: %w", e.Subject, err)
	}
	return aws.ToString(out.MessageId), nil
}

// ParseSendRate reads the account's maximum send rate in emails a second
// (the template's SesSendRate parameter); "" or 0 means not paced.
func ParseSendRate(v string) (float64, error) {
	if v == "" {
		return 0, nil
	}
	r, err := strconv.ParseFloat(v, 64)
	if err != nil || !(r >= 0) || math.IsInf(r, 0) {
		return 0, fmt.Errorf("CARECOACH_SES_SEND_RATE %q: want emails a second (0: not paced)", v)
	}
	return r, nil
}
