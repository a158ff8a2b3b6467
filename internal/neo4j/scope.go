package neo4j

import (
	"context"
	"fmt"

	"casusnet/internal/casus"
)

// Need-to-know is enforced here, in the queries: the actor's scope becomes
// Cypher predicates, so that data outside it is never read, counted or
// returned. Every read of a case, person, signal or intervention goes through
// one of these predicates; a write first reads its target through them, so
// what a caller may not see they cannot change either, and both answer
// NOT_FOUND exactly as for an id that does not exist.
//
// The predicates use the parameters $scopeUser, $scopeMunicipalities,
// $scopeOrganisation and $scopeParticipant, which scope.params supplies.

// scope is the actor's read scope.
type scope struct {
	actor casus.Actor
	// throughOwned is set when a partner changes an intervention given to
	// it or an action it owns, which it has read in its scope first: the
	// change reaches the case, which it may not read.
	throughOwned bool
	// analysis is set for network analysis, duplicate detection and the
	// exports made of them: persons whose processing is restricted (AVG art.
	// 18) are left out of them, as if outside the caller's scope.
	analysis bool
	// steer is set for the writes that steer a case — moving it between
	// escalation levels, asking and answering advice, deciding measures:
	// only those responsible for it may, never through a grant or through
	// taking part at a level.
	steer bool
}

// scopeOf returns the scope of the actor on ctx; without one, UNAUTHENTICATED.
//
// Break-glass access reads as a coordinator does; the server lets only
// directors and coordinators ask for it, and flags it in the access log.
func scopeOf(ctx context.Context) (scope, error) {
	a, ok := casus.ActorFrom(ctx)
	if !ok || a.ID == "" || !casus.ValidRole(a.Role) {
		return scope{}, casus.Errorf(casus.EUNAUTHENTICATED, "sign in first")
	}
	if a.BreakGlass != "" && a.CanBreakGlass() {
		a.Role = casus.RoleCoordinator
	}
	return scope{actor: a}, nil
}

// granted is true for a case v that a grant opens to the actor until now.
func granted(v string) string {
	return fmt.Sprintf("EXISTS { (scopeG:Grant {userId: $scopeUser})-[:ON]->(%s) WHERE scopeG.until > datetime() }", v)
}

// params returns the parameters the predicates use, added to p.
func (s scope) params(p map[string]any) map[string]any {
	if p == nil {
		p = map[string]any{}
	}
	p["scopeUser"] = s.actor.ID
	p["scopeMunicipalities"] = nonNil(s.actor.Municipalities)
	p["scopeOrganisation"] = s.actor.OrganisationID
	p["scopeParticipant"] = s.actor.ParticipantKey()
	return p
}

// inMunicipalities is true for a case v of the actor's municipalities.
func inMunicipalities(v string) string {
	return fmt.Sprintf("EXISTS { (%s)-[:IN]->(scopeM:Municipality) WHERE scopeM.code IN $scopeMunicipalities }", v)
}

// cases returns the predicate for a visible case bound to v.
func (s scope) cases(v string) string {
	if s.throughOwned {
		return "true"
	}
	if s.steer {
		switch s.actor.Role {
		case casus.RoleCoordinator:
			return "true"
		case casus.RoleDirector:
			return fmt.Sprintf("(EXISTS { (:Director {id: $scopeUser})-[:DIRECTS]->(%[1]s) } OR %[2]s)", v, inMunicipalities(v))
		case casus.RoleMayor:
			return inMunicipalities(v)
		}
		return "false"
	}
	switch s.actor.Role {
	case casus.RoleCoordinator:
		return "true"
	case casus.RoleDirector:
		return fmt.Sprintf("(EXISTS { (:Director {id: $scopeUser})-[:DIRECTS]->(%[1]s) } OR %[2]s OR %[3]s OR %[4]s)", v, inMunicipalities(v), granted(v), escalated(v, "readers"))
	case casus.RoleMayor, casus.RoleAnalyst:
		return fmt.Sprintf("(%s OR %s OR %s)", inMunicipalities(v), granted(v), escalated(v, "readers"))
	case casus.RoleAuditor, casus.RoleDPO:
		return "false"
	case casus.RolePartner, casus.RoleAdviser:
		return fmt.Sprintf("(%s OR %s)", granted(v), escalated(v, "readers"))
	}
	return granted(v)
}

// escalated is true for an open case v at an escalation level whose
// agreement lists the actor among readers (information level 2) or
// contextReaders (level 1): participation follows the case's level and
// ends when it goes down or closes.
func escalated(v, readers string) string {
	return fmt.Sprintf(`(%[1]s.phase <> 'CLOSED' AND EXISTS { MATCH (scopeE:EscalationLevel {code: %[1]s.escalationLevel}) WHERE $scopeParticipant IN scopeE.%[2]s })`, v, readers)
}

