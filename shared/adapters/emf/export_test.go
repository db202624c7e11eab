package emf

import "io"

// SetStderr redirects the handler wrappers' flush errors to w until restore.
func SetStderr(w io.Writer) (restore func()) {
	old := stderr
	stderr = w
	return func() { stderr = old }
}
