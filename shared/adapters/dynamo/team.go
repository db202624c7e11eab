package dynamo

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/carecoach/carecoach/shared/core/care"
)

// A team's configuration (type team) and the lookups the functions need:
// each connection by id (type connection), each member by address and by
// help desk id (type member), and reconcile's listing (reconcile.go).
// Configuration does not expire.

type teamItem struct {
	keys
	care.Team
}

type connectionItem struct {
	keys
	care.Connection
}

type memberItem struct {
	keys
	care.Member
}

// PutTeam stores a team's configuration together with the lookups the
// functions need: each connection by id and each member by help desk id.
func (s *Store) PutTeam(ctx context.Context, t care.Team) error {
	items := []any{teamItem{keys: teamKeys(t.ID), Team: t}}
	for _, c := range t.Connections {
		c.Team = t.ID
		items = append(items, connectionItem{keys: connectionKeys(c.ID), Connection: c})
		if c.API != nil { // listed for reconcile (reconcile.go)
			items = append(items, apiConnItem{keys: apiConnKeys(c.ID), Connection: c.ID})
		}
	}
	for _, m := range t.Members {
		m.Team = t.ID
		items = append(items, memberItem{keys: memberByEmailKeys(m.Email), Member: m})
		for conn, id := range m.HelpdeskIDs {
			items = append(items, memberItem{keys: memberKeys(conn, id), Member: m})
		}
	}
	writes := make([]types.WriteRequest, 0, len(items))
	for _, it := range items {
		w, err := putRequest(it)
		if err != nil {
			return fmt.Errorf("marshal team %s: %w", t.ID, err)
		}
		writes = append(writes, w)
	}
	return s.batchWrite(ctx, writes)
}

// RemoveConnection stores team, which no longer has connection id, and
// deletes that connection's lookups: the connection itself (so its
// webhook URL answers 404), reconcile's listing and cursor (a connection
// added again backfills again) and its members by their user ids there.
func (s *Store) RemoveConnection(ctx context.Context, team care.Team, id string, helpdeskIDs []string) error {
	if slices.ContainsFunc(team.Connections, func(c care.Connection) bool { return c.ID == id }) {
		return fmt.Errorf("remove connection %s: team %s still has it", id, team.ID)
	}
	if err := s.PutTeam(ctx, team); err != nil {
		return err
	}
	deletes := []types.WriteRequest{
		deleteRequest(connectionKeys(id)),
		deleteRequest(apiConnKeys(id)),
		deleteRequest(cursorKeys(id)),
	}
	for _, hid := range helpdeskIDs {
		deletes = append(deletes, deleteRequest(memberKeys(id, hid)))
	}
	if err := s.batchWrite(ctx, deletes); err != nil {
		return fmt.Errorf("remove connection %s: %w", id, err)
	}
	return nil
}

// Team reads a team's configuration.
func (s *Store) Team(ctx context.Context, id string) (care.Team, error) {
	var it teamItem
	if err := s.get(ctx, teamKeys(id), &it); err != nil {
		return care.Team{}, fmt.Errorf("get team: %w", err)
	}
	return it.Team, nil
}

// Connection finds a configured help desk connection (without its secret).
func (s *Store) Connection(ctx context.Context, id string) (care.Connection, error) {
	var it connectionItem
	if err := s.get(ctx, connectionKeys(id), &it); err != nil {
		return care.Connection{}, fmt.Errorf("get connection: %w", err)
	}
	return it.Connection, nil
}

// MemberByEmail finds a team member by address (care.ENotFound if none).
func (s *Store) MemberByEmail(ctx context.Context, email string) (care.Member, error) {
	var it memberItem
	if err := s.get(ctx, memberByEmailKeys(email), &it); err != nil {
		return care.Member{}, fmt.Errorf("get member: %w", err)
	}
	return it.Member, nil
}

// MemberByHelpdeskID finds the team member who is user `id` in a connection.
func (s *Store) MemberByHelpdeskID(ctx context.Context, connection, id string) (care.Member, error) {
	var it memberItem
	if err := s.get(ctx, memberKeys(connection, id), &it); err != nil {
		return care.Member{}, fmt.Errorf("get member: %w", err)
	}
	return it.Member, nil
}
