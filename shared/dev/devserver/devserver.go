// Package devserver runs every function's service in one process on
// localhost, against DynamoDB Local and the local SES: the webhook endpoints
// (the same handler as the ingest Lambda), the team dashboards and their
// JSON (the same handler as the api Lambda), a local stand-in for the DynamoDB
// stream that drives the process service, and a local scheduler whose clock
// demos and tests can move forward.
package devserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/carecoach/carecoach"
	"github.com/carecoach/carecoach/shared/adapters/apihistory"
	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/adapters/httpapi"
	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/playbook"
	"github.com/carecoach/carecoach/shared/dev/dynamotable"
	"github.com/carecoach/carecoach/shared/dev/localsched"
)

// Config wires the dev server.
type Config struct {
	// Addr to listen on, e.g. 127.0.0.1:8080; 127.0.0.1:0 picks a port.
	Addr           string
	DynamoEndpoint string
	SESEndpoint    string
	AWS            aws.Config
	Table          string
	Teams          []care.Team
	// Secret is the webhook secret of every local connection.
	Secret   care.Secret
	MailFrom string
	Clock    *localsched.Clock
	// SMTPAddr is where the local inbox listens for replies, e.g.
	// 127.0.0.1:2525; "" means no inbox.
	SMTPAddr string
	// ReplyDomain is the domain of reply+<token>@ addresses.
	ReplyDomain string
	// TokenKey signs reply tokens.
	TokenKey care.Secret
	// Received, when set, hears the outcome of every message the inbox
	// takes (tests wait on it).
	Received func(app.Outcome)
	// Tick is how often the scheduler looks for due tasks; 0 means only when
	// the clock is advanced through the API (tests).
	Tick time.Duration
	Log  *slog.Logger
	// Helpdesks replaces the help desk adapters (tests that need one to
	// fail); nil means Zendesk's and Freshdesk's.
	Helpdesks map[care.Source]app.Helpdesk
	// HelpdeskTokens reads the help desks' API tokens for reconcile
	// (POST /dev/reconcile) and survey comments; nil reads each from the
	// environment (see EnvTokens).
	HelpdeskTokens apihistory.Tokens
}

// Server is a running dev server.
type Server struct {
	URL      string
	SMTPAddr string
	Store    *dynamo.Store
	Digests  *app.Digests
	// Dashboards signs the dev server's dashboard links (DashboardURL).
	Dashboards app.DashboardLinks
	Scheduler  *localsched.Scheduler
	Clock      *localsched.Clock

	cfg       Config
	http      *http.Server
	process   *app.Process
	reconcile *app.Reconcile
	stream    *stream
	inbox     *smtpInbox
	cancel    context.CancelFunc
	wg        sync.WaitGroup
}

