package neo4j

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"casusnet/internal/casus"
)

// CaseService is casus.CaseService on Neo4j.
type CaseService struct {
	db *DB
}

var _ casus.CaseService = (*CaseService)(nil)

// NewCaseService returns a CaseService on db.
func NewCaseService(db *DB) *CaseService { return &CaseService{db: db} }

// caseProjection turns a matched (c:Case) into the map decodeCase reads.
const caseProjection = `c {
	.id, .reference, .phase, .escalationLevel, .riskGroups, .ideology, .riskLevel,
	.summary, .nextReview, .openedAt, .updatedAt, .closedAt, .version,
	municipality: [(c)-[:IN]->(m:Municipality) | m.code][0],
	director: [(d:Director)-[:DIRECTS]->(c) | d.id][0],
	subjects: [(c)-[:CONCERNS]->(p:Person) | p.id],
	group: [(c)-[:CONCERNS]->(g:Group) | g.id][0]
}`

// Case returns the case with id, or NOT_FOUND.
func (s *CaseService) Case(ctx context.Context, id string) (*casus.Case, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	c, err := read(ctx, s.db, func(tx txRunner) (*casus.Case, error) {
		return s.db.caseByID(ctx, tx, sc, id)
	})
	if err != nil {
		return nil, fmt.Errorf("read case %s: %w", id, err)
	}
	return c, nil
}

// CasesByID returns the cases with ids, in order, nil for unknown ids.
func (s *CaseService) CasesByID(ctx context.Context, ids []string) ([]*casus.Case, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return byID(ctx, s.db, "cases", ids,
		`MATCH (c:Case) WHERE c.id IN $ids AND `+sc.cases("c")+` RETURN c.id AS id, `+caseProjection+` AS row`, sc.params(nil), decodeCase)
}

// caseByID reads one case in tx if it is in scope, or answers NOT_FOUND.
func (db *DB) caseByID(ctx context.Context, tx runner, sc scope, id string) (*casus.Case, error) {
	recs, err := db.collect(ctx, tx, `MATCH (c:Case {id: $id}) WHERE `+sc.cases("c")+` RETURN `+caseProjection+` AS c`,
		sc.params(map[string]any{"id": id}))
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, casus.Errorf(casus.ENOTFOUND, "case not found")
	}
	return decodeCase(recs[0].Values[0])
}

// lockCase takes the case's write lock and then reads it, so that the rules
// are checked on the state the change will be applied to: a concurrent change
// waits until this transaction ends.
func (db *DB) lockCase(ctx context.Context, tx runner, sc scope, id string) (*casus.Case, error) {
	recs, err := db.collect(ctx, tx, `MATCH (c:Case {id: $id}) WHERE `+sc.cases("c")+` SET c._lock = true REMOVE c._lock RETURN c.id`,
		sc.params(map[string]any{"id": id}))
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, casus.Errorf(casus.ENOTFOUND, "case not found")
	}
	return db.caseByID(ctx, tx, sc, id)
}

// Cases returns one page of the cases that match filter, newest first unless
// filter says otherwise. It reads the page and the total in one round trip.
func (s *CaseService) Cases(ctx context.Context, filter casus.CaseFilter, page casus.Page) (*casus.CasePage, error) {
	if err := filter.Validate(); err != nil {
		return nil, err
	}
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	var overdue any
	if filter.OverdueReview != nil {
		overdue = *filter.OverdueReview
	}
	q := listQuery{
		match: "MATCH (c:Case)",
		where: []string{
			"($municipality = '' OR EXISTS { (c)-[:IN]->(:Municipality {code: $municipality}) })",
			"($phase = '' OR c.phase = $phase)",
			"($riskGroup = '' OR $riskGroup IN c.riskGroups)",
			"($ideology = '' OR c.ideology = $ideology)",
			"($escalation = '' OR c.escalationLevel = $escalation)",
			"($director = '' OR EXISTS { (:Director {id: $director})-[:DIRECTS]->(c) })",
			"($overdue IS NULL OR $overdue = (c.phase <> 'CLOSED' AND c.nextReview IS NOT NULL AND c.nextReview < $today))",
			"($search = '' OR toLower(c.reference) CONTAINS $search OR toLower(c.summary) CONTAINS $search)",
			sc.cases("c"),
		},
		params: sc.params(map[string]any{
			"municipality": filter.MunicipalityCode,
			"phase":        string(filter.Phase),
			"riskGroup":    string(filter.RiskGroup),
			"ideology":     string(filter.Ideology),
			"escalation":   string(filter.EscalationLevel),
			"director":     filter.DirectorID,
			"overdue":      overdue,
			"today":        date(s.db.now()),
			"search":       toLower(filter.Search),
		}),
		project: caseProjection,
	}
	included := filter.Include != casus.CaseInclude{}
	if included {
		q.project = includeProjection(sc, filter.Include)
	}
	switch filter.Order {
	case "", casus.CaseOrderOpenedDesc:
		q.keys, q.desc = []string{"c.openedAt", "c.id"}, true
	case casus.CaseOrderOpenedAsc:
		q.keys = []string{"c.openedAt", "c.id"}
	case casus.CaseOrderUpdatedDesc:
		q.keys, q.desc = []string{"c.updatedAt", "c.id"}, true
	case casus.CaseOrderReference:
		q.keys = []string{"c.reference"}
	default:
		return nil, casus.Invalid("orderBy", "unknown order %q", filter.Order)
	}
	res, err := s.db.list(ctx, q, page)
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	out := &casus.CasePage{TotalCount: res.total, HasNextPage: res.hasNextPage, HasPreviousPage: res.hasPreviousPage}
	var related *relatedRows
	if included {
		related = newRelatedRows(filter.Include)
		out.Related = &related.CaseRelated
	}
	for i, row := range res.rows {
		if related != nil {
			if row, err = related.add(row); err != nil {
				return nil, fmt.Errorf("list cases: %w", err)
			}
		}
		c, err := decodeCase(row)
		if err != nil {
			return nil, fmt.Errorf("list cases: %w", err)
		}
		out.Edges = append(out.Edges, casus.CaseEdge{Cursor: res.cursors[i], Case: c})
	}
	return out, nil
}

