package app_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/carecoach/carecoach/events/synth"
	"github.com/carecoach/carecoach/shared/core/care"
)

// TestAShuffledWeekEndsWithTheSameMomentsAndFactsAsACleanRun: delivered in
// any order, and processed at a clock past the whole week, deliveries make
// moments and facts from partial timelines (a customer whose answer has not
// arrived yet looks unanswered). Late evidence must correct all of them, so
// the standing moments and the facts end as in a run in time order.
func TestAShuffledWeekEndsWithTheSameMomentsAndFactsAsACleanRun(t *testing.T) {
	week, err := synth.Week(synth.Options{Seed: 21, Agents: 4, Events: 300, Start: monday, FirstAgentID: 2000})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 8))
	var messy [][]byte
	for _, d := range week {
		messy = append(messy, d.Body)
	}
	for range 90 {
		messy = append(messy, week[r.IntN(len(week))].Body)
	}
	r.Shuffle(len(messy), func(i, j int) { messy[i], messy[j] = messy[j], messy[i] })

	clean, shuffled := newPipeline(t), newPipeline(t)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	wg.Go(func() {
		for _, d := range week {
			if errs[0] = clean.deliver(d.Body); errs[0] != nil {
				return
			}
		}
	})
	wg.Go(func() {
		for _, b := range messy {
			if errs[1] = shuffled.deliver(b); errs[1] != nil {
				return
			}
		}
	})
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("clean run: %v; shuffled run: %v", errs[0], errs[1])
	}

	withdrawn := 0
	for _, ref := range ticketsOf(t, week) {
		want, err := clean.store.LoadTicket(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		got, err := shuffled.store.LoadTicket(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range got.Moments {
			if m.Withdrawn() {
				withdrawn++
			}
		}
		if g, w := standing(got.Moments), standing(want.Moments); !slices.Equal(g, w) {
			t.Errorf("ticket %s: standing moments\n got %q\nwant %q", ref, g, w)
		}
		if g, w := counted(got.Facts), counted(want.Facts); !slices.Equal(g, w) {
			t.Errorf("ticket %s: facts\n got %q\nwant %q", ref, g, w)
		}
	}
	if withdrawn == 0 {
		t.Error("the shuffled run withdrew nothing: nothing in it arrived late, so this test proves nothing")
	}
	t.Logf("%d moments recorded from partial timelines were withdrawn", withdrawn)
}

func standing(ms []care.Moment) []string {
	var out []string
	for _, m := range ms {
		if !m.Withdrawn() {
			out = append(out, m.ID+" "+string(m.Behaviour)+"/"+string(m.Kind)+" "+m.AgentID)
		}
	}
	slices.Sort(out)
	return out
}

// counted lists what each fact counts.
func counted(fs []care.Fact) []string {
	var out []string
	for _, f := range fs {
		out = append(out, strings.Join([]string{f.ID, string(f.Kind), f.AgentID, f.At.UTC().String(), f.Waited.String(), f.Rating}, " "))
	}
	slices.Sort(out)
	return out
}
