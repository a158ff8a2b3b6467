package casus

import (
	"context"
	"slices"
	"strings"
	"time"
)

// RoleDPO is the data-protection officer (functionaris gegevensbescherming):
// unlike the auditor, who reads the access log, the officer may compile
// what casusnet holds about one person — for a request of that person, and
// logged as such — and reads nothing else.
const RoleDPO = "DPO"

// ActivityRights is the processing activity of handling the requests of
// the persons concerned (AVG art. 12-23).
const ActivityRights = "DATA_SUBJECT_RIGHTS"

// RequestKind is the right a person invokes.
type RequestKind string

// The rights of the person concerned.
const (
	RequestAccess        RequestKind = "ACCESS"        // inzage, art. 15
	RequestRectification RequestKind = "RECTIFICATION" // rectificatie, art. 16
	RequestErasure       RequestKind = "ERASURE"       // wissing, art. 17
	RequestRestriction   RequestKind = "RESTRICTION"   // beperking, art. 18
	RequestObjection     RequestKind = "OBJECTION"     // bezwaar, art. 21
)

// RequestKinds lists every kind.
var RequestKinds = []RequestKind{RequestAccess, RequestRectification, RequestErasure, RequestRestriction, RequestObjection}

// Valid reports whether k is a known kind.
func (k RequestKind) Valid() bool { return slices.Contains(RequestKinds, k) }

// RequestDecision is how a request was decided.
type RequestDecision string

// Decisions on a request.
const (
	DecisionGranted   RequestDecision = "GRANTED"
	DecisionPartially RequestDecision = "PARTIALLY_GRANTED"
	DecisionRefused   RequestDecision = "REFUSED" // with the statutory ground (art. 23)
)

// RequestDecisions lists every decision.
var RequestDecisions = []RequestDecision{DecisionGranted, DecisionPartially, DecisionRefused}

// Valid reports whether d is a known decision.
func (d RequestDecision) Valid() bool { return slices.Contains(RequestDecisions, d) }

// Request is a request of a person concerned, from receipt to decision. It
// is answered within one month of receipt; the officer may extend that by
// two months, with a reason (AVG art. 12 lid 3).
type Request struct {
	ID                string
	Kind              RequestKind
	PersonID          string
	PersonName        string
	ReceivedOn        time.Time // date
	IdentityCheckedBy string
	Notes             string
	Deadline          time.Time // date
	ExtensionReason   string
	Decision          RequestDecision // empty while open
	DecisionReason    string
	DecidedOn         *time.Time
	RegisteredBy      string
	// Restricted says whether the person's processing is restricted now.
	Restricted bool
	// Corrections are the changes made to the person's record on this
	// request (rectification), oldest first.
	Corrections []Change
}

// Rectification is a correction of a person's record on their request:
// the fields to change, as for UpdatePersonInput (nil: unchanged).
type Rectification struct {
	FirstName *string
	LastName  *string
	Aliases   []string
	BirthDate *time.Time
	Notes     *string
}

// Validate checks and trims the correction like an update of the record,
// and that it changes something.
func (in *Rectification) Validate(now time.Time) error {
	if in.FirstName == nil && in.LastName == nil && in.Aliases == nil && in.BirthDate == nil && in.Notes == nil {
		return Invalid("request", "say what to correct")
	}
	u := UpdatePersonInput{FirstName: in.FirstName, LastName: in.LastName, Aliases: in.Aliases, BirthDate: in.BirthDate, Notes: in.Notes}
	if err := u.Validate(now); err != nil {
		return err
	}
	in.FirstName, in.LastName, in.Aliases, in.BirthDate, in.Notes = u.FirstName, u.LastName, u.Aliases, u.BirthDate, u.Notes
	return nil
}

// Rectify checks that r may correct its person's record.
func (r *Request) Rectify() error {
	if r.Kind != RequestRectification {
		return Invalid("request", "a record is corrected on a request for rectification, not on %s", r.Kind)
	}
	return nil
}

