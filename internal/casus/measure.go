package casus

import (
	"context"
	"slices"
	"time"
)

// MeasureType is the kind of administrative measure a mayor can take.
type MeasureType string

// Measure types.
const (
	MeasureAreaBan            MeasureType = "AREA_BAN"
	MeasureReportingDuty      MeasureType = "REPORTING_DUTY"
	MeasureContactBan         MeasureType = "CONTACT_BAN"
	MeasurePassportWithdrawal MeasureType = "PASSPORT_WITHDRAWAL"
	MeasureOther              MeasureType = "OTHER"
)

// MeasureTypes lists every measure type.
var MeasureTypes = []MeasureType{MeasureAreaBan, MeasureReportingDuty, MeasureContactBan, MeasurePassportWithdrawal, MeasureOther}

// Valid reports whether t is a known measure type.
func (t MeasureType) Valid() bool { return slices.Contains(MeasureTypes, t) }

// MeasureDecision is what the mayor decided.
type MeasureDecision string

// Decisions.
const (
	DecisionImposed  MeasureDecision = "IMPOSED"
	DecisionRejected MeasureDecision = "REJECTED"
	DecisionLifted   MeasureDecision = "LIFTED"
)

// MeasureDecisions lists every decision.
var MeasureDecisions = []MeasureDecision{DecisionImposed, DecisionRejected, DecisionLifted}

// Valid reports whether d is a known decision.
func (d MeasureDecision) Valid() bool { return slices.Contains(MeasureDecisions, d) }

// Measure is an administrative measure on a case, decided by the mayor alone.
type Measure struct {
	ID            string
	CaseID        string
	Type          MeasureType
	Decision      MeasureDecision
	DecidedByID   string
	DecidedByName string
	Reason        string
	DecidedAt     time.Time
}

// DecideMeasure checks that c may get a decision on a measure: on a closed
// case only lifting one.
func (c *Case) DecideMeasure(d MeasureDecision) error {
	if c.Closed() && d != DecisionLifted {
		return Errorf(EINVALID, "case %s is closed: a measure can only be lifted", c.Reference)
	}
	return nil
}

// DecideMeasureInput records the mayor's decision on a measure.
type DecideMeasureInput struct {
	CaseID         string
	Type           MeasureType
	Decision       MeasureDecision
	Reason         string
	IdempotencyKey string
}

// Validate checks and trims the input.
func (in *DecideMeasureInput) Validate() error {
	switch {
	case !in.Type.Valid():
		return Invalid("type", "unknown measure %q", in.Type)
	case !in.Decision.Valid():
		return Invalid("decision", "unknown decision %q", in.Decision)
	}
	if err := validateReason(&in.Reason, true); err != nil {
		return err
	}
	return validateKey(in.IdempotencyKey)
}

// MeasureService reads and records the mayor's decisions on measures.
type MeasureService interface {
	// MeasuresOfCases returns, for each case, its measures.
	MeasuresOfCases(ctx context.Context, caseIDs []string) ([][]*Measure, error)
	DecideMeasure(ctx context.Context, in DecideMeasureInput) (*Measure, error)
}
