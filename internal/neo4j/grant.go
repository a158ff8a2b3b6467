package neo4j

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"casusnet/internal/casus"
)

// GrantService gives time-limited access to cases on Neo4j.
type GrantService struct{ db *DB }

var _ casus.GrantService = (*GrantService)(nil)

// NewGrantService returns the grant service of db.
func NewGrantService(db *DB) *GrantService { return &GrantService{db: db} }

const grantProjection = `g {.id, .userId, .userName, .until, .reason, .grantedById, .grantedByName, .grantedAt,
	case: [(g)-[:ON]->(c:Case) | c.id][0]}`

func decodeGrant(v any) (*casus.Grant, error) {
	m, err := asMap("grant", v)
	if err != nil {
		return nil, err
	}
	return &casus.Grant{ID: str(m["id"]), CaseID: str(m["case"]), UserID: str(m["userId"]), UserName: str(m["userName"]),
		Until: tm(m["until"]), Reason: str(m["reason"]), GrantedByID: str(m["grantedById"]),
		GrantedByName: str(m["grantedByName"]), GrantedAt: tm(m["grantedAt"])}, nil
}

// GrantAccess gives a named user access to one case until in.Until, and
// records it on the case's timeline.
func (s *GrantService) GrantAccess(ctx context.Context, in casus.GrantInput) (*casus.Grant, error) {
	if err := casus.Permit(ctx, casus.ActGrantAccess); err != nil {
		return nil, err
	}
	if err := in.Validate(s.db.now()); err != nil {
		return nil, err
	}
	actor, _ := casus.ActorFrom(ctx)
	id := uuid.NewString()
	_, err := changeCase(ctx, s.db, casus.ActGrantAccess, casus.CaseChange{CaseID: in.CaseID, Reason: in.Reason},
		func(_ txRunner, c *casus.Case, now time.Time) (caseEdit, error) {
			if c.Closed() {
				return caseEdit{}, casus.Errorf(casus.EINVALID, "case %s is closed", c.Reference)
			}
			return caseEdit{
				cypher: `WITH c CREATE (:Grant {id: $gid, userId: $user, userName: $userName, until: $until, reason: $reason,
					grantedById: $actorId, grantedByName: $actorName, grantedAt: $now})-[:ON]->(c)`,
				params: map[string]any{"gid": id, "user": in.UserID, "userName": in.UserName, "until": in.Until.UTC(),
					"reason": in.Reason, "actorId": actor.ID, "actorName": actor.Name},
				event: casus.EventAccessGranted,
				changes: []casus.Change{{Field: "grants." + id, After: map[string]any{
					"user": in.UserID, "until": in.Until.UTC().Format(time.RFC3339)}}},
			}, nil
		})
	if err != nil {
		return nil, err
	}
	gs, err := s.GrantsOfCases(ctx, []string{in.CaseID})
	if err != nil {
		return nil, err
	}
	for _, g := range gs[0] {
		if g.ID == id {
			return g, nil
		}
	}
	return nil, fmt.Errorf("grant %s: not found after writing it", id)
}

// GrantsOfCases returns each case's grants that have not expired.
func (s *GrantService) GrantsOfCases(ctx context.Context, caseIDs []string) ([][]*casus.Grant, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return groupedBy(ctx, s.db, "grants of cases", caseIDs, `
		UNWIND $ids AS id
		MATCH (g:Grant)-[:ON]->(c:Case {id: id}) WHERE g.until > datetime() AND `+sc.cases("c")+`
		WITH id, g ORDER BY g.until
		RETURN id, collect(`+grantProjection+`) AS rows`, sc.params(nil), decodeGrant)
}
