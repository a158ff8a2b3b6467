package neo4j

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"casusnet/internal/casus"
)

// PersonService is casus.PersonService on Neo4j.
type PersonService struct {
	db *DB
}

var _ casus.PersonService = (*PersonService)(nil)

// NewPersonService returns a PersonService on db.
func NewPersonService(db *DB) *PersonService { return &PersonService{db: db} }

const personProjection = `p {.id, .firstName, .lastName, .aliases, .birthDate, .notes, .version, .createdAt, .updatedAt,
	municipality: [(p)-[:LIVES_IN]->(m:Municipality) | m.code][0]
}`

func decodePerson(v any) (*casus.Person, error) {
	m, err := asMap("person", v)
	if err != nil {
		return nil, err
	}
	return &casus.Person{
		ID: str(m["id"]), FirstName: str(m["firstName"]), LastName: str(m["lastName"]),
		Aliases: strList(m["aliases"]), BirthDate: datePtr(m["birthDate"]), MunicipalityCode: str(m["municipality"]),
		Notes: str(m["notes"]), Version: int(max(num(m["version"]), 1)), CreatedAt: tm(m["createdAt"]), UpdatedAt: tm(m["updatedAt"]),
	}, nil
}

// Person returns the person with id, or NOT_FOUND.
func (s *PersonService) Person(ctx context.Context, id string) (*casus.Person, error) {
	ps, err := s.PersonsByID(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if ps[0] == nil {
		return nil, casus.Errorf(casus.ENOTFOUND, "person not found")
	}
	return ps[0], nil
}

// PersonsByID returns the persons with ids, in order, nil for unknown ids.
func (s *PersonService) PersonsByID(ctx context.Context, ids []string) ([]*casus.Person, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return byID(ctx, s.db, "persons", ids,
		`MATCH (p:Person) WHERE p.id IN $ids AND `+sc.persons("p")+` RETURN p.id, `+personProjection, sc.params(nil), decodePerson)
}

// Persons returns a page of persons ordered by last name, first name and id.
func (s *PersonService) Persons(ctx context.Context, filter casus.PersonFilter, page casus.Page) (*casus.PersonPage, error) {
	if len(filter.Name) > casus.MaxName {
		return nil, casus.Invalid("filter.name", "longer than %d characters", casus.MaxName)
	}
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	res, err := s.db.list(ctx, listQuery{
		match: "MATCH (p:Person)",
		where: []string{
			`($name = '' OR toLower(p.lastName) STARTS WITH $name OR toLower(coalesce(p.firstName, '')) STARTS WITH $name
			  OR toLower(coalesce(p.firstName, '') + ' ' + p.lastName) STARTS WITH $name
			  OR any(a IN coalesce(p.aliases, []) WHERE toLower(a) STARTS WITH $name))`,
			"($municipality = '' OR EXISTS { (p)-[:LIVES_IN]->(:Municipality {code: $municipality}) })",
			sc.persons("p"),
		},
		params:  sc.params(map[string]any{"name": toLower(trim(filter.Name)), "municipality": filter.MunicipalityCode}),
		keys:    []string{"p.lastName", "coalesce(p.firstName, '')", "p.id"},
		project: personProjection,
	}, page)
	if err != nil {
		return nil, fmt.Errorf("list persons: %w", err)
	}
	out := &casus.PersonPage{TotalCount: res.total, HasNextPage: res.hasNextPage, HasPreviousPage: res.hasPreviousPage}
	for i, row := range res.rows {
		p, err := decodePerson(row)
		if err != nil {
			return nil, err
		}
		out.Edges = append(out.Edges, casus.PersonEdge{Cursor: res.cursors[i], Person: p})
	}
	return out, nil
}

// RelativesOf returns each person's family ties, seen from that person.
func (s *PersonService) RelativesOf(ctx context.Context, personIDs []string) ([][]casus.Relative, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	type row struct{ casus.Relative }
	grouped, err := groupedBy(ctx, s.db, "relatives", personIDs, `
		UNWIND $ids AS id
		MATCH (p:Person {id: id})-[r:RELATIVE]-(x:Person) WHERE `+sc.persons("p")+`
		WITH id, r, x, startNode(r) = p AS outgoing
		ORDER BY x.lastName, x.firstName, x.id
		RETURN id, collect({kind: r.kind, outgoing: outgoing, relative: x.id}) AS rows`, sc.params(nil),
		func(v any) (*row, error) {
			m, err := asMap("relative", v)
			if err != nil {
				return nil, err
			}
			kind := casus.RelativeKind(str(m["kind"]))
			// (p)-[:RELATIVE {kind: K}]->(x): p is K of x, so x is K's inverse of p.
			if boolean(m["outgoing"]) {
				kind = kind.Inverse()
			}
			return &row{casus.Relative{Kind: kind, RelativeID: str(m["relative"])}}, nil
		})
	if err != nil {
		return nil, err
	}
	out := make([][]casus.Relative, len(grouped))
	for i, rows := range grouped {
		out[i] = make([]casus.Relative, len(rows))
		for j, r := range rows {
			out[i][j] = r.Relative
		}
	}
	return out, nil
}

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
func (s *PersonService) ContactsOf(ctx context.Context, personIDs []string) ([][]*casus.Contact, error) {
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

const groupProjection = `g {.id, .name, members: [(x:Person)-[:IN_GROUP]->(g) | x.id]}`

func decodeGroup(v any) (*casus.Group, error) {
	m, err := asMap("group", v)
	if err != nil {
		return nil, err
	}
	return &casus.Group{ID: str(m["id"]), Name: str(m["name"]), MemberIDs: strList(m["members"])}, nil
}

// GroupsOf returns the groups each person is a member of.
func (s *PersonService) GroupsOf(ctx context.Context, personIDs []string) ([][]*casus.Group, error) {
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
func (s *PersonService) Group(ctx context.Context, id string) (*casus.Group, error) {
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
func (s *PersonService) GroupsByID(ctx context.Context, ids []string) ([]*casus.Group, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return byID(ctx, s.db, "groups", ids, `
		MATCH (g:Group) WHERE g.id IN $ids AND EXISTS { MATCH (p:Person)-[:IN_GROUP]->(g) WHERE `+sc.persons("p")+` }
		RETURN g.id, `+groupProjection, sc.params(nil), decodeGroup)
}

// missingPersons returns the ids among ids that are no person the scope
// sees, in tx.
func (db *DB) missingPersons(ctx context.Context, tx runner, sc scope, ids []string) ([]string, error) {
	recs, err := db.collect(ctx, tx, `
		UNWIND $ids AS id
		OPTIONAL MATCH (p:Person {id: id}) WHERE `+sc.persons("p")+`
		WITH id, p WHERE p IS NULL
		RETURN collect(id)`, sc.params(map[string]any{"ids": nonNil(ids)}))
	if err != nil {
		return nil, err
	}
	return strList(recs[0].Values[0]), nil
}

// CreatePerson registers a person.
func (s *PersonService) CreatePerson(ctx context.Context, in casus.CreatePersonInput) (*casus.Person, error) {
	if err := casus.Permit(ctx, casus.ActEditNetwork); err != nil {
		return nil, err
	}
	if err := in.Validate(s.db.now()); err != nil {
		return nil, err
	}
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	key := idempotencyKey(ctx, "createPerson", in.IdempotencyKey)
	p, err := writeOnce(ctx, s.db, key, func(tx txRunner) (*casus.Person, error) {
		if id, err := s.db.createdBefore(ctx, tx, key); err != nil || id != "" {
			if err != nil {
				return nil, err
			}
			// A replay answers with the person as the caller may read them
			// now, not as they were.
			return s.db.personInScope(ctx, tx, sc, id)
		}
		if in.MunicipalityCode != "" {
			if ok, err := s.db.exists(ctx, tx, "MATCH (m:Municipality {code: $id}) RETURN count(m) > 0", in.MunicipalityCode); err != nil || !ok {
				if err == nil {
					err = casus.Invalid("municipality", "unknown municipality %q", in.MunicipalityCode)
				}
				return nil, err
			}
		}
		id, now := uuid.NewString(), s.db.now()
		if _, err := s.db.collect(ctx, tx, `
			CREATE (p:Person {id: $id, firstName: $firstName, lastName: $lastName, aliases: $aliases,
				birthDate: $birthDate, notes: $notes, version: 1, createdAt: $now, updatedAt: $now, recordedBy: $recordedBy})
			WITH p
			OPTIONAL MATCH (m:Municipality {code: $municipality})
			FOREACH (_ IN CASE WHEN m IS NULL THEN [] ELSE [1] END | CREATE (p)-[:LIVES_IN]->(m))`,
			map[string]any{"id": id, "firstName": in.FirstName, "lastName": in.LastName, "aliases": nonNil(in.Aliases),
				"birthDate": datePtrParam(in.BirthDate), "notes": in.Notes, "now": now, "municipality": in.MunicipalityCode,
				"recordedBy": sc.actor.ID}); err != nil {
			return nil, err
		}
		if err := s.db.remember(ctx, tx, key, id); err != nil {
			return nil, err
		}
		return s.db.personInTx(ctx, tx, id)
	})
	if err != nil {
		return nil, fmt.Errorf("create person: %w", err)
	}
	return p, nil
}

// personInScope reads the person with id in tx as the scope may see them,
// NOT_FOUND otherwise.
func (db *DB) personInScope(ctx context.Context, tx runner, sc scope, id string) (*casus.Person, error) {
	ps, err := inTx(ctx, db, tx, []string{id}, `MATCH (p:Person) WHERE p.id IN $ids AND `+sc.persons("p")+` RETURN p.id, `+personProjection,
		sc.params(nil), decodePerson)
	if err != nil {
		return nil, err
	}
	if ps[0] == nil {
		return nil, casus.NotFound("person", "person")
	}
	return ps[0], nil
}

// personInTx reads the person with id in tx, in or out of any scope: only
// for answering a write that has just checked the person is the caller's.
func (db *DB) personInTx(ctx context.Context, tx runner, id string) (*casus.Person, error) {
	ps, err := inTx(ctx, db, tx, []string{id}, `MATCH (p:Person) WHERE p.id IN $ids RETURN p.id, `+personProjection, nil, decodePerson)
	if err != nil {
		return nil, err
	}
	if ps[0] == nil {
		return nil, casus.Errorf(casus.ENOTFOUND, "person not found")
	}
	return ps[0], nil
}

// exists runs a query with $id that returns one boolean.
func (db *DB) exists(ctx context.Context, tx runner, cypher, id string) (bool, error) {
	recs, err := db.collect(ctx, tx, cypher, map[string]any{"id": id})
	if err != nil {
		return false, err
	}
	return boolean(recs[0].Values[0]), nil
}

// UpdatePerson changes the given fields of a person.
func (s *PersonService) UpdatePerson(ctx context.Context, in casus.UpdatePersonInput) (*casus.Person, error) {
	sc, err := s.editScope(ctx)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(s.db.now()); err != nil {
		return nil, err
	}
	p, err := write(ctx, s.db, func(tx txRunner) (*casus.Person, error) {
		recs, err := s.db.collect(ctx, tx, `MATCH (p:Person {id: $id}) WHERE `+sc.persons("p")+` SET p._lock = true REMOVE p._lock RETURN p.id`,
			sc.params(map[string]any{"id": in.ID}))
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, casus.Errorf(casus.ENOTFOUND, "person not found")
		}
		cur, err := s.db.personInTx(ctx, tx, in.ID)
		if err != nil {
			return nil, err
		}
		if in.ExpectedVersion != nil && *in.ExpectedVersion != cur.Version {
			return nil, casus.Errorf(casus.ECONFLICT, "the person changed since you read it (version %d, you had %d); reload and try again",
				cur.Version, *in.ExpectedVersion)
		}
		set := map[string]any{}
		if in.FirstName != nil {
			set["firstName"] = *in.FirstName
		}
		if in.LastName != nil {
			set["lastName"] = *in.LastName
		}
		if in.Aliases != nil {
			set["aliases"] = in.Aliases
		}
		if in.BirthDate != nil {
			set["birthDate"] = date(*in.BirthDate)
		}
		if in.ClearBirthDate {
			set["birthDate"] = nil
		}
		if in.Notes != nil {
			set["notes"] = *in.Notes
		}
		muni := ""
		if in.MunicipalityCode != nil {
			rec, err := s.db.collect(ctx, tx, `MATCH (p:Person {id: $id}) RETURN coalesce(p.recordedBy, '') AS recordedBy`, map[string]any{"id": in.ID})
			if err != nil {
				return nil, err
			}
			recordedBy, err := field[string](rec[0], "recordedBy")
			if err != nil {
				return nil, err
			}
			who := casus.Resident{ID: in.ID, Municipality: cur.MunicipalityCode, RecordedBy: recordedBy}
			if err := casus.CheckMove(sc.actor, who, *in.MunicipalityCode); err != nil {
				return nil, err
			}
		}
		if in.MunicipalityCode != nil && *in.MunicipalityCode != "" {
			muni = *in.MunicipalityCode
			if ok, err := s.db.exists(ctx, tx, "MATCH (m:Municipality {code: $id}) RETURN count(m) > 0", muni); err != nil || !ok {
				if err == nil {
					err = casus.Invalid("municipality", "unknown municipality %q", muni)
				}
				return nil, err
			}
		}
		if _, err := s.db.collect(ctx, tx, `
			MATCH (p:Person {id: $id})
			SET p += $set, p.version = coalesce(p.version, 1) + 1, p.updatedAt = $now
			WITH p
			CALL (p) {
				WITH p WHERE $moveMunicipality
				OPTIONAL MATCH (p)-[old:LIVES_IN]->()
				DELETE old
				WITH DISTINCT p
				MATCH (m:Municipality {code: $municipality})
				CREATE (p)-[:LIVES_IN]->(m)
			}`,
			map[string]any{"id": in.ID, "set": set, "now": s.db.now(),
				"moveMunicipality": in.MunicipalityCode != nil, "municipality": muni}); err != nil {
			return nil, err
		}
		return s.db.personInTx(ctx, tx, in.ID)
	})
	if err != nil {
		return nil, fmt.Errorf("update person %s: %w", in.ID, err)
	}
	return p, nil
}

// RelatePersons records that the relative is Kind of the person, replacing
// any family tie between the two.
func (s *PersonService) RelatePersons(ctx context.Context, in casus.RelateInput) (*casus.Person, error) {
	sc, err := s.editScope(ctx)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	p, err := write(ctx, s.db, func(tx txRunner) (*casus.Person, error) {
		if err := s.db.checkPersons(ctx, tx, sc, in.PersonID, "person", in.RelativeID, "relative"); err != nil {
			return nil, err
		}
		if _, err := s.db.collect(ctx, tx, `
			MATCH (p:Person {id: $person}), (r:Person {id: $relative})
			OPTIONAL MATCH (p)-[old:RELATIVE]-(r)
			DELETE old
			WITH DISTINCT p, r
			CREATE (r)-[:RELATIVE {kind: $kind, since: $now}]->(p)`,
			map[string]any{"person": in.PersonID, "relative": in.RelativeID, "kind": string(in.Kind), "now": s.db.now()}); err != nil {
			return nil, err
		}
		if err := s.db.appendPersonEvents(ctx, tx, []personEvent{
			{typ: casus.AlertTie, person: in.PersonID, other: in.RelativeID}, {typ: casus.AlertTie, person: in.RelativeID, other: in.PersonID},
		}); err != nil {
			return nil, err
		}
		return s.db.personInTx(ctx, tx, in.PersonID)
	})
	if err != nil {
		return nil, fmt.Errorf("relate persons: %w", err)
	}
	return p, nil
}

// UnrelatePersons removes every family tie between the two persons.
func (s *PersonService) UnrelatePersons(ctx context.Context, personID, relativeID string) (*casus.Person, error) {
	sc, err := s.editScope(ctx)
	if err != nil {
		return nil, err
	}
	p, err := write(ctx, s.db, func(tx txRunner) (*casus.Person, error) {
		recs, err := s.db.collect(ctx, tx, `
			MATCH (p:Person {id: $person})-[r:RELATIVE]-(q:Person {id: $relative}) WHERE `+sc.persons("p")+` AND `+sc.persons("q")+`
			DELETE r
			RETURN count(r)`, sc.params(map[string]any{"person": personID, "relative": relativeID}))
		if err != nil {
			return nil, err
		}
		if num(recs[0].Values[0]) == 0 {
			return nil, casus.Errorf(casus.ENOTFOUND, "no family tie between these persons")
		}
		return s.db.personInTx(ctx, tx, personID)
	})
	if err != nil {
		return nil, fmt.Errorf("unrelate persons: %w", err)
	}
	return p, nil
}

// AddContact records a network tie.
func (s *PersonService) AddContact(ctx context.Context, in casus.AddContactInput) (*casus.Contact, error) {
	sc, err := s.editScope(ctx)
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
func (s *PersonService) RemoveContact(ctx context.Context, id string) (*casus.Contact, error) {
	sc, err := s.editScope(ctx)
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

// CreateGroup creates a group of existing persons.
func (s *PersonService) CreateGroup(ctx context.Context, in casus.CreateGroupInput) (*casus.Group, error) {
	sc, err := s.editScope(ctx)
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
			RETURN g.id, `+groupProjection, sc.params(nil), decodeGroup)
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

// datePtrParam returns *t as a Neo4j date, nil for nil.
func datePtrParam(t *time.Time) any {
	if t == nil {
		return nil
	}
	return date(*t)
}

// editScope permits changing persons and their networks, and returns the
// actor's scope: what they may change is what they may see.
func (s *PersonService) editScope(ctx context.Context) (scope, error) {
	if err := casus.Permit(ctx, casus.ActEditNetwork); err != nil {
		return scope{}, err
	}
	return scopeOf(ctx)
}

// checkPersons answers NOT_FOUND, on the field of the first one missing,
// unless the scope sees both persons: a tie may only be drawn between
// persons the writer can read, or it would open the one to the readers of
// the other.
func (db *DB) checkPersons(ctx context.Context, tx runner, sc scope, anchor, anchorField, other, otherField string) error {
	missing, err := db.missingPersons(ctx, tx, sc, []string{anchor, other})
	switch {
	case err != nil:
		return err
	case len(missing) == 0:
		return nil
	case missing[0] == anchor:
		return casus.NotFound(anchorField, "person")
	}
	return casus.NotFound(otherField, "person")
}

// MergePersons folds the merged record into the kept one in one
// transaction: every tie of the merged record (family, contacts, groups,
// cases, signals) moves to the kept one, except ties between the two and
// structural ties the kept one already has; the merged names become
// aliases; a MergedPerson node remembers the merged id, who merged and why;
// the merged record is deleted.
func (s *PersonService) MergePersons(ctx context.Context, in casus.MergePersonsInput) (*casus.Person, error) {
	if err := casus.Permit(ctx, casus.ActMergePersons); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	p, err := write(ctx, s.db, func(tx txRunner) (*casus.Person, error) {
		recs, err := s.db.collect(ctx, tx, `
			UNWIND [$keep, $merge] AS id
			MATCH (p:Person {id: id}) WHERE `+sc.persons("p")+`
			SET p._lock = true REMOVE p._lock
			RETURN p.id, p.version`, sc.params(map[string]any{"keep": in.KeepID, "merge": in.MergeID}))
		if err != nil {
			return nil, err
		}
		if len(recs) != 2 {
			return nil, casus.Errorf(casus.ENOTFOUND, "person not found")
		}
		for _, r := range recs {
			if v := int(max(num(r.Values[1]), 1)); str(r.Values[0]) == in.KeepID && in.ExpectedVersion != nil && *in.ExpectedVersion != v {
				return nil, casus.Errorf(casus.ECONFLICT, "the person changed since you read it (version %d, you had %d); reload and try again", v, *in.ExpectedVersion)
			}
		}
		actor, _ := casus.ActorFrom(ctx)
		_, err = s.db.collect(ctx, tx, `
			MATCH (k:Person {id: $keep}), (m:Person {id: $merge})
			CALL (k, m) {
				MATCH (m)-[r]->(x) WHERE x <> k
				  AND NOT (type(r) IN $single AND EXISTS { (k)-[o]->(x) WHERE type(o) = type(r) })
				  AND NOT (type(r) = 'LIVES_IN' AND EXISTS { (k)-[:LIVES_IN]->() })
				CREATE (k)-[n:$(type(r))]->(x) SET n = properties(r)
				DELETE r
			}
			CALL (k, m) {
				MATCH (x)-[r]->(m) WHERE x <> k
				  AND NOT (type(r) IN $single AND EXISTS { (x)-[o]->(k) WHERE type(o) = type(r) })
				CREATE (x)-[n:$(type(r))]->(k) SET n = properties(r)
				DELETE r
			}
			WITH k, m, [m.firstName + ' ' + m.lastName] + coalesce(m.aliases, []) AS names
			SET k.aliases = reduce(a = coalesce(k.aliases, []), n IN names |
					CASE WHEN n IN a OR n = k.firstName + ' ' + k.lastName THEN a ELSE a + n END),
				k.birthDate = coalesce(k.birthDate, m.birthDate),
				k.notes = CASE WHEN coalesce(m.notes, '') = '' THEN k.notes
					ELSE trim(coalesce(k.notes, '') + '\n' + m.notes) END,
				k.version = coalesce(k.version, 1) + 1, k.updatedAt = $now
			CREATE (:MergedPerson {id: m.id, into: k.id, at: $now, byId: $actorId, byName: $actorName, reason: $reason})
			DETACH DELETE m`,
			map[string]any{"keep": in.KeepID, "merge": in.MergeID, "now": s.db.now(), "reason": in.Reason,
				"actorId": actor.ID, "actorName": actor.Name,
				// Ties of which one is enough: a second one says nothing new.
				"single": []string{"IN_GROUP", "CONCERNS", "RELATIVE", "LIVES_IN", "ABOUT"}})
		if err != nil {
			return nil, err
		}
		return s.db.personInTx(ctx, tx, in.KeepID)
	})
	if err != nil {
		return nil, fmt.Errorf("merge person %s into %s: %w", in.MergeID, in.KeepID, err)
	}
	return p, nil
}
