// Package teamconfig reads a team's YAML configuration file and validates it
// with errors that name the field and the reason.
package teamconfig

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"go.yaml.in/yaml/v3"

	"github.com/carecoach/carecoach/shared/core/care"
)

// Parse reads one team from YAML. Unknown fields are errors (a typo must not
// silently fall back to a default).
func Parse(data []byte) (care.Team, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var t care.Team
	if err := dec.Decode(&t); err != nil {
		if errors.Is(err, io.EOF) {
			return care.Team{}, fmt.Errorf("team config is empty")
		}
		return care.Team{}, fmt.Errorf("team config: %w", err)
	}
	if err := t.Validate(); err != nil {
		return care.Team{}, fmt.Errorf("team config %q is invalid:\n%w", t.ID, err)
	}
	return t, nil
}

// Load reads and parses a team file.
func Load(path string) (care.Team, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return care.Team{}, fmt.Errorf("read team config: %w", err)
	}
	t, err := Parse(data)
	if err != nil {
		return care.Team{}, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}
