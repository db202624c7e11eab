package awslambda

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
)

// HTTPHandler serves an http.Handler from API Gateway HTTP API (payload
// v2) events, so Lambda and the local dev server run the very same handler.
func HTTPHandler(h http.Handler) func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	return func(ctx context.Context, e events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		body := e.Body
		if e.IsBase64Encoded {
			raw, err := base64.StdEncoding.DecodeString(e.Body)
			if err != nil {
				return events.APIGatewayV2HTTPResponse{StatusCode: http.StatusBadRequest, Body: `{"error":"body is not valid base64","code":"invalid"}`,
					Headers: map[string]string{"Content-Type": "application/json"}}, nil
			}
			body = string(raw)
		}
		path := e.RawPath
		if e.RawQueryString != "" {
			path += "?" + e.RawQueryString
		}
		method := e.RequestContext.HTTP.Method
		req, err := http.NewRequestWithContext(ctx, method, path, strings.NewReader(body))
		if err != nil {
			return events.APIGatewayV2HTTPResponse{StatusCode: http.StatusBadRequest, Body: `{"error":"malformed request line","code":"invalid"}`,
				Headers: map[string]string{"Content-Type": "application/json"}}, nil
		}
		req.RemoteAddr = e.RequestContext.HTTP.SourceIP
		// Payload v2 joins a header's values with commas and moves
		// cookies to their own list.
		for k, v := range e.Headers {
			req.Header.Set(k, v)
		}
		if len(e.Cookies) > 0 {
			req.Header.Set("Cookie", strings.Join(e.Cookies, "; "))
		}
		w := &responseWriter{header: http.Header{}}
		h.ServeHTTP(w, req)
		return w.response(), nil
	}
}

// responseWriter collects a handler's answer for API Gateway: what
// net/http would have sent, as payload v2 carries it.
type responseWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *responseWriter) Header() http.Header { return w.header }

func (w *responseWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *responseWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(p)
}

func (w *responseWriter) response() events.APIGatewayV2HTTPResponse {
	w.WriteHeader(http.StatusOK)
	resp := events.APIGatewayV2HTTPResponse{StatusCode: w.status, Headers: map[string]string{}}
	if w.header.Get("Content-Type") == "" && w.body.Len() > 0 {
		w.header.Set("Content-Type", http.DetectContentType(w.body.Bytes()))
	}
	for k, vs := range w.header {
		if k == "Set-Cookie" {
			resp.Cookies = append(resp.Cookies, vs...)
			continue
		}
		resp.Headers[k] = strings.Join(vs, ", ")
	}
	if utf8.Valid(w.body.Bytes()) {
		resp.Body = w.body.String()
	} else {
		resp.Body, resp.IsBase64Encoded = base64.StdEncoding.EncodeToString(w.body.Bytes()), true
	}
	return resp
}
