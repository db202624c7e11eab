package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/scorecard"
	"github.com/carecoach/carecoach/shared/ui/dashboard"
)

// Scorecarder is the dashboards service as the API sees it.
type Scorecarder interface {
	Scorecards(ctx context.Context, r app.ScorecardRequest) (app.Dashboard, error)
}

// API serves a team's scorecards to the holder of a signed dashboard link:
//
//	GET /api/teams/{team}/scorecards   JSON
//	GET /dashboard/{team}              the HTML page
//
// The link's token comes as ?t=<token>, or, for the JSON, as
// "Authorization: Bearer <token>". Every answer, refusals included, is
// marked no-store and no-referrer, so the token stays out of caches and
// out of the Referer of the ticket links.
func API(svc Scorecarder, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/teams/{team}/scorecards", func(w http.ResponseWriter, r *http.Request) {
		private(w)
		d, err := svc.Scorecards(r.Context(), request(r))
		if err != nil {
			writeError(w, r, log, err)
			return
		}
		writeJSON(w, http.StatusOK, toJSON(d))
	})
	mux.HandleFunc("GET /dashboard/{team}", func(w http.ResponseWriter, r *http.Request) {
		private(w)
		w.Header().Set("Content-Security-Policy", dashboard.CSP)
		req := request(r)
		d, err := svc.Scorecards(r.Context(), req)
		if err != nil {
			writeErrorPage(w, r, log, err)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		err = dashboard.Render(w, dashboard.Page{
			Scorecards: d.Scorecards, Location: d.Location, PraiseRatio: d.PraiseRatio,
			Token: req.Token, Weeks: req.Weeks, From: req.From, To: req.To,
		})
		if err != nil {
			writeErrorPage(w, r, log, err)
		}
	})
	mux.HandleFunc("/dashboard/", func(w http.ResponseWriter, r *http.Request) {
		private(w)
		w.Header().Set("Content-Security-Policy", dashboard.CSP)
		writeErrorPage(w, r, log, care.Errorf(care.ENotFound, "dashboards are at /dashboard/{team}: open the link in your digest email"))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		private(w)
		writeError(w, r, log, care.Errorf(care.ENotFound, "no such endpoint: scorecards are at GET /api/teams/{team}/scorecards"))
	})
	return mux
}

// private marks an answer as for its requester only.
func private(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
}

func request(r *http.Request) app.ScorecardRequest {
	q := r.URL.Query()
	token := q.Get("t")
	if auth, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && token == "" {
		token = strings.TrimSpace(auth)
	}
	return app.ScorecardRequest{Team: r.PathValue("team"), Token: token, From: q.Get("from"), To: q.Get("to"), Weeks: q.Get("weeks")}
}

// writeErrorPage is writeError for the HTML page: the same status and
// caller-safe message, as a page that shows no data.
func writeErrorPage(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	status := Status(care.ErrorCode(err))
	logError(r, log, status, err)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if rerr := dashboard.RenderError(w, status, care.ErrorMessage(err)); rerr != nil {
		log.ErrorContext(r.Context(), "render error page", "error", rerr)
	}
}

// --- the JSON shape (documented in shared/ui/dashboard/README.md)

type cardJSON struct {
	ResponseWindow struct {
		Kept    int      `json:"kept"`
		Missed  int      `json:"missed"`
		KeptPct *float64 `json:"keptPct"`
	} `json:"responseWindow"`
	FirstResponse struct {
		Tickets       int      `json:"tickets"`
		MedianMinutes *float64 `json:"medianMinutes"`
	} `json:"firstResponse"`
	FollowUps struct {
		Due    int `json:"due"`
		Done   int `json:"done"`
		Missed int `json:"missed"`
	} `json:"followUps"`
	Commitments struct {
		Kept   int `json:"kept"`
		Missed int `json:"missed"`
	} `json:"commitments"`
	CSAT struct {
		Good int      `json:"good"`
		Bad  int      `json:"bad"`
		Pct  *float64 `json:"pct"`
	} `json:"csat"`
	Feedback struct {
		Manager           int      `json:"manager"`
		Peer              int      `json:"peer"`
		Praise            int      `json:"praise"`
		Coaching          int      `json:"coaching"`
		PraisePerCoaching *float64 `json:"praisePerCoaching"`
	} `json:"feedback"`
	Rewards []string `json:"rewards"`
	Moments struct {
		Praise   int `json:"praise"`
		Coaching int `json:"coaching"`
	} `json:"moments"`
}

