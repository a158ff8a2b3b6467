package casus

import (
	"cmp"
	"context"
	"slices"
)

// Inhabitants is a municipality's number of inhabitants as used for one
// year's cost sharing.
type Inhabitants struct {
	MunicipalityCode string
	Inhabitants      int64
	// Year is the year the figure is for; 0 for the municipality's
	// registered figure, used when no yearly figure up to the year exists.
	Year int
}

// Validate checks a yearly figure to record.
func (in Inhabitants) Validate() error {
	switch {
	case in.Year < 1900 || in.Year > 2200:
		return Invalid("year", "year must be 1900 to 2200")
	case in.Inhabitants < 0 || in.Inhabitants > 10_000_000:
		return Invalid("inhabitants", "inhabitants must be 0 to 10,000,000")
	}
	return nil
}

// CostShare is one municipality's part of a budget.
type CostShare struct {
	Inhabitants
	Cents int64
}

// MaxBudgetCents bounds a budget: enough for any region's approach, far
// from overflowing the arithmetic.
const MaxBudgetCents = 1 << 40

// Allocate shares budget (in cents) among the municipalities in proportion
// to their inhabitants, in whole cents that sum exactly to the budget: each
// gets the whole cents of its exact share, and the cents left over go one
// each to the largest remainders (Hamilton's method; equal remainders by
// municipality code). Shares come in municipality code order.
func Allocate(budget int64, counts []Inhabitants) ([]CostShare, error) {
	if budget < 0 || budget > MaxBudgetCents {
		return nil, Invalid("budget", "the budget must be 0 to %d cents", int64(MaxBudgetCents))
	}
	var total int64
	for _, c := range counts {
		if c.Inhabitants < 0 {
			return nil, Invalid("inhabitants", "%s has a negative number of inhabitants", c.MunicipalityCode)
		}
		total += c.Inhabitants
	}
	if total == 0 {
		return nil, Invalid("year", "no inhabitants to share the costs by")
	}
	shares := make([]CostShare, len(counts))
	remainders := make([]int64, len(counts))
	var given int64
	for i, c := range counts {
		// budget ≤ 2^40 and inhabitants ≤ 2^23 for any municipality keep
		// the product well inside int64.
		exact := budget * c.Inhabitants
		shares[i] = CostShare{Inhabitants: c, Cents: exact / total}
		remainders[i] = exact % total
		given += shares[i].Cents
	}
	order := make([]int, len(counts))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := cmp.Compare(remainders[b], remainders[a]); c != 0 {
			return c
		}
		return cmp.Compare(counts[a].MunicipalityCode, counts[b].MunicipalityCode)
	})
	for k := int64(0); k < budget-given; k++ {
		shares[order[k]].Cents++
	}
	slices.SortFunc(shares, func(a, b CostShare) int { return cmp.Compare(a.MunicipalityCode, b.MunicipalityCode) })
	return shares, nil
}

// FundingService keeps the inhabitants that costs are shared by.
type FundingService interface {
	// InhabitantsFor returns each municipality's figure for year: the
	// latest yearly figure up to that year, else its registered figure.
	InhabitantsFor(ctx context.Context, year int) ([]Inhabitants, error)
	// SetInhabitants records a municipality's inhabitants for a year
	// (coordinators only).
	SetInhabitants(ctx context.Context, in Inhabitants) error
}
