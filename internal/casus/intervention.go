package casus

import (
	"slices"
	"strings"
	"time"
)

// InterventionStatus is where an intervention stands.
type InterventionStatus string

// Intervention statuses. PROPOSED moves to ACTIVE or STOPPED; ACTIVE to
// COMPLETED or STOPPED; COMPLETED and STOPPED are final.
const (
	InterventionProposed  InterventionStatus = "PROPOSED"
	InterventionActive    InterventionStatus = "ACTIVE"
	InterventionCompleted InterventionStatus = "COMPLETED"
	InterventionStopped   InterventionStatus = "STOPPED"
)

// InterventionStatuses lists every status.
var InterventionStatuses = []InterventionStatus{InterventionProposed, InterventionActive, InterventionCompleted, InterventionStopped}

// Valid reports whether s is a known status.
func (s InterventionStatus) Valid() bool { return slices.Contains(InterventionStatuses, s) }

// CanMoveTo reports whether an intervention in status s may move to to.
func (s InterventionStatus) CanMoveTo(to InterventionStatus) bool {
	switch s {
	case InterventionProposed:
		return to == InterventionActive || to == InterventionStopped
	case InterventionActive:
		return to == InterventionCompleted || to == InterventionStopped
	}
	return false
}

// Intervention is an offering applied in a case.
type Intervention struct {
	ID         string
	CaseID     string
	OfferingID string
	Status     InterventionStatus
	Goal       string
	StartedOn  *time.Time // date
	EndedOn    *time.Time // date
	Outcome    string
	ProposedAt time.Time
	// SubjectNames are the names of the case's subjects: all a partner
	// carrying out the intervention learns of the case.
	SubjectNames []string
}

// InterventionFilter narrows a list of interventions.
type InterventionFilter struct {
	Status InterventionStatus
}

// InterventionEdge is an intervention with its cursor.
type InterventionEdge struct {
	Cursor       string
	Intervention *Intervention
}

// InterventionPage is one window of a list of interventions.
type InterventionPage struct {
	Edges           []InterventionEdge
	TotalCount      int
	HasNextPage     bool
	HasPreviousPage bool
}

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

// FinalReport closes a case. It is addressed to the mayor responsible for
// the case: the mayor of the case's municipality.
type FinalReport struct {
	Summary          string
	Outcome          string
	Recommendations  string
	AddressedTo      string // the responsible mayor, as named by the municipality
	MunicipalityCode string
	WrittenByID      string
	WrittenByName    string
	WrittenAt        time.Time
}

// MaxReport bounds each part of a final report.
const MaxReport = 20000

// Validate checks and trims the report's parts.
func (r *FinalReport) Validate() error {
	r.Summary, r.Outcome = strings.TrimSpace(r.Summary), strings.TrimSpace(r.Outcome)
	r.Recommendations = strings.TrimSpace(r.Recommendations)
	for _, p := range []struct{ field, text string }{
		{"report.summary", r.Summary}, {"report.outcome", r.Outcome}, {"report.recommendations", r.Recommendations},
	} {
		if p.text == "" {
			return Invalid(p.field, "the final report needs a %s", strings.TrimPrefix(p.field, "report."))
		}
		if len(p.text) > MaxReport {
			return Invalid(p.field, "longer than %d characters", MaxReport)
		}
	}
	return nil
}
