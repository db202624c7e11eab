package lambdatest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// BuildFlags are the Makefile's go build flags (GOBUILD) without the
// environment: Build adds CGO_ENABLED=0 and the host's GOOS and GOARCH.
var BuildFlags = []string{"-tags", "lambda.norpc", "-trimpath", "-buildvcs=false", "-ldflags=-s -w -buildid="}

// ModuleRoot returns the directory of the main module's go.mod.
func ModuleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("not inside a Go module")
	}
	return filepath.Dir(mod), nil
}

// Build builds ./functions/<name> of the module at root for each name,
// for the host, with one go build, and returns the path of each
// bootstrap: dir/<name>/bootstrap.
func Build(ctx context.Context, root, dir string, names ...string) (map[string]string, error) {
	if len(names) == 0 {
		return nil, errors.New("lambdatest: nothing to build")
	}
	staging := filepath.Join(dir, ".build")
	if err := os.MkdirAll(staging, 0o755); err != nil {
		return nil, err
	}
	args := append([]string{"build"}, BuildFlags...)
	args = append(args, "-o", staging+string(filepath.Separator))
	for _, n := range names {
		args = append(args, "./functions/"+n)
	}
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	cmd.Env = append(withoutVars(os.Environ(), "CGO_ENABLED", "GOOS", "GOARCH"),
		"CGO_ENABLED=0", "GOOS="+runtime.GOOS, "GOARCH="+runtime.GOARCH)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("lambdatest: go %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	paths := make(map[string]string, len(names))
	for _, n := range names {
		d := filepath.Join(dir, n)
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
		p := filepath.Join(d, "bootstrap")
		if err := os.Rename(filepath.Join(staging, n), p); err != nil {
			return nil, fmt.Errorf("lambdatest: %s: %w", n, err)
		}
		paths[n] = p
	}
	return paths, os.Remove(staging)
}

func withoutVars(env []string, names ...string) []string {
	out := env[:0:0]
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(names, k) {
			out = append(out, kv)
		}
	}
	return out
}

// Endpoints are the service endpoints a function's SDK clients use. They
// go to the process as the SDK's standard per-service variables,
// AWS_ENDPOINT_URL_<service id> (aws-sdk-go-v2 config reads them for each
// client it configures; the id is the client's ServiceID, upper-cased with
// spaces as underscores).
type Endpoints struct {
	DynamoDB, SESv2, SSM, S3, Scheduler string
}

// Env returns the variables for the endpoints that are set.
func (e Endpoints) Env() map[string]string {
	out := map[string]string{}
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL_DYNAMODB":  e.DynamoDB,
		"AWS_ENDPOINT_URL_SESV2":     e.SESv2,
		"AWS_ENDPOINT_URL_SSM":       e.SSM,
		"AWS_ENDPOINT_URL_S3":        e.S3,
		"AWS_ENDPOINT_URL_SCHEDULER": e.Scheduler,
	} {
		if v != "" {
			out[k] = v
		}
	}
	return out
}

// Options describe one function instance.
type Options struct {
	// Name is AWS_LAMBDA_FUNCTION_NAME (and part of the invoked ARN).
	Name string
	// Env is the function's own environment: its CARECOACH_* variables,
	// and Endpoints.Env(). It is added to the variables Lambda sets.
	Env map[string]string
	// Timeout is the function's timeout (default 10 s).
	Timeout time.Duration
	// MemoryMB is AWS_LAMBDA_FUNCTION_MEMORY_SIZE (default 256).
	MemoryMB int
}

// Function is a running bootstrap with its Runtime API.
type Function struct {
	Runtime *Runtime

	cmd      *exec.Cmd
	start    time.Time // just before exec
	out      *syncBuffer
	exited   chan struct{}
	exitErr  error
	stopping sync.Once
	stopped  chan struct{}
}

// Start runs bootstrap as a Lambda function instance and stops it when the
// test ends. The process gets only the variables Lambda sets (region,
// credentials, function name, log format, runtime API) and o.Env: nothing
// from the test's own environment, so no shared AWS config is read.
func Start(tb testing.TB, bootstrap string, o Options) *Function {
	tb.Helper()
	f, err := StartProcess(bootstrap, o)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := f.Stop(); err != nil {
			tb.Errorf("stop %s: %v", o.Name, err)
		}
	})
	return f
}

