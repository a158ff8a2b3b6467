package neo4j_test

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"casusnet/internal/casus"
	"casusnet/internal/demo"
	"casusnet/internal/neo4j"
	"casusnet/internal/neo4j/neo4jtest"
)

// The scope model test drives random sequences of every write that a
// low-privilege role may attempt, with ids drawn from everything in the
// region (an attacker learns ids from redacted network nodes, exports and
// old links), and checks the invariant of internal/casus after every step:
// a write widens nobody's read scope beyond what it legitimately created
// or what its writer could already read.

// modelRegion has three municipalities with persons at every distance from
// their cases, ties across the borders, a person without a known residence,
// and a group of Amsterdam residents.
//
//	Diemen:    case-d about d1; d1 -contact-> a1 (lives in Amsterdam), d1 -contact-> n1 (residence unknown);
//	           d2 lives in Diemen and is in no case.
//	Amsterdam: case-a about a3 (directed by dir-am); a4 is a3's relative; a1 -contact-> a2;
//	           group g-a of a5 and a2; sig-a is about a4.
//	Aalsmeer:  case-l about l1; l1 -contact-> l2.
//	n1 -contact-> x1 (lives in Amsterdam).
func modelRegion() demo.Data {
	at := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	person := func(id, muni string) demo.Person {
		return demo.Person{ID: id, FirstName: "Persoon", LastName: id, Municipality: muni, BirthDate: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)}
	}
	contact := func(from, to string) demo.Contact {
		return demo.Contact{From: from, To: to, Network: "INFORMAL", Role: "FRIEND", Source: "politie", Confidence: 0.5}
	}
	kase := func(id, muni, subject, director string, n int) demo.Case {
		return demo.Case{ID: id, Reference: fmt.Sprintf("AM-2026-%04d", n), Municipality: muni, Subjects: []string{subject},
			RiskGroups: []casus.RiskGroup{"RADICALISING"}, Ideology: "OTHER", RiskLevel: "LOW", Phase: "CASE_CONFERENCE",
			EscalationLevel: "LOCAL", DirectorID: director, Summary: id, OpenedAt: at.Add(time.Duration(n) * time.Hour)}
	}
	return demo.Data{
		Municipalities: []demo.Municipality{
			{Code: "GM0384", Name: "Diemen", Inhabitants: 32000}, {Code: "GM0363", Name: "Amsterdam", Inhabitants: 930000},
			{Code: "GM0358", Name: "Aalsmeer", Inhabitants: 33000},
		},
		Organisations: []demo.Organisation{
			{ID: "org-avz", Name: "AVZ", Type: "OTHER", ProvidesDirectors: true},
			{ID: "org-jw", Name: "Jongerenwerk", Type: "YOUTH_WORK", ProvidesInterventions: true},
			{ID: "org-nctv", Name: "NCTV", Type: "NCTV"},
		},
		Escalation: modelAgreements(),
		Directors: []demo.Director{
			{ID: "dir-diemen", Name: "Regisseur Diemen", OrganisationID: "org-avz", Municipalities: []string{"GM0384"}, Capacity: 5},
			{ID: "dir-am", Name: "Regisseur Amsterdam", OrganisationID: "org-avz", Municipalities: []string{"GM0363"}, Capacity: 5},
		},
		Offerings: []demo.Offering{{ID: "off-jw", ProviderID: "org-jw", Name: "Mentoraat"}},
		Persons: []demo.Person{
			person("d1", "GM0384"), person("d2", "GM0384"), person("n1", ""),
			person("a1", "GM0363"), person("a2", "GM0363"), person("a3", "GM0363"), person("a4", "GM0363"), person("a5", "GM0363"),
			person("x1", "GM0363"), person("l1", "GM0358"), person("l2", "GM0358"),
		},
		Relatives: []demo.Relative{{From: "a4", To: "a3", Kind: "PARENT"}},
		Contacts:  []demo.Contact{contact("d1", "a1"), contact("d1", "n1"), contact("a1", "a2"), contact("n1", "x1"), contact("l1", "l2")},
		Groups:    []demo.Group{{ID: "g-a", Name: "Groep Amsterdam", Members: []string{"a5", "a2"}}},
		Cases: []demo.Case{
			kase("case-d", "GM0384", "d1", "", 1), kase("case-a", "GM0363", "a3", "dir-am", 2), kase("case-l", "GM0358", "l1", "", 3),
		},
		Signals: []demo.Signal{
			{ID: "sig-a", Municipality: "GM0363", OrganisationID: "org-jw", Description: "a", Status: "NEW", ReceivedAt: at, About: []string{"a4"}},
			{ID: "sig-d", Municipality: "GM0384", OrganisationID: "org-jw", Description: "d", Status: "NEW", ReceivedAt: at},
		},
	}
}

