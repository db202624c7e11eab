package dashboard

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/scorecard"
)

// Charts are drawn in a fixed coordinate space (viewBox); CSS scales them.
const (
	wideW   = 1000 // per-member charts, a full row of the page
	trendW  = 600  // trend charts, two side by side
	labelW  = 170  // the names' column in the per-member charts
	rowH    = 28
	axisH   = 34
	trendH  = 210
	padTop  = 26
	padLeft = 44
	padRt   = 16
)

// f writes a coordinate.
func f(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

// --- feedback cadence: one row per member, a mark per feedback

type timeline struct {
	W, H  int
	Title string
	Desc  string
	Rows  []timelineRow
	Ticks []tick
	X0    string // where the plot starts
	X1    string
	AxisY string
}

type timelineRow struct {
	Name, Y, LineY, Note string
	Overdue              bool
	Marks                []mark
}

// mark is one feedback: a circle (praise), a square (coaching) or a
// triangle (kudos from a teammate), each with a title.
type mark struct {
	Shape, X, Y, Points, Title string
	SX, SY                     string // a square's corner
}

type tick struct{ X, Label, Y, Y2, TextY string }

func newTimeline(sc scorecard.Scorecards, loc *time.Location) timeline {
	from := scorecard.TrendFrom(sc.To)
	if sc.From.Before(from) {
		from = sc.From
	}
	x0, x1 := float64(labelW), float64(wideW-36) // room for the last date
	span := sc.To.Sub(from)
	x := func(at time.Time) float64 { return x0 + (x1-x0)*float64(at.Sub(from))/float64(span) }
	t := timeline{
		W: wideW, H: padTop + len(sc.Members)*rowH + axisH, X0: f(x0), X1: f(x1),
		Title: "Feedback cadence: who got feedback when",
		Desc: fmt.Sprintf("One row per member from %s to %s. Circles are praise from a manager, squares coaching, triangles kudos from teammates.",
			from.In(loc).Format("2 Jan"), sc.To.Add(-time.Nanosecond).In(loc).Format("2 Jan")),
	}
	bottom := float64(padTop + len(sc.Members)*rowH)
	t.AxisY = f(bottom)
	for d := from; !d.After(sc.To); d = d.Add(scorecard.Week) {
		t.Ticks = append(t.Ticks, tick{X: f(x(d)), Label: d.In(loc).Format("2 Jan"), Y: f(padTop - 6), Y2: f(bottom), TextY: f(bottom + 18)})
	}
	for i, m := range sc.Members {
		cy := float64(padTop) + float64(i)*rowH + rowH/2
		r := timelineRow{Name: m.Member.Name, Y: f(cy + 4), LineY: f(cy), Overdue: m.Overdue}
		if len(m.Feedback) == 0 {
			r.Note = "no feedback in these weeks"
		}
		for _, fb := range m.Feedback {
			if fb.At.Before(from) || !fb.At.Before(sc.To) {
				continue
			}
			cx := x(fb.At)
			what := "praise from a manager"
			switch {
			case fb.Peer:
				what = "kudos from a teammate"
			case fb.Kind == care.Coaching:
				what = "coaching from a manager"
			}
			mk := mark{X: f(cx), Y: f(cy), Title: fmt.Sprintf("%s: %s, %s", m.Member.Name, what, fb.At.In(loc).Format("Mon 2 Jan"))}
			switch {
			case fb.Peer:
				mk.Shape = "triangle"
				mk.Points = fmt.Sprintf("%s,%s %s,%s %s,%s", f(cx), f(cy-7), f(cx-7), f(cy+6), f(cx+7), f(cy+6))
			case fb.Kind == care.Coaching:
				mk.Shape, mk.SX, mk.SY = "square", f(cx-6), f(cy-6)
			default:
				mk.Shape = "circle"
			}
			r.Marks = append(r.Marks, mk)
		}
		t.Rows = append(t.Rows, r)
	}
	return t
}

// --- praise : coaching per member, as stacked bars with numbers

type bars struct {
	W, H  int
	Title string
	Desc  string
	Rows  []barRow
}

type barRow struct {
	Name, Y, TextY                     string
	PraiseW, CoachX, CoachW, LabelX    string
	Praise, Coaching, Ratio, Below, X0 string
}

func newBars(sc scorecard.Scorecards) bars {
	b := bars{W: wideW, H: padTop + len(sc.Members)*rowH + 8, Title: "Praise : coaching per member",
		Desc: "Feedback from managers in the period: the solid part of each bar is praise, the hatched part coaching; the numbers are written beside each bar."}
	most := 1
	for _, m := range sc.Members {
		most = max(most, m.Praise+m.Coaching)
	}
	x0, full := float64(labelW), float64(wideW-labelW-160)
	for i, m := range sc.Members {
		y := float64(padTop) + float64(i)*rowH
		pw := full * float64(m.Praise) / float64(most)
		cw := full * float64(m.Coaching) / float64(most)
		r := barRow{
			Name: m.Member.Name, Y: f(y + 5), TextY: f(y + 18), X0: f(x0),
			PraiseW: f(pw), CoachX: f(x0 + pw), CoachW: f(cw), LabelX: f(x0 + pw + cw + 8),
			Praise: strconv.Itoa(m.Praise), Coaching: strconv.Itoa(m.Coaching),
			Ratio: fmt.Sprintf("%d praise : %d coaching", m.Praise, m.Coaching),
		}
		if m.Praise+m.Coaching == 0 {
			r.Ratio = "no feedback from a manager"
		}
		b.Rows = append(b.Rows, r)
	}
	return b
}

// --- eight-week trends

type lineChart struct {
	ID, Title, Desc, Unit string
	W, H                  int
	Shape                 string // circle | square: the series' marker
	Grid                  []tick
	Weeks                 []tick
	Path                  string
	Points                []point
	X0, X1, Bottom        string
}

type point struct {
	X, Y, SX, SY, Label, LabelY, Title string
}

func weekX(i int) float64 {
	plot := float64(trendW - padLeft - padRt)
	return padLeft + plot*(float64(i)+0.5)/scorecard.TrendWeeks
}

func weekTicks(sc scorecard.Scorecards, loc *time.Location, bottom float64) []tick {
	var out []tick
	for i, w := range sc.Weeks {
		out = append(out, tick{X: f(weekX(i)), Label: w.From.In(loc).Format("2 Jan"), TextY: f(bottom + 18)})
	}
	return out
}

// percentChart draws one weekly share as a line with labelled points;
// weeks without data have no point and break the line.
func percentChart(sc scorecard.Scorecards, loc *time.Location, id, title, desc, shape string, value func(scorecard.Card) (float64, bool, string)) lineChart {
	bottom := float64(trendH - axisH)
	plotH := bottom - padTop
	y := func(p float64) float64 { return bottom - plotH*p/100 }
	c := lineChart{ID: id, Title: title, Desc: desc, Unit: "%", W: trendW, H: trendH, Shape: shape,
		X0: f(padLeft), X1: f(trendW - padRt), Bottom: f(bottom), Weeks: weekTicks(sc, loc, bottom)}
	for _, g := range []float64{0, 50, 100} {
		c.Grid = append(c.Grid, tick{Y: f(y(g)), Label: f(g) + "%", TextY: f(y(g) + 4)})
	}
	var path []string
	pen := "M"
	for i, w := range sc.Weeks {
		p, ok, of := value(w.Card)
		if !ok {
			pen = "M"
			continue
		}
		px, py := weekX(i), y(p)
		path = append(path, pen+f(px)+" "+f(py))
		pen = "L"
		label := percentOr(p, true)
		c.Points = append(c.Points, point{X: f(px), Y: f(py), SX: f(px - 5), SY: f(py - 5), Label: label, LabelY: f(py - 10),
			Title: fmt.Sprintf("Week of %s: %s (%s)", w.From.In(loc).Format("2 Jan"), label, of)})
	}
	c.Path = strings.Join(path, " ")
	return c
}

func trendCharts(sc scorecard.Scorecards, loc *time.Location) []lineChart {
	return []lineChart{
		percentChart(sc, loc, "trend-window", "Answered within the response window, by week",
			"Share of customers answered within "+duration(sc.Window)+", each of the last eight weeks; weeks without customers have no point.", "circle",
			func(c scorecard.Card) (float64, bool, string) {
				p, ok := c.WindowKeptPct()
				return p, ok, fmt.Sprintf("%d of %d", c.WindowKept, c.WindowKept+c.WindowMissed)
			}),
		percentChart(sc, loc, "trend-csat", "CSAT, by week",
			"Share of good satisfaction ratings, each of the last eight weeks; weeks without ratings have no point.", "square",
			func(c scorecard.Card) (float64, bool, string) {
				p, ok := c.CSATPct()
				return p, ok, fmt.Sprintf("%d good, %d bad", c.CSATGood, c.CSATBad)
			}),
	}
}

// --- follow-ups per week: due, done and missed side by side

type barChart struct {
	Title, Desc    string
	W, H           int
	X0, X1, Bottom string
	Weeks          []tick
	Bars           []bar
}

type bar struct {
	Class, X, Y, W, H, Label, LabelX, LabelY, Title string
}

func followUpChart(sc scorecard.Scorecards, loc *time.Location) barChart {
	bottom := float64(trendH - axisH)
	plotH := bottom - padTop
	c := barChart{Title: "Follow-ups, by week", W: trendW, H: trendH,
		Desc: "For each of the last eight weeks, three bars: follow-ups that came due (outlined), done (solid) and missed (hatched), each with its number above.",
		X0:   f(padLeft), X1: f(trendW - padRt), Bottom: f(bottom), Weeks: weekTicks(sc, loc, bottom)}
	most := 1
	for _, w := range sc.Weeks {
		most = max(most, w.FollowUpsDue, w.FollowUpsDone, w.FollowUpsMissed)
	}
	const bw = 16.0
	for i, w := range sc.Weeks {
		for j, s := range []struct {
			class, what string
			n           int
		}{{"due", "due", w.FollowUpsDue}, {"done", "done", w.FollowUpsDone}, {"missed", "missed", w.FollowUpsMissed}} {
			h := plotH * float64(s.n) / float64(most)
			x := weekX(i) + (float64(j)-1.5)*bw
			c.Bars = append(c.Bars, bar{Class: s.class, X: f(x), Y: f(bottom - h), W: f(bw - 2), H: f(h),
				Label: strconv.Itoa(s.n), LabelX: f(x + (bw-2)/2), LabelY: f(bottom - h - 4),
				Title: fmt.Sprintf("Week of %s: %d %s", w.From.In(loc).Format("2 Jan"), s.n, s.what)})
		}
	}
	return c
}
