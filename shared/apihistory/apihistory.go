// Package apihistory opens a connection's history in its help desk's API
// for reconcile: it reads the connection's API token from its SSM
// parameter and gives the reader of the connection's kind (zendeskapi;
// Freshdesk's reader is not written yet).
package apihistory

import (
	"context"
	"fmt"
	"strings"

	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/care"
	"github.com/carecoach/carecoach/shared/zendeskapi"
)

// Tokens reads a secret parameter by name (ssmparam.Secrets).
type Tokens interface {
	Get(ctx context.Context, name string) (care.Secret, error)
}

// Opener opens connections' histories.
type Opener struct {
	Tokens Tokens
	// Path is the only place tokens may be read from, e.g.
	// /carecoach/prod/helpdesk-tokens/: the function's role can read
	// nothing else, so a token parameter elsewhere is refused here, with a
	// message that says so, rather than by IAM.
	Path string
}

// History opens one connection's history.
func (o Opener) History(ctx context.Context, conn care.Connection) (app.History, error) {
	if conn.API == nil {
		return nil, care.Errorf(care.EInvalid, "connection %s has no api: section", conn.ID)
	}
	param := conn.API.TokenParam
	if o.Path != "" && !strings.HasPrefix(param, o.Path) {
		return nil, care.Errorf(care.EInvalid, "connection %s: api.tokenParam %q is not under %s, the only path reconcile may read", conn.ID, param, o.Path)
	}
	token, err := o.Tokens.Get(ctx, param)
	if err != nil {
		return nil, fmt.Errorf("API token of %s: %w", conn.ID, err) // names the parameter, never the value
	}
	switch conn.Kind {
	case care.Zendesk:
		return zendeskapi.New(conn, token), nil
	}
	return nil, care.Errorf(care.EInvalid, "connection %s: reconciling %s from its API is not supported yet", conn.ID, conn.Kind)
}