// modelAgreements let the Actiecentrum's advisers (org-avz) work a case in
// full from AVZ on, and the NCTV's read its process from NATIONAL on.
func modelAgreements() casus.Agreements {
	as := casus.DefaultAgreements()
	as[2].Participants = []casus.Participant{{OrganisationID: "org-avz", Roles: []string{casus.RoleAdviser}, Information: casus.InformationFull}}
	as[3].Participants = []casus.Participant{{OrganisationID: "org-nctv", Roles: []string{casus.RoleAdviser}, Information: casus.InformationContext}}
	return as
}

// modelActors are everyone whose scope the test watches; none is a
// coordinator, who reads the whole region anyway.
var modelActors = map[string]casus.Actor{
	"director Diemen":    {ID: "dir-diemen", Name: "Regisseur Diemen", Role: casus.RoleDirector, Municipalities: []string{"GM0384"}, OrganisationID: "org-avz"},
	"director Amsterdam": {ID: "dir-am", Name: "Regisseur Amsterdam", Role: casus.RoleDirector, Municipalities: []string{"GM0363"}, OrganisationID: "org-avz"},
	"mayor Diemen":       {ID: "u-mayor-d", Name: "Burgemeester Diemen", Role: casus.RoleMayor, Municipalities: []string{"GM0384"}},
	"analyst Diemen":     {ID: "u-analyst-d", Name: "Analist Diemen", Role: casus.RoleAnalyst, Municipalities: []string{"GM0384"}},
	"mayor Amsterdam":    {ID: "u-mayor-a", Name: "Burgemeester Amsterdam", Role: casus.RoleMayor, Municipalities: []string{"GM0363"}},
	"analyst Aalsmeer":   {ID: "u-analyst-l", Name: "Analist Aalsmeer", Role: casus.RoleAnalyst, Municipalities: []string{"GM0358"}},
	"partner":            {ID: "u-partner", Name: "Jongerenwerker", Role: casus.RolePartner, OrganisationID: "org-jw"},
	"reporter":           {ID: "u-reporter", Name: "Melder", Role: casus.RoleReporter, OrganisationID: "org-jw"},
	"adviser AVZ":        {ID: "u-avz", Name: "Adviseur AVZ", Role: casus.RoleAdviser, OrganisationID: "org-avz"},
	"adviser NCTV":       {ID: "u-nctv", Name: "Adviseur NCTV", Role: casus.RoleAdviser, OrganisationID: "org-nctv"},
}

// modelWriters are the actors the test writes as, weighted towards the
// directors, who may write the most; the data-protection officer restricts
// and lifts.
var modelWriters = []string{"director Diemen", "director Diemen", "director Diemen", "director Amsterdam", "director Amsterdam",
	"reporter", "partner", "mayor Diemen", "analyst Diemen", "dpo", "adviser AVZ", "adviser NCTV"}

// modelOfficer is the data-protection officer of all three municipalities.
var modelOfficer = casus.Actor{ID: "u-dpo", Name: "FG", Role: casus.RoleDPO, Municipalities: []string{"GM0384", "GM0363", "GM0358"}}

