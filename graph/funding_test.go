package graph_test

import (
	"fmt"
	"strings"
	"testing"

	"casusnet/internal/demo"
)

// TestCostAllocation shares budgets by hand-checked figures: three equal
// municipalities split 100 cents 34/33/33 (the cent left over to the first
// code); after Aalsmeer's 2025 figure doubles, 2026 uses it and 2024 still
// the registered figures.
func TestCostAllocation(t *testing.T) {
	a := newAPI(t, demo.Data{Municipalities: []demo.Municipality{
		{Code: "GM0358", Name: "Aalsmeer", Inhabitants: 1000}, {Code: "GM0362", Name: "Amstelveen", Inhabitants: 1000},
		{Code: "GM0384", Name: "Diemen", Inhabitants: 1000},
	}})
	alloc := func(api *api, budget, year int) (string, response) {
		var out struct {
			CostAllocation struct {
				TotalInhabitants int
				Shares           []struct {
					Municipality    struct{ Code string }
					Inhabitants     int
					InhabitantsYear *int
					Cents           int
				}
			}
		}
		r := api.do(`query($b: Int!, $y: Int!) { costAllocation(budgetCents: $b, year: $y) { totalInhabitants shares { municipality { code } inhabitants inhabitantsYear cents } } }`,
			map[string]any{"b": budget, "y": year}, &out)
		var s []string
		sum := 0
		for _, sh := range out.CostAllocation.Shares {
			y := "registered"
			if sh.InhabitantsYear != nil {
				y = fmt.Sprint(*sh.InhabitantsYear)
			}
			s = append(s, fmt.Sprintf("%s:%d(%d,%s)", sh.Municipality.Code, sh.Cents, sh.Inhabitants, y))
			sum += sh.Cents
		}
		if len(r.Errors) == 0 && sum != budget {
			t.Errorf("shares sum to %d, not %d", sum, budget)
		}
		return strings.Join(s, " "), r
	}
	if got, r := alloc(a, 100, 2026); got != "GM0358:34(1000,registered) GM0362:33(1000,registered) GM0384:33(1000,registered)" {
		t.Errorf("2026 = %s %v", got, r.Errors)
	}
	a.must(`mutation { setInhabitants(input: {municipality: "GM0358", year: 2025, inhabitants: 2000}) { year inhabitants municipality { code } } }`, nil, nil)
	if got, _ := alloc(a.as(networkMayor), 100, 2026); got != "GM0358:50(2000,2025) GM0362:25(1000,registered) GM0384:25(1000,registered)" {
		t.Errorf("2026 after the 2025 figure = %s", got)
	}
	if got, _ := alloc(a, 100, 2024); got != "GM0358:34(1000,registered) GM0362:33(1000,registered) GM0384:33(1000,registered)" {
		t.Errorf("2024 = %s", got)
	}
	for name, c := range map[string]struct {
		api    *api
		budget int
		year   int
		code   string
	}{
		"analyst":         {a.as(analystA), 100, 2026, "FORBIDDEN"},
		"partner":         {a.as(actors["partner JW"]), 100, 2026, "FORBIDDEN"},
		"negative budget": {a, -1, 2026, "INVALID"},
		"year":            {a, 100, 3000, "INVALID"},
	} {
		if _, r := alloc(c.api, c.budget, c.year); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != c.code {
			t.Errorf("%s: %+v", name, r.Errors)
		}
	}
	for name, q := range map[string]string{
		"unknown municipality": `mutation { setInhabitants(input: {municipality: "GM9999", year: 2025, inhabitants: 1}) { year } }`,
		"negative":             `mutation { setInhabitants(input: {municipality: "GM0358", year: 2025, inhabitants: -5}) { year } }`,
	} {
		if r := a.do(q, nil, nil); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "INVALID" {
			t.Errorf("%s: %+v", name, r.Errors)
		}
	}
}
