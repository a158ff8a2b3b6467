package auth

import (
	"context"
	"errors"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// DevSigningKey signs development tokens. It is a development default,
// accepted only by a server in development mode: never use it elsewhere.
const DevSigningKey = "casusnet-dev-signing-key-NOT-FOR-PRODUCTION"

const (
	devIssuer   = "casusnet-dev"
	devAudience = "casusnet"
)

type devClaims struct {
	claims
	jwt.RegisteredClaims
}

type devVerifier struct {
	key    []byte
	parser *jwt.Parser
}

// NewDevVerifier verifies HS256 tokens signed with key, as IssueDevToken
// makes them.
func NewDevVerifier(key []byte) Verifier {
	return &devVerifier{key: key, parser: jwt.NewParser(
		jwt.WithValidMethods([]string{"HS256"}),
		jwt.WithIssuer(devIssuer),
		jwt.WithAudience(devAudience),
		jwt.WithExpirationRequired(),
		jwt.WithLeeway(30*time.Second),
	)}
}

// Verify checks the token's signature, issuer, audience and expiry.
func (v *devVerifier) Verify(_ context.Context, token string) (*Identity, error) {
	var c devClaims
	_, err := v.parser.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return v.key, nil })
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return nil, unauthenticated("token expired")
	case err != nil:
		return nil, unauthenticated("token invalid")
	}
	return c.identity(c.Subject, c.ExpiresAt.Time)
}

// IssueDevToken returns a development token for id, valid for ttl from now.
func IssueDevToken(key []byte, id Identity, ttl time.Duration, now time.Time) (string, error) {
	c := devClaims{
		claims: claims{Name: id.Actor.Name, Role: id.Actor.Role, Municipalities: id.Actor.Municipalities,
			Organisation: id.Actor.OrganisationID},
		RegisteredClaims: jwt.RegisteredClaims{
			Subject: id.Actor.ID, Issuer: devIssuer, Audience: jwt.ClaimStrings{devAudience},
			IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
		},
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(key)
}
