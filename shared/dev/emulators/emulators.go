// Package emulators starts and stops the local AWS emulator stack used by
// the dev server and the Go tests:
//
//   - DynamoDB Local (AWS's official Java emulator), in memory, shared DB;
//   - aws-ses-v2-local (SES v2 API emulator, Node.js), with its HTTP store
//     API and web mail viewer.
//
// Both run as child processes of the calling Go program, each in its own
// process group, and are killed by the kernel if the Go program dies (see
// launcher). The emulator files are installed by infra/setup.sh, which Start
// runs by itself when they are missing.
//
// Typical test use:
//
//	var stack *emulators.Stack
//
//	func TestMain(m *testing.M) { os.Exit(emulators.RunTests(m, &stack)) }
//
// Linux only (Pdeathsig).
package emulators

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	// readyTimeout bounds how long Start waits for both emulators to answer
	// (setup.sh, if it has to run, is not counted).
	readyTimeout = 60 * time.Second
	// stopGrace is how long Close waits after SIGTERM before SIGKILL.
	stopGrace = 5 * time.Second
	// maxPortAttempts: with auto-picked ports, another process can grab the
	// port between our probe and the emulator's bind; retry on a new port.
	maxPortAttempts = 3

	setupHint = "run `bash infra/setup.sh` from the repository root"
)

// Options configures Start. The zero value is ready to use.
type Options struct {
	// InfraDir is the folder holding setup.sh, package.json, node_modules
	// and .emulators. Default: <module root>/infra, where the module root
	// is found by walking up from the working directory to go.mod.
	InfraDir string
	// DynamoPort is DynamoDB Local's port; 0 picks a free port on 127.0.0.1.
	// Note: DynamoDB Local has no bind-address option and listens on all
	// interfaces.
	DynamoPort int
	// SESPort is the SES emulator's port (bound to 127.0.0.1); 0 picks a
	// free port.
	SESPort int
	// Log receives the emulators' (and setup.sh's) stdout and stderr, each
	// line prefixed with "[dynamodb] ", "[ses] " or "[setup] ".
	// nil discards it (the last lines still appear in Start's errors).
	Log io.Writer
}

// Stack is a running pair of emulators. Close it when done.
type Stack struct {
	// DynamoEndpoint is DynamoDB Local's URL, e.g. http://127.0.0.1:8000.
	DynamoEndpoint string
	// SESEndpoint is the SES v2 emulator's URL, e.g. http://127.0.0.1:8005.
	// Use it as the SDK's BaseEndpoint; the web mail viewer is served at
	// the same URL.
	SESEndpoint string

	launcher  *launcher
	dynamo    *proc
	ses       *proc
	client    *http.Client
	closeOnce sync.Once
	closeErr  error
}

