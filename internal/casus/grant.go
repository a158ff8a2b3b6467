package casus

import (
	"context"
	"strings"
	"time"
)

// Grant gives one named user access to one case until a moment: a police
// officer of the CT team, say. It shows on the case and expires by itself.
type Grant struct {
	ID            string
	CaseID        string
	UserID        string
	UserName      string
	Until         time.Time
	Reason        string
	GrantedByID   string
	GrantedByName string
	GrantedAt     time.Time
}

// GrantInput asks for a grant.
type GrantInput struct {
	CaseID   string
	UserID   string
	UserName string
	Until    time.Time
	Reason   string
}

// Validate checks and trims the input.
func (in *GrantInput) Validate(now time.Time) error {
	in.UserID, in.UserName = strings.TrimSpace(in.UserID), strings.TrimSpace(in.UserName)
	switch {
	case in.UserID == "":
		return Invalid("user", "name the user who gets access")
	case len(in.UserID) > MaxName || len(in.UserName) > MaxName:
		return Invalid("user", "longer than %d characters", MaxName)
	case !in.Until.After(now):
		return Invalid("until", "the grant must end in the future")
	case in.Until.Sub(now) > MaxGrant:
		return Invalid("until", "a grant runs at most %d days", int(MaxGrant.Hours()/24))
	}
	return validateReason(&in.Reason, true)
}

// GrantService gives named users time-limited access to one case.
type GrantService interface {
	// GrantAccess gives a named user access to one case for a limited time.
	GrantAccess(ctx context.Context, in GrantInput) (*Grant, error)
	// GrantsOfCases returns each case's grants that have not expired.
	GrantsOfCases(ctx context.Context, caseIDs []string) ([][]*Grant, error)
}

// MaxGrant is the longest a grant may run.
const MaxGrant = 90 * 24 * time.Hour
