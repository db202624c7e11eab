package structure

import (
	"encoding/json"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/carecoach/carecoach/"

// core is the pure domain: functions of (state, event, now). It may import
// the standard library and itself, nothing else: no AWS, no adapter, no
// third-party code whose behaviour a test would have to fake.
var core = []string{"shared/care", "shared/playbook", "shared/digest", "shared/grammar", "shared/emailtext", "shared/scorecard", "shared/replytoken", "shared/dashtoken"}

// devOnly are the dev server, the emulators and the test kits: what runs
// on a laptop or in CI must never ship in a Lambda.
var devOnly = []string{"shared/devserver", "shared/localstack", "shared/localsched", "shared/lambdatest", "shared/samtemplate",
	"shared/goldenfile", "shared/dynamo/dynamotest", "shared/dynamo/dynamotable", "shared/ddbproxy", "shared/resilience", "shared/zendesk/zendesktest", "infra/"}

type pkg struct {
	ImportPath string
	Imports    []string
	Standard   bool
}

func list(t *testing.T, args ...string) []pkg {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-json"}, args...)...)
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %v: %v", args, err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func standard(t *testing.T) map[string]bool {
	t.Helper()
	std := map[string]bool{}
	for _, p := range list(t, "std") {
		std[p.ImportPath] = true
	}
	return std
}

func TestTheCoreImportsOnlyTheStandardLibraryAndItself(t *testing.T) {
	std := standard(t)
	var paths []string
	for _, c := range core {
		paths = append(paths, "./"+c)
	}
	for _, p := range list(t, paths...) {
		for _, imp := range p.Imports {
			inCore := slices.ContainsFunc(core, func(c string) bool { return imp == module+c })
			if !std[imp] && !inCore {
				t.Errorf("%s imports %s: the core may import only the standard library and the core", strings.TrimPrefix(p.ImportPath, module), imp)
			}
		}
	}
}

func TestNoLambdaLinksATestOrDevPackage(t *testing.T) {
	functions := list(t, "./functions/...")
	if len(functions) < 5 {
		t.Fatalf("found %d functions", len(functions))
	}
	for _, fn := range functions {
		for _, dep := range list(t, "-deps", fn.ImportPath) {
			name := strings.TrimPrefix(dep.ImportPath, module)
			dev := slices.ContainsFunc(devOnly, func(d string) bool { return name == d || strings.HasSuffix(d, "/") && strings.HasPrefix(name, d) })
			if dev || dep.ImportPath == "testing" || dep.ImportPath == "net/http/httptest" {
				t.Errorf("%s links %s", strings.TrimPrefix(fn.ImportPath, module), dep.ImportPath)
			}
		}
	}
}
