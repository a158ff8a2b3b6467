package casus

import (
	"context"
	"slices"
	"strconv"
	"strings"
)

// Roles a user acts in. What each may read and write is decided in this
// package (see Permits) and, for reads, in the queries of the adapters,
// which turn the actor's scope into predicates.
const (
	RoleDirector    = "DIRECTOR"
	RoleCoordinator = "COORDINATOR"
	RoleMayor       = "MAYOR"
	RoleAnalyst     = "ANALYST"
	RolePartner     = "PARTNER"
	RoleReporter    = "REPORTER"
	RoleAuditor     = "AUDITOR"
	// RoleAdviser is an expert of a level the region escalates cases to
	// (the Actiecentrum, the national level): they read and advise on the
	// cases escalated to their organisation, at its information level.
	RoleAdviser = "ADVISER"
)

// Roles lists every role.
var Roles = []string{RoleDirector, RoleCoordinator, RoleMayor, RoleAnalyst, RolePartner, RoleReporter, RoleAuditor, RoleDPO, RoleAdviser}

// ValidRole reports whether r is a known role.
func ValidRole(r string) bool { return slices.Contains(Roles, r) }

// Actor is who makes a request: the user behind it, the role they act in,
// and their scope: the municipalities they serve or govern (CBS codes) and
// the organisation they work for.
type Actor struct {
	ID             string
	Name           string
	Role           string
	Municipalities []string
	OrganisationID string
	// BreakGlass, when set, is the reason a director or coordinator gave for
	// reading outside their scope in an emergency. Such a request reads as a
	// coordinator would, and its access log entry is flagged for review.
	BreakGlass string
}

// ScopeKey identifies the actor's read scope: two actors with the same key
// see exactly the same data, so a check of what one may see holds for the
// other. It is conservative: it names the user, since grants and directed
// cases are personal.
func (a Actor) ScopeKey() string {
	m := slices.Clone(a.Municipalities)
	slices.Sort(m)
	return strings.Join([]string{a.Role, a.ID, strings.Join(m, ","), a.OrganisationID, strconv.FormatBool(a.BreakGlass != "")}, "|")
}

// VisibilityKey identifies what the actor sees of cases and their events:
// two actors with the same key see the same cases, with the same fields,
// so an event rendered for one may go to the other. A coordinator sees
// every case of the region whoever they are, so coordinators of the same
// municipalities and organisation share a key; every other role's view is
// personal (directed cases, grants, persons they recorded), and its key is
// ScopeKey.
func (a Actor) VisibilityKey() string {
	if a.Role != RoleCoordinator || a.BreakGlass != "" {
		return a.ScopeKey()
	}
	m := slices.Clone(a.Municipalities)
	slices.Sort(m)
	return strings.Join([]string{a.Role, "", strings.Join(m, ","), a.OrganisationID, "false"}, "|")
}

// MinBreakGlassReason is the shortest reason accepted for break-glass access.
const MinBreakGlassReason = 10

// CanBreakGlass reports whether the actor's role may use break-glass access.
func (a Actor) CanBreakGlass() bool { return a.Role == RoleDirector || a.Role == RoleCoordinator }

// BreakingGlass returns the actor reading in an emergency for reason:
// FORBIDDEN for a role that may not, INVALID for a reason too short or too
// long to tell the auditor what the emergency was.
func (a Actor) BreakingGlass(reason string) (Actor, error) {
	switch {
	case !a.CanBreakGlass():
		return a, Errorf(EFORBIDDEN, "only directors and coordinators may break the glass")
	case len(reason) < MinBreakGlassReason || len(reason) > MaxReason:
		return a, Invalid("breakGlass", "state the emergency in %d to %d characters", MinBreakGlassReason, MaxReason)
	}
	a.BreakGlass = reason
	return a, nil
}

type actorKey struct{}

// WithActor returns a context that carries actor.
func WithActor(ctx context.Context, actor Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

// ActorFrom returns the actor ctx carries, and whether it carries one.
func ActorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok
}

// Action is something an actor may be permitted to do.
type Action string

// Actions that change data.
const (
	ActSubmitSignal        Action = "submitSignal"
	ActDismissSignal       Action = "dismissSignal"
	ActOpenCase            Action = "openCase"
	ActAdvanceCase         Action = "advanceCase"
	ActEscalate            Action = "escalateCase"
	ActAssignDirector      Action = "assignDirector"
	ActScheduleReview      Action = "scheduleReview"
	ActCloseCase           Action = "closeCase"
	ActEditNetwork         Action = "editNetwork" // persons, ties, groups
	ActProposeIntervention Action = "proposeIntervention"
	ActMoveIntervention    Action = "moveIntervention"
	ActDecideMeasure       Action = "decideMeasure"
	ActGrantAccess         Action = "grantCaseAccess"
	ActMergePersons        Action = "mergePersons"
	ActWatch               Action = "watchPerson"
	ActSetInhabitants      Action = "setInhabitants"
	ActRecordTraining      Action = "recordTraining"
	ActWeigh               Action = "recordWeighing"
	ActConference          Action = "scheduleConference" // and record it
	ActPlan                Action = "addGoal"            // goals and actions
	ActReportAction        Action = "reportAction"
	ActAssess              Action = "recordAssessment"
	ActOverrideRisk        Action = "overrideRiskLevel"
	ActInform              Action = "recordInforming"
	ActHandleRequest       Action = "registerRequest" // extend and decide too
	ActAskAdvice           Action = "askAdvice"       // and answer it
	ActGiveAdvice          Action = "giveAdvice"
	ActAskKnown            Action = "askKnownElsewhere" // and request to share
	ActDecideShare         Action = "decideShare"
	ActAddSubject          Action = "addCaseSubject"
)