// model is the test's knowledge of the region: every id that exists (what
// an attacker may try), and where each person lives as far as the writes
// that may say so are concerned.
type model struct {
	persons, cases, signals, groups, contacts, interventions, advice []string
	residence                                                        map[string]string
	createdBy                                                        map[string]string
	// ops, when not empty, limits the writes to these (CASUSNET_MODEL_OPS,
	// the numbers of write's cases), to find one route at a time.
	ops map[int]bool
	// could is what the writer of the current step can read.
	could neo4j.Readable
	// restrictions are the officer's restriction requests.
	restrictions []string
}

// pick returns an id of ids: mostly one the writer can read (as
// in honest use), else any, and now and then one that does not exist.
func (m *model) pick(rng *rand.Rand, ids []string) string {
	if len(ids) == 0 || rng.IntN(12) == 0 {
		return "unknown-" + strconv.Itoa(rng.IntN(1000)) // an id that does not exist
	}
	if rng.IntN(3) > 0 {
		var mine []string
		for _, id := range ids {
			if m.could.Persons[id] || m.could.Cases[id] || m.could.Signals[id] || m.could.Groups[id] {
				mine = append(mine, id)
			}
		}
		if len(mine) > 0 {
			return mine[rng.IntN(len(mine))]
		}
	}
	return ids[rng.IntN(len(ids))]
}

// step is one write: its name for the failure message, and what it did.
type step struct {
	name string
	// created lists the ids of what the write created, by kind.
	created []string
	// openedCase is the case the write opened, if any.
	openedCase string
	// returned lists the persons the write's answer holds.
	returned []string
}

var municipalities = []string{"GM0384", "GM0363", "GM0358", ""}

