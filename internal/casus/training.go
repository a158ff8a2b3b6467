package casus

import (
	"context"
	"strings"
	"time"
)

// Training is a training of field staff in recognising radicalisation.
type Training struct {
	ID               string
	Date             time.Time // date
	OrganisationID   string
	MunicipalityCode string
	Participants     int
	Topic            string
}

// Validate checks a training to record.
func (t *Training) Validate(now time.Time) error {
	t.Topic = strings.TrimSpace(t.Topic)
	switch {
	case t.Date.IsZero() || t.Date.After(now.AddDate(1, 0, 0)):
		return Invalid("date", "give the training's date (at most a year ahead)")
	case t.OrganisationID == "":
		return Invalid("organisation", "give the organisation trained")
	case t.MunicipalityCode == "":
		return Invalid("municipality", "give the municipality")
	case t.Participants < 1 || t.Participants > 10_000:
		return Invalid("participants", "participants must be 1 to 10,000")
	case t.Topic == "" || len(t.Topic) > 200:
		return Invalid("topic", "give a topic of at most 200 characters")
	}
	return nil
}

// TrainingService records trainings of field staff.
type TrainingService interface {
	// RecordTraining records a training (coordinators only).
	RecordTraining(ctx context.Context, t Training) (*Training, error)
	// Trainings returns the trainings in the municipalities of scope, newest first.
	Trainings(ctx context.Context, scope DashboardScope) ([]*Training, error)
}
