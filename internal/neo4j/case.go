package neo4j

import (
	"context"
	"fmt"
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
	.riskOverridden, .informed, .informedOn, .informedBy, .notInformedGround, .reconsiderOn,
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
	row, err := db.caseRow(ctx, tx, sc, id, caseProjection)
	if err != nil {
		return nil, err
	}
	return decodeCase(row)
}

// caseRow reads projection of the case (c) with id in tx if it is in
// scope, or answers NOT_FOUND.
func (db *DB) caseRow(ctx context.Context, tx runner, sc scope, id, projection string) (any, error) {
	recs, err := db.collect(ctx, tx, `MATCH (c:Case {id: $id}) WHERE `+sc.cases("c")+` RETURN `+projection+` AS c`,
		sc.params(map[string]any{"id": id}))
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, casus.Errorf(casus.ENOTFOUND, "case not found")
	}
	return column(recs[0], "c")
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
		q.keys, q.desc, q.index = []string{"c.openedAt", "c.id"}, true, "c:Case(openedAt, id)"
	case casus.CaseOrderOpenedAsc:
		q.keys, q.index = []string{"c.openedAt", "c.id"}, "c:Case(openedAt, id)"
	case casus.CaseOrderUpdatedDesc:
		q.keys, q.desc, q.index = []string{"c.updatedAt", "c.id"}, true, "c:Case(updatedAt, id)"
	case casus.CaseOrderReference:
		q.keys, q.index = []string{"c.reference"}, "c:Case(reference)"
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

// OpenCase registers a new case in REGISTERED phase at LOCAL escalation,
// about the given persons, the persons of the given signals, and the group;
// marks the signals CASE_OPENED; and writes the CASE_OPENED event, in one
// transaction.
func (s *CaseService) OpenCase(ctx context.Context, in casus.OpenCaseInput) (*casus.Case, error) {
	sc, err := permitted(ctx, casus.ActOpenCase, &in)
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
		RiskOverridden:   boolean(m["riskOverridden"]),
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
	if informed, ok := m["informed"].(bool); ok {
		c.Informing = &casus.Informing{Informed: informed, On: datePtr(m["informedOn"]), By: str(m["informedBy"]),
			Ground: str(m["notInformedGround"]), ReconsiderOn: datePtr(m["reconsiderOn"])}
	}
	return c, nil
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
func casesOrFalse(ctx context.Context, v string) string {
	sc, err := scopeOf(ctx)
	if err != nil {
		return "false"
	}
	return sc.cases(v)
}

func scopeParams(ctx context.Context) map[string]any {
	sc, _ := scopeOf(ctx)
	return sc.params(nil)
}

// subjectsJoined writes a CASE_JOINED person event for every person the
// case is about, directly or through its group.
func (db *DB) subjectsJoined(ctx context.Context, tx *Tx, caseID string) error {
	recs, err := db.collect(ctx, tx, `
		MATCH (c:Case {id: $id})-[:CONCERNS]->(x)
		OPTIONAL MATCH (x)<-[:IN_GROUP]-(m:Person)
		WITH CASE WHEN x:Person THEN x.id ELSE m.id END AS pid WHERE pid IS NOT NULL
		RETURN collect(DISTINCT pid) AS persons`, map[string]any{"id": caseID})
	if err != nil {
		return err
	}
	persons, err := only(recs, "persons")
	if err != nil {
		return err
	}
	var events []personEvent
	for _, pid := range strList(persons) {
		events = append(events, personEvent{typ: casus.AlertCase, person: pid, caseID: caseID})
	}
	return db.appendPersonEvents(ctx, tx, events)
}