// write does one random write as the actor named writer and returns what
// it did, or the error it answered.
func (m *model) write(ctx context.Context, rng *rand.Rand, svc modelServices, writer string) (step, error) {
	a := modelActors[writer]
	if writer == "dpo" {
		return m.restrict(casus.WithActor(ctx, modelOfficer), rng, svc)
	}
	ctx = casus.WithActor(ctx, a)
	key := func() string { return "" }
	if rng.IntN(3) == 0 {
		key = func() string { return "k-" + strconv.Itoa(rng.IntN(20)) } // replays of earlier keys
	}
	op := rng.IntN(19)
	for len(m.ops) > 0 && !m.ops[op] {
		op = rng.IntN(19)
	}
	if a.Role == casus.RoleAdviser {
		op = 14 // an adviser may only advise; TestAdviserDoesNothingButAdvise tries the rest
	}
	switch op {
	case 0:
		p, q := m.pick(rng, m.persons), m.pick(rng, m.persons)
		s := step{name: fmt.Sprintf("relatePersons(%s, %s)", p, q)}
		got, err := svc.persons.RelativeService.RelatePersons(ctx, casus.RelateInput{PersonID: p, RelativeID: q, Kind: casus.KindSibling})
		if err == nil {
			s.returned = []string{got.ID}
		}
		return s, err
	case 1:
		p, q := m.pick(rng, m.persons), m.pick(rng, m.persons)
		s := step{name: fmt.Sprintf("unrelatePersons(%s, %s)", p, q)}
		got, err := svc.persons.RelativeService.UnrelatePersons(ctx, p, q)
		if err == nil {
			s.returned = []string{got.ID}
		}
		return s, err
	case 2:
		p, q := m.pick(rng, m.persons), m.pick(rng, m.persons)
		s := step{name: fmt.Sprintf("addNetworkContact(%s, %s)", p, q)}
		got, err := svc.persons.ContactService.AddContact(ctx, casus.AddContactInput{FromID: p, ToID: q, Network: casus.NetworkInformal,
			Role: casus.RoleFriend, Source: "model", Confidence: 0.5, IdempotencyKey: key()})
		if err == nil {
			m.contacts = append(m.contacts, got.ID)
			s.returned = []string{got.FromID, got.ToID}
		}
		return s, err
	case 3:
		c := m.pick(rng, m.contacts)
		s := step{name: fmt.Sprintf("removeNetworkContact(%s)", c)}
		_, err := svc.persons.ContactService.RemoveContact(ctx, c)
		return s, err
	case 4:
		muni := municipalities[rng.IntN(len(municipalities))]
		s := step{name: fmt.Sprintf("createPerson(%q)", muni)}
		got, err := svc.persons.PersonService.CreatePerson(ctx, casus.CreatePersonInput{LastName: "Nieuw", MunicipalityCode: muni, IdempotencyKey: key()})
		if err == nil {
			s.returned = []string{got.ID}
			if !slices.Contains(m.persons, got.ID) {
				s.created = []string{got.ID}
				m.persons = append(m.persons, got.ID)
				m.residence[got.ID], m.createdBy[got.ID] = muni, writer
			}
		}
		return s, err
	case 5:
		p, muni := m.pick(rng, m.persons), municipalities[rng.IntN(len(municipalities)-1)]
		s := step{name: fmt.Sprintf("updatePerson(%s, municipality %q)", p, muni)}
		got, err := svc.persons.PersonService.UpdatePerson(ctx, casus.UpdatePersonInput{ID: p, MunicipalityCode: &muni})
		if err == nil {
			s.returned = []string{got.ID}
			// Moving a person counts for the model only where the writer
			// may say where they live: they created the record, or serve
			// both the old and the new municipality.
			if m.createdBy[p] == writer || (slices.Contains(a.Municipalities, m.residence[p]) && slices.Contains(a.Municipalities, muni)) {
				m.residence[p] = muni
			}
		}
		return s, err
	case 6:
		members := []string{m.pick(rng, m.persons)}
		if rng.IntN(2) == 0 {
			members = append(members, m.pick(rng, m.persons))
		}
		s := step{name: fmt.Sprintf("createGroup(%v)", members)}
		got, err := svc.persons.GroupService.CreateGroup(ctx, casus.CreateGroupInput{Name: "Groep", MemberIDs: slices.Compact(members), IdempotencyKey: key()})
		if err == nil && !slices.Contains(m.groups, got.ID) {
			s.created = []string{got.ID}
			m.groups = append(m.groups, got.ID)
		}
		return s, err
	case 7, 8:
		in := casus.OpenCaseInput{MunicipalityCode: municipalities[rng.IntN(len(municipalities)-1)], Summary: "Model",
			RiskGroups: []casus.RiskGroup{casus.RiskRadicalising}, Ideology: casus.IdeologyOther, RiskLevel: casus.RiskLow,
			Reason: "model", IdempotencyKey: key()}
		switch rng.IntN(3) {
		case 0:
			in.SubjectIDs = []string{m.pick(rng, m.persons)}
		case 1:
			in.SignalIDs = []string{m.pick(rng, m.signals)}
		case 2:
			in.GroupID = m.pick(rng, m.groups)
		}
		s := step{name: fmt.Sprintf("openCase(%s, subjects %v, signals %v, group %q)", in.MunicipalityCode, in.SubjectIDs, in.SignalIDs, in.GroupID)}
		got, err := svc.cases.CaseService.OpenCase(ctx, in)
		if err == nil && !slices.Contains(m.cases, got.ID) {
			s.created, s.openedCase = []string{got.ID}, got.ID
			m.cases = append(m.cases, got.ID)
		}
		return s, err
	case 9:
		in := casus.SubmitSignalInput{MunicipalityCode: municipalities[rng.IntN(len(municipalities)-1)], Description: "Model",
			IdempotencyKey: key()}
		if rng.IntN(4) == 0 {
			in.OrganisationID = "org-jw" // the reporter's own; anyone else's name is refused
		}
		if rng.IntN(2) == 0 {
			in.AboutIDs = []string{m.pick(rng, m.persons)}
		}
		s := step{name: fmt.Sprintf("submitSignal(%s, about %v)", in.MunicipalityCode, in.AboutIDs)}
		got, err := svc.signals.SubmitSignal(ctx, in)
		if err == nil && !slices.Contains(m.signals, got.ID) {
			s.created = []string{got.ID}
			m.signals = append(m.signals, got.ID)
		}
		return s, err
	case 10:
		c := m.pick(rng, m.cases)
		if rng.IntN(2) == 0 {
			s := step{name: fmt.Sprintf("decideMeasure(%s)", c)}
			_, err := svc.cases.MeasureService.DecideMeasure(ctx, casus.DecideMeasureInput{CaseID: c, Type: casus.MeasureAreaBan,
				Decision: casus.DecisionImposed, Reason: "model"})
			return s, err
		}
		s := step{name: fmt.Sprintf("proposeIntervention(%s)", c)}
		got, err := svc.cases.InterventionService.ProposeIntervention(ctx, casus.ProposeInterventionInput{CaseID: c, OfferingID: "off-jw", Goal: "model"})
		if err == nil {
			m.interventions = append(m.interventions, got.ID)
		}
		return s, err
	case 12, 13:
		return m.escalate(ctx, rng, svc)
	case 18:
		c, p := m.pick(rng, m.cases), m.pick(rng, m.persons)
		s := step{name: fmt.Sprintf("addCaseSubject(%s, %s)", c, p)}
		_, err := svc.cases.CaseService.AddSubject(ctx, casus.AddSubjectInput{CaseChange: casus.CaseChange{CaseID: c}, PersonID: p})
		if err == nil {
			s.openedCase = c // it opens the person's ties to the case's readers, as opening the case would
		}
		return s, err
	case 16, 17:
		// Known elsewhere? about anyone, for a signal; a hit is followed
		// by a request to share. Neither widens a scope: only the
		// coordinator's grant does.
		// Mostly about someone the writer cannot read: that is what the
		// question is for.
		var hidden []string
		for _, id := range m.persons {
			if !m.could.Persons[id] {
				hidden = append(hidden, id)
			}
		}
		p, sig := m.persons[rng.IntN(len(m.persons))], m.pick(rng, m.signals)
		if len(hidden) > 0 && rng.IntN(3) > 0 {
			p = hidden[rng.IntN(len(hidden))]
		}
		birth := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
		s := step{name: fmt.Sprintf("askKnownElsewhere(%s, about %s)", sig, p)}
		ans, err := svc.cases.KnownService.Ask(ctx, casus.KnownQuestion{PurposeKind: "Signal", PurposeID: sig, FirstName: "Persoon", LastName: p, BirthDate: &birth})
		if err != nil || !ans.Hit {
			return s, err
		}
		s.name = fmt.Sprintf("requestShare(%s, about %s)", sig, p)
		_, err = svc.cases.KnownService.RequestShare(ctx, ans.QuestionID, "model")
		return s, err
	case 14, 15:
		if a.Role == casus.RoleAdviser {
			// Mostly a question on the adviser's start page, as in honest
			// use; else any advice at all.
			adv := m.pick(rng, m.advice)
			if qs, err := svc.cases.AdviceService.OpenQuestions(ctx); err == nil && len(qs) > 0 && rng.IntN(3) > 0 {
				adv = qs[rng.IntN(len(qs))].ID
			}
			s := step{name: fmt.Sprintf("giveAdvice(%s)", adv)}
			_, err := svc.cases.AdviceService.GiveAdvice(ctx, casus.GiveAdviceInput{AdviceID: adv, Text: "advies"})
			return s, err
		}
		c := m.pick(rng, m.cases)
		s := step{name: fmt.Sprintf("askAdvice(%s)", c)}
		got, err := svc.cases.AdviceService.AskAdvice(ctx, casus.AskAdviceInput{CaseID: c, Question: "vraag"})
		if err == nil {
			m.advice = append(m.advice, got.ID)
		}
		return s, err
	default:
		i := m.pick(rng, m.interventions)
		s := step{name: fmt.Sprintf("startIntervention(%s)", i)}
		_, err := svc.cases.InterventionService.MoveIntervention(ctx, casus.InterventionChange{ID: i}, casus.InterventionActive)
		return s, err
	}
}