// Start creates the table from template.yaml, loads the teams, wires the
// services and starts serving.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	db := dynamo.NewClient(cfg.AWS, cfg.DynamoEndpoint)
	if err := dynamotable.FromTemplate(ctx, db, carecoach.Template, "Table", cfg.Table); err != nil {
		return nil, err
	}
	store := dynamo.New(db, cfg.Table, cfg.Clock.Now)
	for _, t := range cfg.Teams {
		if err := store.PutTeam(ctx, t); err != nil {
			return nil, fmt.Errorf("load team %s: %w", t.ID, err)
		}
	}
	// Listen first: digests link to this server's dashboards.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	url := "http://" + ln.Addr().String()
	sched := localsched.New(cfg.Clock, cfg.Log)
	svc, err := wireServices(cfg, store, sched, url)
	if err != nil {
		_ = ln.Close()
		return nil, err
	}
	sched.SetFire(svc.fire.Task)
	for _, t := range cfg.Teams {
		team, pb, climate := t.ID, playbook.ForTeam(t), playbook.ClimateOf(t)
		sched.Every("digest "+team, pb.NextDigest, func(ctx context.Context) error { return svc.digests.Send(ctx, team) })
		sched.Every("checkback "+team, playbook.CheckBackOf(t).NextRun, func(ctx context.Context) error { return svc.checkBacks.Send(ctx, team) })
		if upward := playbook.UpwardOf(t); upward.On {
			sched.Every("upward "+team, upward.NextRun, func(ctx context.Context) error { return svc.upward.Run(ctx, team) })
		}
		if meeting := playbook.MeetingOf(t); meeting.On {
			sched.Every("brief "+team, meeting.NextRun, func(ctx context.Context) error { return svc.briefs.Send(ctx, team) })
		}
		if climate.On {
			next := func(after time.Time) time.Time { return pb.NextClimateQuestion(climate, after) }
			sched.Every("climate "+team, next, func(ctx context.Context) error { return svc.climate.Send(ctx, team) })
		}
	}

	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s := &Server{URL: url, Store: store, Digests: svc.digests, Dashboards: svc.digests.Dashboard, Scheduler: sched, Clock: cfg.Clock,
		cfg: cfg, process: svc.process, reconcile: svc.reconcile, stream: svc.stream, cancel: cancel}

	mux := http.NewServeMux()
	mux.Handle("/webhooks/", httpapi.Handler(svc.ingest, cfg.Log))
	api := httpapi.API(svc.dashboards, cfg.Log)
	mux.Handle("/api/", api)
	mux.Handle("/dashboard/", api)
	mux.HandleFunc("GET /dev/clock", s.getClock)
	mux.HandleFunc("POST /dev/clock/advance", s.advance)
	mux.HandleFunc("GET /dev/tasks", s.tasks)
	mux.HandleFunc("GET /dev/dead-letters", s.deadLetters)
	mux.HandleFunc("POST /dev/dead-letters/replay", s.replay)
	mux.HandleFunc("POST /dev/reconcile", s.runReconcile)
	s.http = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}

	s.wg.Add(2)
	go func() { defer s.wg.Done(); s.stream.run(runCtx) }()
	go func() {
		defer s.wg.Done()
		if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			cfg.Log.Error("dev server stopped", "error", err)
		}
	}()
	if cfg.SMTPAddr != "" {
		sl, err := net.Listen("tcp", cfg.SMTPAddr)
		if err != nil {
			_ = s.Close()
			return nil, fmt.Errorf("listen for mail on %s: %w", cfg.SMTPAddr, err)
		}
		s.SMTPAddr = sl.Addr().String()
		s.inbox = newSMTPInbox(svc.inbound, cfg.Log, cfg.Received)
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			if err := s.inbox.serve(sl); err != nil && !errors.Is(err, net.ErrClosed) {
				cfg.Log.Error("local inbox stopped", "error", err)
			}
		}()
	}
	if cfg.Tick > 0 {
		s.wg.Add(1)
		go func() { defer s.wg.Done(); sched.Run(runCtx, cfg.Tick) }()
	}
	return s, nil
}

// DashboardURL is a freshly signed link to a team's dashboard for one of
// its managers, valid for app.DashboardValidity from the dev clock's now.
func (s *Server) DashboardURL(team, manager string) (string, error) {
	return s.Dashboards.URL(team, manager, s.Clock.Now())
}

// Close stops serving and waits for background work to end.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.http.Shutdown(ctx)
	if s.inbox != nil {
		_ = s.inbox.close()
	}
	s.cancel()
	s.wg.Wait()
	return err
}

// Idle waits until every accepted delivery has been processed.
func (s *Server) Idle(ctx context.Context) error { return s.stream.idle(ctx) }

// Advance waits for processing to finish, moves the clock forward and fires
// whatever came due; it returns how many tasks fired.
func (s *Server) Advance(ctx context.Context, d time.Duration) (int, error) {
	if err := s.Idle(ctx); err != nil {
		return 0, err
	}
	s.Clock.Advance(d)
	return s.Scheduler.RunDue(ctx), nil
}

func (s *Server) getClock(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"now": s.Clock.Now().UTC()})
}

