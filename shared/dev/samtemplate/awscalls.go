package samtemplate

import (
	"fmt"
	"go/constant"
	"go/types"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/callgraph"
	"golang.org/x/tools/go/callgraph/rta"
	"golang.org/x/tools/go/callgraph/vta"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"
)

// ModulePath is this module's import path: only calls made by its own
// packages count as the code's AWS calls (the SDK's internals do not).
const ModulePath = "github.com/carecoach/carecoach"

// sdkServices maps an AWS SDK for Go v2 service package to its IAM action
// prefix. An SDK operation Op of package service/<name> is the IAM action
// <prefix>:Op for every service the project uses.
var sdkServices = map[string]string{
	"dynamodb":  "dynamodb",
	"sesv2":     "ses",
	"scheduler": "scheduler",
	"s3":        "s3",
	"ssm":       "ssm",
	"sqs":       "sqs",
}

// jsonTargets maps the X-Amz-Target prefix of an AWS JSON protocol call
// made with package awsjson to its IAM action prefix.
var jsonTargets = map[string]string{
	"AmazonSSM": "ssm",
}

// SignedRequests are the project's hand-made AWS requests (signed with the
// SDK's SigV4 signer rather than sent by an SDK client), by the function
// that signs them, with the IAM action each one is. awsjson.Client.Call is
// not here: its action is its X-Amz-Target argument. A function that signs
// a request and is in neither place is an error, so a new hand-made call
// cannot go unseen.
var SignedRequests = map[string]string{
	"(github.com/carecoach/carecoach/shared/adapters/s3object.Getter).Get": "s3:GetObject",
}

const awsjsonCall = "(github.com/carecoach/carecoach/shared/adapters/awsjson.Client).Call"

// ImpliedActions are IAM actions that an AWS call needs besides its own:
// creating a schedule passes its execution role to EventBridge Scheduler.
var ImpliedActions = map[string][]string{
	"scheduler:CreateSchedule": {"iam:PassRole"},
}

// Call is one AWS API action that a program's code can call, with the
// places that call it.
type Call struct {
	Action string   // IAM action, e.g. dynamodb:PutItem
	From   []string // the project functions that make the call
}

// AWSCalls lists, for each main package (import paths, e.g.
// github.com/carecoach/carecoach/functions/ingest), the AWS API actions its
// code can call. It loads the programs from source, builds SSA, and follows
// the calls from main and the package initializers (rapid type analysis:
// an interface call reaches the methods of every type the program converts
// to that interface; a call of a func value, every function whose value is
// taken with that signature). In every function of this module it reaches,
// it classifies the call sites:
//   - a call whose arguments are (context.Context, *<service>.<Op>Input, ...)
//     for an SDK service package (static, through an interface or a func
//     value such as a method value kept in a struct) is the action
//     <service>:<Op>;
//   - awsjson.Client.Call with a constant X-Amz-Target "AmazonSSM.Op" is ssm:Op;
//   - a function that signs a request itself is looked up in SignedRequests.
//
// Reflection is not followed: no AWS call is made through it here.
func AWSCalls(dir string, mains ...string) (map[string][]Call, error) {
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Dir: dir, Tests: false}
	pkgs, err := packages.Load(cfg, mains...)
	if err != nil {
		return nil, fmt.Errorf("load %v: %w", mains, err)
	}
	var loadErrs []string
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			loadErrs = append(loadErrs, e.Error())
		}
	})
	if len(loadErrs) > 0 {
		return nil, fmt.Errorf("load %v: %s", mains, strings.Join(loadErrs, "; "))
	}
	prog, ssaPkgs := ssautil.AllPackages(pkgs, ssa.InstantiateGenerics)
	prog.Build()

	out := map[string][]Call{}
	for i, p := range pkgs {
		sp := ssaPkgs[i]
		if sp == nil || p.Name != "main" {
			return nil, fmt.Errorf("%s is not a main package", p.PkgPath)
		}
		roots := []*ssa.Function{sp.Func("main"), sp.Func("init")}
		handlers, err := lambdaHandlers(sp.Func("main"))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.PkgPath, err)
		}
		roots = append(roots, handlers...)
		res := rta.Analyze(roots, true)
		funcs := map[*ssa.Function]bool{}
		for f := range res.Reachable {
			funcs[f] = true
		}
		graph := vta.CallGraph(funcs, res.CallGraph)
		calls := map[string]map[string]bool{}
		var problems []string
		for _, fn := range reachable(graph, roots) {
			if pkg := pkgOf(fn); pkg == nil || !inModule(pkg.Path()) {
				continue
			}
			for action, p := range callsIn(fn) {
				if p != "" {
					problems = append(problems, p)
					continue
				}
				if calls[action] == nil {
					calls[action] = map[string]bool{}
				}
				calls[action][fn.String()] = true
			}
		}
		if len(problems) > 0 {
			sort.Strings(problems)
			return nil, fmt.Errorf("%s: %s", p.PkgPath, strings.Join(problems, "; "))
		}
		for action, from := range calls {
			out[p.PkgPath] = append(out[p.PkgPath], Call{Action: action, From: sortedKeys(from)})
		}
		sort.Slice(out[p.PkgPath], func(a, b int) bool { return out[p.PkgPath][a].Action < out[p.PkgPath][b].Action })
	}
	return out, nil
}

// pkgOf is the package whose code fn is. An instance of a generic function
// (the store's queryAll[T], say), and a closure inside one, has no package
// of its own: it is its origin's. Skipping instances would hide the AWS
// calls made inside generic code, and the role test would then ask to
// remove permissions the functions need.
func pkgOf(fn *ssa.Function) *types.Package {
	for f := fn; f != nil; f = f.Parent() {
		if f.Pkg != nil {
			return f.Pkg.Pkg
		}
		if o := f.Origin(); o != nil && o.Pkg != nil {
			return o.Pkg.Pkg
		}
	}
	return nil
}