// escalate moves a case up or down, to a random level, on a random
// criterion of the agreements (often not one for that move).
func (m *model) escalate(ctx context.Context, rng *rand.Rand, svc modelServices) (step, error) {
	in := casus.EscalationInput{CaseChange: casus.CaseChange{CaseID: m.pick(rng, m.cases), Reason: "model"}}
	rows, err := neo4j.Query(ctx, svc.db, `MATCH (c:Case {id: $id}) RETURN c.escalationLevel AS level`, map[string]any{"id": in.CaseID})
	if err != nil {
		return step{}, err
	}
	now := 0
	if len(rows) == 1 {
		now = slices.Index(casus.EscalationLevels, casus.EscalationLevel(rows[0]["level"].(string)))
	}
	up := now == 0 || rng.IntN(2) == 0
	to := min(now+1, len(casus.EscalationLevels)-1)
	if !up {
		to = max(now-1, 0)
	}
	if rng.IntN(3) == 0 {
		to = rng.IntN(len(casus.EscalationLevels))
		in.To = &casus.EscalationLevels[to]
	}
	// Mostly a criterion agreed for the move; now and then any other.
	as := modelAgreements()
	list := as[to].Up
	if !up {
		list = as[now].Down
	}
	if rng.IntN(4) == 0 || len(list) == 0 {
		list = slices.Concat(as[rng.IntN(len(as))].Up, as[rng.IntN(len(as))].Down)
	}
	code := "NONE"
	if len(list) > 0 {
		code = list[rng.IntN(len(list))].Code
	}
	in.Criteria = []casus.CriterionNote{{Code: code, Explanation: "model"}}
	if up {
		s := step{name: fmt.Sprintf("escalateCase(%s, %v, %s)", in.CaseID, in.To, in.Criteria[0].Code)}
		_, err := svc.cases.EscalationService.Escalate(ctx, in)
		return s, err
	}
	s := step{name: fmt.Sprintf("deescalateCase(%s, %v, %s)", in.CaseID, in.To, in.Criteria[0].Code)}
	_, err = svc.cases.EscalationService.Deescalate(ctx, in)
	return s, err
}

