package structure

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const root = "../.."

// maxReadme is what a newcomer reads before their first command; the
// rest lives next to the code it describes.
const maxReadme = 15 << 10

var (
	link = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	// code is an inline code span or a fenced block: text, not links.
	code = regexp.MustCompile("(?s)```.*?```|`[^`\n]*`")
)

// docs are the repository's Markdown files, outside dependencies and output.
func docs(t *testing.T) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "build" || d.Name() == ".local" || d.Name() == ".git") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".md") {
			out = append(out, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 10 {
		t.Fatalf("found %d documents; the walk is broken", len(out))
	}
	return out
}

func TestEveryRelativeLinkResolvesInsideTheRepository(t *testing.T) {
	abs, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range docs(t) {
		text, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(code.ReplaceAllString(string(text), ""), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "#") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			target, _, _ = strings.Cut(target, "#")
			path, err := filepath.Abs(filepath.Join(filepath.Dir(doc), target))
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(root, doc)
			if !strings.HasPrefix(path, abs+string(filepath.Separator)) {
				t.Errorf("%s links %s, outside the repository", rel, m[1])
				continue
			}
			if _, err := os.Stat(path); err != nil {
				t.Errorf("%s links %s, which does not exist", rel, m[1])
			}
		}
	}
}

func TestTheREADMEIsShortEnoughToRead(t *testing.T) {
	info, err := os.Stat(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Size() > maxReadme {
		t.Errorf("README.md is %d bytes, over %d: move detail next to the code it describes", info.Size(), maxReadme)
	}
}

// Every module go.mod requires directly is in the README's dependency
// table, with why it is there (a submodule of a listed module, such as
// the SDK's service/dynamodb, may be named by its path under it).
func TestEveryDirectDependencyIsExplainedInTheREADME(t *testing.T) {
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, deps, _ := strings.Cut(string(readme), "## Dependencies and why")
	var required []string
	inBlock := false
	for _, line := range strings.Split(string(gomod), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "require (":
			inBlock = true
		case line == ")":
			inBlock = false
		case inBlock && line != "" && !strings.Contains(line, "// indirect"):
			required = append(required, strings.Fields(line)[0])
		}
	}
	if len(required) < 5 {
		t.Fatalf("found %d direct requirements in go.mod: the reading is broken", len(required))
	}
	for _, mod := range required {
		named := strings.Contains(deps, "`"+mod+"`")
		for _, parent := range required {
			if sub, ok := strings.CutPrefix(mod, parent+"/"); ok && strings.Contains(deps, "`"+sub+"`") {
				named = true
			}
		}
		if !named {
			t.Errorf("go.mod requires %s, but the README's \"Dependencies and why\" does not say why", mod)
		}
	}
}
