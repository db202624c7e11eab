// Package awsjson calls an AWS JSON-protocol API (awsJson1_1: POST with an
// X-Amz-Target header) with a request signed by the SDK's own SigV4 signer.
// It exists for binary size: a function that needs one SSM call would
// otherwise link the whole SSM client and its schemas, which together with
// html/template's reflection costs megabytes per function.
package awsjson

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Client calls one service.
type Client struct {
	Config aws.Config
	// Service is the signing name and endpoint prefix, e.g. "ssm".
	Service string
	// Endpoint overrides https://<service>.<region>.amazonaws.com; default:
	// the standard AWS_ENDPOINT_URL_<SERVICE> variable.
	Endpoint string
	HTTP     *http.Client
}

// Error is an error answer of the service.
type Error struct {
	Status  int
	Type    string // e.g. ParameterNotFound
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%s (%d): %s", e.Type, e.Status, e.Message) }

// Call sends in as the target operation (e.g. "AmazonSSM.GetParameter")
// and decodes the answer into out.
func (c Client) Call(ctx context.Context, target string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("%s: encode: %w", target, err)
	}
	endpoint := c.Endpoint
	if endpoint == "" {
		endpoint = os.Getenv("AWS_ENDPOINT_URL_" + strings.ToUpper(c.Service))
	}
	if endpoint == "" {
		endpoint = fmt.Sprintf("https://%s.%s.amazonaws.com", c.Service, c.Config.Region)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(endpoint, "/")+"/", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s: %w", target, err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", target)
	creds, err := c.Config.Credentials.Retrieve(ctx)
	if err != nil {
		return fmt.Errorf("%s: credentials: %w", target, err)
	}
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), c.Service, c.Config.Region, time.Now()); err != nil {
		return fmt.Errorf("%s: sign: %w", target, err)
	}
	client := c.HTTP
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", target, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("%s: read answer: %w", target, err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
			Msg     string `json:"Message"`
		}
		_ = json.Unmarshal(raw, &e)
		typ := e.Type
		if i := strings.LastIndex(typ, "#"); i >= 0 {
			typ = typ[i+1:]
		}
		return &Error{Status: resp.StatusCode, Type: typ, Message: e.Message + e.Msg}
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("%s: decode answer: %w", target, err)
	}
	return nil
}