// restrict has the officer restrict a person's processing on their request
// (AVG art. 18) or objection (art. 21), or lift an earlier restriction.
func (m *model) restrict(ctx context.Context, rng *rand.Rand, svc modelServices) (step, error) {
	if len(m.restrictions) > 0 && rng.IntN(3) == 0 {
		r := m.restrictions[rng.IntN(len(m.restrictions))]
		s := step{name: fmt.Sprintf("liftRestriction(%s)", r)}
		_, err := svc.persons.RequestService.Restrict(ctx, r, true)
		return s, err
	}
	kind := []casus.RequestKind{casus.RequestRestriction, casus.RequestObjection}[rng.IntN(2)]
	p := m.persons[rng.IntN(len(m.persons))]
	s := step{name: fmt.Sprintf("restrictPerson(%s, %s)", p, kind)}
	r, err := svc.persons.RequestService.RegisterRequest(ctx, casus.RequestInput{Kind: kind, PersonID: p,
		ReceivedOn: time.Now().UTC().AddDate(0, 0, -1), IdentityCheckedBy: "balie"})
	if err != nil {
		return s, err
	}
	m.restrictions = append(m.restrictions, r.ID)
	_, err = svc.persons.RequestService.Restrict(ctx, r.ID, false)
	return s, err
}

type modelServices struct {
	db      *neo4j.DB
	persons casus.Services
	cases   casus.Services
	signals *neo4j.SignalService
}

