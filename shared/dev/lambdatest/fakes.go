package lambdatest

import (
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The fakes below stand in for the AWS services that have no local
// emulator. Each speaks just enough of the service's wire protocol for the
// SDK (or the project's signed GET) to work, checks that requests are SigV4
// signed for the right service, and answers errors in the service's shape.

// account is the AWS account id the fakes put in ARNs.
const account = "123456789012"

// signedFor checks the SigV4 Authorization header's credential scope.
func signedFor(r *http.Request, service string) bool {
	a := r.Header.Get("Authorization")
	return strings.HasPrefix(a, "AWS4-HMAC-SHA256 Credential=") && strings.Contains(a, "/"+service+"/aws4_request")
}

// SSM is a fake of SSM Parameter Store's GetParameter, PutParameter and
// DeleteParameter (awsJson1_1: POST / with X-Amz-Target:
// AmazonSSM.<operation>), with each parameter's history of versions:
// "<name>:<version>" reads an older one.
type SSM struct {
	URL string

	mu     sync.Mutex
	params map[string][]string // name -> values, version 1 first
	types  map[string]string   // name -> type, for parameters put over the wire
	reads  []string
}

// NewSSM starts a fake SSM, closed when the test ends.
func NewSSM(tb testing.TB) *SSM {
	s := &SSM{params: map[string][]string{}, types: map[string]string{}}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// Put stores a SecureString parameter: its first version, or a new one
// (put-parameter --overwrite).
func (s *SSM) Put(name, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.params[name] = append(s.params[name], value)
}

// Reads lists the names GetParameter was called with, in order.
func (s *SSM) Reads() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.reads...)
}

func (s *SSM) serve(w http.ResponseWriter, r *http.Request) {
	jsonError := func(status int, typ, msg string) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("X-Amzn-Errortype", typ)
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"__type": typ, "message": msg})
	}
	switch {
	case r.Method != http.MethodPost || r.URL.Path != "/":
		jsonError(http.StatusNotFound, "UnknownOperationException", r.Method+" "+r.URL.Path)
		return
	case !signedFor(r, "ssm"):
		jsonError(http.StatusForbidden, "MissingAuthenticationTokenException", "request not signed for ssm")
		return
	case !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-amz-json-1.1"):
		jsonError(http.StatusBadRequest, "SerializationException", "content type "+r.Header.Get("Content-Type"))
		return
	}
	switch target := r.Header.Get("X-Amz-Target"); target {
	case "AmazonSSM.GetParameter":
	case "AmazonSSM.PutParameter":
		s.put(w, r, jsonError)
		return
	case "AmazonSSM.DeleteParameter":
		s.delete(w, r, jsonError)
		return
	default:
		jsonError(http.StatusBadRequest, "UnknownOperationException", "this fake serves only AmazonSSM.GetParameter, PutParameter and DeleteParameter, not "+target)
		return
	}
	var in struct {
		Name           string
		WithDecryption bool
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Name == "" {
		jsonError(http.StatusBadRequest, "ValidationException", fmt.Sprintf("bad GetParameter input: %v", err))
		return
	}
	name, selector, _ := strings.Cut(in.Name, ":")
	s.mu.Lock()
	s.reads = append(s.reads, in.Name)
	versions := s.params[name]
	typ := s.types[name]
	s.mu.Unlock()
	if typ == "" {
		typ = "SecureString"
	}
	if len(versions) == 0 {
		jsonError(http.StatusBadRequest, "ParameterNotFound", "")
		return
	}
	version := len(versions)
	if selector != "" {
		n, err := strconv.Atoi(selector)
		if err != nil || n < 1 || n > len(versions) {
			jsonError(http.StatusBadRequest, "ParameterVersionNotFound", "Systems Manager could not find version "+selector+" of "+name)
			return
		}
		version = n
	}
	v := versions[version-1]
	if !in.WithDecryption && typ == "SecureString" { // SSM returns a SecureString's ciphertext
		v = "AQICAHh" + base64.StdEncoding.EncodeToString([]byte(v))
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	_ = json.NewEncoder(w).Encode(map[string]any{"Parameter": map[string]any{
		"ARN":              "arn:aws:ssm:us-east-1:" + account + ":parameter" + name,
		"DataType":         "text",
		"LastModifiedDate": float64(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).Unix()),
		"Name":             name,
		"Selector":         selector,
		"Type":             typ,
		"Value":            v,
		"Version":          version,
	}})
}