// includeProjection returns the projection of a case bound to c with the
// objects around it that include names: one statement reads a whole page
// of cases with them, where loading them kind by kind costs a round trip
// each, and rounds in sequence where one kind leads to the next.
func includeProjection(sc scope, include casus.CaseInclude) string {
	parts := []string{"case: " + caseProjection}
	if include.Municipality {
		parts = append(parts, "municipality: [(c)-[:IN]->(m:Municipality) | "+municipalityProjection+"][0]")
	}
	if include.Director {
		parts = append(parts, "director: [(d:Director)-[:DIRECTS]->(c) | "+directorProjection(sc)+"][0]")
	}
	if include.DirectorOrganisation {
		parts = append(parts, "employer: [(ed:Director)-[:DIRECTS]->(c) | [(ed)-[:EMPLOYED_BY]->(o:Organisation) | "+organisationProjection+"][0]][0]")
	}
	if include.Subjects {
		parts = append(parts, "subjects: [(c)-[:CONCERNS]->(p:Person) WHERE "+sc.persons("p")+" | "+personProjection+"]")
	}
	if include.Interventions {
		parts = append(parts, "interventions: COLLECT { MATCH (c)-[:HAS]->(i:Intervention) WHERE "+sc.interventions("i")+
			" WITH i ORDER BY i.proposedAt, i.id RETURN "+interventionProjection+" }")
	}
	if include.Offerings {
		parts = append(parts, "offerings: COLLECT { MATCH (c)-[:HAS]->(i:Intervention)-[:OF]->(f:InterventionOffering) WHERE "+
			sc.interventions("i")+" RETURN DISTINCT "+offeringProjection+" }")
	}
	if include.Providers {
		parts = append(parts, "providers: COLLECT { MATCH (c)-[:HAS]->(i:Intervention)-[:OF]->(:InterventionOffering)<-[:OFFERS]-(o:Organisation) WHERE "+
			sc.interventions("i")+" RETURN DISTINCT "+organisationProjection+" }")
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// relatedRows gathers the objects around the cases of a page.
type relatedRows struct {
	casus.CaseRelated
	seen map[string]bool // kind and id of what is gathered
}

// newRelatedRows returns an empty gathering of what include asks for: what
// it asks for is never nil, so that missing means out of reach, not unasked.
func newRelatedRows(include casus.CaseInclude) *relatedRows {
	r := &relatedRows{seen: map[string]bool{}}
	if include.Municipality {
		r.Municipalities = []*casus.Municipality{}
	}
	if include.Director {
		r.Directors = []*casus.Director{}
	}
	if include.DirectorOrganisation || include.Providers {
		r.Organisations = []*casus.Organisation{}
	}
	if include.Subjects {
		r.Persons = []*casus.Person{}
	}
	if include.Interventions {
		r.Interventions = map[string][]*casus.Intervention{}
	}
	if include.Offerings {
		r.Offerings = []*casus.Offering{}
	}
	return r
}

// add gathers the objects around one case row and returns the case.
func (r *relatedRows) add(row any) (any, error) {
	m, err := asMap("case with related objects", row)
	if err != nil {
		return nil, err
	}
	one := func(v any) []any {
		if v == nil {
			return nil
		}
		return []any{v}
	}
	err = errors.Join(
		gather(r, &r.Municipalities, one(m["municipality"]), decodeMunicipality, func(x *casus.Municipality) string { return "m:" + x.Code }),
		gather(r, &r.Directors, one(m["director"]), decodeDirector, func(x *casus.Director) string { return "d:" + x.ID }),
		gather(r, &r.Organisations, append(list(m["providers"]), one(m["employer"])...), decodeOrganisation, func(x *casus.Organisation) string { return "o:" + x.ID }),
		gather(r, &r.Persons, list(m["subjects"]), decodePerson, func(x *casus.Person) string { return "p:" + x.ID }),
		gather(r, &r.Offerings, list(m["offerings"]), decodeOffering, func(x *casus.Offering) string { return "f:" + x.ID }),
	)
	if err != nil {
		return nil, err
	}
	if v, ok := m["interventions"]; ok {
		var ivs []*casus.Intervention
		for _, v := range list(v) {
			x, err := decodeIntervention(v)
			if err != nil {
				return nil, err
			}
			ivs = append(ivs, x)
		}
		c, _ := m["case"].(map[string]any)
		r.Interventions[str(c["id"])] = ivs
	}
	return m["case"], nil
}

// gather decodes vs and adds to out those not gathered before.
func gather[T any](r *relatedRows, out *[]*T, vs []any, decode func(any) (*T, error), key func(*T) string) error {
	for _, v := range vs {
		x, err := decode(v)
		if err != nil {
			return err
		}
		if k := key(x); !r.seen[k] {
			r.seen[k] = true
			*out = append(*out, x)
		}
	}
	return nil
}

// CasesOfPersons returns, for each person, the cases about them directly or
// through a group, newest first.
func (s *CaseService) CasesOfPersons(ctx context.Context, personIDs []string) ([][]*casus.Case, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return groupedBy(ctx, s.db, "cases of persons", personIDs, `
		UNWIND $ids AS id
		MATCH (p:Person {id: id})
		CALL (p) {
			MATCH (c:Case)-[:CONCERNS]->(p) RETURN c
			UNION
			MATCH (c:Case)-[:CONCERNS]->(:Group)<-[:IN_GROUP]-(p) RETURN c
		}
		WITH id, c WHERE `+sc.cases("c")+`
		WITH id, c ORDER BY c.openedAt DESC
		RETURN id, collect(`+caseProjection+`) AS rows`, sc.params(nil), decodeCase)
}

// CasesOfDirectors returns, for each director, the open cases they direct.
func (s *CaseService) CasesOfDirectors(ctx context.Context, directorIDs []string) ([][]*casus.Case, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return groupedBy(ctx, s.db, "cases of directors", directorIDs, `
		UNWIND $ids AS id
		MATCH (:Director {id: id})-[:DIRECTS]->(c:Case) WHERE c.phase <> 'CLOSED' AND `+sc.cases("c")+`
		WITH id, c ORDER BY c.openedAt DESC
		RETURN id, collect(`+caseProjection+`) AS rows`, sc.params(nil), decodeCase)
}

const eventProjection = `e {
	.id, .seq, .type, .actorId, .actorName, .actorRole, .at, .reason, .changes,
	case: [(e)-[:ON]->(c:Case) | c.id][0],
	municipality: [(e)-[:ON]->(:Case)-[:IN]->(m:Municipality) | m.code][0]
}`

// EventsAfter returns up to limit events after sequence number after, of
// the cases the caller may see that match f, in order.
func (s *CaseService) EventsAfter(ctx context.Context, after int64, f casus.EventFilter, limit int) ([]*casus.CaseEvent, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return all(ctx, s.db, "events", `
		MATCH (e:CaseEvent)-[:ON]->(c:Case)
		WHERE e.seq > $after AND `+sc.cases("c")+`
		  AND ($case = '' OR c.id = $case)
		  AND ($municipality = '' OR EXISTS { (c)-[:IN]->(:Municipality {code: $municipality}) })
		  AND (size($types) = 0 OR e.type IN $types)
		RETURN `+eventProjection+` ORDER BY e.seq LIMIT $limit`, sc.params(map[string]any{
		"after": after, "case": f.CaseID, "municipality": f.MunicipalityCode, "types": nonNil(f.Types), "limit": limit,
	}), decodeEvent)
}

// VisibleCases returns which of the cases the caller may see.
func (s *CaseService) VisibleCases(ctx context.Context, caseIDs []string) (map[string]bool, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	if sc.cases("c") == "true" {
		// Every case: no need to ask (the ids come from the event log, so
		// the cases exist; cases are never deleted).
		out := make(map[string]bool, len(caseIDs))
		for _, id := range caseIDs {
			out[id] = true
		}
		return out, nil
	}
	ids, err := read(ctx, s.db, func(tx txRunner) ([]string, error) {
		recs, err := s.db.collect(ctx, tx, `MATCH (c:Case) WHERE c.id IN $ids AND `+sc.cases("c")+` RETURN collect(c.id)`,
			sc.params(map[string]any{"ids": nonNil(caseIDs)}))
		if err != nil {
			return nil, err
		}
		return strList(recs[0].Values[0]), nil
	})
	if err != nil {
		return nil, fmt.Errorf("visible cases: %w", err)
	}
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// LastEventSeq returns the sequence number of the newest case event.
func (s *CaseService) LastEventSeq(ctx context.Context) (int64, error) {
	return s.db.lastEventSeq(ctx)
}

func (db *DB) lastEventSeq(ctx context.Context) (int64, error) {
	n, err := read(ctx, db, func(tx txRunner) (int64, error) {
		recs, err := db.collect(ctx, tx, `OPTIONAL MATCH (k:Counter {name: 'case-event'}) RETURN coalesce(k.value, 0)`, nil)
		if err != nil {
			return 0, err
		}
		return num(recs[0].Values[0]), nil
	})
	if err != nil {
		return 0, fmt.Errorf("last event: %w", err)
	}
	return n, nil
}

// EventLog reads the case event log for the live event broker, without a
// caller's scope: every subscriber's scope is applied to what it forwards.
type EventLog struct{ db *DB }

// NewEventLog returns the event log of db.
func NewEventLog(db *DB) *EventLog { return &EventLog{db: db} }

// Since returns up to limit events after sequence number after, in order.
func (l *EventLog) Since(ctx context.Context, after int64, limit int) ([]*casus.CaseEvent, error) {
	return all(background(ctx), l.db, "events", `
		MATCH (e:CaseEvent) WHERE e.seq > $after
		RETURN `+eventProjection+` ORDER BY e.seq LIMIT $limit`, map[string]any{"after": after, "limit": limit}, decodeEvent)
}

// Last returns the sequence number of the newest event.
func (l *EventLog) Last(ctx context.Context) (int64, error) {
	return l.db.lastEventSeq(background(ctx))
}

// Timeline returns a page of the case's events, oldest first.
func (s *CaseService) Timeline(ctx context.Context, caseID string, page casus.Page) (*casus.EventPage, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	res, err := s.db.list(ctx, listQuery{
		match:   "MATCH (e:CaseEvent)-[:ON]->(c:Case {id: $case})",
		where:   []string{sc.cases("c")},
		params:  sc.params(map[string]any{"case": caseID}),
		keys:    []string{"e.seq"},
		project: eventProjection,
	}, page)
	if err != nil {
		return nil, fmt.Errorf("timeline of case %s: %w", caseID, err)
	}
	out := &casus.EventPage{TotalCount: res.total, HasNextPage: res.hasNextPage, HasPreviousPage: res.hasPreviousPage}
	for i, row := range res.rows {
		e, err := decodeEvent(row)
		if err != nil {
			return nil, err
		}
		out.Edges = append(out.Edges, casus.EventEdge{Cursor: res.cursors[i], Event: e})
	}
	return out, nil
}

const interventionProjection = `i {
	.id, .status, .goal, .startedOn, .endedOn, .outcome, .proposedAt,
	case: [(ic:Case)-[:HAS]->(i) | ic.id][0],
	offering: [(i)-[:OF]->(f:InterventionOffering) | f.id][0],
	subjectNames: [(ic:Case)-[:HAS]->(i) | [(ic)-[:CONCERNS]->(ip:Person) | trim(coalesce(ip.firstName, '') + ' ' + ip.lastName)]][0]
}`

// Interventions returns a page of the interventions the caller may see.
func (s *CaseService) Interventions(ctx context.Context, f casus.InterventionFilter, page casus.Page) (*casus.InterventionPage, error) {
	if f.Status != "" && !f.Status.Valid() {
		return nil, casus.Invalid("filter.status", "unknown status %q", f.Status)
	}
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	res, err := s.db.list(ctx, listQuery{
		match:   "MATCH (i:Intervention)",
		where:   []string{"($status = '' OR i.status = $status)", sc.interventions("i")},
		params:  sc.params(map[string]any{"status": string(f.Status)}),
		keys:    []string{"i.proposedAt", "i.id"},
		desc:    true,
		project: interventionProjection,
	}, page)
	if err != nil {
		return nil, fmt.Errorf("list interventions: %w", err)
	}
	out := &casus.InterventionPage{TotalCount: res.total, HasNextPage: res.hasNextPage, HasPreviousPage: res.hasPreviousPage}
	for i, row := range res.rows {
		iv, err := decodeIntervention(row)
		if err != nil {
			return nil, err
		}
		out.Edges = append(out.Edges, casus.InterventionEdge{Cursor: res.cursors[i], Intervention: iv})
	}
	return out, nil
}

// InterventionsOfCases returns each case's interventions, oldest first.
func (s *CaseService) InterventionsOfCases(ctx context.Context, caseIDs []string) ([][]*casus.Intervention, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return groupedBy(ctx, s.db, "interventions of cases", caseIDs, `
		UNWIND $ids AS id
		MATCH (:Case {id: id})-[:HAS]->(i:Intervention) WHERE `+sc.interventions("i")+`
		WITH id, i ORDER BY i.proposedAt, i.id
		RETURN id, collect(`+interventionProjection+`) AS rows`, sc.params(nil), decodeIntervention)
}

// Intervention returns the intervention with id, or NOT_FOUND.
func (s *CaseService) Intervention(ctx context.Context, id string) (*casus.Intervention, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	is, err := byID(ctx, s.db, "intervention", []string{id},
		`MATCH (i:Intervention) WHERE i.id IN $ids AND `+sc.interventions("i")+` RETURN i.id AS id, `+interventionProjection+` AS row`,
		sc.params(nil), decodeIntervention)
	if err != nil {
		return nil, err
	}
	if is[0] == nil {
		return nil, casus.Errorf(casus.ENOTFOUND, "intervention not found")
	}
	return is[0], nil
}

const measureProjection = `x {
	.id, .type, .decision, .decidedById, .decidedByName, .reason, .decidedAt,
	case: [(c:Case)-[:HAS_MEASURE]->(x) | c.id][0]
}`

// MeasuresOfCases returns each case's measures, in the order decided.
func (s *CaseService) MeasuresOfCases(ctx context.Context, caseIDs []string) ([][]*casus.Measure, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return groupedBy(ctx, s.db, "measures of cases", caseIDs, `
		UNWIND $ids AS id
		MATCH (c:Case {id: id})-[:HAS_MEASURE]->(x:Measure) WHERE `+sc.cases("c")+`
		WITH id, x ORDER BY x.decidedAt, x.id
		RETURN id, collect(`+measureProjection+`) AS rows`, sc.params(nil), decodeMeasure)
}

// FinalReport returns a closed case's final report, nil for an open case.
func (s *CaseService) FinalReport(ctx context.Context, caseID string) (*casus.FinalReport, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	r, err := read(ctx, s.db, func(tx txRunner) (*casus.FinalReport, error) {
		recs, err := s.db.collect(ctx, tx, `
			MATCH (c:Case {id: $id}) WHERE `+sc.cases("c")+`
			OPTIONAL MATCH (c)-[:HAS_REPORT]->(r:FinalReport)
			RETURN r {.*} AS r`, sc.params(map[string]any{"id": caseID}))
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, casus.Errorf(casus.ENOTFOUND, "case not found")
		}
		m, ok := recs[0].Values[0].(map[string]any)
		if !ok {
			return nil, nil
		}
		return &casus.FinalReport{
			Summary: str(m["summary"]), Outcome: str(m["outcome"]), Recommendations: str(m["recommendations"]),
			AddressedTo: str(m["addressedTo"]), MunicipalityCode: str(m["municipality"]),
			WrittenByID: str(m["writtenById"]), WrittenByName: str(m["writtenByName"]), WrittenAt: tm(m["writtenAt"]),
		}, nil
	})
	if err != nil {
		return nil, fmt.Errorf("final report of case %s: %w", caseID, err)
	}
	return r, nil
}

// OpenCase registers a new case in REGISTERED phase at LOCAL escalation,
// about the given persons, the persons of the given signals, and the group;
// marks the signals CASE_OPENED; and writes the CASE_OPENED event, in one
// transaction.
func (s *CaseService) OpenCase(ctx context.Context, in casus.OpenCaseInput) (*casus.Case, error) {
	if err := casus.Permit(ctx, casus.ActOpenCase); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	actor := sc.actor
	if !actor.Serves(in.MunicipalityCode) {
		return nil, casus.Invalid("municipality", "you do not serve municipality %q", in.MunicipalityCode)
	}
	key := idempotencyKey(ctx, "openCase", in.IdempotencyKey)
	c, err := writeOnce(ctx, s.db, key, func(tx txRunner) (*casus.Case, error) {
		if id, err := s.db.createdBefore(ctx, tx, key); err != nil || id != "" {
			if err != nil {
				return nil, err
			}
			return s.db.caseByID(ctx, tx, sc, id)
		}
		// Check what the case refers to: the signals, persons and group must
		// be the caller's to read, and every person the case will concern —
		// named, from a signal, or in the group — must too, and live in the
		// case's municipality (casus.CheckCaseSubjects). What the caller
		// cannot read answers as what does not exist.
		recs, err := s.db.collect(ctx, tx, `
			OPTIONAL MATCH (m:Municipality {code: $municipality})
			CALL () {
				UNWIND $signals AS sid
				OPTIONAL MATCH (s:Signal {id: sid}) WHERE `+sc.signals("s")+`
				WITH sid, s, [(s)-[:ABOUT]->(p:Person) | p.id] AS about
				RETURN collect(CASE WHEN s IS NULL THEN sid END) AS missingSignals,
				       collect(CASE WHEN s IS NOT NULL AND NOT s.status IN ['NEW', 'IN_REVIEW'] THEN sid END) AS closedSignals,
				       reduce(acc = [], a IN collect(about) | acc + a) AS signalled
			}
			CALL () {
				OPTIONAL MATCH (g:Group {id: $group}) WHERE EXISTS { MATCH (p:Person)-[:IN_GROUP]->(g) WHERE `+sc.persons("p")+` }
				RETURN ($group = '' OR g IS NOT NULL) AS group, [(g)<-[:IN_GROUP]-(p:Person) | p.id] AS members
			}
			CALL (signalled, members) {
				UNWIND signalled + members + $subjects AS pid
				WITH DISTINCT pid
				OPTIONAL MATCH (p:Person {id: pid}) WHERE `+sc.persons("p")+`
				RETURN collect(CASE WHEN p IS NULL THEN pid END) AS missingPersons,
				       collect(CASE WHEN p IS NOT NULL THEN {id: p.id, municipality: coalesce([(p)-[:LIVES_IN]->(l:Municipality) | l.code][0], '')} END) AS residents
			}
			RETURN m IS NOT NULL AS municipality, missingSignals, closedSignals, missingPersons, group, residents`,
			sc.params(map[string]any{"municipality": in.MunicipalityCode, "signals": nonNil(in.SignalIDs),
				"subjects": nonNil(in.SubjectIDs), "group": in.GroupID}))
		if err != nil {
			return nil, err
		}
		chk := recs[0].AsMap()
		switch {
		case chk["municipality"] != true:
			return nil, casus.Invalid("municipality", "unknown municipality %q", in.MunicipalityCode)
		case len(list(chk["missingSignals"])) > 0:
			return nil, casus.NotFound("signals", "signal")
		case len(list(chk["closedSignals"])) > 0:
			return nil, casus.Invalid("signals", "signal %v was already dismissed or led to a case", list(chk["closedSignals"])[0])
		case chk["group"] != true:
			return nil, casus.NotFound("group", "group")
		case len(list(chk["missingPersons"])) > 0:
			return nil, casus.NotFound("subjects", "person")
		}
		var residents []casus.Resident
		for _, r := range list(chk["residents"]) {
			m, _ := r.(map[string]any)
			residents = append(residents, casus.Resident{ID: str(m["id"]), Municipality: str(m["municipality"])})
		}
		if err := casus.CheckCaseSubjects(actor, in.MunicipalityCode, residents); err != nil {
			return nil, err
		}

		now := s.db.now()
		id := uuid.NewString()
		_, err = s.db.collect(ctx, tx, `
			MATCH (m:Municipality {code: $municipality})
			MERGE (n:Counter {name: $counter})
			ON CREATE SET n.value = 0
			SET n.value = n.value + 1
			WITH m, n.value AS number
			CREATE (c:Case {
				id: $id,
				reference: $prefix + CASE WHEN number < 10000 THEN right('000' + toString(number), 4) ELSE toString(number) END,
				phase: 'REGISTERED', escalationLevel: 'LOCAL',
				riskGroups: $riskGroups, ideology: $ideology, riskLevel: $riskLevel,
				summary: $summary, openedAt: $now, updatedAt: $now, version: 1
			})-[:IN]->(m)
			WITH c
			CALL (c) {
				UNWIND $signals AS sid
				MATCH (s:Signal {id: sid})
				SET s.status = 'CASE_OPENED'
				MERGE (s)-[:LED_TO]->(c)
				WITH s
				MATCH (s)-[:ABOUT]->(p:Person)
				RETURN collect(p.id) AS signalled
			}
			WITH c, signalled
			CALL (c, signalled) {
				UNWIND signalled + $subjects AS pid
				WITH DISTINCT pid
				MATCH (p:Person {id: pid})
				MERGE (c)-[:CONCERNS]->(p)
			}
			CALL (c) {
				MATCH (g:Group {id: $group})
				MERGE (c)-[:CONCERNS]->(g)
			}`,
			map[string]any{
				"municipality": in.MunicipalityCode,
				"counter":      fmt.Sprintf("case-reference-%d", now.Year()),
				"prefix":       fmt.Sprintf("AM-%d-", now.Year()),
				"id":           id,
				"riskGroups":   strs(in.RiskGroups),
				"ideology":     string(in.Ideology),
				"riskLevel":    string(in.RiskLevel),
				"summary":      in.Summary,
				"now":          now,
				"signals":      nonNil(in.SignalIDs),
				"subjects":     nonNil(in.SubjectIDs),
				"group":        in.GroupID,
			})
		if err != nil {
			return nil, err
		}
		changes := []casus.Change{{Field: "phase", After: casus.PhaseRegistered}}
		if err := s.db.appendEvent(ctx, tx, id, casus.EventCaseOpened, actor, in.Reason, now, changes); err != nil {
			return nil, err
		}
		if err := s.db.subjectsJoined(ctx, tx, id); err != nil {
			return nil, err
		}
		if err := s.db.remember(ctx, tx, key, id); err != nil {
			return nil, err
		}
		return s.db.caseByID(ctx, tx, sc, id)
	})
	if err != nil {
		return nil, fmt.Errorf("open case: %w", err)
	}
	return c, nil
}

// changeCase runs one change of an existing case in one transaction: it
// locks the case, checks the expected version, lets decide check the rules on
// the current state and say what to change, applies that, bumps the version
// and appends the event.
func (s *CaseService) changeCase(ctx context.Context, action casus.Action, in casus.CaseChange,
	decide func(tx txRunner, c *casus.Case, now time.Time) (caseEdit, error)) (*casus.Case, error) {
	if err := casus.Permit(ctx, action); err != nil {
		return nil, err
	}
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	sc.throughIntervention = action == casus.ActMoveIntervention
	actor := sc.actor
	c, err := write(ctx, s.db, func(tx txRunner) (*casus.Case, error) {
		c, err := s.db.lockCase(ctx, tx, sc, in.CaseID)
		if err != nil {
			return nil, err
		}
		if err := c.CheckVersion(in.ExpectedVersion); err != nil {
			return nil, err
		}
		now := s.db.now()
		edit, err := decide(tx, c, now)
		if err != nil {
			return nil, err
		}
		params := map[string]any{"id": c.ID, "props": edit.props, "now": now}
		for k, v := range edit.params {
			params[k] = v
		}
		if _, err := s.db.collect(ctx, tx, `
			MATCH (c:Case {id: $id})
			SET c += $props, c.version = c.version + 1, c.updatedAt = $now
			`+edit.cypher, params); err != nil {
			return nil, err
		}
		if err := s.db.appendEvent(ctx, tx, c.ID, edit.event, actor, in.Reason, now, edit.changes); err != nil {
			return nil, err
		}
		return s.db.caseByID(ctx, tx, sc, c.ID)
	})
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", action, in.CaseID, err)
	}
	return c, nil
}

// caseEdit is what a change does to a case: properties to set, more Cypher
// to run with c bound (and its parameters), and the event to record.
type caseEdit struct {
	props   map[string]any
	cypher  string
	params  map[string]any
	event   string
	changes []casus.Change
}

// AdvanceCase moves the case to the next phase of the work process.
func (s *CaseService) AdvanceCase(ctx context.Context, in casus.CaseChange, to casus.Phase) (*casus.Case, error) {
	if err := in.Validate(true); err != nil {
		return nil, err
	}
	return s.changeCase(ctx, casus.ActAdvanceCase, in, func(_ txRunner, c *casus.Case, _ time.Time) (caseEdit, error) {
		ch, err := c.Advance(to)
		if err != nil {
			return caseEdit{}, err
		}
		return caseEdit{props: map[string]any{"phase": string(to)}, event: casus.EventPhaseChanged,
			changes: []casus.Change{ch}}, nil
	})
}

// EscalateCase raises the case's escalation level.
func (s *CaseService) EscalateCase(ctx context.Context, in casus.CaseChange, to *casus.EscalationLevel) (*casus.Case, error) {
	return s.moveLevel(ctx, in, to, true)
}

// DeescalateCase lowers the case's escalation level.
func (s *CaseService) DeescalateCase(ctx context.Context, in casus.CaseChange, to *casus.EscalationLevel) (*casus.Case, error) {
	return s.moveLevel(ctx, in, to, false)
}

func (s *CaseService) moveLevel(ctx context.Context, in casus.CaseChange, to *casus.EscalationLevel, up bool) (*casus.Case, error) {
	if err := in.Validate(true); err != nil {
		return nil, err
	}
	event := casus.EventEscalated
	if !up {
		event = casus.EventDeescalated
	}
	return s.changeCase(ctx, casus.ActEscalate, in, func(_ txRunner, c *casus.Case, _ time.Time) (caseEdit, error) {
		var ch casus.Change
		var err error
		if up {
			ch, err = c.Escalate(to)
		} else {
			ch, err = c.Deescalate(to)
		}
		if err != nil {
			return caseEdit{}, err
		}
		return caseEdit{props: map[string]any{"escalationLevel": fmt.Sprint(ch.After)}, event: event,
			changes: []casus.Change{ch}}, nil
	})
}

// AssignDirector makes the director the case's one director.
func (s *CaseService) AssignDirector(ctx context.Context, in casus.CaseChange, directorID string) (*casus.Case, error) {
	if err := in.Validate(false); err != nil {
		return nil, err
	}
	return s.changeCase(ctx, casus.ActAssignDirector, in, func(tx txRunner, c *casus.Case, _ time.Time) (caseEdit, error) {
		ds, err := s.db.directorsByID(ctx, tx, []string{directorID})
		if err != nil {
			return caseEdit{}, err
		}
		if ds[0] == nil {
			return caseEdit{}, casus.Invalid("director", "unknown director")
		}
		ch, err := c.AssignDirector(ds[0])
		if err != nil {
			return caseEdit{}, err
		}
		return caseEdit{
			cypher: `WITH c
				OPTIONAL MATCH (:Director)-[old:DIRECTS]->(c)
				DELETE old
				WITH DISTINCT c
				MATCH (d:Director {id: $director})
				CREATE (d)-[:DIRECTS {since: $now}]->(c)`,
			params: map[string]any{"director": directorID},
			event:  casus.EventDirectorAssigned, changes: []casus.Change{ch},
		}, nil
	})
}

// ScheduleReview sets the case's next review date.
func (s *CaseService) ScheduleReview(ctx context.Context, in casus.CaseChange, on time.Time) (*casus.Case, error) {
	if err := in.Validate(false); err != nil {
		return nil, err
	}
	return s.changeCase(ctx, casus.ActScheduleReview, in, func(_ txRunner, c *casus.Case, now time.Time) (caseEdit, error) {
		ch, err := c.ScheduleReview(on, now)
		if err != nil {
			return caseEdit{}, err
		}
		return caseEdit{props: map[string]any{"nextReview": date(on)}, event: casus.EventReviewScheduled,
			changes: []casus.Change{ch}}, nil
	})
}

// CloseCase closes the case with its final report, addressed to the mayor of
// the case's municipality.
func (s *CaseService) CloseCase(ctx context.Context, in casus.CaseChange, report casus.FinalReport) (*casus.Case, error) {
	if err := in.Validate(false); err != nil {
		return nil, err
	}
	actor, _ := casus.ActorFrom(ctx)
	return s.changeCase(ctx, casus.ActCloseCase, in, func(tx txRunner, c *casus.Case, now time.Time) (caseEdit, error) {
		ivs, err := s.db.interventionsOf(ctx, tx, c.ID)
		if err != nil {
			return caseEdit{}, err
		}
		ch, err := c.Close(&report, ivs)
		if err != nil {
			return caseEdit{}, err
		}
		return caseEdit{
			props: map[string]any{"phase": string(casus.PhaseClosed), "closedAt": now, "nextReview": nil},
			cypher: `WITH c
				MATCH (c)-[:IN]->(m:Municipality)
				CREATE (c)-[:HAS_REPORT]->(:FinalReport {
					summary: $summary, outcome: $outcome, recommendations: $recommendations,
					addressedTo: coalesce(m.mayor, 'de burgemeester van ' + m.name), municipality: m.code,
					writtenById: $actorId, writtenByName: $actorName, writtenAt: $now
				})`,
			params: map[string]any{"summary": report.Summary, "outcome": report.Outcome,
				"recommendations": report.Recommendations, "actorId": actor.ID, "actorName": actor.Name},
			event: casus.EventCaseClosed, changes: []casus.Change{ch},
		}, nil
	})
}

// interventionsOf reads a case's interventions in tx.
func (db *DB) interventionsOf(ctx context.Context, tx runner, caseID string) ([]*casus.Intervention, error) {
	recs, err := db.collect(ctx, tx, `MATCH (:Case {id: $id})-[:HAS]->(i:Intervention) RETURN `+interventionProjection,
		map[string]any{"id": caseID})
	if err != nil {
		return nil, err
	}
	out := make([]*casus.Intervention, 0, len(recs))
	for _, r := range recs {
		i, err := decodeIntervention(r.Values[0])
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, nil
}

// ProposeIntervention proposes an offering for a case.
func (s *CaseService) ProposeIntervention(ctx context.Context, in casus.ProposeInterventionInput) (*casus.Intervention, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	key := idempotencyKey(ctx, "proposeIntervention", in.IdempotencyKey)
	var created *casus.Intervention
	work := func(tx txRunner, c *casus.Case, now time.Time) (caseEdit, error) {
		if id, err := s.db.createdBefore(ctx, tx, key); err != nil || id != "" {
			if err == nil {
				err = errDone{id}
			}
			return caseEdit{}, err
		}
		if err := c.ProposeIntervention(); err != nil {
			return caseEdit{}, err
		}
		offs, err := s.db.offeringsByID(ctx, tx, []string{in.OfferingID})
		if err != nil {
			return caseEdit{}, err
		}
		if offs[0] == nil {
			return caseEdit{}, casus.Invalid("offering", "unknown intervention offering")
		}
		id := uuid.NewString()
		created = &casus.Intervention{ID: id}
		return caseEdit{
			cypher: `WITH c
				MATCH (f:InterventionOffering {id: $offering})
				CREATE (c)-[:HAS]->(i:Intervention {id: $iid, status: 'PROPOSED', goal: $goal, proposedAt: $now})-[:OF]->(f)
				FOREACH (_ IN CASE WHEN $key <> '' THEN [1] ELSE [] END |
					CREATE (:IdempotencyKey {key: $key, id: $iid, createdAt: $now}))`,
			params: map[string]any{"offering": in.OfferingID, "iid": id, "goal": in.Goal, "key": key},
			event:  casus.EventInterventionProposed,
			changes: []casus.Change{{Field: "interventions." + id + ".status", After: casus.InterventionProposed},
				{Field: "interventions." + id + ".offering", After: in.OfferingID}},
		}, nil
	}
	_, err := s.changeCase(ctx, casus.ActProposeIntervention, casus.CaseChange{CaseID: in.CaseID}, work)
	var done errDone
	switch {
	case asErr(err, &done):
		return s.Intervention(ctx, done.id)
	case err != nil:
		return nil, err
	}
	return s.Intervention(ctx, created.ID)
}

// errDone ends a change early because an earlier request with the same
// idempotency key already made it; id is what that request created.
type errDone struct{ id string }

func (e errDone) Error() string { return "already done as " + e.id }

// MoveIntervention starts, completes or stops an intervention.
func (s *CaseService) MoveIntervention(ctx context.Context, in casus.InterventionChange, to casus.InterventionStatus) (*casus.Intervention, error) {
	if err := casus.Permit(ctx, casus.ActMoveIntervention); err != nil {
		return nil, err
	}
	if !to.Valid() || to == casus.InterventionProposed {
		return nil, casus.Invalid("status", "an intervention cannot be moved to %q", to)
	}
	if err := in.Validate(to, s.db.now()); err != nil {
		return nil, err
	}
	iv, err := s.Intervention(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	event := map[casus.InterventionStatus]string{
		casus.InterventionActive:    casus.EventInterventionStarted,
		casus.InterventionCompleted: casus.EventInterventionCompleted,
		casus.InterventionStopped:   casus.EventInterventionStopped,
	}[to]
	_, err = s.changeCase(ctx, casus.ActMoveIntervention, casus.CaseChange{CaseID: iv.CaseID, Reason: in.Reason},
		func(tx txRunner, c *casus.Case, now time.Time) (caseEdit, error) {
			// Read the intervention again under the case's lock.
			ivs, err := s.db.interventionsOf(ctx, tx, c.ID)
			if err != nil {
				return caseEdit{}, err
			}
			var cur *casus.Intervention
			for _, i := range ivs {
				if i.ID == in.ID {
					cur = i
				}
			}
			if cur == nil {
				return caseEdit{}, casus.Errorf(casus.ENOTFOUND, "intervention not found")
			}
			ch, err := c.MoveIntervention(cur, to)
			if err != nil {
				return caseEdit{}, err
			}
			on := now
			if in.On != nil {
				on = *in.On
			}
			set := map[string]any{"status": string(to)}
			if to == casus.InterventionActive {
				set["startedOn"] = date(on)
			} else {
				set["endedOn"] = date(on)
				set["outcome"] = in.Outcome
			}
			return caseEdit{
				cypher: `WITH c MATCH (c)-[:HAS]->(i:Intervention {id: $iid}) SET i += $set`,
				params: map[string]any{"iid": cur.ID, "set": set},
				event:  event, changes: []casus.Change{ch},
			}, nil
		})
	if err != nil {
		return nil, err
	}
	return s.Intervention(ctx, in.ID)
}

// DecideMeasure records the mayor's decision on an administrative measure.
func (s *CaseService) DecideMeasure(ctx context.Context, in casus.DecideMeasureInput) (*casus.Measure, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	actor, _ := casus.ActorFrom(ctx)
	key := idempotencyKey(ctx, "decideMeasure", in.IdempotencyKey)
	id := uuid.NewString()
	_, err := s.changeCase(ctx, casus.ActDecideMeasure, casus.CaseChange{CaseID: in.CaseID, Reason: in.Reason},
		func(tx txRunner, c *casus.Case, now time.Time) (caseEdit, error) {
			if prev, err := s.db.createdBefore(ctx, tx, key); err != nil || prev != "" {
				if err == nil {
					err = errDone{prev}
				}
				return caseEdit{}, err
			}
			if err := c.DecideMeasure(in.Decision); err != nil {
				return caseEdit{}, err
			}
			return caseEdit{
				cypher: `WITH c
					CREATE (c)-[:HAS_MEASURE]->(:Measure {id: $mid, type: $type, decision: $decision,
						decidedById: $actorId, decidedByName: $actorName, reason: $reason, decidedAt: $now})
					FOREACH (_ IN CASE WHEN $key <> '' THEN [1] ELSE [] END |
						CREATE (:IdempotencyKey {key: $key, id: $mid, createdAt: $now}))`,
				params: map[string]any{"mid": id, "type": string(in.Type), "decision": string(in.Decision),
					"actorId": actor.ID, "actorName": actor.Name, "reason": in.Reason, "key": key},
				event: casus.EventMeasureDecided,
				changes: []casus.Change{{Field: "measures." + id, After: map[string]any{
					"type": in.Type, "decision": in.Decision}}},
			}, nil
		})
	var done errDone
	switch {
	case asErr(err, &done):
		id = done.id
	case err != nil:
		return nil, err
	}
	ms, err := byID(ctx, s.db, "measure", []string{id},
		`MATCH (c:Case)-[:HAS_MEASURE]->(x:Measure) WHERE x.id IN $ids AND `+s.scopeOrFalse(ctx, "c")+` RETURN x.id AS id, `+measureProjection+` AS row`,
		s.scopeParams(ctx), decodeMeasure)
	if err != nil {
		return nil, err
	}
	return ms[0], nil
}

// appendEvent writes the next event of the global case event log in tx. The
// counter node serialises writers, which gives every event a unique, gapless
// position that subscribers can resume from.
func (db *DB) appendEvent(ctx context.Context, tx runner, caseID, typ string, actor casus.Actor, reason string, at time.Time, changes []casus.Change) error {
	wroteEvents(ctx)
	_, err := db.collect(ctx, tx, `
		MATCH (c:Case {id: $caseId})
		MERGE (s:Counter {name: 'case-event'})
		ON CREATE SET s.value = 0
		SET s.value = s.value + 1
		CREATE (e:CaseEvent {
			id: $id, seq: s.value, type: $type, actorId: $actorId, actorName: $actorName,
			actorRole: $actorRole, at: $at, reason: $reason, changes: $changes
		})-[:ON]->(c)`,
		map[string]any{
			"caseId": caseID, "id": uuid.NewString(), "type": typ,
			"actorId": actor.ID, "actorName": actor.Name, "actorRole": actor.Role,
			"at": at, "reason": reason, "changes": casus.ChangesJSON(changes),
		})
	if err != nil {
		return fmt.Errorf("append %s event: %w", typ, err)
	}
	return nil
}

// decodeCase reads the map caseProjection produces.
func decodeCase(v any) (*casus.Case, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("decode case: got %T", v)
	}
	c := &casus.Case{
		ID:               str(m["id"]),
		Reference:        str(m["reference"]),
		MunicipalityCode: str(m["municipality"]),
		SubjectIDs:       strList(m["subjects"]),
		GroupID:          str(m["group"]),
		Phase:            casus.Phase(str(m["phase"])),
		EscalationLevel:  casus.EscalationLevel(str(m["escalationLevel"])),
		Ideology:         casus.Ideology(str(m["ideology"])),
		RiskLevel:        casus.RiskLevel(str(m["riskLevel"])),
		Summary:          str(m["summary"]),
		DirectorID:       str(m["director"]),
		NextReview:       datePtr(m["nextReview"]),
		OpenedAt:         tm(m["openedAt"]),
		UpdatedAt:        tm(m["updatedAt"]),
		Version:          int(num(m["version"])),
	}
	if t, ok := m["closedAt"].(time.Time); ok {
		t = t.UTC()
		c.ClosedAt = &t
	}
	for _, g := range list(m["riskGroups"]) {
		c.RiskGroups = append(c.RiskGroups, casus.RiskGroup(str(g)))
	}
	return c, nil
}

func decodeEvent(v any) (*casus.CaseEvent, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("decode event: got %T", v)
	}
	e := &casus.CaseEvent{
		ID: str(m["id"]), Seq: num(m["seq"]), CaseID: str(m["case"]), MunicipalityCode: str(m["municipality"]), Type: str(m["type"]),
		Actor: casus.Actor{ID: str(m["actorId"]), Name: str(m["actorName"]), Role: str(m["actorRole"])},
		At:    tm(m["at"]), Reason: str(m["reason"]),
	}
	if raw := str(m["changes"]); raw != "" {
		if err := jsonUnmarshal(raw, &e.Changes); err != nil {
			return nil, fmt.Errorf("decode event %s changes: %w", e.ID, err)
		}
	}
	return e, nil
}

func decodeIntervention(v any) (*casus.Intervention, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("decode intervention: got %T", v)
	}
	return &casus.Intervention{
		ID: str(m["id"]), CaseID: str(m["case"]), OfferingID: str(m["offering"]),
		Status: casus.InterventionStatus(str(m["status"])), Goal: str(m["goal"]),
		StartedOn: datePtr(m["startedOn"]), EndedOn: datePtr(m["endedOn"]), Outcome: str(m["outcome"]),
		ProposedAt: tm(m["proposedAt"]), SubjectNames: strList(m["subjectNames"]),
	}, nil
}

