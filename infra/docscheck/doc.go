// Package docscheck holds the tests that keep the repository's documents
// true to the tree: every relative link resolves inside the repository,
// nothing points outside it, and the README stays short enough to read.
package docscheck
