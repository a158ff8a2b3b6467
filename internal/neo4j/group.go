package neo4j

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"casusnet/internal/casus"
)

// GroupService reads and records groups on Neo4j.
type GroupService struct{ db *DB }

var _ casus.GroupService = (*GroupService)(nil)

// NewGroupService returns the group service of db.
func NewGroupService(db *DB) *GroupService { return &GroupService{db: db} }

const groupProjection = `g {.id, .name, members: [(x:Person)-[:IN_GROUP]->(g) | x.id]}`

func decodeGroup(v any) (*casus.Group, error) {
	m, err := asMap("group", v)
	if err != nil {
		return nil, err
	}
	return &casus.Group{ID: str(m["id"]), Name: str(m["name"]), MemberIDs: strList(m["members"])}, nil
}

// GroupsOf returns the groups each person is a member of.
func (s *GroupService) GroupsOf(ctx context.Context, personIDs []string) ([][]*casus.Group, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return groupedBy(ctx, s.db, "groups of persons", personIDs, `
		UNWIND $ids AS id
		MATCH (p:Person {id: id})-[:IN_GROUP]->(g:Group) WHERE `+sc.persons("p")+`
		WITH id, g ORDER BY g.name
		RETURN id, collect(`+groupProjection+`) AS rows`, sc.params(nil), decodeGroup)
}

// Group returns the group with id, or NOT_FOUND.
func (s *GroupService) Group(ctx context.Context, id string) (*casus.Group, error) {
	gs, err := s.GroupsByID(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if gs[0] == nil {
		return nil, casus.Errorf(casus.ENOTFOUND, "group not found")
	}
	return gs[0], nil
}

// GroupsByID returns the groups with ids, in order.
// A group is visible when one of its members is.
func (s *GroupService) GroupsByID(ctx context.Context, ids []string) ([]*casus.Group, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return byID(ctx, s.db, "groups", ids, `
		MATCH (g:Group) WHERE g.id IN $ids AND EXISTS { MATCH (p:Person)-[:IN_GROUP]->(g) WHERE `+sc.persons("p")+` }
		RETURN g.id AS id, `+groupProjection+` AS row`, sc.params(nil), decodeGroup)
}

// CreateGroup creates a group of existing persons.
func (s *GroupService) CreateGroup(ctx context.Context, in casus.CreateGroupInput) (*casus.Group, error) {
	sc, err := editScope(ctx)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	key := idempotencyKey(ctx, "createGroup", in.IdempotencyKey)
	g, err := writeOnce(ctx, s.db, key, func(tx txRunner) (*casus.Group, error) {
		id, err := s.db.createdBefore(ctx, tx, key)
		if err != nil {
			return nil, err
		}
		if id == "" {
			missing, err := s.db.missingPersons(ctx, tx, sc, in.MemberIDs)
			if err != nil {
				return nil, err
			}
			if len(missing) > 0 {
				return nil, casus.NotFound("members", "person")
			}
			id = uuid.NewString()
			if _, err := s.db.collect(ctx, tx, `
				CREATE (g:Group {id: $id, name: $name, createdAt: $now})
				WITH g
				UNWIND $members AS pid
				MATCH (p:Person {id: pid})
				CREATE (p)-[:IN_GROUP]->(g)`,
				map[string]any{"id": id, "name": in.Name, "members": in.MemberIDs, "now": s.db.now()}); err != nil {
				return nil, err
			}
			if err := s.db.remember(ctx, tx, key, id); err != nil {
				return nil, err
			}
		}
		gs, err := inTx(ctx, s.db, tx, []string{id}, `
			MATCH (g:Group) WHERE g.id IN $ids AND EXISTS { MATCH (p:Person)-[:IN_GROUP]->(g) WHERE `+sc.persons("p")+` }
			RETURN g.id AS id, `+groupProjection+` AS row`, sc.params(nil), decodeGroup)
		if err != nil {
			return nil, err
		}
		if gs[0] == nil {
			return nil, casus.NotFound("group", "group")
		}
		return gs[0], nil
	})
	if err != nil {
		return nil, fmt.Errorf("create group: %w", err)
	}
	return g, nil
}