func decodeMeasure(v any) (*casus.Measure, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("decode measure: got %T", v)
	}
	return &casus.Measure{
		ID: str(m["id"]), CaseID: str(m["case"]), Type: casus.MeasureType(str(m["type"])),
		Decision: casus.MeasureDecision(str(m["decision"])), DecidedByID: str(m["decidedById"]),
		DecidedByName: str(m["decidedByName"]), Reason: str(m["reason"]), DecidedAt: tm(m["decidedAt"]),
	}, nil
}

func datePtr(v any) *time.Time {
	d, ok := v.(dbtype.Date)
	if !ok {
		return nil
	}
	t := d.Time()
	return &t
}

// scopeOrFalse is the case predicate of the actor on ctx, or false without one.
func (s *CaseService) scopeOrFalse(ctx context.Context, v string) string {
	sc, err := scopeOf(ctx)
	if err != nil {
		return "false"
	}
	return sc.cases(v)
}

func (s *CaseService) scopeParams(ctx context.Context) map[string]any {
	sc, _ := scopeOf(ctx)
	return sc.params(nil)
}

const grantProjection = `g {.id, .userId, .userName, .until, .reason, .grantedById, .grantedByName, .grantedAt,
	case: [(g)-[:ON]->(c:Case) | c.id][0]}`

