// Package auth verifies bearer tokens and turns them into the actor a request
// runs as: development tokens signed with a local key, or tokens of an OIDC
// issuer, verified against its published keys.
package auth

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"casusnet/internal/casus"
)

// Identity is what a verified token says about its bearer.
type Identity struct {
	Actor     casus.Actor
	ExpiresAt time.Time
}

// Verifier checks a bearer token. Every refusal is an UNAUTHENTICATED error
// with a message safe to show.
type Verifier interface {
	Verify(ctx context.Context, token string) (*Identity, error)
}

// claims are the token claims casusnet reads besides the registered ones.
type claims struct {
	Name           string   `json:"name"`
	Role           string   `json:"role"`
	Municipalities []string `json:"municipalities,omitempty"`
	Organisation   string   `json:"organisation,omitempty"`
}

// identity checks the claims and returns the identity they describe.
func (c claims) identity(subject string, expires time.Time) (*Identity, error) {
	switch {
	case subject == "":
		return nil, unauthenticated("token has no subject")
	case !casus.ValidRole(c.Role):
		return nil, unauthenticated("token has no valid role")
	case expires.IsZero():
		return nil, unauthenticated("token has no expiry")
	}
	return &Identity{
		Actor: casus.Actor{ID: subject, Name: c.Name, Role: c.Role,
			Municipalities: c.Municipalities, OrganisationID: c.Organisation},
		ExpiresAt: expires,
	}, nil
}

func unauthenticated(msg string) error { return casus.Errorf(casus.EUNAUTHENTICATED, "%s", msg) }

type identityKey struct{}

// WithIdentity returns a context carrying id and its actor.
func WithIdentity(ctx context.Context, id *Identity) context.Context {
	return casus.WithActor(context.WithValue(ctx, identityKey{}, id), id.Actor)
}

// IdentityFrom returns the identity on ctx.
func IdentityFrom(ctx context.Context) (*Identity, bool) {
	id, ok := ctx.Value(identityKey{}).(*Identity)
	return id, ok
}

// Middleware admits requests with a valid bearer token and puts the identity
// on their context; any other request is answered 401 with a GraphQL error
// whose code is UNAUTHENTICATED. Websocket upgrades pass without a header:
// their token comes in the connection_init payload (see TokenFromInitPayload).
func Middleware(v Verifier) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := r.Header.Get("Authorization")
			if h == "" && strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
				next.ServeHTTP(w, r)
				return
			}
			token, ok := strings.CutPrefix(h, "Bearer ")
			if !ok || token == "" {
				refuse(w, unauthenticated("sign in: send a bearer token"))
				return
			}
			id, err := v.Verify(r.Context(), strings.TrimSpace(token))
			if err != nil {
				refuse(w, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(WithIdentity(r.Context(), id)))
		})
	}
}

func refuse(w http.ResponseWriter, err error) {
	w.Header().Set("WWW-Authenticate", "Bearer")
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusUnauthorized)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{
		"message": casus.ErrorMessage(err), "extensions": map[string]any{"code": casus.EUNAUTHENTICATED},
	}}})
}

// TokenFromInitPayload returns the bearer token of a websocket
// connection_init payload: its Authorization value, with or without the
// "Bearer " prefix, or its token value.
func TokenFromInitPayload(payload map[string]any) string {
	for _, k := range []string{"Authorization", "authorization", "token"} {
		if s, ok := payload[k].(string); ok && s != "" {
			return strings.TrimSpace(strings.TrimPrefix(s, "Bearer "))
		}
	}
	return ""
}
