package emailtext

import (
	"regexp"
	"sync"
)

// pattern is a regular expression compiled on first use. The reader's
// patterns take about a millisecond and most of a megabyte to compile, and
// every function that links the reader (ingest and process, through the
// help desk adapters) would pay it at init although most invocations never
// read an email.
type pattern struct {
	compile func() *regexp.Regexp
}

func lazy(expr string) *pattern {
	return &pattern{compile: sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })}
}

func (p *pattern) MatchString(s string) bool { return p.compile().MatchString(s) }

func (p *pattern) FindStringSubmatch(s string) []string { return p.compile().FindStringSubmatch(s) }

func (p *pattern) ReplaceAllString(s, repl string) string {
	return p.compile().ReplaceAllString(s, repl)
}
