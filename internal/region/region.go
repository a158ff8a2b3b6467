// Package region is the model of a region's data as it is loaded in bulk:
// the municipalities, organisations, directors, persons with their families,
// networks and groups, cases with their course, interventions and measures,
// and signals. It is typed with the domain's own kinds, holds plain values
// with stable ids (loading the same data twice changes nothing), and is what
// the demo region, the CSV import and the synthetic generator produce and
// the Neo4j adapter writes (neo4j.DB.Seed).
package region

import (
	"time"

	"casusnet/internal/casus"
)

// Data is a whole region to load.
type Data struct {
	Municipalities []Municipality
	Organisations  []Organisation
	Directors      []Director
	Persons        []Person
	Relatives      []Relative
	Contacts       []Contact
	Memberships    []Membership
	Groups         []Group
	Offerings      []Offering
	Cases          []Case
	Signals        []Signal
	// Criteria is the region's weighing list; empty for the default one
	// (casus.DefaultCriteria).
	Criteria []casus.Criterion
	// Escalation is the region's agreements about escalation levels; empty
	// for the default (casus.DefaultAgreements: no participants).
	Escalation casus.Agreements
	// Questions are "known elsewhere?" questions asked, and Shares the
	// requests to share that followed hits (granted ones with their grants).
	Questions []Question
	Shares    []casus.ShareRequest
}

// Question is a "known elsewhere?" question as it was asked and answered.
type Question struct {
	ID, UserID, UserName   string
	PurposeKind, PurposeID string // "Signal" or "Case", and its id
	At                     time.Time
	Hit                    bool
	PersonIDs, CaseIDs     []string // the persons it touched and the hidden cases it found
}

// Municipality is a municipality with its CBS code (GM0362) and inhabitants.
type Municipality struct {
	Code        string
	Name        string
	Inhabitants int
	Mayor       string // the (invented) mayor, to whom final reports are addressed
}

// Organisation is a party in the approach: OOV department, police, OM, NCTV,
// or a partner that provides directors or interventions.
type Organisation struct {
	ID   string
	Name string
	// Type is one of MUNICIPALITY_OOV, POLICE, PUBLIC_PROSECUTOR, NCTV,
	// YOUTH_WORK, WELFARE, YOUTH_CARE, GGD, SCHOOL, OTHER.
	Type                  casus.OrganisationType
	ProvidesDirectors     bool
	ProvidesInterventions bool
}

// Director is a case director employed by an organisation.
type Director struct {
	ID             string
	Name           string
	OrganisationID string
	Municipalities []string // CBS codes served
	Expertise      []string // ideologies and risk groups, e.g. JIHADIST, RETURNEES
	Capacity       int      // cases at once
}

// Person is a subject, relative or network contact.
type Person struct {
	ID           string
	FirstName    string
	LastName     string
	Aliases      []string
	BirthDate    time.Time // date only
	Municipality string    // CBS code of residence; empty if unknown
	Notes        string
}

// Relative is a family tie; Kind is PARENT, CHILD, SIBLING, PARTNER or OTHER,
// read as "From is Kind of To".
type Relative struct {
	From, To string
	Kind     casus.RelativeKind
}

// Contact is a tie in a subject's formal or informal network.
type Contact struct {
	From, To   string
	Network    casus.Network
	Role       casus.ContactRole // e.g. TEACHER, YOUTH_WORKER, IMAM, SPORTS_COACH, KEY_FIGURE, FRIEND
	Since      time.Time
	Source     string  // who reported the tie, e.g. "politie", "jongerenwerk"
	Confidence float64 // 0..1
}

// Membership ties a person to an organisation (a teacher to a school).
type Membership struct {
	PersonID, OrganisationID string
}

// Group is a set of persons that a case can be about.
type Group struct {
	ID      string
	Name    string
	Members []string // person ids
}

// Offering is an intervention a provider offers.
type Offering struct {
	ID               string
	ProviderID       string // organisation id
	Name             string
	Description      string
	TargetRiskGroups []casus.RiskGroup
}

