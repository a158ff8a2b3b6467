package neo4j

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"casusnet/internal/casus"
)

// TrainingService is casus.TrainingService on Neo4j.
type TrainingService struct{ db *DB }

var _ casus.TrainingService = (*TrainingService)(nil)

// NewTrainingService returns the training service of db.
func NewTrainingService(db *DB) *TrainingService { return &TrainingService{db: db} }

const trainingProjection = `t {.id, .date, .participants, .topic,
	organisation: [(t)-[:BY]->(o:Organisation) | o.id][0], municipality: [(t)-[:IN]->(m:Municipality) | m.code][0]}`

func decodeTraining(v any) (*casus.Training, error) {
	m, err := asMap("training", v)
	if err != nil {
		return nil, err
	}
	t := &casus.Training{ID: str(m["id"]), Participants: int(num(m["participants"])), Topic: str(m["topic"]),
		OrganisationID: str(m["organisation"]), MunicipalityCode: str(m["municipality"])}
	if d := datePtr(m["date"]); d != nil {
		t.Date = *d
	}
	return t, nil
}

// RecordTraining records a training.
func (s *TrainingService) RecordTraining(ctx context.Context, t casus.Training) (*casus.Training, error) {
	if err := casus.Permit(ctx, casus.ActRecordTraining); err != nil {
		return nil, err
	}
	if err := t.Validate(s.db.now()); err != nil {
		return nil, err
	}
	actor, _ := casus.ActorFrom(ctx)
	out, err := write(ctx, s.db, func(tx txRunner) (*casus.Training, error) {
		recs, err := s.db.collect(ctx, tx, `
			OPTIONAL MATCH (o:Organisation {id: $organisation})
			OPTIONAL MATCH (m:Municipality {code: $municipality})
			OPTIONAL CALL (o, m) {
				WITH o, m WHERE o IS NOT NULL AND m IS NOT NULL
				CREATE (t:Training {id: $id, date: $date, participants: $participants, topic: $topic, recordedAt: $now, recordedBy: $actor})
				CREATE (t)-[:BY]->(o), (t)-[:IN]->(m)
				RETURN `+trainingProjection+` AS training
			}
			RETURN o IS NOT NULL AS organisation, m IS NOT NULL AS municipality, training`,
			map[string]any{"organisation": t.OrganisationID, "municipality": t.MunicipalityCode, "id": uuid.NewString(),
				"date": date(t.Date), "participants": t.Participants, "topic": t.Topic, "now": s.db.now(), "actor": actor.ID})
		if err != nil {
			return nil, err
		}
		if len(recs) != 1 {
			return nil, fmt.Errorf("record training: %d rows", len(recs))
		}
		c, err := columns(recs[0], "organisation", "municipality", "training")
		if err != nil {
			return nil, err
		}
		if !boolean(c[0]) {
			return nil, casus.Invalid("organisation", "unknown organisation")
		}
		if !boolean(c[1]) {
			return nil, casus.Invalid("municipality", "unknown municipality %q", t.MunicipalityCode)
		}
		return decodeTraining(c[2])
	})
	if err != nil {
		return nil, fmt.Errorf("record training: %w", err)
	}
	return out, nil
}

// Trainings returns the trainings in scope's municipalities, newest first.
func (s *TrainingService) Trainings(ctx context.Context, scope casus.DashboardScope) ([]*casus.Training, error) {
	var codes any
	if c := scope.Codes(); c != nil {
		codes = c
	}
	return all(ctx, s.db, "trainings", `
		MATCH (t:Training)-[:IN]->(m:Municipality) WHERE $codes IS NULL OR m.code IN $codes
		RETURN `+trainingProjection+` AS row ORDER BY t.date DESC, t.id`, map[string]any{"codes": codes}, decodeTraining)
}
