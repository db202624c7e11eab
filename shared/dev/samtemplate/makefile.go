package samtemplate

import (
	"bufio"
	"bytes"
	"regexp"
	"strings"
)

// Makefile is a parsed Makefile: its simple variables and its rules.
type Makefile struct {
	Vars    map[string]string
	Recipes map[string][]string // target -> recipe lines, unexpanded
}

var (
	makeVar    = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)\s*(:=|\?=|=)\s*(.*)$`)
	makeTarget = regexp.MustCompile(`^([A-Za-z0-9_.%/\-]+)\s*:([^=]|$)`)
	makeRef    = regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_]*)\)`)
)

// ParseMakefile reads variables (NAME := value) and rules (target: ...
// followed by tab-indented recipe lines). It is enough for this project's
// Makefile, not for make in general.
func ParseMakefile(b []byte) Makefile {
	mf := Makefile{Vars: map[string]string{}, Recipes: map[string][]string{}}
	var current []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "\t") {
			for _, tgt := range current {
				mf.Recipes[tgt] = append(mf.Recipes[tgt], strings.TrimSpace(line))
			}
			continue
		}
		current = nil
		if strings.HasPrefix(strings.TrimSpace(line), "#") || strings.TrimSpace(line) == "" {
			continue
		}
		if m := makeVar.FindStringSubmatch(line); m != nil {
			if _, set := mf.Vars[m[1]]; !(set && m[2] == "?=") {
				mf.Vars[m[1]] = strings.TrimSpace(m[3])
			}
			continue
		}
		if m := makeTarget.FindStringSubmatch(line); m != nil {
			current = []string{m[1]}
			mf.Recipes[m[1]] = []string{}
		}
	}
	return mf
}

// Expand replaces $(VAR) with the Makefile's variables, recursively; other
// references (e.g. $(ARTIFACTS_DIR), set by SAM) stay as they are.
func (mf Makefile) Expand(s string) string {
	for range 10 {
		next := makeRef.ReplaceAllStringFunc(s, func(m string) string {
			if v, ok := mf.Vars[m[2:len(m)-1]]; ok {
				return v
			}
			return m
		})
		if next == s {
			break
		}
		s = next
	}
	return s
}

var functionPackage = regexp.MustCompile(`(?:^|\s)\./functions/([A-Za-z0-9_-]+)(?:\s|$)`)

// BuildTarget returns the target SAM calls to build a function
// (build-<LogicalId>, for BuildMethod: makefile), its recipe with the
// Makefile's variables expanded, and the name of the functions/<name>
// package the recipe go-builds ("" if none).
func (mf Makefile) BuildTarget(logicalID string) (target string, recipe []string, name string) {
	target = "build-" + logicalID
	for _, line := range mf.Recipes[target] {
		line = mf.Expand(line)
		recipe = append(recipe, line)
		if m := functionPackage.FindStringSubmatch(line); m != nil && strings.Contains(line, "go build") {
			name = m[1]
		}
	}
	return target, recipe, name
}
