package casus

import (
	"context"
	"slices"
	"strings"
	"time"
)

// LifeDomain is the part of a person's life a goal of the plan is about.
type LifeDomain string

// Life domains (leefgebieden).
const (
	DomainSafety        LifeDomain = "SAFETY"         // veiligheid
	DomainIdeology      LifeDomain = "IDEOLOGY"       // ideologie
	DomainFamily        LifeDomain = "FAMILY"         // gezin
	DomainHousing       LifeDomain = "HOUSING"        // wonen
	DomainWorkSchool    LifeDomain = "WORK_SCHOOL"    // werk/school
	DomainFinances      LifeDomain = "FINANCES"       // financiën
	DomainHealth        LifeDomain = "HEALTH"         // gezondheid
	DomainSocialNetwork LifeDomain = "SOCIAL_NETWORK" // sociaal netwerk
	DomainJustice       LifeDomain = "JUSTICE"        // justitie
	DomainOther         LifeDomain = "OTHER"          // overig
)

// LifeDomains lists every life domain.
var LifeDomains = []LifeDomain{DomainSafety, DomainIdeology, DomainFamily, DomainHousing, DomainWorkSchool,
	DomainFinances, DomainHealth, DomainSocialNetwork, DomainJustice, DomainOther}

// Valid reports whether d is a known life domain.
func (d LifeDomain) Valid() bool { return slices.Contains(LifeDomains, d) }

// ActionStatus is where an action of the plan stands.
type ActionStatus string

// Action statuses: OPEN moves to DONE or CANCELLED, which are final.
const (
	ActionOpen      ActionStatus = "OPEN"
	ActionDone      ActionStatus = "DONE"
	ActionCancelled ActionStatus = "CANCELLED"
)

// ActionStatuses lists every status.
var ActionStatuses = []ActionStatus{ActionOpen, ActionDone, ActionCancelled}

// Valid reports whether s is a known status.
func (s ActionStatus) Valid() bool { return slices.Contains(ActionStatuses, s) }

// Goal is a goal of a case's plan of action (plan van aanpak), on one life
// domain, with the actions that work towards it and the interventions that
// serve it.
type Goal struct {
	ID              string
	CaseID          string
	Domain          LifeDomain
	Description     string
	CreatedAt       time.Time
	ProgressAt      time.Time // the last time one of its actions moved
	Actions         []*PlanAction
	InterventionIDs []string
	// Stagnating is set by the service that read the goal: see Stagnant.
	Stagnating bool
}

// DefaultStagnation is how long a goal may go without progress before it is
// stagnating, unless the deployment says otherwise.
const DefaultStagnation = 6 * 7 * 24 * time.Hour

// Stagnant reports whether g made no progress for period before now while
// it still has open actions or none at all.
func (g *Goal) Stagnant(now time.Time, period time.Duration) bool {
	open := len(g.Actions) == 0 || slices.ContainsFunc(g.Actions, func(a *PlanAction) bool { return a.Status == ActionOpen })
	return open && now.Sub(g.ProgressAt) > period
}

// PlanAction is one action of the plan: owned by an organisation (and
// optionally a person there), due by a date, perhaps triggered by a
// condition, and reported on by its owner.
type PlanAction struct {
	ID             string
	GoalID         string
	CaseID         string
	ConferenceID   string // the conference that decided it, if any
	Description    string
	OrganisationID string
	Owner          string
	Due            *time.Time
	Condition      string
	Status         ActionStatus
	Result         string
	UpdatedAt      time.Time
	// SubjectNames are the names of the case's subjects: all the owner
	// learns of the case.
	SubjectNames []string
}

// Overdue reports whether a is open past its due date on day now.
func (a *PlanAction) Overdue(now time.Time) bool {
	return a.Status == ActionOpen && a.Due != nil && a.Due.Before(today(now))
}

// GoalInput adds a goal to a case's plan.
type GoalInput struct {
	CaseID          string
	Domain          LifeDomain
	Description     string
	InterventionIDs []string
}

// Validate checks and trims the input.
func (in *GoalInput) Validate() error {
	in.Description = strings.TrimSpace(in.Description)
	switch {
	case !in.Domain.Valid():
		return Invalid("domain", "unknown life domain %q", in.Domain)
	case in.Description == "" || len(in.Description) > MaxGoal:
		return Invalid("description", "describe the goal (1 to %d characters)", MaxGoal)
	case len(in.InterventionIDs) > MaxMembers:
		return Invalid("interventions", "at most %d interventions", MaxMembers)
	}
	return nil
}

