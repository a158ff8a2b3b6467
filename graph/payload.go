package graph

import (
	"casusnet/graph/model"
	"casusnet/internal/casus"
)

// caseChange builds the common part of a case mutation from its input.
func caseChange(caseID, reason string, expected *int) (casus.CaseChange, error) {
	key, err := inputKey(kindCase, caseID, "case")
	if err != nil {
		return casus.CaseChange{}, err
	}
	return casus.CaseChange{CaseID: key, Reason: reason, ExpectedVersion: expected}, nil
}

func casePayload(c *casus.Case, err error) (*model.CasePayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.CasePayload{Case: c}, nil
}

func personPayload(p *casus.Person, err error) (*model.PersonPayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.PersonPayload{Person: p}, nil
}

func interventionPayload(i *casus.Intervention, err error) (*model.InterventionPayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.InterventionPayload{Intervention: i}, nil
}

func conferencePayload(k *casus.Conference, err error) (*model.ConferencePayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.ConferencePayload{Conference: k}, nil
}

func actionPayload(a *casus.PlanAction, err error) (*model.PlanActionPayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.PlanActionPayload{Action: a}, nil
}

func requestPayload(q *casus.Request, err error) (*model.SubjectRequestPayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.SubjectRequestPayload{Request: q}, nil
}
