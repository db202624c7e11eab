package mail

import (
	"fmt"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Parts gives, for an email's input, the name of the template it used to
// be written with, the data that template was run with, and the two parts
// the email is written with now: the differential test holds the parts to
// the old templates (testdata/templates).
func Parts(in any) (name string, view any, html, text string) {
	switch in := in.(type) {
	case Reminder:
		return "respond_reminder", in, reminderHTML(in), reminderText(in)
	case Warning:
		v := warningViewOf(in)
		return "respond_warning", v, warningHTML(v), warningText(v)
	case FollowUp:
		v := followUpView{FollowUp: in, Customer: person(in.CustomerName)}
		return "follow_up", v, followUpHTML(v), followUpText(v)
	case Commitment:
		v := commitmentView{Commitment: in, Customer: person(in.CustomerName)}
		return "commitment_reminder", v, commitmentHTML(v), commitmentText(v)
	case Alert:
		v := alertViewOf(in)
		return "satisfaction_alert", v, alertHTML(v), alertText(v)
	case Confirmation:
		return "confirmation", in, confirmationHTML(in), confirmationText(in)
	case CheckBack:
		v := checkBackViewOf(in)
		return "checkback", v, checkBackHTML(v), checkBackText(v)
	case CheckBackThanks:
		v := checkBackThanksViewOf(in)
		return "checkback_thanks", v, checkBackThanksHTML(v), checkBackThanksText(v)
	case ClimateQuestion:
		v := climateViewOf(in)
		return "climate", v, climateHTML(v), climateText(v)
	case Digest:
		v := digestViewOf(in)
		return "digest", v, digestHTML(v), digestText(v)
	case Feedback:
		v := feedbackViewOf(in)
		return "feedback", v, feedbackHTML(v), feedbackText(v)
	case Recognition:
		v := recognitionViewOf(in)
		return "recognition", v, recognitionHTML(v), recognitionText(v)
	case Kudos:
		v := kudosViewOf(in)
		return "kudos", v, kudosHTML(v), kudosText(v)
	case KudosReceipt:
		v := kudosReceiptViewOf(in)
		return "kudos_receipt", v, kudosReceiptHTML(v), kudosReceiptText(v)
	default:
		panic(fmt.Sprintf("no email for %T", in))
	}
}

// OracleFuncs are the functions the old templates called.
var OracleFuncs = map[string]any{
	"when":        when,
	"hours":       hours,
	"excerpt":     excerpt,
	"duration":    duration,
	"subject":     oneLine,
	"inc":         func(i int) int { return i + 1 },
	"replyMarker": func() string { return care.ReplyMarker },
	"day":         day,
	"flat":        person,
	"behaviour":   care.Behaviour.Label,
	"plural":      plural,
	"verbatim":    verbatim,
}
