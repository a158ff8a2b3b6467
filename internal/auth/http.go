package auth

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"casusnet/internal/casus"
)

type identityKey struct{}

// WithIdentity returns a context that carries id and, through
// casus.WithActor, its actor. A nil id leaves ctx as it is.
func WithIdentity(ctx context.Context, id *Identity) context.Context {
	if id == nil {
		return ctx
	}
	return casus.WithActor(context.WithValue(ctx, identityKey{}, id), id.Actor)
}

// IdentityFrom returns the identity ctx carries, and whether it carries one.
func IdentityFrom(ctx context.Context) (*Identity, bool) {
	id, ok := ctx.Value(identityKey{}).(*Identity)
	return id, ok && id != nil
}

// Middleware admits a request whose "Authorization: Bearer <token>" header v
// accepts, with the token's identity and actor on its context. Any other
// request is answered 401 with a "WWW-Authenticate: Bearer" header and a
// GraphQL error response whose code is UNAUTHENTICATED.
//
// One kind of request passes without a header: a websocket upgrade (GET with
// "Upgrade: websocket"), since browsers cannot set headers on one. Its token
// comes in the connection_init payload (see TokenFromInitPayload), which the
// websocket transport must verify before it runs any operation.
func Middleware(v Verifier) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			headers := r.Header.Values("Authorization")
			if len(headers) == 0 && isWebsocketUpgrade(r) {
				next.ServeHTTP(w, r)
				return
			}
			var token string
			switch {
			case len(headers) == 0:
				refuse(w, msgMissing)
				return
			case len(headers) > 1:
				refuse(w, msgMalformed)
				return
			default:
				var ok bool
				if token, ok = bearerToken(headers[0]); !ok {
					refuse(w, msgMalformed)
					return
				}
			}
			id, err := v.Verify(r.Context(), token)
			if err != nil {
				msg := msgInvalid
				if casus.ErrorCode(err) == casus.EUNAUTHENTICATED {
					msg = casus.ErrorMessage(err)
				}
				refuse(w, msg)
				return
			}
			next.ServeHTTP(w, r.WithContext(WithIdentity(r.Context(), id)))
		})
	}
}

// bearerToken returns the token of an Authorization header value of the
// form "Bearer <token>" (the scheme in any case), and whether it has that form.
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" || strings.ContainsAny(token, " \t") {
		return "", false
	}
	return token, true
}

func isWebsocketUpgrade(r *http.Request) bool {
	return r.Method == http.MethodGet && strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

// graphQLErrors is the body of a refusal: a GraphQL response with one error.
type graphQLErrors struct {
	Errors []graphQLError `json:"errors"`
}

type graphQLError struct {
	Message    string `json:"message"`
	Extensions struct {
		Code string `json:"code"`
	} `json:"extensions"`
}

// refuse answers 401 with msg as a GraphQL error whose code is UNAUTHENTICATED.
func refuse(w http.ResponseWriter, msg string) {
	e := graphQLError{Message: msg}
	e.Extensions.Code = casus.EUNAUTHENTICATED
	body, err := json.Marshal(graphQLErrors{Errors: []graphQLError{e}})
	if err != nil {
		http.Error(w, msg, http.StatusUnauthorized) // cannot happen: the value is two plain strings
		return
	}
	h := w.Header()
	h.Set("WWW-Authenticate", "Bearer")
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = w.Write(body)
}

// TokenFromInitPayload returns the bearer token of a websocket
// connection_init payload: its "Authorization" (or "authorization") value,
// with or without the "Bearer " prefix, or else its "token" value. It returns
// "" if the payload carries none.
func TokenFromInitPayload(payload map[string]any) string {
	for _, key := range []string{"Authorization", "authorization", "token"} {
		s, ok := payload[key].(string)
		if !ok {
			continue
		}
		s = strings.TrimSpace(s)
		if scheme, rest, _ := strings.Cut(s, " "); strings.EqualFold(scheme, "Bearer") {
			s = strings.TrimSpace(rest)
		}
		if s != "" {
			return s
		}
	}
	return ""
}
