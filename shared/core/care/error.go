package care

import (
	"errors"
	"fmt"
)

// Code classifies an error for the caller. Transports map codes to their own
// statuses in exactly one place (see package httpapi).
type Code string

// Error codes.
const (
	EInvalid      Code = "invalid"      // the input is malformed
	EUnauthorized Code = "unauthorized" // signature, secret or link missing, wrong or expired
	EForbidden    Code = "forbidden"    // a valid credential, but not for this
	ENotFound     Code = "not_found"    // the named thing does not exist
	ETooLarge     Code = "too_large"    // the input is over a size cap
	EUnsupported  Code = "unsupported"  // e.g. wrong content type
	EInternal     Code = "internal"     // our fault; details only in logs
	EConflict     Code = "conflict"     // a concurrent change won
	EMethod       Code = "method"       // the operation does not take this method
)

// Error is an error with a code and a message that is safe to show a caller.
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf builds an *Error whose message is safe to show a caller.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) Code {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EInternal
	}
}

// ErrorMessage returns the caller-safe message of err: the *Error message, or
// a generic one for internal errors so that details never leak.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EInternal {
		return e.Message
	}
	return "internal error"
}