// advance moves the dev clock: ?by=24h1m jumps forward and fires what came
// due (a window that closed during the jump gets its reminder, not a late
// warning); ?to=<RFC 3339 time> plays the time in between as it would have
// happened, firing each task and digest at its own time.
func (s *Server) advance(w http.ResponseWriter, r *http.Request) {
	var fired int
	var err error
	switch by, to := r.URL.Query().Get("by"), r.URL.Query().Get("to"); {
	case to != "" && by == "":
		t, perr := time.Parse(time.RFC3339, to)
		if perr != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": `give ?to= a time such as 2026-11-30T09:00:00Z`})
			return
		}
		fired, err = s.AdvanceTo(r.Context(), t)
	default:
		d, perr := time.ParseDuration(by)
		if perr != nil || d < 0 {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": `give ?by= a positive duration such as 24h1m, or ?to= a time`})
			return
		}
		fired, err = s.Advance(r.Context(), d)
	}
	if err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "processing did not finish"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"now": s.Clock.Now().UTC(), "fired": fired})
}

// AdvanceTo moves the clock forward to t through every due time on the
// way, firing the tasks and recurring jobs due at each at their own time,
// as EventBridge Scheduler would have. A t in the past changes nothing.
func (s *Server) AdvanceTo(ctx context.Context, t time.Time) (int, error) {
	fired := 0
	for range 100000 {
		if err := s.Idle(ctx); err != nil {
			return fired, err
		}
		next, ok := s.Scheduler.NextDue()
		if !ok || next.After(t) {
			break
		}
		s.Clock.AdvanceTo(next)
		fired += s.Scheduler.RunDue(ctx)
	}
	s.Clock.AdvanceTo(t)
	fired += s.Scheduler.RunDue(ctx)
	return fired, s.Idle(ctx)
}

// pendingTask is one line of /dev/tasks.
type pendingTask struct {
	ID     string         `json:"id"`
	Kind   care.TaskKind  `json:"kind"`
	Ticket care.TicketRef `json:"ticket"`
	// Agent is whom the task is about: the assignee, or the agent who
	// solved the ticket for a follow-up or a bad rating.
	Agent *agentRef `json:"agent,omitempty"`
	DueAt time.Time `json:"dueAt"`
	DueIn string    `json:"dueIn"`
}

type agentRef struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

func (s *Server) tasks(w http.ResponseWriter, r *http.Request) {
	now := s.Clock.Now()
	out := []pendingTask{}
	folded := map[care.TicketRef]care.Ticket{}
	for _, p := range s.Scheduler.PendingTasks() {
		t := pendingTask{ID: p.ID, Kind: p.Kind, Ticket: p.Ticket, DueAt: p.DueAt.UTC(), DueIn: p.DueAt.Sub(now).Round(time.Minute).String()}
		ticket, ok := folded[p.Ticket]
		if !ok {
			rec, err := s.Store.LoadTicket(r.Context(), p.Ticket)
			if err != nil {
				writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "load ticket " + p.Ticket.String()})
				return
			}
			ticket = care.Fold(p.Ticket, rec.Timeline)
			folded[p.Ticket] = ticket
		}
		id := ticket.AssigneeID
		if (p.Kind == care.FollowUp || p.Kind == care.FollowUpCheck || p.Kind == care.SatisfactionAlert) && ticket.SolvedBy != "" {
			id = ticket.SolvedBy
		}
		if id != "" {
			t.Agent = &agentRef{ID: id}
			if m, err := s.Store.MemberByHelpdeskID(r.Context(), p.Ticket.Connection, id); err == nil {
				t.Agent.Name = m.Name
			}
		}
		out = append(out, t)
	}
	writeJSON(w, http.StatusOK, map[string]any{"now": now.UTC(), "pending": out})
}

// deadLetter is one line of /dev/dead-letters.
type deadLetter struct {
	Connection string    `json:"connection"`
	DedupeKey  string    `json:"dedupeKey"`
	ReceivedAt time.Time `json:"receivedAt"`
	At         time.Time `json:"deadLetteredAt"`
	Reason     string    `json:"reason"`
	Body       string    `json:"body"`
}

