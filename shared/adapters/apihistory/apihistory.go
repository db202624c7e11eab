// Package apihistory opens a connection's history in its help desk's API
// for reconcile: it reads the connection's API token from its SSM
// parameter and gives the reader of the connection's kind (zendeskapi,
// freshdeskapi).
package apihistory

import (
	"context"
	"fmt"
	"strings"

	"github.com/carecoach/carecoach/shared/adapters/freshdeskapi"
	"github.com/carecoach/carecoach/shared/adapters/zendeskapi"
	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
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
	token, err := o.Token(ctx, conn)
	if err != nil {
		return nil, err
	}
	switch conn.Kind {
	case care.Zendesk:
		return zendeskapi.New(conn, token), nil
	case care.Freshdesk:
		return freshdeskapi.New(conn, token), nil
	}
	return nil, care.Errorf(care.EInvalid, "connection %s: no API reader for help desk %q", conn.ID, conn.Kind)
}

// Token reads a connection's API token (for freshdeskapi.Comments).
func (o Opener) Token(ctx context.Context, conn care.Connection) (care.Secret, error) {
	if conn.API == nil {
		return nil, care.Errorf(care.EInvalid, "connection %s has no api: section", conn.ID)
	}
	if o.Path != "" && !strings.HasPrefix(conn.API.TokenParam, o.Path) {
		return nil, care.Errorf(care.EInvalid, "connection %s: api.tokenParam %q is not under %s, the only path this function may read", conn.ID, conn.API.TokenParam, o.Path)
	}
	token, err := o.Tokens.Get(ctx, conn.API.TokenParam)
	if err != nil {
		return nil, fmt.Errorf("API token of %s: %w", conn.ID, err)
	}
	return token, nil
}
