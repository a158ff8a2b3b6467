package casus

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Dossier (inzagedossier) is everything casusnet holds about one person,
// compiled by the data-protection officer for that person's request (AVG
// art. 15): the person's record, their ties with the other party redacted,
// the signals about them, the cases concerning them with their course and
// content, and who accessed their data.
//
// A case the person is deliberately not informed about (an ongoing criminal
// investigation, someone's safety) is withheld whole: its reference, its
// content, the signals that led to it and the accesses made for it. The
// dossier then says only that some information is withheld under AVG art.
// 23 / UAVG art. 41 (Notice) — nothing that names, describes or dates what
// — since telling more would defeat not informing. What was withheld and
// why is the officer's record for the file (Record), never the person's.
type Dossier struct {
	Person    DossierPerson   `json:"person"`
	Relatives []DossierTie    `json:"relatives"`
	Contacts  []DossierTie    `json:"contacts"`
	Signals   []DossierSignal `json:"signals"`
	Cases     []DossierCase   `json:"cases"`
	Accesses  []DossierAccess `json:"accesses"`
	// Notice is WithheldNotice when anything is withheld, else empty.
	Notice string `json:"notice,omitempty"`
	// Record is what was withheld and why, for the officer's file only.
	Record []Withheld `json:"-"`
	// Others are the third parties whose names Redact takes out: persons
	// tied to the person or sharing a case or a signal with them.
	Others []Name `json:"-"`
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
	// Cases are the ids of the cases the signal led to.
	Cases []string `json:"-"`
}

// DossierCase is a case concerning the person, with what it holds.
type DossierCase struct {
	ID            string        `json:"-"`
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
	// Cases are the ids of the cases the access was made for.
	Cases []string `json:"-"`
}

// WithheldNotice is what a dossier says when something is withheld: the
// statutory ground and the person's recourse, and nothing about what.
const WithheldNotice = "Op grond van artikel 23 AVG en artikel 41 UAVG wordt een deel van de gegevens (nog) niet verstrekt. " +
	"U kunt de Autoriteit Persoonsgegevens vragen na te gaan of dit terecht is, of bezwaar maken bij de gemeente."

// StatutoryGround is the law under which a case is withheld.
const StatutoryGround = "AVG art. 23 / UAVG art. 41"

// Withheld is the officer's record of one case left out of a dossier: which
// case, on what ground, until when, and how much of it stayed out.
type Withheld struct {
	Case         string     `json:"case"` // the case's reference
	Municipality string     `json:"municipality"`
	Statutory    string     `json:"statutoryGround"`
	Ground       string     `json:"ground"` // the recorded reason for not informing
	ReconsiderOn *time.Time `json:"reconsiderOn,omitempty"`
	Signals      int        `json:"signals"`  // signals that led to it, left out
	Accesses     int        `json:"accesses"` // accesses made for it, left out
}

// Withholds reports whether the content of c is withheld from its subject's
// dossier: while the person is deliberately not informed about the case
// (AVG art. 23, UAVG art. 41), until that decision is reconsidered.
func (c *Case) Withholds() bool {
	return c.Informing != nil && !c.Informing.Informed
}

