package casus

import (
	"cmp"
	"context"
	"fmt"
	"slices"
)

// Suggestion is a ranked candidate with the reasons for its place. It is
// advice: a person decides.
type Suggestion struct {
	ID      string
	Score   float64
	Reasons []string
}

// Weights of the director ranking.
const (
	weightIdeology     = 3
	weightRiskGroup    = 2
	weightMunicipality = 3
	weightFreePlace    = 0.5 // per free place, up to five
	penaltyFull        = -5
)

// RankDirectors ranks directors for case c: knowing its ideology (+3) and
// each of its risk groups (+2), serving its municipality (+3), and free
// capacity (+½ a free place, up to 5 places; a director without a free
// place gets −5). Equal scores go by id. The current director is left out.
func RankDirectors(c *Case, directors []*Director) []Suggestion {
	var out []Suggestion
	for _, d := range directors {
		if d.ID == c.DirectorID {
			continue
		}
		s := Suggestion{ID: d.ID}
		if slices.Contains(d.Expertise, string(c.Ideology)) {
			s.Score += weightIdeology
			s.Reasons = append(s.Reasons, "kent "+Word(string(c.Ideology)))
		}
		for _, g := range c.RiskGroups {
			if slices.Contains(d.Expertise, string(g)) {
				s.Score += weightRiskGroup
				s.Reasons = append(s.Reasons, "kent "+Word(string(g)))
			}
		}
		if slices.Contains(d.Municipalities, c.MunicipalityCode) {
			s.Score += weightMunicipality
			s.Reasons = append(s.Reasons, "werkt in de gemeente van de casus")
		}
		switch free := d.Capacity - d.OpenCases; {
		case free > 0:
			s.Score += weightFreePlace * float64(min(free, 5))
			s.Reasons = append(s.Reasons, fmt.Sprintf("%d van %d plaatsen vrij", free, d.Capacity))
		default:
			s.Score += penaltyFull
			s.Reasons = append(s.Reasons, fmt.Sprintf("geen plaats vrij (%d van %d bezet)", d.OpenCases, d.Capacity))
		}
		out = append(out, s)
	}
	sortSuggestions(out)
	return out
}

// OfferingRecord is an offering with how it worked out before: in closed
// cases that share a risk group with the case at hand, how often an
// intervention of it was completed and how often stopped.
type OfferingRecord struct {
	Offering           *Offering
	Completed, Stopped int
	// InCase is set when the case already has an intervention of it.
	InCase bool
}

// RankOfferings ranks offerings for case c: each of the case's risk groups
// the offering targets (+2), and its record in comparable closed cases
// (+3 × the share completed, once it was used at least twice). Offerings
// the case already has are left out.
func RankOfferings(c *Case, records []OfferingRecord) []Suggestion {
	var out []Suggestion
	for _, r := range records {
		if r.InCase {
			continue
		}
		s := Suggestion{ID: r.Offering.ID}
		for _, g := range c.RiskGroups {
			if slices.Contains(r.Offering.TargetRiskGroups, g) {
				s.Score += weightRiskGroup
				s.Reasons = append(s.Reasons, "bedoeld voor "+Word(string(g)))
			}
		}
		if used := r.Completed + r.Stopped; used >= 2 {
			s.Score += 3 * float64(r.Completed) / float64(used)
			s.Reasons = append(s.Reasons, fmt.Sprintf("afgerond in %d van %d vergelijkbare afgesloten casussen", r.Completed, used))
		} else if used > 0 {
			s.Reasons = append(s.Reasons, "te weinig ervaring in vergelijkbare afgesloten casussen om mee te tellen")
		}
		out = append(out, s)
	}
	sortSuggestions(out)
	return out
}

func sortSuggestions(s []Suggestion) {
	slices.SortStableFunc(s, func(a, b Suggestion) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// Advisor reads what the suggestions are made from.
type Advisor interface {
	// CaseToAdvise returns the case the caller asks suggestions for: FORBIDDEN
	// for a role that may not ask, NOT_FOUND for a case out of scope.
	CaseToAdvise(ctx context.Context, caseID string) (*Case, error)
	// OfferingRecords returns every offering with its record in closed
	// cases that share a risk group with the case (counts only: those
	// cases may lie outside the caller's scope), and whether the case has
	// it already. The case must be visible to the caller.
	OfferingRecords(ctx context.Context, caseID string) ([]OfferingRecord, error)
}
