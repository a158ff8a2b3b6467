package casus

import (
	"context"
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

// NextPhases returns the phases c may move to by advancing or closing:
// none from ASSESSMENT, which a case leaves only through a weighing.
func (c *Case) NextPhases() []Phase {
	if c.Phase == PhaseAssessment {
		return []Phase{}
	}
	return c.Phase.Next()
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
	// RiskOverridden is set while a director's own risk level stands in
	// for the latest assessment's.
	RiskOverridden bool
	// Informing says whether the subject was told; nil until recorded.
	Informing  *Informing
	Summary    string
	DirectorID string     // empty while no director is assigned
	NextReview *time.Time // date; nil when none is scheduled
	OpenedAt   time.Time
	UpdatedAt  time.Time
	ClosedAt   *time.Time
	Version    int // increases with every change; see CONFLICT
}

// Closed reports whether the case is closed.
func (c *Case) Closed() bool { return c.Phase == PhaseClosed }

// ReviewOverdue reports whether the case's review date has passed on day now.
func (c *Case) ReviewOverdue(now time.Time) bool {
	if c.Closed() || c.NextReview == nil {
		return false
	}
	return c.NextReview.Before(today(now))
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

// Content is what a case holds of the work its phases ask for.
type Content struct {
	HeldConferences int // conferences whose minutes are recorded
	Goals           int // goals of the plan
	Actions         int // actions of the plan, not cancelled
}

// Advance checks that c, holding content, may move to phase to and returns
// the change. A case leaves ASSESSMENT only through a weighing (Weigh);
// it leaves CASE_CONFERENCE once a conference is held, and ACTION_PLAN once
// the plan has a goal and an action. Closing goes through Close, which needs
// a final report.
func (c *Case) Advance(to Phase, content Content) (Change, error) {
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
	}
	if needs := c.Needs(content); needs != "" {
		return Change{}, Invalid("to", "%s", needs)
	}
	return Change{Field: "phase", Before: c.Phase, After: to}, nil
}

// Needs says, in Dutch for the people who do the work, what the case's
// current phase still needs before the case can move on; "" when nothing.
// It is the rule Advance refuses by, so that a screen can say it before a
// move is tried.
func (c *Case) Needs(content Content) string {
	switch {
	case c.Closed():
		return ""
	case c.Phase == PhaseRegistered && c.DirectorID == "":
		return "Wijs eerst een casusregisseur toe; daarna kan de casus naar de weging."
	case c.Phase == PhaseAssessment:
		return "De casus gaat verder via de weging: leg de weging vast met het wegingsteam."
	case c.Phase == PhaseCaseConference && content.HeldConferences == 0:
		return "Leg eerst het verslag van een casusoverleg vast: daaruit komt het plan van aanpak."
	case c.Phase == PhaseActionPlan && (content.Goals == 0 || content.Actions == 0):
		return "Het plan van aanpak heeft minstens één doel en één actie nodig voordat de uitvoering begint."
	}
	return ""
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
	if c.Phase == PhaseAssessment {
		return Change{}, Invalid("case", "a case in %s closes through a weighing (NO_ACTION or REFER_TO_PROSECUTOR), which records the criteria and reasons", PhaseAssessment)
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
// with it, and the costly members of those objects that the request asks
// for. The caller's scope applies to them as to any read.
type CaseInclude struct {
	Municipality         bool
	Director             bool
	DirectorOrganisation bool
	Subjects             bool
	Interventions        bool
	Offerings            bool // of the interventions
	Providers            bool // of the offerings
	Relatives            bool // of the subjects
	Contacts             bool // of the subjects
	Ties                 bool // the persons at the other end of the subjects' relatives and contacts

	// Counted and derived members: a director's open cases and an
	// intervention's subject names are read only when asked for; left out,
	// they are zero.
	OpenCases    bool
	SubjectNames bool
}

// CaseRelated holds what a CaseInclude asked for; what it did not ask for is
// nil. Objects that no case of the page has, or that the caller may not see,
// are missing.
type CaseRelated struct {
	Include        CaseInclude // what was read
	Municipalities []*Municipality
	Directors      []*Director
	Organisations  []*Organisation // employers of the directors and providers of the offerings
	Persons        []*Person       // subjects, and the persons their ties reach
	Interventions  map[string][]*Intervention
	Offerings      []*Offering
	Relatives      map[string][]Relative // by subject
	Contacts       map[string][]*Contact // by subject
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

// Page size limits.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

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

// CaseService reads and opens cases. Its implementations run each change
// in one transaction that checks the rules of this package on the current
// state and appends the change's event.
type CaseService interface {
	// Case returns the case with id, or a NOT_FOUND error.
	Case(ctx context.Context, id string) (*Case, error)
	// CaseWith returns the case with id and, read in the same statement,
	// the objects around it that include names; or a NOT_FOUND error.
	CaseWith(ctx context.Context, id string, include CaseInclude) (*Case, *CaseRelated, error)
	// CasesByID returns the cases with these ids the caller may see, in the
	// order of ids (nil where one is missing).
	CasesByID(ctx context.Context, ids []string) ([]*Case, error)
	// Cases returns one page of the cases that match filter.
	Cases(ctx context.Context, filter CaseFilter, page Page) (*CasePage, error)
	// CasesOfPersons returns, for each person, the cases about them (directly
	// or through a group), newest first.
	CasesOfPersons(ctx context.Context, personIDs []string) ([][]*Case, error)
	// CasesOfDirectors returns, for each director, the open cases they direct.
	CasesOfDirectors(ctx context.Context, directorIDs []string) ([][]*Case, error)
	// OpenCase registers a new case in REGISTERED at LOCAL; the signals it is
	// opened from become CASE_OPENED.
	OpenCase(ctx context.Context, in OpenCaseInput) (*Case, error)
	// AddSubject makes a person a subject of an open case, under the rules
	// that open a case about them (CheckCaseSubjects).
	AddSubject(ctx context.Context, in AddSubjectInput) (*Case, error)
}

// PhaseService moves a case through the work process: its phase, its
// director and its next review (its escalation level: EscalationService). Each change locks
// the case, checks the rules on its current state and appends its event.
type PhaseService interface {
	AdvanceCase(ctx context.Context, in CaseChange, to Phase) (*Case, error)
	// Contents counts, for each readable case, what it holds of the work
	// its phases ask for (zero for one the caller cannot read).
	Contents(ctx context.Context, caseIDs []string) ([]*Content, error)
	AssignDirector(ctx context.Context, in CaseChange, directorID string) (*Case, error)
	ScheduleReview(ctx context.Context, in CaseChange, on time.Time) (*Case, error)
}
