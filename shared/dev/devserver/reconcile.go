package devserver

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path"
	"strings"
	"time"

	"github.com/carecoach/carecoach/shared/app"
	"github.com/carecoach/carecoach/shared/core/care"
)

// EnvTokens reads a help desk API token locally from the environment: the
// parameter /carecoach/dev/helpdesk-tokens/acme-zendesk is read from
// CARECOACH_TOKEN_ACME_ZENDESK (its last segment, upper case, with _ for
// anything but letters and digits). On AWS the token is in SSM.
type EnvTokens struct{}

// Get reads the token of a parameter.
func (EnvTokens) Get(_ context.Context, name string) (care.Secret, error) {
	v := EnvTokenName(name)
	if t := os.Getenv(v); t != "" {
		return care.Secret(t), nil
	}
	return nil, fmt.Errorf("no API token for %s: set %s", name, v)
}

// EnvTokenName is the variable EnvTokens reads a parameter from.
func EnvTokenName(param string) string {
	return "CARECOACH_TOKEN_" + strings.Map(func(r rune) rune {
		switch {
		case 'a' <= r && r <= 'z':
			return r - 'a' + 'A'
		case 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
			return r
		}
		return '_'
	}, path.Base(param))
}

// runReconcile is POST /dev/reconcile[?connection=…[&since=RFC 3339]]: the
// reconcile function's nightly run (no parameters) or a backfill on demand,
// with the Lambda's payload in the query.
func (s *Server) runReconcile(w http.ResponseWriter, r *http.Request) {
	req := app.ReconcileRequest{Connection: r.URL.Query().Get("connection")}
	if v := r.URL.Query().Get("since"); v != "" {
		since, err := time.Parse(time.RFC3339, v)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "since must be an RFC 3339 time, e.g. 2026-11-01T00:00:00Z"})
			return
		}
		req.Since = since
	}
	rep, err := s.reconcile.Run(r.Context(), req)
	switch {
	case care.ErrorCode(err) == care.EInvalid:
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": care.ErrorMessage(err), "report": rep})
	case err != nil:
		s.cfg.Log.ErrorContext(r.Context(), "reconcile", "error", err)
		writeJSON(w, http.StatusBadGateway, map[string]any{"error": "reconcile failed; see the dev server's log", "report": rep})
	default:
		writeJSON(w, http.StatusOK, rep)
	}
}
