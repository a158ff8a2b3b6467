package casus

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Escalation (opschaling) and de-escalation (afschaling) change who works a
// case, not only its label. A region agrees, per escalation level, who takes
// part (organisations and roles), at which information level, on which
// criteria a case moves up to the level or down from it, and under which
// legal ground information is shared there. The agreements are data, loaded
// with the region's data like the weighing list.
//
// Participation is cumulative: a case at a level is worked by the
// participants of that level and of every level below it, each at the
// highest information level they have among them. De-escalating removes
// every participant above the new level at once; closing the case removes
// them all. The mayor of the case's municipality stays responsible at every
// level: participants read and advise, the mayor alone decides measures and
// receives the final report.

// InformationLevel is how much of a case a participant reads, after the
// national reference model for care and safety cooperation.
type InformationLevel int

// Information levels.
const (
	// InformationExists is that the case exists, nothing more.
	InformationExists InformationLevel = 0
	// InformationContext is the process context without personal data:
	// phase, risk groups, escalation history and the advice asked.
	InformationContext InformationLevel = 1
	// InformationFull is the case's whole content, its persons and network.
	InformationFull InformationLevel = 2
)

// Participant is who takes part in a case at an escalation level: the users
// of an organisation who act in one of Roles, at an information level.
type Participant struct {
	OrganisationID string
	Roles          []string
	Information    InformationLevel
}

// LevelCriterion is one criterion for moving a case to or from a level.
type LevelCriterion struct {
	Code  string
	Label string
}

// Agreement is what a region agreed about one escalation level.
type Agreement struct {
	Level       EscalationLevel
	Label       string // the level in the region's words, e.g. "Actiecentrum"
	Description string
	// Participants take part from this level on.
	Participants []Participant
	// Up are the criteria for escalating a case to this level; Down those for
	// de-escalating it from this level.
	Up, Down []LevelCriterion
	// Ground is the legal ground on which information is shared at this
	// level (a covenant article, a Wet PGA article).
	Ground string
}

// Agreements are a region's agreements for every level, lowest first.
type Agreements []Agreement

// DefaultAgreements are the agreements of a region that configured none:
// the levels with their criteria and grounds, and no participants beyond
// the municipality's own people, so that escalating records the move and
// gives nobody access.
func DefaultAgreements() Agreements {
	return Agreements{
		{Level: EscalationLocal, Label: "Lokaal", Description: "De gemeente werkt de casus met haar eigen partners.",
			Down: nil, Ground: "Convenant Zorg- en Veiligheidshuizen, art. 5; Wet politiegegevens art. 20"},
		{Level: EscalationRegional, Label: "Regionaal", Description: "De regio werkt de casus samen: regionale coördinator, regionale casusregisseur en het regionale casusoverleg.",
			Up: []LevelCriterion{
				{Code: "MULTIPLE_MUNICIPALITIES", Label: "De persoon of het netwerk raakt meer dan één gemeente"},
				{Code: "EXPERTISE_LACKING", Label: "De gemeente mist de expertise voor deze casus"},
				{Code: "STUCK_LOCALLY", Label: "De aanpak loopt lokaal vast"},
			},
			Down: []LevelCriterion{
				{Code: "LOCAL_SUFFICES", Label: "De gemeente kan de casus weer zelf dragen"},
				{Code: "RISK_REDUCED", Label: "Het risico is afgenomen"},
			},
			Ground: "Convenant Aanpak radicalisering Amstelland, art. 7 (regionale samenwerking)"},
		{Level: EscalationAVZ, Label: "Actiecentrum", Description: "De experts van het Actiecentrum Veiligheid en Zorg lezen mee, nemen deel aan het casusoverleg en geven advies.",
			Up: []LevelCriterion{
				{Code: "HIGH_RISK", Label: "Hoog risico op geweld of uitreis"},
				{Code: "COMPLEX_NETWORK", Label: "Een complex netwerk, ook buiten de regio"},
				{Code: "SPECIALIST_EXPERTISE", Label: "Specialistische expertise van het Actiecentrum nodig"},
			},
			Down: []LevelCriterion{
				{Code: "ADVICE_COMPLETED", Label: "Het advies is gegeven en overgenomen"},
				{Code: "RISK_REDUCED", Label: "Het risico is afgenomen"},
			},
			Ground: "Convenant Actiecentrum Veiligheid en Zorg, art. 6; Wet politiegegevens art. 20"},
		{Level: EscalationNational, Label: "Landelijk", Description: "De NCTV adviseert op procesinformatie zonder persoonsgegevens.",
			Up: []LevelCriterion{
				{Code: "NATIONAL_SECURITY", Label: "Een dreiging voor de nationale veiligheid"},
				{Code: "INTERNATIONAL", Label: "Internationale aspecten (uitreis, terugkeer)"},
			},
			Down: []LevelCriterion{
				{Code: "NO_NATIONAL_INTEREST", Label: "Geen landelijk belang meer"},
			},
			Ground: "Wet gegevensverwerking door samenwerkingsverbanden, art. 2.17; convenant met de NCTV"},
	}
}

