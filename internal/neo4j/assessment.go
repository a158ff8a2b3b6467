package neo4j

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"casusnet/internal/casus"
)

// AssessmentService records risk assessments, the case's risk level and
// whether its subject is informed, on Neo4j.
type AssessmentService struct{ db *DB }

var _ casus.AssessmentService = (*AssessmentService)(nil)

// NewAssessmentService returns the assessment service of db.
func NewAssessmentService(db *DB) *AssessmentService { return &AssessmentService{db: db} }

const assessmentProjection = `r {
	.id, .instrument, .version, .assessor, .assessorOrganisation, .accredited, .on, .outcome, .scenarios, .nextOn, .recordedAt,
	case: [(rc:Case)-[:HAS_ASSESSMENT]->(r) | rc.id][0]
}`

// AssessmentsOfCases returns each visible case's assessments, latest first.
func (s *AssessmentService) AssessmentsOfCases(ctx context.Context, caseIDs []string) ([][]*casus.Assessment, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return groupedBy(ctx, s.db, "assessments of cases", caseIDs, `
		UNWIND $ids AS id
		MATCH (c:Case {id: id})-[:HAS_ASSESSMENT]->(r:RiskAssessment) WHERE `+sc.cases("c")+`
		WITH id, r ORDER BY r.on DESC, r.recordedAt DESC
		RETURN id, collect(`+assessmentProjection+`) AS rows`, sc.params(nil), decodeAssessment)
}

// RecordAssessment records that a structured assessment was made, and sets
// the case's risk level to its outcome unless a director overrode it.
func (s *AssessmentService) RecordAssessment(ctx context.Context, in casus.AssessmentInput) (*casus.Assessment, error) {
	if err := casus.Permit(ctx, casus.ActAssess); err != nil {
		return nil, err
	}
	if err := in.Validate(s.db.now()); err != nil {
		return nil, err
	}
	id := uuid.NewString()
	_, err := changeCase(ctx, s.db, casus.ActAssess, casus.CaseChange{CaseID: in.CaseID},
		func(tx txRunner, c *casus.Case, _ time.Time) (caseEdit, error) {
			if in.AssessorOrganisationID != "" {
				if err := s.db.checkOrganisations(ctx, tx, "assessorOrganisation", []string{in.AssessorOrganisationID}); err != nil {
					return caseEdit{}, err
				}
			}
			latest, err := s.db.latestAssessment(ctx, tx, c.ID)
			if err != nil {
				return caseEdit{}, err
			}
			a := &casus.Assessment{ID: id, Outcome: in.Outcome}
			changes, err := c.Assess(a)
			if err != nil {
				return caseEdit{}, err
			}
			edit := caseEdit{
				cypher: `WITH c
					CREATE (c)-[:HAS_ASSESSMENT]->(:RiskAssessment {id: $rid, instrument: $instrument, version: $version,
						assessor: $assessor, assessorOrganisation: $organisation, accredited: $accredited, on: $on,
						outcome: $outcome, scenarios: $scenarios, nextOn: $nextOn, recordedAt: $now})`,
				params: map[string]any{"rid": id, "instrument": string(in.Instrument), "version": textOrNil(in.Version),
					"assessor": in.Assessor, "organisation": textOrNil(in.AssessorOrganisationID), "accredited": in.Accredited,
					"on": date(in.On), "outcome": string(in.Outcome), "scenarios": textOrNil(in.Scenarios), "nextOn": datePtrParam(in.NextOn)},
				event: casus.EventAssessed,
			}
			// An assessment older than the latest one recorded does not set
			// the level: the case follows its latest assessment.
			if latest != nil && in.On.Before(latest.On) {
				changes = changes[:1]
			}
			edit.changes = changes
			if len(changes) > 1 {
				edit.props = map[string]any{"riskLevel": string(in.Outcome)}
			}
			return edit, nil
		})
	if err != nil {
		return nil, err
	}
	as, err := s.AssessmentsOfCases(ctx, []string{in.CaseID})
	if err != nil {
		return nil, err
	}
	for _, a := range as[0] {
		if a.ID == id {
			return a, nil
		}
	}
	return nil, fmt.Errorf("assessment %s not read back", id)
}

