package neo4j

import (
	"context"
	"fmt"
	"time"

	"casusnet/internal/casus"
)

// DossierService compiles a person's dossier on Neo4j.
type DossierService struct {
	db       *DB
	services casus.Services
}

var _ casus.DossierService = (*DossierService)(nil)

// NewDossierService returns the dossier service of db.
func NewDossierService(db *DB) *DossierService {
	return &DossierService{db: db, services: casus.Services{
		CaseService: NewCaseService(db), EventService: NewEventService(db), WeighingService: NewWeighingService(db),
		ConferenceService: NewConferenceService(db), PlanService: NewPlanService(db), InterventionService: NewInterventionService(db),
		MeasureService: NewMeasureService(db), AssessmentService: NewAssessmentService(db),
	}}
}

// Dossier compiles what casusnet holds about the person with id. The
// officer's scope finds the person (in the officer's municipalities, or
// NOT_FOUND); the person's own cases, signals and ties are then read in
// full, for this purpose only — the officer reads nothing else.
func (s *DossierService) Dossier(ctx context.Context, id, pseudonym string) (*casus.Dossier, error) {
	if err := casus.PermitRead(ctx, casus.ReadDossier); err != nil {
		return nil, err
	}
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	d := &casus.Dossier{CompiledAt: s.db.now(), CompiledBy: sc.actor.Name, Relatives: []casus.DossierTie{}, Contacts: []casus.DossierTie{},
		Signals: []casus.DossierSignal{}, Cases: []casus.DossierCase{}, Accesses: []casus.DossierAccess{}}
	found, err := read(ctx, s.db, func(tx txRunner) (bool, error) { return s.db.ownRecord(ctx, tx, sc, id, d) })
	if err != nil {
		return nil, fmt.Errorf("dossier %s: %w", id, err)
	}
	if !found {
		return nil, casus.Errorf(casus.ENOTFOUND, "person not found")
	}
	// The person's cases, read as a coordinator would: the officer's
	// purpose covers everything about this one person.
	whole := casus.WithActor(ctx, casus.Actor{ID: sc.actor.ID, Name: sc.actor.Name, Role: casus.RoleCoordinator})
	cases, err := s.services.CaseService.CasesOfPersons(whole, []string{id})
	if err != nil {
		return nil, err
	}
	var ids []string
	var withheld []*casus.Case
	for _, c := range cases[0] {
		if c.Withholds() {
			withheld = append(withheld, c)
			continue
		}
		ids = append(ids, c.ID)
		d.Cases = append(d.Cases, casus.DossierCase{ID: c.ID, Reference: c.Reference, Municipality: c.MunicipalityCode, Phase: string(c.Phase),
			OpenedAt: c.OpenedAt, ClosedAt: c.ClosedAt, Summary: c.Summary, RiskLevel: string(c.RiskLevel)})
	}
	if err := s.caseContent(whole, ids, d); err != nil {
		return nil, err
	}
	if d.Accesses, err = s.accesses(ctx, id, pseudonym); err != nil {
		return nil, err
	}
	d.Withhold(withheld)
	d.Redact()
	d.Corrections, err = read(ctx, s.db, func(tx txRunner) ([]casus.DossierLine, error) {
		recs, err := s.db.collect(ctx, tx, `MATCH (x:Rectification)-[:OF]->(:Person {id: $id})
			RETURN x {.at, .fields, .before, .after} AS row ORDER BY x.at`, map[string]any{"id": id})
		if err != nil {
			return nil, err
		}
		out := []casus.DossierLine{}
		for _, r := range recs {
			row, err := column(r, "row")
			if err != nil {
				return nil, err
			}
			m, _ := row.(map[string]any)
			for _, c := range corrections([]any{m}) {
				out = append(out, casus.DossierLine{At: tm(m["at"]), Text: fmt.Sprintf("%s: %v → %v", casus.Word(c.Field), c.Before, c.After)})
			}
		}
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// ownRecord reads the person's record, ties and signals into d, and
// reports whether the officer may compile the person's dossier at all.
func (db *DB) ownRecord(ctx context.Context, tx runner, sc scope, id string, d *casus.Dossier) (bool, error) {
	recs, err := db.collect(ctx, tx, `
		MATCH (p:Person {id: $id}) WHERE `+sc.concerned("p")+`
		RETURN `+personProjection+` AS person,
			[(p)-[r:RELATIVE]-(:Person) | {relation: r.kind}] AS relatives,
			[(p)-[c:CONTACT]-(:Person) | {relation: c.role, network: c.network, since: c.since, source: c.source}] AS contacts,
			COLLECT { MATCH (s:Signal)-[:ABOUT]->(p) RETURN s {.receivedAt, .description, .indicators, .status,
				municipality: COLLECT { MATCH (m:Municipality {code: s.municipality}) RETURN m.name }[0],
				cases: COLLECT { MATCH (s)-[:LED_TO]->(c:Case) RETURN c.id }} ORDER BY s.receivedAt } AS signals,
			COLLECT { MATCH (p)-[:RELATIVE|CONTACT]-(q:Person) RETURN q {.firstName, .lastName, .aliases} } +
			COLLECT { MATCH (p)-[:IN_GROUP*0..1]->()<-[:CONCERNS]-(:Case)-[:CONCERNS]->()<-[:IN_GROUP*0..1]-(q:Person) WHERE q <> p
				RETURN q {.firstName, .lastName, .aliases} } +
			COLLECT { MATCH (p)<-[:ABOUT]-(:Signal)-[:ABOUT]->(q:Person) WHERE q <> p RETURN q {.firstName, .lastName, .aliases} } AS others`,
		sc.params(map[string]any{"id": id}))
	if err != nil || len(recs) == 0 {
		return false, err
	}
	vs, err := columns(recs[0], "person", "relatives", "contacts", "signals", "others")
	if err != nil {
		return false, err
	}
	p, err := decodePerson(vs[0])
	if err != nil {
		return false, err
	}
	d.Person = casus.DossierPerson{ID: p.ID, FirstName: p.FirstName, LastName: p.LastName, Aliases: nonNil(p.Aliases),
		BirthDate: p.BirthDate, Municipality: p.MunicipalityCode, Notes: p.Notes}
	for i, ties := range []*[]casus.DossierTie{&d.Relatives, &d.Contacts} {
		for _, x := range list(vs[1+i]) {
			m, _ := x.(map[string]any)
			*ties = append(*ties, casus.DossierTie{Relation: str(m["relation"]), Network: str(m["network"]), Since: datePtr(m["since"]),
				Source: str(m["source"]), Party: casus.ThirdParty})
		}
	}
	for _, x := range list(vs[3]) {
		m, _ := x.(map[string]any)
		d.Signals = append(d.Signals, casus.DossierSignal{ReceivedAt: tm(m["receivedAt"]), Municipality: str(m["municipality"]),
			Description: str(m["description"]), Indicators: nonNil(strList(m["indicators"])), Status: str(m["status"]), Cases: strList(m["cases"])})
	}
	for _, x := range list(vs[4]) {
		m, _ := x.(map[string]any)
		d.Others = append(d.Others, casus.Name{FirstName: str(m["firstName"]), LastName: str(m["lastName"]), Aliases: strList(m["aliases"])})
	}
	return true, nil
}

// caseContent fills in each case's course and content, read as ctx's actor.
func (s *DossierService) caseContent(ctx context.Context, ids []string, d *casus.Dossier) error {
	sv := s.services
	weighings, err := sv.WeighingService.WeighingsOfCases(ctx, ids)
	if err != nil {
		return err
	}
	conferences, err := sv.ConferenceService.ConferencesOfCases(ctx, ids)
	if err != nil {
		return err
	}
	goals, err := sv.PlanService.GoalsOfCases(ctx, ids)
	if err != nil {
		return err
	}
	interventions, err := sv.InterventionService.InterventionsOfCases(ctx, ids)
	if err != nil {
		return err
	}
	measures, err := sv.MeasureService.MeasuresOfCases(ctx, ids)
	if err != nil {
		return err
	}
	assessments, err := sv.AssessmentService.AssessmentsOfCases(ctx, ids)
	if err != nil {
		return err
	}
	for i, id := range ids {
		c := &d.Cases[i]
		events, err := wholeTimeline(ctx, sv.EventService, id)
		if err != nil {
			return err
		}
		line := func(at time.Time, format string, args ...any) casus.DossierLine {
			return casus.DossierLine{At: at, Text: fmt.Sprintf(format, args...)}
		}
		for _, e := range events {
			c.History = append(c.History, line(e.Event.At, "%s%s", casus.EventWord(e.Event.Type), suffix(e.Event.Reason)))
		}
		for _, w := range weighings[i] {
			c.Weighings = append(c.Weighings, line(w.WeighedOn, "%s: %s", casus.Word(string(w.Outcome)), w.Reasons))
		}
		for _, k := range conferences[i] {
			for _, x := range k.Decisions {
				c.Decisions = append(c.Decisions, line(k.Date, "%s", x.Text))
			}
		}
		for _, g := range goals[i] {
			for _, a := range g.Actions {
				c.Actions = append(c.Actions, line(a.UpdatedAt, "%s (%s)%s", a.Description, casus.Word(string(a.Status)), suffix(a.Result)))
			}
		}
		for _, iv := range interventions[i] {
			c.Interventions = append(c.Interventions, line(iv.ProposedAt, "%s (%s)%s", iv.Goal, casus.Word(string(iv.Status)), suffix(iv.Outcome)))
		}
		for _, m := range measures[i] {
			c.Measures = append(c.Measures, line(m.DecidedAt, "%s: %s%s", casus.Word(string(m.Type)), casus.Word(string(m.Decision)), suffix(m.Reason)))
		}
		for _, a := range assessments[i] {
			c.Assessments = append(c.Assessments, line(a.On, "%s: risico %s", casus.Word(string(a.Instrument)), casus.Word(string(a.Outcome))))
		}
	}
	return nil
}

// wholeTimeline reads every event of a case, a page at a time.
func wholeTimeline(ctx context.Context, events casus.EventService, caseID string) ([]casus.EventEdge, error) {
	first := casus.MaxPageSize
	page := casus.Page{First: &first, SkipTotal: true}
	var out []casus.EventEdge
	for {
		p, err := events.Timeline(ctx, caseID, page)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Edges...)
		if !p.HasNextPage || len(p.Edges) == 0 {
			return out, nil
		}
		page.After = p.Edges[len(p.Edges)-1].Cursor
	}
}

func suffix(s string) string {
	if s == "" {
		return ""
	}
	return " — " + s
}

// accesses reads who accessed the person's data, with the cases each access
// was made for: entries naming the person's pseudonym, and older entries
// (from before subjects were logged) that touched the person's record.
func (s *DossierService) accesses(ctx context.Context, id, pseudonym string) ([]casus.DossierAccess, error) {
	return read(ctx, s.db, func(tx txRunner) ([]casus.DossierAccess, error) {
		recs, err := s.db.collect(ctx, tx, `
			MATCH (a:AuditEntry) WHERE $pseudonym IN coalesce(a.subjects, []) OR $object IN a.objects
			RETURN a {.at, .role, .organisation, .action, .activities,
				cases: coalesce(a.purpose, []) + [o IN a.objects WHERE o STARTS WITH 'Case:' | substring(o, 5)]} AS row
			ORDER BY a.seq DESC LIMIT 1000`,
			map[string]any{"pseudonym": pseudonym, "object": "Person:" + id})
		if err != nil {
			return nil, err
		}
		out := []casus.DossierAccess{}
		for _, r := range recs {
			row, err := column(r, "row")
			if err != nil {
				return nil, err
			}
			m, _ := row.(map[string]any)
			out = append(out, casus.DossierAccess{At: tm(m["at"]), Role: str(m["role"]), Organisation: str(m["organisation"]),
				Action: str(m["action"]), Activities: nonNil(strList(m["activities"])), Cases: strList(m["cases"])})
		}
		return out, nil
	})
}
