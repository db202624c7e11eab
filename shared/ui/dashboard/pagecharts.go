package dashboard

import "strconv"

// The charts' markup: inline SVG, every value escaped (see page.go).

// titled writes an element's attributes' end, its <title> and its close.
func (w *writer) titled(tag, title string) {
	w.raw("><title>")
	w.text(title)
	w.raw("</title></", tag, ">")
}

// chartHead opens an SVG chart with its title and description.
func (w *writer) chartHead(id string, width, height int, label, title, desc string) {
	w.raw(`<div class="chart"><svg id="`)
	w.text(id)
	w.raw(`" viewBox="0 0 `, strconv.Itoa(width), " ", strconv.Itoa(height), `" role="img" aria-labelledby="`)
	w.text(label + "-t " + label + "-d")
	w.raw(`">
<title id="`)
	w.text(label + "-t")
	w.raw(`">`)
	w.text(title)
	w.raw(`</title><desc id="`)
	w.text(label + "-d")
	w.raw(`">`)
	w.text(desc)
	w.raw("</desc>\n")
}

// attrs writes name="value" pairs, each value escaped.
func (w *writer) attrs(kv ...string) {
	for i := 0; i+1 < len(kv); i += 2 {
		w.raw(" ", kv[i], `="`)
		w.text(kv[i+1])
		w.raw(`"`)
	}
}

func (w *writer) timeline(t timeline) {
	w.chartHead("timeline", t.W, t.H, "timeline", t.Title, t.Desc)
	for _, k := range t.Ticks {
		w.raw("<line")
		w.attrs("x1", k.X, "x2", k.X, "y1", k.Y, "y2", k.Y2)
		w.raw(` class="grid"/><text`)
		w.attrs("x", k.X, "y", k.TextY)
		w.raw(` class="axis" text-anchor="middle">`)
		w.text(k.Label)
		w.raw("</text>\n")
	}
	for _, r := range t.Rows {
		w.raw(`<g class="row`)
		if r.Overdue {
			w.raw(" overdue")
		}
		w.raw(`">
<text x="4"`)
		w.attrs("y", r.Y)
		w.raw(` class="name">`)
		w.text(r.Name)
		if r.Overdue {
			w.raw(" ⚠")
		}
		w.raw("</text>\n<line")
		w.attrs("x1", t.X0, "x2", t.X1, "y1", r.LineY, "y2", r.LineY)
		w.raw(` class="lane"/>` + "\n")
		if r.Note != "" {
			w.raw("<text")
			w.attrs("x", t.X0)
			w.raw(` dx="8"`)
			w.attrs("y", r.Y)
			w.raw(` class="note">`)
			w.text(r.Note)
			w.raw("</text>")
		}
		w.raw("\n")
		for _, m := range r.Marks {
			switch m.Shape {
			case "circle":
				w.raw("<circle")
				w.attrs("cx", m.X, "cy", m.Y)
				w.raw(` r="6" class="praise"`)
				w.titled("circle", m.Title)
			case "square":
				w.raw("<rect")
				w.attrs("x", m.SX, "y", m.SY)
				w.raw(` width="12" height="12" class="coaching"`)
				w.titled("rect", m.Title)
			default:
				w.raw("<polygon")
				w.attrs("points", m.Points)
				w.raw(` class="kudos"`)
				w.titled("polygon", m.Title)
			}
			w.raw("\n")
		}
		w.raw("</g>\n")
	}
	w.raw("</svg></div>")
}

func (w *writer) bars(b bars) {
	w.chartHead("ratio-bars", b.W, b.H, "bars", b.Title, b.Desc)
	for _, r := range b.Rows {
		w.raw("<g>\n<text x=\"4\"")
		w.attrs("y", r.TextY)
		w.raw(` class="name">`)
		w.text(r.Name)
		w.raw("</text>\n<rect")
		w.attrs("x", r.X0, "y", r.Y, "width", r.PraiseW)
		w.raw(` height="18" class="praise"`)
		w.titled("rect", r.Name+": "+r.Praise+" praise")
		w.raw("\n<rect")
		w.attrs("x", r.CoachX, "y", r.Y, "width", r.CoachW)
		w.raw(` height="18" class="coaching-bar"`)
		w.titled("rect", r.Name+": "+r.Coaching+" coaching")
		w.raw("\n<text")
		w.attrs("x", r.LabelX, "y", r.TextY)
		w.raw(` class="value">`)
		w.text(r.Ratio)
		w.raw("</text>\n</g>\n")
	}
	w.raw("</svg></div>")
}

