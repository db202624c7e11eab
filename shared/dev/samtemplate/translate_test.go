package samtemplate_test

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/carecoach/carecoach/shared/dev/samtemplate"
)

// translated is template.yaml as SAM deploys it, translated once per run.
var translated = sync.OnceValues(func() (string, error) {
	b, err := samtemplate.Translate(root)
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "samtemplate-")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "translated.json")
	return path, os.WriteFile(path, b, 0o644)
})

func translatedCFN(t *testing.T) (string, *samtemplate.CFN) {
	t.Helper()
	path, err := translated()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cfn, err := samtemplate.ParseCFN(b)
	if err != nil {
		t.Fatal(err)
	}
	return path, cfn
}

// informational lists the informational cfn-lint findings that may stay,
// by rule and resource, each with the reason. Warnings and errors may not.
var informational = map[string]string{}

func TestTheTemplateAndItsTranslationLintClean(t *testing.T) {
	path, _ := translatedCFN(t)
	findings, err := samtemplate.Lint(filepath.Join(root, "template.yaml"), path)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]bool{}
	for _, f := range findings {
		files[filepath.Base(f.File)] = true
		if f.Level == "Informational" {
			if why, ok := informational[f.Rule+" "+f.Resource]; ok {
				t.Logf("allowed: %s (%s)", f, why)
				continue
			}
		}
		t.Errorf("%s", f)
	}
	if t.Failed() {
		t.Log("informational findings may stay only when listed, with the reason, in `informational`; warnings and errors never")
	}
}

// TestTheLintCheckSeesFindings makes sure a finding would be reported: an
// unprotected table is informational I3011.
func TestTheLintCheckSeesFindings(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte(`AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{ AttributeName: pk, AttributeType: S }]
      KeySchema: [{ AttributeName: pk, KeyType: HASH }]
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      MessageRetentionPeriod: 99999999
`), 0o644); err != nil {
		t.Fatal(err)
	}
	findings, err := samtemplate.Lint(bad)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range findings {
		got = append(got, f.Level+" "+f.Rule+" "+f.Resource)
	}
	for _, want := range []string{"Informational I3011 Table", "Error E3034 Queue"} {
		if !slices.Contains(got, want) {
			t.Errorf("cfn-lint findings %q lack %q", got, want)
		}
	}
}

// TestEachRoleAllowsExactlyWhatItsFunctionCalls compares, per function,
// the AWS actions its code can call (samtemplate.AWSCalls: the calls its
// main reaches in this module's adapters) and what Lambda itself needs for
// its triggers (samtemplate.PlatformNeeds) with what the translated role
// allows. Nothing may be missing; nothing in the function's own policies
// may be unused. Managed policies that SAM attaches count only as a whole.
func TestEachRoleAllowsExactlyWhatItsFunctionCalls(t *testing.T) {
	tmpl, mf := template(t), makefile(t)
	_, cfn := translatedCFN(t)
	var mains []string
	pkgOf := map[string]string{}
	for _, f := range tmpl.Functions() {
		_, _, name := mf.BuildTarget(f.ID)
		if name == "" {
			t.Fatalf("no Makefile target builds %s", f.ID)
		}
		pkgOf[f.ID] = samtemplate.ModulePath + "/functions/" + name
		mains = append(mains, "./functions/"+name)
	}
	calls, err := samtemplate.AWSCalls(root, mains...)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range tmpl.Functions() {
		t.Run(f.ID, func(t *testing.T) {
			role, err := cfn.FunctionRole(f.ID)
			if err != nil {
				t.Fatal(err)
			}
			needs, err := cfn.PlatformNeeds(f.ID)
			if err != nil {
				t.Fatal(err)
			}
			code := calls[pkgOf[f.ID]]
			if len(code) == 0 {
				t.Fatalf("found no AWS call in %s: is the analysis broken?", pkgOf[f.ID])
			}
			needed := map[string]bool{}
			for _, c := range code {
				needed[c.Action] = true
				if !role.Allows(c.Action, "") {
					t.Errorf("%s calls %s (from %s), but %s does not allow it", pkgOf[f.ID], c.Action, strings.Join(shortNames(c.From), ", "), role.ID)
				}
				for _, a := range samtemplate.ImpliedActions[c.Action] {
					needed[a] = true
					if !role.Allows(a, "") {
						t.Errorf("%s calls %s, which needs %s too, but %s does not allow it", pkgOf[f.ID], c.Action, a, role.ID)
					}
				}
			}
			for _, n := range needs {
				needed[n.Action] = true
				if !role.Allows(n.Action, n.Resource) {
					on := ""
					if n.Resource != "" {
						on = " on " + n.Resource
					}
					t.Errorf("%s: %s, so its role %s must allow %s%s; it does not", f.ID, n.Why, role.ID, n.Action, on)
				}
			}
			for _, a := range role.Inline() {
				if !needed[a] {
					t.Errorf("%s allows %s, which neither %s's code nor Lambda calls for it: remove it (least privilege)", role.ID, a, f.ID)
				}
			}
			var summary []string
			for a := range needed {
				summary = append(summary, a)
			}
			sort.Strings(summary)
			t.Logf("%s needs %s", f.ID, strings.Join(summary, " "))
		})
	}
}

func shortNames(fns []string) []string {
	var out []string
	for _, f := range fns {
		out = append(out, strings.ReplaceAll(f, samtemplate.ModulePath+"/", ""))
	}
	return out
}

func TestAWSCallsFindsEveryKindOfCall(t *testing.T) {
	const dir = "./shared/dev/samtemplate/testdata/awscalls/"
	calls, err := samtemplate.AWSCalls(root, dir+"good")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range calls[samtemplate.ModulePath+"/shared/dev/samtemplate/testdata/awscalls/good"] {
		got = append(got, c.Action)
	}
	// GetItem through a func value, PutItem through an interface, the SSM
	// call through awsjson; not DeleteItem, which nothing calls.
	if want := []string{"dynamodb:GetItem", "dynamodb:PutItem", "ssm:GetParameter"}; !slices.Equal(got, want) {
		t.Errorf("calls %q, want %q", got, want)
	}
	for _, tc := range []struct{ pkg, want string }{
		{"dyntarget", "not a constant"},
		{"signer", "not in samtemplate.SignedRequests"},
	} {
		_, err := samtemplate.AWSCalls(root, dir+tc.pkg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want one saying %q", tc.pkg, err, tc.want)
		}
	}
}