func decodeGrant(v any) (*casus.Grant, error) {
	m, err := asMap("grant", v)
	if err != nil {
		return nil, err
	}
	return &casus.Grant{ID: str(m["id"]), CaseID: str(m["case"]), UserID: str(m["userId"]), UserName: str(m["userName"]),
		Until: tm(m["until"]), Reason: str(m["reason"]), GrantedByID: str(m["grantedById"]),
		GrantedByName: str(m["grantedByName"]), GrantedAt: tm(m["grantedAt"])}, nil
}

// GrantAccess gives a named user access to one case until in.Until, and
// records it on the case's timeline.
func (s *CaseService) GrantAccess(ctx context.Context, in casus.GrantInput) (*casus.Grant, error) {
	if err := casus.Permit(ctx, casus.ActGrantAccess); err != nil {
		return nil, err
	}
	if err := in.Validate(s.db.now()); err != nil {
		return nil, err
	}
	actor, _ := casus.ActorFrom(ctx)
	id := uuid.NewString()
	_, err := s.changeCase(ctx, casus.ActGrantAccess, casus.CaseChange{CaseID: in.CaseID, Reason: in.Reason},
		func(_ txRunner, c *casus.Case, now time.Time) (caseEdit, error) {
			if c.Closed() {
				return caseEdit{}, casus.Errorf(casus.EINVALID, "case %s is closed", c.Reference)
			}
			return caseEdit{
				cypher: `WITH c CREATE (:Grant {id: $gid, userId: $user, userName: $userName, until: $until, reason: $reason,
					grantedById: $actorId, grantedByName: $actorName, grantedAt: $now})-[:ON]->(c)`,
				params: map[string]any{"gid": id, "user": in.UserID, "userName": in.UserName, "until": in.Until.UTC(),
					"reason": in.Reason, "actorId": actor.ID, "actorName": actor.Name},
				event: casus.EventAccessGranted,
				changes: []casus.Change{{Field: "grants." + id, After: map[string]any{
					"user": in.UserID, "until": in.Until.UTC().Format(time.RFC3339)}}},
			}, nil
		})
	if err != nil {
		return nil, err
	}
	gs, err := s.GrantsOfCases(ctx, []string{in.CaseID})
	if err != nil {
		return nil, err
	}
	for _, g := range gs[0] {
		if g.ID == id {
			return g, nil
		}
	}
	return nil, fmt.Errorf("grant %s: not found after writing it", id)
}

