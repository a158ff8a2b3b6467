package casus

import (
	"context"
	"time"
)

// Dossier (inzagedossier) is everything casusnet holds about one person,
// compiled by the data-protection officer for that person's request (AVG
// art. 15): the person's record, their ties with the other party redacted,
// the signals about them, the cases concerning them with their course and
// content, and who accessed their data. What is withheld on a statutory
// ground is listed as withheld, with the ground, not left out silently.
type Dossier struct {
	Person    DossierPerson   `json:"person"`
	Relatives []DossierTie    `json:"relatives"`
	Contacts  []DossierTie    `json:"contacts"`
	Signals   []DossierSignal `json:"signals"`
	Cases     []DossierCase   `json:"cases"`
	Accesses  []DossierAccess `json:"accesses"`
	Withheld  []Withheld      `json:"withheld"`
	// Corrections are the rectifications of the person's record made on
	// their requests.
	Corrections []DossierLine `json:"corrections"`
	CompiledAt  time.Time     `json:"compiledAt"`
	CompiledBy  string        `json:"compiledBy"`
}

// DossierPerson is the person's own record.
type DossierPerson struct {
	ID           string     `json:"id"`
	FirstName    string     `json:"firstName"`
	LastName     string     `json:"lastName"`
	Aliases      []string   `json:"aliases"`
	BirthDate    *time.Time `json:"birthDate"`
	Municipality string     `json:"municipality"`
	Notes        string     `json:"notes"`
}

// ThirdParty stands in for the other person of a tie: their data is not
// the requester's to see.
const ThirdParty = "derde (afgeschermd)"

// DossierTie is a family tie or network contact, with the other party
// redacted.
type DossierTie struct {
	Relation string     `json:"relation"` // PARENT, SIBLING, …, or a contact role
	Network  string     `json:"network,omitempty"`
	Since    *time.Time `json:"since,omitempty"`
	Source   string     `json:"source,omitempty"`
	Party    string     `json:"party"`
}

// DossierSignal is a signal about the person.
type DossierSignal struct {
	ReceivedAt   time.Time `json:"receivedAt"`
	Municipality string    `json:"municipality"`
	Description  string    `json:"description"`
	Indicators   []string  `json:"indicators"`
	Status       string    `json:"status"`
}

// DossierCase is a case concerning the person, with what it holds.
type DossierCase struct {
	Reference     string        `json:"reference"`
	Municipality  string        `json:"municipality"`
	Phase         string        `json:"phase"`
	OpenedAt      time.Time     `json:"openedAt"`
	ClosedAt      *time.Time    `json:"closedAt"`
	Summary       string        `json:"summary"`
	RiskLevel     string        `json:"riskLevel"`
	History       []DossierLine `json:"history"`
	Weighings     []DossierLine `json:"weighings"`
	Decisions     []DossierLine `json:"decisions"`
	Actions       []DossierLine `json:"actions"`
	Interventions []DossierLine `json:"interventions"`
	Measures      []DossierLine `json:"measures"`
	Assessments   []DossierLine `json:"assessments"`
}

// DossierLine is one dated line of a case's content.
type DossierLine struct {
	At   time.Time `json:"at"`
	Text string    `json:"text"`
}

// DossierAccess is one access to the person's data, from the access log.
type DossierAccess struct {
	At           time.Time `json:"at"`
	Role         string    `json:"role"`
	Organisation string    `json:"organisation"`
	Action       string    `json:"action"`
	Activities   []string  `json:"processingActivities"`
}

// Withheld is an item left out of the dossier on a statutory ground.
type Withheld struct {
	What   string `json:"what"`
	Ground string `json:"ground"`
}

// WithheldGround returns the statutory ground on which the content of c is
// withheld from its subject's dossier, or "" when it is not: while the
// person is deliberately not informed about the case (an ongoing criminal
// investigation, safety), its content stays out (AVG art. 23, UAVG art. 41)
// until that decision is reconsidered.
func (c *Case) WithheldGround() string {
	if c.Informing != nil && !c.Informing.Informed {
		return "AVG art. 23 / UAVG art. 41: de betrokkene wordt (nog) niet geïnformeerd — " + c.Informing.Ground
	}
	return ""
}

// DossierService compiles dossiers for the data-protection officer.
type DossierService interface {
	// Dossier compiles what casusnet holds about the person with id, whose
	// access-log pseudonym is pseudonym. Only the officer may; a person
	// outside the officer's municipalities is NOT_FOUND.
	Dossier(ctx context.Context, id, pseudonym string) (*Dossier, error)
}
