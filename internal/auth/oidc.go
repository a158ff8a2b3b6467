package auth

import (
	"context"
	"errors"
	"fmt"

	"github.com/coreos/go-oidc/v3/oidc"
)

type oidcVerifier struct {
	verifier *oidc.IDTokenVerifier
}

// NewOIDCVerifier returns a verifier of the tokens of an OpenID Connect
// issuer, for audience (the client ID casusnet is registered as). It reads
// the issuer's discovery document now, and fails if that cannot be read or
// names another issuer. Tokens are checked against the issuer's published
// keys (JWKS), which go-oidc caches and refetches when a token is signed with
// a key it does not hold, so key rotation at the issuer needs no restart.
// Only the signing algorithms the issuer advertises are accepted (RS256 if
// it advertises none); "none" and HMAC algorithms never are.
func NewOIDCVerifier(ctx context.Context, issuer, audience string) (Verifier, error) {
	if issuer == "" || audience == "" {
		return nil, errors.New("oidc verifier: issuer and audience are required")
	}
	p, err := oidc.NewProvider(ctx, issuer)
	if err != nil {
		return nil, fmt.Errorf("oidc discovery at %s: %w", issuer, err)
	}
	return &oidcVerifier{verifier: p.Verifier(&oidc.Config{ClientID: audience})}, nil
}

// Verify checks the token's signature, issuer, audience, expiry and claims.
// A token that cannot be checked because the issuer's keys cannot be fetched
// is refused as invalid.
func (v *oidcVerifier) Verify(ctx context.Context, token string) (*Identity, error) {
	if token == "" {
		return nil, unauthenticated(msgMissing)
	}
	t, err := v.verifier.Verify(ctx, token)
	if err != nil {
		var expired *oidc.TokenExpiredError
		if errors.As(err, &expired) && !expired.Expiry.IsZero() {
			return nil, unauthenticated(msgExpired)
		}
		return nil, unauthenticated(msgInvalid)
	}
	var c tokenClaims
	if err := t.Claims(&c); err != nil {
		return nil, unauthenticated(msgInvalid)
	}
	return c.identity(t.Subject, t.Expiry)
}