// Validate checks that as names every level once, lowest first, with
// unique criterion codes per direction and participants with known roles
// and information levels.
func (as Agreements) Validate() error {
	if len(as) != len(EscalationLevels) {
		return Invalid("escalation", "agree on every escalation level: %v", EscalationLevels)
	}
	for i, a := range as {
		if a.Level != EscalationLevels[i] {
			return Invalid("escalation", "level %d is %q, want %q", i, a.Level, EscalationLevels[i])
		}
		for _, list := range [][]LevelCriterion{a.Up, a.Down} {
			seen := map[string]bool{}
			for _, k := range list {
				if k.Code == "" || k.Label == "" || seen[k.Code] {
					return Invalid("escalation", "level %s: every criterion needs a code and a label, each code once", a.Level)
				}
				seen[k.Code] = true
			}
		}
		for _, p := range a.Participants {
			if p.OrganisationID == "" || len(p.Roles) == 0 || p.Information < InformationExists || p.Information > InformationFull {
				return Invalid("escalation", "level %s: a participant needs an organisation, roles and an information level 0-2", a.Level)
			}
			for _, r := range p.Roles {
				if !ValidRole(r) || r == RoleAuditor || r == RoleDPO {
					return Invalid("escalation", "level %s: %q cannot take part in a case", a.Level, r)
				}
			}
		}
	}
	return nil
}

// For returns the agreement about level l.
func (as Agreements) For(l EscalationLevel) (Agreement, bool) {
	i := slices.IndexFunc(as, func(a Agreement) bool { return a.Level == l })
	if i < 0 {
		return Agreement{}, false
	}
	return as[i], true
}

// Readers returns who reads a case at level l at information level info
// exactly: the participants of l and every level below it, as participant
// keys (see ParticipantKey), each at the highest information level they
// have among those levels.
func (as Agreements) Readers(l EscalationLevel, info InformationLevel) []string {
	best := map[string]InformationLevel{}
	for _, a := range as {
		for _, p := range a.Participants {
			for _, r := range p.Roles {
				k := participantKey(p.OrganisationID, r)
				if v, ok := best[k]; !ok || p.Information > v {
					best[k] = p.Information
				}
			}
		}
		if a.Level == l {
			break
		}
	}
	var out []string
	for k, v := range best {
		if v == info {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// ParticipantKey is how the agreements name the actor: their organisation
// and the role they act in.
func (a Actor) ParticipantKey() string { return participantKey(a.OrganisationID, a.Role) }

func participantKey(organisation, role string) string { return organisation + "|" + role }

// CriterionNote is a criterion met, with what makes it so in this case.
type CriterionNote struct {
	Code        string
	Explanation string
}

// EscalationInput asks to move a case up or down: to a level (one step when
// To is nil), because of the criteria met and the reason.
type EscalationInput struct {
	CaseChange
	To       *EscalationLevel
	Criteria []CriterionNote
}

// Validate checks the input on its own: a reason, at least one criterion,
// each once and explained.
func (in *EscalationInput) Validate() error {
	if err := in.CaseChange.Validate(true); err != nil {
		return err
	}
	if in.To != nil && !in.To.Valid() {
		return Invalid("to", "unknown escalation level %q", *in.To)
	}
	if len(in.Criteria) == 0 {
		return Invalid("criteria", "name at least one of the agreed criteria that the case meets")
	}
	seen := map[string]bool{}
	for i := range in.Criteria {
		k := &in.Criteria[i]
		k.Explanation = strings.TrimSpace(k.Explanation)
		field := fmt.Sprintf("criteria.%d.explanation", i)
		switch {
		case seen[k.Code]:
			return Invalid(fmt.Sprintf("criteria.%d.code", i), "criterion %q is named twice", k.Code)
		case k.Explanation == "":
			return Invalid(field, "explain how the case meets this criterion")
		case len(k.Explanation) > MaxReason:
			return Invalid(field, "at most %d characters", MaxReason)
		}
		seen[k.Code] = true
	}
	return nil
}

// CheckCriteria checks that every criterion of in is one the region agreed
// for the move from level from to level to: escalating, the criteria of
// the level moved to; de-escalating, those of the level left.
func (as Agreements) CheckCriteria(in EscalationInput, from, to EscalationLevel, up bool) error {
	level := to
	if !up {
		level = from
	}
	a, ok := as.For(level)
	if !ok {
		return Invalid("to", "the region has no agreement about level %s", level)
	}
	list := a.Up
	if !up {
		list = a.Down
	}
	for i, k := range in.Criteria {
		if !slices.ContainsFunc(list, func(c LevelCriterion) bool { return c.Code == k.Code }) {
			return Invalid(fmt.Sprintf("criteria.%d.code", i), "%q is not one of the region's criteria for this move", k.Code)
		}
	}
	return nil
}

// Escalation is one recorded move of a case between levels.
type Escalation struct {
	ID       string
	CaseID   string
	From, To EscalationLevel
	Up       bool
	Criteria []CriterionNote
	Reason   string
	Ground   string // the legal ground of the highest level involved
	ByName   string
	At       time.Time
}

// EscalationService is the region's escalation agreements and what they
// show: a case's history of moves, and the process context of the cases
// the caller advises on at information level 1.
type EscalationService interface {
	// Escalate raises a case's level (opschaling): by one level or to
	// in.To, on the region's criteria for the level moved to.
	Escalate(ctx context.Context, in EscalationInput) (*Case, error)
	// Deescalate lowers it (afschaling), on the criteria for the level left.
	Deescalate(ctx context.Context, in EscalationInput) (*Case, error)
	// Agreements returns the region's agreements, lowest level first.
	Agreements(ctx context.Context) (Agreements, error)
	// Escalations returns each case's moves between levels, oldest first.
	Escalations(ctx context.Context, caseIDs []string) ([][]*Escalation, error)
	// Contexts returns the process context of every open case the caller
	// takes part in at information level 1.
	Contexts(ctx context.Context) ([]*CaseContext, error)
}

// CaseContext is a case at information level 1: its process without
// personal data.
type CaseContext struct {
	CaseID          string
	Reference       string
	Phase           Phase
	EscalationLevel EscalationLevel
	RiskGroups      []RiskGroup
	OpenedAt        time.Time
	Escalations     []*Escalation
	Advice          []*Advice
}
