package dashboard

import (
	"bytes"
	"strconv"

	"github.com/carecoach/carecoach/shared/ui/htmlesc"
)

// The page is written by plain Go code, not html/template: a binary that
// executes a text/template or html/template keeps every exported method of
// every type it links (the template engine looks methods up by name at run
// time), and that alone made the api function 2 MB larger. Every value is
// escaped the way html/template escapes it in the same place (text and
// attribute values: escapeText; links: escapeURL); a differential test
// holds this renderer byte for byte to the template it replaced, on data
// full of markup and hostile links.

type writer struct{ bytes.Buffer }

// raw writes markup of the page's own.
func (w *writer) raw(s ...string) {
	for _, p := range s {
		w.WriteString(p)
	}
}

// text writes a value as element text or a quoted attribute value.
func (w *writer) text(s string) { w.WriteString(escapeText(s)) }

// Escaping is package htmlesc's, shared with the emails.
var (
	escapeText = htmlesc.Text
	escapeURL  = htmlesc.URL
)

func (w *writer) head(title string) {
	w.raw("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"robots\" content=\"noindex, nofollow\">\n<title>")
	w.text(title)
	w.raw("</title>\n<style>", css, "</style>\n</head>")
}

func (w *writer) errorPage(v errorView) {
	w.head(v.Title)
	w.raw("\n<body>\n<main class=\"error\" id=\"error\">\n<h1>")
	w.text(v.Title)
	w.raw("</h1>\n<p class=\"message\">")
	w.text(v.Message)
	w.raw(".</p>\n<p class=\"status\">HTTP ", strconv.Itoa(v.Status), "</p>\n</main>\n</body>\n</html>\n")
}

func (w *writer) page(v pageView) {
	w.head(v.Team + ": scorecards")
	w.raw(`
<body>
<svg class="defs" aria-hidden="true" focusable="false" width="0" height="0">
<defs>
<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
<rect width="6" height="6" class="hatch-bg"/><line x1="0" y1="0" x2="0" y2="6" class="hatch-line"/>
</pattern>
</defs>
</svg>
<header>
<h1>`)
	w.text(v.Team)
	w.raw(`</h1>
<p class="period">Scorecards for <strong id="period">`)
	w.text(v.Period)
	w.raw(`</strong> · response window `)
	w.text(v.Window)
	w.raw(` · feedback every `)
	w.text(v.Cadence)
	if v.Target != "" {
		w.raw(` · praise target `)
		w.text(v.Target)
	}
	w.raw(`</p>
<form method="get" class="range" aria-label="Choose the period">
<input type="hidden" name="t" value="`)
	w.text(v.Token)
	w.raw(`">
<label>Weeks <input type="number" name="weeks" min="1" max="26" value="`)
	w.text(v.Weeks)
	w.raw(`" placeholder="4" inputmode="numeric"></label>
<span class="or">or</span>
<label>From <input type="date" name="from" value="`)
	w.text(v.From)
	w.raw(`"></label>
<label>To <input type="date" name="to" value="`)
	w.text(v.To)
	w.raw(`"></label>
<button type="submit">Show</button>
</form>
</header>
<main>
<section aria-labelledby="summary-h">
<h2 id="summary-h">The team</h2>
<ul class="stats">
`)
	for _, s := range v.Summary {
		w.raw(`<li><span class="label">`)
		w.text(s.Label)
		w.raw(`</span><span class="value">`)
		w.text(s.Value)
		w.raw(`</span><span class="note">`)
		w.text(s.Note)
		w.raw("</span></li>\n")
	}
	w.raw(`</ul>
</section>

<section aria-labelledby="members-h">
<h2 id="members-h">Each member</h2>
<div class="scroll" role="region" aria-labelledby="members-h" tabindex="0">
<table id="scorecards">
<thead><tr>
<th scope="col">Member</th>
<th scope="col">Answered within `)
	w.text(v.Window)
	w.raw(`</th>
<th scope="col">Median first response</th>
<th scope="col">Follow-ups</th>
<th scope="col">Commitments</th>
<th scope="col">CSAT</th>
<th scope="col">Feedback received</th>
<th scope="col">Last feedback from a manager</th>
<th scope="col">Praise : coaching</th>
<th scope="col">Rewards</th>
<th scope="col">Moments</th>
</tr></thead>
<tbody>
`)
	for _, r := range v.Rows {
		w.raw(`<tr data-member="`)
		w.text(r.Email)
		w.raw(`"`)
		if r.Overdue {
			w.raw(` class="overdue"`)
		}
		w.raw(`>
<th scope="row" data-metric="name">`)
		w.text(r.Name)
		w.raw("</th>\n")
		w.cells(r, false)
		w.raw("</tr>\n")
	}
	w.raw(`</tbody>
<tfoot><tr data-member="team">
<th scope="row">`)
	w.text(v.TeamRow.Name)
	w.raw("</th>\n")
	w.cells(v.TeamRow, true)
	w.raw(`</tr></tfoot>
</table>
</div>
</section>

`)
	w.checkBacks(v.CheckBacks, v.CheckBackTotal)
	w.asking(v.Asking)
	w.upward(v.Upward, v.UpwardMonths, v.UpwardShowFrom)
	w.raw(`
<section aria-labelledby="cadence-h">
<h2 id="cadence-h">Feedback cadence</h2>
<ul class="legend" aria-hidden="true">
<li><svg width="16" height="16"><circle cx="8" cy="8" r="6" class="praise"/></svg> praise</li>
<li><svg width="16" height="16"><rect x="2" y="2" width="12" height="12" class="coaching"/></svg> coaching</li>
<li><svg width="16" height="16"><polygon points="8,1 1,14 15,14" class="kudos"/></svg> kudos from a teammate</li>
</ul>
`)
	w.timeline(v.Timeline)
	w.raw(`
</section>

<section aria-labelledby="ratio-h">
<h2 id="ratio-h">Praise : coaching</h2>
`)
	w.bars(v.Bars)
	w.raw(`
</section>

<section aria-labelledby="trends-h">
<h2 id="trends-h">Eight-week trends</h2>
<div class="trends">
`)
	for _, c := range v.Trends {
		w.trend(c)
	}
	w.followUps(v.FollowUps)
	w.raw(`
</div>
</section>

<section aria-labelledby="moments-h">
<h2 id="moments-h">Moments in the period</h2>
`)
	for _, m := range v.Members {
		w.moments(m)
	}
	w.raw(`</section>
</main>
<footer>
<p>Generated `)
	w.text(v.Generated)
	w.raw(`. This page is for you alone: the link in your digest works for two weeks, for this team only; don't forward it.
The same figures as JSON: <a href="`, escapeURL(v.JSONURL), `" rel="noreferrer">scorecards.json</a>.</p>
</footer>
</body>
</html>
`)
}