// latestAssessment reads the case's latest assessment in tx, nil for none.
func (db *DB) latestAssessment(ctx context.Context, tx runner, caseID string) (*casus.Assessment, error) {
	recs, err := db.collect(ctx, tx, `MATCH (:Case {id: $id})-[:HAS_ASSESSMENT]->(r:RiskAssessment)
		WITH r ORDER BY r.on DESC, r.recordedAt DESC LIMIT 1 RETURN `+assessmentProjection+` AS row`, map[string]any{"id": caseID})
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	row, err := only(recs, "row")
	if err != nil {
		return nil, err
	}
	return decodeAssessment(row)
}

// OverrideRiskLevel sets the case's risk level by hand, with a reason; a nil
// level makes the case follow its latest assessment again.
func (s *AssessmentService) OverrideRiskLevel(ctx context.Context, in casus.CaseChange, level *casus.RiskLevel) (*casus.Case, error) {
	if err := in.Validate(true); err != nil {
		return nil, err
	}
	return changeCase(ctx, s.db, casus.ActOverrideRisk, in, func(tx txRunner, c *casus.Case, _ time.Time) (caseEdit, error) {
		latest, err := s.db.latestAssessment(ctx, tx, c.ID)
		if err != nil {
			return caseEdit{}, err
		}
		var outcome casus.RiskLevel
		if latest != nil {
			outcome = latest.Outcome
		}
		ch, err := c.OverrideRisk(level, outcome)
		if err != nil {
			return caseEdit{}, err
		}
		return caseEdit{props: map[string]any{"riskLevel": fmt.Sprint(ch.After), "riskOverridden": level != nil},
			event: casus.EventRiskOverridden, changes: []casus.Change{ch, {Field: "riskOverridden", Before: c.RiskOverridden, After: level != nil}}}, nil
	})
}

// RecordInforming records whether the case's subject was informed: when and
// by whom, or on what ground not and when to reconsider.
func (s *AssessmentService) RecordInforming(ctx context.Context, in casus.InformingInput) (*casus.Case, error) {
	if err := casus.Permit(ctx, casus.ActInform); err != nil {
		return nil, err
	}
	if err := in.Validate(s.db.now()); err != nil {
		return nil, err
	}
	return changeCase(ctx, s.db, casus.ActInform, casus.CaseChange{CaseID: in.CaseID, Reason: in.Reason},
		func(_ txRunner, c *casus.Case, _ time.Time) (caseEdit, error) {
			ch, err := c.Inform(in.Informing)
			if err != nil {
				return caseEdit{}, err
			}
			return caseEdit{props: map[string]any{"informed": in.Informed, "informedOn": datePtrParam(in.On),
				"informedBy": textOrNil(in.By), "notInformedGround": textOrNil(in.Ground), "reconsiderOn": datePtrParam(in.ReconsiderOn)},
				event: casus.EventInformed, changes: []casus.Change{ch}}, nil
		})
}

func decodeAssessment(v any) (*casus.Assessment, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("decode assessment: got %T", v)
	}
	a := &casus.Assessment{
		ID: str(m["id"]), CaseID: str(m["case"]), Instrument: casus.Instrument(str(m["instrument"])),
		Version: str(m["version"]), Assessor: str(m["assessor"]), AssessorOrganisationID: str(m["assessorOrganisation"]),
		Accredited: boolean(m["accredited"]), Outcome: casus.RiskLevel(str(m["outcome"])), Scenarios: str(m["scenarios"]),
		NextOn: datePtr(m["nextOn"]), RecordedAt: tm(m["recordedAt"]),
	}
	if d := datePtr(m["on"]); d != nil {
		a.On = *d
	}
	return a, nil
}