// context returns the predicate for a case bound to v whose process the
// actor reads at information level 1, and not at level 2.
func (s scope) context(v string) string {
	if s.actor.Role == casus.RoleAuditor || s.actor.Role == casus.RoleDPO || s.actor.Role == casus.RoleReporter {
		return "false"
	}
	return escalated(v, "contextReaders")
}

// persons returns the predicate for a visible person bound to v: a subject
// of a visible case (directly or through a group), someone directly tied to
// such a subject (the case's network), someone the user recorded, and for
// directors anyone living in a municipality they serve.
func (s scope) persons(v string) string {
	if s.analysis {
		t := s
		t.analysis = false
		return fmt.Sprintf("(%s AND NOT coalesce(%s.restricted, false))", t.persons(v), v)
	}
	switch s.actor.Role {
	case casus.RoleCoordinator:
		return "true"
	case casus.RoleAuditor, casus.RoleDPO:
		return "false"
	default:
		subject := func(p string) string {
			return fmt.Sprintf(`EXISTS { MATCH (scopeC:Case)-[:CONCERNS]->(%[1]s) WHERE %[2]s }
				OR EXISTS { MATCH (scopeC:Case)-[:CONCERNS]->(:Group)<-[:IN_GROUP]-(%[1]s) WHERE %[2]s }`, p, s.cases("scopeC"))
		}
		pred := fmt.Sprintf(`(%[4]s OR %[2]s
			OR EXISTS { MATCH (%[1]s)-[:RELATIVE|CONTACT]-(scopeP:Person) WHERE %[3]s })`, v, subject(v), subject("scopeP"), recorded(v))
		if s.actor.Role == casus.RoleDirector {
			pred = fmt.Sprintf("(%s OR EXISTS { (%s)-[:LIVES_IN]->(scopeL:Municipality) WHERE scopeL.code IN $scopeMunicipalities })", pred, v)
		}
		return pred
	}
}

// recorded is true for a person bound to v whom the actor recorded, while
// that recording holds: the person lives nowhere the actor does not serve,
// and no case of a municipality the actor does not serve concerns them.
// Once another municipality holds them, the recorder reads them only as
// anyone else would.
func recorded(v string) string {
	return fmt.Sprintf(`(%[1]s.recordedBy = $scopeUser
		AND NOT EXISTS { (%[1]s)-[:LIVES_IN]->(scopeR:Municipality) WHERE NOT scopeR.code IN $scopeMunicipalities }
		AND NOT EXISTS { MATCH (scopeK:Case)-[:CONCERNS]->(:Group|Person)<-[:IN_GROUP*0..1]-(%[1]s) WHERE NOT %[2]s })`, v, inMunicipalities("scopeK"))
}

// concerned returns, for the data-protection officer, the predicate for a
// person bound to v whose request the officer may handle: one living in the
// officer's municipalities, or a subject of a case or signal there. Nobody
// else reads persons through it.
func (s scope) concerned(v string) string {
	if s.actor.Role != casus.RoleDPO {
		return "false"
	}
	return fmt.Sprintf(`(EXISTS { (%[1]s)-[:LIVES_IN]->(scopeM:Municipality) WHERE scopeM.code IN $scopeMunicipalities }
		OR EXISTS { MATCH (scopeC:Case)-[:CONCERNS]->(%[1]s) WHERE %[2]s }
		OR EXISTS { MATCH (scopeS:Signal)-[:ABOUT]->(%[1]s) WHERE scopeS.municipality IN $scopeMunicipalities })`,
		v, inMunicipalities("scopeC"))
}

// signals returns the predicate for a visible signal bound to v: reporters see
// their own, directors those of their municipalities and their own.
func (s scope) signals(v string) string {
	switch s.actor.Role {
	case casus.RoleCoordinator:
		return "true"
	case casus.RoleDirector:
		return fmt.Sprintf("(%[1]s.reporterId = $scopeUser OR %[1]s.municipality IN $scopeMunicipalities)", v)
	case casus.RoleReporter:
		return fmt.Sprintf("%s.reporterId = $scopeUser", v)
	}
	return "false"
}

// interventions returns the predicate for a visible intervention bound to v:
// those of visible cases, and for partners those given to their organisation.
func (s scope) interventions(v string) string {
	if s.actor.Role == casus.RolePartner {
		return fmt.Sprintf("EXISTS { (%s)-[:OF]->(:InterventionOffering)<-[:OFFERS]-(:Organisation {id: $scopeOrganisation}) }", v)
	}
	return fmt.Sprintf("EXISTS { MATCH (scopeC:Case)-[:HAS]->(%s) WHERE %s }", v, s.cases("scopeC"))
}

// permitted is the preamble of a write: the caller may do action at all,
// its input is valid (Validate may tidy it), and the caller's scope.
func permitted(ctx context.Context, action casus.Action, in interface{ Validate() error }) (scope, error) {
	if err := casus.Permit(ctx, action); err != nil {
		return scope{}, err
	}
	if err := in.Validate(); err != nil {
		return scope{}, err
	}
	return scopeOf(ctx)
}
