package emulators

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"
)

// launcher starts child processes from a single OS thread that stays alive
// for as long as the children may run.
//
// Pdeathsig caveat: on Linux, PR_SET_PDEATHSIG fires when the *thread* that
// forked the child exits, not when the parent process exits. A Go program
// forks on whatever OS thread the calling goroutine happens to run on, and
// the runtime may retire that thread while the process lives on (notably when
// a goroutine that locked its thread returns without unlocking it). The child
// would then get SIGKILL at a random moment. To rule that out, every child is
// forked from one goroutine that called runtime.LockOSThread and keeps
// running until stop() — i.e. until Close has terminated and reaped every
// child. If the whole Go process dies (test timeout panic, SIGKILL, Ctrl-C)
// the thread dies with it and the kernel SIGKILLs the children: nothing is
// left running. Only direct children get the signal; their own children (none
// for java or node here) are reached through the process group by Close.
type launcher struct {
	reqs chan launchReq
	quit chan struct{}
	done chan struct{}
	once sync.Once
}

type launchReq struct {
	cmd  *exec.Cmd
	errc chan error
}

func newLauncher() *launcher {
	l := &launcher{
		reqs: make(chan launchReq),
		quit: make(chan struct{}),
		done: make(chan struct{}),
	}
	go func() {
		// Never unlocked on purpose: when this goroutine returns (after
		// stop), the runtime terminates the thread, which SIGKILLs any
		// direct child still alive at that point. By then Close has
		// already reaped them, so this is only a backstop.
		runtime.LockOSThread()
		defer close(l.done)
		for {
			select {
			case r := <-l.reqs:
				r.errc <- r.cmd.Start()
			case <-l.quit:
				return
			}
		}
	}()
	return l
}

// start forks cmd from the launcher's locked thread, in its own process
// group and with SIGKILL as parent-death signal.
func (l *launcher) start(cmd *exec.Cmd) error {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	r := launchReq{cmd: cmd, errc: make(chan error, 1)}
	select {
	case l.reqs <- r:
		return <-r.errc
	case <-l.done:
		return errors.New("process launcher already stopped")
	}
}

func (l *launcher) stop() {
	l.once.Do(func() { close(l.quit) })
	<-l.done
}

// proc is one running emulator (or setup script) process.
type proc struct {
	name string
	cmd  *exec.Cmd
	out  *tailBuffer
	done chan struct{} // closed once cmd.Wait has returned
	err  error         // cmd.Wait's result; read only after done is closed
}

// startProc starts cmd through l, sending its stdout and stderr to a tail
// buffer (for error messages) and to log (if non-nil), each line prefixed
// with "[name] ".
func startProc(l *launcher, name string, cmd *exec.Cmd, log io.Writer) (*proc, error) {
	p := &proc{name: name, cmd: cmd, out: newTailBuffer(8 << 10), done: make(chan struct{})}
	var w io.Writer = p.out
	if log != nil {
		w = io.MultiWriter(p.out, newPrefixWriter(log, "["+name+"] "))
	}
	cmd.Stdout = w
	cmd.Stderr = w
	// Don't let a grandchild holding the output pipe open block Wait forever.
	cmd.WaitDelay = 2 * time.Second
	if err := l.start(cmd); err != nil {
		return nil, err
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// exitError describes an early exit, with the process's last output.
func (p *proc) exitError() error {
	msg := "exited"
	if p.err != nil {
		msg = p.err.Error()
	}
	return fmt.Errorf("%s process %d %s before it was ready; last output:\n%s",
		p.name, p.pid(), msg, indent(p.out.String()))
}

// stop sends SIGTERM to the process group, waits up to grace for the leader
// to exit, then SIGKILLs the group. It returns once the leader is reaped.
func (p *proc) stop(grace time.Duration) error {
	pgid := p.pid() // Setpgid: the leader's PID is the group ID
	if !p.exited() {
		if err := syscall.Kill(-pgid, syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
			return fmt.Errorf("stop %s (pid %d): SIGTERM: %w", p.name, pgid, err)
		}
	}
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-p.done:
	case <-t.C:
		if err := syscall.Kill(-pgid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
			return fmt.Errorf("stop %s (pid %d): SIGKILL: %w", p.name, pgid, err)
		}
		select {
		case <-p.done:
		case <-time.After(grace):
			return fmt.Errorf("stop %s (pid %d): still running after SIGKILL", p.name, pgid)
		}
	}
	// Sweep anything else left in the group (e.g. a grandchild that ignored
	// SIGTERM). The group ID cannot have been recycled this soon.
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	return nil
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func newTailBuffer(max int) *tailBuffer { return &tailBuffer{max: max} }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := strings.TrimRight(string(t.buf), "\n")
	if s == "" {
		return "(no output)"
	}
	return s
}

// logMu serialises writes to Options.Log from all emulator processes.
var logMu sync.Mutex

// prefixWriter writes complete lines to w, each prefixed with prefix.
type prefixWriter struct {
	w       io.Writer
	prefix  []byte
	partial []byte
	mu      sync.Mutex
}

func newPrefixWriter(w io.Writer, prefix string) *prefixWriter {
	return &prefixWriter{w: w, prefix: []byte(prefix)}
}

func (pw *prefixWriter) Write(p []byte) (int, error) {
	pw.mu.Lock()
	defer pw.mu.Unlock()
	pw.partial = append(pw.partial, p...)
	var out []byte
	for {
		i := bytes.IndexByte(pw.partial, '\n')
		if i < 0 {
			break
		}
		out = append(out, pw.prefix...)
		out = append(out, pw.partial[:i+1]...)
		pw.partial = pw.partial[i+1:]
	}
	if len(pw.partial) > 4<<10 { // flush over-long lines
		out = append(out, pw.prefix...)
		out = append(out, pw.partial...)
		out = append(out, '\n')
		pw.partial = nil
	}
	if len(out) > 0 {
		logMu.Lock()
		_, _ = pw.w.Write(out) // a failing log sink must not break the emulator's pipe
		logMu.Unlock()
	}
	return len(p), nil
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}