// Case is a case with its whole course so far.
type Case struct {
	ID              string
	Reference       string // AM-2026-0007
	Municipality    string // CBS code
	Subjects        []string
	GroupID         string // optional
	RiskGroups      []casus.RiskGroup
	Ideology        casus.Ideology  // JIHADIST, RIGHT_WING, LEFT_WING, ANIMAL_RIGHTS, OTHER
	RiskLevel       casus.RiskLevel // LOW, MEDIUM, HIGH
	Phase           casus.Phase
	EscalationLevel casus.EscalationLevel
	DirectorID      string // empty while unassigned
	Summary         string
	OpenedAt        time.Time
	NextReview      time.Time // zero if none
	Interventions   []Intervention
	Measures        []Measure
	Weighings       []Weighing
	Conferences     []Conference
	Goals           []Goal
	Assessments     []Assessment
	Informing       *casus.Informing // nil until recorded
	// Escalations are the case's recorded moves between levels, and Advice
	// what was asked of and advised by the levels' participants.
	Escalations []casus.Escalation
	Advice      []casus.Advice
	// Course lists the phases the case went through after REGISTERED, in order,
	// with when; the seed writes one case event per move.
	Course []Move
}

// Move is one step of a case's course.
type Move struct {
	Phase  casus.Phase
	At     time.Time
	Reason string
}

// Intervention is an offering applied in a case.
type Intervention struct {
	ID         string
	OfferingID string
	Status     casus.InterventionStatus // PROPOSED, ACTIVE, COMPLETED, STOPPED
	Goal       string
	Start      time.Time // zero if not started
	End        time.Time // zero if not ended
	Outcome    string
}

// Measure is an administrative measure decided by the mayor.
type Measure struct {
	ID        string
	Type      casus.MeasureType     // AREA_BAN, REPORTING_DUTY, CONTACT_BAN, PASSPORT_WITHDRAWAL, OTHER
	Decision  casus.MeasureDecision // IMPOSED, REJECTED, LIFTED
	DecidedBy string                // the mayor's name
	Reason    string
	DecidedAt time.Time
}

// Signal is a report by trained field staff about one or more persons.
type Signal struct {
	ID             string
	ReporterName   string
	OrganisationID string
	Municipality   string
	Description    string
	Indicators     []string
	ReceivedAt     time.Time
	Status         casus.SignalStatus // NEW, IN_REVIEW, DISMISSED, CASE_OPENED
	About          []string           // person ids
	CaseID         string             // when it led to a case
	DismissReason  string
}

// Weighing is a weighing of a case in ASSESSMENT.
type Weighing struct {
	ID                 string
	Members            []casus.TeamMember
	Criteria           []casus.CriterionCheck
	Outcome            casus.WeighingOutcome // NO_ACTION, MORE_INFORMATION, INCLUDE, REFER_TO_PROSECUTOR
	Reasons            string
	MissingInformation string
	InformationDue     time.Time // zero if none
	WeighedOn          time.Time
}

// Conference is a case conference; it was held when it has minutes.
type Conference struct {
	ID            string
	Date          time.Time
	StartsAt      string // "14:00"
	EndsAt        string
	Chair         string
	Invitations   []casus.Invitation
	Agenda        []casus.AgendaItem
	Contributions []casus.Contribution
	Decisions     []casus.Decision
	Minutes       string
}

// Goal is a goal of the plan of action, with its actions.
type Goal struct {
	ID            string
	Domain        casus.LifeDomain
	Description   string
	CreatedAt     time.Time
	ProgressAt    time.Time // zero: CreatedAt
	Interventions []string  // ids of the case's interventions that serve it
	Actions       []Action
}

// Action is an action of a goal, owned by an organisation.
type Action struct {
	ID             string
	ConferenceID   string // the conference that decided it, if any
	Description    string
	OrganisationID string
	Owner          string
	Due            time.Time // zero if none
	Condition      string
	Status         casus.ActionStatus // OPEN, DONE, CANCELLED
	Result         string
}

// Assessment is a structured risk assessment's outcome.
type Assessment struct {
	ID             string
	Instrument     casus.Instrument
	Version        string
	Assessor       string
	OrganisationID string
	Accredited     bool
	On             time.Time
	Outcome        casus.RiskLevel
	Scenarios      string
	NextOn         time.Time // zero if none
}