// Start installs the emulators if needed (via infra/setup.sh), starts them
// and waits until both answer HTTP requests (at most ~60 s). ctx bounds only
// the start-up; the emulators run until Close. On error nothing is left
// running.
func Start(ctx context.Context, o Options) (*Stack, error) {
	infra, err := resolveInfraDir(o.InfraDir)
	if err != nil {
		return nil, fmt.Errorf("emulators: %w", err)
	}
	ddbDir := filepath.Join(infra, ".emulators", "dynamodb-local")
	sesCLI := filepath.Join(infra, "node_modules", "aws-ses-v2-local", "dist", "cli.js")

	l := newLauncher()
	s := &Stack{launcher: l, client: &http.Client{Timeout: 2 * time.Second}}
	fail := func(err error) (*Stack, error) {
		_ = s.Close()
		return nil, err
	}

	if reason := needsSetup(infra, ddbDir, sesCLI); reason != "" {
		if err := runSetup(ctx, l, infra, reason, o.Log); err != nil {
			return fail(err)
		}
		if reason := needsSetup(infra, ddbDir, sesCLI); reason != "" {
			return fail(fmt.Errorf("emulators: emulators still not installed after infra/setup.sh (%s); %s", reason, setupHint))
		}
	}
	for _, tool := range []string{"java", "node"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fail(fmt.Errorf("emulators: %s not found on PATH (%w); %s for the requirements", tool, err, setupHint))
		}
	}

	rctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()

	var wg sync.WaitGroup
	var dynErr, sesErr error
	wg.Add(2)
	go func() {
		defer wg.Done()
		s.dynamo, s.DynamoEndpoint, dynErr = s.startEmulator(rctx, "dynamodb", o.DynamoPort, func(port int) *exec.Cmd {
			cmd := exec.Command("java",
				"-Djava.library.path="+filepath.Join(ddbDir, "DynamoDBLocal_lib"),
				"-jar", filepath.Join(ddbDir, "DynamoDBLocal.jar"),
				"-port", strconv.Itoa(port),
				"-inMemory", "-sharedDb", "-disableTelemetry")
			cmd.Dir = ddbDir
			cmd.Env = append(os.Environ(), "DDB_LOCAL_TELEMETRY=0")
			return cmd
		}, "/", isDynamoResponse, dynamoStartFailed, o.Log)
		if dynErr != nil {
			dynErr = fmt.Errorf("start dynamodb local: %w", dynErr)
			cancel() // no point waiting for the other one
		}
	}()
	go func() {
		defer wg.Done()
		s.ses, s.SESEndpoint, sesErr = s.startEmulator(rctx, "ses", o.SESPort, func(port int) *exec.Cmd {
			// The real node process (never npx/npm exec, whose PID is not
			// the server's). --host: the emulator binds to :: by default.
			cmd := exec.Command("node", sesCLI, "--host", "127.0.0.1", "--port", strconv.Itoa(port))
			cmd.Dir = infra
			// SMTP_TRANSPORT would make the emulator relay every message to
			// a real SMTP server; never inherit that by accident.
			cmd.Env = withoutEnv(os.Environ(), "SMTP_TRANSPORT")
			return cmd
		}, "/health-check", isOK, func(string) bool { return false }, o.Log)
		if sesErr != nil {
			sesErr = fmt.Errorf("start ses emulator: %w", sesErr)
			cancel()
		}
	}()
	wg.Wait()
	// Report the root cause, not the other emulator's "context canceled".
	if err := errors.Join(rootCause(dynErr, sesErr, ctx)...); err != nil {
		return fail(err)
	}
	return s, nil
}

// startEmulator starts one emulator on port (0 = pick one, retrying on a
// lost race for the port) and waits until GET readyPath satisfies ok.
func (s *Stack) startEmulator(ctx context.Context, name string, port int,
	newCmd func(port int) *exec.Cmd, readyPath string, ok func(*http.Response) bool,
	failed func(output string) bool, log io.Writer,
) (*proc, string, error) {
	auto := port == 0
	for attempt := 1; ; attempt++ {
		p := port
		if auto {
			var err error
			if p, err = freePort(); err != nil {
				return nil, "", err
			}
		}
		cmd := newCmd(p)
		pr, err := startProc(s.launcher, name, cmd, log)
		if err != nil {
			return nil, "", fmt.Errorf("exec %s: %w", cmd.Path, err)
		}
		endpoint := "http://127.0.0.1:" + strconv.Itoa(p)
		early, err := s.waitReady(ctx, pr, endpoint+readyPath, ok, failed)
		if err == nil {
			return pr, endpoint, nil
		}
		stopErr := pr.stop(stopGrace)
		if auto && attempt < maxPortAttempts && early && addrInUse(pr.out.String()) {
			if log != nil {
				fmt.Fprintf(log, "emulators: %s: port %d was taken meanwhile; retrying on another port\n", name, p)
			}
			continue
		}
		if !early { // timed out or cancelled: show what it said so far
			err = fmt.Errorf("%w; last output:\n%s", err, indent(pr.out.String()))
		}
		return nil, "", errors.Join(err, stopErr)
	}
}

