package samtemplate

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// EnvRead is an environment variable a function's code reads.
type EnvRead struct {
	Name string
	// Required: read with awslambda.Env (missing fails start-up);
	// otherwise read with os.Getenv or os.LookupEnv.
	Required bool
	Pos      token.Position
}

// AWSLambdaPath is the import path of the package whose Env reads required
// variables.
const AWSLambdaPath = "github.com/carecoach/carecoach/shared/adapters/awslambda"

// EnvReads finds the environment variables read by the Go files of dir
// (tests excluded): string literal arguments of awslambda.Env (required)
// and of os.Getenv / os.LookupEnv (optional). A call whose argument is not
// a string literal is an error, since it cannot be checked.
func EnvReads(dir string) ([]EnvRead, error) {
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	var out []EnvRead
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		names := map[string]string{} // local package name -> import path
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			local := p[strings.LastIndex(p, "/")+1:]
			if imp.Name != nil {
				local = imp.Name.Name
			}
			names[local] = p
		}
		var bad error
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			pkg, ok := sel.X.(*ast.Ident)
			if !ok {
				return true
			}
			var required bool
			switch {
			case names[pkg.Name] == AWSLambdaPath && sel.Sel.Name == "Env":
				required = true
			case names[pkg.Name] == "os" && (sel.Sel.Name == "Getenv" || sel.Sel.Name == "LookupEnv"):
			default:
				return true
			}
			for _, a := range call.Args {
				lit, ok := a.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					if bad == nil {
						bad = fmt.Errorf("%s: %s.%s with a non-literal argument cannot be checked", fset.Position(a.Pos()), pkg.Name, sel.Sel.Name)
					}
					continue
				}
				name, _ := strconv.Unquote(lit.Value)
				out = append(out, EnvRead{Name: name, Required: required, Pos: fset.Position(lit.Pos())})
			}
			return true
		})
		if bad != nil {
			return nil, bad
		}
	}
	return out, nil
}

// SetByLambda says whether Lambda itself sets the variable (AWS_REGION,
// AWS_LAMBDA_FUNCTION_NAME, _HANDLER, LAMBDA_TASK_ROOT, TZ, ...), so the
// template need not.
func SetByLambda(name string) bool {
	return strings.HasPrefix(name, "AWS_") || strings.HasPrefix(name, "_") || strings.HasPrefix(name, "LAMBDA_") || name == "TZ"
}
