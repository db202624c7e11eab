package structure

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/carecoach/carecoach/"

// The layers of shared/, and what each may import besides the standard
// library. Adapters and functions may import anything but the dev kits.
var layers = []struct {
	name    string
	pattern string
	may     []string // import path prefixes, after the module path
	why     string
}{
	{"core", "./shared/core/...", []string{"shared/core/"},
		"the domain is pure: functions of (state, event, now), tested without fakes"},
	{"ui", "./shared/ui/...", []string{"shared/core/", "shared/ui/htmlesc"},
		"emails and the page render the core's types and nothing else, escaped by one package"},
	{"app", "./shared/app/...", []string{"shared/core/", "shared/ui/", "shared/adapters/emf", "golang.org/x/sync/"},
		"services use ports they declare; emf is the one exception: its counters ride the context and it links no AWS code"},
	{"wire", "./shared/wire/...", []string{"shared/core/", "shared/app", "shared/adapters/zendesk", "shared/adapters/freshdesk", "shared/adapters/apihistory", "shared/adapters/helpdeskapi"},
		"every function links wire, so it imports only the light adapters every caller shares and takes the rest (AWS clients, the MIME reader) as arguments"},
}

type pkg struct {
	ImportPath string
	Imports    []string
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

func TestEachLayerImportsOnlyWhatItMay(t *testing.T) {
	std := standard(t)
	for _, l := range layers {
		pkgs := list(t, l.pattern)
		if len(pkgs) == 0 {
			t.Fatalf("layer %s has no packages", l.name)
		}
		for _, p := range pkgs {
			for _, imp := range p.Imports {
				rel := strings.TrimPrefix(imp, module)
				ok := std[imp]
				for _, prefix := range l.may {
					ok = ok || strings.HasPrefix(rel, prefix) || strings.HasPrefix(imp, prefix)
				}
				if !ok {
					t.Errorf("%s imports %s: the %s layer may import only the standard library and %v (%s)", strings.TrimPrefix(p.ImportPath, module), imp, l.name, l.may, l.why)
				}
			}
		}
	}
}

// dev is the dev server, the emulators' starter and the test kits.
func dev(path string) bool {
	rel := strings.TrimPrefix(path, module)
	return strings.HasPrefix(rel, "shared/dev/") || strings.HasPrefix(rel, "infra/")
}

func TestOnlyToolsAndTestsUseTheDevKits(t *testing.T) {
	for _, p := range list(t, "./shared/...", "./functions/...") {
		if dev(p.ImportPath) {
			continue
		}
		for _, imp := range p.Imports {
			if dev(imp) {
				t.Errorf("%s imports %s, a dev or test package", strings.TrimPrefix(p.ImportPath, module), strings.TrimPrefix(imp, module))
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
			if dev(dep.ImportPath) || dep.ImportPath == "testing" || dep.ImportPath == "net/http/httptest" {
				t.Errorf("%s links %s", strings.TrimPrefix(fn.ImportPath, module), dep.ImportPath)
			}
		}
	}
}

// A binary that executes a template keeps every exported method of every
// type it links (the engine looks methods up by name), megabytes per
// function: emails and the dashboard are written by plain Go code
// (shared/ui/mail/README.md), and no function may link a template package.
func TestNoLambdaLinksATemplateEngine(t *testing.T) {
	functions := list(t, "./functions/...")
	if len(functions) < 5 {
		t.Fatalf("found %d functions", len(functions))
	}
	for _, fn := range functions {
		for _, dep := range list(t, "-deps", "-tags", "lambda.norpc", fn.ImportPath) {
			if dep.ImportPath == "text/template" || dep.ImportPath == "html/template" {
				t.Errorf("%s links %s; write the output with plain Go code instead (see shared/ui/mail/README.md)", strings.TrimPrefix(fn.ImportPath, module), dep.ImportPath)
			}
		}
	}
}

// html2text (HTML to text) and the table renderer it draws tables with
// (tablewriter) are 170 KB of the inbound Lambda, which must stay under
// 12 MiB: mimemail renders HTML itself (its tests hold it to html2text)
// and chooses the bodies from enmime's part tree instead of calling
// ReadEnvelope, the one caller of html2text in enmime. enmime's package
// still imports html2text, so go list -deps names it; what counts is the
// code the linker keeps, read here from each such function's symbols: at
// most html2text's and tablewriter's package initialisation (with the
// terminal-width detection tablewriter's runs), never html2text's renderer
// nor tablewriter's tables.
func TestNoLambdaLinksHTML2TextOrTablewriter(t *testing.T) {
	functions := list(t, "./functions/...")
	if len(functions) < 5 {
		t.Fatalf("found %d functions", len(functions))
	}
	checked := 0
	for _, fn := range functions {
		imports := false
		for _, dep := range list(t, "-deps", "-tags", "lambda.norpc", fn.ImportPath) {
			imports = imports || strings.HasPrefix(dep.ImportPath, "github.com/inbucket/html2text") || strings.HasPrefix(dep.ImportPath, "github.com/olekukonko/tablewriter")
		}
		if !imports {
			continue
		}
		checked++
		for _, sym := range linkedSymbols(t, fn.ImportPath) {
			name, _ := strings.CutPrefix(sym, "github.com/")
			initialisation := strings.HasSuffix(name, ".init") || strings.HasSuffix(name, "..inittask")
			switch {
			case strings.HasPrefix(name, "inbucket/html2text.") && !initialisation && !strings.HasSuffix(name, "Re"):
				t.Errorf("%s links %s: render HTML with mimemail's renderText", strings.TrimPrefix(fn.ImportPath, module), sym)
			case strings.HasPrefix(name, "olekukonko/tablewriter") && !strings.HasPrefix(name, "olekukonko/tablewriter/pkg/twwidth.") && !initialisation:
				t.Errorf("%s links %s (html2text's tables)", strings.TrimPrefix(fn.ImportPath, module), sym)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no function imports html2text any more: drop this test and its module (go mod tidy)")
	}
}

// linkedSymbols builds a function as the Makefile does (but for this
// machine and with its symbol table) and lists the names the linker kept
// of code and data.
func linkedSymbols(t *testing.T, pkg string) []string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "bootstrap")
	build := exec.Command("go", "build", "-tags", "lambda.norpc", "-trimpath", "-o", bin, pkg)
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	nm := exec.Command("go", "tool", "nm", bin)
	nm.Dir = root
	out, err := nm.Output()
	if err != nil {
		t.Fatalf("go tool nm %s: %v", pkg, err)
	}
	var names []string
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) >= 3 {
			names = append(names, strings.Join(f[2:], " "))
		}
	}
	if len(names) < 1000 {
		t.Fatalf("go tool nm listed %d symbols in %s", len(names), pkg)
	}
	return names
}