// GrantsOfCases returns each case's grants that have not expired.
func (s *CaseService) GrantsOfCases(ctx context.Context, caseIDs []string) ([][]*casus.Grant, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return groupedBy(ctx, s.db, "grants of cases", caseIDs, `
		UNWIND $ids AS id
		MATCH (g:Grant)-[:ON]->(c:Case {id: id}) WHERE g.until > datetime() AND `+sc.cases("c")+`
		WITH id, g ORDER BY g.until
		RETURN id, collect(`+grantProjection+`) AS rows`, sc.params(nil), decodeGrant)
}

// subjectsJoined writes a CASE_JOINED person event for every person the
// case is about, directly or through its group.
func (db *DB) subjectsJoined(ctx context.Context, tx runner, caseID string) error {
	recs, err := db.collect(ctx, tx, `
		MATCH (c:Case {id: $id})-[:CONCERNS]->(x)
		OPTIONAL MATCH (x)<-[:IN_GROUP]-(m:Person)
		WITH CASE WHEN x:Person THEN x.id ELSE m.id END AS pid WHERE pid IS NOT NULL
		RETURN collect(DISTINCT pid)`, map[string]any{"id": caseID})
	if err != nil {
		return err
	}
	var events []personEvent
	for _, pid := range strList(recs[0].Values[0]) {
		events = append(events, personEvent{typ: casus.AlertCase, person: pid, caseID: caseID})
	}
	return db.appendPersonEvents(ctx, tx, events)
}

