// Package s3object reads one S3 object with a plain GET request signed by
// the SDK's own SigV4 signer. The inbound function needs nothing more from
// S3, and the S3 client would cost it about 7 MB: its constructor hands the
// client to an interface (for S3 Express sessions), which, with
// html/template's reflection in the same binary, keeps all ~340 S3
// operations alive.
package s3object

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// emptySHA256 is the payload hash of a request without a body.
var emptySHA256 = func() string { h := sha256.Sum256(nil); return hex.EncodeToString(h[:]) }()

// Getter reads objects of one bucket.
type Getter struct {
	Config aws.Config
	Bucket string
	// Endpoint overrides https://<bucket>.s3.<region>.amazonaws.com with a
	// path-style base URL (tests, S3-compatible stores). Default: the
	// standard AWS_ENDPOINT_URL_S3 variable.
	Endpoint string
	Client   *http.Client
}

// Get returns the object's body; the caller closes it.
func (g Getter) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	endpoint := g.Endpoint
	if endpoint == "" {
		endpoint = os.Getenv("AWS_ENDPOINT_URL_S3")
	}
	var u string
	if endpoint != "" {
		u = strings.TrimRight(endpoint, "/") + "/" + g.Bucket + "/" + escape(key)
	} else {
		u = fmt.Sprintf("https://%s.s3.%s.amazonaws.com/%s", g.Bucket, g.Config.Region, escape(key))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("s3 get %s: %w", key, err)
	}
	req.Header.Set("X-Amz-Content-Sha256", emptySHA256)
	creds, err := g.Config.Credentials.Retrieve(ctx)
	if err != nil {
		return nil, fmt.Errorf("s3 get %s: credentials: %w", key, err)
	}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, emptySHA256, "s3", g.Config.Region, time.Now()); err != nil {
		return nil, fmt.Errorf("s3 get %s: sign: %w", key, err)
	}
	client := g.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("s3 get %s: %w", key, err)
	}
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		resp.Body.Close()
		return nil, fmt.Errorf("s3 get %s: status %d: %s", key, resp.StatusCode, strings.TrimSpace(string(body)))
	}
	return resp.Body, nil
}

// escape encodes each path segment of a key, keeping the slashes.
func escape(key string) string {
	parts := strings.Split(key, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}