func inModule(path string) bool {
	return path == ModulePath || strings.HasPrefix(path, ModulePath+"/")
}

// reachable walks the call graph from roots. (rta's own Reachable set also
// holds every exported method of every type converted to an interface, in
// case reflection calls it; the edges hold only real calls.)
func reachable(g *callgraph.Graph, roots []*ssa.Function) []*ssa.Function {
	seen := map[*ssa.Function]bool{}
	var queue []*ssa.Function
	for _, r := range roots {
		if r != nil && !seen[r] {
			seen[r] = true
			queue = append(queue, r)
		}
	}
	var out []*ssa.Function
	for len(queue) > 0 {
		fn := queue[0]
		queue = queue[1:]
		out = append(out, fn)
		n := g.Nodes[fn]
		if n == nil {
			continue
		}
		for _, e := range n.Out {
			if callee := e.Callee.Func; !seen[callee] {
				seen[callee] = true
				queue = append(queue, callee)
			}
		}
	}
	return out
}

// callsIn classifies the AWS calls in fn: action -> "" (or -> a problem
// description, keyed by a unique string).
func callsIn(fn *ssa.Function) map[string]string {
	out := map[string]string{}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ci, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			c := ci.Common()
			if action := sdkAction(c.Signature()); action != "" {
				out[action] = ""
				continue
			}
			callee := c.StaticCallee()
			if callee == nil {
				continue
			}
			switch name := callee.String(); {
			case name == awsjsonCall:
				action, problem := jsonAction(c)
				if problem != "" {
					out[fmt.Sprintf("%s: %s", fn, problem)] = fmt.Sprintf("%s: %s", fn, problem)
					continue
				}
				out[action] = ""
			case strings.HasSuffix(name, "/aws/signer/v4.Signer).SignHTTP"):
				if fn.String() == awsjsonCall {
					continue
				}
				action, ok := SignedRequests[fn.String()]
				if !ok {
					p := fmt.Sprintf("%s signs an AWS request itself but is not in samtemplate.SignedRequests, so its IAM action is unknown", fn)
					out[p] = p
					continue
				}
				out[action] = ""
			}
		}
	}
	return out
}

// sdkAction recognizes an SDK operation by its signature:
// func(context.Context, *<service>.<Op>Input, ...func(*<service>.Options)).
func sdkAction(sig *types.Signature) string {
	if sig == nil || sig.Params().Len() < 2 {
		return ""
	}
	ptr, ok := sig.Params().At(1).Type().(*types.Pointer)
	if !ok {
		return ""
	}
	named, ok := ptr.Elem().(*types.Named)
	if !ok || named.Obj().Pkg() == nil {
		return ""
	}
	path := named.Obj().Pkg().Path()
	svc, ok := strings.CutPrefix(path, "github.com/aws/aws-sdk-go-v2/service/")
	if !ok || strings.Contains(svc, "/") {
		return ""
	}
	op, ok := strings.CutSuffix(named.Obj().Name(), "Input")
	if !ok {
		return ""
	}
	prefix, ok := sdkServices[svc]
	if !ok {
		prefix = "unknown-service-" + svc
	}
	return prefix + ":" + op
}

// jsonAction reads the constant X-Amz-Target of an awsjson.Client.Call.
func jsonAction(c *ssa.CallCommon) (string, string) {
	// Args: receiver, ctx, target, in, out.
	if len(c.Args) < 3 {
		return "", "awsjson.Client.Call with too few arguments"
	}
	k, ok := c.Args[2].(*ssa.Const)
	if !ok || k.Value == nil || k.Value.Kind() != constant.String {
		return "", "awsjson.Client.Call with a target that is not a constant, so its IAM action is unknown"
	}
	target := constant.StringVal(k.Value)
	svc, op, ok := strings.Cut(target, ".")
	prefix, known := jsonTargets[svc]
	if !ok || !known {
		return "", fmt.Sprintf("awsjson target %q: its service is not in samtemplate's jsonTargets", target)
	}
	return prefix + ":" + op, ""
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// lambdaStart is the function that runs a Lambda handler. It calls the
// handler through reflection, which no call graph follows, so the handler
// passed to it is a root of the analysis.
const lambdaStart = "github.com/aws/aws-lambda-go/lambda.Start"

// lambdaHandlers finds the functions that main hands to lambda.Start: a
// function, a closure, or the closures made by the function whose result
// is handed over (a wrapper such as emf.Handler(rec, h)).
func lambdaHandlers(main *ssa.Function) ([]*ssa.Function, error) {
	var out []*ssa.Function
	for _, b := range main.Blocks {
		for _, instr := range b.Instrs {
			ci, ok := instr.(ssa.CallInstruction)
			if !ok || ci.Common().StaticCallee() == nil || ci.Common().StaticCallee().String() != lambdaStart {
				continue
			}
			v := ci.Common().Args[0]
			if mi, ok := v.(*ssa.MakeInterface); ok {
				v = mi.X
			}
			switch v := v.(type) {
			case *ssa.Function:
				out = append(out, v)
			case *ssa.MakeClosure:
				out = append(out, v.Fn.(*ssa.Function))
			case *ssa.Call:
				f := v.Common().StaticCallee()
				if f == nil || len(f.AnonFuncs) == 0 {
					return nil, fmt.Errorf("cannot tell which handler %s runs: its argument %s makes no closure", lambdaStart, v)
				}
				out = append(out, f.AnonFuncs...)
			default:
				return nil, fmt.Errorf("cannot tell which handler %s runs: its argument is %T %s", lambdaStart, v, v)
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("main does not call %s", lambdaStart)
	}
	return out, nil
}
