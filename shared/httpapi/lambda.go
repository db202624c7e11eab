package httpapi

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// LambdaHandler serves an http.Handler from API Gateway HTTP API (payload
// v2) events, so Lambda and the local dev server run the very same handler.
func LambdaHandler(h http.Handler) func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
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
		for k, v := range e.Headers {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		headers := map[string]string{}
		for k := range rec.Header() {
			headers[k] = rec.Header().Get(k)
		}
		return events.APIGatewayV2HTTPResponse{StatusCode: rec.Code, Headers: headers, Body: rec.Body.String()}, nil
	}
}
