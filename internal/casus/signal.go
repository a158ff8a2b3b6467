package casus

import (
	"context"
	"slices"
	"strings"
	"time"
)

// SignalStatus is where a signal stands. A signal is not yet a case: a
// coordinator or director opens a case from it, or dismisses it with a reason.
type SignalStatus string

// Signal statuses.
const (
	SignalNew        SignalStatus = "NEW"
	SignalInReview   SignalStatus = "IN_REVIEW"
	SignalDismissed  SignalStatus = "DISMISSED"
	SignalCaseOpened SignalStatus = "CASE_OPENED"
)

// SignalStatuses lists every status.
var SignalStatuses = []SignalStatus{SignalNew, SignalInReview, SignalDismissed, SignalCaseOpened}

// Valid reports whether s is a known status.
func (s SignalStatus) Valid() bool { return slices.Contains(SignalStatuses, s) }

// Open reports whether a signal in status s still awaits a decision.
func (s SignalStatus) Open() bool { return s == SignalNew || s == SignalInReview }

// Signal is a report by trained field staff about one or more persons.
type Signal struct {
	ID               string
	ReporterID       string
	ReporterName     string
	OrganisationID   string
	MunicipalityCode string
	Description      string
	Indicators       []string
	ReceivedAt       time.Time
	Status           SignalStatus
	AboutIDs         []string
	// Subject is whom the reporter said it is about, in their words; nil
	// when they named no one. Whoever triages links it to a person.
	Subject       *SignalSubject
	CaseID        string // the case it led to, if any
	DismissReason string
}

// SignalSubject is whom a signal is about as a reporter knows them: a name,
// perhaps a birth date, and what else they know (class, school, street).
type SignalSubject struct {
	FirstName, LastName string
	BirthDate           *time.Time
	Details             string
}

// Indicators are the signs of radicalisation field staff are trained to see.
var Indicators = []string{"ONLINE_PROPAGANDA", "BEHAVIOUR_CHANGE", "TRAVEL_PLANS", "ISOLATION",
	"VIOLENT_LANGUAGE", "CONTACT_WITH_EXTREMISTS", "SUPPORT_FOR_VIOLENCE", "OTHER"}

// SubmitSignalInput is what a new signal needs.
type SubmitSignalInput struct {
	OrganisationID   string
	MunicipalityCode string
	Description      string
	Indicators       []string
	AboutIDs         []string
	Subject          *SignalSubject
	IdempotencyKey   string
}

// MaxDescription bounds a signal's description.
const MaxDescription = 10000

// Validate checks and trims the input.
func (in *SubmitSignalInput) Validate() error {
	in.Description = strings.TrimSpace(in.Description)
	in.MunicipalityCode = strings.TrimSpace(in.MunicipalityCode)
	switch {
	case in.MunicipalityCode == "":
		return Invalid("municipality", "a municipality is required")
	case in.Description == "":
		return Invalid("description", "a description is required")
	case len(in.Description) > MaxDescription:
		return Invalid("description", "the description is longer than %d characters", MaxDescription)
	case len(in.AboutIDs) > MaxGroupSize:
		return Invalid("about", "at most %d persons", MaxGroupSize)
	}
	for _, ind := range in.Indicators {
		if !slices.Contains(Indicators, ind) {
			return Invalid("indicators", "unknown indicator %q", ind)
		}
	}
	in.Indicators = dedupe(in.Indicators)
	in.AboutIDs = dedupe(in.AboutIDs)
	if err := in.Subject.validate(); err != nil {
		return err
	}
	return validateKey(in.IdempotencyKey)
}

// validate trims a subject and checks that it says whom: a last name at
// least; a subject with nothing in it is none.
func (s *SignalSubject) validate() error {
	if s == nil {
		return nil
	}
	s.FirstName, s.LastName, s.Details = strings.TrimSpace(s.FirstName), strings.TrimSpace(s.LastName), strings.TrimSpace(s.Details)
	switch {
	case s.LastName == "":
		return Invalid("subject.lastName", "give at least the last name of whom the signal is about")
	case len(s.FirstName) > 200 || len(s.LastName) > 200:
		return Invalid("subject.lastName", "a name is at most 200 characters")
	case len(s.Details) > MaxReason:
		return Invalid("subject.details", "at most %d characters", MaxReason)
	case s.BirthDate != nil && s.BirthDate.After(time.Now()):
		return Invalid("subject.birthDate", "a birth date lies in the past")
	}
	return nil
}

// LinkSignalInput links a signal to the person it is about.
type LinkSignalInput struct {
	SignalID, PersonID string
}

// AddSubjectInput adds a person concerned to an open case.
type AddSubjectInput struct {
	CaseChange
	PersonID string
}

// SignalFilter narrows a list of signals. Zero values mean "any".
type SignalFilter struct {
	Status           SignalStatus
	MunicipalityCode string
}

// SignalEdge is a signal with its cursor in a list.
type SignalEdge struct {
	Cursor string
	Signal *Signal
}

// SignalPage is one window of a list of signals.
type SignalPage struct {
	Edges           []SignalEdge
	TotalCount      int
	HasNextPage     bool
	HasPreviousPage bool
}

// SignalService reads, submits and dismisses signals. Opening a case from
// signals is CaseService.OpenCase.
type SignalService interface {
	// LinkSignal records that the signal is about the person: both must
	// be readable to the caller, the signal still open.
	LinkSignal(ctx context.Context, in LinkSignalInput) (*Signal, error)
	Signal(ctx context.Context, id string) (*Signal, error)
	SignalsByID(ctx context.Context, ids []string) ([]*Signal, error)
	// Signals returns a page of signals, newest first.
	Signals(ctx context.Context, filter SignalFilter, page Page) (*SignalPage, error)
	// SignalsOfCase returns, for each case, the signals that led to it.
	SignalsOfCases(ctx context.Context, caseIDs []string) ([][]*Signal, error)
	SubmitSignal(ctx context.Context, in SubmitSignalInput) (*Signal, error)
	// DismissSignal closes an open signal without a case.
	DismissSignal(ctx context.Context, id, reason string) (*Signal, error)
}

// SignalOrganisation returns the organisation a signal by a is filed for,
// given the one asked for (org, "" for none): a coordinator files for any
// organisation, anyone else only for their own, which is also the default.
func SignalOrganisation(a Actor, org string) (string, error) {
	switch {
	case a.Role == RoleCoordinator:
		return org, nil
	case org == "":
		return a.OrganisationID, nil
	case org != a.OrganisationID:
		return "", Invalid("organisation", "you can only report on behalf of your own organisation")
	}
	return org, nil
}