// Restrict checks that r may restrict its person's processing (or lift
// the restriction): a request for restriction, or an objection.
func (r *Request) Restrict() error {
	if r.Kind != RequestRestriction && r.Kind != RequestObjection {
		return Invalid("request", "processing is restricted on a request for restriction or an objection, not on %s", r.Kind)
	}
	return nil
}

// Open reports whether r awaits a decision.
func (r *Request) Open() bool { return r.Decision == "" }

// Overdue reports whether r is open past its deadline on day now.
func (r *Request) Overdue(now time.Time) bool { return r.Open() && r.Deadline.Before(today(now)) }

// FirstDeadline is the deadline of a request received on day: one month.
func FirstDeadline(received time.Time) time.Time { return received.AddDate(0, 1, 0) }

// RequestInput registers a request.
type RequestInput struct {
	Kind              RequestKind
	PersonID          string
	ReceivedOn        time.Time
	IdentityCheckedBy string
	Notes             string
}

// Validate checks and trims the input.
func (in *RequestInput) Validate(now time.Time) error {
	in.IdentityCheckedBy, in.Notes = strings.TrimSpace(in.IdentityCheckedBy), strings.TrimSpace(in.Notes)
	switch {
	case !in.Kind.Valid():
		return Invalid("kind", "unknown kind of request %q", in.Kind)
	case in.ReceivedOn.IsZero() || in.ReceivedOn.After(now):
		return Invalid("receivedOn", "give the day the request was received, not in the future")
	case in.IdentityCheckedBy == "" || len(in.IdentityCheckedBy) > MaxName:
		return Invalid("identityCheckedBy", "say who checked the requester's identity")
	case len(in.Notes) > MaxReason:
		return Invalid("notes", "longer than %d characters", MaxReason)
	}
	return nil
}

// Extend checks that r may be extended, with reason, and returns its new
// deadline: two months more, once.
func (r *Request) Extend(reason string) (time.Time, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case !r.Open():
		return time.Time{}, Invalid("request", "the request is decided")
	case r.ExtensionReason != "":
		return time.Time{}, Invalid("request", "the deadline was extended once already")
	case reason == "" || len(reason) > MaxReason:
		return time.Time{}, Invalid("reason", "give the reason for the extension (the requester is told)")
	}
	return r.Deadline.AddDate(0, 2, 0), nil
}

// Decide checks that r may be decided as d, with reason.
func (r *Request) Decide(d RequestDecision, reason string) error {
	reason = strings.TrimSpace(reason)
	switch {
	case !r.Open():
		return Invalid("request", "the request is decided already")
	case !d.Valid():
		return Invalid("decision", "unknown decision %q", d)
	case d != DecisionGranted && reason == "":
		return Invalid("reason", "a refusal or partial grant names its statutory ground")
	case len(reason) > MaxReason:
		return Invalid("reason", "longer than %d characters", MaxReason)
	}
	return nil
}

// RequestFilter narrows a list of requests.
type RequestFilter struct {
	Open, Overdue bool
}

// RequestService registers the requests of persons concerned and tracks
// them to a decision. Only the data-protection officer may use it; a
// person outside the officer's municipalities is NOT_FOUND.
type RequestService interface {
	// Requesters finds the persons of the officer's municipalities whose
	// name or alias starts with name, to register a request for.
	Requesters(ctx context.Context, name string) ([]*Person, error)
	Requests(ctx context.Context, filter RequestFilter) ([]*Request, error)
	RegisterRequest(ctx context.Context, in RequestInput) (*Request, error)
	ExtendRequest(ctx context.Context, id, reason string) (*Request, error)
	DecideRequest(ctx context.Context, id string, d RequestDecision, reason string) (*Request, error)
	// Restrict restricts the processing of the request's person, or lifts
	// the restriction.
	Restrict(ctx context.Context, id string, lift bool) (*Request, error)
	// Rectify corrects the request's person's record, with the request as
	// its reason; the correction stays on the request and in the dossier.
	Rectify(ctx context.Context, id string, in Rectification) (*Request, error)
}
