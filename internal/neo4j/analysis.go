package neo4j

import (
	"context"

	"casusnet/internal/casus"
)

// The limits of network analysis: every analysis names its purpose, and its
// answer marks the persons it swept in who are no subject of any case, and
// those whose processing is restricted (see scope.analysis).

// markPersons marks the persons of g: a redacted one the caller could read
// but whose processing is restricted shows as restricted, not as outside
// the caller's scope; a shown one who is no subject of any case shows as
// such.
func (db *DB) markPersons(ctx context.Context, tx runner, sc scope, g *casus.NetworkGraph) error {
	var ids []string
	for _, n := range g.Nodes {
		if n.Kind == casus.NodePerson {
			ids = append(ids, n.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	plain := sc
	plain.analysis = false
	recs, err := db.collect(ctx, tx, `
		MATCH (p:Person) WHERE p.id IN $ids
		RETURN p.id AS id, coalesce(p.restricted, false) AND `+plain.persons("p")+` AS restricted,
			NOT EXISTS { (:Case)-[:CONCERNS]->(p) } AND NOT EXISTS { (:Case)-[:CONCERNS]->(:Group)<-[:IN_GROUP]-(p) } AS nonSubject`,
		plain.params(map[string]any{"ids": ids}))
	if err != nil {
		return err
	}
	restricted, nonSubject := map[string]bool{}, map[string]bool{}
	for _, r := range recs {
		vs, err := columns(r, "id", "restricted", "nonSubject")
		if err != nil {
			return err
		}
		restricted[str(vs[0])], nonSubject[str(vs[0])] = boolean(vs[1]), boolean(vs[2])
	}
	for _, n := range g.Nodes {
		if n.Kind == casus.NodePerson {
			n.Restricted = n.Redacted && restricted[n.ID]
			n.NonSubject = !n.Redacted && nonSubject[n.ID]
		}
	}
	return nil
}

// analysisPurpose checks the purpose of an analysis from the persons from
// and returns the cases it serves: the case it names, which the caller must
// be able to read (NOT_FOUND otherwise) and which must concern every person
// the analysis starts from — a subject of it, or tied directly to one (its
// network) — else the purpose is INVALID; without a case, the readable
// cases about the persons it starts from. With neither those nor a
// question, it has no purpose: INVALID.
func (db *DB) analysisPurpose(ctx context.Context, tx runner, sc scope, p casus.AnalysisPurpose, from []string) ([]string, error) {
	plain := sc
	plain.analysis = false
	if p.CaseID != "" {
		recs, err := db.collect(ctx, tx, `
			MATCH (c:Case {id: $id}) WHERE `+plain.cases("c")+`
			CALL (c) {
				MATCH (c)-[:CONCERNS]->(:Group|Person)<-[:IN_GROUP*0..1]-(s:Person)
				WITH DISTINCT s
				CALL (s) { RETURN s AS x UNION MATCH (s)-[:RELATIVE|CONTACT]-(x:Person) RETURN x }
				RETURN collect(DISTINCT x.id) AS network
			}
			RETURN [f IN $from WHERE NOT f IN network] AS unrelated`, plain.params(map[string]any{"id": p.CaseID, "from": nonNil(from)}))
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, casus.NotFound("purposeCase", "case")
		}
		unrelated, err := only(recs, "unrelated")
		if err != nil {
			return nil, err
		}
		if len(list(unrelated)) > 0 {
			return nil, casus.Invalid("purposeCase", "the case does not concern every person the analysis starts from: name a case whose subjects or network they are, or record the question the analysis answers")
		}
		return []string{p.CaseID}, nil
	}
	recs, err := db.collect(ctx, tx, `
		MATCH (c:Case)-[:CONCERNS]->(x) WHERE (x.id IN $from OR EXISTS { (q:Person)-[:IN_GROUP]->(x) WHERE q.id IN $from }) AND `+plain.cases("c")+`
		RETURN collect(DISTINCT c.id) AS ids`, plain.params(map[string]any{"from": nonNil(from)}))
	if err != nil {
		return nil, err
	}
	ids, err := only(recs, "ids")
	if err != nil {
		return nil, err
	}
	cases := strList(ids)
	if len(cases) == 0 && p.Question == "" {
		return nil, casus.Invalid("question", "these persons are no subject of a case you work on: name the case the analysis serves, or record the question it answers")
	}
	return cases, nil
}