// TestNoWriteWidensScope runs seeded random sequences of writes by every
// low-privilege role and checks after every step, for every watched actor,
// that what they can read grew only by what the step created, what its
// writer could already read, and — when the step opened a case about
// persons who live where the writer serves — those persons' direct ties.
// A refused step changes nobody's scope at all. CASUSNET_MODEL_SEEDS and
// CASUSNET_MODEL_STEPS run more.
func TestNoWriteWidensScope(t *testing.T) {
	seeds, steps := 3, 400
	if v, err := strconv.Atoi(os.Getenv("CASUSNET_MODEL_SEEDS")); err == nil {
		seeds = v
	}
	if v, err := strconv.Atoi(os.Getenv("CASUSNET_MODEL_STEPS")); err == nil {
		steps = v
	}
	db := neo4jtest.Open(t)
	svc := modelServices{db, neo4j.NewServices(db), neo4j.NewServices(db), neo4j.NewSignalService(db)}
	total := map[string]int{}
	for seed := 1; seed <= seeds; seed++ {
		t.Run("seed="+strconv.Itoa(seed), func(t *testing.T) {
			neo4jtest.Reset(t)
			ctx := testContext(t)
			data := modelRegion()
			if _, err := db.Seed(ctx, data); err != nil {
				t.Fatal(err)
			}
			m := &model{residence: map[string]string{}, createdBy: map[string]string{}, ops: map[int]bool{}}
			for _, op := range strings.Split(os.Getenv("CASUSNET_MODEL_OPS"), ",") {
				if n, err := strconv.Atoi(op); err == nil {
					m.ops[n] = true
				}
			}
			for _, p := range data.Persons {
				m.persons = append(m.persons, p.ID)
				m.residence[p.ID] = p.Municipality
			}
			for _, c := range data.Cases {
				m.cases = append(m.cases, c.ID)
			}
			for _, s := range data.Signals {
				m.signals = append(m.signals, s.ID)
			}
			m.groups = []string{"g-a"}
			rows, err := neo4j.Query(ctx, db, "MATCH ()-[r:CONTACT]->() RETURN coalesce(r.id, elementId(r)) AS id", nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				m.contacts = append(m.contacts, r["id"].(string))
			}
			readable := func() map[string]neo4j.Readable {
				out := map[string]neo4j.Readable{}
				for name, a := range modelActors {
					r, err := neo4j.ReadableBy(ctx, db, a)
					if err != nil {
						t.Fatal(err)
					}
					out[name] = r
				}
				return out
			}
			rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed))
			before := readable()
			succeeded := map[string]int{}
			defer func() { t.Logf("writes that succeeded: %v", succeeded) }()
			for i := 1; i <= steps; i++ {
				writer := modelWriters[rng.IntN(len(modelWriters))]
				m.could = before[writer]
				s, werr := m.write(ctx, rng, svc, writer)
				if werr == nil {
					op, _, _ := strings.Cut(s.name, "(")
					succeeded[op]++
				}
				after := readable()
				if werr != nil && casus.ErrorCode(werr) == casus.EINTERNAL {
					t.Fatalf("seed %d step %d: %s by %s: internal error %v", seed, i, s.name, writer, werr)
				}
				allowed := m.allowed(ctx, t, db, s, writer, before[writer], werr == nil)
				for name, r := range after {
					for kind, ids := range map[string][2]map[string]bool{
						"person": {before[name].Persons, r.Persons}, "case": {before[name].Cases, r.Cases},
						"signal": {before[name].Signals, r.Signals}, "group": {before[name].Groups, r.Groups},
					} {
						for id := range ids[1] {
							if !ids[0][id] && !allowed[id] {
								t.Fatalf("seed %d step %d: %s by %s (error %v) let %s read %s %s",
									seed, i, s.name, writer, werr, name, kind, id)
							}
						}
					}
				}
				// Nobody's analysis uses a person whose processing is restricted.
				restricted, err := neo4j.Query(ctx, db, "MATCH (p:Person) WHERE p.restricted RETURN p.id AS id", nil)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range restricted {
					for name, can := range after {
						if can.Analysable[r["id"].(string)] {
							t.Fatalf("seed %d step %d: %s by %s left %s able to analyse restricted person %s", seed, i, s.name, writer, name, r["id"])
						}
					}
				}
				// The participants read exactly what the level table says:
				// the Actiecentrum every open case at AVZ or above, no
				// less and no more; the NCTV no case in full.
				levelled, err := neo4j.Query(ctx, db, `MATCH (c:Case) WHERE c.escalationLevel IN ['AVZ', 'NATIONAL'] AND c.phase <> 'CLOSED' RETURN c.id AS id`, nil)
				if err != nil {
					t.Fatal(err)
				}
				want := map[string]bool{}
				for _, r := range levelled {
					want[r["id"].(string)] = true
				}
				if got := after["adviser AVZ"].Cases; !maps.Equal(got, want) {
					t.Fatalf("seed %d step %d: %s by %s: the Actiecentrum reads cases %v, the level table says %v", seed, i, s.name, writer, got, want)
				}
				if got := after["adviser NCTV"].Cases; len(got) > 0 {
					t.Fatalf("seed %d step %d: %s by %s: the NCTV reads cases %v in full", seed, i, s.name, writer, got)
				}
				for _, id := range s.returned {
					if !after[writer].Persons[id] && !m.could.Persons[id] {
						t.Fatalf("seed %d step %d: %s by %s answered with person %s, whom they could not read", seed, i, s.name, writer, id)
					}
				}
				before = after
			}
			for op, n := range succeeded {
				total[op] += n
			}
		})
	}
	// The sequences must have done real work, or they prove nothing.
	for _, op := range []string{"relatePersons", "addNetworkContact", "createPerson", "createGroup", "openCase", "submitSignal", "restrictPerson",
		"escalateCase", "deescalateCase", "askAdvice", "giveAdvice", "askKnownElsewhere", "requestShare"} {
		if total[op] == 0 && len(os.Getenv("CASUSNET_MODEL_OPS")) == 0 {
			t.Errorf("no %s succeeded in %d seeds of %d steps", op, seeds, steps)
		}
	}
}

