package casus

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Instrument is a structured risk-assessment instrument. casusnet records
// that an assessment was made and its outcome, never the instrument's items:
// the instruments are licensed and their scoring belongs to the assessor.
type Instrument string

// Instruments.
const (
	InstrumentVERA2R Instrument = "VERA_2R"
	InstrumentERG22  Instrument = "ERG22_PLUS"
	InstrumentIR46   Instrument = "IR46"
	InstrumentRRAP   Instrument = "RRAP"
	InstrumentOther  Instrument = "OTHER"
)

// Instruments lists every instrument.
var Instruments = []Instrument{InstrumentVERA2R, InstrumentERG22, InstrumentIR46, InstrumentRRAP, InstrumentOther}

// Valid reports whether i is a known instrument.
func (i Instrument) Valid() bool { return slices.Contains(Instruments, i) }

// Assessment is a structured risk assessment of a case's subject.
type Assessment struct {
	ID                     string
	CaseID                 string
	Instrument             Instrument
	Version                string
	Assessor               string
	AssessorOrganisationID string
	Accredited             bool
	On                     time.Time // date
	Outcome                RiskLevel
	Scenarios              string
	NextOn                 *time.Time // date of the next assessment
	RecordedAt             time.Time
}

// ReassessmentOverdue reports whether the next assessment after a, the
// latest of an open case, is past its date on day now.
func (a *Assessment) ReassessmentOverdue(now time.Time) bool {
	return a != nil && a.NextOn != nil && a.NextOn.Before(today(now))
}

// AssessmentInput records an assessment.
type AssessmentInput struct {
	CaseID                 string
	Instrument             Instrument
	Version                string
	Assessor               string
	AssessorOrganisationID string
	Accredited             bool
	On                     time.Time
	Outcome                RiskLevel
	Scenarios              string
	NextOn                 *time.Time
}

// Validate checks and trims the input.
func (in *AssessmentInput) Validate(now time.Time) error {
	in.Version, in.Assessor, in.Scenarios = strings.TrimSpace(in.Version), strings.TrimSpace(in.Assessor), strings.TrimSpace(in.Scenarios)
	switch {
	case !in.Instrument.Valid():
		return Invalid("instrument", "unknown instrument %q", in.Instrument)
	case len(in.Version) > MaxName:
		return Invalid("version", "longer than %d characters", MaxName)
	case in.Assessor == "" || len(in.Assessor) > MaxName:
		return Invalid("assessor", "name the assessor (1 to %d characters)", MaxName)
	case in.On.IsZero() || in.On.After(now):
		return Invalid("on", "give the day of the assessment, not in the future")
	case !in.Outcome.Valid():
		return Invalid("outcome", "unknown risk level %q", in.Outcome)
	case len(in.Scenarios) > MaxReason:
		return Invalid("scenarios", "a few lines: at most %d characters", MaxReason)
	case in.NextOn != nil && !in.NextOn.After(in.On):
		return Invalid("nextOn", "the next assessment is after this one")
	}
	return nil
}

// Assess checks that c may get assessment a and returns the changes: the
// assessment and, unless a director overrode it, the case's risk level.
func (c *Case) Assess(a *Assessment) ([]Change, error) {
	if err := c.checkOpen(); err != nil {
		return nil, err
	}
	ch := []Change{{Field: "assessments." + a.ID + ".outcome", After: a.Outcome}}
	if !c.RiskOverridden && a.Outcome != c.RiskLevel {
		ch = append(ch, Change{Field: "riskLevel", Before: c.RiskLevel, After: a.Outcome})
	}
	return ch, nil
}

// OverrideRisk checks that c's risk level may be set to level by hand and
// returns the change. A nil level returns the case to its latest
// assessment's outcome, latest (empty when there is none).
func (c *Case) OverrideRisk(level *RiskLevel, latest RiskLevel) (Change, error) {
	if err := c.checkOpen(); err != nil {
		return Change{}, err
	}
	to := latest
	if level != nil {
		if !level.Valid() {
			return Change{}, Invalid("level", "unknown risk level %q", *level)
		}
		to = *level
	} else if latest == "" {
		return Change{}, Invalid("level", "there is no assessment to return to; give a level")
	}
	return Change{Field: "riskLevel", Before: c.RiskLevel, After: to}, nil
}

// Informing says whether a case's subject was told about the case: when
// and by whom, or on what ground not and when to reconsider that.
type Informing struct {
	Informed     bool
	On           *time.Time // date
	By           string
	Ground       string // why not: e.g. an ongoing criminal investigation, safety
	ReconsiderOn *time.Time
}

// ReconsiderOverdue reports whether the decision not to inform is past its
// reconsideration date on day now.
func (i *Informing) ReconsiderOverdue(now time.Time) bool {
	return i != nil && !i.Informed && i.ReconsiderOn != nil && i.ReconsiderOn.Before(today(now))
}

// InformingInput records whether the subject was informed.
type InformingInput struct {
	CaseID string
	Informing
	Reason string
}

// Validate checks and trims the input.
func (in *InformingInput) Validate(now time.Time) error {
	in.By, in.Ground = strings.TrimSpace(in.By), strings.TrimSpace(in.Ground)
	if in.Informed {
		switch {
		case in.On == nil || in.On.After(now):
			return Invalid("on", "give the day the person was informed, not in the future")
		case in.By == "" || len(in.By) > MaxName:
			return Invalid("by", "say who informed the person")
		case in.Ground != "" || in.ReconsiderOn != nil:
			return Invalid("ground", "a ground and a reconsideration date are for a person not informed")
		}
		return validateReason(&in.Reason, false)
	}
	switch {
	case in.Ground == "" || len(in.Ground) > MaxReason:
		return Invalid("ground", "give the ground for not informing the person")
	case in.ReconsiderOn == nil || in.ReconsiderOn.Before(today(now)):
		return Invalid("reconsiderOn", "give a date, not in the past, to reconsider")
	case in.On != nil || in.By != "":
		return Invalid("on", "a person not informed has no date or informer")
	}
	return validateReason(&in.Reason, false)
}

// Inform checks that c may record in and returns the change.
func (c *Case) Inform(in Informing) (Change, error) {
	if err := c.checkOpen(); err != nil {
		return Change{}, err
	}
	var before any
	if c.Informing != nil {
		before = c.Informing.Informed
	}
	return Change{Field: "informed", Before: before, After: in.Informed}, nil
}

// AssessmentService records risk assessments, the case's risk level and
// whether its subject is informed.
type AssessmentService interface {
	// AssessmentsOfCases returns, for each case, its assessments, latest first.
	AssessmentsOfCases(ctx context.Context, caseIDs []string) ([][]*Assessment, error)
	RecordAssessment(ctx context.Context, in AssessmentInput) (*Assessment, error)
	// OverrideRiskLevel sets the case's risk level by hand, with a reason;
	// a nil level follows the latest assessment again.
	OverrideRiskLevel(ctx context.Context, in CaseChange, level *RiskLevel) (*Case, error)
	RecordInforming(ctx context.Context, in InformingInput) (*Case, error)
}