// DeadLetters lists the deliveries of every local connection that could
// not be processed, oldest first.
func (s *Server) DeadLetters(ctx context.Context) ([]care.DeadLetter, error) {
	var out []care.DeadLetter
	for _, t := range s.cfg.Teams {
		for _, c := range t.Connections {
			dls, err := s.Store.DeadLetters(ctx, c.ID)
			if err != nil {
				return nil, err
			}
			out = append(out, dls...)
		}
	}
	slices.SortFunc(out, func(a, b care.DeadLetter) int { return a.Delivery.ReceivedAt.Compare(b.Delivery.ReceivedAt) })
	return out, nil
}

func (s *Server) deadLetters(w http.ResponseWriter, r *http.Request) {
	dls, err := s.DeadLetters(r.Context())
	if err != nil {
		s.cfg.Log.ErrorContext(r.Context(), "list dead letters", "error", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "could not list dead letters"})
		return
	}
	out := []deadLetter{}
	for _, d := range dls {
		out = append(out, deadLetter{Connection: d.Delivery.Connection, DedupeKey: d.Delivery.DedupeKey, ReceivedAt: d.Delivery.ReceivedAt.UTC(),
			At: d.At.UTC(), Reason: d.Reason, Body: string(d.Delivery.Body)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"deadLetters": out})
}

// Replay processes a dead letter again (after a fix), through the same
// stream as new deliveries. It returns the delivery's new dead letter when
// it failed again.
func (s *Server) Replay(ctx context.Context, connection, dedupeKey string) (again *care.DeadLetter, err error) {
	dls, err := s.Store.DeadLetters(ctx, connection)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(dls, func(d care.DeadLetter) bool { return d.Delivery.DedupeKey == dedupeKey })
	if i < 0 {
		return nil, care.Errorf(care.ENotFound, "no dead letter %s on connection %s", dedupeKey, connection)
	}
	dl := dls[i]
	if err := s.Idle(ctx); err != nil {
		return nil, err
	}
	// Locally the replay is processed before this returns, so the old
	// record goes first and any record after it is a new failure.
	if _, err := s.Store.DeleteDeadLetter(ctx, dl); err != nil {
		return nil, err
	}
	s.stream.push(dl.Delivery)
	if err := s.Idle(ctx); err != nil {
		return nil, err
	}
	after, err := s.Store.DeadLetters(ctx, connection)
	if err != nil {
		return nil, err
	}
	if j := slices.IndexFunc(after, func(d care.DeadLetter) bool { return d.Delivery.DedupeKey == dedupeKey }); j >= 0 {
		return &after[j], nil
	}
	return nil, nil
}

func (s *Server) replay(w http.ResponseWriter, r *http.Request) {
	conn, key := r.URL.Query().Get("connection"), r.URL.Query().Get("key")
	if conn == "" || key == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "give ?connection= and ?key= (the dead letter's dedupeKey)"})
		return
	}
	again, err := s.Replay(r.Context(), conn, key)
	switch {
	case care.ErrorCode(err) == care.ENotFound:
		writeJSON(w, http.StatusNotFound, map[string]string{"error": care.ErrorMessage(err)})
	case err != nil:
		s.cfg.Log.ErrorContext(r.Context(), "replay dead letter", "connection", conn, "dedupeKey", key, "error", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "replay failed; see the dev server's log"})
	case again != nil:
		writeJSON(w, http.StatusOK, map[string]any{"replayed": true, "processed": false, "reason": again.Reason})
	default:
		writeJSON(w, http.StatusOK, map[string]any{"replayed": true, "processed": true})
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// sameSecret gives every local connection the dev secret.
type sameSecret care.Secret

func (s sameSecret) WebhookSecret(context.Context, string) (care.Secret, error) {
	return care.Secret(s), nil
}
