// Package auth verifies bearer tokens and turns them into the identity a
// request runs as: development tokens signed with a local key (dev.go), or
// tokens of an OpenID Connect issuer checked against the keys it publishes
// (oidc.go). http.go puts the identity on the request context.
//
// Every refusal is a casus error with code UNAUTHENTICATED and a short
// message that is safe to show to the caller; why exactly a token failed to
// parse or verify is never part of it.
package auth

import (
	"context"
	"slices"
	"time"

	"casusnet/internal/casus"
)

// Roles a token may carry in its "role" claim. They are the roles of package
// casus, repeated here so that token issuers and verifiers need not import it.
const (
	RoleDirector    = casus.RoleDirector    // "DIRECTOR"
	RoleCoordinator = casus.RoleCoordinator // "COORDINATOR"
	RoleMayor       = casus.RoleMayor       // "MAYOR"
	RoleAnalyst     = casus.RoleAnalyst     // "ANALYST"
	RolePartner     = casus.RolePartner     // "PARTNER"
	RoleReporter    = casus.RoleReporter    // "REPORTER"
	RoleAuditor     = casus.RoleAuditor     // "AUDITOR"
	RoleDPO         = casus.RoleDPO         // "DPO"
	RoleAdviser     = casus.RoleAdviser     // "ADVISER"
)

// Roles lists every role a token may carry. ValidRole does not read it, so
// changing it changes nothing that is accepted.
var Roles = []string{RoleDirector, RoleCoordinator, RoleMayor, RoleAnalyst, RolePartner, RoleReporter, RoleAuditor, RoleDPO, RoleAdviser}

// ValidRole reports whether role is one of the roles a token may carry.
func ValidRole(role string) bool {
	switch role {
	case RoleDirector, RoleCoordinator, RoleMayor, RoleAnalyst, RolePartner, RoleReporter, RoleAuditor, RoleDPO, RoleAdviser:
		return true
	}
	return false
}

// Identity is what a verified token says about its bearer. Municipalities and
// OrganisationID repeat the actor's scope: a verifier sets both to the same
// values.
type Identity struct {
	Actor casus.Actor
	// Municipalities are the CBS codes (like GM0362) the bearer serves or
	// governs.
	Municipalities []string
	// OrganisationID is the organisation the bearer works for.
	OrganisationID string
	// ExpiresAt is when the token stops being valid; a connection that
	// outlives its token should end then.
	ExpiresAt time.Time
}

// Verifier checks a bearer token and returns the identity it carries.
// Every refusal is an error for which casus.ErrorCode returns
// casus.EUNAUTHENTICATED, with a message safe to show to the caller.
type Verifier interface {
	Verify(ctx context.Context, token string) (*Identity, error)
}

// Refusal messages. They say what is wrong with a token, never why parsing
// or verifying it failed.
const (
	msgMissing   = "token missing"
	msgMalformed = "token malformed"
	msgExpired   = "token expired"
	msgInvalid   = "token invalid"
)

func unauthenticated(msg string) error { return casus.Errorf(casus.EUNAUTHENTICATED, "%s", msg) }

// tokenClaims are the claims casusnet reads besides the registered ones
// (sub, exp, iat, iss, aud).
type tokenClaims struct {
	Name           string   `json:"name,omitempty"`
	Role           string   `json:"role"`
	Municipalities []string `json:"municipalities,omitempty"`
	Organisation   string   `json:"organisation,omitempty"`
}

// identity checks the claims of a token whose signature, issuer, audience and
// expiry have been verified, and returns the identity they describe.
func (c tokenClaims) identity(subject string, expires time.Time) (*Identity, error) {
	if subject == "" || expires.IsZero() || !ValidRole(c.Role) || !validMunicipalities(c.Municipalities) {
		return nil, unauthenticated(msgInvalid)
	}
	return &Identity{
		Actor: casus.Actor{
			ID:             subject,
			Name:           c.Name,
			Role:           c.Role,
			Municipalities: slices.Clone(c.Municipalities),
			OrganisationID: c.Organisation,
		},
		Municipalities: slices.Clone(c.Municipalities),
		OrganisationID: c.Organisation,
		ExpiresAt:      expires,
	}, nil
}

// validMunicipalities reports whether every code is a CBS municipality code:
// "GM" and four digits.
func validMunicipalities(codes []string) bool {
	for _, code := range codes {
		if len(code) != 6 || code[:2] != "GM" {
			return false
		}
		for _, r := range code[2:] {
			if r < '0' || r > '9' {
				return false
			}
		}
	}
	return true
}
