package neo4j

import (
	"context"
	"time"

	"casusnet/internal/casus"
)

// AddSubject makes a person a subject of an open case: a pupil named in a
// signal after the case was opened, a sibling who turns out to be
// involved. It opens the person's network to the case's readers exactly as
// opening a case about them would, so the same rules hold: the writer is
// responsible for the case (scope.steer) and reads the person, and the
// person lives in the case's municipality (casus.CheckCaseSubjects).
func (s *CaseService) AddSubject(ctx context.Context, in casus.AddSubjectInput) (*casus.Case, error) {
	if err := in.Validate(false); err != nil {
		return nil, err
	}
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return changeCase(ctx, s.db, casus.ActAddSubject, in.CaseChange, func(tx txRunner, c *casus.Case, _ time.Time) (caseEdit, error) {
		if c.Closed() {
			return caseEdit{}, casus.Invalid("case", "case %s is closed", c.Reference)
		}
		recs, err := s.db.collect(ctx, tx, `
			OPTIONAL MATCH (p:Person {id: $person}) WHERE `+sc.persons("p")+`
			RETURN p IS NOT NULL AS found, coalesce([(p)-[:LIVES_IN]->(l:Municipality) | l.code][0], '') AS municipality,
			       EXISTS { (:Case {id: $case})-[:CONCERNS]->(p) } AS already`,
			sc.params(map[string]any{"person": in.PersonID, "case": c.ID}))
		if err != nil {
			return caseEdit{}, err
		}
		vs, err := columns(recs[0], "found", "municipality", "already")
		if err != nil {
			return caseEdit{}, err
		}
		switch {
		case !boolean(vs[0]):
			return caseEdit{}, casus.NotFound("person", "person")
		case boolean(vs[2]):
			return caseEdit{}, casus.Invalid("person", "this person is a subject of the case already")
		}
		if err := casus.CheckCaseSubjects(sc.actor, c.MunicipalityCode, []casus.Resident{{ID: in.PersonID, Municipality: str(vs[1])}}); err != nil {
			return caseEdit{}, err
		}
		if err := s.db.appendPersonEvents(ctx, tx, []personEvent{{typ: casus.AlertCase, person: in.PersonID, caseID: c.ID}}); err != nil {
			return caseEdit{}, err
		}
		return caseEdit{
			cypher:  `WITH c MATCH (p:Person {id: $person}) MERGE (c)-[:CONCERNS]->(p)`,
			params:  map[string]any{"person": in.PersonID},
			event:   casus.EventSubjectAdded,
			changes: []casus.Change{{Field: "subjects", After: in.PersonID}},
		}, nil
	})
}
