package awsjson_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/carecoach/carecoach/shared/adapters/awsjson"
)

var creds = credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "")

// service is an awsJson1_1 endpoint that checks each request's signature
// by signing the same request again with the same credentials.
func service(t *testing.T, answer func(w http.ResponseWriter, in map[string]any)) *httptest.Server {
	t.Helper()
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		when, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
		if err != nil {
			http.Error(w, `{"__type":"MissingAuthenticationToken","message":"no date"}`, http.StatusBadRequest)
			return
		}
		again, _ := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), bytes.NewReader(body))
		for _, h := range []string{"Content-Type", "X-Amz-Target"} {
			again.Header.Set(h, r.Header.Get(h))
		}
		sum := sha256.Sum256(body)
		c, _ := creds.Retrieve(context.Background())
		if err := v4.NewSigner().SignHTTP(context.Background(), c, again, hex.EncodeToString(sum[:]), "ssm", "eu-west-1", when); err != nil {
			t.Error(err)
		}
		if got, want := r.Header.Get("Authorization"), again.Header.Get("Authorization"); got != want || r.Method != http.MethodPost ||
			r.Header.Get("Content-Type") != "application/x-amz-json-1.1" || r.Header.Get("X-Amz-Target") != "AmazonSSM.GetParameter" {
			http.Error(w, `{"__type":"com.amazon.coral.service#InvalidSignatureException","message":"The request signature we calculated does not match"}`, http.StatusBadRequest)
			return
		}
		var in map[string]any
		_ = json.Unmarshal(body, &in)
		answer(w, in)
	}))
}

func TestACallIsSignedForTheServiceAndDecoded(t *testing.T) {
	srv := service(t, func(w http.ResponseWriter, in map[string]any) {
		if in["Name"] != "/carecoach/prod/reply-token-key" || in["WithDecryption"] != true {
			http.Error(w, `{"__type":"ValidationException","message":"bad input"}`, http.StatusBadRequest)
			return
		}
		_, _ = w.Write([]byte(`{"Parameter":{"Value":"k","Version":3}}`))
	})
	defer srv.Close()
	c := awsjson.Client{Config: aws.Config{Region: "eu-west-1", Credentials: creds}, Service: "ssm", Endpoint: srv.URL}
	var out struct {
		Parameter struct {
			Value   string
			Version int
		}
	}
	if err := c.Call(context.Background(), "AmazonSSM.GetParameter", map[string]any{"Name": "/carecoach/prod/reply-token-key", "WithDecryption": true}, &out); err != nil {
		t.Fatal(err)
	}
	if out.Parameter.Value != "k" || out.Parameter.Version != 3 {
		t.Errorf("decoded %+v", out)
	}
}

func TestAnErrorAnswerBecomesItsTypeAndMessage(t *testing.T) {
	srv := service(t, func(w http.ResponseWriter, _ map[string]any) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"__type":"com.amazonaws.ssm#ParameterNotFound","message":"Parameter /x not found."}`))
	})
	defer srv.Close()
	t.Setenv("AWS_ENDPOINT_URL_SSM", srv.URL) // the standard endpoint variable is honoured
	c := awsjson.Client{Config: aws.Config{Region: "eu-west-1", Credentials: creds}, Service: "ssm"}
	err := c.Call(context.Background(), "AmazonSSM.GetParameter", map[string]any{"Name": "/x"}, &struct{}{})
	var e *awsjson.Error
	if !errors.As(err, &e) || e.Status != 400 || e.Type != "ParameterNotFound" || !strings.Contains(e.Message, "not found") {
		t.Errorf("err %v, want ParameterNotFound (400) with its message", err)
	}
}
