package neo4j

import (
	"context"
	"fmt"

	"casusnet/internal/casus"
)

// RelativeService reads and records family ties on Neo4j.
type RelativeService struct{ db *DB }

var _ casus.RelativeService = (*RelativeService)(nil)

// NewRelativeService returns the relative service of db.
func NewRelativeService(db *DB) *RelativeService { return &RelativeService{db: db} }

// relativeRow is the row of a family tie of p, r the tie and x the relative,
// outgoing set when it points from p.
const relativeRow = `{kind: r.kind, outgoing: outgoing, relative: x.id}`

// decodeRelative reads a relativeRow.
func decodeRelative(v any) (*casus.Relative, error) {
	m, err := asMap("relative", v)
	if err != nil {
		return nil, err
	}
	kind := casus.RelativeKind(str(m["kind"]))
	// (p)-[:RELATIVE {kind: K}]->(x): p is K of x, so x is K's inverse of p.
	if boolean(m["outgoing"]) {
		kind = kind.Inverse()
	}
	return &casus.Relative{Kind: kind, RelativeID: str(m["relative"])}, nil
}

// RelativesOf returns each person's family ties, seen from that person.
func (s *RelativeService) RelativesOf(ctx context.Context, personIDs []string) ([][]casus.Relative, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	grouped, err := groupedBy(ctx, s.db, "relatives", personIDs, `
		UNWIND $ids AS id
		MATCH (p:Person {id: id})-[r:RELATIVE]-(x:Person) WHERE `+sc.persons("p")+`
		WITH id, r, x, startNode(r) = p AS outgoing
		ORDER BY x.lastName, x.firstName, x.id
		RETURN id, collect(`+relativeRow+`) AS rows`, sc.params(nil), decodeRelative)
	if err != nil {
		return nil, err
	}
	out := make([][]casus.Relative, len(grouped))
	for i, rows := range grouped {
		out[i] = make([]casus.Relative, len(rows))
		for j, r := range rows {
			out[i][j] = *r
		}
	}
	return out, nil
}

// RelatePersons records that the relative is Kind of the person, replacing
// any family tie between the two.
func (s *RelativeService) RelatePersons(ctx context.Context, in casus.RelateInput) (*casus.Person, error) {
	sc, err := editScope(ctx)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	p, err := write(ctx, s.db, func(tx txRunner) (*casus.Person, error) {
		if err := s.db.checkPersons(ctx, tx, sc, in.PersonID, "person", in.RelativeID, "relative"); err != nil {
			return nil, err
		}
		if _, err := s.db.collect(ctx, tx, `
			MATCH (p:Person {id: $person}), (r:Person {id: $relative})
			OPTIONAL MATCH (p)-[old:RELATIVE]-(r)
			DELETE old
			WITH DISTINCT p, r
			CREATE (r)-[:RELATIVE {kind: $kind, since: $now}]->(p)`,
			map[string]any{"person": in.PersonID, "relative": in.RelativeID, "kind": string(in.Kind), "now": s.db.now()}); err != nil {
			return nil, err
		}
		if err := s.db.appendPersonEvents(ctx, tx, []personEvent{
			{typ: casus.AlertTie, person: in.PersonID, other: in.RelativeID}, {typ: casus.AlertTie, person: in.RelativeID, other: in.PersonID},
		}); err != nil {
			return nil, err
		}
		return s.db.personInTx(ctx, tx, in.PersonID)
	})
	if err != nil {
		return nil, fmt.Errorf("relate persons: %w", err)
	}
	return p, nil
}

// UnrelatePersons removes every family tie between the two persons.
func (s *RelativeService) UnrelatePersons(ctx context.Context, personID, relativeID string) (*casus.Person, error) {
	sc, err := editScope(ctx)
	if err != nil {
		return nil, err
	}
	p, err := write(ctx, s.db, func(tx txRunner) (*casus.Person, error) {
		recs, err := s.db.collect(ctx, tx, `
			MATCH (p:Person {id: $person})-[r:RELATIVE]-(q:Person {id: $relative}) WHERE `+sc.persons("p")+` AND `+sc.persons("q")+`
			DELETE r
			RETURN count(r) AS removed`, sc.params(map[string]any{"person": personID, "relative": relativeID}))
		if err != nil {
			return nil, err
		}
		removed, err := only(recs, "removed")
		if err != nil {
			return nil, err
		}
		if num(removed) == 0 {
			return nil, casus.Errorf(casus.ENOTFOUND, "no family tie between these persons")
		}
		return s.db.personInTx(ctx, tx, personID)
	})
	if err != nil {
		return nil, fmt.Errorf("unrelate persons: %w", err)
	}
	return p, nil
}
