package casus

import (
	"errors"
	"fmt"
)

// Application error codes. They are stable: clients switch on them, and the
// GraphQL layer maps them once to extensions.code.
const (
	EINVALID         = "INVALID"
	ENOTFOUND        = "NOT_FOUND"
	EFORBIDDEN       = "FORBIDDEN"
	ECONFLICT        = "CONFLICT"
	EUNAUTHENTICATED = "UNAUTHENTICATED"
	EINTERNAL        = "INTERNAL"
	// EUNAVAILABLE says the database cannot be reached: nothing was done,
	// and the same request may be sent again shortly.
	EUNAVAILABLE = "UNAVAILABLE"
	// ESLOWCONSUMER ends a subscription that fell too far behind the
	// events; the client resumes after the cursor the error carries.
	ESLOWCONSUMER = "SLOW_CONSUMER"
)

// Error is an error a caller can act on: a code from the list above, a message
// safe to show to the user, and for INVALID the input field it is about.
// Any other error is an internal one and its text is never shown.
type Error struct {
	Code    string
	Message string
	Field   string // the input field, as a path like "input.summary"; may be empty
}

// Error returns the message with its code.
func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("casus: %s: %s: %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("casus: %s: %s", e.Code, e.Message)
}

// Errorf returns an application error with code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an INVALID error about one input field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of an application error anywhere in err's chain,
// INTERNAL for any other error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of an application error in err's chain, and
// "internal error" for any other error, so that internals never reach a client.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// ErrorField returns the input field an application error is about, if any.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
