// Package resilience holds carecoach's resilience tests (no code of its
// own). They run the real services (ingest behind its HTTP handler, process
// behind its Lambda stream handler, fire) against DynamoDB Local through
// ddbproxy, which injects latency, throttling, 5xx errors and connection
// resets into a share of the requests, and against the local SES with sends
// that fail. They assert that no acknowledged delivery is lost or stored
// twice, that a processor killed mid-batch and re-fed the batch ends where a
// clean run ends, that no email goes twice, and that every failure is
// retried or dead-lettered with its reason.
//
// `go test` runs them briefly; `make soak` (SOAK=1) runs bigger rounds with
// new seeds until SOAK_DURATION (default 5m) is up.
package resilience
