package graph

import (
	"context"

	"casusnet/graph/model"
	"casusnet/internal/casus"
)

// suggestedCase checks that the caller may ask for suggestions about the
// case, and returns it.
func (r *Resolver) suggestedCase(ctx context.Context, id string) (*casus.Case, error) {
	key, err := inputKey(kindCase, id, "case")
	if err != nil {
		return nil, err
	}
	return r.Advisor.CaseToAdvise(ctx, key)
}

// suggestDirectors ranks the directors for a case.
func (r *Resolver) suggestDirectors(ctx context.Context, id string) ([]*model.DirectorSuggestion, error) {
	c, err := r.suggestedCase(ctx, id)
	if err != nil {
		return nil, err
	}
	ds, err := r.DirectoryService.Directors(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[string]*casus.Director{}
	for _, d := range ds {
		byID[d.ID] = d
	}
	ranked := casus.RankDirectors(c, ds)
	out := make([]*model.DirectorSuggestion, len(ranked))
	for i, s := range ranked {
		out[i] = &model.DirectorSuggestion{Director: byID[s.ID], Score: s.Score, Reasons: s.Reasons}
	}
	return out, nil
}

// suggestInterventions ranks the offerings for a case.
func (r *Resolver) suggestInterventions(ctx context.Context, id string) ([]*model.OfferingSuggestion, error) {
	c, err := r.suggestedCase(ctx, id)
	if err != nil {
		return nil, err
	}
	records, err := r.Advisor.OfferingRecords(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	byID := map[string]*casus.Offering{}
	for _, rec := range records {
		byID[rec.Offering.ID] = rec.Offering
	}
	ranked := casus.RankOfferings(c, records)
	out := make([]*model.OfferingSuggestion, len(ranked))
	for i, s := range ranked {
		out[i] = &model.OfferingSuggestion{Offering: byID[s.ID], Score: s.Score, Reasons: s.Reasons}
	}
	return out, nil
}