func (w *writer) weekTicks(weeks []tick) {
	for _, k := range weeks {
		w.raw("<text")
		w.attrs("x", k.X, "y", k.TextY)
		w.raw(` class="axis" text-anchor="middle">`)
		w.text(k.Label)
		w.raw("</text>\n")
	}
}

func (w *writer) trend(c lineChart) {
	w.raw("<figure>\n<figcaption>")
	w.text(c.Title)
	w.raw("</figcaption>\n")
	w.chartHead(c.ID, c.W, c.H, c.ID, c.Title, c.Desc)
	for _, g := range c.Grid {
		w.raw("<line")
		w.attrs("x1", c.X0, "x2", c.X1, "y1", g.Y, "y2", g.Y)
		w.raw(` class="grid"/><text`)
		w.attrs("x", c.X0)
		w.raw(` dx="-6"`)
		w.attrs("y", g.TextY)
		w.raw(` class="axis" text-anchor="end">`)
		w.text(g.Label)
		w.raw("</text>\n")
	}
	w.weekTicks(c.Weeks)
	if c.Path != "" {
		w.raw("<path")
		w.attrs("d", c.Path)
		w.raw(` class="line"/>`)
	}
	w.raw("\n")
	for _, p := range c.Points {
		if c.Shape == "square" {
			w.raw("<rect")
			w.attrs("x", p.SX, "y", p.SY)
			w.raw(` width="10" height="10" class="point"`)
			w.titled("rect", p.Title)
		} else {
			w.raw("<circle")
			w.attrs("cx", p.X, "cy", p.Y)
			w.raw(` r="5" class="point"`)
			w.titled("circle", p.Title)
		}
		w.raw("\n<text")
		w.attrs("x", p.X, "y", p.LabelY)
		w.raw(` class="value" text-anchor="middle">`)
		w.text(p.Label)
		w.raw("</text>\n")
	}
	if len(c.Points) == 0 {
		w.raw("<text")
		w.attrs("x", c.X0)
		w.raw(` dx="12"`)
		w.attrs("y", c.Bottom)
		w.raw(` dy="-12" class="note">No data in these weeks</text>` + "\n")
	}
	w.raw("</svg></div>\n</figure>\n")
}

func (w *writer) followUps(c barChart) {
	w.raw("<figure>\n<figcaption>")
	w.text(c.Title)
	w.raw(`</figcaption>
<ul class="legend" aria-hidden="true">
<li><svg width="16" height="16"><rect x="2" y="2" width="12" height="12" class="due"/></svg> due</li>
<li><svg width="16" height="16"><rect x="2" y="2" width="12" height="12" class="done"/></svg> done</li>
<li><svg width="16" height="16"><rect x="2" y="2" width="12" height="12" class="missed"/></svg> missed</li>
</ul>
`)
	w.chartHead("trend-followups", c.W, c.H, "fu", c.Title, c.Desc)
	w.raw("<line")
	w.attrs("x1", c.X0, "x2", c.X1, "y1", c.Bottom, "y2", c.Bottom)
	w.raw(` class="grid"/>` + "\n")
	w.weekTicks(c.Weeks)
	for _, b := range c.Bars {
		w.raw("<rect")
		w.attrs("x", b.X, "y", b.Y, "width", b.W, "height", b.H, "class", b.Class)
		w.titled("rect", b.Title)
		w.raw("<text")
		w.attrs("x", b.LabelX, "y", b.LabelY)
		w.raw(` class="small" text-anchor="middle">`)
		w.text(b.Label)
		w.raw("</text>\n")
	}
	w.raw("</svg></div>\n</figure>")
}