// cells writes a row's figures; the team's row has no "last feedback".
func (w *writer) cells(r row, team bool) {
	cell := func(metric, value string) {
		w.raw(`<td data-metric="`, metric, `">`)
		w.text(value)
		w.raw("</td>\n")
	}
	cell("window", r.Window)
	cell("firstResponse", r.FirstResponse)
	cell("followUps", r.FollowUps)
	cell("commitments", r.Commitments)
	cell("csat", r.CSAT)
	cell("feedback", r.Feedback)
	if team {
		w.raw("<td></td>\n")
	} else {
		w.raw(`<td data-metric="since">`)
		if r.Overdue {
			w.raw(`<span class="flag" aria-hidden="true">⚠ </span>`)
		}
		w.text(r.Since)
		w.raw("</td>\n")
	}
	cell("ratio", r.Ratio)
	w.raw(`<td data-metric="rewards">`)
	w.text(r.Rewards)
	if !team && r.RewardList != "" {
		w.raw(` <span class="rewards">(`)
		w.text(r.RewardList)
		w.raw(`)</span>`)
	}
	w.raw("</td>\n")
	cell("moments", r.Moments)
}

func (w *writer) moments(m memberMoments) {
	w.raw(`<details class="moments"`)
	if len(m.Moments) > 0 {
		w.raw(" open")
	}
	w.raw(">\n<summary>")
	w.text(m.Name)
	w.raw(": ", strconv.Itoa(len(m.Moments)), " moment")
	if len(m.Moments) != 1 {
		w.raw("s")
	}
	w.raw("</summary>\n")
	if len(m.Moments) > 0 {
		w.raw("<ul>\n")
		for _, mo := range m.Moments {
			class, mark := "coaching", "△"
			if mo.Praise {
				class, mark = "praise", "✓"
			}
			w.raw(`<li class="`, class, `"><span class="kind">`, mark, " ")
			w.text(mo.Kind)
			w.raw(`</span> <span class="behaviour">`)
			w.text(mo.Behaviour)
			w.raw(`</span> <time>`)
			w.text(mo.When)
			w.raw("</time>\n")
			if mo.URL != "" {
				w.raw(`<a href="`, escapeURL(mo.URL), `" rel="noreferrer noopener" target="_blank">`)
			} else {
				w.raw(`<span class="ticket">`)
			}
			w.text(mo.Ticket)
			if mo.Subject != "" {
				w.raw(" ")
				w.text(mo.Subject)
			}
			if mo.URL != "" {
				w.raw("</a>")
			} else {
				w.raw("</span>")
			}
			w.raw("\n<span class=\"what\">")
			w.text(mo.What)
			w.raw("</span></li>\n")
		}
		w.raw("</ul>")
	}
	w.raw("\n</details>\n")
}