type momentJSON struct {
	ID         string `json:"id"`
	Behaviour  string `json:"behaviour"`
	Kind       string `json:"kind"`
	At         string `json:"at"`
	Connection string `json:"connection"`
	TicketID   string `json:"ticketId"`
	TicketURL  string `json:"ticketUrl,omitempty"`
	What       string `json:"what"`
}

type feedbackJSON struct {
	At     string `json:"at"`
	Kind   string `json:"kind"`
	Peer   bool   `json:"peer"`
	Reward string `json:"reward,omitempty"`
}

type memberJSON struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	cardJSON
	LastFeedbackAt    *string        `json:"lastFeedbackAt"`
	DaysSinceFeedback *int           `json:"daysSinceFeedback"`
	Overdue           bool           `json:"overdue"`
	MomentList        []momentJSON   `json:"momentList"`
	Timeline          []feedbackJSON `json:"feedbackTimeline"`
}

type weekJSON struct {
	From string `json:"from"`
	To   string `json:"to"`
	cardJSON
}

type scorecardsJSON struct {
	Team struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"team"`
	From        string `json:"from"`
	To          string `json:"to"`
	GeneratedAt string `json:"generatedAt"`
	Settings    struct {
		ResponseWindowHours float64 `json:"responseWindowHours"`
		FeedbackCadenceDays float64 `json:"feedbackCadenceDays"`
		PraiseRatioTarget   float64 `json:"praiseRatioTarget"`
	} `json:"settings"`
	Totals     cardJSON     `json:"totals"`
	Members    []memberJSON `json:"members"`
	Weeks      []weekJSON   `json:"weeks"`
	CheckBacks struct {
		Managers []followThroughJSON `json:"managers"`
		Totals   followThroughJSON   `json:"totals"`
	} `json:"checkBacks"`
	// Asking is each member who asked for feedback in the period.
	Asking []askingJSON `json:"asking"`
	Upward struct {
		ShowFrom int             `json:"showFrom"`
		Managers []upwardRowJSON `json:"managers"`
	} `json:"upward"`
}

// askingJSON is how one member asked for feedback in the period: requests
// asked, answered by the period's end, and the median minutes to the
// first answer (null when none was answered).
type askingJSON struct {
	Email                 string   `json:"email"`
	Name                  string   `json:"name"`
	Asked                 int      `json:"asked"`
	Answered              int      `json:"answered"`
	MedianMinutesToAnswer *float64 `json:"medianMinutesToAnswer"`
}

// upwardRowJSON is a manager's upward feedback by month: the answers and
// their average from the team's threshold, else withheld without figures.
type upwardRowJSON struct {
	Manager string            `json:"manager"`
	Name    string            `json:"name,omitempty"`
	Months  []upwardMonthJSON `json:"months"`
}

type upwardMonthJSON struct {
	Month    string   `json:"month"`
	Withheld bool     `json:"withheld"`
	Answers  *int     `json:"answers,omitempty"`
	Average  *float64 `json:"average,omitempty"`
}

// followThroughJSON is a manager's check-backs of the coaching given in
// the period; the totals have no manager.
type followThroughJSON struct {
	Manager          string   `json:"manager,omitempty"`
	Name             string   `json:"name,omitempty"`
	Asked            int      `json:"asked"`
	Done             int      `json:"done"`
	Waiting          int      `json:"waiting"`
	Upcoming         int      `json:"upcoming"`
	FollowThroughPct *float64 `json:"followThroughPct"`
}

func followThrough(f scorecard.FollowThrough) followThroughJSON {
	j := followThroughJSON{Manager: f.Manager, Name: f.Name, Asked: f.Asked, Done: f.Done, Waiting: f.Waiting, Upcoming: f.Upcoming}
	if r, ok := f.Rate(); ok {
		j.FollowThroughPct = &r
	}
	return j
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func card(c scorecard.Card) cardJSON {
	var j cardJSON
	opt := func(v float64, ok bool) *float64 {
		if !ok {
			return nil
		}
		return &v
	}
	j.ResponseWindow.Kept, j.ResponseWindow.Missed = c.WindowKept, c.WindowMissed
	j.ResponseWindow.KeptPct = opt(c.WindowKeptPct())
	j.FirstResponse.Tickets = c.FirstResponses
	j.FirstResponse.MedianMinutes = opt(c.MedianFirstResponse.Minutes(), c.FirstResponses > 0)
	j.FollowUps.Due, j.FollowUps.Done, j.FollowUps.Missed = c.FollowUpsDue, c.FollowUpsDone, c.FollowUpsMissed
	j.Commitments.Kept, j.Commitments.Missed = c.CommitmentsKept, c.CommitmentsMissed
	j.CSAT.Good, j.CSAT.Bad = c.CSATGood, c.CSATBad
	j.CSAT.Pct = opt(c.CSATPct())
	j.Feedback.Manager, j.Feedback.Peer, j.Feedback.Praise, j.Feedback.Coaching = c.ManagerFeedback, c.PeerFeedback, c.Praise, c.Coaching
	j.Feedback.PraisePerCoaching = opt(c.Ratio())
	j.Rewards = append([]string{}, c.Rewards...)
	j.Moments.Praise, j.Moments.Coaching = c.PraiseMoments, c.CoachingMoments
	return j
}

func toJSON(d app.Dashboard) scorecardsJSON {
	var j scorecardsJSON
	j.Team.ID, j.Team.Name = d.TeamID, d.TeamName
	j.From, j.To, j.GeneratedAt = stamp(d.From), stamp(d.To), stamp(d.Now)
	j.Settings.ResponseWindowHours = d.Window.Hours()
	j.Settings.FeedbackCadenceDays = d.Cadence.Hours() / 24
	j.Settings.PraiseRatioTarget = d.PraiseRatio
	j.Totals = card(d.Team)
	j.Members = []memberJSON{}
	for _, m := range d.Members {
		mj := memberJSON{Name: m.Member.Name, Email: strings.ToLower(m.Member.Email), cardJSON: card(m.Card), Overdue: m.Overdue,
			MomentList: []momentJSON{}, Timeline: []feedbackJSON{}}
		if !m.LastFeedback.IsZero() {
			at, days := stamp(m.LastFeedback), m.DaysSince
			mj.LastFeedbackAt, mj.DaysSinceFeedback = &at, &days
		}
		for _, mo := range m.Moments {
			mj.MomentList = append(mj.MomentList, momentJSON{ID: mo.ID, Behaviour: string(mo.Behaviour), Kind: string(mo.Kind), At: stamp(mo.At),
				Connection: mo.Ticket.Connection, TicketID: mo.Ticket.TicketID, TicketURL: mo.TicketURL, What: mo.What})
		}
		for _, f := range m.Feedback {
			mj.Timeline = append(mj.Timeline, feedbackJSON{At: stamp(f.At), Kind: string(f.Kind), Peer: f.Peer, Reward: f.Reward})
		}
		j.Members = append(j.Members, mj)
	}
	for _, w := range d.Weeks {
		j.Weeks = append(j.Weeks, weekJSON{From: stamp(w.From), To: stamp(w.To), cardJSON: card(w.Card)})
	}
	j.CheckBacks.Managers = []followThroughJSON{}
	for _, f := range d.CheckBacks {
		j.CheckBacks.Managers = append(j.CheckBacks.Managers, followThrough(f))
	}
	total := d.CheckBackTotal
	total.Manager, total.Name = "", ""
	j.CheckBacks.Totals = followThrough(total)
	j.Asking = []askingJSON{}
	for _, a := range d.Asking {
		aj := askingJSON{Email: a.Email, Name: a.Name, Asked: a.Asked, Answered: a.Answered}
		if a.Answered > 0 {
			m := a.MedianToAnswer.Minutes()
			aj.MedianMinutesToAnswer = &m
		}
		j.Asking = append(j.Asking, aj)
	}
	j.Upward.ShowFrom, j.Upward.Managers = d.UpwardShowFrom, []upwardRowJSON{}
	for _, r := range d.Upward {
		row := upwardRowJSON{Manager: r.Manager, Name: r.Name, Months: []upwardMonthJSON{}}
		for _, m := range r.Months {
			mj := upwardMonthJSON{Month: m.Month, Withheld: m.Withheld}
			if !m.Withheld {
				n, avg := m.Answered, m.Average
				mj.Answers, mj.Average = &n, &avg
			}
			row.Months = append(row.Months, mj)
		}
		j.Upward.Managers = append(j.Upward.Managers, row)
	}
	return j
}