// Param is a parameter's latest value and its type ("SecureString"
// unless PutParameter said otherwise); ok is false when there is none.
func (s *SSM) Param(name string) (value, typ string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	versions := s.params[name]
	if len(versions) == 0 {
		return "", "", false
	}
	typ = s.types[name]
	if typ == "" {
		typ = "SecureString"
	}
	return versions[len(versions)-1], typ, true
}

func (s *SSM) put(w http.ResponseWriter, r *http.Request, jsonError func(int, string, string)) {
	var in struct {
		Name, Value, Type string
		Overwrite         bool
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || !strings.HasPrefix(in.Name, "/") || in.Value == "" {
		jsonError(http.StatusBadRequest, "ValidationException", fmt.Sprintf("bad PutParameter input (a name starting with /, a value): %v", err))
		return
	}
	if in.Type != "" && in.Type != "String" && in.Type != "StringList" && in.Type != "SecureString" {
		jsonError(http.StatusBadRequest, "ValidationException", "type "+in.Type)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.params[in.Name]) > 0 && !in.Overwrite {
		jsonError(http.StatusBadRequest, "ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.")
		return
	}
	if in.Type == "" && len(s.params[in.Name]) == 0 {
		jsonError(http.StatusBadRequest, "ValidationException", "a new parameter needs a Type")
		return
	}
	if in.Type != "" {
		s.types[in.Name] = in.Type
	}
	s.params[in.Name] = append(s.params[in.Name], in.Value)
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	_ = json.NewEncoder(w).Encode(map[string]any{"Tier": "Standard", "Version": len(s.params[in.Name])})
}

func (s *SSM) delete(w http.ResponseWriter, r *http.Request, jsonError func(int, string, string)) {
	var in struct{ Name string }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Name == "" {
		jsonError(http.StatusBadRequest, "ValidationException", fmt.Sprintf("bad DeleteParameter input: %v", err))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.params[in.Name]) == 0 {
		jsonError(http.StatusBadRequest, "ParameterNotFound", "")
		return
	}
	delete(s.params, in.Name)
	delete(s.types, in.Name)
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	_, _ = w.Write([]byte("{}"))
}

// S3 is a fake of S3's GetObject, path style: GET /<bucket>/<key>.
type S3 struct {
	URL string

	mu      sync.Mutex
	objects map[string][]byte // "bucket/key"
	gets    []string
}

// NewS3 starts a fake S3, closed when the test ends.
func NewS3(tb testing.TB) *S3 {
	s := &S3{objects: map[string][]byte{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/{bucket}/{key...}", s.get)
	srv := httptest.NewServer(mux)
	tb.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// Put stores an object.
func (s *S3) Put(bucket, key string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.objects[bucket+"/"+key] = body
}

// Gets lists the "bucket/key" of every GET, in order.
func (s *S3) Gets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.gets...)
}

func (s *S3) get(w http.ResponseWriter, r *http.Request) {
	xmlError := func(status int, code, msg, resource string) {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, xml.Header)
		_ = xml.NewEncoder(w).Encode(struct {
			XMLName   xml.Name `xml:"Error"`
			Code      string
			Message   string
			Resource  string
			RequestID string `xml:"RequestId"`
		}{Code: code, Message: msg, Resource: resource, RequestID: "LAMBDATEST0000001"})
	}
	bucket, key := r.PathValue("bucket"), r.PathValue("key")
	switch {
	case r.Method != http.MethodGet:
		xmlError(http.StatusMethodNotAllowed, "MethodNotAllowed", "this fake serves only GetObject", r.URL.Path)
		return
	case !signedFor(r, "s3") || r.Header.Get("X-Amz-Content-Sha256") == "":
		xmlError(http.StatusForbidden, "AccessDenied", "request not signed for s3", r.URL.Path)
		return
	}
	s.mu.Lock()
	s.gets = append(s.gets, bucket+"/"+key)
	body, ok := s.objects[bucket+"/"+key]
	s.mu.Unlock()
	if !ok {
		xmlError(http.StatusNotFound, "NoSuchKey", "The specified key does not exist.", "/"+bucket+"/"+key)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	w.Header().Set("ETag", fmt.Sprintf(`"%x"`, len(body)))
	w.Header().Set("Last-Modified", time.Now().UTC().Format(http.TimeFormat))
	_, _ = w.Write(body)
}

// Scheduler is a fake of EventBridge Scheduler (restJson1):
// CreateSchedule is POST /schedules/{Name}, DeleteSchedule is
// DELETE /schedules/{Name}?groupName=.
type Scheduler struct {
	URL string

	mu        sync.Mutex
	schedules map[string]Schedule // group/name
	created   []Schedule
	deleted   []string
}

// Schedule is a CreateSchedule request the fake accepted.
type Schedule struct {
	Name                       string
	GroupName                  string
	ScheduleExpression         string
	ScheduleExpressionTimezone string
	ActionAfterCompletion      string
	FlexibleTimeWindow         struct{ Mode string }
	Target                     struct {
		Arn, RoleArn, Input string
		DeadLetterConfig    *struct{ Arn string }
		RetryPolicy         *struct{ MaximumRetryAttempts, MaximumEventAgeInSeconds int }
	}
	ClientToken string
	Description string
}

// NewScheduler starts a fake Scheduler, closed when the test ends.
func NewScheduler(tb testing.TB) *Scheduler {
	s := &Scheduler{schedules: map[string]Schedule{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /schedules/{name}", s.create)
	mux.HandleFunc("DELETE /schedules/{name}", s.delete)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		schedulerError(w, http.StatusNotFound, "UnknownOperationException", r.Method+" "+r.URL.Path)
	})
	srv := httptest.NewServer(mux)
	tb.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// Created lists the accepted CreateSchedule requests, in order.
func (s *Scheduler) Created() []Schedule {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Schedule(nil), s.created...)
}

// Deleted lists the "group/name" of deleted schedules, in order.
func (s *Scheduler) Deleted() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.deleted...)
}

