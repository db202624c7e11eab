package apihistory_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/carecoach/carecoach/shared/adapters/apihistory"
	"github.com/carecoach/carecoach/shared/core/care"
)

type tokens map[string]string

func (t tokens) Get(_ context.Context, name string) (care.Secret, error) {
	if v, ok := t[name]; ok {
		return care.Secret(v), nil
	}
	return nil, errors.New("no secret parameter " + name)
}

func TestAConnectionsHistoryOpensOnlyWithATokenFromItsPath(t *testing.T) {
	o := apihistory.Opener{Tokens: tokens{"/carecoach/prod/helpdesk-tokens/acme": "s3cr3t", "/carecoach/prod/reply-token-key": "key"}, Path: "/carecoach/prod/helpdesk-tokens/"}
	api := func(param string) *care.ConnectionAPI {
		return &care.ConnectionAPI{Email: "a@acme.example", TokenParam: param}
	}
	tests := []struct {
		name    string
		conn    care.Connection
		wantErr string
	}{
		{"a Zendesk connection with its token opens", care.Connection{ID: "acme", Kind: care.Zendesk, BaseURL: "https://acme.zendesk.com", API: api("/carecoach/prod/helpdesk-tokens/acme")}, ""},
		{"a Freshdesk connection with its key opens", care.Connection{ID: "acme", Kind: care.Freshdesk, BaseURL: "https://acme.freshdesk.com", API: api("/carecoach/prod/helpdesk-tokens/acme")}, ""},
		{"a token outside the path is refused before SSM is asked", care.Connection{ID: "acme", Kind: care.Zendesk, API: api("/carecoach/prod/reply-token-key")}, "not under /carecoach/prod/helpdesk-tokens/"},
		{"a connection without api: is refused", care.Connection{ID: "acme", Kind: care.Zendesk}, "no api: section"},
		{"a missing parameter is named, never a value", care.Connection{ID: "acme", Kind: care.Zendesk, API: api("/carecoach/prod/helpdesk-tokens/other")}, "helpdesk-tokens/other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := o.History(context.Background(), tt.conn)
			switch {
			case tt.wantErr == "" && (err != nil || h == nil):
				t.Errorf("History = %v, %v; want a reader", h, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("err = %v, want one saying %q", err, tt.wantErr)
			case err != nil && strings.Contains(err.Error(), "s3cr3t"):
				t.Errorf("the error shows the token: %v", err)
			}
		})
	}
}
