package casus

import (
	"context"
	"slices"
	"strings"
	"time"
)

// WeighingOutcome is what the weighing team (wegingsoverleg) decides about a
// case in ASSESSMENT.
type WeighingOutcome string

// The outcomes of a weighing. INCLUDE takes the case into the approach and
// on to the case conference; NO_ACTION and REFER_TO_PROSECUTOR close it with
// the weighing as the ground; MORE_INFORMATION keeps it in ASSESSMENT until
// what is missing is known.
const (
	WeighingNoAction        WeighingOutcome = "NO_ACTION"           // geen actie
	WeighingMoreInformation WeighingOutcome = "MORE_INFORMATION"    // meer informatie nodig
	WeighingInclude         WeighingOutcome = "INCLUDE"             // opnemen in de PGA (casusoverleg)
	WeighingRefer           WeighingOutcome = "REFER_TO_PROSECUTOR" // overdragen aan het OM
)

// WeighingOutcomes lists every outcome.
var WeighingOutcomes = []WeighingOutcome{WeighingNoAction, WeighingMoreInformation, WeighingInclude, WeighingRefer}

// Valid reports whether o is a known outcome.
func (o WeighingOutcome) Valid() bool { return slices.Contains(WeighingOutcomes, o) }

// Phase returns the phase a case in ASSESSMENT moves to with outcome o.
func (o WeighingOutcome) Phase() Phase {
	switch o {
	case WeighingInclude:
		return PhaseCaseConference
	case WeighingNoAction, WeighingRefer:
		return PhaseClosed
	}
	return PhaseAssessment
}

// WeighingTeam lists the organisation types that must take part in every
// weighing: the municipality, the police and the public prosecutor.
var WeighingTeam = []OrganisationType{OrgMunicipalityOOV, OrgPolice, OrgPublicProsecutor}

// Criterion is one criterion a weighing team checks. A region configures its
// list; DefaultCriteria is the list when it has none.
type Criterion struct {
	Code  string
	Label string // Dutch, as the team uses it
}

// DefaultCriteria is the weighing list of a region that configured none,
// after the questions the NCTV's guidance asks of a report.
var DefaultCriteria = []Criterion{
	{"IDEOLOGY", "Er zijn aanwijzingen voor een extremistische ideologie of radicaliseringsproces"},
	{"VIOLENCE", "Er is sprake van (bereidheid tot) geweld of het verheerlijken ervan"},
	{"NETWORK", "De persoon heeft contacten in een extremistisch netwerk"},
	{"TRAVEL", "Er zijn aanwijzingen voor uitreizen of terugkeer"},
	{"VULNERABILITY", "Er zijn kwetsbaarheden: psychisch, sociaal, thuissituatie"},
	{"PROTECTIVE", "Er zijn beschermende factoren: gezin, school, werk, hulpverlening"},
	{"EXISTING_CARE", "De persoon is al in beeld bij hulpverlening of justitie"},
	{"PROPORTIONALITY", "Opname in de PGA is proportioneel en subsidiair ten opzichte van andere aanpakken"},
}

// TeamMember is one person who took part in a weighing, for their
// organisation.
type TeamMember struct {
	OrganisationID string
	Name           string
}

// CriterionCheck is one criterion as the team found it, with its
// explanation.
type CriterionCheck struct {
	Code        string
	Met         bool
	Explanation string
}

// Weighing (weging) is the weighing team's decision on a case in
// ASSESSMENT: who weighed, which criteria they checked and how, the outcome
// and why.
type Weighing struct {
	ID       string
	CaseID   string
	Members  []TeamMember
	Criteria []CriterionCheck
	Outcome  WeighingOutcome
	Reasons  string
	// MissingInformation and InformationDue say, for MORE_INFORMATION,
	// what is missing and by when.
	MissingInformation string
	InformationDue     *time.Time
	WeighedOn          time.Time // date
	RecordedBy         string    // the user's name
	RecordedAt         time.Time
}

// WeighingInput records a weighing.
type WeighingInput struct {
	CaseID             string
	Members            []TeamMember
	Criteria           []CriterionCheck
	Outcome            WeighingOutcome
	Reasons            string
	MissingInformation string
	InformationDue     *time.Time
	WeighedOn          *time.Time // today when nil
	ExpectedVersion    *int
}

// MaxMembers bounds the lists of a weighing or a conference.
const MaxMembers = 40

