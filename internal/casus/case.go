package casus

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// Phase is where a case stands in the work process.
type Phase string

// The phases of the work process, in order. A case starts REGISTERED (a
// signal is not yet a case) and may close from any phase.
const (
	PhaseRegistered     Phase = "REGISTERED"
	PhaseAssessment     Phase = "ASSESSMENT"
	PhaseCaseConference Phase = "CASE_CONFERENCE"
	PhaseActionPlan     Phase = "ACTION_PLAN"
	PhaseExecution      Phase = "EXECUTION"
	PhaseAftercare      Phase = "AFTERCARE"
	PhaseClosed         Phase = "CLOSED"
)

// Phases lists every phase in process order.
var Phases = []Phase{PhaseRegistered, PhaseAssessment, PhaseCaseConference,
	PhaseActionPlan, PhaseExecution, PhaseAftercare, PhaseClosed}

// Valid reports whether p is a known phase.
func (p Phase) Valid() bool { return slices.Contains(Phases, p) }

// Next returns the phases a case in phase p may move to: the next phase of the
// process and, for an open case, CLOSED. A closed case moves nowhere.
func (p Phase) Next() []Phase {
	i := slices.Index(Phases, p)
	if i < 0 || p == PhaseClosed {
		return nil
	}
	if Phases[i+1] == PhaseClosed {
		return []Phase{PhaseClosed}
	}
	return []Phase{Phases[i+1], PhaseClosed}
}

// CanMoveTo reports whether a case in phase p may move to phase to.
func (p Phase) CanMoveTo(to Phase) bool { return slices.Contains(p.Next(), to) }

// EscalationLevel is how widely a case is handled, separate from its phase.
type EscalationLevel string

// Escalation levels, from lowest to highest.
const (
	EscalationLocal    EscalationLevel = "LOCAL"
	EscalationRegional EscalationLevel = "REGIONAL"
	EscalationAVZ      EscalationLevel = "AVZ"
	EscalationNational EscalationLevel = "NATIONAL"
)

// EscalationLevels lists every level from lowest to highest.
var EscalationLevels = []EscalationLevel{EscalationLocal, EscalationRegional, EscalationAVZ, EscalationNational}

// Valid reports whether l is a known escalation level.
func (l EscalationLevel) Valid() bool { return slices.Contains(EscalationLevels, l) }

// RiskGroup is one of the five risk groups of the approach.
type RiskGroup string

// The five risk groups.
const (
	RiskTerroristOrReturnee RiskGroup = "TERRORIST_OR_RETURNEE"
	RiskRecruiter           RiskGroup = "RECRUITER"
	RiskTraveller           RiskGroup = "TRAVELLER"
	RiskRadicalising        RiskGroup = "RADICALISING"
	RiskFamilyOfTraveller   RiskGroup = "FAMILY_OF_TRAVELLER"
)

// RiskGroups lists the five risk groups.
var RiskGroups = []RiskGroup{RiskTerroristOrReturnee, RiskRecruiter, RiskTraveller, RiskRadicalising, RiskFamilyOfTraveller}

// Valid reports whether g is a known risk group.
func (g RiskGroup) Valid() bool { return slices.Contains(RiskGroups, g) }

// Ideology is the kind of radicalisation a case is about.
type Ideology string

// Ideologies.
const (
	IdeologyJihadist     Ideology = "JIHADIST"
	IdeologyRightWing    Ideology = "RIGHT_WING"
	IdeologyLeftWing     Ideology = "LEFT_WING"
	IdeologyAnimalRights Ideology = "ANIMAL_RIGHTS"
	IdeologyOther        Ideology = "OTHER"
)

// Ideologies lists every ideology.
var Ideologies = []Ideology{IdeologyJihadist, IdeologyRightWing, IdeologyLeftWing, IdeologyAnimalRights, IdeologyOther}

// Valid reports whether i is a known ideology.
func (i Ideology) Valid() bool { return slices.Contains(Ideologies, i) }

// RiskLevel is the assessed risk of a case.
type RiskLevel string

// Risk levels.
const (
	RiskLow    RiskLevel = "LOW"
	RiskMedium RiskLevel = "MEDIUM"
	RiskHigh   RiskLevel = "HIGH"
)

