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

// escalationInput returns the domain's escalation input of a GraphQL one.
func escalationInput(input model.EscalationInput) (casus.EscalationInput, error) {
	ch, err := caseChange(input.Case, input.Reason, input.ExpectedVersion)
	if err != nil {
		return casus.EscalationInput{}, err
	}
	in := casus.EscalationInput{CaseChange: ch, To: input.To}
	for _, k := range input.Criteria {
		in.Criteria = append(in.Criteria, casus.CriterionNote{Code: k.Code, Explanation: k.Explanation})
	}
	return in, nil
}

func sharePayload(r *casus.ShareRequest, err error) (*model.ShareRequestPayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.ShareRequestPayload{Request: r}, nil
}

func advicePayload(a *casus.Advice, err error) (*model.AdvicePayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.AdvicePayload{Advice: a}, nil
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