// The Lambda adapter (start-up and event sources) knows no storage layout
// and no other adapter but the metrics it records and the scheduler's
// payload it reads; the HTTP surface is plain net/http, which the dev
// server serves directly and awslambda serves from API Gateway events.
func TestTheLambdaAndHTTPAdaptersStayApart(t *testing.T) {
	rules := []struct {
		pkg       string
		forbidden func(rel string) bool
		why       string
	}{
		{"./shared/adapters/awslambda", func(rel string) bool {
			return strings.HasPrefix(rel, "shared/adapters/") && rel != "shared/adapters/emf" && rel != "shared/adapters/eventbridge/payload"
		}, "it takes what it needs (the stream's item decoder, the services) as arguments"},
		{"./shared/adapters/httpapi", func(rel string) bool {
			return strings.HasPrefix(rel, "github.com/aws/")
		}, "API Gateway events belong to awslambda"},
	}
	for _, r := range rules {
		for _, p := range list(t, r.pkg) {
			for _, imp := range p.Imports {
				if r.forbidden(strings.TrimPrefix(imp, module)) {
					t.Errorf("%s imports %s: %s", strings.TrimPrefix(p.ImportPath, module), strings.TrimPrefix(imp, module), r.why)
				}
			}
		}
	}
}

// services are the application services that shared/wire builds.
var services = map[string]bool{"Ingest": true, "Process": true, "Reconcile": true, "Fire": true, "Digests": true,
	"Climate": true, "Inbound": true, "Dashboards": true, "CachedConnections": true, "CountingMailer": true}

// TestServicesAreBuiltOnlyByWire finds app.<Service>{…} literals outside
// shared/app (whose own tests build the unit they test) and shared/wire:
// every main, the dev server, the bench and the tests use the same
// constructors, so what runs locally is what runs on Lambda.
func TestServicesAreBuiltOnlyByWire(t *testing.T) {
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() && rel != "." {
			if rel == filepath.Join("shared", "app") || rel == filepath.Join("shared", "wire") || strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			if sel, ok := lit.Type.(*ast.SelectorExpr); ok {
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == "app" && services[sel.Sel.Name] {
					t.Errorf("%s builds app.%s by hand: use shared/wire's constructor", rel, sel.Sel.Name)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