// ActionInput adds an action to a goal.
type ActionInput struct {
	GoalID         string
	ConferenceID   string
	Description    string
	OrganisationID string
	Owner          string
	Due            *time.Time
	Condition      string
}

// Validate checks and trims the input.
func (in *ActionInput) Validate() error {
	in.Description, in.Owner, in.Condition = strings.TrimSpace(in.Description), strings.TrimSpace(in.Owner), strings.TrimSpace(in.Condition)
	switch {
	case in.Description == "" || len(in.Description) > MaxReason:
		return Invalid("description", "describe the action (1 to %d characters)", MaxReason)
	case in.OrganisationID == "":
		return Invalid("organisation", "name the organisation that owns the action")
	case len(in.Owner) > MaxName:
		return Invalid("owner", "longer than %d characters", MaxName)
	case len(in.Condition) > MaxReason:
		return Invalid("condition", "longer than %d characters", MaxReason)
	}
	return nil
}

// CheckDue checks the action's due date against the conference that
// decided it (nil for none) and today.
func (in *ActionInput) CheckDue(k *Conference, now time.Time) error {
	switch {
	case in.Due == nil:
		return nil
	case k != nil && in.Due.Before(k.Date):
		return Invalid("due", "the due date is before the conference that decided the action")
	case k == nil && in.Due.Before(today(now)):
		return Invalid("due", "the due date is in the past")
	}
	return nil
}

// ActionReport is the owner's report on an action: its status and result.
type ActionReport struct {
	ID     string
	Status ActionStatus
	Result string
}

// Validate checks and trims the report.
func (in *ActionReport) Validate() error {
	in.Result = strings.TrimSpace(in.Result)
	switch {
	case !in.Status.Valid():
		return Invalid("status", "unknown status %q", in.Status)
	case in.Status == ActionDone && in.Result == "":
		return Invalid("result", "say what came of the action")
	case len(in.Result) > MaxReason:
		return Invalid("result", "longer than %d characters", MaxReason)
	}
	return nil
}

// Report checks that a may take report and returns the changes. Its
// refusals name nothing of the case: a partner reports on actions of cases
// it may not read.
func (a *PlanAction) Report(c *Case, in ActionReport) ([]Change, error) {
	if c.Closed() {
		return nil, Invalid("action", "the action's case is closed")
	}
	if a.Status != ActionOpen && in.Status != a.Status {
		return nil, Invalid("status", "an action that is %s cannot become %s", a.Status, in.Status)
	}
	var ch []Change
	if in.Status != a.Status {
		ch = append(ch, Change{Field: "actions." + a.ID + ".status", Before: a.Status, After: in.Status})
	}
	if in.Result != a.Result {
		ch = append(ch, Change{Field: "actions." + a.ID + ".result", Before: nullable(a.Result), After: nullable(in.Result)})
	}
	if len(ch) == 0 {
		return nil, Invalid("result", "nothing changes")
	}
	return ch, nil
}

// PlanGoal checks that c may get goals and actions: from the case
// conference on, while open.
func (c *Case) PlanGoal() error {
	if err := c.checkOpen(); err != nil {
		return err
	}
	if slices.Index(Phases, c.Phase) < slices.Index(Phases, PhaseCaseConference) {
		return Invalid("case", "the plan is drawn up at the case conference; case %s is in %s", c.Reference, c.Phase)
	}
	return nil
}

// ActionFilter narrows a list of actions.
type ActionFilter struct {
	Status  ActionStatus
	Overdue bool
}

// ActionEdge is an action with its cursor.
type ActionEdge struct {
	Cursor string
	Action *PlanAction
}

// ActionPage is one window of a list of actions.
type ActionPage struct {
	Edges           []ActionEdge
	TotalCount      int
	HasNextPage     bool
	HasPreviousPage bool
}

// PlanService keeps the plans of action: goals, their actions, and the
// owners' reports on them.
type PlanService interface {
	// GoalsOfCases returns, for each case, its goals with their actions.
	GoalsOfCases(ctx context.Context, caseIDs []string) ([][]*Goal, error)
	// Actions returns a page of the actions the caller may see, soonest due
	// first: for a partner, those its organisation owns.
	Actions(ctx context.Context, filter ActionFilter, page Page) (*ActionPage, error)
	AddGoal(ctx context.Context, in GoalInput) (*Goal, error)
	AddAction(ctx context.Context, in ActionInput) (*PlanAction, error)
	// ReportAction records the owner's status and result of an action.
	ReportAction(ctx context.Context, in ActionReport) (*PlanAction, error)
}
