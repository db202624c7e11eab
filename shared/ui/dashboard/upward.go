package dashboard

import (
	"fmt"
	"strconv"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/scorecard"
)

// upwardRow is one manager's upward feedback on the page, a cell a month.
type upwardRow struct {
	Manager, Name string
	Months        []upwardCell
}

type upwardCell struct {
	Month string // "2026-12"
	Value string // "4.0 · 3 answers", or "withheld"
}

// upwardRowsOf are the page's rows and the months of its header.
func upwardRowsOf(rows []scorecard.UpwardRow) (out []upwardRow, months []string) {
	for i, r := range rows {
		name := r.Name
		if name == "" {
			name = r.Manager
		}
		row := upwardRow{Manager: r.Manager, Name: name}
		for _, m := range r.Months {
			cell := upwardCell{Month: m.Month, Value: "withheld"}
			if !m.Withheld {
				cell.Value = fmt.Sprintf("%.1f · %d answers", m.Average, m.Answered)
			}
			row.Months = append(row.Months, cell)
			if i == 0 {
				months = append(months, care.MonthName(m.Month, "Jan 2006"))
			}
		}
		out = append(out, row)
	}
	return out, months
}

// upward writes the "Upward feedback" section: a row per manager the
// viewer may see (themselves, and the managers who report to them), or a
// line saying there is none. Words are never on the page.
func (w *writer) upward(rows []upwardRow, months []string, showFrom int) {
	w.raw(`<section aria-labelledby="upward-h">
<h2 id="upward-h">Upward feedback</h2>
<p class="explain">Once a month each agent answers one question about their manager&#39;s support, from 1 (not at all) to 5 (fully). Per month whose results have gone out: the average and the number of answers, withheld below `, strconv.Itoa(showFrom), ` answers. What agents wrote is never shown here.</p>
`)
	if len(rows) == 0 {
		w.raw(`<p class="explain" id="no-upward">Nobody is asked about your support, or about that of managers who report to you.</p>
</section>
`)
		return
	}
	w.raw(`<div class="scroll" role="region" aria-labelledby="upward-h" tabindex="0">
<table id="upward">
<thead><tr>
<th scope="col">Manager</th>
`)
	for _, m := range months {
		w.raw(`<th scope="col">`)
		w.text(m)
		w.raw("</th>\n")
	}
	w.raw("</tr></thead>\n<tbody>\n")
	for _, r := range rows {
		w.raw(`<tr data-manager="`)
		w.text(r.Manager)
		w.raw(`">
<th scope="row" data-metric="name">`)
		w.text(r.Name)
		w.raw("</th>\n")
		for _, c := range r.Months {
			w.raw(`<td data-month="`)
			w.text(c.Month)
			w.raw(`">`)
			w.text(c.Value)
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
