package structure

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// tracked lists the files git tracks, relative to the repository root.
func tracked(t *testing.T) []string {
	t.Helper()
	cmd := exec.Command("git", "ls-files", "-z")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	return strings.Split(strings.TrimRight(string(out), "\x00"), "\x00")
}

// Binaries, emulator data and installed packages are built or fetched,
// never committed: `go build ./functions/fire` at the root once left an
// 18 MB binary in the history.
func TestNothingBuiltOrFetchedIsTracked(t *testing.T) {
	const limit = 1 << 20
	for _, f := range tracked(t) {
		if strings.Contains(f, "node_modules/") {
			t.Errorf("%s is an installed package", f)
			continue
		}
		info, err := os.Stat(filepath.Join(root, f))
		if err != nil {
			continue // deleted in the work tree, not yet committed
		}
		if info.Size() > limit {
			t.Errorf("%s is %d bytes: nothing tracked here is over %d (a binary or data file?)", f, info.Size(), limit)
			continue
		}
		head := make([]byte, 4)
		if r, err := os.Open(filepath.Join(root, f)); err == nil {
			n, _ := r.Read(head)
			r.Close()
			if bytes.Equal(head[:n], []byte("\x7fELF")) {
				t.Errorf("%s is an executable", f)
			}
		}
	}
}

// The team's kit sits beside the repository (one level up, "shared"); the
// project stands alone, so no file of it may name that path, even where a
// link from a subdirectory would resolve inside the repository.
func TestNothingPointsAtTheTeamKit(t *testing.T) {
	for _, f := range tracked(t) {
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			continue
		}
		if i := bytes.Index(b, []byte("../"+"shared")); i >= 0 {
			line := 1 + bytes.Count(b[:i], []byte("\n"))
			t.Errorf("%s:%d names ../%s", f, line, "shared")
		}
	}
}