// permits is the write half of the access policy: which role may do what.
// Which cases, persons and interventions an actor may do it to is their
// read scope, applied by the adapters.
var permits = map[Action][]string{
	ActSubmitSignal:        {RoleDirector, RoleCoordinator, RoleReporter},
	ActDismissSignal:       {RoleDirector, RoleCoordinator},
	ActOpenCase:            {RoleDirector, RoleCoordinator},
	ActAdvanceCase:         {RoleDirector, RoleCoordinator},
	ActEscalate:            {RoleCoordinator, RoleDirector},
	ActAssignDirector:      {RoleCoordinator},
	ActScheduleReview:      {RoleDirector, RoleCoordinator},
	ActCloseCase:           {RoleDirector, RoleCoordinator},
	ActEditNetwork:         {RoleDirector, RoleCoordinator},
	ActProposeIntervention: {RoleDirector, RoleCoordinator},
	ActMoveIntervention:    {RoleDirector, RoleCoordinator, RolePartner},
	ActDecideMeasure:       {RoleMayor},
	ActGrantAccess:         {RoleCoordinator},
	ActMergePersons:        {RoleCoordinator},
	ActWatch:               {RoleAnalyst, RoleDirector, RoleCoordinator},
	ActSetInhabitants:      {RoleCoordinator},
	ActRecordTraining:      {RoleCoordinator},
	ActWeigh:               {RoleDirector, RoleCoordinator},
	ActConference:          {RoleDirector, RoleCoordinator},
	ActPlan:                {RoleDirector, RoleCoordinator},
	ActReportAction:        {RoleDirector, RoleCoordinator, RolePartner},
	ActAssess:              {RoleDirector, RoleCoordinator},
	ActOverrideRisk:        {RoleDirector, RoleCoordinator},
	ActInform:              {RoleDirector, RoleCoordinator},
	ActHandleRequest:       {RoleDPO},
	ActAskAdvice:           {RoleDirector, RoleCoordinator},
	ActGiveAdvice:          {RoleAdviser},
	ActAskKnown:            {RoleDirector, RoleCoordinator},
	ActDecideShare:         {RoleCoordinator},
	ActAddSubject:          {RoleDirector, RoleCoordinator},
}

// Reads that only some roles may do at all; what they may read is their
// scope, applied by the adapters.
const (
	ReadNetwork     Action = "analyse the network"
	ReadFunding     Action = "see the cost sharing"
	ReadSuggestions Action = "ask for suggestions"
	ReadAccessLog   Action = "read the access log"
	ReadDossier     Action = "compile a person's dossier"
	ReadRegion      Action = "analyse a whole municipality's network"
)

// readPermits is the read half of the access policy.
var readPermits = map[Action][]string{
	ReadNetwork:     {RoleAnalyst, RoleDirector, RoleCoordinator},
	ReadFunding:     {RoleCoordinator, RoleMayor},
	ReadSuggestions: {RoleDirector, RoleCoordinator},
	ReadAccessLog:   {RoleAuditor},
	ReadDossier:     {RoleDPO},
	ReadRegion:      {RoleCoordinator, RoleAnalyst},
}

// PermitRead answers FORBIDDEN unless the actor on ctx may do the read
// action at all. Without an actor the request is UNAUTHENTICATED.
func PermitRead(ctx context.Context, action Action) error {
	a, ok := ActorFrom(ctx)
	if !ok || a.ID == "" {
		return Errorf(EUNAUTHENTICATED, "sign in first")
	}
	if !slices.Contains(readPermits[action], a.Role) {
		return Errorf(EFORBIDDEN, "a %s may not %s", roleWord(a.Role), action)
	}
	return nil
}

// Permit answers FORBIDDEN unless the actor on ctx may do action at all.
// Without an actor the request is UNAUTHENTICATED.
func Permit(ctx context.Context, action Action) error {
	a, ok := ActorFrom(ctx)
	if !ok || a.ID == "" {
		return Errorf(EUNAUTHENTICATED, "sign in first")
	}
	if a.BreakGlass != "" {
		return Errorf(EFORBIDDEN, "break-glass access is for reading only")
	}
	if !slices.Contains(permits[action], a.Role) {
		return Errorf(EFORBIDDEN, "a %s may not %s", roleWord(a.Role), action)
	}
	return nil
}

func roleWord(role string) string {
	if role == "" {
		return "user without a role"
	}
	return strings.ToLower(role)
}