// OfferingRecords returns every offering with how often it was completed
// and stopped in closed cases that share a risk group with the case, and
// whether the case has it already.
func (s *CaseService) OfferingRecords(ctx context.Context, caseID string) ([]casus.OfferingRecord, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	out, err := read(ctx, s.db, func(tx txRunner) ([]casus.OfferingRecord, error) {
		seen, err := s.db.collect(ctx, tx, `MATCH (c:Case {id: $case}) WHERE `+sc.cases("c")+` RETURN c.id`, sc.params(map[string]any{"case": caseID}))
		if err != nil {
			return nil, err
		}
		if len(seen) == 0 {
			return nil, casus.Errorf(casus.ENOTFOUND, "case not found")
		}
		recs, err := s.db.collect(ctx, tx, `
			MATCH (c:Case {id: $case})
			MATCH (f:InterventionOffering)
			OPTIONAL MATCH (f)<-[:OF]-(i:Intervention)<-[:HAS]-(o:Case)
			  WHERE o.phase = 'CLOSED' AND any(g IN coalesce(o.riskGroups, []) WHERE g IN c.riskGroups)
			WITH c, f, count(CASE WHEN i.status = 'COMPLETED' THEN 1 END) AS completed,
				count(CASE WHEN i.status = 'STOPPED' THEN 1 END) AS stopped
			RETURN `+offeringProjection+`, completed, stopped, EXISTS { (c)-[:HAS]->(:Intervention)-[:OF]->(f) } AS inCase
			ORDER BY f.id`, map[string]any{"case": caseID})
		if err != nil {
			return nil, err
		}
		out := make([]casus.OfferingRecord, len(recs))
		for i, r := range recs {
			f, err := decodeOffering(r.Values[0])
			if err != nil {
				return nil, err
			}
			out[i] = casus.OfferingRecord{Offering: f, Completed: int(num(r.Values[1])), Stopped: int(num(r.Values[2])), InCase: boolean(r.Values[3])}
		}
		return out, nil
	})
	if err != nil {
		return nil, fmt.Errorf("offering records of %s: %w", caseID, err)
	}
	return out, nil
}
