package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"runtime/debug"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/rs/zerolog"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"casusnet/internal/casus"
)

// presentError maps every error to a GraphQL error once, here: an application
// error keeps its message and carries its code (and field) in extensions; an
// error of the GraphQL layer itself (parse, validation, input coercion) is
// INVALID; anything else is logged with the request id and shown only as
// "internal error".
func presentError(dev bool) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gerr := present(ctx, err)
		if !dev && gerr.Extensions["code"] == casus.EINVALID {
			// Outside development the schema is not described to whoever
			// asks: no "Did you mean" for fields, arguments or types.
			gerr.Message = suggestion.ReplaceAllString(gerr.Message, "")
		}
		return gerr
	}
}

// suggestion matches the schema hints gqlparser appends to validation
// errors.
var suggestion = regexp.MustCompile(` Did you mean [^?]*\?`)

// present maps one error as presentError describes.
func present(ctx context.Context, err error) *gqlerror.Error {
	gerr := graphql.DefaultErrorPresenter(ctx, err)
	var appErr *casus.Error
	var plain *gqlerror.Error
	switch {
	case errors.As(err, &plain) && len(plain.Path) == 1 && (plain.Path[0] == ast.PathName("__schema") || plain.Path[0] == ast.PathName("__type")):
		gerr.Message = "introspection is available in development mode only"
		gerr.Extensions = map[string]any{"code": casus.EINVALID}
	case errors.As(err, &appErr):
		gerr.Message = appErr.Message
		gerr.Extensions = map[string]any{"code": appErr.Code}
		if appErr.Field != "" {
			gerr.Extensions["field"] = appErr.Field
		}
		if appErr.Code == casus.EINTERNAL {
			zerolog.Ctx(ctx).Error().Err(err).Msg("internal error")
			gerr.Message = "internal error"
		}
	case errors.As(err, &plain) && plain.Unwrap() == nil:
		// gqlgen's own error about the request: safe to show, but not the
		// body it could not decode.
		if msg, _, cut := strings.Cut(gerr.Message, " body:"); cut && strings.HasPrefix(msg, "json request body could not be decoded") {
			gerr.Message = "the request body must be one JSON object with a query (batches are not accepted)"
		}
		gerr.Extensions = map[string]any{"code": casus.EINVALID}
	default:
		zerolog.Ctx(ctx).Error().Err(err).Str("path", gerr.Path.String()).Msg("internal error")
		gerr.Message = "internal error"
		gerr.Extensions = map[string]any{"code": casus.EINTERNAL}
	}
	return gerr
}

// recoverPanic turns a resolver's panic into an internal error, logged with
// its stack, so that one bad request never takes the server down.
func recoverPanic(ctx context.Context, p any) error {
	zerolog.Ctx(ctx).Error().Str("panic", fmt.Sprint(p)).Bytes("stack", debug.Stack()).Msg("resolver panicked")
	return errors.New("panic in resolver")
}

// statusOf is the HTTP status of an application error code, for the
// endpoints that answer in plain HTTP (/report, /export, and whatever the
// server refuses before GraphQL runs); the GraphQL endpoint answers in its
// body. An outage is 503 everywhere, so that a client knows to retry.
func statusOf(code string) int {
	switch code {
	case casus.EINVALID:
		return http.StatusBadRequest
	case casus.EUNAUTHENTICATED:
		return http.StatusUnauthorized
	case casus.EFORBIDDEN:
		return http.StatusForbidden
	case casus.ENOTFOUND:
		return http.StatusNotFound
	case casus.ECONFLICT:
		return http.StatusConflict
	case casus.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	case codeRateLimited:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// writeAppError answers with err's code, message and HTTP status.
func writeAppError(w http.ResponseWriter, err error) {
	code := casus.ErrorCode(err)
	writeError(w, statusOf(code), code, casus.ErrorMessage(err))
}

// writeCode answers with code and message and the code's HTTP status.
func writeCode(w http.ResponseWriter, code, message string) {
	writeError(w, statusOf(code), code, message)
}
