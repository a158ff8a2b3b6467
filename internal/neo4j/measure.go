package neo4j

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"casusnet/internal/casus"
)

// MeasureService records the mayor's decisions on measures on Neo4j.
type MeasureService struct{ db *DB }

var _ casus.MeasureService = (*MeasureService)(nil)

// NewMeasureService returns the measure service of db.
func NewMeasureService(db *DB) *MeasureService { return &MeasureService{db: db} }

const measureProjection = `x {
	.id, .type, .decision, .decidedById, .decidedByName, .reason, .decidedAt,
	case: [(c:Case)-[:HAS_MEASURE]->(x) | c.id][0]
}`

// MeasuresOfCases returns each case's measures, in the order decided.
func (s *MeasureService) MeasuresOfCases(ctx context.Context, caseIDs []string) ([][]*casus.Measure, error) {
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

// DecideMeasure records the mayor's decision on an administrative measure.
func (s *MeasureService) DecideMeasure(ctx context.Context, in casus.DecideMeasureInput) (*casus.Measure, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	actor, _ := casus.ActorFrom(ctx)
	key := idempotencyKey(ctx, "decideMeasure", in.IdempotencyKey)
	id := uuid.NewString()
	_, err := changeCase(ctx, s.db, casus.ActDecideMeasure, casus.CaseChange{CaseID: in.CaseID, Reason: in.Reason},
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
		`MATCH (c:Case)-[:HAS_MEASURE]->(x:Measure) WHERE x.id IN $ids AND `+casesOrFalse(ctx, "c")+` RETURN x.id AS id, `+measureProjection+` AS row`,
		scopeParams(ctx), decodeMeasure)
	if err != nil {
		return nil, err
	}
	return ms[0], nil
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
