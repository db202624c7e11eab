// Package events holds realistic sample payloads of every trigger the
// functions have, used by the tests, the local sender and `make demo`.
package events

import (
	"embed"
	"fmt"
)

//go:embed *.json
var files embed.FS

// Sample returns the payload events/<name>.json.
func Sample(name string) ([]byte, error) {
	b, err := files.ReadFile(name + ".json")
	if err != nil {
		return nil, fmt.Errorf("sample %s: %w", name, err)
	}
	return b, nil
}

// Names lists the samples, without the .json suffix.
func Names() []string {
	entries, _ := files.ReadDir(".")
	out := make([]string, 0, len(entries))
	for _, e := range entries {
		out = append(out, e.Name()[:len(e.Name())-len(".json")])
	}
	return out
}
