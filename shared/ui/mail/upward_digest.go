package mail

import (
	"fmt"
	"strings"
)

// DigestUpward is the digest's upward feedback section: the manager's
// last round, and the monthly trend of each manager who reports to them.
// Figures below ShowFrom answers are withheld; words never appear.
type DigestUpward struct {
	ShowFrom int
	Own      *UpwardRound // nil: nobody is asked about this manager
	Reports  []DigestUpwardReport
}

// DigestUpwardReport is the trend of one manager who reports to the
// digest's manager, oldest month first.
type DigestUpwardReport struct {
	Name  string
	Trend []UpwardRound
}

type upwardView struct {
	Own      string // "December 2026: 4.0 out of 5 from 3 answers.", or withheld; "" for none
	ShowFrom int
	Reports  []upwardReportView
}

type upwardReportView struct {
	Name  string // on one line
	Trend string // "Nov 2026: fewer than 3 answers; Dec 2026: 4.0 (3 answers)"
}

func upwardViewOf(d *DigestUpward) *upwardView {
	if d == nil || d.Own == nil && len(d.Reports) == 0 {
		return nil
	}
	v := &upwardView{ShowFrom: d.ShowFrom}
	if r := d.Own; r != nil {
		switch {
		case r.Shown:
			v.Own = fmt.Sprintf("%s: %s out of 5 from %s.", r.Month, average(r.Average), plural(r.Answered, "answer"))
		case r.Answered == 0:
			v.Own = r.Month + ": no answers."
		default:
			v.Own = fmt.Sprintf("%s: %s, kept private below %d.", r.Month, plural(r.Answered, "answer"), d.ShowFrom)
		}
	}
	for _, rep := range d.Reports {
		var months []string
		for _, m := range rep.Trend {
			months = append(months, trendLine(m, d.ShowFrom))
		}
		v.Reports = append(v.Reports, upwardReportView{Name: firstNonEmpty(person(rep.Name), "A manager"), Trend: strings.Join(months, "; ")})
	}
	return v
}

// upwardHTML writes the "Upward feedback" section.
func (w *writer) upwardHTML(u upwardView) {
	w.raw(h2, "Upward feedback</h2>\n")
	if u.Own != "" {
		w.raw(pOpen, "How your team sees your support, ")
		w.text(u.Own)
		w.raw("</p>\n")
	}
	if len(u.Reports) > 0 {
		w.raw(`<p style="margin:12px 0 4px;color:#59636e;">The managers who report to you, month by month (withheld below `, itoa(u.ShowFrom), " answers):</p>\n",
			`<ul style="margin:0 0 12px;padding-left:20px;">`, "\n")
		for _, r := range u.Reports {
			w.raw(`<li style="margin:0 0 4px;"><strong>`)
			w.text(r.Name)
			w.raw("</strong>: ")
			w.text(r.Trend)
			w.raw("</li>\n")
		}
		w.raw("</ul>\n")
	}
}

// upwardText writes the "Upward feedback" section.
func (w *writer) upwardText(u upwardView) {
	w.raw("\nUPWARD FEEDBACK\n")
	if u.Own != "" {
		w.raw("\nHow your team sees your support, ", u.Own, "\n")
	}
	if len(u.Reports) > 0 {
		w.raw("\nThe managers who report to you, month by month (withheld below ", itoa(u.ShowFrom), " answers):\n")
		for _, r := range u.Reports {
			w.raw("- ", r.Name, ": ", r.Trend, "\n")
		}
	}
}