// StartProcess is Start without a test: the caller must Stop it.
func StartProcess(bootstrap string, o Options) (*Function, error) {
	if o.Name == "" {
		o.Name = filepath.Base(filepath.Dir(bootstrap))
	}
	if o.MemoryMB == 0 {
		o.MemoryMB = 256
	}
	rt := NewRuntime(o.Name, o.Timeout)
	env := map[string]string{
		"AWS_LAMBDA_RUNTIME_API":          rt.Addr(),
		"AWS_LAMBDA_FUNCTION_NAME":        o.Name,
		"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": strconv.Itoa(o.MemoryMB),
		"AWS_LAMBDA_LOG_FORMAT":           "JSON",
		"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/" + o.Name,
		"AWS_REGION":                      "us-east-1",
		"AWS_DEFAULT_REGION":              "us-east-1",
		"AWS_ACCESS_KEY_ID":               "local",
		"AWS_SECRET_ACCESS_KEY":           "local",
		"AWS_EC2_METADATA_DISABLED":       "true",
		"AWS_CONFIG_FILE":                 filepath.Join(os.TempDir(), "lambdatest-no-aws-config"),
		"AWS_SHARED_CREDENTIALS_FILE":     filepath.Join(os.TempDir(), "lambdatest-no-aws-credentials"),
		"LAMBDA_TASK_ROOT":                filepath.Dir(bootstrap),
		"_HANDLER":                        "bootstrap",
		"TZ":                              ":UTC",
		"AWS_LAMBDA_INITIALIZATION_TYPE":  "on-demand",
	}
	for k, v := range o.Env {
		env[k] = v
	}
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	cmd := exec.Command(bootstrap)
	cmd.Dir = filepath.Dir(bootstrap)
	for _, k := range keys {
		cmd.Env = append(cmd.Env, k+"="+env[k])
	}
	f := &Function{Runtime: rt, cmd: cmd, out: &syncBuffer{}, exited: make(chan struct{}), stopped: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = f.out, f.out
	// Its own process group, so Stop reaches anything it starts; SIGKILL
	// if the test process dies first.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	rt.logs = f.out.String

	// Pdeathsig fires when the thread that started the child ends, so the
	// child is started and waited for on one locked thread that lives
	// exactly as long as the child.
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		f.start = time.Now()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		f.exitErr = cmd.Wait()
		close(f.exited)
		select {
		case <-f.stopped: // killed on purpose
		default:
			rt.fail(RuntimeError{Type: "Runtime.ExitError", Message: "runtime exited: " + describeExit(f.exitErr)})
		}
	}()
	if err := <-started; err != nil {
		rt.Close()
		return nil, fmt.Errorf("lambdatest: start %s: %w", bootstrap, err)
	}
	return f, nil
}

func describeExit(err error) string {
	if err == nil {
		return "exit status 0"
	}
	return err.Error()
}

// Invoke sends one event and waits for the answer (see Runtime.Invoke).
func (f *Function) Invoke(ctx context.Context, payload []byte) (Result, error) {
	return f.Runtime.Invoke(ctx, payload)
}

// Started is when the process was started (just before exec).
func (f *Function) Started() time.Time { return f.start }

// PID is the process id (also its process group id).
func (f *Function) PID() int { return f.cmd.Process.Pid }

// Logs is everything the process wrote to stdout and stderr so far.
func (f *Function) Logs() string { return f.out.String() }

// Exited is closed when the process has exited.
func (f *Function) Exited() <-chan struct{} { return f.exited }

// ExitErr is the process's exit error once Exited is closed.
func (f *Function) ExitErr() error {
	<-f.exited
	return f.exitErr
}

// Stop kills the process group (Lambda does not wait for a function
// instance it retires either), waits for it and closes the Runtime API.
// It is safe to call more than once.
func (f *Function) Stop() error {
	var err error
	f.stopping.Do(func() {
		close(f.stopped)
		select {
		case <-f.exited:
		default:
			if e := syscall.Kill(-f.cmd.Process.Pid, syscall.SIGKILL); e != nil && !errors.Is(e, syscall.ESRCH) {
				err = fmt.Errorf("kill process group %d: %w", f.cmd.Process.Pid, e)
			}
			select {
			case <-f.exited:
			case <-time.After(10 * time.Second):
				err = errors.Join(err, fmt.Errorf("process %d did not exit after SIGKILL", f.cmd.Process.Pid))
			}
		}
		f.Runtime.Close()
	})
	return err
}

// syncBuffer is a bytes.Buffer safe for the process's two output pipes and
// readers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
