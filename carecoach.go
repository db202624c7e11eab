// Package carecoach holds what the whole module shares at its root: the SAM
// template, embedded so that the local stack creates its table from the very
// definition that is deployed (one source of truth).
package carecoach

import _ "embed"

// Template is the contents of template.yaml.
//
//go:embed template.yaml
var Template []byte
