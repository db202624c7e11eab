package awslambda_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"slices"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/carecoach/carecoach/shared/adapters/awslambda"
)

func gatewayRequest(method, path, query string, headers map[string]string, cookies ...string) events.APIGatewayV2HTTPRequest {
	e := events.APIGatewayV2HTTPRequest{RawPath: path, RawQueryString: query, Headers: headers, Cookies: cookies}
	e.RequestContext.HTTP.Method = method
	e.RequestContext.HTTP.SourceIP = "203.0.113.9"
	return e
}

func TestTheLambdaAdapterAnswersAsNetHTTPWould(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		check   func(t *testing.T, r events.APIGatewayV2HTTPResponse)
	}{
		{"a handler that only writes answers 200 with a sniffed content type",
			func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("<!doctype html><p>hi")) },
			func(t *testing.T, r events.APIGatewayV2HTTPResponse) {
				if r.StatusCode != 200 || r.Headers["Content-Type"] != "text/html; charset=utf-8" || r.Body != "<!doctype html><p>hi" {
					t.Errorf("%+v", r)
				}
			}},
		{"the first status written is the one sent",
			func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusAccepted); w.WriteHeader(500) },
			func(t *testing.T, r events.APIGatewayV2HTTPResponse) {
				if r.StatusCode != http.StatusAccepted || r.Body != "" {
					t.Errorf("%+v", r)
				}
			}},
		{"a header's values are all kept, joined with commas",
			func(w http.ResponseWriter, r *http.Request) {
				w.Header().Add("Vary", "Accept")
				w.Header().Add("Vary", "Authorization")
				w.WriteHeader(http.StatusNoContent)
			},
			func(t *testing.T, r events.APIGatewayV2HTTPResponse) {
				if r.Headers["Vary"] != "Accept, Authorization" {
					t.Errorf("Vary %q", r.Headers["Vary"])
				}
			}},
		{"cookies set go in the cookies list, each whole",
			func(w http.ResponseWriter, r *http.Request) {
				http.SetCookie(w, &http.Cookie{Name: "a", Value: "1", MaxAge: 60})
				http.SetCookie(w, &http.Cookie{Name: "b", Value: "2"})
			},
			func(t *testing.T, r events.APIGatewayV2HTTPResponse) {
				if len(r.Cookies) != 2 || r.Cookies[1] != "b=2" || r.Headers["Set-Cookie"] != "" {
					t.Errorf("cookies %q, headers %v", r.Cookies, r.Headers)
				}
			}},
		{"a binary body is sent base64-encoded",
			func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "image/png")
				_, _ = w.Write([]byte{0x89, 'P', 'N', 'G', 0xff, 0x00})
			},
			func(t *testing.T, r events.APIGatewayV2HTTPResponse) {
				raw, err := base64.StdEncoding.DecodeString(r.Body)
				if !r.IsBase64Encoded || err != nil || len(raw) != 6 || raw[4] != 0xff {
					t.Errorf("%+v", r)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := awslambda.HTTPHandler(tt.handler)(context.Background(), gatewayRequest("GET", "/x", "", nil))
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, r)
		})
	}
}

func TestTheLambdaAdapterHandsTheHandlerTheWholeRequest(t *testing.T) {
	var got *http.Request
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r })
	e := gatewayRequest("POST", "/webhooks/zendesk/acme", "a=1&b=2", map[string]string{"content-type": "application/json", "x-zendesk-webhook-signature": "sig"}, "s=1", "t=2")
	e.Body, e.IsBase64Encoded = base64.StdEncoding.EncodeToString([]byte(`{"ok":true}`)), true
	if _, err := awslambda.HTTPHandler(h)(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	cookies := []string{}
	for _, c := range got.Cookies() {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	if got.Method != "POST" || got.URL.Path != "/webhooks/zendesk/acme" || got.URL.Query().Get("b") != "2" ||
		got.Header.Get("X-Zendesk-Webhook-Signature") != "sig" || got.RemoteAddr != "203.0.113.9" || !slices.Equal(cookies, []string{"s=1", "t=2"}) {
		t.Errorf("request %s %s headers %v cookies %v from %s", got.Method, got.URL, got.Header, cookies, got.RemoteAddr)
	}
	body := make([]byte, 64)
	n, _ := got.Body.Read(body)
	if string(body[:n]) != `{"ok":true}` {
		t.Errorf("body %q", body[:n])
	}
}