// Validate checks and trims the input against the region's criteria.
func (in *WeighingInput) Validate(criteria []Criterion, now time.Time) error {
	in.Reasons = strings.TrimSpace(in.Reasons)
	in.MissingInformation = strings.TrimSpace(in.MissingInformation)
	switch {
	case !in.Outcome.Valid():
		return Invalid("outcome", "unknown outcome %q; one of %v", in.Outcome, WeighingOutcomes)
	case in.Reasons == "":
		return Invalid("reasons", "give the reasons for the outcome")
	case len(in.Reasons) > MaxReason:
		return Invalid("reasons", "the reasons are longer than %d characters", MaxReason)
	case len(in.Members) == 0 || len(in.Members) > MaxMembers:
		return Invalid("members", "name the team's members (1 to %d)", MaxMembers)
	case len(in.Criteria) == 0 || len(in.Criteria) > len(criteria):
		return Invalid("criteria", "check the criteria of the weighing list (%d)", len(criteria))
	case in.WeighedOn != nil && in.WeighedOn.After(now):
		return Invalid("weighedOn", "the weighing is in the future")
	}
	for i := range in.Members {
		in.Members[i].Name = strings.TrimSpace(in.Members[i].Name)
		if in.Members[i].Name == "" || len(in.Members[i].Name) > MaxName {
			return Invalid("members", "name each member (1 to %d characters)", MaxName)
		}
	}
	seen := map[string]bool{}
	for i := range in.Criteria {
		c := &in.Criteria[i]
		c.Explanation = strings.TrimSpace(c.Explanation)
		switch {
		case !slices.ContainsFunc(criteria, func(k Criterion) bool { return k.Code == c.Code }):
			return Invalid("criteria", "%q is not a criterion of the weighing list", c.Code)
		case seen[c.Code]:
			return Invalid("criteria", "criterion %s is checked twice", c.Code)
		case len(c.Explanation) > MaxReason:
			return Invalid("criteria", "the explanation of %s is longer than %d characters", c.Code, MaxReason)
		}
		seen[c.Code] = true
	}
	if in.Outcome == WeighingMoreInformation {
		switch {
		case in.MissingInformation == "":
			return Invalid("missingInformation", "say what information is needed")
		case len(in.MissingInformation) > MaxReason:
			return Invalid("missingInformation", "longer than %d characters", MaxReason)
		case in.InformationDue == nil:
			return Invalid("informationDue", "say by when the information is needed")
		case in.InformationDue.Before(today(now)):
			return Invalid("informationDue", "the date is in the past")
		}
	} else if in.MissingInformation != "" || in.InformationDue != nil {
		return Invalid("missingInformation", "only an outcome of MORE_INFORMATION asks for information")
	}
	return nil
}

// CheckTeam checks that the members' organisations, of the types given
// (nil for an unknown organisation), include the whole weighing team.
func CheckTeam(types []*OrganisationType) error {
	have := map[OrganisationType]bool{}
	for _, t := range types {
		if t == nil {
			return Invalid("members", "unknown organisation")
		}
		have[*t] = true
	}
	for _, need := range WeighingTeam {
		if !have[need] {
			return Invalid("members", "a weighing needs the municipality, the police and the public prosecutor; %s is missing", need)
		}
	}
	return nil
}

// Weigh checks that c may be weighed now and returns the changes the
// outcome makes: the weighing itself and, unless more information is
// needed, the move to the next phase.
func (c *Case) Weigh(w *Weighing) ([]Change, error) {
	if err := c.checkOpen(); err != nil {
		return nil, err
	}
	if c.Phase != PhaseAssessment {
		return nil, Invalid("case", "a case is weighed in %s; case %s is in %s", PhaseAssessment, c.Reference, c.Phase)
	}
	ch := []Change{{Field: "weighings." + w.ID + ".outcome", After: w.Outcome}}
	if to := w.Outcome.Phase(); to != c.Phase {
		ch = append(ch, Change{Field: "phase", Before: c.Phase, After: to})
	}
	return ch, nil
}

// WeighingFigure counts the weighings of one municipality with one outcome.
type WeighingFigure struct {
	MunicipalityCode string
	Outcome          WeighingOutcome
	Count            int
}

// WeighingService records weighings and counts them.
type WeighingService interface {
	// Criteria returns the region's weighing list.
	Criteria(ctx context.Context) ([]Criterion, error)
	// WeighingsOfCases returns, for each case, its weighings, oldest first.
	WeighingsOfCases(ctx context.Context, caseIDs []string) ([][]*Weighing, error)
	// RecordWeighing records a weighing and moves the case as its outcome
	// says.
	RecordWeighing(ctx context.Context, in WeighingInput) (*Weighing, error)
	// WeighingFigures counts the weighings of the cases the caller may see,
	// weighed in [from, to), per municipality and outcome.
	WeighingFigures(ctx context.Context, from, to time.Time) ([]WeighingFigure, error)
}

// today returns the start of now's day.
func today(now time.Time) time.Time {
	y, m, d := now.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
