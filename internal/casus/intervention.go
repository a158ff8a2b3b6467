package casus

import (
	"context"
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

// ProposeIntervention checks that c may get an intervention.
func (c *Case) ProposeIntervention() error {
	if err := c.checkOpen(); err != nil {
		return err
	}
	if slices.Index(Phases, c.Phase) < slices.Index(Phases, PhaseCaseConference) {
		return Invalid("case", "interventions are proposed from the case conference on; case %s is in %s", c.Reference, c.Phase)
	}
	return nil
}

// MoveIntervention checks that intervention i of c may move to status to.
// Its refusals name nothing of the case: a partner moves interventions of
// cases they may not read.
func (c *Case) MoveIntervention(i *Intervention, to InterventionStatus) (Change, error) {
	if c.Closed() {
		return Change{}, Invalid("id", "the intervention's case is closed")
	}
	if !i.Status.CanMoveTo(to) {
		return Change{}, Invalid("id", "an intervention that is %s cannot become %s", i.Status, to)
	}
	if to == InterventionActive && slices.Index(Phases, c.Phase) < slices.Index(Phases, PhaseActionPlan) {
		return Change{}, Invalid("id", "interventions start once the case has an action plan; this one has none yet")
	}
	return Change{Field: "interventions." + i.ID + ".status", Before: i.Status, After: to}, nil
}

// ProposeInterventionInput proposes an offering for a case.
type ProposeInterventionInput struct {
	CaseID         string
	OfferingID     string
	Goal           string
	IdempotencyKey string
}

// Validate checks and trims the input.
func (in *ProposeInterventionInput) Validate() error {
	in.Goal = strings.TrimSpace(in.Goal)
	switch {
	case in.Goal == "":
		return Invalid("goal", "say what the intervention should achieve")
	case len(in.Goal) > MaxGoal:
		return Invalid("goal", "the goal is longer than %d characters", MaxGoal)
	}
	return validateKey(in.IdempotencyKey)
}

// InterventionChange moves an intervention: start, complete or stop it.
type InterventionChange struct {
	ID      string
	On      *time.Time // the day it started or ended; today when nil
	Outcome string     // required to complete
	Reason  string     // required to stop
}

// Validate checks the input for a move to status to.
func (in *InterventionChange) Validate(to InterventionStatus, now time.Time) error {
	in.Outcome = strings.TrimSpace(in.Outcome)
	if in.On != nil && in.On.After(now) {
		return Invalid("on", "the date is in the future")
	}
	switch {
	case to == InterventionCompleted && in.Outcome == "":
		return Invalid("outcome", "say what the intervention achieved")
	case len(in.Outcome) > MaxGoal:
		return Invalid("outcome", "the outcome is longer than %d characters", MaxGoal)
	}
	return validateReason(&in.Reason, to == InterventionStopped)
}

// InterventionService reads interventions and moves them through their
// life: proposed, active, completed or stopped.
type InterventionService interface {
	// InterventionsOfCases returns, for each case, its interventions.
	InterventionsOfCases(ctx context.Context, caseIDs []string) ([][]*Intervention, error)
	// Interventions returns a page of the interventions the caller may see,
	// most recently proposed first: for a partner, those given to their
	// organisation.
	Interventions(ctx context.Context, filter InterventionFilter, page Page) (*InterventionPage, error)
	// Intervention returns the intervention with id, or NOT_FOUND.
	Intervention(ctx context.Context, id string) (*Intervention, error)
	ProposeIntervention(ctx context.Context, in ProposeInterventionInput) (*Intervention, error)
	MoveIntervention(ctx context.Context, in InterventionChange, to InterventionStatus) (*Intervention, error)
}
