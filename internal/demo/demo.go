// Package demo holds casusnet's demo region: the Amstelland municipalities and
// Amsterdam, their partner organisations, directors, persons with families and
// networks, cases in every phase and risk group, interventions and signals.
// All of it is invented; any likeness to real people is accidental.
//
// The data is plain values with stable ids, so that seeding it twice changes
// nothing. The Neo4j adapter writes it (neo4j.DB.Seed).
package demo

import "time"

// Data is a whole demo region.
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
	Type                  string
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
	Kind     string
}

// Contact is a tie in a subject's formal or informal network.
type Contact struct {
	From, To   string
	Network    string // FORMAL or INFORMAL
	Role       string // e.g. TEACHER, YOUTH_WORKER, IMAM, SPORTS_COACH, KEY_FIGURE, FRIEND
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
	TargetRiskGroups []string
}

// Case is a case with its whole course so far.
type Case struct {
	ID              string
	Reference       string // AM-2026-0007
	Municipality    string // CBS code
	Subjects        []string
	GroupID         string // optional
	RiskGroups      []string
	Ideology        string // JIHADIST, RIGHT_WING, LEFT_WING, ANIMAL_RIGHTS, OTHER
	RiskLevel       string // LOW, MEDIUM, HIGH
	Phase           string
	EscalationLevel string
	DirectorID      string // empty while unassigned
	Summary         string
	OpenedAt        time.Time
	NextReview      time.Time // zero if none
	Interventions   []Intervention
	Measures        []Measure
	// Course lists the phases the case went through after REGISTERED, in order,
	// with when; the seed writes one case event per move.
	Course []Move
}

// Move is one step of a case's course.
type Move struct {
	Phase  string
	At     time.Time
	Reason string
}

// Intervention is an offering applied in a case.
type Intervention struct {
	ID         string
	OfferingID string
	Status     string // PROPOSED, ACTIVE, COMPLETED, STOPPED
	Goal       string
	Start      time.Time // zero if not started
	End        time.Time // zero if not ended
	Outcome    string
}

// Measure is an administrative measure decided by the mayor.
type Measure struct {
	ID        string
	Type      string // AREA_BAN, REPORTING_DUTY, CONTACT_BAN, PASSPORT_WITHDRAWAL, OTHER
	Decision  string // IMPOSED, REJECTED, LIFTED
	DecidedBy string // the mayor's name
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
	Status         string   // NEW, IN_REVIEW, DISMISSED, CASE_OPENED
	About          []string // person ids
	CaseID         string   // when it led to a case
	DismissReason  string
}