// waitReady polls url until ok accepts the response, the process exits or
// its output shows a failed start-up (early = true, err holds the output),
// or ctx ends.
func (s *Stack) waitReady(ctx context.Context, p *proc, url string,
	ok func(*http.Response) bool, failed func(string) bool,
) (early bool, err error) {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if p.exited() {
			return true, p.exitError()
		}
		if failed(p.out.String()) {
			return true, fmt.Errorf("%s process %d failed to start; last output:\n%s",
				p.name, p.pid(), indent(p.out.String()))
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return false, err
		}
		if resp, err := s.client.Do(req); err == nil {
			good := ok(resp)
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			_ = resp.Body.Close()
			if good && !p.exited() {
				return false, nil
			}
		}
		select {
		case <-ctx.Done():
			return false, fmt.Errorf("%s (pid %d) not ready at %s: %w", p.name, p.pid(), url, ctx.Err())
		case <-p.done:
		case <-tick.C:
		}
	}
}

// isDynamoResponse accepts DynamoDB Local's answer to an unsigned GET /
// (400 MissingAuthenticationToken), recognised by its request-ID header so
// that a foreign server on a stolen port is not mistaken for it.
func isDynamoResponse(r *http.Response) bool { return r.Header.Get("X-Amzn-Requestid") != "" }

func isOK(r *http.Response) bool { return r.StatusCode == http.StatusOK }

// dynamoStartFailed spots a failed start-up of DynamoDB Local: when e.g. its
// port is taken, the main thread dies with an exception but the JVM keeps
// running (Jetty's non-daemon threads), so waiting for an exit would hang
// until the timeout.
func dynamoStartFailed(out string) bool {
	return strings.Contains(out, `Exception in thread "main"`)
}

// Close stops both emulators: SIGTERM to each process group, up to ~5 s
// grace, then SIGKILL. It is safe to call more than once (and on a nil
// Stack); later calls return the first call's result.
func (s *Stack) Close() error {
	if s == nil {
		return nil
	}
	s.closeOnce.Do(func() {
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, p := range []*proc{s.dynamo, s.ses} {
			if p == nil {
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = p.stop(stopGrace)
			}()
		}
		wg.Wait()
		s.launcher.stop()
		s.client.CloseIdleConnections()
		if err := errors.Join(errs...); err != nil {
			s.closeErr = fmt.Errorf("emulators: close: %w", err)
		}
	})
	return s.closeErr
}

// PIDs returns the process IDs of the running emulators (DynamoDB Local
// first, then SES). Each is also the ID of the process group it leads.
func (s *Stack) PIDs() []int {
	var pids []int
	for _, p := range []*proc{s.dynamo, s.ses} {
		if p != nil {
			pids = append(pids, p.pid())
		}
	}
	return pids
}

// RunTests is for TestMain: it starts a stack with default Options (errors
// go to stderr and give exit code 1), stores it in *stack, runs m.Run(),
// closes the stack and returns the exit code. Emulator output is shown when
// tests run with -v.
//
//	func TestMain(m *testing.M) { os.Exit(emulators.RunTests(m, &stack)) }
func RunTests(m *testing.M, stack **Stack) int {
	var o Options
	// TestMain runs before m.Run parses the flags; parse them now so that
	// -v can be honoured (m.Run does the same when they are not parsed).
	if !flag.Parsed() {
		flag.Parse()
	}
	if testing.Verbose() {
		o.Log = os.Stderr
	}
	start := time.Now()
	s, err := Start(context.Background(), o)
	if err != nil {
		fmt.Fprintf(os.Stderr, "emulators: %v\n", err)
		return 1
	}
	if testing.Verbose() {
		fmt.Fprintf(os.Stderr, "emulators: started in %v: dynamodb %s, ses %s\n",
			time.Since(start).Round(time.Millisecond), s.DynamoEndpoint, s.SESEndpoint)
	}
	if stack != nil {
		*stack = s
	}
	code := m.Run()
	if err := s.Close(); err != nil {
		fmt.Fprintf(os.Stderr, "emulators: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// resolveInfraDir returns dir (made absolute) or <module root>/infra.
func resolveInfraDir(dir string) (string, error) {
	if dir != "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return "", fmt.Errorf("infra dir %q: %w", dir, err)
		}
		return abs, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find infra dir: %w", err)
	}
	for d := wd; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "infra"), nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("find infra dir: no go.mod in %s or any parent; set Options.InfraDir", wd)
		}
		d = parent
	}
}

