package graph

import (
	"context"

	"casusnet/graph/model"
	"casusnet/internal/casus"
)

// costAllocation shares the budget by each municipality's inhabitants.
func (r *Resolver) costAllocation(ctx context.Context, budget, year int) (*model.CostAllocation, error) {
	counts, err := r.FundingService.InhabitantsFor(ctx, year)
	if err != nil {
		return nil, err
	}
	shares, err := casus.Allocate(int64(budget), counts)
	if err != nil {
		return nil, err
	}
	out := &model.CostAllocation{Year: year, BudgetCents: budget, Shares: make([]*model.CostShare, len(shares))}
	codes := make([]string, len(shares))
	for i, sh := range shares {
		codes[i] = sh.MunicipalityCode
		out.TotalInhabitants += int(sh.Inhabitants.Inhabitants)
	}
	ms, err := loadMany(ctx, &loadersFrom(ctx).municipality, codes)
	if err != nil {
		return nil, err
	}
	for i, sh := range shares {
		s := &model.CostShare{Municipality: ms[i], Inhabitants: int(sh.Inhabitants.Inhabitants), Cents: int(sh.Cents)}
		if sh.Year != 0 {
			s.InhabitantsYear = &sh.Year
		}
		if budget > 0 {
			s.Percentage = 100 * float64(sh.Cents) / float64(budget)
		}
		out.Shares[i] = s
	}
	return out, nil
}

// setInhabitants records a municipality's inhabitants for a year.
func (r *Resolver) setInhabitants(ctx context.Context, in model.SetInhabitantsInput) (*model.SetInhabitantsPayload, error) {
	if err := r.FundingService.SetInhabitants(ctx, casus.Inhabitants{MunicipalityCode: in.Municipality, Year: in.Year, Inhabitants: int64(in.Inhabitants)}); err != nil {
		return nil, err
	}
	m, err := required(ctx, &loadersFrom(ctx).municipality, in.Municipality)
	if err != nil {
		return nil, err
	}
	return &model.SetInhabitantsPayload{Municipality: m, Year: in.Year, Inhabitants: in.Inhabitants}, nil
}
