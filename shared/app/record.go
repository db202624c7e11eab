package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/emf"
	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/playbook"
)

// RecordStore keeps a ticket's moments and facts, and corrects them when
// late evidence arrives (see playbook.Review).
type RecordStore interface {
	SaveMoments(ctx context.Context, ms []care.Moment) (int, error)
	SaveFacts(ctx context.Context, fs []care.Fact) (int, error)
	WithdrawMoment(ctx context.Context, m care.Moment, at time.Time, why string) error
	ReinstateMoment(ctx context.Context, m care.Moment) error
	UpdateMoment(ctx context.Context, m care.Moment) error
	PutFacts(ctx context.Context, fs []care.Fact) error
	DeleteFacts(ctx context.Context, fs []care.Fact) error
}

// record brings a ticket's recorded moments and facts in line with its
// timeline at now: it records what time and the ticket have brought, and
// withdraws, reinstates, rewrites and drops what late evidence corrected.
// Every step is idempotent, so a retry after a crash ends the same.
func record(ctx context.Context, store RecordStore, log *slog.Logger, pb playbook.Playbook, ref care.TicketRef, rec care.TicketRecord, now time.Time) error {
	r := pb.Review(ref, rec.Timeline, now, rec.Moments, rec.Facts)
	if len(r.NewMoments) > 0 {
		if _, err := store.SaveMoments(ctx, r.NewMoments); err != nil {
			return fmt.Errorf("save moments: %w", err)
		}
		emf.Count(ctx, emf.Moments, len(r.NewMoments))
		for _, m := range r.NewMoments {
			log.InfoContext(ctx, "moment", "ticket", m.Ticket.String(), "behaviour", m.Behaviour, "kind", m.Kind, "agent", m.AgentID, "what", m.What)
		}
	}
	for _, w := range r.Withdraw {
		if err := store.WithdrawMoment(ctx, w.Moment, now, w.Why); err != nil {
			return err
		}
		log.InfoContext(ctx, "moment withdrawn", "ticket", ref.String(), "moment", w.Moment.ID, "behaviour", w.Moment.Behaviour,
			"kind", w.Moment.Kind, "agent", w.Moment.AgentID, "why", w.Why)
	}
	for _, m := range r.Reinstate {
		if err := store.ReinstateMoment(ctx, m); err != nil {
			return err
		}
		log.InfoContext(ctx, "moment reinstated", "ticket", ref.String(), "moment", m.ID, "behaviour", m.Behaviour, "kind", m.Kind)
	}
	for _, m := range r.Update {
		if err := store.UpdateMoment(ctx, m); err != nil {
			return err
		}
		log.InfoContext(ctx, "moment updated", "ticket", ref.String(), "moment", m.ID, "agent", m.AgentID, "at", m.At)
	}
	if len(r.NewFacts) > 0 {
		if _, err := store.SaveFacts(ctx, r.NewFacts); err != nil {
			return fmt.Errorf("save facts: %w", err)
		}
	}
	if len(r.Rewrite) > 0 {
		if err := store.PutFacts(ctx, r.Rewrite); err != nil {
			return err
		}
	}
	if len(r.Drop) > 0 {
		if err := store.DeleteFacts(ctx, r.Drop); err != nil {
			return err
		}
	}
	if n := len(r.Rewrite) + len(r.Drop); n > 0 {
		log.InfoContext(ctx, "facts corrected", "ticket", ref.String(), "rewritten", len(r.Rewrite), "dropped", len(r.Drop))
	}
	return nil
}