// allowed returns the ids that may become readable through step s by
// writer: nothing for a refused step; else what it created, what the writer
// could read, and for a case opened about persons who live where the writer
// serves, the ties of those persons.
func (m *model) allowed(ctx context.Context, t *testing.T, db *neo4j.DB, s step, writer string, could neo4j.Readable, ok bool) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	if !ok {
		return out
	}
	for _, id := range s.created {
		out[id] = true
	}
	for _, set := range []map[string]bool{could.Persons, could.Cases, could.Signals, could.Groups} {
		for id := range set {
			out[id] = true
		}
	}
	if s.openedCase == "" {
		return out
	}
	rows, err := neo4j.Query(ctx, db, `
		MATCH (c:Case {id: $id})-[:CONCERNS]->(x)
		OPTIONAL MATCH (x)<-[:IN_GROUP]-(member:Person)
		WITH CASE WHEN x:Person THEN x ELSE member END AS subject
		WITH DISTINCT subject WHERE subject IS NOT NULL
		RETURN subject.id AS subject, [(subject)-[:RELATIVE|CONTACT]-(tie:Person) | tie.id] AS ties`, map[string]any{"id": s.openedCase})
	if err != nil {
		t.Fatal(err)
	}
	served := modelActors[writer].Municipalities
	for _, r := range rows {
		subject := r["subject"].(string)
		if !could.Persons[subject] || !slices.Contains(served, m.residence[subject]) {
			return out // a subject the writer could not read, or who lives elsewhere: the case's network is not theirs to open
		}
	}
	var ties []string
	for _, r := range rows {
		for _, tie := range r["ties"].([]any) {
			out[tie.(string)] = true
			ties = append(ties, tie.(string))
		}
	}
	// A group is readable with any of its members.
	groups, err := neo4j.Query(ctx, db, `MATCH (p:Person)-[:IN_GROUP]->(g:Group) WHERE p.id IN $ids RETURN DISTINCT g.id AS id`,
		map[string]any{"ids": ties})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		out[g["id"].(string)] = true
	}
	return out
}