// RiskLevels lists every risk level from lowest to highest.
var RiskLevels = []RiskLevel{RiskLow, RiskMedium, RiskHigh}

// Valid reports whether l is a known risk level.
func (l RiskLevel) Valid() bool { return slices.Contains(RiskLevels, l) }

// Municipality is a municipality of the region. Every case belongs to exactly
// one, whose mayor is responsible for it.
type Municipality struct {
	Code        string // CBS code, e.g. GM0362
	Name        string
	Inhabitants int
	Mayor       string // the mayor's name, to whom final reports are addressed
}

// Case is a case of the approach: about one or more persons or a group, in one
// municipality, moving through the phases of the work process.
type Case struct {
	ID               string
	Reference        string // e.g. AM-2026-0007, unique
	MunicipalityCode string
	SubjectIDs       []string // the persons it is about
	GroupID          string   // the group it is about, if any
	Phase            Phase
	EscalationLevel  EscalationLevel
	RiskGroups       []RiskGroup
	Ideology         Ideology
	RiskLevel        RiskLevel
	Summary          string
	DirectorID       string     // empty while no director is assigned
	NextReview       *time.Time // date; nil when none is scheduled
	OpenedAt         time.Time
	UpdatedAt        time.Time
	ClosedAt         *time.Time
	Version          int // increases with every change; see CONFLICT
}

// Closed reports whether the case is closed.
func (c *Case) Closed() bool { return c.Phase == PhaseClosed }

