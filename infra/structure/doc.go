// Package structure holds the tests that keep the repository's shape
// honest: the domain core imports nothing but the standard library and
// itself, no Lambda binary links a test or dev package or a template
// engine (text/template, html/template), every relative
// link in the documents resolves inside the repository, and the README
// stays short enough to read.
package structure
