package neo4j

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"casusnet/internal/casus"
)

// ContactService reads and records network ties on Neo4j.
type ContactService struct{ db *DB }

var _ casus.ContactService = (*ContactService)(nil)

// NewContactService returns the contact service of db.
func NewContactService(db *DB) *ContactService { return &ContactService{db: db} }

const contactProjection = `{id: coalesce(r.id, elementId(r)), from: startNode(r).id, to: endNode(r).id, network: r.network,
	role: r.role, since: r.since, source: r.source, confidence: r.confidence}`

func decodeContact(v any) (*casus.Contact, error) {
	m, err := asMap("contact", v)
	if err != nil {
		return nil, err
	}
	return &casus.Contact{
		ID: str(m["id"]), FromID: str(m["from"]), ToID: str(m["to"]), Network: casus.Network(str(m["network"])),
		Role: casus.ContactRole(str(m["role"])), Since: datePtr(m["since"]), Source: str(m["source"]), Confidence: float(m["confidence"]),
	}, nil
}

// ContactsOf returns each person's network ties, in either direction.
func (s *ContactService) ContactsOf(ctx context.Context, personIDs []string) ([][]*casus.Contact, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return groupedBy(ctx, s.db, "contacts", personIDs, `
		UNWIND $ids AS id
		MATCH (p:Person {id: id})-[r:CONTACT]-(:Person) WHERE `+sc.persons("p")+`
		WITH id, r ORDER BY r.network, r.role, r.since
		RETURN id, collect(`+contactProjection+`) AS rows`, sc.params(nil), decodeContact)
}

// AddContact records a network tie.
func (s *ContactService) AddContact(ctx context.Context, in casus.AddContactInput) (*casus.Contact, error) {
	sc, err := editScope(ctx)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(s.db.now()); err != nil {
		return nil, err
	}
	key := idempotencyKey(ctx, "addNetworkContact", in.IdempotencyKey)
	c, err := writeOnce(ctx, s.db, key, func(tx txRunner) (*casus.Contact, error) {
		id, err := s.db.createdBefore(ctx, tx, key)
		if err != nil {
			return nil, err
		}
		if id == "" {
			if err := s.db.checkPersons(ctx, tx, sc, in.FromID, "from", in.ToID, "to"); err != nil {
				return nil, err
			}
			id = uuid.NewString()
			if _, err := s.db.collect(ctx, tx, `
				MATCH (a:Person {id: $from}), (b:Person {id: $to})
				CREATE (a)-[:CONTACT {id: $id, network: $network, role: $role, since: $since, source: $source,
					confidence: $confidence, recordedAt: $now}]->(b)`,
				map[string]any{"from": in.FromID, "to": in.ToID, "id": id, "network": string(in.Network), "role": string(in.Role),
					"since": datePtrParam(in.Since), "source": in.Source, "confidence": in.Confidence, "now": s.db.now()}); err != nil {
				return nil, err
			}
			if err := s.db.appendPersonEvents(ctx, tx, []personEvent{
				{typ: casus.AlertTie, person: in.FromID, other: in.ToID}, {typ: casus.AlertTie, person: in.ToID, other: in.FromID},
			}); err != nil {
				return nil, err
			}
			if err := s.db.remember(ctx, tx, key, id); err != nil {
				return nil, err
			}
		}
		return s.db.contactInScope(ctx, tx, sc, id)
	})
	if err != nil {
		return nil, fmt.Errorf("add network contact: %w", err)
	}
	return c, nil
}

// contactInScope reads the network tie with id in tx when the scope sees
// both of its ends, NOT_FOUND otherwise.
func (db *DB) contactInScope(ctx context.Context, tx runner, sc scope, id string) (*casus.Contact, error) {
	recs, err := db.collect(ctx, tx, `
		MATCH (a:Person)-[r:CONTACT]->(b:Person) WHERE (r.id = $id OR elementId(r) = $id) AND `+sc.persons("a")+` AND `+sc.persons("b")+`
		RETURN `+contactProjection+` AS contact`, sc.params(map[string]any{"id": id}))
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, casus.NotFound("contact", "network contact")
	}
	v, _ := recs[0].Get("contact")
	return decodeContact(v)
}

// RemoveContact removes a network tie and returns it as it was.
func (s *ContactService) RemoveContact(ctx context.Context, id string) (*casus.Contact, error) {
	sc, err := editScope(ctx)
	if err != nil {
		return nil, err
	}
	c, err := write(ctx, s.db, func(tx txRunner) (*casus.Contact, error) {
		c, err := s.db.contactInScope(ctx, tx, sc, id)
		if err != nil {
			return nil, err
		}
		_, err = s.db.collect(ctx, tx, `
			MATCH (:Person)-[r:CONTACT]->(:Person) WHERE r.id = $id OR elementId(r) = $id
			DELETE r`, map[string]any{"id": id})
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("remove network contact: %w", err)
	}
	return c, nil
}
