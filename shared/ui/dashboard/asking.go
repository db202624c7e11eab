package dashboard

import (
	"strconv"

	"github.com/carecoach/carecoach/shared/core/scorecard"
)

// askRow is one member's requests for feedback on the page.
type askRow struct {
	Email, Name               string
	Asked, Answered, ToAnswer string
}

func askRowOf(a scorecard.Asking) askRow {
	name := a.Name
	if name == "" {
		name = a.Email
	}
	return askRow{Email: a.Email, Name: name, Asked: strconv.Itoa(a.Asked), Answered: strconv.Itoa(a.Answered), ToAnswer: durationOr(a.MedianToAnswer, a.Answered)}
}

// asking writes the "Asking for feedback" section: a row per member who
// asked, or a line saying nobody did.
func (w *writer) asking(rows []askRow) {
	w.raw(`<section aria-labelledby="asking-h">
<h2 id="asking-h">Asking for feedback</h2>
<p class="explain">Agents ask for feedback on a ticket by mailing carecoach&#39;s ask address. Per member, the requests asked in the period, how many someone answered, and the median time to the first answer.</p>
`)
	if len(rows) == 0 {
		w.raw(`<p class="explain" id="no-asking">Nobody asked for feedback in this period.</p>
</section>
`)
		return
	}
	w.raw(`<div class="scroll" role="region" aria-labelledby="asking-h" tabindex="0">
<table id="asking">
<thead><tr>
<th scope="col">Member</th>
<th scope="col">Asked</th>
<th scope="col">Answered</th>
<th scope="col">Time to answer</th>
</tr></thead>
<tbody>
`)
	for _, r := range rows {
		w.raw(`<tr data-member="`)
		w.text(r.Email)
		w.raw(`">
<th scope="row" data-metric="name">`)
		w.text(r.Name)
		w.raw("</th>\n")
		for _, c := range [...][2]string{{"asked", r.Asked}, {"answered", r.Answered}, {"to-answer", r.ToAnswer}} {
			w.raw(`<td data-metric="`, c[0], `">`)
			w.text(c[1])
			w.raw("</td>\n")
		}
		w.raw("</tr>\n")
	}
	w.raw(`</tbody>
</table>
</div>
</section>
`)
}
