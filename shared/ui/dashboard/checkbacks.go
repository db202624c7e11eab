package dashboard

import (
	"fmt"
	"strconv"

	"github.com/carecoach/carecoach/shared/core/scorecard"
)

// checkBackRow is one manager's follow-through on the page.
type checkBackRow struct {
	Manager, Name                        string
	Asked, Done, Waiting, Upcoming, Rate string
}

func checkBackRowOf(f scorecard.FollowThrough) checkBackRow {
	name := f.Name
	if name == "" {
		name = f.Manager
	}
	return checkBackRow{
		Manager: f.Manager, Name: name,
		Asked: strconv.Itoa(f.Asked), Done: strconv.Itoa(f.Done), Waiting: strconv.Itoa(f.Waiting), Upcoming: strconv.Itoa(f.Upcoming),
		Rate: percentOr(f.Rate()),
	}
}

// followThroughStat is the summary's follow-through figure.
func followThroughStat(t scorecard.FollowThrough) stat {
	return stat{"Check-backs done", percentOr(t.Rate()), fmt.Sprintf("%d of %d asked · %d waiting · %d to go", t.Done, t.Asked, t.Waiting, t.Upcoming)}
}

// checkBacks writes the "Checking back" section: a row per manager and
// the team's, or a line saying there was no coaching to check back on.
func (w *writer) checkBacks(rows []checkBackRow, total checkBackRow) {
	w.raw(`<section aria-labelledby="checkbacks-h">
<h2 id="checkbacks-h">Checking back</h2>
<p class="explain">Some business days after a manager coaches, carecoach asks them whether they checked back with the agent. Counted for the coaching given in the period: asked (the email went), done, waiting for the manager, and to go (not asked yet).</p>
`)
	if len(rows) == 0 {
		w.raw(`<p class="explain" id="no-checkbacks">No coaching in this period to check back on.</p>
</section>
`)
		return
	}
	w.raw(`<div class="scroll" role="region" aria-labelledby="checkbacks-h" tabindex="0">
<table id="checkbacks">
<thead><tr>
<th scope="col">Manager</th>
<th scope="col">Asked</th>
<th scope="col">Done</th>
<th scope="col">Waiting</th>
<th scope="col">To go</th>
<th scope="col">Follow-through</th>
</tr></thead>
<tbody>
`)
	for _, r := range rows {
		w.checkBackRow(r)
	}
	w.raw("</tbody>\n<tfoot>")
	w.checkBackRow(total)
	w.raw(`</tfoot>
</table>
</div>
</section>
`)
}

func (w *writer) checkBackRow(r checkBackRow) {
	w.raw(`<tr data-manager="`)
	w.text(r.Manager)
	w.raw(`">
<th scope="row" data-metric="name">`)
	w.text(r.Name)
	w.raw("</th>\n")
	for _, c := range [...][2]string{{"asked", r.Asked}, {"done", r.Done}, {"waiting", r.Waiting}, {"upcoming", r.Upcoming}, {"rate", r.Rate}} {
		w.raw(`<td data-metric="`, c[0], `">`)
		w.text(c[1])
		w.raw("</td>\n")
	}
	w.raw("</tr>\n")
}
