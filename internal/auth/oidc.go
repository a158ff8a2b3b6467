package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
)

type oidcVerifier struct {
	verifier *oidc.IDTokenVerifier
}

// NewOIDCVerifier verifies tokens of issuer for audience, against the keys
// the issuer publishes (discovery, then its JWKS; go-oidc caches the keys and
// refetches them when a token names a key it does not know, which is how
// key rotation is followed).
func NewOIDCVerifier(ctx context.Context, issuer, audience string) (Verifier, error) {
	p, err := oidc.NewProvider(ctx, issuer)
	if err != nil {
		return nil, fmt.Errorf("oidc discovery at %s: %w", issuer, err)
	}
	return &oidcVerifier{verifier: p.Verifier(&oidc.Config{ClientID: audience})}, nil
}

// Verify checks the token's signature, issuer, audience and expiry.
func (v *oidcVerifier) Verify(ctx context.Context, token string) (*Identity, error) {
	t, err := v.verifier.Verify(ctx, token)
	if err != nil {
		var expired *oidc.TokenExpiredError
		if errors.As(err, &expired) {
			return nil, unauthenticated("token expired")
		}
		if strings.Contains(err.Error(), "fetching keys") {
			return nil, fmt.Errorf("verify token: %w", err) // the issuer is down: not the caller's fault
		}
		return nil, unauthenticated("token invalid")
	}
	var c claims
	if err := t.Claims(&c); err != nil {
		return nil, unauthenticated("token invalid")
	}
	return c.identity(t.Subject, t.Expiry)
}
