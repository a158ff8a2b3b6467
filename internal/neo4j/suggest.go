package neo4j

import (
	"context"
	"fmt"

	"casusnet/internal/casus"
)

// Advisor reads what the suggestions of directors and interventions are
// made from, on Neo4j.
type Advisor struct{ db *DB }

var _ casus.Advisor = (*Advisor)(nil)

// NewAdvisor returns the advisor of db.
func NewAdvisor(db *DB) *Advisor { return &Advisor{db: db} }

// CaseToAdvise returns the case the caller asks suggestions for, if they
// may ask for suggestions at all and may read the case.
func (s *Advisor) CaseToAdvise(ctx context.Context, caseID string) (*casus.Case, error) {
	if err := casus.PermitRead(ctx, casus.ReadSuggestions); err != nil {
		return nil, err
	}
	return NewCaseService(s.db).Case(ctx, caseID)
}

// OfferingRecords returns every offering with how often it was completed
// and stopped in the closed cases the caller may read that share a risk
// group with the case, and whether the case has it already: another
// municipality's closed cases are not theirs to count.
func (s *Advisor) OfferingRecords(ctx context.Context, caseID string) ([]casus.OfferingRecord, error) {
	if err := casus.PermitRead(ctx, casus.ReadSuggestions); err != nil {
		return nil, err
	}
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
			  WHERE o.phase = 'CLOSED' AND any(g IN coalesce(o.riskGroups, []) WHERE g IN c.riskGroups) AND `+sc.cases("o")+`
			WITH c, f, count(CASE WHEN i.status = 'COMPLETED' THEN 1 END) AS completed,
				count(CASE WHEN i.status = 'STOPPED' THEN 1 END) AS stopped
			RETURN `+offeringProjection+` AS offering, completed, stopped, EXISTS { (c)-[:HAS]->(:Intervention)-[:OF]->(f) } AS inCase
			ORDER BY f.id`, sc.params(map[string]any{"case": caseID}))
		if err != nil {
			return nil, err
		}
		out := make([]casus.OfferingRecord, len(recs))
		for i, r := range recs {
			c, err := columns(r, "offering", "completed", "stopped", "inCase")
			if err != nil {
				return nil, err
			}
			f, err := decodeOffering(c[0])
			if err != nil {
				return nil, err
			}
			out[i] = casus.OfferingRecord{Offering: f, Completed: int(num(c[1])), Stopped: int(num(c[2])), InCase: boolean(c[3])}
		}
		return out, nil
	})
	if err != nil {
		return nil, fmt.Errorf("offering records of %s: %w", caseID, err)
	}
	return out, nil
}