// ReviewOverdue reports whether the case's review date has passed on day now.
func (c *Case) ReviewOverdue(now time.Time) bool {
	if c.Closed() || c.NextReview == nil {
		return false
	}
	y, m, d := now.Date()
	return c.NextReview.Before(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// CheckVersion answers CONFLICT when the caller expected another version.
func (c *Case) CheckVersion(expected *int) error {
	if expected != nil && *expected != c.Version {
		return Errorf(ECONFLICT, "case %s changed since you read it (version %d, you had %d); reload and try again",
			c.Reference, c.Version, *expected)
	}
	return nil
}

// checkOpen refuses any change to a closed case.
func (c *Case) checkOpen() error {
	if c.Closed() {
		return Errorf(EINVALID, "case %s is closed", c.Reference)
	}
	return nil
}

// Advance checks that c may move to phase to and returns the change. Closing
// goes through Close, which needs a final report.
func (c *Case) Advance(to Phase) (Change, error) {
	if err := c.checkOpen(); err != nil {
		return Change{}, err
	}
	switch {
	case !to.Valid():
		return Change{}, Invalid("to", "unknown phase %q", to)
	case to == PhaseClosed:
		return Change{}, Invalid("to", "closing a case needs a final report: use closeCase")
	case !c.Phase.CanMoveTo(to):
		return Change{}, Invalid("to", "a case in %s cannot move to %s; next is %s", c.Phase, to, c.Phase.Next()[0])
	case c.Phase == PhaseRegistered && c.DirectorID == "":
		return Change{}, Invalid("to", "assign a director before the case leaves %s", PhaseRegistered)
	}
	return Change{Field: "phase", Before: c.Phase, After: to}, nil
}

// Escalate checks that c may go one escalation level up, or to level to when
// given, and returns the change.
func (c *Case) Escalate(to *EscalationLevel) (Change, error) {
	return c.moveLevel(to, true)
}

// Deescalate checks that c may go one escalation level down, or to level to
// when given, and returns the change.
func (c *Case) Deescalate(to *EscalationLevel) (Change, error) {
	return c.moveLevel(to, false)
}

func (c *Case) moveLevel(to *EscalationLevel, up bool) (Change, error) {
	if err := c.checkOpen(); err != nil {
		return Change{}, err
	}
	i := slices.Index(EscalationLevels, c.EscalationLevel)
	step := map[bool]int{true: 1, false: -1}[up]
	var target EscalationLevel
	if to != nil {
		if !to.Valid() {
			return Change{}, Invalid("to", "unknown escalation level %q", *to)
		}
		target = *to
	} else if j := i + step; j >= 0 && j < len(EscalationLevels) {
		target = EscalationLevels[j]
	}
	j := slices.Index(EscalationLevels, target)
	switch {
	case target == "" && up:
		return Change{}, Invalid("to", "case %s is at the highest level, %s", c.Reference, c.EscalationLevel)
	case target == "":
		return Change{}, Invalid("to", "case %s is at the lowest level, %s", c.Reference, c.EscalationLevel)
	case up && j <= i:
		return Change{}, Invalid("to", "%s is not above %s", target, c.EscalationLevel)
	case !up && j >= i:
		return Change{}, Invalid("to", "%s is not below %s", target, c.EscalationLevel)
	}
	return Change{Field: "escalationLevel", Before: c.EscalationLevel, After: target}, nil
}

// AssignDirector checks that c may get director d and returns the change.
func (c *Case) AssignDirector(d *Director) (Change, error) {
	if err := c.checkOpen(); err != nil {
		return Change{}, err
	}
	if d.ID == c.DirectorID {
		return Change{}, Invalid("director", "%s already directs case %s", d.Name, c.Reference)
	}
	return Change{Field: "director", Before: nullable(c.DirectorID), After: d.ID}, nil
}

// ScheduleReview checks that c may be reviewed on day on and returns the change.
func (c *Case) ScheduleReview(on, now time.Time) (Change, error) {
	if err := c.checkOpen(); err != nil {
		return Change{}, err
	}
	y, m, d := now.Date()
	if on.Before(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) {
		return Change{}, Invalid("on", "the review date is in the past")
	}
	var before any
	if c.NextReview != nil {
		before = c.NextReview.Format(time.DateOnly)
	}
	return Change{Field: "nextReview", Before: before, After: on.Format(time.DateOnly)}, nil
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

// DecideMeasure checks that c may get a decision on a measure: on a closed
// case only lifting one.
func (c *Case) DecideMeasure(d MeasureDecision) error {
	if c.Closed() && d != DecisionLifted {
		return Errorf(EINVALID, "case %s is closed: a measure can only be lifted", c.Reference)
	}
	return nil
}

// Close checks that c may close with report, given its interventions, and
// returns the change.
func (c *Case) Close(report *FinalReport, interventions []*Intervention) (Change, error) {
	if err := c.checkOpen(); err != nil {
		return Change{}, err
	}
	if report == nil {
		return Change{}, Invalid("report", "closing a case needs a final report")
	}
	if err := report.Validate(); err != nil {
		return Change{}, err
	}
	for _, i := range interventions {
		if i.Status == InterventionProposed || i.Status == InterventionActive {
			return Change{}, Invalid("case", "complete or stop the %s interventions of case %s first", strings.ToLower(string(i.Status)), c.Reference)
		}
	}
	return Change{Field: "phase", Before: c.Phase, After: PhaseClosed}, nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Change is one field of a case before and after a change: together the
// changes of an event are a patch and its reverse.
type Change struct {
	Field  string `json:"field"`
	Before any    `json:"before"`
	After  any    `json:"after"`
}

// CaseEvent is one accepted change of a case, written in the same transaction
// as the change itself.
type CaseEvent struct {
	ID     string
	Seq    int64 // position in the global event log; gapless and increasing
	CaseID string
	// MunicipalityCode is the case's municipality, for filtering streams.
	MunicipalityCode string
	Type             string
	Actor            Actor
	At               time.Time
	Reason           string
	Changes          []Change
}

// ChangesJSON returns the changes as stored.
func ChangesJSON(changes []Change) string {
	if len(changes) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(changes)
	return string(b)
}

// Event types.
const (
	EventCaseOpened            = "CASE_OPENED"
	EventPhaseChanged          = "PHASE_CHANGED"
	EventEscalated             = "ESCALATED"
	EventDeescalated           = "DEESCALATED"
	EventDirectorAssigned      = "DIRECTOR_ASSIGNED"
	EventReviewScheduled       = "REVIEW_SCHEDULED"
	EventInterventionProposed  = "INTERVENTION_PROPOSED"
	EventInterventionStarted   = "INTERVENTION_STARTED"
	EventInterventionCompleted = "INTERVENTION_COMPLETED"
	EventInterventionStopped   = "INTERVENTION_STOPPED"
	EventMeasureDecided        = "MEASURE_DECIDED"
	EventCaseClosed            = "CASE_CLOSED"
	EventAccessGranted         = "ACCESS_GRANTED"
)

// EventTypes lists every event type.
var EventTypes = []string{EventCaseOpened, EventPhaseChanged, EventEscalated, EventDeescalated,
	EventDirectorAssigned, EventReviewScheduled, EventInterventionProposed, EventInterventionStarted,
	EventInterventionCompleted, EventInterventionStopped, EventMeasureDecided, EventCaseClosed, EventAccessGranted}

// Limits on free text, so that nothing unbounded reaches the database.
const (
	MaxSummary = 4000
	MaxReason  = 2000
	MaxKey     = 200
	MaxGoal    = 4000
)

func validateReason(reason *string, required bool) error {
	*reason = strings.TrimSpace(*reason)
	switch {
	case required && *reason == "":
		return Invalid("reason", "a reason is required")
	case len(*reason) > MaxReason:
		return Invalid("reason", "the reason is longer than %d characters", MaxReason)
	}
	return nil
}

// OpenCaseInput is what opening a case needs: a municipality, and what it is
// about: signals, persons, a group, or any mix of them.
type OpenCaseInput struct {
	MunicipalityCode string
	SignalIDs        []string
	SubjectIDs       []string
	GroupID          string
	Summary          string
	RiskGroups       []RiskGroup
	Ideology         Ideology
	RiskLevel        RiskLevel
	Reason           string
	// IdempotencyKey, when set, makes a retried request return the case the
	// first one opened instead of opening another.
	IdempotencyKey string
}

// Validate checks the input on its own, before any database is touched. It
// trims text in place.
func (in *OpenCaseInput) Validate() error {
	in.MunicipalityCode = strings.TrimSpace(in.MunicipalityCode)
	in.Summary = strings.TrimSpace(in.Summary)
	in.GroupID = strings.TrimSpace(in.GroupID)
	in.SignalIDs, in.SubjectIDs = dedupe(in.SignalIDs), dedupe(in.SubjectIDs)
	switch {
	case in.MunicipalityCode == "":
		return Invalid("municipality", "a municipality is required")
	case len(in.SignalIDs)+len(in.SubjectIDs) == 0 && in.GroupID == "":
		return Invalid("subjects", "say what the case is about: signals, persons or a group")
	case len(in.SignalIDs) > MaxGroupSize || len(in.SubjectIDs) > MaxGroupSize:
		return Invalid("subjects", "at most %d signals and %d persons", MaxGroupSize, MaxGroupSize)
	case in.Summary == "":
		return Invalid("summary", "a summary is required")
	case len(in.Summary) > MaxSummary:
		return Invalid("summary", "the summary is longer than %d characters", MaxSummary)
	case len(in.RiskGroups) == 0:
		return Invalid("riskGroups", "at least one risk group is required")
	case !in.Ideology.Valid():
		return Invalid("ideology", "unknown ideology %q", in.Ideology)
	case !in.RiskLevel.Valid():
		return Invalid("riskLevel", "unknown risk level %q", in.RiskLevel)
	}
	if err := validateReason(&in.Reason, false); err != nil {
		return err
	}
	seen := map[RiskGroup]bool{}
	for _, g := range in.RiskGroups {
		if !g.Valid() {
			return Invalid("riskGroups", "unknown risk group %q", g)
		}
		if seen[g] {
			return Invalid("riskGroups", "risk group %s is listed twice", g)
		}
		seen[g] = true
	}
	return validateKey(in.IdempotencyKey)
}

// CaseChange is the common part of every change to an existing case.
type CaseChange struct {
	CaseID string
	Reason string
	// ExpectedVersion, when set, must be the case's version, or the change is
	// refused with CONFLICT: someone else changed the case in between.
	ExpectedVersion *int
}

// Validate checks the common part; a reason is required for some changes.
func (in *CaseChange) Validate(reasonRequired bool) error {
	return validateReason(&in.Reason, reasonRequired)
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

// CaseOrder is how a list of cases is sorted.
type CaseOrder string

// Case orders. Every order ends on the case id, so pages are stable.
const (
	CaseOrderOpenedDesc  CaseOrder = "OPENED_AT_DESC"
	CaseOrderOpenedAsc   CaseOrder = "OPENED_AT_ASC"
	CaseOrderUpdatedDesc CaseOrder = "UPDATED_AT_DESC"
	CaseOrderReference   CaseOrder = "REFERENCE_ASC"
)

// CaseFilter narrows a list of cases. Zero values mean "any".
type CaseFilter struct {
	MunicipalityCode string
	Phase            Phase
	RiskGroup        RiskGroup
	Ideology         Ideology
	EscalationLevel  EscalationLevel
	DirectorID       string
	OverdueReview    *bool
	// Search matches a part of the reference or the summary, ignoring case.
	Search string
	Order  CaseOrder
	// Include is not a filter: it names the objects around each case to read
	// in the same statement as the cases, returned in CasePage.Related.
	Include CaseInclude
}

// CaseInclude names the objects around each case of a page to read along
// with it. The caller's scope applies to them as to any read.
type CaseInclude struct {
	Municipality         bool
	Director             bool
	DirectorOrganisation bool
	Subjects             bool
	Interventions        bool
	Offerings            bool // of the interventions
	Providers            bool // of the offerings
}

// CaseRelated holds what a CaseInclude asked for; what it did not ask for is
// nil. Objects that no case of the page has, or that the caller may not see,
// are missing.
type CaseRelated struct {
	Municipalities []*Municipality
	Directors      []*Director
	Organisations  []*Organisation // employers of the directors and providers of the offerings
	Persons        []*Person       // subjects
	Interventions  map[string][]*Intervention
	Offerings      []*Offering
}

// Validate checks the filter's values.
func (f *CaseFilter) Validate() error {
	f.Search = strings.TrimSpace(f.Search)
	switch {
	case f.Phase != "" && !f.Phase.Valid():
		return Invalid("filter.phase", "unknown phase %q", f.Phase)
	case f.RiskGroup != "" && !f.RiskGroup.Valid():
		return Invalid("filter.riskGroup", "unknown risk group %q", f.RiskGroup)
	case f.Ideology != "" && !f.Ideology.Valid():
		return Invalid("filter.ideology", "unknown ideology %q", f.Ideology)
	case f.EscalationLevel != "" && !f.EscalationLevel.Valid():
		return Invalid("filter.escalationLevel", "unknown escalation level %q", f.EscalationLevel)
	case len(f.Search) > MaxName:
		return Invalid("filter.search", "the search is longer than %d characters", MaxName)
	}
	return nil
}

// Page asks for a window of a list, Relay style: First items after the cursor
// After, or Last items before the cursor Before.
type Page struct {
	First  *int
	After  string
	Last   *int
	Before string
	// SkipTotal says the caller does not need the total count, which
	// costs a second pass over everything that matches.
	SkipTotal bool
}

// Page size limits.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// Validate checks the window's sizes. Cursors are checked by whoever decodes them.
func (p Page) Validate() error {
	switch {
	case p.First != nil && p.Last != nil:
		return Invalid("first", "use first or last, not both")
	case p.First != nil && (*p.First < 0 || *p.First > MaxPageSize):
		return Invalid("first", "first must be between 0 and %d", MaxPageSize)
	case p.Last != nil && (*p.Last < 0 || *p.Last > MaxPageSize):
		return Invalid("last", "last must be between 0 and %d", MaxPageSize)
	}
	return nil
}

// CaseEdge is a case with its cursor in a list.
type CaseEdge struct {
	Cursor string
	Case   *Case
}

// CasePage is one window of a list of cases.
type CasePage struct {
	Edges           []CaseEdge
	TotalCount      int
	HasNextPage     bool
	HasPreviousPage bool
	// Related is what the filter's Include asked for, or nil.
	Related *CaseRelated
}

// EventEdge is a case event with its cursor.
type EventEdge struct {
	Cursor string
	Event  *CaseEvent
}

// EventPage is one window of a case's timeline.
type EventPage struct {
	Edges           []EventEdge
	TotalCount      int
	HasNextPage     bool
	HasPreviousPage bool
}

// CaseService reads and changes cases. Its implementations run each change
// in one transaction: they lock the case, check the rules of this package on
// its current state, apply the change, and append its event.
type CaseService interface {
	// Case returns the case with id, or a NOT_FOUND error.
	Case(ctx context.Context, id string) (*Case, error)
	CasesByID(ctx context.Context, ids []string) ([]*Case, error)
	// Cases returns one page of the cases that match filter.
	Cases(ctx context.Context, filter CaseFilter, page Page) (*CasePage, error)
	// CasesOfPersons returns, for each person, the cases about them (directly
	// or through a group), newest first.
	CasesOfPersons(ctx context.Context, personIDs []string) ([][]*Case, error)
	// CasesOfDirectors returns, for each director, the open cases they direct.
	CasesOfDirectors(ctx context.Context, directorIDs []string) ([][]*Case, error)
	// Timeline returns a page of a case's events, oldest first.
	Timeline(ctx context.Context, caseID string, page Page) (*EventPage, error)
	InterventionsOfCases(ctx context.Context, caseIDs []string) ([][]*Intervention, error)
	// Interventions returns a page of the interventions the caller may see,
	// most recently proposed first: for a partner, those given to their
	// organisation.
	Interventions(ctx context.Context, filter InterventionFilter, page Page) (*InterventionPage, error)
	Intervention(ctx context.Context, id string) (*Intervention, error)
	MeasuresOfCases(ctx context.Context, caseIDs []string) ([][]*Measure, error)
	// FinalReport returns the final report of a closed case, nil for an open one.
	FinalReport(ctx context.Context, caseID string) (*FinalReport, error)

	// OpenCase registers a new case in REGISTERED at LOCAL; the signals it is
	// opened from become CASE_OPENED.
	OpenCase(ctx context.Context, in OpenCaseInput) (*Case, error)
	AdvanceCase(ctx context.Context, in CaseChange, to Phase) (*Case, error)
	EscalateCase(ctx context.Context, in CaseChange, to *EscalationLevel) (*Case, error)
	DeescalateCase(ctx context.Context, in CaseChange, to *EscalationLevel) (*Case, error)
	AssignDirector(ctx context.Context, in CaseChange, directorID string) (*Case, error)
	ScheduleReview(ctx context.Context, in CaseChange, on time.Time) (*Case, error)
	CloseCase(ctx context.Context, in CaseChange, report FinalReport) (*Case, error)
	ProposeIntervention(ctx context.Context, in ProposeInterventionInput) (*Intervention, error)
	MoveIntervention(ctx context.Context, in InterventionChange, to InterventionStatus) (*Intervention, error)
	DecideMeasure(ctx context.Context, in DecideMeasureInput) (*Measure, error)
	// EventsAfter returns up to limit events after sequence number after, in
	// order, of the cases the caller may see that match filter.
	EventsAfter(ctx context.Context, after int64, filter EventFilter, limit int) ([]*CaseEvent, error)
	// VisibleCases returns which of the cases the caller may see. The
	// cases must exist, as those named by events do.
	VisibleCases(ctx context.Context, caseIDs []string) (map[string]bool, error)
	// LastEventSeq returns the sequence number of the newest event.
	LastEventSeq(ctx context.Context) (int64, error)
	// GrantAccess gives a named user access to one case for a limited time.
	GrantAccess(ctx context.Context, in GrantInput) (*Grant, error)
	// GrantsOfCases returns each case's grants that have not expired.
	GrantsOfCases(ctx context.Context, caseIDs []string) ([][]*Grant, error)
}

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

// MaxGrant is the longest a grant may run.
const MaxGrant = 90 * 24 * time.Hour

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

// EventFilter narrows a stream of case events. Zero values mean "any".
type EventFilter struct {
	CaseID           string
	MunicipalityCode string
	Types            []string
}

// Match reports whether e passes the filter.
func (f EventFilter) Match(e *CaseEvent) bool {
	return (f.CaseID == "" || e.CaseID == f.CaseID) &&
		(f.MunicipalityCode == "" || e.MunicipalityCode == f.MunicipalityCode) &&
		(len(f.Types) == 0 || slices.Contains(f.Types, e.Type))
}
