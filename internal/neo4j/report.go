package neo4j

import (
	"context"
	"fmt"
	"time"

	"casusnet/internal/casus"
)

// ReportService closes cases with their final report on Neo4j, and reads it.
type ReportService struct{ db *DB }

var _ casus.ReportService = (*ReportService)(nil)

// NewReportService returns the report service of db.
func NewReportService(db *DB) *ReportService { return &ReportService{db: db} }

// FinalReport returns a closed case's final report, nil for an open case.
func (s *ReportService) FinalReport(ctx context.Context, caseID string) (*casus.FinalReport, error) {
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
		r, err := column(recs[0], "r")
		if err != nil {
			return nil, err
		}
		m, ok := r.(map[string]any)
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

// CloseCase closes the case with its final report, addressed to the mayor of
// the case's municipality.
func (s *ReportService) CloseCase(ctx context.Context, in casus.CaseChange, report casus.FinalReport) (*casus.Case, error) {
	if err := in.Validate(false); err != nil {
		return nil, err
	}
	actor, _ := casus.ActorFrom(ctx)
	return changeCase(ctx, s.db, casus.ActCloseCase, in, func(tx txRunner, c *casus.Case, now time.Time) (caseEdit, error) {
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
