package casus

import (
	"context"
	"strings"
	"time"
)

// "Known elsewhere?" (bekend elders?): before a director or coordinator
// opens a case on a signal, they may ask whether the person is known in a
// case or signal they may not read — another municipality's, or one only
// the region's coordinators see. The answer is one bit, and on a hit whom to
// contact; never content, never which case. The question needs a purpose
// (the signal or case it is asked for), counts against a limit per user and
// hour, and is kept, with the persons it touched, for the access log and
// the person's dossier. A hit can be followed by a request to share, which
// the region's coordinator grants for a set time (a case grant) or
// declines with a reason.
//
// Matching is exact on identifying data: first name, last name and birth
// date, each trimmed and compared without case. Between two deployments
// the same check runs on keys instead of names (see README, "Known
// elsewhere"): each side computes MatchKey with a key both hold, and only
// keys cross.

// RegionalContact is whom to contact on a hit: the region's coordinator,
// who reads every case and signal and decides the requests to share. Naming
// the hidden case's own organisation would tell what kind of case it is
// (youth care, the Actiecentrum).
const RegionalContact = "Coördinator OOV van de regio"

// KnownElsewhereLimit is how many questions a user may ask per hour.
const KnownElsewhereLimit = 20

// ERATELIMITED says the caller asked too often; they may ask again later.
const ERATELIMITED = "RATE_LIMITED"

// KnownQuestion asks whether a person is known elsewhere, for a purpose.
type KnownQuestion struct {
	// PurposeKind is "Case" or "Signal", PurposeID its id.
	PurposeKind, PurposeID string
	FirstName, LastName    string
	BirthDate              *time.Time
}

// Identity returns the question's identifying data as matching compares
// it, and whether it is complete enough to match at all.
func (q KnownQuestion) Identity() (first, last string, ok bool) {
	first, last = strings.ToLower(strings.TrimSpace(q.FirstName)), strings.ToLower(strings.TrimSpace(q.LastName))
	return first, last, first != "" && last != "" && q.BirthDate != nil && len(first) <= 200 && len(last) <= 200
}

// KnownAnswer is the answer: whether the person is known where the asker
// cannot read, and on a hit whom to contact. PersonIDs are the persons the
// question touched, for the access log only; QuestionID names the question
// for a request to share.
type KnownAnswer struct {
	QuestionID string
	Hit        bool
	Contact    string
	PersonIDs  []string
}

// ShareStatus is where a request to share stands.
type ShareStatus string

// Share statuses.
const (
	SharePending  ShareStatus = "PENDING"
	ShareGranted  ShareStatus = "GRANTED"
	ShareDeclined ShareStatus = "DECLINED"
)

// ShareRequest asks the coordinator to share what a hit found.
type ShareRequest struct {
	ID         string
	QuestionID string
	AskerID    string
	AskerName  string
	Reason     string
	AskedAt    time.Time
	Status     ShareStatus
	Decision   string // the coordinator's reason
	DecidedBy  string
	DecidedAt  *time.Time
	Until      *time.Time // for a grant
	// CaseIDs are the cases the hit found: shown to the coordinator only.
	CaseIDs []string
}

// ShareDecision is the coordinator's answer to a request.
type ShareDecision struct {
	RequestID string
	Grant     bool
	Until     *time.Time // required to grant: access is for a set time
	Reason    string
}

// Validate checks the decision against now.
func (d *ShareDecision) Validate(now time.Time) error {
	if err := CheckText("reason", &d.Reason); err != nil {
		return err
	}
	switch {
	case d.Grant && d.Until == nil:
		return Invalid("until", "say until when the asker may read: access is for a set time")
	case d.Grant && !d.Until.After(now):
		return Invalid("until", "the end of the access must lie in the future")
	case d.Grant && d.Until.After(now.AddDate(0, 6, 0)):
		return Invalid("until", "at most six months: ask again when more is needed")
	}
	return nil
}

// KnownService answers "known elsewhere?" and handles requests to share.
type KnownService interface {
	// Ask answers the question and records it.
	Ask(ctx context.Context, q KnownQuestion) (*KnownAnswer, error)
	// RequestShare asks the coordinator to share what the caller's own
	// question with a hit found.
	RequestShare(ctx context.Context, questionID, reason string) (*ShareRequest, error)
	// DecideShare grants or declines a request; a coordinator's.
	DecideShare(ctx context.Context, d ShareDecision) (*ShareRequest, error)
	// ShareRequests returns the requests the caller made, or for a
	// coordinator every request, newest first.
	ShareRequests(ctx context.Context) ([]*ShareRequest, error)
}
