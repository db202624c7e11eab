package care_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// keyed gives each interaction of the story the key its help desk would:
// a comment id for comments, the change itself for the rest.
func keyed(ins []care.Interaction) []care.Interaction {
	for i, in := range ins {
		switch in.Kind {
		case care.CustomerMessage, care.AgentReply:
			ins[i].Key = care.CommentKey("c-" + in.ID)
		default:
			ins[i].Key = care.ChangeKey(in, time.Second)
		}
	}
	return ins
}

// apiCopy is what the help desk's API says about the same facts: other ids,
// no snapshot, times to the second; events only webhooks carry (without a
// key) it does not know.
func apiCopy(ins []care.Interaction) []care.Interaction {
	var out []care.Interaction
	for _, in := range ins {
		if in.Key == "" {
			continue
		}
		in.ID = "api-" + in.ID
		in.Snapshot = care.Snapshot{}
		in.At = in.At.Truncate(time.Second)
		out = append(out, in)
	}
	return out
}

func TestOneFactDeliveredTwiceCountsOnce(t *testing.T) {
	webhooks := keyed(story())
	api := apiCopy(webhooks)
	want := care.Fold(ref, webhooks)
	tests := []struct {
		name     string
		timeline []care.Interaction
	}{
		{"the API's copies after the webhooks change nothing", append(append([]care.Interaction{}, webhooks...), api...)},
		{"the API's copies before the webhooks change nothing", append(append([]care.Interaction{}, api...), webhooks...)},
		{"the same fact from the API three times changes nothing", append(append(append([]care.Interaction{}, webhooks...), api...), api...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := care.Fold(ref, tt.timeline); !reflect.DeepEqual(got, want) {
				t.Errorf("Fold =\n%+v\nwant\n%+v", got, want)
			}
			if got := care.Distinct(tt.timeline); len(got) != len(webhooks) {
				t.Errorf("Distinct kept %d interactions, want %d", len(got), len(webhooks))
			}
		})
	}
}

func TestADroppedWebhookReadFromTheAPIGivesTheSameAnchors(t *testing.T) {
	webhooks := keyed(story())
	// The customer's second message (e6) and the rating (e7) never arrived
	// as webhooks; reconcile read them from the API.
	mixed := append([]care.Interaction{}, webhooks[:5]...)
	mixed = append(mixed, apiCopy(webhooks[5:7])...)
	mixed = append(mixed, webhooks[7:]...)
	got, want := care.Fold(ref, mixed), care.Fold(ref, webhooks)
	if got.AwaitingMessage != want.AwaitingMessage || got.RatingID != want.RatingID {
		t.Errorf("anchors = %q, %q; want %q, %q (the same fact, whichever way it came)", got.AwaitingMessage, got.RatingID, want.AwaitingMessage, want.RatingID)
	}
	if got.Interactions != want.Interactions {
		t.Errorf("Interactions = %d, want %d", got.Interactions, want.Interactions)
	}
}

func TestDistinctPrefersTheCopyWithASnapshot(t *testing.T) {
	hook := care.Interaction{ID: "zd-b", Key: "comment:1", Kind: care.AgentReply, At: t0, Snapshot: care.Snapshot{Status: care.StatusPending}}
	api := care.Interaction{ID: "zdx-a", Key: "comment:1", Kind: care.AgentReply, At: t0}
	for _, order := range [][]care.Interaction{{hook, api}, {api, hook}} {
		if got := care.Distinct(order); len(got) != 1 || got[0].ID != "zd-b" {
			t.Errorf("Distinct(%s, %s) = %+v, want the webhook's copy", order[0].ID, order[1].ID, got)
		}
	}
}

func TestChangeKeys(t *testing.T) {
	base := care.Interaction{ID: "x", Ticket: ref, At: time.Date(2026, 12, 1, 10, 20, 30, 500, time.UTC)}
	with := func(f func(*care.Interaction)) care.Interaction { in := base; f(&in); return in }
	tests := []struct {
		name string
		a, b care.Interaction
		prec time.Duration
		same bool
	}{
		{"a status change a fraction of a second apart is one fact",
			with(func(in *care.Interaction) { in.Kind, in.Status = care.StatusChanged, care.StatusSolved }),
			with(func(in *care.Interaction) {
				in.Kind, in.Status, in.At = care.StatusChanged, care.StatusSolved, base.At.Truncate(time.Second)
			}),
			time.Second, true},
		{"two different statuses at one second are two facts",
			with(func(in *care.Interaction) { in.Kind, in.Status = care.StatusChanged, care.StatusSolved }),
			with(func(in *care.Interaction) { in.Kind, in.Status = care.StatusChanged, care.StatusOpen }),
			time.Second, false},
		{"tags in another order are the same tags",
			with(func(in *care.Interaction) { in.Kind, in.Tags = care.TagsChanged, []string{"vip", "billing"} }),
			with(func(in *care.Interaction) { in.Kind, in.Tags = care.TagsChanged, []string{"billing", "vip"} }),
			time.Second, true},
		{"a reply rendered as HTML by one and as text by the other is one fact, to the minute",
			with(func(in *care.Interaction) { in.Kind, in.Body = care.AgentReply, "Hi Tom,\n\nSorry for the wait!" }),
			with(func(in *care.Interaction) {
				in.Kind, in.Body, in.At = care.AgentReply, "Hi Tom, Sorry for the wait", base.At.Add(20*time.Second)
			}),
			time.Minute, true},
		{"two replies with different words are two facts",
			with(func(in *care.Interaction) { in.Kind, in.Body = care.AgentReply, "Hi Tom" }),
			with(func(in *care.Interaction) { in.Kind, in.Body = care.AgentReply, "Hi Anna" }),
			time.Minute, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := care.ChangeKey(tt.a, tt.prec), care.ChangeKey(tt.b, tt.prec)
			if (a == b) != tt.same {
				t.Errorf("keys %q and %q: same = %v, want %v", a, b, a == b, tt.same)
			}
		})
	}
	if k := care.ChangeKey(with(func(in *care.Interaction) { in.Kind = care.Unrecognized }), time.Second); k != "" {
		t.Errorf("an unrecognized event has key %q, want none (its id stands in)", k)
	}
}

func TestTheCopyThatWinsTakesTheWordsItLacks(t *testing.T) {
	hook := care.Interaction{ID: "fd-a", Key: "satisfaction_rated:bad@x", Kind: care.Satisfaction, Rating: "bad", At: t0, Snapshot: care.Snapshot{Status: care.StatusSolved}}
	api := care.Interaction{ID: "fdx-b", Key: "satisfaction_rated:bad@x", Kind: care.Satisfaction, Rating: "bad", At: t0, Body: "Took far too long"}
	for _, order := range [][]care.Interaction{{hook, api}, {api, hook}} {
		got := care.Distinct(order)
		if len(got) != 1 || got[0].ID != "fd-a" || got[0].Body != "Took far too long" {
			t.Errorf("Distinct = %+v, want the webhook's copy with the API's comment", got)
		}
	}
	if c := care.Fold(ref, []care.Interaction{hook, api}).RatingComment; c != "Took far too long" {
		t.Errorf("RatingComment = %q, want the comment the API read", c)
	}
}
