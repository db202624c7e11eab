package s3object_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/carecoach/carecoach/shared/adapters/s3object"
)

func TestAnObjectIsFetchedWithASignedGet(t *testing.T) {
	var got *http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		if r.URL.Path != "/mail-bucket/inbound/o3vrnil0e2ic28trm7dfhrc2v0c" {
			http.Error(w, "<Error><Code>NoSuchKey</Code></Error>", http.StatusNotFound)
			return
		}
		_, _ = io.WriteString(w, "From: jordan@acme.example\r\n\r\nhello")
	}))
	defer srv.Close()
	g := s3object.Getter{
		Config:   aws.Config{Region: "eu-west-1", Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")},
		Bucket:   "mail-bucket",
		Endpoint: srv.URL,
	}
	body, err := g.Get(context.Background(), "inbound/o3vrnil0e2ic28trm7dfhrc2v0c")
	if err != nil {
		t.Fatal(err)
	}
	defer body.Close()
	b, _ := io.ReadAll(body)
	if !strings.HasSuffix(string(b), "hello") {
		t.Errorf("body = %q", b)
	}
	auth := got.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") || !strings.Contains(auth, "/eu-west-1/s3/aws4_request") {
		t.Errorf("request not SigV4-signed for s3: %q", auth)
	}
	if got.Header.Get("X-Amz-Content-Sha256") == "" {
		t.Error("no payload hash header")
	}
	if _, err := g.Get(context.Background(), "inbound/missing"); err == nil || !strings.Contains(err.Error(), "status 404") {
		t.Errorf("missing object: %v, want a 404 error", err)
	}
}
