package graph_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"casusnet/internal/casus"
	"casusnet/internal/demo"
)

// TestSuggestions asks for directors and interventions for the access
// region's cases (the ranking itself is checked in internal/casus).
func TestSuggestions(t *testing.T) {
	a := newAPI(t, accessRegion())
	directors := func(api *api, caseID string) (string, response) {
		var out struct {
			SuggestDirectors []struct {
				Director struct{ Name string }
				Score    float64
				Reasons  []string
			}
		}
		r := api.do(`query($c: ID!) { suggestDirectors(case: $c) { director { name } score reasons } }`, map[string]any{"c": gid("Case", caseID)}, &out)
		var s []string
		for _, d := range out.SuggestDirectors {
			s = append(s, fmt.Sprintf("%s=%g%v", d.Director.Name, d.Score, d.Reasons))
		}
		return strings.Join(s, " "), r
	}
	// Regisseur A serves Aalsmeer, not Amstelveen, and directs one of five.
	if got, r := directors(a, "case-b"); got != "Regisseur A=2[4 van 5 plaatsen vrij]" {
		t.Errorf("directors for case-b = %s %v", got, r.Errors)
	}
	if got, _ := directors(a, "case-a"); got != "" {
		t.Errorf("directors for case-a, whose director is the only one = %s", got)
	}
	var out struct {
		SuggestInterventions []struct {
			Offering struct{ Name string }
			Reasons  []string
		}
	}
	a.must(`query($c: ID!) { suggestInterventions(case: $c) { offering { name } reasons } }`, map[string]any{"c": gid("Case", "case-b")}, &out)
	if len(out.SuggestInterventions) != 1 || out.SuggestInterventions[0].Offering.Name != "Mentor" {
		t.Errorf("interventions for case-b (which has Zorg) = %+v", out.SuggestInterventions)
	}
	for name, c := range map[string]struct {
		api    *api
		caseID string
		code   string
	}{
		"director out of scope": {a.as(actors["director A"]), "case-b", "NOT_FOUND"},
		"mayor":                 {a.as(actors["mayor B"]), "case-b", "FORBIDDEN"},
		"analyst":               {a.as(actors["analyst A"]), "case-a", "FORBIDDEN"},
	} {
		for _, q := range []string{`query($c: ID!) { suggestDirectors(case: $c) { score } }`, `query($c: ID!) { suggestInterventions(case: $c) { score } }`} {
			if r := c.api.do(q, map[string]any{"c": gid("Case", c.caseID)}, nil); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != c.code {
				t.Errorf("%s: %+v", name, r.Errors)
			}
		}
	}
}

// TestSuggestionsCountOnlyReadableCases closes two Amstelveen cases in
// which a coaching offering was completed: the coordinator's suggestions
// for Aalsmeer's case count them, the director of Aalsmeer's do not — she
// would learn of comparable cases in a municipality she does not serve.
func TestSuggestionsCountOnlyReadableCases(t *testing.T) {
	region := accessRegion()
	region.Offerings = append(region.Offerings, demo.Offering{ID: "off-coach", ProviderID: "org-jw", Name: "Coaching"})
	closed := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for i, id := range []string{"case-c1", "case-c2"} {
		region.Cases = append(region.Cases, demo.Case{ID: id, Reference: fmt.Sprintf("AM-2026-00%d", 10+i), Municipality: "GM0362",
			Subjects: []string{"p-x"}, RiskGroups: []casus.RiskGroup{"RADICALISING"}, Ideology: "OTHER", RiskLevel: "LOW", Phase: "CLOSED",
			EscalationLevel: "LOCAL", Summary: id, OpenedAt: closed,
			Interventions: []demo.Intervention{{ID: "int-" + id, OfferingID: "off-coach", Status: "COMPLETED", Goal: "g"}}})
	}
	a := newAPI(t, region)
	reasons := func(api *api) string {
		var out struct {
			SuggestInterventions []struct {
				Offering struct{ Name string }
				Reasons  []string
			}
		}
		api.must(`query($c: ID!) { suggestInterventions(case: $c) { offering { name } reasons } }`, map[string]any{"c": gid("Case", "case-a")}, &out)
		for _, s := range out.SuggestInterventions {
			if s.Offering.Name == "Coaching" {
				return strings.Join(s.Reasons, "; ")
			}
		}
		return "not suggested"
	}
	if got := reasons(a.as(actors["coordinator"])); !strings.Contains(got, "afgerond in 2 van 2") {
		t.Errorf("the coordinator's reasons for coaching: %s", got)
	}
	if got := reasons(a.as(actors["director A"])); strings.Contains(got, "afgerond in") {
		t.Errorf("the director of Aalsmeer counts Amstelveen's closed cases: %s", got)
	}
}
