package casus

import (
	"fmt"
	"testing"
)

func render(s []Suggestion) string {
	out := ""
	for _, x := range s {
		out += fmt.Sprintf("%s=%g%v ", x.ID, x.Score, x.Reasons)
	}
	return out
}

// TestRankDirectors checks the ranking by hand: a knows the ideology (3)
// and one risk group (2), serves the municipality (3), has 2 free places
// (1): 9. b serves the municipality (3) with 10 free (capped at 5: 2.5):
// 5.5. c knows both risk groups (4) but is full (−5): −1. d is the current
// director and is left out.
func TestRankDirectors(t *testing.T) {
	c := &Case{MunicipalityCode: "GM0362", Ideology: "JIHADIST", RiskGroups: []RiskGroup{"RETURNEE", "RADICALISING"}, DirectorID: "d"}
	got := render(RankDirectors(c, []*Director{
		{ID: "c", Expertise: []string{"RETURNEE", "RADICALISING"}, Capacity: 3, OpenCases: 3},
		{ID: "b", Municipalities: []string{"GM0362"}, Capacity: 10},
		{ID: "a", Expertise: []string{"JIHADIST", "RETURNEE"}, Municipalities: []string{"GM0362"}, Capacity: 5, OpenCases: 3},
		{ID: "d", Expertise: []string{"JIHADIST"}, Capacity: 5},
	}))
	want := "a=9[kent jihadistisch kent returnee werkt in de gemeente van de casus 2 van 5 plaatsen vrij] b=5.5[werkt in de gemeente van de casus 10 van 10 plaatsen vrij] c=-1[kent returnee kent radicaliserend geen plaats vrij (3 van 3 bezet)] "
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestRankOfferings: x targets a risk group (2) and was completed 3 of 4
// times (2.25): 4.25; y targets none but was completed 2 of 2 (3); z was
// used once (too little to count) and targets the other group (2); w is in
// the case already.
func TestRankOfferings(t *testing.T) {
	c := &Case{RiskGroups: []RiskGroup{"RETURNEE", "RADICALISING"}}
	got := render(RankOfferings(c, []OfferingRecord{
		{Offering: &Offering{ID: "z", TargetRiskGroups: []RiskGroup{"RADICALISING"}}, Completed: 1},
		{Offering: &Offering{ID: "y"}, Completed: 2},
		{Offering: &Offering{ID: "x", TargetRiskGroups: []RiskGroup{"RETURNEE"}}, Completed: 3, Stopped: 1},
		{Offering: &Offering{ID: "w", TargetRiskGroups: []RiskGroup{"RETURNEE"}}, InCase: true},
	}))
	want := "x=4.25[bedoeld voor returnee afgerond in 3 van 4 vergelijkbare afgesloten casussen] y=3[afgerond in 2 van 2 vergelijkbare afgesloten casussen] z=2[bedoeld voor radicaliserend te weinig ervaring in vergelijkbare afgesloten casussen om mee te tellen] "
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
