package ssmparam

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/carecoach/carecoach/shared/adapters/awsjson"
	"github.com/carecoach/carecoach/shared/core/care"
)

// Params reads, writes and deletes SecureString parameters, for the admin
// command that connects a help desk: it reads the API token and stores the
// webhook secret where the stack reads it. Values are never part of an
// error.
type Params struct{ c awsjson.Client }

// NewParams is Params on cfg (the endpoint from AWS_ENDPOINT_URL_SSM when
// set, as every SDK client).
func NewParams(cfg aws.Config) Params { return Params{c: awsjson.Client{Config: cfg, Service: "ssm"}} }

// Secret reads a SecureString parameter, decrypted; ErrNotFound when there
// is none.
func (p Params) Secret(ctx context.Context, name string) (care.Secret, error) {
	param, err := VersionClient(p.c.Config)(ctx, name)
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("SSM parameter %s: %w", name, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read SSM parameter %s: %w", name, err)
	}
	if param.Value == "" {
		return nil, fmt.Errorf("SSM parameter %s is empty", name)
	}
	return care.Secret(param.Value), nil
}

// PutSecret stores value as a SecureString (encrypted with the account's
// default SSM key), replacing an older value: the next version.
func (p Params) PutSecret(ctx context.Context, name string, value care.Secret) error {
	in := map[string]any{"Name": name, "Value": string(value), "Type": "SecureString", "Overwrite": true}
	var out struct{ Version int64 }
	if err := p.c.Call(ctx, "AmazonSSM.PutParameter", in, &out); err != nil {
		return fmt.Errorf("store SSM parameter %s: %w", name, err)
	}
	return nil
}

// Delete removes a parameter; one already gone is ErrNotFound.
func (p Params) Delete(ctx context.Context, name string) error {
	err := p.c.Call(ctx, "AmazonSSM.DeleteParameter", map[string]any{"Name": name}, &struct{}{})
	var e *awsjson.Error
	if errors.As(err, &e) && e.Type == "ParameterNotFound" {
		return fmt.Errorf("SSM parameter %s: %w", name, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("delete SSM parameter %s: %w", name, err)
	}
	return nil
}
