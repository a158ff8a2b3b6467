package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// DevSigningKey is the DEVELOPMENT DEFAULT key for development tokens. It is
// public, so anyone can sign tokens with it: a server must never accept it
// outside development mode.
const DevSigningKey = "casusnet-dev-signing-key-NOT-FOR-PRODUCTION"

// Development tokens carry this issuer and audience.
const (
	devIssuer   = "casusnet-dev"
	devAudience = "casusnet"
)

// devClaims are the claims of a development token.
type devClaims struct {
	tokenClaims
	jwt.RegisteredClaims
}

type devVerifier struct {
	key    []byte
	parser *jwt.Parser
}

// NewDevVerifier returns a verifier of development tokens: HS256 tokens
// signed with key, issued by "casusnet-dev" for an audience that includes
// "casusnet", with an expiry, as IssueDevToken makes them. It allows no
// clock skew: development tokens are issued on the server's own clock, and
// an expired one must not open anything for a moment longer. With an empty
// key it refuses every token.
func NewDevVerifier(key []byte) Verifier {
	return &devVerifier{key: slices.Clone(key), parser: jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(devIssuer),
		jwt.WithAudience(devAudience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
	)}
}

// Verify checks the token's algorithm, signature, issuer, audience, expiry
// and claims.
func (v *devVerifier) Verify(_ context.Context, token string) (*Identity, error) {
	if token == "" {
		return nil, unauthenticated(msgMissing)
	}
	if len(v.key) == 0 {
		return nil, unauthenticated(msgInvalid)
	}
	var c devClaims
	_, err := v.parser.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return v.key, nil })
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return nil, unauthenticated(msgMalformed)
	case errors.Is(err, jwt.ErrTokenExpired):
		return nil, unauthenticated(msgExpired)
	case err != nil:
		return nil, unauthenticated(msgInvalid)
	}
	return c.identity(c.Subject, c.ExpiresAt.Time)
}

// IssueDevToken returns a development token for id, signed with key, issued
// at now and valid for ttl. The token's municipalities and organisation are
// id.Municipalities and id.OrganisationID, or where those are empty the
// actor's. It is what the `casusnet token` command prints.
func IssueDevToken(key []byte, id Identity, ttl time.Duration, now time.Time) (string, error) {
	munis, org := id.Municipalities, id.OrganisationID
	if len(munis) == 0 {
		munis = id.Actor.Municipalities
	}
	if org == "" {
		org = id.Actor.OrganisationID
	}
	switch {
	case len(key) == 0:
		return "", errors.New("issue dev token: empty signing key")
	case id.Actor.ID == "":
		return "", errors.New("issue dev token: actor has no id")
	case !ValidRole(id.Actor.Role):
		return "", fmt.Errorf("issue dev token: unknown role %q", id.Actor.Role)
	case !validMunicipalities(munis):
		return "", fmt.Errorf("issue dev token: municipalities %q: want CBS codes like GM0362", munis)
	case ttl <= 0:
		return "", fmt.Errorf("issue dev token: ttl %v is not positive", ttl)
	}
	c := devClaims{
		tokenClaims: tokenClaims{Name: id.Actor.Name, Role: id.Actor.Role, Municipalities: munis, Organisation: org},
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   id.Actor.ID,
			Issuer:    devIssuer,
			Audience:  jwt.ClaimStrings{devAudience},
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
		},
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(key)
	if err != nil {
		return "", fmt.Errorf("issue dev token: %w", err)
	}
	return tok, nil
}