func schedulerError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Errortype", typ)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"Message": msg})
}

func (s *Scheduler) create(w http.ResponseWriter, r *http.Request) {
	if !signedFor(r, "scheduler") {
		schedulerError(w, http.StatusForbidden, "AccessDeniedException", "request not signed for scheduler")
		return
	}
	var in Schedule
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		schedulerError(w, http.StatusBadRequest, "ValidationException", err.Error())
		return
	}
	in.Name = r.PathValue("name")
	if in.GroupName == "" {
		in.GroupName = "default"
	}
	if in.ScheduleExpression == "" || in.FlexibleTimeWindow.Mode == "" || in.Target.Arn == "" || in.Target.RoleArn == "" {
		schedulerError(w, http.StatusBadRequest, "ValidationException", "ScheduleExpression, FlexibleTimeWindow, Target.Arn and Target.RoleArn are required")
		return
	}
	id := in.GroupName + "/" + in.Name
	s.mu.Lock()
	_, exists := s.schedules[id]
	if !exists {
		s.schedules[id] = in
		s.created = append(s.created, in)
	}
	s.mu.Unlock()
	if exists {
		schedulerError(w, http.StatusConflict, "ConflictException", "Schedule "+in.Name+" already exists.")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"ScheduleArn": "arn:aws:scheduler:us-east-1:" + account + ":schedule/" + id})
}

func (s *Scheduler) delete(w http.ResponseWriter, r *http.Request) {
	if !signedFor(r, "scheduler") {
		schedulerError(w, http.StatusForbidden, "AccessDeniedException", "request not signed for scheduler")
		return
	}
	group := r.URL.Query().Get("groupName")
	if group == "" {
		group = "default"
	}
	id := group + "/" + r.PathValue("name")
	s.mu.Lock()
	_, exists := s.schedules[id]
	delete(s.schedules, id)
	if exists {
		s.deleted = append(s.deleted, id)
	}
	s.mu.Unlock()
	if !exists {
		schedulerError(w, http.StatusNotFound, "ResourceNotFoundException", "Schedule "+id+" does not exist.")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, "{}")
}