// Withhold takes out of d everything of the cases withheld from the
// person, and records each in d.Record: the signals that led to them, and
// the accesses made for them or, from the earliest of them on, made for no
// case that d shows (they would date what is withheld). The person's own
// requests (DATA_SUBJECT_RIGHTS alone) stay. d.Notice then says that
// something is withheld, and nothing more.
func (d *Dossier) Withhold(withheld []*Case) {
	if len(withheld) == 0 {
		return
	}
	ids := map[string]*Withheld{}
	var from time.Time
	for _, c := range withheld {
		w := Withheld{Case: c.Reference, Municipality: c.MunicipalityCode, Statutory: StatutoryGround}
		if c.Informing != nil {
			w.Ground, w.ReconsiderOn = c.Informing.Ground, c.Informing.ReconsiderOn
		}
		d.Record = append(d.Record, w)
		if from.IsZero() || c.OpenedAt.Before(from) {
			from = c.OpenedAt
		}
	}
	for i, c := range withheld {
		ids[c.ID] = &d.Record[i]
	}
	named := func(cases []string) *Withheld {
		for _, c := range cases {
			if w, ok := ids[c]; ok {
				return w
			}
		}
		return nil
	}
	signals := d.Signals[:0]
	for _, s := range d.Signals {
		if w := named(s.Cases); w != nil {
			w.Signals++
			if s.ReceivedAt.Before(from) {
				from = s.ReceivedAt
			}
			continue
		}
		signals = append(signals, s)
	}
	d.Signals = signals
	shown := map[string]bool{}
	for _, c := range d.Cases {
		shown[c.ID] = true
	}
	accesses := d.Accesses[:0]
	for _, a := range d.Accesses {
		if w := named(a.Cases); w != nil {
			w.Accesses++
			continue
		}
		own := len(a.Activities) == 1 && a.Activities[0] == ActivityRights
		forShown := slices.ContainsFunc(a.Cases, func(c string) bool { return shown[c] })
		if !own && !forShown && !a.At.Before(from) {
			d.Record[0].Accesses++
			continue
		}
		accesses = append(accesses, a)
	}
	d.Accesses = accesses
	d.Notice = WithheldNotice
}

// DossierService compiles dossiers for the data-protection officer.
type DossierService interface {
	// Dossier compiles what casusnet holds about the person with id, whose
	// access-log pseudonym is pseudonym, with the officer's record of what
	// it withholds. Only the officer may; a person outside the officer's
	// municipalities is NOT_FOUND.
	Dossier(ctx context.Context, id, pseudonym string) (*Dossier, error)
}

// Redact replaces, in every free text of d, the names of d.Others: their
// full names, their aliases and their first names, as whole words, by
// ThirdParty. The person's own names stay. A dossier answers the person's
// right of access; it may not disclose others (AVG art. 15(4)).
func (d *Dossier) Redact() {
	own := map[string]bool{strings.ToLower(d.Person.FirstName): true, strings.ToLower(d.Person.LastName): true}
	for _, a := range d.Person.Aliases {
		own[strings.ToLower(a)] = true
	}
	var words []string
	for _, o := range d.Others {
		for _, w := range append([]string{strings.TrimSpace(o.FirstName + " " + o.LastName), o.FirstName}, o.Aliases...) {
			if len([]rune(w)) >= 3 && !own[strings.ToLower(w)] {
				words = append(words, w)
			}
		}
	}
	if len(words) == 0 {
		return
	}
	// Longest first, so that a full name goes before its first name.
	slices.SortFunc(words, func(a, b string) int { return len(b) - len(a) })
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = regexp.QuoteMeta(w)
	}
	re := regexp.MustCompile(`(?i)(^|[^\pL\pN])(` + strings.Join(quoted, "|") + `)([^\pL\pN]|$)`)
	redact := func(s *string) {
		// Matches that share a boundary character are found one at a time.
		for prev := ""; prev != *s; {
			prev = *s
			*s = re.ReplaceAllString(*s, "${1}"+ThirdParty+"${3}")
		}
	}
	redact(&d.Person.Notes)
	for i := range d.Signals {
		redact(&d.Signals[i].Description)
	}
	for i := range d.Cases {
		c := &d.Cases[i]
		redact(&c.Summary)
		for _, lines := range [][]DossierLine{c.History, c.Weighings, c.Decisions, c.Actions, c.Interventions, c.Measures, c.Assessments} {
			for j := range lines {
				redact(&lines[j].Text)
			}
		}
	}
	for i := range d.Corrections {
		redact(&d.Corrections[i].Text)
	}
}

// Name is a person's names, as a dossier redacts them.
type Name struct {
	FirstName, LastName string
	Aliases             []string
}