// needsSetup tells why infra/setup.sh must run, or "" if everything it
// installs is present and current. It mirrors setup.sh's own checks.
func needsSetup(infra, ddbDir, sesCLI string) string {
	for _, f := range []string{
		filepath.Join(ddbDir, "DynamoDBLocal.jar"),
		filepath.Join(ddbDir, ".version"),
		sesCLI,
	} {
		if _, err := os.Stat(f); err != nil {
			return "missing " + f
		}
	}
	lock, err := os.Stat(filepath.Join(infra, "package-lock.json"))
	if err != nil {
		return "" // nothing to compare against; setup.sh would fail too
	}
	stamp, err := os.Stat(filepath.Join(infra, "node_modules", ".package-lock.json"))
	if err != nil {
		stamp, err = os.Stat(filepath.Join(infra, "node_modules"))
	}
	if err != nil || lock.ModTime().After(stamp.ModTime()) {
		return "infra/node_modules is older than infra/package-lock.json"
	}
	return ""
}

func runSetup(ctx context.Context, l *launcher, infra, reason string, log io.Writer) error {
	script := filepath.Join(infra, "setup.sh")
	if _, err := os.Stat(script); err != nil {
		return fmt.Errorf("emulators: emulators not installed (%s) and no setup script (%w); check Options.InfraDir or %s", reason, err, setupHint)
	}
	if log != nil {
		fmt.Fprintf(log, "emulators: %s; running %s\n", reason, script)
	}
	// Only the emulators: the template tools are checked by `make setup`.
	cmd := exec.Command("bash", script, "--emulators")
	cmd.Dir = infra
	p, err := startProc(l, "setup", cmd, log)
	if err != nil {
		return fmt.Errorf("emulators: run %s (%s): %w", script, setupHint, err)
	}
	select {
	case <-p.done:
	case <-ctx.Done():
		_ = p.stop(stopGrace)
		return fmt.Errorf("emulators: run %s: %w", script, ctx.Err())
	}
	if p.err != nil {
		return fmt.Errorf("emulators: emulators not installed (%s) and %s failed: %w; output:\n%s",
			reason, script, p.err, indent(p.out.String()))
	}
	return nil
}

// freePort asks the kernel for a free TCP port on 127.0.0.1.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pick a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// addrInUse tells whether an emulator's start-up output shows that its port
// was taken. aws-ses-v2-local 2.10.2 does not print the listen error itself:
// its CLI then fails with "Server does not have an address".
func addrInUse(out string) bool {
	return strings.Contains(out, "EADDRINUSE") ||
		strings.Contains(out, "Address already in use") ||
		strings.Contains(out, "BindException") ||
		strings.Contains(out, "Server does not have an address")
}

func withoutEnv(env []string, name string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// rootCause drops errors that only say the start-up context was cancelled
// because the other emulator failed.
func rootCause(dynErr, sesErr error, parent context.Context) []error {
	if parent.Err() == nil && dynErr != nil && sesErr != nil {
		if errors.Is(sesErr, context.Canceled) {
			return []error{dynErr}
		}
		if errors.Is(dynErr, context.Canceled) {
			return []error{sesErr}
		}
	}
	return []error{dynErr, sesErr}
}
